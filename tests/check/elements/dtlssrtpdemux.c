/* gnutlsdtlssrtpdemux: every first byte goes where RFC 7983 says.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#define DEMUX GST_GNUTLS_NAME_PREFIX "dtlssrtpdemux"

typedef struct
{
  GstElement *demux;
  GstHarness *rtp, *dtls;
} Demux;

static void
demux_setup (Demux * d)
{
  d->demux = gst_element_factory_make (DEMUX, NULL);
  fail_unless (d->demux != NULL, "no element " DEMUX);
  d->rtp = gst_harness_new_with_element (d->demux, "sink", "rtp_src");
  d->dtls = gst_harness_new_with_element (d->demux, NULL, "dtls_src");
  gst_harness_set_src_caps_str (d->rtp, "application/x-srtp, ssrc=(uint)7");
}

static void
demux_teardown (Demux * d)
{
  gst_harness_teardown (d->dtls);
  gst_harness_teardown (d->rtp);
  gst_object_unref (d->demux);
}

static GstBuffer *
datagram (guint8 first, gsize len)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, len, NULL);

  gst_buffer_memset (b, 0, 0x55, len);
  if (len)
    gst_buffer_fill (b, 0, &first, 1);
  return b;
}

static guint64
stat (GstElement * e, const gchar * name)
{
  GstStructure *s;
  guint64 v = G_MAXUINT64;

  g_object_get (e, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, name, &v), "no %s", name);
  gst_structure_free (s);
  return v;
}

static void
check_counts (Demux * d, guint lists)
{
  /* Per 256 first bytes: 64 RTP/RTCP (128-191), 44 DTLS (20-63), 4 STUN,
   * 4 ZRTP, 16 TURN channel, the rest (incl. the empty datagram) unknown. */
  fail_unless_equals_int (gst_harness_buffers_in_queue (d->rtp), 64 * lists);
  fail_unless_equals_int (gst_harness_buffers_in_queue (d->dtls), 44 * lists);
  fail_unless_equals_int (stat (d->demux, "rtp-packets"), 64 * lists);
  fail_unless_equals_int (stat (d->demux, "dtls-packets"), 44 * lists);
  fail_unless_equals_int (stat (d->demux, "stun-dropped"), 4 * lists);
  fail_unless_equals_int (stat (d->demux, "zrtp-dropped"), 4 * lists);
  fail_unless_equals_int (stat (d->demux, "turn-channel-dropped"), 16 * lists);
  fail_unless_equals_int (stat (d->demux, "unknown-dropped"),
      (256 - 64 - 44 - 4 - 4 - 16 + 1) * lists);
}

GST_START_TEST (test_every_first_byte)
{
  Demux d;
  guint i;
  GstBuffer *b;
  GstCaps *caps;

  demux_setup (&d);
  for (i = 0; i < 256; i++)
    fail_unless_equals_int (gst_harness_push (d.rtp, datagram (i, 40)),
        GST_FLOW_OK);
  gst_harness_push (d.rtp, datagram (0, 0));
  check_counts (&d, 1);

  /* Each packet is on the right side, unchanged, in order. */
  for (i = 128; i < 192; i++) {
    guint8 b0;
    b = gst_harness_pull (d.rtp);
    gst_buffer_extract (b, 0, &b0, 1);
    fail_unless_equals_int (b0, i);
    fail_unless_equals_int (gst_buffer_get_size (b), 40);
    gst_buffer_unref (b);
  }
  for (i = 20; i < 64; i++) {
    guint8 b0;
    b = gst_harness_pull (d.dtls);
    gst_buffer_extract (b, 0, &b0, 1);
    fail_unless_equals_int (b0, i);
    gst_buffer_unref (b);
  }

  /* The SRTP caps (and the key they may carry) reach rtp_src. */
  caps = gst_pad_get_current_caps (d.rtp->sinkpad);
  fail_unless (gst_structure_has_field (gst_caps_get_structure (caps, 0),
          "ssrc"));
  gst_caps_unref (caps);
  caps = gst_pad_get_current_caps (d.dtls->sinkpad);
  fail_unless (gst_structure_has_name (gst_caps_get_structure (caps, 0),
          "application/x-dtls"));
  gst_caps_unref (caps);
  demux_teardown (&d);
}

GST_END_TEST;

GST_START_TEST (test_lists)
{
  Demux d;
  GstBufferList *list;
  guint i;

  demux_setup (&d);
  list = gst_buffer_list_new ();
  for (i = 0; i < 256; i++)
    gst_buffer_list_add (list, datagram (i, 12));
  gst_buffer_list_add (list, datagram (0, 0));
  fail_unless_equals_int (gst_pad_push_list (d.rtp->srcpad, list), GST_FLOW_OK);
  check_counts (&d, 1);
  demux_teardown (&d);
}

GST_END_TEST;

/* A list of media only goes through whole, the same list. */
GST_START_TEST (test_media_list_unchanged)
{
  Demux d;
  GstBufferList *list = gst_buffer_list_new ();
  guint i;

  demux_setup (&d);
  for (i = 0; i < 32; i++)
    gst_buffer_list_add (list, datagram (0x80 + (i & 63), 100));
  fail_unless_equals_int (gst_pad_push_list (d.rtp->srcpad,
          gst_buffer_list_ref (list)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (d.rtp), 32);
  fail_unless_equals_int (stat (d.demux, "rtp-packets"), 32);
  for (i = 0; i < 32; i++) {
    GstBuffer *b = gst_harness_pull (d.rtp);
    fail_unless (b == gst_buffer_list_get (list, i), "packet %u replaced", i);
    gst_buffer_unref (b);
  }
  gst_buffer_list_unref (list);
  demux_teardown (&d);
}

GST_END_TEST;

/* Nobody listening for DTLS (manual keying) must not stop the media. */
GST_START_TEST (test_unlinked_dtls)
{
  GstElement *demux = gst_element_factory_make (DEMUX, NULL);
  GstHarness *h = gst_harness_new_with_element (demux, "sink", "rtp_src");

  gst_harness_set_src_caps_str (h, "application/x-srtp");
  fail_unless_equals_int (gst_harness_push (h, datagram (22, 30)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, datagram (0x80, 30)),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 1);
  gst_harness_teardown (h);
  gst_object_unref (demux);
}

GST_END_TEST;

static Suite *
dtlssrtpdemux_suite (void)
{
  Suite *s = suite_create ("gnutlsdtlssrtpdemux");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_every_first_byte);
  tcase_add_test (tc, test_lists);
  tcase_add_test (tc, test_media_list_unchanged);
  tcase_add_test (tc, test_unlinked_dtls);
  return s;
}

GST_CHECK_MAIN (dtlssrtpdemux);
