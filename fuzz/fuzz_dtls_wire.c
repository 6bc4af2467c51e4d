/* libFuzzer target: the byte-level DTLS code on its own, without elements
 * or a GnuTLS session: the record framing (ext/gnutls/gstgnutlsdtlsrecord.c)
 * and the server's ClientHello gate, reassembly and cookie check
 * (gstgnutlsdtlsclienthello.c), driven as gstgnutlsdtlsconnection.c drives
 * them for a server that has no session yet.
 *
 * Input: a flags byte (fuzz-wire.h: how far the clock moves between two
 * datagrams, so that cookies expire), then the datagrams as chunks
 * (fuzz-common.h). The cookie secret is fixed, so a ClientHello of the
 * corpus can carry a valid cookie (gen-seeds.c writes one, made by a real
 * GnuTLS client).
 *
 * Besides the sanitizers, the target checks what the connection relies on:
 * the records of a datagram lie one after the other inside it, a handshake
 * fragment inside its record, a reassembled ClientHello is one whole
 * record, and a HelloVerifyRequest is one whole record.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"
#include "fuzz-wire.h"

#include "gstgnutlsdtlsrecord.h"

#define FUZZ_CHECK(cond) \
    G_STMT_START { \
      if (!(cond)) { \
        g_printerr ("fuzz_dtls_wire: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        abort (); \
      } \
    } G_STMT_END

static GstGnutlsDtlsCookieSecret secret;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib (argc, argv);
  gst_gnutls_dtls_cookie_secret_init (&secret, 0);
  return 0;
}

static void
check_record (const GstGnutlsDtlsRecord * rec, const guint8 * data, gsize size)
{
  GstGnutlsDtlsHandshake hs;

  FUZZ_CHECK (rec->data >= data && rec->data + rec->size <= data + size);
  FUZZ_CHECK (rec->size == GST_GNUTLS_DTLS_RECORD_HEADER_SIZE +
      rec->fragment_size);
  if (gst_gnutls_dtls_handshake_parse (rec, &hs)) {
    FUZZ_CHECK (hs.fragment >= rec->fragment);
    FUZZ_CHECK (hs.fragment + hs.fragment_length <=
        rec->fragment + rec->fragment_size);
    FUZZ_CHECK ((guint64) hs.fragment_offset + hs.fragment_length <= hs.length);
  }
}

/* One record through the gate. Returns TRUE when a session would be made
 * (a ClientHello with a valid cookie). */
static gboolean
gate (GstGnutlsDtlsClientHello * hello, const GstGnutlsDtlsRecord * rec,
    gint64 now)
{
  const guint8 *whole = NULL;
  gsize whole_size = 0;
  gnutls_dtls_prestate_st prestate;
  GstGnutlsDtlsCookieResult result;
  GstGnutlsDtlsRecord parsed;
  GByteArray *reply;

  switch (gst_gnutls_dtls_client_hello_add (hello, rec->data, rec->size,
          &whole, &whole_size)) {
    case GST_GNUTLS_DTLS_CLIENT_HELLO_COMPLETE:
      break;
    case GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL:
      FUZZ_CHECK (hello->record != NULL && hello->missing > 0);
      return FALSE;
    default:
      return FALSE;
  }

  FUZZ_CHECK (whole_size >= GST_GNUTLS_DTLS_RECORD_HEADER_SIZE +
      GST_GNUTLS_DTLS_HANDSHAKE_HEADER_SIZE);
  if (whole == rec->data) {
    FUZZ_CHECK (whole_size <= rec->size);
  } else {
    /* reassembled: exactly one record, one unfragmented message */
    GstGnutlsDtlsHandshake hs;

    FUZZ_CHECK (hello->record && whole == hello->record->data);
    FUZZ_CHECK (gst_gnutls_dtls_record_parse (whole, whole_size, &parsed));
    FUZZ_CHECK (parsed.size == whole_size);
    FUZZ_CHECK (gst_gnutls_dtls_handshake_parse (&parsed, &hs));
    FUZZ_CHECK (hs.fragment_offset == 0 && hs.fragment_length == hs.length);
  }

  reply = g_byte_array_new ();
  result = gst_gnutls_dtls_cookie_check (&secret, now, FUZZ_WIRE_CLIENT_ID,
      whole, whole_size, &prestate, reply);
  if (result == GST_GNUTLS_DTLS_COOKIE_REQUESTED) {
    FUZZ_CHECK (gst_gnutls_dtls_record_parse (reply->data, reply->len,
            &parsed));
    FUZZ_CHECK (parsed.size == reply->len);
  } else {
    FUZZ_CHECK (reply->len == 0);
  }
  g_byte_array_unref (reply);
  return result == GST_GNUTLS_DTLS_COOKIE_VALID;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzReader r = { data, size };
  GstGnutlsDtlsClientHello hello = { 0, };
  const guint8 *datagram;
  gsize len;
  guint8 flags = fuzz_u8 (&r);
  gint64 now = 0;
  gboolean first = TRUE;

  fuzz_wire_secret_reset (&secret);
  while (fuzz_chunk (&r, &datagram, &len)) {
    GstGnutlsDtlsRecordIter iter;
    GstGnutlsDtlsRecord rec;
    gsize taken = 0;

    /* as an empty GstBuffer maps */
    if (len == 0)
      datagram = NULL;
    if (!first)
      now += fuzz_wire_clock_step (flags);
    first = FALSE;

    gst_gnutls_dtls_record_iter_init (&iter, datagram, len);
    while (gst_gnutls_dtls_record_iter_next (&iter, &rec)) {
      FUZZ_CHECK (rec.data == datagram + taken);
      check_record (&rec, datagram, len);
      taken += rec.size;
      if (gate (&hello, &rec, now)) {
        /* the connection makes its session and forgets the gate */
        GByteArray *owned = gst_gnutls_dtls_client_hello_steal (&hello);

        if (owned)
          g_byte_array_unref (owned);
        FUZZ_CHECK (hello.record == NULL && hello.missing == 0);
      }
    }
    FUZZ_CHECK (taken + gst_gnutls_dtls_record_iter_remaining (&iter) == len);
  }
  gst_gnutls_dtls_client_hello_clear (&hello);
  return 0;
}
