/* GnuTLS DTLS-SRTP for GStreamer
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The server's ClientHello gate on its own
 * (ext/gnutls/gstgnutlsdtlsclienthello.c): reassembly of a fragmented
 * ClientHello, and the HelloVerifyRequest cookie check, with the
 * ClientHellos of a real GnuTLS client. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "gstgnutlsdtlsclienthello.h"
#include "gstgnutlsdtlsrecord.h"
#include "dtlshello.h"

#define HDR GST_GNUTLS_DTLS_RECORD_HEADER_SIZE
#define HS_HDR GST_GNUTLS_DTLS_HANDSHAKE_HEADER_SIZE
#define SECOND G_TIME_SPAN_SECOND

/* The first ClientHello of a real GnuTLS client, one unfragmented record */
static GByteArray *
real_client_hello (void)
{
  DtlsHelloClient c;
  GByteArray *hello;
  GstGnutlsDtlsRecord rec;
  GstGnutlsDtlsHandshake hs;

  fail_unless (dtls_hello_client_init (&c));
  hello = dtls_hello_client_step (&c, NULL, 0);
  dtls_hello_client_clear (&c);

  fail_unless (gst_gnutls_dtls_record_parse (hello->data, hello->len, &rec));
  fail_unless_equals_uint64 (rec.size, hello->len);
  fail_unless (gst_gnutls_dtls_handshake_parse (&rec, &hs));
  fail_unless_equals_int (hs.msg_type, 1);
  fail_unless_equals_int (hs.fragment_offset, 0);
  fail_unless_equals_int (hs.fragment_length, hs.length);
  fail_unless (hs.length > 100, "a ClientHello of %u bytes?", hs.length);
  return hello;
}

static guint32
body_length (GByteArray * hello)
{
  const guint8 *p = hello->data + HDR + 1;

  return (p[0] << 16) | (p[1] << 8) | p[2];
}

static GstGnutlsDtlsClientHelloResult
add (GstGnutlsDtlsClientHello * gate, GByteArray * record,
    const guint8 ** out, gsize * out_size)
{
  return gst_gnutls_dtls_client_hello_add (gate, record->data, record->len,
      out, out_size);
}

/* Adds the fragments [offsets[i], offsets[i] + lengths[i]) in that order:
 * the last one, and only the last one, must complete the message, which
 * must come out exactly as the unfragmented @hello. */
static void
check_reassembly (GByteArray * hello, const guint32 * offsets,
    const guint32 * lengths, guint n)
{
  GstGnutlsDtlsClientHello gate = { 0, };
  const guint8 *out = NULL;
  gsize out_size = 0;
  GByteArray *stolen;
  guint i;

  for (i = 0; i < n; i++) {
    GByteArray *f = dtls_hello_fragment (hello, offsets[i], lengths[i]);
    GstGnutlsDtlsClientHelloResult r = add (&gate, f, &out, &out_size);

    fail_unless_equals_int (r, i + 1 < n ?
        GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL :
        GST_GNUTLS_DTLS_CLIENT_HELLO_COMPLETE);
    g_byte_array_unref (f);
  }
  fail_unless_equals_int (gate.missing, 0);
  fail_unless_equals_uint64 (out_size, hello->len);
  fail_unless (memcmp (out, hello->data, hello->len) == 0,
      "reassembled ClientHello differs from the original");

  stolen = gst_gnutls_dtls_client_hello_steal (&gate);
  fail_unless (stolen != NULL && stolen->data == out);
  fail_unless (gate.record == NULL && gate.received == NULL);
  g_byte_array_unref (stolen);
  gst_gnutls_dtls_client_hello_clear (&gate);
}

GST_START_TEST (test_whole)
{
  GByteArray *hello = real_client_hello ();
  GstGnutlsDtlsClientHello gate = { 0, };
  const guint8 *out = NULL;
  gsize out_size = 0;

  fail_unless_equals_int (add (&gate, hello, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_COMPLETE);
  /* not copied */
  fail_unless (out == hello->data);
  fail_unless_equals_uint64 (out_size, hello->len);
  fail_unless (gate.record == NULL);
  fail_unless (gst_gnutls_dtls_client_hello_steal (&gate) == NULL);
  gst_gnutls_dtls_client_hello_clear (&gate);
  g_byte_array_unref (hello);
}

GST_END_TEST;

GST_START_TEST (test_in_order)
{
  GByteArray *hello = real_client_hello ();
  guint32 len = body_length (hello);
  guint32 *offsets = g_new (guint32, len);
  guint32 *lengths = g_new (guint32, len);
  guint step;

  /* fragments of 1, 2, 5, 14, 41... bytes, the last one shorter */
  for (step = 1; step < len; step = step * 3 - 1) {
    guint32 off;
    guint n = 0;

    for (off = 0; off < len; off += step) {
      offsets[n] = off;
      lengths[n] = MIN (step, len - off);
      n++;
    }
    check_reassembly (hello, offsets, lengths, n);
  }
  g_free (offsets);
  g_free (lengths);
  g_byte_array_unref (hello);
}

GST_END_TEST;

GST_START_TEST (test_out_of_order)
{
  GByteArray *hello = real_client_hello ();
  guint32 len = body_length (hello);
  guint32 a = len / 3, b = 2 * len / 3;
  guint32 rev_offsets[] = { b, a, 0 };
  guint32 rev_lengths[] = { len - b, b - a, a };
  guint32 mid_offsets[] = { a, 0, b };
  guint32 mid_lengths[] = { b - a, a, len - b };

  check_reassembly (hello, rev_offsets, rev_lengths, 3);
  check_reassembly (hello, mid_offsets, mid_lengths, 3);
  g_byte_array_unref (hello);
}

GST_END_TEST;

GST_START_TEST (test_overlapping)
{
  GByteArray *hello = real_client_hello ();
  guint32 len = body_length (hello);
  /* [0, len/2), [len/4, 3len/4), [len/2, len) */
  guint32 offsets[] = { 0, len / 4, len / 2 };
  guint32 lengths[] = { len / 2, len / 2, len - len / 2 };
  /* the tail; a piece inside it; one across its start; the head */
  guint32 nested_offsets[] = { 10, 20, 5, 0 };
  guint32 nested_lengths[] = { len - 10, 10, 10, 5 };

  check_reassembly (hello, offsets, lengths, 3);
  check_reassembly (hello, nested_offsets, nested_lengths, 4);
  g_byte_array_unref (hello);
}

GST_END_TEST;

GST_START_TEST (test_duplicated)
{
  GByteArray *hello = real_client_hello ();
  guint32 len = body_length (hello);
  guint32 offsets[] = { 0, 0, 0, len / 2, len / 2 };
  guint32 lengths[] = { len / 2, len / 2, len / 2, len - len / 2, 0 };
  GstGnutlsDtlsClientHello gate = { 0, };
  const guint8 *out;
  gsize out_size;
  GByteArray *f;
  guint i;

  /* the same first half three times: still half missing */
  for (i = 0; i < 3; i++) {
    f = dtls_hello_fragment (hello, offsets[i], lengths[i]);
    fail_unless_equals_int (add (&gate, f, &out, &out_size),
        GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL);
    fail_unless_equals_int (gate.missing, len - len / 2);
    g_byte_array_unref (f);
  }
  /* an empty fragment changes nothing */
  f = dtls_hello_fragment (hello, len / 2, 0);
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL);
  fail_unless_equals_int (gate.missing, len - len / 2);
  g_byte_array_unref (f);
  gst_gnutls_dtls_client_hello_clear (&gate);

  check_reassembly (hello, offsets, lengths, 4);
  g_byte_array_unref (hello);
}

GST_END_TEST;

/* A fragment of another message (message_seq or length) starts afresh:
 * what was gathered of the first one is forgotten */
GST_START_TEST (test_other_message)
{
  GByteArray *hello = real_client_hello ();
  guint32 len = body_length (hello);
  GstGnutlsDtlsClientHello gate = { 0, };
  const guint8 *out;
  gsize out_size;
  GByteArray *f;

  f = dtls_hello_fragment (hello, 0, len / 2);
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL);
  g_byte_array_unref (f);

  /* message_seq 1 */
  f = dtls_hello_fragment (hello, len / 2, len - len / 2);
  f->data[HDR + 5] = 1;
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL);
  fail_unless_equals_int (gate.missing, len / 2);
  fail_unless_equals_int (gate.message_seq, 1);
  g_byte_array_unref (f);

  /* back to message_seq 0, second half only: the first half is gone */
  f = dtls_hello_fragment (hello, len / 2, len - len / 2);
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL);
  fail_unless_equals_int (gate.missing, len / 2);
  g_byte_array_unref (f);

  /* same seq, another length */
  f = dtls_hello_fragment (hello, 0, len / 2);
  f->data[HDR + 3] += 1;
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL);
  fail_unless_equals_int (gate.missing, len + 1 - len / 2);
  g_byte_array_unref (f);

  gst_gnutls_dtls_client_hello_clear (&gate);
  g_byte_array_unref (hello);
}

GST_END_TEST;

GST_START_TEST (test_ignored)
{
  GByteArray *hello = real_client_hello ();
  guint32 len = body_length (hello);
  GstGnutlsDtlsClientHello gate = { 0, };
  const guint8 *out = NULL;
  gsize out_size = 0;
  GByteArray *f;

  /* oversized: a message longer than GST_GNUTLS_DTLS_MAX_CLIENT_HELLO */
  f = dtls_hello_fragment (hello, 0, 100);
  f->data[HDR + 1] = (GST_GNUTLS_DTLS_MAX_CLIENT_HELLO + 1) >> 16;
  f->data[HDR + 2] = (GST_GNUTLS_DTLS_MAX_CLIENT_HELLO + 1) >> 8;
  f->data[HDR + 3] = (GST_GNUTLS_DTLS_MAX_CLIENT_HELLO + 1) & 0xff;
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_IGNORED);
  /* the largest is taken */
  f->data[HDR + 1] = GST_GNUTLS_DTLS_MAX_CLIENT_HELLO >> 16;
  f->data[HDR + 2] = GST_GNUTLS_DTLS_MAX_CLIENT_HELLO >> 8;
  f->data[HDR + 3] = GST_GNUTLS_DTLS_MAX_CLIENT_HELLO & 0xff;
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL);
  fail_unless_equals_int (gate.missing, GST_GNUTLS_DTLS_MAX_CLIENT_HELLO - 100);
  gst_gnutls_dtls_client_hello_clear (&gate);
  g_byte_array_unref (f);

  /* a fragment running past the end of the message */
  f = dtls_hello_fragment (hello, len / 2, len - len / 2);
  f->data[HDR + 8] += 1;
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_IGNORED);
  g_byte_array_unref (f);

  /* a fragment claiming more bytes than its record holds */
  f = dtls_hello_fragment (hello, 0, len / 2);
  f->data[HDR + 11] += 1;
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_IGNORED);
  g_byte_array_unref (f);

  /* a record cut short by the end of the datagram */
  f = dtls_hello_fragment (hello, 0, len / 2);
  g_byte_array_set_size (f, f->len - 1);
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_IGNORED);
  g_byte_array_unref (f);

  /* another handshake message (ServerHello), another content type */
  f = dtls_hello_fragment (hello, 0, len);
  f->data[HDR] = 2;
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_IGNORED);
  f->data[HDR] = 1;
  f->data[0] = 23;
  fail_unless_equals_int (add (&gate, f, &out, &out_size),
      GST_GNUTLS_DTLS_CLIENT_HELLO_IGNORED);
  g_byte_array_unref (f);

  fail_unless (gate.record == NULL, "an ignored record left state behind");
  fail_unless (out == NULL && out_size == 0);
  g_byte_array_unref (hello);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Cookies                                                                  */

static const gchar *client_id = "connection-7";

static GstGnutlsDtlsCookieResult
cookie_check (GstGnutlsDtlsCookieSecret * secret, gint64 now, const gchar * id,
    GByteArray * hello, gnutls_dtls_prestate_st * prestate, GByteArray ** reply)
{
  GstGnutlsDtlsCookieResult r;
  GByteArray *out = g_byte_array_new ();
  gnutls_dtls_prestate_st unused;

  r = gst_gnutls_dtls_cookie_check (secret, now, id, hello->data, hello->len,
      prestate ? prestate : &unused, out);
  if (r == GST_GNUTLS_DTLS_COOKIE_REQUESTED) {
    GstGnutlsDtlsRecord rec;
    GstGnutlsDtlsHandshake hs;

    /* a whole HelloVerifyRequest record, nothing else */
    fail_unless (gst_gnutls_dtls_record_parse (out->data, out->len, &rec));
    fail_unless_equals_uint64 (rec.size, out->len);
    fail_unless (gst_gnutls_dtls_handshake_parse (&rec, &hs));
    fail_unless_equals_int (hs.msg_type, 3);
  } else {
    fail_unless_equals_int (out->len, 0);
  }
  if (reply)
    *reply = out;
  else
    g_byte_array_unref (out);
  return r;
}

/* A client's ClientHello carrying the cookie of @secret at @now */
static GByteArray *
hello_with_cookie (DtlsHelloClient * c, GstGnutlsDtlsCookieSecret * secret,
    gint64 now)
{
  GByteArray *hello1, *hvr, *hello2;

  fail_unless (dtls_hello_client_init (c));
  hello1 = dtls_hello_client_step (c, NULL, 0);
  fail_unless_equals_int (cookie_check (secret, now, client_id, hello1, NULL,
          &hvr), GST_GNUTLS_DTLS_COOKIE_REQUESTED);
  hello2 = dtls_hello_client_step (c, hvr->data, hvr->len);
  fail_unless (hello2->len > hello1->len, "no cookie in the hello2 "
      "ClientHello (%u bytes, hello1 %u)", hello2->len, hello1->len);
  g_byte_array_unref (hello1);
  g_byte_array_unref (hvr);
  return hello2;
}

/* Where the cookie bytes are in a ClientHello record */
static guint8 *
cookie_of (GByteArray * hello, guint * cookie_len)
{
  /* client_version (2), random (32), session_id, cookie */
  guint8 *p = hello->data + HDR + HS_HDR + 2 + 32;

  p += 1 + p[0];
  *cookie_len = p[0];
  return p + 1;
}

GST_START_TEST (test_cookie_exchange)
{
  GstGnutlsDtlsCookieSecret secret;
  gnutls_dtls_prestate_st prestate;
  DtlsHelloClient c;
  GByteArray *hello;
  guint cookie_len;

  gst_gnutls_dtls_cookie_secret_init (&secret, 0);
  hello = hello_with_cookie (&c, &secret, 0);
  cookie_of (hello, &cookie_len);
  fail_unless (cookie_len > 0);

  memset (&prestate, 0xee, sizeof (prestate));
  fail_unless_equals_int (cookie_check (&secret, SECOND, client_id, hello,
          &prestate, NULL), GST_GNUTLS_DTLS_COOKIE_VALID);
  /* the session goes on from the second ClientHello (message_seq 1) */
  fail_unless_equals_int (prestate.hsk_read_seq, 1);
  fail_unless_equals_int (prestate.record_seq, 1);
  /* the same cookie again: still valid (the client may repeat it) */
  fail_unless_equals_int (cookie_check (&secret, 2 * SECOND, client_id, hello,
          NULL, NULL), GST_GNUTLS_DTLS_COOKIE_VALID);

  g_byte_array_unref (hello);
  dtls_hello_client_clear (&c);
  gst_gnutls_dtls_cookie_secret_clear (&secret);
}

GST_END_TEST;

GST_START_TEST (test_cookie_wrong)
{
  GstGnutlsDtlsCookieSecret secret, other;
  DtlsHelloClient c;
  GByteArray *hello;
  guint8 *cookie;
  guint cookie_len, i;

  gst_gnutls_dtls_cookie_secret_init (&secret, 0);
  gst_gnutls_dtls_cookie_secret_init (&other, 0);
  hello = hello_with_cookie (&c, &secret, 0);

  /* bound to the connection-id */
  fail_unless_equals_int (cookie_check (&secret, 0, "connection-8", hello, NULL,
          NULL), GST_GNUTLS_DTLS_COOKIE_REQUESTED);
  /* made with another secret (another process) */
  fail_unless_equals_int (cookie_check (&other, 0, client_id, hello, NULL,
          NULL), GST_GNUTLS_DTLS_COOKIE_REQUESTED);
  /* any bit of it changed */
  cookie = cookie_of (hello, &cookie_len);
  for (i = 0; i < cookie_len * 8; i += 5) {
    cookie[i / 8] ^= 1 << (i % 8);
    fail_unless_equals_int (cookie_check (&secret, 0, client_id, hello, NULL,
            NULL), GST_GNUTLS_DTLS_COOKIE_REQUESTED);
    cookie[i / 8] ^= 1 << (i % 8);
  }
  fail_unless_equals_int (cookie_check (&secret, 0, client_id, hello, NULL,
          NULL), GST_GNUTLS_DTLS_COOKIE_VALID);

  g_byte_array_unref (hello);
  dtls_hello_client_clear (&c);
  gst_gnutls_dtls_cookie_secret_clear (&secret);
  gst_gnutls_dtls_cookie_secret_clear (&other);
}

GST_END_TEST;

/* A cookie is valid for at least one GST_GNUTLS_DTLS_COOKIE_LIFETIME and
 * at most two */
GST_START_TEST (test_cookie_expired)
{
  const gint64 life = GST_GNUTLS_DTLS_COOKIE_LIFETIME;
  GstGnutlsDtlsCookieSecret secret;
  DtlsHelloClient c;
  GByteArray *hello;

  gst_gnutls_dtls_cookie_secret_init (&secret, 0);
  hello = hello_with_cookie (&c, &secret, 0);
  fail_unless_equals_int (cookie_check (&secret, life - 1, client_id, hello,
          NULL, NULL), GST_GNUTLS_DTLS_COOKIE_VALID);
  /* its secret is the previous one now */
  fail_unless_equals_int (cookie_check (&secret, life + 1, client_id, hello,
          NULL, NULL), GST_GNUTLS_DTLS_COOKIE_VALID);
  fail_unless_equals_int (cookie_check (&secret, 2 * life - 1, client_id, hello,
          NULL, NULL), GST_GNUTLS_DTLS_COOKIE_VALID);
  /* and is forgotten */
  fail_unless_equals_int (cookie_check (&secret, 2 * life, client_id, hello,
          NULL, NULL), GST_GNUTLS_DTLS_COOKIE_REQUESTED);
  fail_unless_equals_int (cookie_check (&secret, 2 * life + 1, client_id, hello,
          NULL, NULL), GST_GNUTLS_DTLS_COOKIE_REQUESTED);
  g_byte_array_unref (hello);
  dtls_hello_client_clear (&c);

  /* a cookie made just before a change lives one more period */
  hello = hello_with_cookie (&c, &secret, 3 * life - 1);
  fail_unless_equals_int (cookie_check (&secret, 4 * life - 1, client_id, hello,
          NULL, NULL), GST_GNUTLS_DTLS_COOKIE_VALID);
  fail_unless_equals_int (cookie_check (&secret, 4 * life, client_id, hello,
          NULL, NULL), GST_GNUTLS_DTLS_COOKIE_REQUESTED);
  g_byte_array_unref (hello);
  dtls_hello_client_clear (&c);

  /* after a silence of two periods or more both secrets are new */
  hello = hello_with_cookie (&c, &secret, 10 * life);
  fail_unless_equals_int (cookie_check (&secret, 10 * life + 1, client_id,
          hello, NULL, NULL), GST_GNUTLS_DTLS_COOKIE_VALID);
  fail_unless_equals_int (cookie_check (&secret, 12 * life + life / 2,
          client_id, hello, NULL, NULL), GST_GNUTLS_DTLS_COOKIE_REQUESTED);
  g_byte_array_unref (hello);
  dtls_hello_client_clear (&c);

  gst_gnutls_dtls_cookie_secret_clear (&secret);
}

GST_END_TEST;

GST_START_TEST (test_cookie_malformed)
{
  GstGnutlsDtlsCookieSecret secret;
  GByteArray *hello = real_client_hello ();
  GByteArray *cut = g_byte_array_new ();

  gst_gnutls_dtls_cookie_secret_init (&secret, 0);
  /* the headers only */
  g_byte_array_append (cut, hello->data, HDR + HS_HDR);
  fail_unless_equals_int (cookie_check (&secret, 0, client_id, cut, NULL, NULL),
      GST_GNUTLS_DTLS_COOKIE_MALFORMED);
  /* cut inside the random */
  g_byte_array_append (cut, hello->data + HDR + HS_HDR, 10);
  fail_unless_equals_int (cookie_check (&secret, 0, client_id, cut, NULL, NULL),
      GST_GNUTLS_DTLS_COOKIE_MALFORMED);
  /* a session_id longer than the message */
  g_byte_array_set_size (cut, 0);
  g_byte_array_append (cut, hello->data, HDR + HS_HDR + 2 + 32 + 1);
  cut->data[cut->len - 1] = 200;
  fail_unless_equals_int (cookie_check (&secret, 0, client_id, cut, NULL, NULL),
      GST_GNUTLS_DTLS_COOKIE_MALFORMED);

  g_byte_array_unref (cut);
  g_byte_array_unref (hello);
  gst_gnutls_dtls_cookie_secret_clear (&secret);
}

GST_END_TEST;

static Suite *
dtls_clienthello_suite (void)
{
  Suite *s = suite_create ("dtls_clienthello");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_whole);
  tcase_add_test (tc, test_in_order);
  tcase_add_test (tc, test_out_of_order);
  tcase_add_test (tc, test_overlapping);
  tcase_add_test (tc, test_duplicated);
  tcase_add_test (tc, test_other_message);
  tcase_add_test (tc, test_ignored);
  tcase_add_test (tc, test_cookie_exchange);
  tcase_add_test (tc, test_cookie_wrong);
  tcase_add_test (tc, test_cookie_expired);
  tcase_add_test (tc, test_cookie_malformed);
  return s;
}

GST_CHECK_MAIN (dtls_clienthello);
