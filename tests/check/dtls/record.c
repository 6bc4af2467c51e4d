/* GnuTLS DTLS-SRTP for GStreamer
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The DTLS record framing on its own (ext/gnutls/gstgnutlsdtlsrecord.c):
 * how a datagram is split into records, and which bytes are refused. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "gstgnutlsdtlsrecord.h"

#define HDR GST_GNUTLS_DTLS_RECORD_HEADER_SIZE

/* Appends a record header claiming @length bytes, then @filled bytes of
 * fragment (a pattern of @fill), so that a header can lie about its
 * length. */
static void
append_record_full (GByteArray * a, guint8 type, guint16 version,
    guint16 epoch, guint64 seq, guint length, guint filled, guint8 fill)
{
  guint8 h[HDR];
  guint i;

  h[0] = type;
  h[1] = version >> 8;
  h[2] = version & 0xff;
  h[3] = epoch >> 8;
  h[4] = epoch & 0xff;
  for (i = 0; i < 6; i++)
    h[5 + i] = (seq >> (8 * (5 - i))) & 0xff;
  h[11] = length >> 8;
  h[12] = length & 0xff;
  g_byte_array_append (a, h, HDR);
  for (i = 0; i < filled; i++) {
    guint8 b = fill + i;

    g_byte_array_append (a, &b, 1);
  }
}

static void
append_record (GByteArray * a, guint8 type, guint16 epoch, guint64 seq,
    guint length, guint8 fill)
{
  append_record_full (a, type, 0xfefd, epoch, seq, length, length, fill);
}

/* Splits @a and checks that the records are the first @n_expected, with
 * the fragment lengths of @lengths, and that @dropped bytes are left. */
static void
check_split (GByteArray * a, const guint * lengths, guint n_expected,
    gsize dropped)
{
  GstGnutlsDtlsRecordIter iter;
  GstGnutlsDtlsRecord rec;
  gsize pos = 0;
  guint n = 0;

  gst_gnutls_dtls_record_iter_init (&iter, a->data, a->len);
  while (gst_gnutls_dtls_record_iter_next (&iter, &rec)) {
    fail_unless (n < n_expected, "more records than expected (%u)", n + 1);
    fail_unless (rec.data == a->data + pos, "record %u not where it starts", n);
    fail_unless_equals_uint64 (rec.fragment_size, lengths[n]);
    fail_unless_equals_uint64 (rec.size, HDR + lengths[n]);
    fail_unless (rec.fragment == rec.data + HDR);
    pos += rec.size;
    n++;
  }
  fail_unless_equals_int (n, n_expected);
  fail_unless_equals_uint64 (gst_gnutls_dtls_record_iter_remaining (&iter),
      dropped);
  fail_unless_equals_uint64 (pos + dropped, a->len);
  /* once it stopped, it stays stopped */
  fail_if (gst_gnutls_dtls_record_iter_next (&iter, &rec));
}

GST_START_TEST (test_header_fields)
{
  GByteArray *a = g_byte_array_new ();
  GstGnutlsDtlsRecord rec;

  append_record_full (a, 23, 0xfeff, 0x1234,
      G_GUINT64_CONSTANT (0xa1b2c3d4e5f6), 3, 3, 0x40);
  fail_unless (gst_gnutls_dtls_record_parse (a->data, a->len, &rec));
  fail_unless_equals_int (rec.content_type, 23);
  fail_unless_equals_int (rec.version, 0xfeff);
  fail_unless_equals_int (rec.epoch, 0x1234);
  fail_unless_equals_uint64 (rec.sequence_number,
      G_GUINT64_CONSTANT (0xa1b2c3d4e5f6));
  fail_unless_equals_uint64 (rec.fragment_size, 3);
  fail_unless_equals_int (rec.fragment[0], 0x40);
  fail_unless_equals_int (rec.fragment[2], 0x42);
  g_byte_array_unref (a);
}

GST_END_TEST;

GST_START_TEST (test_empty_and_short)
{
  GByteArray *a = g_byte_array_new ();
  GstGnutlsDtlsRecordIter iter;
  GstGnutlsDtlsRecord rec;
  guint i;

  check_split (a, NULL, 0, 0);
  /* an empty GstBuffer maps to no data at all */
  gst_gnutls_dtls_record_iter_init (&iter, NULL, 0);
  fail_if (gst_gnutls_dtls_record_iter_next (&iter, &rec));
  fail_unless_equals_uint64 (gst_gnutls_dtls_record_iter_remaining (&iter), 0);
  fail_if (gst_gnutls_dtls_record_parse (NULL, 0, &rec));
  /* every length shorter than a header */
  for (i = 1; i < HDR; i++) {
    guint8 b = 22;

    g_byte_array_append (a, &b, 1);
    fail_if (gst_gnutls_dtls_record_parse (a->data, a->len, &rec));
    check_split (a, NULL, 0, i);
  }
  g_byte_array_unref (a);
}

GST_END_TEST;

GST_START_TEST (test_zero_length_records)
{
  GByteArray *a = g_byte_array_new ();
  const guint lengths[] = { 0, 0, 5, 0 };

  append_record (a, 22, 0, 0, 0, 0);
  append_record (a, 21, 0, 1, 0, 0);
  append_record (a, 23, 1, 0, 5, 7);
  append_record (a, 20, 1, 1, 0, 0);
  check_split (a, lengths, 4, 0);
  g_byte_array_unref (a);
}

GST_END_TEST;

GST_START_TEST (test_many_records)
{
  GByteArray *a = g_byte_array_new ();
  guint lengths[200];
  guint i;

  /* 200 records of every content type, lengths 0..397 */
  for (i = 0; i < G_N_ELEMENTS (lengths); i++) {
    lengths[i] = (i * 37) % 398;
    append_record (a, 20 + i % 6, i / 50, i, lengths[i], i);
  }
  check_split (a, lengths, G_N_ELEMENTS (lengths), 0);
  g_byte_array_unref (a);
}

GST_END_TEST;

GST_START_TEST (test_largest_record)
{
  GByteArray *a = g_byte_array_new ();
  const guint lengths[] = { 0xffff };

  append_record (a, 23, 1, 1, 0xffff, 0);
  check_split (a, lengths, 1, 0);
  /* one byte short */
  g_byte_array_set_size (a, a->len - 1);
  check_split (a, NULL, 0, a->len);
  g_byte_array_unref (a);
}

GST_END_TEST;

/* A record cut short by the end of the datagram is dropped, with nothing
 * after it; the records before it are kept. */
GST_START_TEST (test_truncated)
{
  GByteArray *a = g_byte_array_new ();
  const guint lengths[] = { 10, 20 };
  guint cut;

  append_record (a, 22, 0, 0, 10, 1);
  append_record (a, 22, 0, 1, 20, 2);
  for (cut = 1; cut <= HDR + 30; cut++) {
    g_byte_array_set_size (a, 0);
    append_record (a, 22, 0, 0, 10, 1);
    append_record (a, 22, 0, 1, 20, 2);
    append_record (a, 22, 0, 2, 30, 3);
    g_byte_array_set_size (a, a->len - cut);
    check_split (a, lengths, 2, HDR + 30 - cut);
  }
  g_byte_array_unref (a);
}

GST_END_TEST;

/* A header whose length runs past the datagram: the record and what
 * follows are dropped */
GST_START_TEST (test_overlong)
{
  GByteArray *a = g_byte_array_new ();
  const guint lengths[] = { 4 };

  append_record (a, 22, 0, 0, 4, 0);
  append_record_full (a, 22, 0xfefd, 0, 1, 0xffff, 8, 0);
  append_record (a, 22, 0, 2, 4, 0);
  check_split (a, lengths, 1, a->len - (HDR + 4));
  g_byte_array_unref (a);
}

GST_END_TEST;

/* What is not a DTLS record stops the split: unknown content types, TLS
 * versions, garbage */
GST_START_TEST (test_not_dtls)
{
  static const guint8 bad_types[] = { 0, 19, 26, 0x80, 0xff };
  static const guint16 bad_versions[] = { 0x0303, 0x0301, 0x00fe, 0xfdfd };
  const guint lengths[] = { 3 };
  GByteArray *a = g_byte_array_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_types); i++) {
    g_byte_array_set_size (a, 0);
    append_record (a, 23, 1, 0, 3, 0);
    append_record (a, bad_types[i], 1, 1, 3, 0);
    append_record (a, 23, 1, 2, 3, 0);
    check_split (a, lengths, 1, 2 * (HDR + 3));
  }
  for (i = 0; i < G_N_ELEMENTS (bad_versions); i++) {
    g_byte_array_set_size (a, 0);
    append_record (a, 23, 1, 0, 3, 0);
    append_record_full (a, 23, bad_versions[i], 1, 1, 3, 3, 0);
    check_split (a, lengths, 1, HDR + 3);
  }
  /* an RTP packet (first byte 0x80) is not a record */
  g_byte_array_set_size (a, 0);
  append_record_full (a, 0x80, 0x6f00, 0, 0, 0, 160, 0);
  check_split (a, NULL, 0, a->len);
  g_byte_array_unref (a);
}

GST_END_TEST;

static void
append_handshake (GByteArray * a, guint8 msg_type, guint32 length,
    guint16 seq, guint32 offset, guint32 frag_len, guint record_extra)
{
  guint8 h[12];
  guint i;

  append_record_full (a, 22, 0xfefd, 0, seq, 12 + frag_len + record_extra, 0,
      0);
  h[0] = msg_type;
  h[1] = length >> 16;
  h[2] = length >> 8;
  h[3] = length;
  h[4] = seq >> 8;
  h[5] = seq;
  h[6] = offset >> 16;
  h[7] = offset >> 8;
  h[8] = offset;
  h[9] = frag_len >> 16;
  h[10] = frag_len >> 8;
  h[11] = frag_len;
  g_byte_array_append (a, h, 12);
  for (i = 0; i < frag_len + record_extra; i++) {
    guint8 b = i;

    g_byte_array_append (a, &b, 1);
  }
}

static gboolean
parse_handshake (GByteArray * a, GstGnutlsDtlsHandshake * hs)
{
  GstGnutlsDtlsRecord rec;

  fail_unless (gst_gnutls_dtls_record_parse (a->data, a->len, &rec));
  return gst_gnutls_dtls_handshake_parse (&rec, hs);
}

GST_START_TEST (test_handshake_header)
{
  GByteArray *a = g_byte_array_new ();
  GstGnutlsDtlsHandshake hs;

  append_handshake (a, 1, 300, 2, 100, 50, 0);
  fail_unless (parse_handshake (a, &hs));
  fail_unless_equals_int (hs.msg_type, 1);
  fail_unless_equals_int (hs.length, 300);
  fail_unless_equals_int (hs.message_seq, 2);
  fail_unless_equals_int (hs.fragment_offset, 100);
  fail_unless_equals_int (hs.fragment_length, 50);
  fail_unless (hs.fragment == a->data + HDR + 12);

  /* the last fragment, exactly */
  g_byte_array_set_size (a, 0);
  append_handshake (a, 1, 300, 0, 250, 50, 0);
  fail_unless (parse_handshake (a, &hs));
  /* a record may carry more after the fragment */
  g_byte_array_set_size (a, 0);
  append_handshake (a, 1, 300, 0, 0, 300, 20);
  fail_unless (parse_handshake (a, &hs));
  /* an empty fragment */
  g_byte_array_set_size (a, 0);
  append_handshake (a, 1, 300, 0, 10, 0, 0);
  fail_unless (parse_handshake (a, &hs));
  fail_unless_equals_int (hs.fragment_length, 0);
  g_byte_array_unref (a);
}

GST_END_TEST;

GST_START_TEST (test_handshake_header_refused)
{
  GByteArray *a = g_byte_array_new ();
  GstGnutlsDtlsHandshake hs;
  GstGnutlsDtlsRecord rec;

  /* past the end of the message */
  append_handshake (a, 1, 300, 0, 251, 50, 0);
  fail_if (parse_handshake (a, &hs));
  g_byte_array_set_size (a, 0);
  append_handshake (a, 1, 0xffffff, 0, 0xffffff, 0xffffff, 0);
  fail_if (parse_handshake (a, &hs));
  /* a fragment longer than its record */
  g_byte_array_set_size (a, 0);
  append_handshake (a, 1, 300, 0, 0, 300, 0);
  a->data[12] -= 1;             /* record length one short */
  g_byte_array_set_size (a, a->len - 1);
  fail_if (parse_handshake (a, &hs));
  /* a record too short for a handshake header */
  g_byte_array_set_size (a, 0);
  append_record (a, 22, 0, 0, 11, 0);
  fail_if (parse_handshake (a, &hs));
  /* not a handshake record */
  g_byte_array_set_size (a, 0);
  append_handshake (a, 1, 10, 0, 0, 10, 0);
  a->data[0] = 23;
  fail_unless (gst_gnutls_dtls_record_parse (a->data, a->len, &rec));
  fail_if (gst_gnutls_dtls_handshake_parse (&rec, &hs));
  g_byte_array_unref (a);
}

GST_END_TEST;

static Suite *
dtls_record_suite (void)
{
  Suite *s = suite_create ("dtls_record");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_header_fields);
  tcase_add_test (tc, test_empty_and_short);
  tcase_add_test (tc, test_zero_length_records);
  tcase_add_test (tc, test_many_records);
  tcase_add_test (tc, test_largest_record);
  tcase_add_test (tc, test_truncated);
  tcase_add_test (tc, test_overlong);
  tcase_add_test (tc, test_not_dtls);
  tcase_add_test (tc, test_handshake_header);
  tcase_add_test (tc, test_handshake_header_refused);
  return s;
}

GST_CHECK_MAIN (dtls_record);
