/* GStreamer GnuTLS DTLS-SRTP suite: the server's ClientHello gate:
 * reassembly of a fragmented ClientHello and the HelloVerifyRequest cookie
 * check (RFC 6347 4.2.1), as pure functions over bytes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_CLIENT_HELLO_H__
#define __GST_GNUTLS_DTLS_CLIENT_HELLO_H__

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/dtls.h>

G_BEGIN_DECLS

/* Largest ClientHello body we put back together */
#define GST_GNUTLS_DTLS_MAX_CLIENT_HELLO 8192

/* A cookie stays valid for at least this long and at most twice as long
 * (the secret it was made with is replaced after one period and forgotten
 * after two). A client answers a HelloVerifyRequest within a round trip. */
#define GST_GNUTLS_DTLS_COOKIE_LIFETIME (60 * G_TIME_SPAN_SECOND)

/* A ClientHello being reassembled from its fragments */
typedef struct
{
  GByteArray *record;           /* as one unfragmented record, or NULL */
  guint8 *received;             /* one flag per body byte */
  guint missing;                /* body bytes not received yet */
  guint16 message_seq;
} GstGnutlsDtlsClientHello;

typedef enum
{
  /* not a ClientHello, or a malformed or oversized one: ignored */
  GST_GNUTLS_DTLS_CLIENT_HELLO_IGNORED,
  /* a fragment was taken; the message is not complete yet */
  GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL,
  /* a whole ClientHello is available */
  GST_GNUTLS_DTLS_CLIENT_HELLO_COMPLETE,
} GstGnutlsDtlsClientHelloResult;

/* The secret cookies are made with: a current and a previous key */
typedef struct
{
  GMutex lock;
  guint8 keys[2][GNUTLS_COOKIE_KEY_SIZE];
  gint64 rotated;               /* when keys[0] was made, monotonic us */
} GstGnutlsDtlsCookieSecret;

typedef enum
{
  /* the ClientHello carries a cookie we made: go on with the handshake */
  GST_GNUTLS_DTLS_COOKIE_VALID,
  /* no cookie, a wrong one or an expired one: answer with the
   * HelloVerifyRequest that was written to @reply */
  GST_GNUTLS_DTLS_COOKIE_REQUESTED,
  /* not a ClientHello GnuTLS can read: drop it */
  GST_GNUTLS_DTLS_COOKIE_MALFORMED,
} GstGnutlsDtlsCookieResult;

G_GNUC_INTERNAL
void gst_gnutls_dtls_client_hello_clear (GstGnutlsDtlsClientHello * self);
G_GNUC_INTERNAL
GstGnutlsDtlsClientHelloResult
gst_gnutls_dtls_client_hello_add (GstGnutlsDtlsClientHello * self,
    const guint8 * record, gsize size, const guint8 ** hello,
    gsize * hello_size);
G_GNUC_INTERNAL
GByteArray *gst_gnutls_dtls_client_hello_steal (GstGnutlsDtlsClientHello *
    self);

G_GNUC_INTERNAL
void gst_gnutls_dtls_cookie_secret_init (GstGnutlsDtlsCookieSecret * secret,
    gint64 now);
G_GNUC_INTERNAL
void gst_gnutls_dtls_cookie_secret_clear (GstGnutlsDtlsCookieSecret * secret);
G_GNUC_INTERNAL
GstGnutlsDtlsCookieSecret *gst_gnutls_dtls_cookie_secret_get_default (void);
G_GNUC_INTERNAL
GstGnutlsDtlsCookieResult
gst_gnutls_dtls_cookie_check (GstGnutlsDtlsCookieSecret * secret, gint64 now,
    const gchar * client_id, const guint8 * hello, gsize hello_size,
    gnutls_dtls_prestate_st * prestate, GByteArray * reply);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_CLIENT_HELLO_H__ */
