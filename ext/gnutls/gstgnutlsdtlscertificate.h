/* GnuTLS DTLS-SRTP for GStreamer
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
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

GstGnutlsDtlsCertificate *
gst_gnutls_dtls_certificate_get_default (GstGnutlsDtlsCertificateType type,
    GError ** error);
GstGnutlsDtlsCertificate *
gst_gnutls_dtls_certificate_new_from_pem (const gchar * pem, GError ** error);
GstGnutlsDtlsCertificate *
gst_gnutls_dtls_certificate_ref (GstGnutlsDtlsCertificate * cert);
void gst_gnutls_dtls_certificate_unref (GstGnutlsDtlsCertificate * cert);

const gchar *
gst_gnutls_dtls_certificate_get_pem (GstGnutlsDtlsCertificate * cert);
const gchar *
gst_gnutls_dtls_certificate_get_fingerprint (GstGnutlsDtlsCertificate * cert);
gnutls_certificate_credentials_t
gst_gnutls_dtls_certificate_get_credentials (GstGnutlsDtlsCertificate * cert);

gchar *gst_gnutls_dtls_fingerprint_from_der (const gnutls_datum_t * der,
    gnutls_digest_algorithm_t algo);
gboolean gst_gnutls_dtls_fingerprint_parse (const gchar * fingerprint,
    gnutls_digest_algorithm_t * algo, gchar ** normalized);
gboolean gst_gnutls_dtls_fingerprint_check (const gchar * fingerprint,
    GError ** error);
gboolean gst_gnutls_dtls_certificate_check_key (const gnutls_datum_t * der,
    GError ** error);
gchar *gst_gnutls_dtls_pem_from_der (const gnutls_datum_t * der);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstGnutlsDtlsCertificate,
    gst_gnutls_dtls_certificate_unref)

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_CERTIFICATE_H__ */
