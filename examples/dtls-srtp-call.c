/* dtls-srtp-call: a DTLS-SRTP call between two endpoints on 127.0.0.1.
 *
 * Each endpoint sends PCMA audio and VP8 test video (a key frame every
 * second, and one as soon as SRTP is keyed, as media sent before the keys
 * are ready is dropped) to the other over UDP
 * through gnutlsdtlssrtpenc, and receives through gnutlsdtlssrtpdec, which
 * decrypts for real decoders. The DTLS handshake runs in-band; each side
 * knows the other's certificate fingerprint in advance (as from an SDP
 * a=fingerprint) and refuses any other certificate. The program prints the
 * handshake progress, the negotiated SRTP profile, both fingerprints and
 * packet counts, and exits 0 only if media flowed both ways with nothing
 * dropped.
 *
 *   dtls-srtp-call [seconds]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <gst/video/video.h>
#include <stdlib.h>
#include <string.h>

#define PORT_A 50010            /* where A listens */
#define PORT_B 50012            /* where B listens */

typedef struct
{
  const gchar *name;
  GstElement *pipeline, *enc, *dec;
  gint audio_frames, video_frames;
} Endpoint;

static const gchar *state_names[] = {
  "new", "closed", "failed", "connecting", "connected"
};

static void
on_state (GstElement * bin, GParamSpec * pspec, Endpoint * ep)
{
  gint state = 0;

  g_object_get (bin, "connection-state", &state, NULL);
  g_print ("  %s: DTLS %s\n", ep->name,
      state >= 0 && state <= 4 ? state_names[state] : "?");
}

static void
on_key_set (GstElement * enc, Endpoint * ep)
{
  GstElement *venc = gst_bin_get_by_name (GST_BIN (ep->pipeline), "venc");
  gchar *profile = NULL;

  g_object_get (enc, "srtp-profile", &profile, NULL);
  g_print ("  %s: SRTP keyed, profile %s\n", ep->name, profile);
  g_free (profile);

  /* Video sent before the keys was dropped, and with it, likely, the last
   * key frame: ask the encoder for one now, so that the peer can decode
   * from the first frame it gets (what a WebRTC receiver would ask for
   * with an RTCP PLI). The encoder only takes note here; it never blocks
   * this thread. */
  gst_element_send_event (venc,
      gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE,
          0));
  gst_object_unref (venc);
}

static GstPadProbeReturn
count_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer counter)
{
  g_atomic_int_inc ((gint *) counter);
  return GST_PAD_PROBE_OK;
}

/* rtpptdemux asks what each payload type is: the fixed ones we send. */
static GstCaps *
pt_map (GstElement * demux, guint pt, gpointer user_data)
{
  if (pt == 8)
    return gst_caps_from_string ("application/x-rtp, media=audio, "
        "clock-rate=8000, encoding-name=PCMA, payload=8");
  if (pt == 96)
    return gst_caps_from_string ("application/x-rtp, media=video, "
        "clock-rate=90000, encoding-name=VP8, payload=96");
  return NULL;
}

/* A new payload type appeared after decryption: depayload, decode, count
 * decoded frames.
 *
 * The sinks are async=false: a sink added to a playing pipeline would
 * otherwise make the pipeline lose its state until the sink has prerolled,
 * and a sink that has prerolled waits for PLAYING inside its chain. Both
 * branches run in the one streaming thread of udpsrc: the video sink can
 * only preroll once a VP8 key frame arrives (up to a second when the call
 * joins the video mid-GOP, as when the handshake is slow), so an audio
 * packet in between prerolled the audio sink, which then blocked that
 * thread for good, and nothing more was received from the other side. */
static void
on_pt_pad (GstElement * demux, GstPad * pad, Endpoint * ep)
{
  gboolean audio = g_str_has_suffix (GST_PAD_NAME (pad), "_8");
  GstElement *bin = gst_parse_bin_from_description (audio ?
      "rtppcmadepay ! alawdec ! fakesink sync=false async=false name=sink" :
      "rtpvp8depay ! vp8dec ! fakesink sync=false async=false name=sink",
      TRUE, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (bin), "sink");
  GstPad *sinkpad = gst_element_get_static_pad (sink, "sink");
  GstPad *binpad;

  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer,
      audio ? &ep->audio_frames : &ep->video_frames, NULL);
  gst_object_unref (sinkpad);
  gst_object_unref (sink);
  gst_bin_add (GST_BIN (ep->pipeline), bin);
  gst_element_sync_state_with_parent (bin);
  binpad = gst_element_get_static_pad (bin, "sink");
  gst_pad_link (pad, binpad);
  gst_object_unref (binpad);
}

static gboolean
endpoint_init (Endpoint * ep, const gchar * name, gboolean is_client,
    guint listen_port, guint send_port, guint ssrc_base, const gchar * extra)
{
  GError *error = NULL;
  GstElement *ptdemux;
  gchar *desc =
      g_strdup_printf
      ("gnutlsdtlssrtpenc name=enc connection-id=%s is-client=%d %s "
      "! udpsink host=127.0.0.1 port=%u sync=false async=false "
      "audiotestsrc name=asrc is-live=true samplesperbuffer=160 ! alawenc "
      "! rtppcmapay ssrc=%u ! enc.rtp_sink_0 "
      "videotestsrc name=vsrc is-live=true pattern=ball "
      "! video/x-raw,width=320,height=240,framerate=15/1 "
      "! vp8enc name=venc deadline=1 keyframe-max-dist=15 ! rtpvp8pay pt=96 ssrc=%u ! enc.rtp_sink_1 "
      "udpsrc port=%u caps=application/x-srtp "
      "! gnutlsdtlssrtpdec name=dec connection-id=%s %s "
      "! rtpptdemux name=ptdemux",
      name, is_client, extra, send_port, ssrc_base, ssrc_base + 1,
      listen_port, name, extra);

  ep->name = name;
  ep->pipeline = gst_parse_launch (desc, &error);
  g_free (desc);
  if (!ep->pipeline) {
    g_printerr ("%s: %s\n(are the plugins on GST_PLUGIN_PATH? try "
        "'meson devenv -C build')\n", name, error->message);
    g_error_free (error);
    return FALSE;
  }
  ep->enc = gst_bin_get_by_name (GST_BIN (ep->pipeline), "enc");
  ep->dec = gst_bin_get_by_name (GST_BIN (ep->pipeline), "dec");
  ptdemux = gst_bin_get_by_name (GST_BIN (ep->pipeline), "ptdemux");
  g_signal_connect (ptdemux, "request-pt-map", G_CALLBACK (pt_map), NULL);
  g_signal_connect (ptdemux, "pad-added", G_CALLBACK (on_pt_pad), ep);
  gst_object_unref (ptdemux);
  g_signal_connect (ep->enc, "notify::connection-state",
      G_CALLBACK (on_state), ep);
  g_signal_connect (ep->enc, "on-key-set", G_CALLBACK (on_key_set), ep);
  return TRUE;
}

/* A field of the bin's stats (its SRTP element's counters) */
static guint64
srtp_stat (GstElement * bin, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 value = 0;

  g_object_get (bin, "stats", &s, NULL);
  gst_structure_get_uint64 (s, field, &value);
  gst_structure_free (s);
  return value;
}

/* One drop-<reason> counter of a decoder's stats, if not zero */
static gboolean
print_drop_reason (GQuark field, const GValue * value, gpointer unused)
{
  const gchar *name = g_quark_to_string (field);

  if (g_str_has_prefix (name, "drop-") && G_VALUE_HOLDS_UINT64 (value) &&
      g_value_get_uint64 (value) > 0)
    g_print (" %s %" G_GUINT64_FORMAT, name + 5, g_value_get_uint64 (value));
  return TRUE;
}

static gboolean
report (Endpoint * from, Endpoint * to)
{
  guint64 sent = srtp_stat (from->enc, "rtp-packets");
  guint64 recv = srtp_stat (to->dec, "rtp-packets");
  guint64 drops = srtp_stat (to->dec, "drops");
  guint64 early = srtp_stat (from->enc, "drop-no-key");
  GstStructure *stats = NULL;
  gchar *profile;

  g_object_get (from->enc, "stats", &stats, NULL);
  profile = g_strdup (gst_structure_get_string (stats, "srtp-profile"));
  gst_structure_free (stats);
  g_print ("%s -> %s: %" G_GUINT64_FORMAT " SRTP packets sent (%s), %"
      G_GUINT64_FORMAT " decrypted, %" G_GUINT64_FORMAT " dropped; %d audio "
      "and %d video frames decoded (%" G_GUINT64_FORMAT " RTP packets "
      "dropped before the keys were ready, never sent in the clear)\n",
      from->name, to->name, sent, profile, recv, drops, to->audio_frames,
      to->video_frames, early);
  g_free (profile);
  if (drops > 0) {
    g_object_get (to->dec, "stats", &stats, NULL);
    g_print ("%s's decoder dropped:", to->name);
    gst_structure_foreach (stats, print_drop_reason, NULL);
    g_print ("\n");
    gst_structure_free (stats);
  }
  return sent > 0 && recv > 0 && drops == 0 && to->audio_frames > 0 &&
      to->video_frames > 0;
}

static gboolean
check_bus (Endpoint * ep)
{
  GstBus *bus = gst_element_get_bus (ep->pipeline);
  GstMessage *msg;
  gboolean ok = TRUE;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
    GError *err;
    gchar *dbg;

    gst_message_parse_error (msg, &err, &dbg);
    g_printerr ("%s: ERROR: %s\n  %s\n", ep->name, err->message, dbg);
    g_error_free (err);
    g_free (dbg);
    gst_message_unref (msg);
    ok = FALSE;
  }
  gst_object_unref (bus);
  return ok;
}

static void
wait_connected (Endpoint * a, Endpoint * b, gint * state_a, gint * state_b)
{
  gint64 give_up = g_get_monotonic_time () + 40 * G_USEC_PER_SEC;

  do {
    g_usleep (10 * 1000);
    g_object_get (a->enc, "connection-state", state_a, NULL);
    g_object_get (b->enc, "connection-state", state_b, NULL);
  } while ((*state_a == 0 || *state_a == 3 || *state_b == 0 || *state_b == 3)
      && g_get_monotonic_time () < give_up);
}

/* Until the decrypted counts have not moved for half a second (at most
 * 20 s: under valgrind a receiving thread can be behind by seconds, and a
 * single quiet 100 ms is no sign that it is done). */
static void
wait_settled (Endpoint * a, Endpoint * b)
{
  guint64 last = G_MAXUINT64, now;
  guint i, quiet = 0;

  for (i = 0; i < 200 && quiet < 5; i++) {
    g_usleep (100 * 1000);
    now = srtp_stat (a->dec, "rtp-packets") + srtp_stat (b->dec, "rtp-packets");
    quiet = now == last ? quiet + 1 : 0;
    last = now;
  }
}

static void
stop_sources (Endpoint * ep)
{
  const gchar *names[] = { "asrc", "vsrc" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    GstElement *src = gst_bin_get_by_name (GST_BIN (ep->pipeline), names[i]);

    /* Locked, so that the pipeline's state changes leave it alone; it
     * goes to NULL on its own at the end. */
    gst_element_set_locked_state (src, TRUE);
    gst_element_set_state (src, GST_STATE_NULL);
    gst_object_unref (src);
  }
}

static void
endpoint_clear (Endpoint * ep)
{
  gst_element_set_state (ep->pipeline, GST_STATE_NULL);
  gst_object_unref (ep->enc);
  gst_object_unref (ep->dec);
  gst_object_unref (ep->pipeline);
}

int
main (int argc, char **argv)
{
  guint seconds = argc > 1 ? (guint) atoi (argv[1]) : 5;
  Endpoint a = { 0 }, b = { 0 };
  gchar *fp_a = NULL, *fp_b = NULL;
  gint state_a = 0, state_b = 0;
  gboolean ok;

  gst_init (&argc, &argv);

  /* Two certificates, one per endpoint: A the default ECDSA P-256, B an
   * RSA-2048 one, so the two fingerprints differ as between two hosts. */
  if (!endpoint_init (&a, "A", TRUE, PORT_A, PORT_B, 0xa000, "") ||
      !endpoint_init (&b, "B", FALSE, PORT_B, PORT_A, 0xb000,
          "certificate-type=rsa-2048"))
    return 1;

  /* The out-of-band exchange an SDP offer/answer would do. */
  g_object_get (a.dec, "fingerprint", &fp_a, NULL);
  g_object_get (b.dec, "fingerprint", &fp_b, NULL);
  g_print ("A's certificate: %s\nB's certificate: %s\n", fp_a, fp_b);
  g_object_set (a.dec, "peer-fingerprint", fp_b, NULL);
  g_object_set (b.dec, "peer-fingerprint", fp_a, NULL);

  g_print ("A (DTLS client) on UDP %u <-> B (DTLS server) on UDP %u, "
      "%u s of audio and video each way\n", PORT_A, PORT_B, seconds);
  gst_element_set_state (b.pipeline, GST_STATE_PLAYING);
  gst_element_set_state (a.pipeline, GST_STATE_PLAYING);

  /* The media runs for the given time once both sides are connected (or
   * the handshake gave up: its timeout is 30 s by default). */
  wait_connected (&a, &b, &state_a, &state_b);
  g_print ("fingerprints verified by the handshake: %s\n",
      state_a == 4 && state_b == 4 ? "yes, both ways" : "NO");
  g_usleep (seconds * G_USEC_PER_SEC);

  /* Stop the sources first and let what is in flight land. */
  stop_sources (&a);
  stop_sources (&b);
  wait_settled (&a, &b);

  ok = report (&a, &b);
  ok = report (&b, &a) && ok;
  ok = check_bus (&a) && ok;
  ok = check_bus (&b) && ok;
  ok = ok && state_a == 4 && state_b == 4;
  g_print ("%s\n", ok ? "call OK" : "call FAILED");

  endpoint_clear (&a);
  endpoint_clear (&b);
  g_free (fp_a);
  g_free (fp_b);
  return ok ? 0 : 1;
}
