/* GStreamer GnuTLS DTLS-SRTP suite: the server's ClientHello gate:
 * reassembly of a fragmented ClientHello and the HelloVerifyRequest cookie
 * check (RFC 6347 4.2.1), as pure functions over bytes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Before a server has a session (while it answers with cookies and keeps no
 * state) it only accepts ClientHello records. OpenSSL, the reference
 * included, may fragment its ClientHello (it does when it cannot query the
 * MTU), but gnutls_dtls_cookie_verify() wants it whole: fragments are put
 * back together here into one unfragmented record, which is also what the
 * new session is then given. Only complete fragments that fit in the
 * message are taken, so a truncated or corrupted record is never answered
 * with a cookie the client could not use.
 *
 * Cookies are GnuTLS's (an HMAC of the client's identity, here the
 * connection-id, under a secret). One secret serves every connection of
 * the process (RFC 6347 4.2.1 suggests a secret per server; nothing is
 * gained by one per connection), and it is replaced every
 * GST_GNUTLS_DTLS_COOKIE_LIFETIME so that a cookie does not stay valid
 * for ever; the previous one is kept for one more period, so a cookie made
 * just before a change still works.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gnutls/crypto.h>

#include "gstgnutlsdtlsclienthello.h"
#include "gstgnutlsdtlsrecord.h"

#define HEADERS_SIZE \
    (GST_GNUTLS_DTLS_RECORD_HEADER_SIZE + GST_GNUTLS_DTLS_HANDSHAKE_HEADER_SIZE)

static inline void
write_u16 (guint8 * p, guint v)
{
  p[0] = (v >> 8) & 0xff;
  p[1] = v & 0xff;
}

static inline void
write_u24 (guint8 * p, guint32 v)
{
  p[0] = (v >> 16) & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = v & 0xff;
}

void
gst_gnutls_dtls_client_hello_clear (GstGnutlsDtlsClientHello * self)
{
  g_clear_pointer (&self->record, g_byte_array_unref);
  g_clear_pointer (&self->received, g_free);
  self->missing = 0;
  self->message_seq = 0;
}

/**
 * gst_gnutls_dtls_client_hello_add:
 * @self: the reassembly state, zero-initialised before the first call
 * @record: one DTLS record, header included
 * @size: its size
 * @hello: (out): the whole ClientHello, as one unfragmented record
 * @hello_size: (out): its size
 *
 * Takes one record. When it completes a ClientHello, @hello points either
 * into @record (the message was not fragmented) or to the reassembled
 * record held by @self, valid until the next call or
 * gst_gnutls_dtls_client_hello_steal().
 *
 * A fragment of another message (another message_seq or length) than the
 * one being reassembled starts that message afresh. Overlapping and
 * repeated fragments are taken; the bytes last received win.
 */
GstGnutlsDtlsClientHelloResult
gst_gnutls_dtls_client_hello_add (GstGnutlsDtlsClientHello * self,
    const guint8 * record, gsize size, const guint8 ** hello,
    gsize * hello_size)
{
  GstGnutlsDtlsRecord rec;
  GstGnutlsDtlsHandshake hs;
  gsize whole;
  guint32 i;

  if (!gst_gnutls_dtls_record_parse (record, size, &rec) ||
      !gst_gnutls_dtls_handshake_parse (&rec, &hs) ||
      hs.msg_type != GST_GNUTLS_DTLS_HANDSHAKE_CLIENT_HELLO ||
      hs.length > GST_GNUTLS_DTLS_MAX_CLIENT_HELLO)
    return GST_GNUTLS_DTLS_CLIENT_HELLO_IGNORED;

  whole = HEADERS_SIZE + hs.length;
  if (hs.fragment_offset == 0 && hs.fragment_length == hs.length) {
    *hello = record;
    *hello_size = whole;
    return GST_GNUTLS_DTLS_CLIENT_HELLO_COMPLETE;
  }

  if (!self->record || self->message_seq != hs.message_seq ||
      self->record->len != whole) {
    /* a new message: record header and handshake header as if whole */
    if (!self->record)
      self->record = g_byte_array_new ();
    g_byte_array_set_size (self->record, whole);
    memcpy (self->record->data, record, HEADERS_SIZE);
    write_u16 (self->record->data + 11,
        GST_GNUTLS_DTLS_HANDSHAKE_HEADER_SIZE + hs.length);
    write_u24 (self->record->data + GST_GNUTLS_DTLS_RECORD_HEADER_SIZE + 6, 0);
    write_u24 (self->record->data + GST_GNUTLS_DTLS_RECORD_HEADER_SIZE + 9,
        hs.length);
    g_free (self->received);
    self->received = g_malloc0 (hs.length);
    self->missing = hs.length;
    self->message_seq = hs.message_seq;
  }
  memcpy (self->record->data + HEADERS_SIZE + hs.fragment_offset,
      hs.fragment, hs.fragment_length);
  for (i = hs.fragment_offset; i < hs.fragment_offset + hs.fragment_length; i++) {
    if (!self->received[i]) {
      self->received[i] = 1;
      self->missing--;
    }
  }
  if (self->missing > 0)
    return GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL;

  *hello = self->record->data;
  *hello_size = self->record->len;
  return GST_GNUTLS_DTLS_CLIENT_HELLO_COMPLETE;
}

/* Returns the reassembled record (or NULL), which the caller now owns, and
 * forgets the message. */
GByteArray *
gst_gnutls_dtls_client_hello_steal (GstGnutlsDtlsClientHello * self)
{
  GByteArray *record = g_steal_pointer (&self->record);

  gst_gnutls_dtls_client_hello_clear (self);
  return record;
}

/* ------------------------------------------------------------------------ */
/* Cookies                                                                  */

void
gst_gnutls_dtls_cookie_secret_init (GstGnutlsDtlsCookieSecret * secret,
    gint64 now)
{
  g_mutex_init (&secret->lock);
  gnutls_rnd (GNUTLS_RND_KEY, secret->keys[0], sizeof (secret->keys[0]));
  gnutls_rnd (GNUTLS_RND_KEY, secret->keys[1], sizeof (secret->keys[1]));
  secret->rotated = now;
}

void
gst_gnutls_dtls_cookie_secret_clear (GstGnutlsDtlsCookieSecret * secret)
{
  gnutls_memset (secret->keys, 0, sizeof (secret->keys));
  g_mutex_clear (&secret->lock);
}

/* The secret of the process, made on first use */
GstGnutlsDtlsCookieSecret *
gst_gnutls_dtls_cookie_secret_get_default (void)
{
  static GstGnutlsDtlsCookieSecret secret;
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    gst_gnutls_dtls_cookie_secret_init (&secret, g_get_monotonic_time ());
    g_once_init_leave (&done, 1);
  }
  return &secret;
}

/* Replaces the keys that are too old at @now. Rotations stay on a grid of
 * whole periods from the first key, so a key is never used for more than
 * two periods. */
static void
rotate_locked (GstGnutlsDtlsCookieSecret * secret, gint64 now)
{
  gint64 age = now - secret->rotated;

  if (age < GST_GNUTLS_DTLS_COOKIE_LIFETIME)
    return;
  if (age < 2 * GST_GNUTLS_DTLS_COOKIE_LIFETIME) {
    memcpy (secret->keys[1], secret->keys[0], sizeof (secret->keys[1]));
    secret->rotated += GST_GNUTLS_DTLS_COOKIE_LIFETIME;
  } else {
    gnutls_rnd (GNUTLS_RND_KEY, secret->keys[1], sizeof (secret->keys[1]));
    secret->rotated = now;
  }
  gnutls_rnd (GNUTLS_RND_KEY, secret->keys[0], sizeof (secret->keys[0]));
}

static ssize_t
append_to_reply (gnutls_transport_ptr_t ptr, const void *data, size_t size)
{
  g_byte_array_append (ptr, data, size);
  return size;
}

/**
 * gst_gnutls_dtls_cookie_check:
 * @secret: the secret cookies are made with
 * @now: monotonic time, in microseconds
 * @client_id: what the cookie is bound to (the connection-id)
 * @hello: a whole, unfragmented ClientHello record
 * @hello_size: its size
 * @prestate: (out): what the session of a valid ClientHello starts from
 *   (gnutls_dtls_prestate_set())
 * @reply: the HelloVerifyRequest record to send is appended to it
 *
 * Returns: whether @hello carries a valid cookie, or needs one (then @reply
 * holds the request), or cannot be read.
 */
GstGnutlsDtlsCookieResult
gst_gnutls_dtls_cookie_check (GstGnutlsDtlsCookieSecret * secret, gint64 now,
    const gchar * client_id, const guint8 * hello, gsize hello_size,
    gnutls_dtls_prestate_st * prestate, GByteArray * reply)
{
  guint8 keys[2][GNUTLS_COOKIE_KEY_SIZE];
  gnutls_datum_t key;
  gsize id_len = strlen (client_id);
  guint i;
  int ret = GNUTLS_E_BAD_COOKIE;

  g_mutex_lock (&secret->lock);
  rotate_locked (secret, now);
  memcpy (keys, secret->keys, sizeof (keys));
  g_mutex_unlock (&secret->lock);

  for (i = 0; i < G_N_ELEMENTS (keys) && ret == GNUTLS_E_BAD_COOKIE; i++) {
    key.data = keys[i];
    key.size = sizeof (keys[i]);
    memset (prestate, 0, sizeof (*prestate));
    ret = gnutls_dtls_cookie_verify (&key, (void *) client_id, id_len,
        (void *) hello, hello_size, prestate);
  }

  if (ret == GNUTLS_E_BAD_COOKIE) {
    key.data = keys[0];
    key.size = sizeof (keys[0]);
    ret = gnutls_dtls_cookie_send (&key, (void *) client_id, id_len,
        prestate, reply, append_to_reply);
    if (ret >= 0)
      ret = GNUTLS_E_BAD_COOKIE;
  }
  gnutls_memset (keys, 0, sizeof (keys));

  if (ret == 0)
    return GST_GNUTLS_DTLS_COOKIE_VALID;
  if (ret == GNUTLS_E_BAD_COOKIE)
    return GST_GNUTLS_DTLS_COOKIE_REQUESTED;
  return GST_GNUTLS_DTLS_COOKIE_MALFORMED;
}
