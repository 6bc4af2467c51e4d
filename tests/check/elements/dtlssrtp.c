/* gnutlsdtlssrtpenc/dec: whole calls in one process. Each side is an
 * encoder bin and a decoder bin sharing a connection-id; between the sides
 * a "network" (appsink -> test code -> appsrc) that can drop, reorder and
 * duplicate datagrams.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/app/app.h>
#include <string.h>

#define OURS_ENC GST_GNUTLS_NAME_PREFIX "dtlssrtpenc"
#define OURS_DEC GST_GNUTLS_NAME_PREFIX "dtlssrtpdec"
#define MEDIA_CAPS "media=audio,clock-rate=8000,encoding-name=PCMA,payload=8"

typedef struct _Side Side;

/* What the network between the sides does to datagrams. */
typedef struct
{
  gdouble loss, reorder, duplicate;
  GRand *rand;
  GMutex lock;
  GstBuffer *held;              /* for reordering */
  guint sent, dropped;
} Link;

struct _Side
{
  const gchar *name;
  GstElement *pipeline, *enc, *dec;
  GstAppSrc *rtp_in, *rtcp_in, *data_in, *net_in;
  Side *peer;
  Link link;                    /* from this side to the peer */
  gint key_set;
  gint rtp_recv, rtcp_recv, data_recv;
  gint srtp_size;               /* of the last SRTP packet sent, on the wire */
  gint srtp_clear;              /* ... and whether its payload was readable */
  GString *data_seen;           /* concatenated application data received */
  GMutex data_lock;
};

static GstBuffer *
make_rtp (guint32 ssrc, guint16 seq)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, 12 + 160, NULL);
  GstMapInfo map;

  gst_buffer_map (b, &map, GST_MAP_WRITE);
  memset (map.data, 0xd5, map.size);
  map.data[0] = 0x80;
  map.data[1] = 8;
  GST_WRITE_UINT16_BE (map.data + 2, seq);
  GST_WRITE_UINT32_BE (map.data + 4, seq * 160);
  GST_WRITE_UINT32_BE (map.data + 8, ssrc);
  gst_buffer_unmap (b, &map);
  return b;
}

static GstBuffer *
make_rtcp (guint32 ssrc)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, 8, NULL);
  GstMapInfo map;

  gst_buffer_map (b, &map, GST_MAP_WRITE);
  map.data[0] = 0x80;
  map.data[1] = 201;            /* receiver report, no blocks */
  GST_WRITE_UINT16_BE (map.data + 2, 1);
  GST_WRITE_UINT32_BE (map.data + 4, ssrc);
  gst_buffer_unmap (b, &map);
  return b;
}

static void
link_push (Side * from, GstBuffer * buf)
{
  Link *l = &from->link;
  GstBuffer *out[3] = { NULL, NULL, NULL };
  guint i, n = 0;

  g_mutex_lock (&l->lock);
  l->sent++;
  if (l->loss > 0 && g_rand_double (l->rand) < l->loss) {
    l->dropped++;
    gst_buffer_unref (buf);
  } else if (l->reorder > 0 && l->held == NULL &&
      g_rand_double (l->rand) < l->reorder) {
    l->held = buf;              /* goes out after the next one */
  } else {
    out[n++] = buf;
    if (l->duplicate > 0 && g_rand_double (l->rand) < l->duplicate)
      out[n++] = gst_buffer_copy (buf);
    if (l->held) {
      out[n++] = l->held;
      l->held = NULL;
    }
  }
  g_mutex_unlock (&l->lock);

  for (i = 0; i < n; i++)
    gst_app_src_push_buffer (from->peer->net_in, out[i]);
}

static GstFlowReturn
on_net_out (GstAppSink * sink, gpointer user_data)
{
  Side *side = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample) {
    GstBuffer *buf = gst_sample_get_buffer (sample);
    GstMapInfo map;

    /* our PCMA packets (make_rtp) as they leave, protected */
    if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
      if (map.size > 12 + 160 && map.data[0] == 0x80 &&
          (map.data[1] & 0x7f) == 8) {
        guint i, clear = 0;

        for (i = 12; i < 12 + 160; i++)
          clear += map.data[i] == 0xd5;
        g_atomic_int_set (&side->srtp_size, map.size);
        g_atomic_int_set (&side->srtp_clear, clear == 160);
      }
      gst_buffer_unmap (buf, &map);
    }
    /* A fresh datagram, as a real network would deliver. */
    link_push (side, gst_buffer_copy_deep (buf));
    gst_sample_unref (sample);
  }
  return GST_FLOW_OK;
}

static GstFlowReturn
on_received (GstAppSink * sink, gpointer user_data)
{
  gint *counter = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample) {
    g_atomic_int_inc (counter);
    gst_sample_unref (sample);
  }
  return GST_FLOW_OK;
}

static GstFlowReturn
on_data_received (GstAppSink * sink, gpointer user_data)
{
  Side *side = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample) {
    GstMapInfo map;
    GstBuffer *b = gst_sample_get_buffer (sample);

    gst_buffer_map (b, &map, GST_MAP_READ);
    g_mutex_lock (&side->data_lock);
    g_string_append_len (side->data_seen, (const gchar *) map.data, map.size);
    g_mutex_unlock (&side->data_lock);
    gst_buffer_unmap (b, &map);
    g_atomic_int_inc (&side->data_recv);
    gst_sample_unref (sample);
  }
  return GST_FLOW_OK;
}

static void
on_key_set (GstElement * enc, Side * side)
{
  g_atomic_int_set (&side->key_set, 1);
}

static GstElement *
by_name (Side * s, const gchar * suffix)
{
  gchar *name = g_strdup_printf ("%s_%s", s->name, suffix);
  GstElement *e = gst_bin_get_by_name (GST_BIN (s->pipeline), name);

  fail_unless (e != NULL, "no element %s", name);
  g_free (name);
  return e;
}

static void
connect_sink (Side * s, const gchar * suffix, GstFlowReturn (*cb) (GstAppSink
        *, gpointer), gpointer data)
{
  GstElement *e = by_name (s, suffix);
  GstAppSinkCallbacks cbs = { NULL, };

  cbs.new_sample = cb;
  gst_app_sink_set_callbacks (GST_APP_SINK (e), &cbs, data, NULL);
  gst_object_unref (e);
}

/* One side: media and data sources into the encoder bin, the network in
 * and out, the decoder bin's outputs counted. */
static void
side_init (Side * s, const gchar * name, const gchar * enc_factory,
    const gchar * dec_factory, gboolean is_client, const gchar * extra)
{
  /* connection-ids never reused in one process: the reference refuses an
   * id whose previous elements are not finalized yet (CK_FORK=no runs
   * every test in one process) */
  static gint calls;
  gchar *desc;
  GError *err = NULL;

  memset (s, 0, sizeof (*s));
  s->name = name;
  s->data_seen = g_string_new (NULL);
  g_mutex_init (&s->data_lock);
  g_mutex_init (&s->link.lock);
  s->link.rand = g_rand_new_with_seed (is_client ? 1 : 2);

  desc =
      g_strdup_printf
      ("%2$s name=%1$s_enc connection-id=%1$s-conn%7$d is-client=%4$d %5$s "
      /* Pad names spelled out: the reference crashes on a NULL name. */
      "appsrc name=%1$s_rtp format=time caps=\"application/x-rtp," MEDIA_CAPS
      "\" ! %1$s_enc.rtp_sink_0 "
      "appsrc name=%1$s_rtcp format=time caps=application/x-rtcp "
      "! %1$s_enc.rtcp_sink_0 "
      "appsrc name=%1$s_data format=time caps=application/x-data "
      "! %1$s_enc.data_sink "
      "%1$s_enc. ! appsink name=%1$s_out sync=false async=false "
      "appsrc name=%1$s_in format=time caps=\"application/x-srtp,"
      MEDIA_CAPS "\" ! %3$s name=%1$s_dec connection-id=%1$s-conn%7$d %6$s "
      "%1$s_dec.rtp_src ! appsink name=%1$s_rtpout sync=false async=false "
      "%1$s_dec.rtcp_src ! appsink name=%1$s_rtcpout sync=false async=false "
      "%1$s_dec.data_src ! appsink name=%1$s_dataout sync=false async=false",
      name, enc_factory, dec_factory, is_client, extra ? extra : "",
      extra ? extra : "", g_atomic_int_add (&calls, 1));
  s->pipeline = gst_parse_launch (desc, &err);
  fail_unless (s->pipeline != NULL, "%s: %s", desc, err ? err->message : "");
  g_free (desc);

  s->enc = by_name (s, "enc");
  s->dec = by_name (s, "dec");
  s->rtp_in = GST_APP_SRC (by_name (s, "rtp"));
  s->rtcp_in = GST_APP_SRC (by_name (s, "rtcp"));
  s->data_in = GST_APP_SRC (by_name (s, "data"));
  s->net_in = GST_APP_SRC (by_name (s, "in"));
  connect_sink (s, "out", on_net_out, s);
  connect_sink (s, "rtpout", on_received, &s->rtp_recv);
  connect_sink (s, "rtcpout", on_received, &s->rtcp_recv);
  connect_sink (s, "dataout", on_data_received, s);
  g_signal_connect (s->enc, "on-key-set", G_CALLBACK (on_key_set), s);
}

static void
side_clear (Side * s)
{
  gst_element_set_state (s->pipeline, GST_STATE_NULL);
  gst_object_unref (s->enc);
  gst_object_unref (s->dec);
  gst_object_unref (s->rtp_in);
  gst_object_unref (s->rtcp_in);
  gst_object_unref (s->data_in);
  gst_object_unref (s->net_in);
  gst_object_unref (s->pipeline);
  gst_clear_buffer (&s->link.held);
  g_rand_free (s->link.rand);
  g_string_free (s->data_seen, TRUE);
  g_mutex_clear (&s->data_lock);
  g_mutex_clear (&s->link.lock);
}

/* Both sides stop before either is freed: each one's network pushes into
 * the other's appsrc. */
static void
call_clear (Side * a, Side * b)
{
  gst_element_set_state (a->pipeline, GST_STATE_NULL);
  gst_element_set_state (b->pipeline, GST_STATE_NULL);
  side_clear (a);
  side_clear (b);
}

static gboolean
wait_for (gint * counter, gint value, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_atomic_int_get (counter) < value) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (2000);
  }
  return TRUE;
}

static void
check_no_error (Side * s)
{
  GstBus *bus = gst_element_get_bus (s->pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (msg) {
    GError *err;
    gchar *dbg;

    gst_message_parse_error (msg, &err, &dbg);
    fail ("%s: error %s (%s)", s->name, err->message, dbg);
  }
  gst_object_unref (bus);
}

static void
start_call (Side * a, Side * b)
{
  a->peer = b;
  b->peer = a;
  fail_unless (gst_element_set_state (b->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_set_state (a->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
}

static guint64
srtpdec_drops (Side * s)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (s->dec));
  GValue v = G_VALUE_INIT;
  guint64 drops = G_MAXUINT64;

  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&v);
    GstElementFactory *f = gst_element_get_factory (e);

    if (f && g_str_equal (GST_OBJECT_NAME (f),
            GST_GNUTLS_NAME_PREFIX "srtpdec")) {
      GstStructure *st;

      g_object_get (e, "stats", &st, NULL);
      gst_structure_get_uint64 (st, "drops", &drops);
      gst_structure_free (st);
    }
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  return drops;
}

/* The child of @bin made by @factory (one of ours) */
static GstElement *
child_of (GstElement * bin, const gchar * factory)
{
  GstIterator *it = gst_bin_iterate_elements (GST_BIN (bin));
  GValue v = G_VALUE_INIT;
  GstElement *found = NULL;
  gchar *name = g_strconcat (GST_GNUTLS_NAME_PREFIX, factory, NULL);

  while (!found && gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&v);
    GstElementFactory *f = gst_element_get_factory (e);

    if (f && g_str_equal (GST_OBJECT_NAME (f), name))
      found = gst_object_ref (e);
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  fail_unless (found != NULL, "no %s in %s", name, GST_OBJECT_NAME (bin));
  g_free (name);
  return found;
}

static gchar *
get_string (GstElement * e, const gchar * prop)
{
  gchar *value = NULL;

  g_object_get (e, prop, &value, NULL);
  return value;
}

/* Sends @n RTP, @n / 10 RTCP and @n / 10 data messages each way. */
static void
send_media (Side * s, guint32 ssrc, guint n, guint16 first_seq)
{
  guint i;

  for (i = 0; i < n; i++) {
    gst_app_src_push_buffer (s->rtp_in, make_rtp (ssrc, first_seq + i));
    if (i % 10 == 0) {
      gchar *msg = g_strdup_printf ("[%s %u]", s->name, i);

      gst_app_src_push_buffer (s->rtcp_in, make_rtcp (ssrc));
      gst_app_src_push_buffer (s->data_in,
          gst_buffer_new_wrapped (msg, strlen (msg)));
    }
  }
}

GST_START_TEST (test_call_ours)
{
  Side a, b;
  const guint n = 300;
  gchar *fa = NULL, *fb = NULL, *pa = NULL;
  gint state = 0;

  side_init (&a, "a", OURS_ENC, OURS_DEC, TRUE, NULL);
  side_init (&b, "b", OURS_ENC, OURS_DEC, FALSE, NULL);

  /* Application data sent before the handshake is queued, not lost. */
  gst_app_src_push_buffer (a.data_in,
      gst_buffer_new_wrapped (g_strdup ("early"), 5));
  start_call (&a, &b);
  fail_unless (wait_for (&a.key_set, 1, 5000), "a: no key");
  fail_unless (wait_for (&b.key_set, 1, 5000), "b: no key");
  fail_unless (wait_for (&b.data_recv, 1, 5000), "early data lost");

  g_object_get (a.enc, "connection-state", &state, NULL);
  fail_unless_equals_int (state, 4);
  g_object_get (b.dec, "connection-state", &state, NULL);
  fail_unless_equals_int (state, 4);

  send_media (&a, 0xaaaa0001, n, 1);
  send_media (&b, 0xbbbb0001, n, 1);
  fail_unless (wait_for (&b.rtp_recv, n, 5000), "b got %d RTP of %u",
      b.rtp_recv, n);
  fail_unless (wait_for (&a.rtp_recv, n, 5000), "a got %d RTP of %u",
      a.rtp_recv, n);
  fail_unless (wait_for (&b.rtcp_recv, n / 10, 5000));
  fail_unless (wait_for (&a.rtcp_recv, n / 10, 5000));
  fail_unless (wait_for (&b.data_recv, n / 10 + 1, 5000));
  fail_unless (wait_for (&a.data_recv, n / 10, 5000));
  g_usleep (100 * 1000);

  /* Exactly what was sent, nothing dropped. */
  fail_unless_equals_int (a.rtp_recv, n);
  fail_unless_equals_int (b.rtp_recv, n);
  fail_unless_equals_int (a.rtcp_recv, n / 10);
  fail_unless_equals_int (b.rtcp_recv, n / 10);
  fail_unless_equals_int (srtpdec_drops (&a), 0);
  fail_unless_equals_int (srtpdec_drops (&b), 0);
  fail_unless (g_str_has_prefix (b.data_seen->str, "early[a 0][a 10]"),
      "data: %s", b.data_seen->str);

  /* Each side sees the other's certificate. */
  g_object_get (a.dec, "fingerprint", &fa, NULL);
  g_object_get (b.dec, "fingerprint", &fb, NULL);
  g_object_get (b.dec, "peer-pem", &pa, NULL);
  fail_unless (fa && g_str_has_prefix (fa, "sha-256 "));
  fail_unless (fb && g_str_has_prefix (fb, "sha-256 "));
  fail_unless (pa && strstr (pa, "BEGIN CERTIFICATE"));
  g_free (fa);
  g_free (fb);
  g_free (pa);

  check_no_error (&a);
  check_no_error (&b);
  call_clear (&a, &b);
}

GST_END_TEST;

/* 10% loss and some reordering both ways, handshake included: the call
 * gets going (retransmissions) and media keeps flowing. */
GST_START_TEST (test_call_lossy)
{
  Side a, b;
  const guint n = 400;
  const gchar *fast = "retransmit-timeout=50 handshake-timeout=10000";

  side_init (&a, "a", OURS_ENC, OURS_DEC, TRUE, fast);
  side_init (&b, "b", OURS_ENC, OURS_DEC, FALSE, fast);
  a.link.loss = b.link.loss = 0.10;
  a.link.reorder = b.link.reorder = 0.05;
  start_call (&a, &b);
  fail_unless (wait_for (&a.key_set, 1, 10000), "a: no key");
  fail_unless (wait_for (&b.key_set, 1, 10000), "b: no key");

  send_media (&a, 0xaaaa0002, n, 100);
  send_media (&b, 0xbbbb0002, n, 100);
  /* About 90% arrive; require well over half. */
  fail_unless (wait_for (&b.rtp_recv, n / 2, 5000), "b got %d of %u",
      b.rtp_recv, n);
  fail_unless (wait_for (&a.rtp_recv, n / 2, 5000), "a got %d of %u",
      a.rtp_recv, n);
  g_usleep (100 * 1000);
  fail_unless (a.link.dropped > 0 && b.link.dropped > 0);
  /* Lost packets are just missing: nothing arrived that failed to decrypt
   * or was taken for a replay. */
  fail_unless_equals_int (srtpdec_drops (&a), 0);
  fail_unless_equals_int (srtpdec_drops (&b), 0);
  check_no_error (&a);
  check_no_error (&b);
  call_clear (&a, &b);
}

GST_END_TEST;

/* NULL -> PLAYING again: a fresh handshake, new keys, media flows. */
GST_START_TEST (test_restart)
{
  Side a, b;
  guint round;

  side_init (&a, "a", OURS_ENC, OURS_DEC, TRUE, NULL);
  side_init (&b, "b", OURS_ENC, OURS_DEC, FALSE, NULL);
  for (round = 0; round < 2; round++) {
    g_atomic_int_set (&a.key_set, 0);
    g_atomic_int_set (&b.key_set, 0);
    g_atomic_int_set (&b.rtp_recv, 0);
    start_call (&a, &b);
    fail_unless (wait_for (&a.key_set, 1, 5000), "round %u: no key", round);
    fail_unless (wait_for (&b.key_set, 1, 5000), "round %u: no key", round);
    send_media (&a, 0xaaaa0003, 50, 1);
    fail_unless (wait_for (&b.rtp_recv, 50, 5000), "round %u: %d of 50",
        round, b.rtp_recv);
    check_no_error (&a);
    check_no_error (&b);
    gst_element_set_state (a.pipeline, GST_STATE_NULL);
    gst_element_set_state (b.pipeline, GST_STATE_NULL);
  }
  call_clear (&a, &b);
}

GST_END_TEST;

static void
check_side_profile (Side * s, const gchar * expected)
{
  GstElement *bins[2] = { s->enc, s->dec };
  guint i;

  for (i = 0; i < 2; i++) {
    GstStructure *stats = NULL;
    gchar *profile = get_string (bins[i], "srtp-profile");

    fail_unless_equals_string (profile, expected);
    g_object_get (bins[i], "stats", &stats, NULL);
    fail_unless_equals_string (gst_structure_get_string (stats,
            "srtp-profile"), expected);
    gst_structure_free (stats);
    g_free (profile);
  }
}

static void
require_reference (void)
{
  GstElementFactory *f = gst_element_factory_find ("dtlssrtpenc");
  const gchar *plugin;

  fail_unless (f != NULL, "The reference dtlssrtpenc is missing: install it "
      "with 'apt-get install gstreamer1.0-plugins-bad'");
  plugin = gst_plugin_feature_get_plugin_name (GST_PLUGIN_FEATURE (f));
  fail_unless (g_strcmp0 (plugin, "dtls") == 0, "dtlssrtpenc comes from %s, "
      "not gst-plugins-bad (build with standard-names=false)", plugin);
  gst_object_unref (f);
}

/* Our bins against Debian's dtlssrtpenc/dtlssrtpdec, ours as client
 * (__i__ == 0) and as server (__i__ == 1). */
GST_START_TEST (test_call_reference)
{
  Side ours, ref;
  gboolean ours_client = __i__ == 0;
  const guint n = 100;

  require_reference ();
  side_init (&ours, "o", OURS_ENC, OURS_DEC, ours_client, NULL);
  side_init (&ref, "r", "dtlssrtpenc", "dtlssrtpdec", !ours_client, NULL);
  start_call (&ours, &ref);
  fail_unless (wait_for (&ours.key_set, 1, 10000), "ours: no key");
  fail_unless (wait_for (&ref.key_set, 1, 10000), "reference: no key");
  /* the reference knows only CM_80, whatever we prefer */
  check_side_profile (&ours, "SRTP_AES128_CM_HMAC_SHA1_80");

  send_media (&ours, 0x0123, n, 1);
  send_media (&ref, 0x4567, n, 1);
  fail_unless (wait_for (&ref.rtp_recv, n, 5000), "reference got %d of %u",
      ref.rtp_recv, n);
  fail_unless (wait_for (&ours.rtp_recv, n, 5000), "ours got %d of %u",
      ours.rtp_recv, n);
  fail_unless (wait_for (&ref.data_recv, n / 10, 5000));
  fail_unless (wait_for (&ours.data_recv, n / 10, 5000));
  check_no_error (&ours);
  check_no_error (&ref);
  call_clear (&ours, &ref);
}

GST_END_TEST;

/* A call with each use_srtp profile. The client lists only that one, the
 * server others first: both bins of both sides report it (srtp-profile, and
 * srtp-profile in stats), the SRTP encoder was keyed with the key the
 * peer's decoder has, the packets on the wire carry the profile's tag, and
 * all the media arrives. The AEAD profiles need GnuTLS 3.8.0: built against
 * an older one, the call must fail at once, saying so. */
typedef struct
{
  const gchar *name;
  const gchar *srtp_cipher, *srtp_auth, *srtcp_auth;
  guint tag_len;                /* bytes after the RTP packet on the wire */
  gboolean aead, clear;
} CallProfile;

static const CallProfile call_profiles[] = {
  {"SRTP_AES128_CM_HMAC_SHA1_80", "aes-128-icm", "hmac-sha1-80",
      "hmac-sha1-80", 10, FALSE, FALSE},
  {"SRTP_AES128_CM_HMAC_SHA1_32", "aes-128-icm", "hmac-sha1-32",
      "hmac-sha1-80", 4, FALSE, FALSE},
  {"SRTP_NULL_HMAC_SHA1_80", "null", "hmac-sha1-80", "hmac-sha1-80", 10,
      FALSE, TRUE},
  {"SRTP_NULL_HMAC_SHA1_32", "null", "hmac-sha1-32", "hmac-sha1-80", 4,
      FALSE, TRUE},
  {"SRTP_AEAD_AES_128_GCM", "aes-128-gcm", "null", "null", 16, TRUE, FALSE},
  {"SRTP_AEAD_AES_256_GCM", "aes-256-gcm", "null", "null", 16, TRUE, FALSE},
};

/* @from's SRTP encoder has the key @to's DTLS decoder exported for the
 * peer's packets, with the profile's ciphers */
static void
check_keying (Side * from, Side * to, const CallProfile * cp)
{
  GstElement *srtpenc = child_of (from->enc, "srtpenc");
  GstElement *dtlsdec = child_of (to->dec, "dtlsdec");
  GstCaps *params = NULL;
  GstBuffer *peer_key = NULL;
  const GstStructure *s;
  const GValue *key;
  GstMapInfo map;

  g_object_get (srtpenc, "srtp-params", &params, NULL);
  g_object_get (dtlsdec, "decoder-key", &peer_key, NULL);
  fail_unless (params != NULL && peer_key != NULL);
  s = gst_caps_get_structure (params, 0);
  fail_unless_equals_string (gst_structure_get_string (s, "srtp-cipher"),
      cp->srtp_cipher);
  fail_unless_equals_string (gst_structure_get_string (s, "srtcp-cipher"),
      cp->srtp_cipher);
  fail_unless_equals_string (gst_structure_get_string (s, "srtp-auth"),
      cp->srtp_auth);
  fail_unless_equals_string (gst_structure_get_string (s, "srtcp-auth"),
      cp->srtcp_auth);
  key = gst_structure_get_value (s, "srtp-key");
  fail_unless (key != NULL);
  gst_buffer_map (peer_key, &map, GST_MAP_READ);
  fail_unless_equals_int (gst_buffer_get_size (gst_value_get_buffer (key)),
      map.size);
  fail_unless (gst_buffer_memcmp (gst_value_get_buffer (key), 0, map.data,
          map.size) == 0, "%s: keys differ", from->name);
  gst_buffer_unmap (peer_key, &map);
  gst_buffer_unref (peer_key);
  gst_caps_unref (params);
  gst_object_unref (srtpenc);
  gst_object_unref (dtlsdec);
}

static gchar *
pop_error (Side * s)
{
  GstBus *bus = gst_element_get_bus (s->pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND,
      GST_MESSAGE_ERROR);
  gchar *text = NULL;

  if (msg) {
    GError *err;

    gst_message_parse_error (msg, &err, NULL);
    text = g_strdup (err->message);
    g_error_free (err);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return text;
}

GST_START_TEST (test_call_each_profile)
{
  const CallProfile *cp = &call_profiles[__i__];
  const guint n = 100;
  gchar *client_extra, *server_extra;
  Side a, b;

  client_extra = g_strdup_printf ("srtp-profiles=%s", cp->name);
  server_extra = g_strdup_printf ("srtp-profiles=%s:%s",
      cp->aead ? "SRTP_AES128_CM_HMAC_SHA1_32" : "SRTP_AEAD_AES_128_GCM",
      cp->name);
  if (cp->aead && !HAVE_SRTP_AEAD_OVER_DTLS) {
    gchar *msg;

    g_print ("%s over DTLS needs GnuTLS >= 3.8.0, built against %s: "
        "checking that asking for it is refused instead\n", cp->name,
        GST_GNUTLS_BUILD_GNUTLS_VERSION);
    side_init (&a, "a", OURS_ENC, OURS_DEC, TRUE, client_extra);
    side_init (&b, "b", OURS_ENC, OURS_DEC, FALSE, NULL);
    start_call (&a, &b);
    msg = pop_error (&a);
    fail_unless (msg && strstr (msg, cp->name) && strstr (msg,
            "GnuTLS 3.8.0"), "error: %s", msg);
    g_free (msg);
    fail_if (g_atomic_int_get (&a.key_set));
    call_clear (&a, &b);
    g_free (client_extra);
    g_free (server_extra);
    return;
  }
#if !HAVE_SRTP_AEAD_OVER_DTLS
  /* the server cannot list GCM first here */
  g_free (server_extra);
  server_extra = g_strdup_printf ("srtp-profiles=%s%s",
      g_str_equal (cp->name, "SRTP_AES128_CM_HMAC_SHA1_32") ? "" :
      "SRTP_AES128_CM_HMAC_SHA1_32:", cp->name);
#endif

  side_init (&a, "a", OURS_ENC, OURS_DEC, TRUE, client_extra);
  side_init (&b, "b", OURS_ENC, OURS_DEC, FALSE, server_extra);
  start_call (&a, &b);
  fail_unless (wait_for (&a.key_set, 1, 5000), "a: no key");
  fail_unless (wait_for (&b.key_set, 1, 5000), "b: no key");
  check_side_profile (&a, cp->name);
  check_side_profile (&b, cp->name);
  check_keying (&a, &b, cp);
  check_keying (&b, &a, cp);

  send_media (&a, 0xaaaa0004, n, 1);
  send_media (&b, 0xbbbb0004, n, 1);
  fail_unless (wait_for (&b.rtp_recv, n, 5000), "b got %d RTP of %u",
      b.rtp_recv, n);
  fail_unless (wait_for (&a.rtp_recv, n, 5000), "a got %d RTP of %u",
      a.rtp_recv, n);
  fail_unless (wait_for (&b.rtcp_recv, n / 10, 5000));
  fail_unless (wait_for (&a.rtcp_recv, n / 10, 5000));
  fail_unless_equals_int (srtpdec_drops (&a), 0);
  fail_unless_equals_int (srtpdec_drops (&b), 0);
  /* the profile's protection, as seen on the wire */
  fail_unless_equals_int (g_atomic_int_get (&a.srtp_size),
      12 + 160 + cp->tag_len);
  fail_unless_equals_int (g_atomic_int_get (&b.srtp_size),
      12 + 160 + cp->tag_len);
  fail_unless_equals_int (g_atomic_int_get (&a.srtp_clear), cp->clear);
  check_no_error (&a);
  check_no_error (&b);
  call_clear (&a, &b);
  g_free (client_extra);
  g_free (server_extra);
}

GST_END_TEST;

/* The decoder bin's input sorts datagrams by first byte (RFC 7983): SRTP
 * to the SRTP decoder (which drops it before the keys exist), a DTLS record
 * to the DTLS decoder, and STUN, ZRTP, TURN channel data and unknown bytes
 * nowhere, counted in the bin's stats. */
static GstBuffer *
datagram (guint8 first, gsize size)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, size, NULL);

  gst_buffer_memset (b, 0, 0, size);
  gst_buffer_memset (b, 0, first, 1);
  return b;
}

static GstPadProbeReturn
count_records (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  gint n = 1;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    n = gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  g_atomic_int_add ((gint *) user_data, n);
  return GST_PAD_PROBE_OK;
}

/* Counts in *@n the buffers that reach the DTLS decoder inside @bin */
static void
probe_dtls_input (GstElement * bin, gint * n)
{
  GstIterator *it = gst_bin_iterate_elements (GST_BIN (bin));
  GValue v = G_VALUE_INIT;
  guint found = 0;

  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&v);
    GstElementFactory *f = gst_element_get_factory (e);

    if (f && g_str_has_suffix (GST_OBJECT_NAME (f), "dtlsdec") &&
        !g_str_has_suffix (GST_OBJECT_NAME (f), "srtpdec")) {
      GstPad *pad = gst_element_get_static_pad (e, "sink");

      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
          GST_PAD_PROBE_TYPE_BUFFER_LIST, count_records, n, NULL);
      gst_object_unref (pad);
      found++;
    }
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  fail_unless_equals_int (found, 1);
}

/* Each kind, and an empty datagram, singly and all in one list (whose
 * media the SRTP decoder tells apart from the rest while it decrypts) */
GST_START_TEST (test_decoder_input_kinds)
{
  const guint8 other[] = { 0x00, 0x03, 0x10, 0x13, 0x40, 0x4f, 0x50, 0x7f,
    0xc0, 0xff
  };
  guint lists;

  for (lists = 0; lists < 2; lists++) {
    GstElement *dec = gst_element_factory_make (OURS_DEC, NULL);
    GstBufferList *list = gst_buffer_list_new ();
    GstStructure *stats = NULL;
    guint64 dropped = 0, no_key = 0;
    gint records = 0;
    GstHarness *h;
    guint i;

    g_object_set (dec, "connection-id", lists ? "input-kinds-list" :
        "input-kinds", NULL);
    h = gst_harness_new_with_element (dec, "sink", "rtp_src");
    probe_dtls_input (dec, &records);
    gst_harness_set_src_caps_str (h, "application/x-srtp," MEDIA_CAPS);
    for (i = 0; i < G_N_ELEMENTS (other); i++)
      gst_buffer_list_add (list, datagram (other[i], 40));
    gst_buffer_list_add (list, gst_buffer_new ());
    /* an RTP packet before any key, and a (garbage) DTLS record */
    gst_buffer_list_insert (list, 3, make_rtp (0x1234, 1));
    gst_buffer_list_insert (list, 5, datagram (22, 40));
    if (lists) {
      fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
    } else {
      for (i = 0; i < gst_buffer_list_length (list); i++)
        fail_unless_equals_int (gst_harness_push (h,
                gst_buffer_ref (gst_buffer_list_get (list, i))), GST_FLOW_OK);
      gst_buffer_list_unref (list);
    }
    fail_unless (gst_harness_try_pull (h) == NULL);

    g_object_get (dec, "stats", &stats, NULL);
    fail_unless (gst_structure_get_uint64 (stats, "not-dtls-or-srtp-dropped",
            &dropped));
    fail_unless (gst_structure_get_uint64 (stats, "drop-no-key", &no_key));
    fail_unless_equals_int (dropped, G_N_ELEMENTS (other) + 1);
    fail_unless_equals_int (no_key, 1);
    fail_unless_equals_int (g_atomic_int_get (&records), 1);
    gst_structure_free (stats);
    gst_harness_teardown (h);
    gst_object_unref (dec);
  }
}

GST_END_TEST;

/* Manual keying (the key property) leaves DTLS out. */
GST_START_TEST (test_manual_key)
{
  Side a, b;
  const gchar *key =
      "key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d";

  side_init (&a, "a", OURS_ENC, OURS_DEC, TRUE, key);
  side_init (&b, "b", OURS_ENC, OURS_DEC, FALSE, key);
  start_call (&a, &b);
  fail_unless (wait_for (&a.key_set, 1, 2000));
  send_media (&a, 0xabcd, 50, 1);
  fail_unless (wait_for (&b.rtp_recv, 50, 5000), "b got %d of 50", b.rtp_recv);
  fail_unless_equals_int (srtpdec_drops (&b), 0);
  call_clear (&a, &b);
}

GST_END_TEST;

/* The encoder bin linked straight to the decoder bin, manual keys, with
 * our own pads on either end: a packet goes from our src pad to our sink
 * pad in one call, without crossing the SRTP elements' pads (the bins call
 * their chain functions directly), while events still take those pads. */
typedef struct
{
  GstElement *pipeline, *enc, *dec;
  GstPad *src, *sink;           /* ours: into rtp_sink_0, out of rtp_src */
  GstFlowReturn sink_ret;       /* what our sink pad answers */
  gint received, intact;
  gint inner_buffers, inner_caps;       /* seen on the children's pads */
} Direct;

static GstFlowReturn
direct_sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  Direct *d = gst_pad_get_element_private (pad);
  GstBuffer *want = make_rtp (0x1234, d->received);
  GstMapInfo a, b;

  gst_buffer_map (buf, &a, GST_MAP_READ);
  gst_buffer_map (want, &b, GST_MAP_READ);
  if (a.size == b.size && memcmp (a.data, b.data, a.size) == 0)
    d->intact++;
  gst_buffer_unmap (want, &b);
  gst_buffer_unmap (buf, &a);
  gst_buffer_unref (want);
  gst_buffer_unref (buf);
  d->received++;
  return d->sink_ret;
}

static GstPadProbeReturn
count_inner (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Direct *d = user_data;

  if (info->type & (GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST))
    g_atomic_int_inc (&d->inner_buffers);
  else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_CAPS)
    g_atomic_int_inc (&d->inner_caps);
  return GST_PAD_PROBE_OK;
}

/* Probes on every pad of the SRTP elements inside @bin */
static void
probe_children (Direct * d, GstElement * bin)
{
  GstIterator *it = gst_bin_iterate_elements (GST_BIN (bin));
  GValue v = G_VALUE_INIT;

  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&v);
    GstElementFactory *f = gst_element_get_factory (e);
    GList *l;

    if (f && g_str_has_suffix (GST_OBJECT_NAME (f), "srtpenc") &&
        !g_str_has_suffix (GST_OBJECT_NAME (f), "dtlssrtpenc"))
      for (l = e->pads; l; l = l->next)
        gst_pad_add_probe (l->data, GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM,
            count_inner, d, NULL);
    if (f && g_str_has_suffix (GST_OBJECT_NAME (f), "srtpdec") &&
        !g_str_has_suffix (GST_OBJECT_NAME (f), "dtlssrtpdec"))
      for (l = e->pads; l; l = l->next)
        gst_pad_add_probe (l->data, GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM,
            count_inner, d, NULL);
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
}

static void
direct_setup (Direct * d, gboolean rtp_sync)
{
  const gchar *key =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d";
  GstBuffer *kb = gst_buffer_new_allocate (NULL, 30, NULL);
  GstPad *pad;
  GstSegment seg;
  GstCaps *caps;
  guint i;

  memset (d, 0, sizeof (*d));
  for (i = 0; i < 30; i++)
    gst_buffer_memset (kb, i, g_ascii_xdigit_value (key[2 * i]) * 16 +
        g_ascii_xdigit_value (key[2 * i + 1]), 1);
  d->pipeline = gst_pipeline_new (NULL);
  d->enc = gst_element_factory_make (OURS_ENC, NULL);
  d->dec = gst_element_factory_make (OURS_DEC, NULL);
  fail_unless (d->enc && d->dec);
  g_object_set (d->enc, "key", kb, "rtp-sync", rtp_sync, NULL);
  g_object_set (d->dec, "key", kb, NULL);
  gst_buffer_unref (kb);
  gst_bin_add_many (GST_BIN (d->pipeline), d->enc, d->dec, NULL);
  fail_unless (gst_element_link (d->enc, d->dec));

  d->src = gst_pad_new ("src", GST_PAD_SRC);
  d->sink = gst_pad_new ("sink", GST_PAD_SINK);
  d->sink_ret = GST_FLOW_OK;
  gst_pad_set_element_private (d->sink, d);
  gst_pad_set_chain_function (d->sink, direct_sink_chain);
  pad = gst_element_request_pad_simple (d->enc, "rtp_sink_%d");
  fail_unless_equals_int (gst_pad_link (d->src, pad), GST_PAD_LINK_OK);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (d->dec, "rtp_src");
  fail_unless_equals_int (gst_pad_link (pad, d->sink), GST_PAD_LINK_OK);
  gst_object_unref (pad);
  probe_children (d, d->enc);
  probe_children (d, d->dec);

  gst_pad_set_active (d->src, TRUE);
  gst_pad_set_active (d->sink, TRUE);
  fail_unless (gst_element_set_state (d->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_pad_push_event (d->src,
          gst_event_new_stream_start ("direct")));
  caps = gst_caps_from_string ("application/x-rtp, ssrc=(uint)4660, "
      MEDIA_CAPS);
  fail_unless (gst_pad_push_event (d->src, gst_event_new_caps (caps)));
  gst_caps_unref (caps);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  fail_unless (gst_pad_push_event (d->src, gst_event_new_segment (&seg)));
}

static void
direct_clear (Direct * d)
{
  gst_element_set_state (d->pipeline, GST_STATE_NULL);
  gst_pad_set_active (d->src, FALSE);
  gst_pad_set_active (d->sink, FALSE);
  gst_object_unref (d->src);
  gst_object_unref (d->sink);
  gst_object_unref (d->pipeline);
}

GST_START_TEST (test_direct_path)
{
  GstBufferList *list;
  GstCaps *caps;
  Direct d;
  guint i;

  direct_setup (&d, FALSE);
  for (i = 0; i < 20; i++)
    fail_unless_equals_int (gst_pad_push (d.src, make_rtp (0x1234, i)),
        GST_FLOW_OK);
  list = gst_buffer_list_new ();
  for (; i < 52; i++)
    gst_buffer_list_add (list, make_rtp (0x1234, i));
  fail_unless_equals_int (gst_pad_push_list (d.src, list), GST_FLOW_OK);

  /* every packet through, in the same call, decrypted as it was sent */
  fail_unless_equals_int (d.received, 52);
  fail_unless_equals_int (d.intact, 52);
  /* none crossed the SRTP elements' pads; the caps did, and came out */
  fail_unless_equals_int (g_atomic_int_get (&d.inner_buffers), 0);
  fail_unless (g_atomic_int_get (&d.inner_caps) >= 4, "caps seen %d times",
      g_atomic_int_get (&d.inner_caps));
  caps = gst_pad_get_current_caps (d.sink);
  fail_unless (caps != NULL);
  fail_unless (gst_structure_has_name (gst_caps_get_structure (caps, 0),
          "application/x-rtp"));
  gst_caps_unref (caps);

  /* flow returns travel back from the decoder bin's rtp_src to the
   * encoder bin's rtp_sink_0, for single buffers and lists */
  d.sink_ret = GST_FLOW_ERROR;
  fail_unless_equals_int (gst_pad_push (d.src, make_rtp (0x1234, i++)),
      GST_FLOW_ERROR);
  /* (EOS would come back as OK: the decoder bin's input carries DTLS as
   * well, which has not ended, as a demuxer's would) */
  d.sink_ret = GST_FLOW_FLUSHING;
  list = gst_buffer_list_new ();
  gst_buffer_list_add (list, make_rtp (0x1234, i++));
  fail_unless_equals_int (gst_pad_push_list (d.src, list), GST_FLOW_FLUSHING);
  d.sink_ret = GST_FLOW_OK;

  /* a flush reaches the far end and refuses data until it stops */
  fail_unless (gst_pad_push_event (d.src, gst_event_new_flush_start ()));
  fail_unless (GST_PAD_IS_FLUSHING (d.sink));
  fail_unless_equals_int (gst_pad_push (d.src, make_rtp (0x1234, i)),
      GST_FLOW_FLUSHING);
  fail_unless (gst_pad_push_event (d.src, gst_event_new_flush_stop (TRUE)));
  fail_unless_equals_int (d.received, 54);
  direct_clear (&d);
}

GST_END_TEST;

/* With rtp-sync, a clocksync sits between the SRTP encoder and the
 * output: the packets take the pads there, and still arrive. */
GST_START_TEST (test_direct_path_rtp_sync)
{
  Direct d;
  guint i;

  direct_setup (&d, TRUE);
  for (i = 0; i < 10; i++) {
    GstBuffer *b = make_rtp (0x1234, i);

    GST_BUFFER_PTS (b) = 0;
    fail_unless_equals_int (gst_pad_push (d.src, b), GST_FLOW_OK);
  }
  fail_unless_equals_int (d.intact, 10);
  fail_unless (g_atomic_int_get (&d.inner_buffers) >= 10);
  direct_clear (&d);
}

GST_END_TEST;

/* Packets pushed from another thread while the application tears the path
 * down: the bins stop the direct calls at their own pads first, so a push
 * either goes all the way through or is refused, never reaches an SRTP
 * element that stopped or a pad that went. */
typedef struct
{
  Direct *d;
  volatile gint stop;
  gint pushed;
  GstFlowReturn last;
} Pusher;

static gpointer
push_until_refused (gpointer data)
{
  Pusher *p = data;
  guint16 seq = 0;

  while (!g_atomic_int_get (&p->stop)) {
    p->last = gst_pad_push (p->d->src, make_rtp (0x1234, seq++));
    if (p->last != GST_FLOW_OK)
      break;
    p->pushed++;
  }
  return NULL;
}

static void
teardown_while_pushing (gboolean release_pad)
{
  Pusher p = { NULL, 0, 0, GST_FLOW_OK };
  GThread *thread;
  Direct d;

  direct_setup (&d, FALSE);
  p.d = &d;
  thread = g_thread_new ("pusher", push_until_refused, &p);
  while (g_atomic_int_get (&d.received) < 200)
    g_usleep (1000);
  if (release_pad) {
    GstPad *pad = gst_pad_get_peer (d.src);

    gst_element_release_request_pad (d.enc, pad);
    gst_object_unref (pad);
  } else {
    gst_element_set_state (d.pipeline, GST_STATE_READY);
  }
  g_thread_join (thread);
  /* refused (the pad went, or stopped), not failed */
  fail_unless (p.last == GST_FLOW_FLUSHING || p.last == GST_FLOW_NOT_LINKED,
      "last push: %s", gst_flow_get_name (p.last));
  fail_unless (d.received >= 200 && d.received <= p.pushed + 1,
      "%d received of %d pushed", d.received, p.pushed);
  fail_unless_equals_int (d.intact, d.received);
  direct_clear (&d);
}

GST_START_TEST (test_direct_path_stop_while_pushing)
{
  teardown_while_pushing (FALSE);
}

GST_END_TEST;

GST_START_TEST (test_direct_path_release_while_pushing)
{
  teardown_while_pushing (TRUE);
}

GST_END_TEST;

static Suite *
dtlssrtp_suite (void)
{
  Suite *s = suite_create ("gnutlsdtlssrtp");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_call_ours);
  tcase_add_test (tc, test_call_lossy);
  tcase_add_test (tc, test_restart);
  tcase_add_loop_test (tc, test_call_reference, 0, 2);
  tcase_add_loop_test (tc, test_call_each_profile, 0,
      G_N_ELEMENTS (call_profiles));
  tcase_add_test (tc, test_manual_key);
  tcase_add_test (tc, test_decoder_input_kinds);
  tcase_add_test (tc, test_direct_path);
  tcase_add_test (tc, test_direct_path_rtp_sync);
  tcase_add_test (tc, test_direct_path_stop_while_pushing);
  tcase_add_test (tc, test_direct_path_release_while_pushing);
  return s;
}

GST_CHECK_MAIN (dtlssrtp);
