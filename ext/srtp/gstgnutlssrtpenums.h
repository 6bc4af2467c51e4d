/* GStreamer GnuTLS DTLS-SRTP suite: SRTP cipher and authentication enums.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_SRTP_ENUMS_H__
#define __GST_GNUTLS_SRTP_ENUMS_H__

#include <glib.h>

G_BEGIN_DECLS

/* Values and nicks match gst-plugins-bad's GstSrtpCipherType so that
 * applications setting them by number or by name keep working. */
typedef enum
{
  GST_GNUTLS_SRTP_CIPHER_NULL,          /*< nick=null >*/
  GST_GNUTLS_SRTP_CIPHER_AES_128_ICM,   /*< nick=aes-128-icm >*/
  GST_GNUTLS_SRTP_CIPHER_AES_256_ICM,   /*< nick=aes-256-icm >*/
  GST_GNUTLS_SRTP_CIPHER_AES_128_GCM,   /*< nick=aes-128-gcm >*/
  GST_GNUTLS_SRTP_CIPHER_AES_256_GCM    /*< nick=aes-256-gcm >*/
} GstGnutlsSrtpCipherType;

typedef enum
{
  GST_GNUTLS_SRTP_AUTH_NULL,            /*< nick=null >*/
  GST_GNUTLS_SRTP_AUTH_HMAC_SHA1_32,    /*< nick=hmac-sha1-32 >*/
  GST_GNUTLS_SRTP_AUTH_HMAC_SHA1_80     /*< nick=hmac-sha1-80 >*/
} GstGnutlsSrtpAuthType;

G_END_DECLS

#endif
