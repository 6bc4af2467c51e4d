/* libFuzzer target: gnutlssrtpdec fed arbitrary packets, buffer lists, caps
 * and key signals on rtp_sink and rtcp_sink.
 *
 * Input: a configuration header, then commands.
 *
 *   config u8      profile (fuzz_srtp_profiles, low 3 bits) and
 *                  FUZZ_SRTP_* flags
 *   ssrc   u32     SSRC of the key in the caps
 *   roc    u8      rollover counter, with FUZZ_SRTP_ROC
 *   mki    u8      MKI length - 1 (low 2 bits); bit 2: a second key
 *   window u8      replay-window-size = 64 + 128 * window
 *   then commands, each a type byte and a chunk (see fuzz-common.h):
 *     type & 7 = 0 / 1   one packet on rtp_sink / rtcp_sink
 *                2 / 3   a buffer list on rtp_sink / rtcp_sink, the chunk
 *                        holding its packets as chunks
 *                4       new key caps: config u8, ssrc u32, key length
 *                        delta s8, mki u8 (rtcp_sink when type & 8)
 *                5       caps made field by field from the chunk
 *                        (fuzz_srtp_caps_from_bytes; rtcp_sink when
 *                        type & 8)
 *                6       clear-keys (first byte odd) or remove-key (ssrc)
 *                7       read the stats property
 *     packets: type & 0x10 splits the buffer in two memories, & 0x20
 *     misaligns its data, & 0x40 keeps a second reference (not writable).
 *
 * A new decoder per input: keys, rollover counters and replay windows
 * never leak from one input into the next.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"
#include "fuzz-srtp.h"

#define DEC_NAME GST_GNUTLS_NAME_PREFIX "srtpdec"

typedef struct
{
  guint8 config;
  guint32 roc;
  guint mki_len, n_keys;
} KeyConfig;

static KeyConfig current;       /* of the input being run */

static GstCaps *
on_request_key (GstElement * dec, guint ssrc, gpointer user_data)
{
  if (!(current.config & FUZZ_SRTP_ANSWER_KEY))
    return NULL;
  return fuzz_srtp_caps (current.config & ~FUZZ_SRTP_NO_SSRC, FALSE, ssrc,
      current.roc, current.n_keys, current.mki_len, 0);
}

static GstBuffer *
make_packet (const guint8 * data, gsize len, guint8 type, GstBufferList * held)
{
  GstBuffer *buf;

  if ((type & 0x10) && len >= 2) {
    /* two memories: the decoder must copy into one */
    buf = fuzz_buffer_new (data, len / 2);
    gst_buffer_append (buf, fuzz_buffer_new (data + len / 2, len - len / 2));
  } else if (type & 0x20) {
    /* data at an odd address: libsrtp2 reads 32-bit words */
    GstBuffer *tmp = gst_buffer_new_allocate (NULL, len + 1, NULL);

    gst_buffer_fill (tmp, 1, data, len);
    buf = gst_buffer_copy_region (tmp, GST_BUFFER_COPY_ALL, 1, len);
    gst_buffer_unref (tmp);
  } else {
    buf = fuzz_buffer_new (data, len);
  }
  if (type & 0x40)
    gst_buffer_list_add (held, gst_buffer_ref (buf));
  return buf;
}

static void
push_caps (GstHarness * h, GstCaps * caps)
{
  if (caps) {
    gst_pad_push_event (h->srcpad, gst_event_new_caps (caps));
    gst_caps_unref (caps);
  }
}

static void
start_stream (GstHarness * h, GstCaps * caps)
{
  GstSegment segment;

  gst_pad_push_event (h->srcpad, gst_event_new_stream_start ("fuzz"));
  push_caps (h, caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (h->srcpad, gst_event_new_segment (&segment));
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_gstreamer (argc, argv, "srtpdec");
  return 0;
}

static void
run_command (GstElement * dec, GstHarness * h_rtp, GstHarness * h_rtcp,
    guint8 type, const guint8 * data, gsize len)
{
  GstHarness *h = (type & 1) ? h_rtcp : h_rtp;
  /* second references, held while the packets are pushed */
  GstBufferList *held = gst_buffer_list_new ();

  switch (type & 7) {
    case 0:
    case 1:
      gst_harness_push (h, make_packet (data, len, type, held));
      break;
    case 2:
    case 3:{
      GstBufferList *list = gst_buffer_list_new ();
      FuzzReader sub = { data, len };
      const guint8 *p;
      gsize plen;

      while (fuzz_chunk (&sub, &p, &plen))
        gst_buffer_list_add (list, make_packet (p, plen, type, held));
      gst_pad_push_list (h->srcpad, list);
      break;
    }
    case 4:{
      FuzzReader r = { data, len };
      guint8 config = fuzz_u8 (&r);
      guint32 ssrc = fuzz_u32 (&r);
      gint delta = (gint8) fuzz_u8 (&r);
      guint8 mki = fuzz_u8 (&r);

      h = (type & 8) ? h_rtcp : h_rtp;
      push_caps (h, fuzz_srtp_caps (config, (type & 8) != 0, ssrc,
              fuzz_u8 (&r), (mki & 4) ? 2 : 1, 1 + (mki & 3), delta));
      break;
    }
    case 5:
      h = (type & 8) ? h_rtcp : h_rtp;
      push_caps (h, fuzz_srtp_caps_from_bytes ((type & 8) != 0, data, len));
      break;
    case 6:
      if (len == 0 || (data[0] & 1)) {
        g_signal_emit_by_name (dec, "clear-keys");
      } else {
        FuzzReader r = { data + 1, len - 1 };

        g_signal_emit_by_name (dec, "remove-key", fuzz_u32 (&r));
      }
      break;
    case 7:{
      GstStructure *stats = NULL;

      g_object_get (dec, "stats", &stats, NULL);
      gst_structure_free (stats);
      break;
    }
  }
  gst_buffer_list_unref (held);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzReader r = { data, size };
  GstElement *dec;
  GstHarness *h_rtp, *h_rtcp;
  guint32 ssrc;
  guint8 mki, window;

  current.config = fuzz_u8 (&r);
  ssrc = fuzz_u32 (&r);
  current.roc = fuzz_u8 (&r);
  mki = fuzz_u8 (&r);
  current.mki_len = 1 + (mki & 3);
  current.n_keys = (mki & 4) ? 2 : 1;
  window = fuzz_u8 (&r);

  dec = fuzz_make_element (DEC_NAME);
  g_object_set (dec, "replay-window-size", 64 + 128 * (guint) window, NULL);
  g_signal_connect (dec, "request-key", G_CALLBACK (on_request_key), NULL);
  h_rtp = gst_harness_new_with_element (dec, "rtp_sink", "rtp_src");
  h_rtcp = gst_harness_new_with_element (dec, "rtcp_sink", "rtcp_src");
  start_stream (h_rtp, fuzz_srtp_caps (current.config, FALSE, ssrc,
          current.roc, current.n_keys, current.mki_len, 0));
  start_stream (h_rtcp, fuzz_srtp_caps (current.config, TRUE, ssrc,
          current.roc, current.n_keys, current.mki_len, 0));

  while (r.size > 0) {
    guint8 type = fuzz_u8 (&r);
    const guint8 *chunk;
    gsize len;

    if (!fuzz_chunk (&r, &chunk, &len))
      break;
    run_command (dec, h_rtp, h_rtcp, type, chunk, len);
  }

  gst_harness_teardown (h_rtcp);
  gst_harness_teardown (h_rtp);
  gst_object_unref (dec);
  return 0;
}
