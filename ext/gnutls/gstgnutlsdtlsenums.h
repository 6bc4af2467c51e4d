/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __GST_GNUTLS_DTLS_ENUMS_H__
#define __GST_GNUTLS_DTLS_ENUMS_H__

#include <glib.h>

G_BEGIN_DECLS

/**
 * GstGnutlsDtlsConnectionState:
 * @GST_GNUTLS_DTLS_CONNECTION_STATE_NEW: no handshake started yet
 * @GST_GNUTLS_DTLS_CONNECTION_STATE_CLOSED: closed by either side
 * @GST_GNUTLS_DTLS_CONNECTION_STATE_FAILED: the handshake or the connection
 *   failed
 * @GST_GNUTLS_DTLS_CONNECTION_STATE_CONNECTING: handshake in progress
 * @GST_GNUTLS_DTLS_CONNECTION_STATE_CONNECTED: handshake completed
 *
 * The values are those of the reference dtls plugin, so applications that
 * read the state as an integer keep working.
 */
typedef enum
{
  GST_GNUTLS_DTLS_CONNECTION_STATE_NEW = 0,
  GST_GNUTLS_DTLS_CONNECTION_STATE_CLOSED = 1,
  GST_GNUTLS_DTLS_CONNECTION_STATE_FAILED = 2,
  GST_GNUTLS_DTLS_CONNECTION_STATE_CONNECTING = 3,
  GST_GNUTLS_DTLS_CONNECTION_STATE_CONNECTED = 4
} GstGnutlsDtlsConnectionState;

/**
 * GstGnutlsDtlsCertificateType:
 * @GST_GNUTLS_DTLS_CERTIFICATE_TYPE_ECDSA_P256: ECDSA on the P-256 curve
 * @GST_GNUTLS_DTLS_CERTIFICATE_TYPE_RSA_2048: RSA with a 2048-bit modulus
 *
 * Key type of the self-signed certificate generated when no `pem` is set.
 */
typedef enum
{
  GST_GNUTLS_DTLS_CERTIFICATE_TYPE_ECDSA_P256 = 0,
  GST_GNUTLS_DTLS_CERTIFICATE_TYPE_RSA_2048 = 1
} GstGnutlsDtlsCertificateType;

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_ENUMS_H__ */
