/* GStreamer GnuTLS DTLS-SRTP suite: what a datagram's first byte says it
 * is, as RFC 7983 section 7 tells the protocols sharing a WebRTC transport
 * apart. Used by the demux element and by the decoder bin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_RFC7983_H__
#define __GST_GNUTLS_RFC7983_H__

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  GST_GNUTLS_RFC7983_RTP,       /* RTP and RTCP, SRTP and SRTCP: 128-191 */
  GST_GNUTLS_RFC7983_DTLS,      /* 20-63 */
  GST_GNUTLS_RFC7983_STUN,      /* 0-3 */
  GST_GNUTLS_RFC7983_ZRTP,      /* 16-19 */
  GST_GNUTLS_RFC7983_TURN_CHANNEL,      /* 64-79 */
  GST_GNUTLS_RFC7983_UNKNOWN,   /* anything else, or no first byte */
  GST_GNUTLS_RFC7983_N_KINDS
} GstGnutlsRfc7983Kind;

static inline GstGnutlsRfc7983Kind
gst_gnutls_rfc7983_classify (guint8 first_byte)
{
  if (first_byte >= 128 && first_byte <= 191)
    return GST_GNUTLS_RFC7983_RTP;
  if (first_byte >= 20 && first_byte <= 63)
    return GST_GNUTLS_RFC7983_DTLS;
  if (first_byte <= 3)
    return GST_GNUTLS_RFC7983_STUN;
  if (first_byte >= 16 && first_byte <= 19)
    return GST_GNUTLS_RFC7983_ZRTP;
  if (first_byte >= 64 && first_byte <= 79)
    return GST_GNUTLS_RFC7983_TURN_CHANNEL;
  return GST_GNUTLS_RFC7983_UNKNOWN;
}

G_END_DECLS

#endif
