/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __GST_GNUTLS_DTLS_CERTIFICATE_H__
#define __GST_GNUTLS_DTLS_CERTIFICATE_H__

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "gstgnutlsdtlsenums.h"

G_BEGIN_DECLS

/**
 * GstGnutlsDtlsCertificate:
 *
 * An immutable, reference-counted certificate with its private key and
 * ready-to-use GnuTLS credentials. Credentials are only read once set up, so
 * one certificate serves any number of sessions in any thread.
 */
typedef struct _GstGnutlsDtlsCertificate GstGnutlsDtlsCertificate;

G_GNUC_INTERNAL
GstGnutlsDtlsCertificate *
gst_gnutls_dtls_certificate_get_default (GstGnutlsDtlsCertificateType type,
    GError ** error);
G_GNUC_INTERNAL
GstGnutlsDtlsCertificate *
gst_gnutls_dtls_certificate_new_from_pem (const gchar * pem, GError ** error);
G_GNUC_INTERNAL
GstGnutlsDtlsCertificate *
gst_gnutls_dtls_certificate_ref (GstGnutlsDtlsCertificate * cert);
G_GNUC_INTERNAL
void gst_gnutls_dtls_certificate_unref (GstGnutlsDtlsCertificate * cert);

G_GNUC_INTERNAL
const gchar *
gst_gnutls_dtls_certificate_get_pem (GstGnutlsDtlsCertificate * cert);
G_GNUC_INTERNAL
const gchar *
gst_gnutls_dtls_certificate_get_fingerprint (GstGnutlsDtlsCertificate * cert);
G_GNUC_INTERNAL
gnutls_certificate_credentials_t
gst_gnutls_dtls_certificate_get_credentials (GstGnutlsDtlsCertificate * cert);

G_GNUC_INTERNAL
gchar *gst_gnutls_dtls_fingerprint_from_der (const gnutls_datum_t * der,
    gnutls_digest_algorithm_t algo);
G_GNUC_INTERNAL
gboolean gst_gnutls_dtls_fingerprint_parse (const gchar * fingerprint,
    gnutls_digest_algorithm_t * algo, gchar ** normalized);
G_GNUC_INTERNAL
gboolean gst_gnutls_dtls_fingerprint_check (const gchar * fingerprint,
    GError ** error);
G_GNUC_INTERNAL
gboolean gst_gnutls_dtls_certificate_check_key (const gnutls_datum_t * der,
    GError ** error);
G_GNUC_INTERNAL
gchar *gst_gnutls_dtls_pem_from_der (const gnutls_datum_t * der);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstGnutlsDtlsCertificate,
    gst_gnutls_dtls_certificate_unref)

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_CERTIFICATE_H__ */
