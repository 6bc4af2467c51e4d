/* libFuzzer target: gnutlsdtlssrtpdemux fed arbitrary datagrams.
 *
 * Input: a flags byte, then datagrams as chunks (see fuzz-common.h).
 *   flags & 1   push all the datagrams as one buffer list
 *   flags & 2   send caps first: application/x-srtp with a key when
 *               flags & 4, otherwise some other media type
 *
 * Besides not crashing, the demux must hand DTLS (first byte 20-63) only
 * to dtls_src and SRTP/SRTCP (128-191) only to rtp_src, and drop the rest:
 * checked for every datagram, a mistake aborts.
 *
 * The demux keeps no state between datagrams but its counters, so one
 * element serves every input.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#define DEMUX_NAME GST_GNUTLS_NAME_PREFIX "dtlssrtpdemux"

static GstElement *demux;
static GstHarness *h_rtp, *h_dtls;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  GstSegment segment;
  GstCaps *caps;

  fuzz_init_gstreamer (argc, argv, "demux");
  demux = fuzz_make_element (DEMUX_NAME);
  h_rtp = gst_harness_new_with_element (demux, "sink", "rtp_src");
  h_dtls = gst_harness_new_with_element (demux, NULL, "dtls_src");
  gst_pad_push_event (h_rtp->srcpad, gst_event_new_stream_start ("fuzz"));
  caps = gst_caps_new_empty_simple ("application/x-srtp");
  gst_pad_push_event (h_rtp->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (h_rtp->srcpad, gst_event_new_segment (&segment));
  return 0;
}

/* Pulls everything the demux sent on @h; each datagram must start with a
 * byte in [@lo, @hi]. Returns how many there were. */
static guint
check_output (GstHarness * h, guint8 lo, guint8 hi)
{
  GstBuffer *b;
  guint n = 0;

  while ((b = gst_harness_try_pull (h))) {
    guint8 first;

    if (gst_buffer_extract (b, 0, &first, 1) != 1 || first < lo || first > hi)
      g_error ("the demux sent a datagram starting with %u on %s",
          first, GST_PAD_NAME (GST_PAD_PEER (h->sinkpad)));
    gst_buffer_unref (b);
    n++;
  }
  fuzz_drain (h);
  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzReader r = { data, size };
  guint8 flags = fuzz_u8 (&r);
  GstBufferList *list = NULL;
  const guint8 *chunk;
  gsize len;
  guint n_rtp = 0, n_dtls = 0;

  if (flags & 2) {
    GstCaps *caps;

    if (flags & 4) {
      GstBuffer *key = gst_buffer_new_memdup (data, MIN (size, 30));

      caps = gst_caps_new_simple ("application/x-srtp", "srtp-key",
          GST_TYPE_BUFFER, key, "srtp-cipher", G_TYPE_STRING, "aes-128-icm",
          NULL);
      gst_buffer_unref (key);
    } else {
      caps = gst_caps_new_empty_simple ("application/x-rtp");
    }
    gst_pad_push_event (h_rtp->srcpad, gst_event_new_caps (caps));
    gst_caps_unref (caps);
  }

  if (flags & 1)
    list = gst_buffer_list_new ();
  while (fuzz_chunk (&r, &chunk, &len)) {
    GstBuffer *buf = fuzz_buffer_new (chunk, len);

    if (len > 0 && chunk[0] >= 20 && chunk[0] <= 63)
      n_dtls++;
    else if (len > 0 && chunk[0] >= 128 && chunk[0] <= 191)
      n_rtp++;
    /* gst_buffer_list_add is a macro with its own ';': braces needed */
    if (list) {
      gst_buffer_list_add (list, buf);
    } else {
      gst_harness_push (h_rtp, buf);
    }
  }
  if (list)
    gst_pad_push_list (h_rtp->srcpad, list);

  if (check_output (h_rtp, 128, 191) != n_rtp ||
      check_output (h_dtls, 20, 63) != n_dtls)
    g_error ("the demux lost or invented datagrams");
  return 0;
}
