/* GStreamer GnuTLS DTLS-SRTP suite: DTLS record and handshake framing
 * (RFC 6347 4.1 and 4.2.2), as pure functions over bytes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * What arrives from the network is checked here before any of it reaches
 * GnuTLS: a datagram is split into the whole records it starts with, and a
 * record is taken only when its header is a plausible DTLS one and its
 * fragment lies inside the datagram. Nothing is allocated, nothing is
 * logged: the callers decide what a drop means.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlsrecord.h"

static inline guint
read_u16 (const guint8 * p)
{
  return ((guint) p[0] << 8) | p[1];
}

static inline guint32
read_u24 (const guint8 * p)
{
  return ((guint32) p[0] << 16) | ((guint32) p[1] << 8) | p[2];
}

static inline guint64
read_u48 (const guint8 * p)
{
  return ((guint64) read_u24 (p) << 24) | read_u24 (p + 3);
}

/**
 * gst_gnutls_dtls_record_parse:
 * @data: bytes starting with a record header
 * @size: how many bytes there are from @data on
 * @record: (out): the record, pointing into @data
 *
 * Returns: %TRUE if @data starts with a whole DTLS record: a known content
 * type, a DTLS version (major byte 0xfe) and a fragment that ends within
 * @size. Bytes after the record are not looked at.
 */
gboolean
gst_gnutls_dtls_record_parse (const guint8 * data, gsize size,
    GstGnutlsDtlsRecord * record)
{
  gsize length;

  if (size < GST_GNUTLS_DTLS_RECORD_HEADER_SIZE)
    return FALSE;
  if (data[0] < GST_GNUTLS_DTLS_CONTENT_TYPE_MIN ||
      data[0] > GST_GNUTLS_DTLS_CONTENT_TYPE_MAX || data[1] != 0xfe)
    return FALSE;
  length = read_u16 (data + 11);
  if (length > size - GST_GNUTLS_DTLS_RECORD_HEADER_SIZE)
    return FALSE;

  record->data = data;
  record->size = GST_GNUTLS_DTLS_RECORD_HEADER_SIZE + length;
  record->content_type = data[0];
  record->version = read_u16 (data + 1);
  record->epoch = read_u16 (data + 3);
  record->sequence_number = read_u48 (data + 5);
  record->fragment = data + GST_GNUTLS_DTLS_RECORD_HEADER_SIZE;
  record->fragment_size = length;
  return TRUE;
}

void
gst_gnutls_dtls_record_iter_init (GstGnutlsDtlsRecordIter * iter,
    const guint8 * data, gsize size)
{
  iter->data = data;
  iter->size = size;
  iter->pos = 0;
}

/**
 * gst_gnutls_dtls_record_iter_next:
 * @record: (out): the next record
 *
 * Returns: %FALSE at the end of the datagram, or at the first bytes that are
 * not a whole record: those and everything after them are left (RFC 6347
 * 4.1.2.7: invalid records are silently discarded; once the framing is lost
 * nothing after it can be trusted to start a record).
 */
gboolean
gst_gnutls_dtls_record_iter_next (GstGnutlsDtlsRecordIter * iter,
    GstGnutlsDtlsRecord * record)
{
  gsize left = iter->size - iter->pos;

  /* (an empty datagram may come with no data pointer at all) */
  if (left < GST_GNUTLS_DTLS_RECORD_HEADER_SIZE ||
      !gst_gnutls_dtls_record_parse (iter->data + iter->pos, left, record))
    return FALSE;
  iter->pos += record->size;
  return TRUE;
}

/* Bytes not taken as records, once gst_gnutls_dtls_record_iter_next() has
 * returned FALSE */
gsize
gst_gnutls_dtls_record_iter_remaining (const GstGnutlsDtlsRecordIter * iter)
{
  return iter->size - iter->pos;
}

/**
 * gst_gnutls_dtls_handshake_parse:
 * @record: a record
 * @handshake: (out): its handshake message header
 *
 * Returns: %TRUE if @record is a handshake record that starts with a whole
 * handshake header, whose fragment lies inside the record and inside the
 * message it belongs to.
 */
gboolean
gst_gnutls_dtls_handshake_parse (const GstGnutlsDtlsRecord * record,
    GstGnutlsDtlsHandshake * handshake)
{
  const guint8 *h = record->fragment;

  if (record->content_type != GST_GNUTLS_DTLS_CONTENT_TYPE_HANDSHAKE ||
      record->fragment_size < GST_GNUTLS_DTLS_HANDSHAKE_HEADER_SIZE)
    return FALSE;

  handshake->msg_type = h[0];
  handshake->length = read_u24 (h + 1);
  handshake->message_seq = read_u16 (h + 4);
  handshake->fragment_offset = read_u24 (h + 6);
  handshake->fragment_length = read_u24 (h + 9);
  handshake->fragment = h + GST_GNUTLS_DTLS_HANDSHAKE_HEADER_SIZE;

  /* 24-bit values: these sums cannot overflow */
  if (GST_GNUTLS_DTLS_HANDSHAKE_HEADER_SIZE + (gsize)
      handshake->fragment_length > record->fragment_size)
    return FALSE;
  if (handshake->fragment_offset + handshake->fragment_length >
      handshake->length)
    return FALSE;
  return TRUE;
}
