/* libFuzzer target: the decoder side of a DTLS server (gnutlsdtlsdec with
 * the gnutlsdtlsenc of the same connection-id, is-client=false) fed
 * arbitrary records, as a client on the network could send them.
 *
 * Input: a flags byte (FUZZ_DTLS_* in fuzz-dtls.h, and ECHO_COOKIE below),
 * then the datagrams as chunks (fuzz-common.h).
 *
 * With FUZZ_DTLS_COOKIE the server asks for a cookie first; without it a
 * ClientHello goes straight into GnuTLS. The cookie is keyed by a secret
 * of the connection, different on every run, so no input could carry a
 * valid one: with ECHO_COOKIE the target plays the client's part and puts
 * the cookie of the server's last HelloVerifyRequest into each following
 * ClientHello (when the datagram starts with a whole one), which takes
 * the input past the cookie check as a real client would. Anything else
 * the server answers is thrown away.
 *
 * A new connection per input, so each starts from a fresh server.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-dtls.h"

#define ECHO_COOKIE 0x40

/* Record header 13 bytes, then handshake header 12 bytes */
#define RECORD_HDR 13
#define HS_HDR 12

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  FuzzDtlsSide s;

  fuzz_init_gstreamer (argc, argv, "dtls_server");
  fuzz_dtls_warm_up ();
  fuzz_dtls_side_start (&s, FALSE, 0);
  fuzz_dtls_side_stop (&s);
  return 0;
}

/* The body of the first record of @d if it is a whole (unfragmented)
 * handshake message of type @type. */
static const guint8 *
whole_handshake (const guint8 * d, gsize len, guint8 type, gsize * body_len)
{
  guint record_len, msg_len;

  if (len < RECORD_HDR + HS_HDR || d[0] != 22 || d[RECORD_HDR] != type)
    return NULL;
  record_len = GST_READ_UINT16_BE (d + 11);
  msg_len = GST_READ_UINT24_BE (d + RECORD_HDR + 1);
  if (GST_READ_UINT24_BE (d + RECORD_HDR + 6) != 0 ||
      GST_READ_UINT24_BE (d + RECORD_HDR + 9) != msg_len ||
      record_len != HS_HDR + msg_len || len < RECORD_HDR + record_len)
    return NULL;
  *body_len = msg_len;
  return d + RECORD_HDR + HS_HDR;
}

/* Keeps the cookie of a HelloVerifyRequest the server sent. */
static void
collect_cookie (FuzzDtlsSide * s, GByteArray * cookie)
{
  GstBuffer *buf;

  while ((buf = gst_harness_try_pull (s->enc))) {
    GstMapInfo map;
    const guint8 *body;
    gsize body_len;

    gst_buffer_map (buf, &map, GST_MAP_READ);
    /* server_version (2), cookie length (1), cookie */
    body = whole_handshake (map.data, map.size, 3, &body_len);
    if (body && body_len >= 3 && body_len >= 3u + body[2]) {
      g_byte_array_set_size (cookie, 0);
      g_byte_array_append (cookie, body + 3, body[2]);
    }
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
}

/* @d with the cookie of its leading ClientHello replaced by @cookie, or
 * NULL when it does not start with a whole ClientHello. */
static GByteArray *
with_cookie (const guint8 * d, gsize len, GByteArray * cookie)
{
  const guint8 *body;
  gsize body_len, pos, old_len, msg_len;
  GByteArray *out;
  guint8 hdr[RECORD_HDR + HS_HDR], n;

  body = whole_handshake (d, len, 1, &body_len);
  /* client_version (2), random (32), session_id (1 + n), cookie (1 + n) */
  pos = 2 + 32;
  if (!body || body_len < pos + 1 || body_len < pos + 1 + body[pos] + 1)
    return NULL;
  pos += 1 + body[pos];
  old_len = body[pos];
  if (body_len < pos + 1 + old_len)
    return NULL;
  msg_len = body_len - old_len + cookie->len;

  memcpy (hdr, d, sizeof (hdr));
  GST_WRITE_UINT16_BE (hdr + 11, HS_HDR + msg_len);
  GST_WRITE_UINT24_BE (hdr + RECORD_HDR + 1, msg_len);
  GST_WRITE_UINT24_BE (hdr + RECORD_HDR + 9, msg_len);
  out = g_byte_array_sized_new (len + cookie->len);
  g_byte_array_append (out, hdr, sizeof (hdr));
  g_byte_array_append (out, body, pos);
  n = cookie->len;
  g_byte_array_append (out, &n, 1);
  g_byte_array_append (out, cookie->data, cookie->len);
  g_byte_array_append (out, body + pos + 1 + old_len,
      body_len - pos - 1 - old_len);
  /* the records after the ClientHello in the same datagram */
  g_byte_array_append (out, body + body_len, len - (body + body_len - d));
  return out;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzReader r = { data, size };
  guint8 flags = fuzz_u8 (&r);
  GByteArray *cookie = g_byte_array_new ();
  const guint8 *chunk;
  gsize len;
  FuzzDtlsSide s;

  fuzz_dtls_side_start (&s, FALSE, flags);
  while (fuzz_chunk (&r, &chunk, &len)) {
    GByteArray *patched = NULL;

    if ((flags & ECHO_COOKIE) && cookie->len > 0 && cookie->len < 256)
      patched = with_cookie (chunk, len, cookie);
    if (patched) {
      fuzz_dtls_side_receive (&s, patched->data, patched->len);
      g_byte_array_unref (patched);
    } else {
      fuzz_dtls_side_receive (&s, chunk, len);
    }
    if (flags & ECHO_COOKIE)
      collect_cookie (&s, cookie);
  }
  fuzz_dtls_side_stop (&s);
  g_byte_array_unref (cookie);
  return 0;
}
