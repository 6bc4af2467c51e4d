/* GnuTLS DTLS-SRTP for GStreamer
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A bare GnuTLS DTLS 1.2 client in memory, for the tests of the byte-level
 * code (and the fuzz seed writer): it writes real ClientHellos, and answers
 * a HelloVerifyRequest with a ClientHello that carries the cookie. GLib and
 * GnuTLS only. */

#ifndef __DTLS_HELLO_H__
#define __DTLS_HELLO_H__

#include <string.h>
#include <errno.h>
#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/dtls.h>

typedef struct
{
  gnutls_session_t session;
  gnutls_certificate_credentials_t cred;
  GByteArray *sent;             /* what the client wrote in the last step */
  const guint8 *in;             /* the datagram it reads in this step */
  gsize in_size;
} DtlsHelloClient;

static inline ssize_t
dtls_hello_client_push (gnutls_transport_ptr_t ptr, const void *data,
    size_t size)
{
  DtlsHelloClient *c = ptr;

  g_byte_array_append (c->sent, data, size);
  return size;
}

static inline ssize_t
dtls_hello_client_pull (gnutls_transport_ptr_t ptr, void *data, size_t size)
{
  DtlsHelloClient *c = ptr;

  if (!c->in) {
    gnutls_transport_set_errno (c->session, EAGAIN);
    return -1;
  }
  size = MIN (size, c->in_size);
  memcpy (data, c->in, size);
  c->in = NULL;
  return size;
}

static inline int
dtls_hello_client_pull_timeout (gnutls_transport_ptr_t ptr, unsigned int ms)
{
  DtlsHelloClient *c = ptr;

  return c->in ? 1 : 0;
}

/* Returns FALSE if GnuTLS refused to set the client up */
static inline gboolean
dtls_hello_client_init (DtlsHelloClient * c)
{
  memset (c, 0, sizeof (*c));
  c->sent = g_byte_array_new ();
  if (gnutls_certificate_allocate_credentials (&c->cred) < 0 ||
      gnutls_init (&c->session, GNUTLS_CLIENT | GNUTLS_DATAGRAM |
          GNUTLS_NONBLOCK) < 0)
    return FALSE;
  if (gnutls_priority_set_direct (c->session,
          "NORMAL:-VERS-ALL:+VERS-DTLS1.2", NULL) < 0 ||
      gnutls_credentials_set (c->session, GNUTLS_CRD_CERTIFICATE,
          c->cred) < 0)
    return FALSE;
  gnutls_transport_set_ptr (c->session, c);
  gnutls_transport_set_push_function (c->session, dtls_hello_client_push);
  gnutls_transport_set_pull_function (c->session, dtls_hello_client_pull);
  gnutls_transport_set_pull_timeout_function (c->session,
      dtls_hello_client_pull_timeout);
  /* records of at most 1200 bytes: a ClientHello is never fragmented */
  gnutls_dtls_set_mtu (c->session, 1200);
  return TRUE;
}

/* Feeds @in (NULL: nothing, the first step) to the handshake and returns
 * a copy of what the client sent in answer (empty if nothing). */
static inline GByteArray *
dtls_hello_client_step (DtlsHelloClient * c, const guint8 * in, gsize in_size)
{
  GByteArray *out = g_byte_array_new ();

  g_byte_array_set_size (c->sent, 0);
  c->in = in;
  c->in_size = in_size;
  gnutls_handshake (c->session);
  c->in = NULL;
  g_byte_array_append (out, c->sent->data, c->sent->len);
  return out;
}

/* One record holding bytes [offset, offset + length) of the body of the
 * unfragmented handshake message in @record, as a fragment of it, with
 * @record's header otherwise */
static inline GByteArray *
dtls_hello_fragment (GByteArray * record, guint32 offset, guint32 length)
{
  GByteArray *f = g_byte_array_new ();
  guint8 *h;

  g_byte_array_append (f, record->data, 13 + 12);
  g_byte_array_append (f, record->data + 13 + 12 + offset, length);
  f->data[11] = (12 + length) >> 8;
  f->data[12] = (12 + length) & 0xff;
  h = f->data + 13;
  h[6] = offset >> 16;
  h[7] = offset >> 8;
  h[8] = offset;
  h[9] = length >> 16;
  h[10] = length >> 8;
  h[11] = length;
  return f;
}

static inline void
dtls_hello_client_clear (DtlsHelloClient * c)
{
  if (c->session)
    gnutls_deinit (c->session);
  if (c->cred)
    gnutls_certificate_free_credentials (c->cred);
  g_byte_array_unref (c->sent);
}

#endif /* __DTLS_HELLO_H__ */
