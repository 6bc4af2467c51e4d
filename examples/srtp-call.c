/* srtp-call: two endpoints on 127.0.0.1 exchange SRTP-protected audio over
 * UDP in both directions with gnutlssrtpenc/gnutlssrtpdec, each direction
 * under its own random key, then print what each side sent and received.
 *
 *   srtp-call [seconds]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <stdlib.h>

#define SSRC_A 0xa0a0a0a0u
#define SSRC_B 0xb0b0b0b0u

typedef struct
{
  const gchar *name;
  GstElement *pipeline, *enc, *dec;
} Endpoint;

static gchar *
random_key_hex (void)
{
  GString *s = g_string_new (NULL);
  guint i;

  /* 30 bytes: AES-128 master key (16) + salt (14). */
  for (i = 0; i < 30; i++)
    g_string_append_printf (s, "%02x", g_random_int_range (0, 256));
  return g_string_free (s, FALSE);
}

/* Sends to @send_port with @send_key, listens on @recv_port for packets
 * protected with @recv_key. */
static gboolean
endpoint_init (Endpoint * ep, const gchar * name, guint32 ssrc, guint freq,
    guint send_port, const gchar * send_key, guint recv_port,
    const gchar * recv_key, GError ** error)
{
  gchar *desc =
      g_strdup_printf
      ("audiotestsrc is-live=true samplesperbuffer=160 freq=%u ! audio/x-raw,rate=8000,channels=1 "
      "! alawenc ! rtppcmapay ! application/x-rtp,ssrc=(uint)%u "
      "! gnutlssrtpenc name=enc key=%s "
      "! udpsink host=127.0.0.1 port=%u sync=false async=false "
      "udpsrc port=%u caps=\"application/x-srtp,media=audio,clock-rate=8000,"
      "encoding-name=PCMA,payload=8,srtp-key=(buffer)%s,"
      "srtp-cipher=aes-128-icm,srtp-auth=hmac-sha1-80,"
      "srtcp-cipher=aes-128-icm,srtcp-auth=hmac-sha1-80\" "
      "! gnutlssrtpdec name=dec ! rtppcmadepay ! alawdec ! fakesink",
      freq, ssrc, send_key, send_port, recv_port, recv_key);

  ep->name = name;
  ep->pipeline = gst_parse_launch (desc, error);
  g_free (desc);
  if (ep->pipeline == NULL)
    return FALSE;
  ep->enc = gst_bin_get_by_name (GST_BIN (ep->pipeline), "enc");
  ep->dec = gst_bin_get_by_name (GST_BIN (ep->pipeline), "dec");
  return TRUE;
}

static guint64
stat (GstElement * e, const gchar * field)
{
  GstStructure *s;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  gst_structure_get_uint64 (s, field, &v);
  gst_structure_free (s);
  return v;
}

static gboolean
bus_error (Endpoint * ep)
{
  GstBus *bus = gst_element_get_bus (ep->pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gboolean failed = msg != NULL;

  if (msg) {
    GError *err;
    gchar *dbg;

    gst_message_parse_error (msg, &err, &dbg);
    g_printerr ("%s: error: %s\n  (%s)\n", ep->name, err->message, dbg);
    g_error_free (err);
    g_free (dbg);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return failed;
}

int
main (int argc, char **argv)
{
  guint seconds = argc > 1 ? (guint) atoi (argv[1]) : 3;
  gchar *key_ab = random_key_hex (), *key_ba = random_key_hex ();
  Endpoint a = { 0 }, b = { 0 };
  GError *error = NULL;
  guint64 a_sent, b_recv, b_sent, a_recv;
  gboolean ok;

  gst_init (&argc, &argv);

  if (!endpoint_init (&a, "A", SSRC_A, 440, 50004, key_ab, 50006, key_ba,
          &error) ||
      !endpoint_init (&b, "B", SSRC_B, 660, 50006, key_ba, 50004, key_ab,
          &error)) {
    g_printerr ("Cannot build the pipelines: %s\n(is the plugin on "
        "GST_PLUGIN_PATH? try 'meson devenv -C build')\n", error->message);
    return 1;
  }

  g_print ("Two endpoints on 127.0.0.1: A sends on UDP 50004, B on 50006, "
      "AES-128-ICM + HMAC-SHA1-80, one random key per direction\n");
  gst_element_set_state (b.pipeline, GST_STATE_PLAYING);
  gst_element_set_state (a.pipeline, GST_STATE_PLAYING);
  g_usleep (seconds * G_USEC_PER_SEC);
  gst_element_set_state (a.pipeline, GST_STATE_PAUSED);
  gst_element_set_state (b.pipeline, GST_STATE_PAUSED);
  /* Let the last packets in flight land. */
  g_usleep (200 * 1000);

  a_sent = stat (a.enc, "rtp-packets");
  b_sent = stat (b.enc, "rtp-packets");
  a_recv = stat (a.dec, "rtp-packets");
  b_recv = stat (b.dec, "rtp-packets");
  g_print ("A -> B: %" G_GUINT64_FORMAT " SRTP packets sent, %"
      G_GUINT64_FORMAT " decrypted, %" G_GUINT64_FORMAT " dropped\n",
      a_sent, b_recv, stat (b.dec, "drops"));
  g_print ("B -> A: %" G_GUINT64_FORMAT " SRTP packets sent, %"
      G_GUINT64_FORMAT " decrypted, %" G_GUINT64_FORMAT " dropped\n",
      b_sent, a_recv, stat (a.dec, "drops"));

  ok = !bus_error (&a) && !bus_error (&b) && a_sent > 0 && b_sent > 0 &&
      b_recv > 0 && a_recv > 0 && stat (a.dec, "drops") == 0 &&
      stat (b.dec, "drops") == 0;
  g_print ("%s\n", ok ? "call OK" : "call FAILED");

  gst_element_set_state (a.pipeline, GST_STATE_NULL);
  gst_element_set_state (b.pipeline, GST_STATE_NULL);
  gst_object_unref (a.enc);
  gst_object_unref (a.dec);
  gst_object_unref (b.enc);
  gst_object_unref (b.dec);
  gst_object_unref (a.pipeline);
  gst_object_unref (b.pipeline);
  g_free (key_ab);
  g_free (key_ba);
  return ok ? 0 : 1;
}
