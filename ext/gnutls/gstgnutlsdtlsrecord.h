/* GStreamer GnuTLS DTLS-SRTP suite: DTLS record and handshake framing
 * (RFC 6347 4.1 and 4.2.2), as pure functions over bytes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_RECORD_H__
#define __GST_GNUTLS_DTLS_RECORD_H__

#include <glib.h>

G_BEGIN_DECLS

/* type (1), version (2), epoch (2), sequence number (6), length (2) */
#define GST_GNUTLS_DTLS_RECORD_HEADER_SIZE 13
/* type (1), length (3), message_seq (2), fragment_offset (3),
 * fragment_length (3) */
#define GST_GNUTLS_DTLS_HANDSHAKE_HEADER_SIZE 12

/* Record content types, from change_cipher_spec (20) to tls12_cid (25,
 * RFC 9146) */
#define GST_GNUTLS_DTLS_CONTENT_TYPE_MIN 20
#define GST_GNUTLS_DTLS_CONTENT_TYPE_HANDSHAKE 22
#define GST_GNUTLS_DTLS_CONTENT_TYPE_MAX 25

#define GST_GNUTLS_DTLS_HANDSHAKE_CLIENT_HELLO 1

/* One record, pointing into the datagram it was read from */
typedef struct
{
  const guint8 *data;           /* the record, header included */
  gsize size;                   /* header + fragment */
  guint8 content_type;
  guint16 version;              /* 0xfefd: DTLS 1.2, 0xfeff: DTLS 1.0 */
  guint16 epoch;
  guint64 sequence_number;      /* 48 bits */
  const guint8 *fragment;
  gsize fragment_size;
} GstGnutlsDtlsRecord;

/* The handshake message header at the start of a handshake record */
typedef struct
{
  guint8 msg_type;
  guint32 length;               /* of the whole message body */
  guint16 message_seq;
  guint32 fragment_offset;
  guint32 fragment_length;
  const guint8 *fragment;       /* fragment_length bytes */
} GstGnutlsDtlsHandshake;

/* Walks the records of a datagram */
typedef struct
{
  const guint8 *data;
  gsize size;
  gsize pos;
} GstGnutlsDtlsRecordIter;

G_GNUC_INTERNAL
gboolean gst_gnutls_dtls_record_parse (const guint8 * data, gsize size,
    GstGnutlsDtlsRecord * record);

G_GNUC_INTERNAL
void gst_gnutls_dtls_record_iter_init (GstGnutlsDtlsRecordIter * iter,
    const guint8 * data, gsize size);
G_GNUC_INTERNAL
gboolean gst_gnutls_dtls_record_iter_next (GstGnutlsDtlsRecordIter * iter,
    GstGnutlsDtlsRecord * record);
G_GNUC_INTERNAL
gsize gst_gnutls_dtls_record_iter_remaining (const GstGnutlsDtlsRecordIter *
    iter);

G_GNUC_INTERNAL
gboolean gst_gnutls_dtls_handshake_parse (const GstGnutlsDtlsRecord * record,
    GstGnutlsDtlsHandshake * handshake);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_RECORD_H__ */
