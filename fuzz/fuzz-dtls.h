/* One side of a DTLS connection for the fuzz targets and the seed writer:
 * a gnutlsdtlsdec and a gnutlsdtlsenc sharing a connection-id, each in a
 * GstHarness, so the caller carries (or invents) the records.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __FUZZ_DTLS_H__
#define __FUZZ_DTLS_H__

#include "fuzz-common.h"

#define FUZZ_DTLS_ENC GST_GNUTLS_NAME_PREFIX "dtlsenc"
#define FUZZ_DTLS_DEC GST_GNUTLS_NAME_PREFIX "dtlsdec"

/* The first byte of a DTLS fuzz input: how the side is configured */
#define FUZZ_DTLS_COOKIE      0x01      /* server: HelloVerifyRequest first */
#define FUZZ_DTLS_NO_SRTP     0x02      /* srtp-profiles "": data only */
#define FUZZ_DTLS_SMALL_MTU   0x04      /* mtu 256: our flights fragmented */
#define FUZZ_DTLS_PEER_FP     0x08      /* a peer-fingerprint nobody has... */
#define FUZZ_DTLS_BAD_FP      0x10      /* ...or a SHA-1 one nobody has */
#define FUZZ_DTLS_RSA         0x20      /* RSA-2048 certificate */
/* 0x40: fuzz_dtls_server.c uses it for ECHO_COOKIE */

typedef struct
{
  GstElement *enc_el, *dec_el;
  GstHarness *enc, *dec;
} FuzzDtlsSide;

/* Creates and starts both elements: a client sends its ClientHello from
 * the connection's worker thread right after. Retransmission and
 * handshake timeouts are far off, so within one input nothing happens
 * that the input did not cause. */
static inline void
fuzz_dtls_side_start (FuzzDtlsSide * s, gboolean is_client, guint8 flags)
{
  static gint counter;
  gchar *id = g_strdup_printf ("fuzz-%s-%d", is_client ? "client" : "server",
      g_atomic_int_add (&counter, 1));
  GstSegment segment;
  GstCaps *caps;

  memset (s, 0, sizeof (*s));
  s->dec_el = fuzz_make_element (FUZZ_DTLS_DEC);
  s->enc_el = fuzz_make_element (FUZZ_DTLS_ENC);
  g_object_set (s->dec_el, "connection-id", id, NULL);
  g_object_set (s->enc_el, "connection-id", id, "is-client", is_client, NULL);
  g_free (id);
  g_object_set (s->dec_el,
      "cookie-exchange", (flags & FUZZ_DTLS_COOKIE) != 0,
      "retransmit-timeout", 60000, "handshake-timeout", 600000,
      "mtu", (flags & FUZZ_DTLS_SMALL_MTU) ? 256 : 1200,
      "certificate-type", (flags & FUZZ_DTLS_RSA) ? 1 : 0, NULL);
  if (flags & FUZZ_DTLS_NO_SRTP)
    g_object_set (s->dec_el, "srtp-profiles", "", NULL);
  /* (a malformed fingerprint is refused when set, and the elements then
   * never start: dtls_settings tests that) */
  if (flags & FUZZ_DTLS_BAD_FP)
    g_object_set (s->dec_el, "peer-fingerprint", "sha-1 "
        "00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13", NULL);
  else if (flags & FUZZ_DTLS_PEER_FP)
    g_object_set (s->dec_el, "peer-fingerprint", "sha-256 "
        "00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:"
        "10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F", NULL);

  s->dec = gst_harness_new_with_element (s->dec_el, "sink", "src");
  gst_pad_push_event (s->dec->srcpad, gst_event_new_stream_start ("fuzz"));
  caps = gst_caps_new_empty_simple ("application/x-dtls");
  gst_pad_push_event (s->dec->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (s->dec->srcpad, gst_event_new_segment (&segment));

  /* no sink pad: no application data to send, and the harness does not
   * start an element without one by itself */
  s->enc = gst_harness_new_with_element (s->enc_el, NULL, "src");
  gst_harness_play (s->enc);
}

/* Makes the certificates (one per type, shared by every connection of the
 * process) now rather than in the first input that needs them. */
static inline void
fuzz_dtls_warm_up (void)
{
  gint type;

  for (type = 0; type < 2; type++) {
    GstElement *dec = fuzz_make_element (FUZZ_DTLS_DEC);
    gchar *fingerprint = NULL;

    g_object_set (dec, "connection-id", "fuzz-warm-up", "certificate-type",
        type, NULL);
    g_object_get (dec, "fingerprint", &fingerprint, NULL);
    g_free (fingerprint);
    gst_object_unref (dec);
  }
}

/* Waits for the next datagram the encoder sends (the client's first
 * ClientHello comes from another thread). */
static inline GstBuffer *
fuzz_dtls_side_wait_record (FuzzDtlsSide * s, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  GstBuffer *buf;

  while (!(buf = gst_harness_try_pull (s->enc)) &&
      g_get_monotonic_time () < end)
    g_usleep (100);
  return buf;
}

/* Feeds one datagram to the decoder. */
static inline void
fuzz_dtls_side_receive (FuzzDtlsSide * s, const guint8 * data, gsize len)
{
  gst_harness_push (s->dec, fuzz_buffer_new (data, len));
}

static inline void
fuzz_dtls_side_stop (FuzzDtlsSide * s)
{
  gst_harness_teardown (s->enc);
  gst_harness_teardown (s->dec);
  gst_object_unref (s->enc_el);
  gst_object_unref (s->dec_el);
}

#endif
