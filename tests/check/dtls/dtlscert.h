/* GnuTLS DTLS-SRTP for GStreamer
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A self-signed certificate and its key, made by a test (as pem for our
 * elements, or as files for the peer programs). */

#ifndef __DTLS_CERT_H__
#define __DTLS_CERT_H__

#include <gst/check/gstcheck.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* Both PEM; the key in PKCS#8, which GnuTLS, OpenSSL and our pem accept.
 * @algo and @bits as for gnutls_x509_privkey_generate(). */
static inline void
dtls_test_make_certificate_full (const gchar * cn, guint8 serial,
    gnutls_pk_algorithm_t algo, guint bits, gchar ** cert_pem, gchar ** key_pem)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  gnutls_datum_t c, k;

  fail_unless (gnutls_x509_privkey_init (&key) == 0);
  fail_unless (gnutls_x509_privkey_generate (key, algo, bits, 0) == 0);
  fail_unless (gnutls_x509_crt_init (&crt) == 0);
  gnutls_x509_crt_set_version (crt, 3);
  gnutls_x509_crt_set_serial (crt, &serial, 1);
  gnutls_x509_crt_set_activation_time (crt, time (NULL) - 60);
  gnutls_x509_crt_set_expiration_time (crt, time (NULL) + 3600);
  gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
      cn, strlen (cn));
  gnutls_x509_crt_set_key (crt, key);
  fail_unless (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256,
          0) == 0);
  fail_unless (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &c) == 0);
  fail_unless (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM,
          NULL, GNUTLS_PKCS_PLAIN, &k) == 0);
  *cert_pem = g_strndup ((const gchar *) c.data, c.size);
  *key_pem = g_strndup ((const gchar *) k.data, k.size);
  gnutls_free (c.data);
  gnutls_free (k.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
}

/* ECDSA P-256 */
static inline void
dtls_test_make_certificate (const gchar * cn, guint8 serial,
    gchar ** cert_pem, gchar ** key_pem)
{
  dtls_test_make_certificate_full (cn, serial, GNUTLS_PK_ECDSA,
      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), cert_pem, key_pem);
}

#endif /* __DTLS_CERT_H__ */
