/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/gst.h>
#include <gnutls/crypto.h>

#include "gstgnutlsdtlscertificate.h"

GST_DEBUG_CATEGORY_EXTERN (gst_gnutls_dtls_connection_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_connection_debug

/* A year, as WebRTC stacks commonly use; peers never check the dates of a
 * self-signed certificate pinned by fingerprint, but some tools print them. */
#define CERTIFICATE_LIFETIME_SECONDS (365 * 24 * 60 * 60)

struct _GstGnutlsDtlsCertificate
{
  gnutls_certificate_credentials_t credentials;
  gchar *pem;                   /* certificate only */
  gchar *fingerprint;           /* "sha-256 AB:CD:..." */
};

static GstGnutlsDtlsCertificate *
certificate_new (gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
    GError ** error)
{
  GstGnutlsDtlsCertificate *cert;
  gnutls_datum_t der = { NULL, 0 };
  int ret;

  cert = g_atomic_rc_box_new0 (GstGnutlsDtlsCertificate);

  ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der);
  if (ret < 0)
    goto failed;
  cert->pem = gst_gnutls_dtls_pem_from_der (&der);
  cert->fingerprint = gst_gnutls_dtls_fingerprint_from_der (&der,
      GNUTLS_DIG_SHA256);
  gnutls_free (der.data);

  ret = gnutls_certificate_allocate_credentials (&cert->credentials);
  if (ret < 0)
    goto failed;
  /* GnuTLS copies the certificate and key, the caller keeps its own */
  ret = gnutls_certificate_set_x509_key (cert->credentials, &crt, 1, key);
  if (ret < 0)
    goto failed;

  return cert;

failed:
  g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
      "Could not set up the certificate: %s", gnutls_strerror (ret));
  gst_gnutls_dtls_certificate_unref (cert);
  return NULL;
}

static GstGnutlsDtlsCertificate *
certificate_generate (GstGnutlsDtlsCertificateType type, GError ** error)
{
  GstGnutlsDtlsCertificate *cert = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  guint8 serial[16];
  guint8 cn_bytes[9];
  gchar *cn;
  time_t now;
  int ret;

  if ((ret = gnutls_x509_privkey_init (&key)) < 0)
    goto failed;
  if (type == GST_GNUTLS_DTLS_CERTIFICATE_TYPE_RSA_2048)
    ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, 2048, 0);
  else
    ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
        GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0);
  if (ret < 0)
    goto failed;

  if ((ret = gnutls_x509_crt_init (&crt)) < 0)
    goto failed;

  if ((ret = gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof (serial))) < 0)
    goto failed;
  serial[0] &= 0x7f;            /* a positive INTEGER */
  serial[0] |= 0x01;            /* without a leading zero byte */
  if ((ret = gnutls_rnd (GNUTLS_RND_NONCE, cn_bytes, sizeof (cn_bytes))) < 0)
    goto failed;
  cn = g_base64_encode (cn_bytes, sizeof (cn_bytes));

  now = time (NULL);
  gnutls_x509_crt_set_version (crt, 3);
  gnutls_x509_crt_set_serial (crt, serial, sizeof (serial));
  /* backdated a day so a peer with a slightly wrong clock accepts it */
  gnutls_x509_crt_set_activation_time (crt, now - 24 * 60 * 60);
  gnutls_x509_crt_set_expiration_time (crt, now + CERTIFICATE_LIFETIME_SECONDS);
  ret = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
      cn, strlen (cn));
  g_free (cn);
  if (ret < 0)
    goto failed;
  if ((ret = gnutls_x509_crt_set_key (crt, key)) < 0)
    goto failed;
  if ((ret = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0)
    goto failed;

  cert = certificate_new (crt, key, error);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
  return cert;

failed:
  g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED,
      "Could not generate a certificate: %s", gnutls_strerror (ret));
  if (crt)
    gnutls_x509_crt_deinit (crt);
  if (key)
    gnutls_x509_privkey_deinit (key);
  return NULL;
}

/* The weakest keys accepted, ours or a peer's: 2048-bit RSA (and DSA),
 * 256-bit elliptic curves (about 112 and 128 bits of security) */
#define MIN_RSA_BITS 2048
#define MIN_EC_BITS 256

static gboolean
check_key_strength (gnutls_pk_algorithm_t algo, guint bits, GError ** error)
{
  const gchar *name = gnutls_pk_get_name (algo);
  guint min;

  switch (algo) {
    case GNUTLS_PK_RSA:
    case GNUTLS_PK_RSA_PSS:
    case GNUTLS_PK_DSA:
      min = MIN_RSA_BITS;
      break;
    case GNUTLS_PK_ECDSA:
    case GNUTLS_PK_EDDSA_ED25519:
    case GNUTLS_PK_EDDSA_ED448:
      min = MIN_EC_BITS;
      break;
    default:
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
          "its key type (%s) is not supported; use ECDSA P-256 or RSA of "
          "at least %u bits", name ? name : "unknown", MIN_RSA_BITS);
      return FALSE;
  }
  if (bits < min) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
        "its %s key has %u bits, fewer than the %u required", name, bits, min);
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_crt_key (gnutls_x509_crt_t crt, GError ** error)
{
  unsigned int bits = 0;
  int algo = gnutls_x509_crt_get_pk_algorithm (crt, &bits);

  if (algo < 0) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
        "its key cannot be read: %s", gnutls_strerror (algo));
    return FALSE;
  }
  return check_key_strength (algo, bits, error);
}

/**
 * gst_gnutls_dtls_certificate_check_key:
 * @der: a DER-encoded certificate
 * @error: says why the key is refused ("its RSA key has 1024 bits...")
 *
 * Returns: %TRUE if the certificate's key is at least as strong as 2048-bit
 * RSA or 256-bit elliptic curves.
 */
gboolean
gst_gnutls_dtls_certificate_check_key (const gnutls_datum_t * der,
    GError ** error)
{
  gnutls_x509_crt_t crt;
  gboolean ok;
  int ret;

  if ((ret = gnutls_x509_crt_init (&crt)) < 0) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED,
        "%s", gnutls_strerror (ret));
    return FALSE;
  }
  ret = gnutls_x509_crt_import (crt, der, GNUTLS_X509_FMT_DER);
  if (ret < 0)
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
        "it cannot be parsed: %s", gnutls_strerror (ret));
  ok = ret >= 0 && check_crt_key (crt, error);
  gnutls_x509_crt_deinit (crt);
  return ok;
}

/**
 * gst_gnutls_dtls_certificate_get_default:
 * @type: the key type
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the process-wide self-signed certificate of
 * @type, generated on the first call.
 */
GstGnutlsDtlsCertificate *
gst_gnutls_dtls_certificate_get_default (GstGnutlsDtlsCertificateType type,
    GError ** error)
{
  static GMutex lock;
  static GstGnutlsDtlsCertificate *defaults[2];
  GstGnutlsDtlsCertificate *cert;

  g_return_val_if_fail (type < G_N_ELEMENTS (defaults), NULL);

  g_mutex_lock (&lock);
  if (defaults[type] == NULL) {
    gint64 start = g_get_monotonic_time ();

    defaults[type] = certificate_generate (type, error);
    GST_INFO ("generated the default certificate of type %d in %"
        G_GINT64_FORMAT " us", type, g_get_monotonic_time () - start);
  }
  cert = defaults[type] ? gst_gnutls_dtls_certificate_ref (defaults[type]) :
      NULL;
  g_mutex_unlock (&lock);

  return cert;
}

/**
 * gst_gnutls_dtls_certificate_new_from_pem:
 * @pem: a PEM string holding an X.509 certificate and its private key
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the certificate, or %NULL when @pem
 * lacks a certificate or a key, or they do not match.
 */
GstGnutlsDtlsCertificate *
gst_gnutls_dtls_certificate_new_from_pem (const gchar * pem, GError ** error)
{
  GstGnutlsDtlsCertificate *cert = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t data;
  const gchar *what = "certificate";
  GError *key_error = NULL;
  int ret;

  g_return_val_if_fail (pem != NULL, NULL);

  data.data = (unsigned char *) pem;
  data.size = strlen (pem);

  if ((ret = gnutls_x509_crt_init (&crt)) < 0)
    goto failed;
  if ((ret = gnutls_x509_crt_import (crt, &data, GNUTLS_X509_FMT_PEM)) < 0)
    goto failed;
  if (!check_crt_key (crt, &key_error)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "The certificate is too weak: %s", key_error->message);
    g_error_free (key_error);
    gnutls_x509_crt_deinit (crt);
    return NULL;
  }

  what = "private key";
  if ((ret = gnutls_x509_privkey_init (&key)) < 0)
    goto failed;
  ret = gnutls_x509_privkey_import2 (key, &data, GNUTLS_X509_FMT_PEM, NULL,
      GNUTLS_PKCS_PLAIN);
  if (ret < 0)
    goto failed;

  cert = certificate_new (crt, key, error);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
  return cert;

failed:
  g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
      "The PEM string has no usable %s (it needs an X.509 certificate and "
      "its unencrypted private key): %s", what, gnutls_strerror (ret));
  if (crt)
    gnutls_x509_crt_deinit (crt);
  if (key)
    gnutls_x509_privkey_deinit (key);
  return NULL;
}

GstGnutlsDtlsCertificate *
gst_gnutls_dtls_certificate_ref (GstGnutlsDtlsCertificate * cert)
{
  return g_atomic_rc_box_acquire (cert);
}

static void
certificate_clear (GstGnutlsDtlsCertificate * cert)
{
  if (cert->credentials)
    gnutls_certificate_free_credentials (cert->credentials);
  g_free (cert->pem);
  g_free (cert->fingerprint);
}

void
gst_gnutls_dtls_certificate_unref (GstGnutlsDtlsCertificate * cert)
{
  g_atomic_rc_box_release_full (cert, (GDestroyNotify) certificate_clear);
}

/**
 * gst_gnutls_dtls_certificate_get_pem:
 *
 * Returns: the certificate (without the key) in PEM format
 */
const gchar *
gst_gnutls_dtls_certificate_get_pem (GstGnutlsDtlsCertificate * cert)
{
  return cert->pem;
}

/**
 * gst_gnutls_dtls_certificate_get_fingerprint:
 *
 * Returns: the SHA-256 fingerprint as in SDP: "sha-256 AB:CD:..."
 */
const gchar *
gst_gnutls_dtls_certificate_get_fingerprint (GstGnutlsDtlsCertificate * cert)
{
  return cert->fingerprint;
}

gnutls_certificate_credentials_t
gst_gnutls_dtls_certificate_get_credentials (GstGnutlsDtlsCertificate * cert)
{
  return cert->credentials;
}

static const struct
{
  const gchar *name;
  gnutls_digest_algorithm_t algo;
} fingerprint_hashes[] = {
  {"sha-1", GNUTLS_DIG_SHA1},
  {"sha-224", GNUTLS_DIG_SHA224},
  {"sha-256", GNUTLS_DIG_SHA256},
  {"sha-384", GNUTLS_DIG_SHA384},
  {"sha-512", GNUTLS_DIG_SHA512},
};

/**
 * gst_gnutls_dtls_fingerprint_from_der:
 * @der: a DER-encoded certificate
 * @algo: one of SHA-1, SHA-224, SHA-256, SHA-384, SHA-512
 *
 * Returns: (transfer full): the fingerprint in the RFC 8122 form used in
 * SDP, e.g. "sha-256 AB:CD:...".
 */
gchar *
gst_gnutls_dtls_fingerprint_from_der (const gnutls_datum_t * der,
    gnutls_digest_algorithm_t algo)
{
  guint8 digest[64];
  const gchar *name = NULL;
  GString *s;
  guint i, len;

  for (i = 0; i < G_N_ELEMENTS (fingerprint_hashes); i++)
    if (fingerprint_hashes[i].algo == algo)
      name = fingerprint_hashes[i].name;
  g_return_val_if_fail (name != NULL, NULL);

  len = gnutls_hash_get_len (algo);
  if (gnutls_hash_fast (algo, der->data, der->size, digest) < 0)
    return NULL;

  s = g_string_sized_new (strlen (name) + 1 + len * 3);
  g_string_append (s, name);
  g_string_append_c (s, ' ');
  for (i = 0; i < len; i++)
    g_string_append_printf (s, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (s, FALSE);
}

static gboolean
parse_fingerprint (const gchar * fingerprint,
    gnutls_digest_algorithm_t * algo, gchar ** normalized, GError ** error)
{
  const gchar *hex = fingerprint;
  const gchar *name = "sha-256";
  GString *s;
  guint i, nbytes = 0, need;

  *algo = GNUTLS_DIG_SHA256;
  while (g_ascii_isspace (*hex))
    hex++;

  for (i = 0; i < G_N_ELEMENTS (fingerprint_hashes); i++) {
    gsize n = strlen (fingerprint_hashes[i].name);

    if (g_ascii_strncasecmp (hex, fingerprint_hashes[i].name, n) == 0
        && g_ascii_isspace (hex[n])) {
      name = fingerprint_hashes[i].name;
      *algo = fingerprint_hashes[i].algo;
      hex += n;
      break;
    }
  }
  if (i == G_N_ELEMENTS (fingerprint_hashes)) {
    const gchar *end = hex;

    /* a first word that is not hex names a hash we do not know */
    while (*end && !g_ascii_isspace (*end))
      end++;
    if (*end) {
      gchar *word = g_strndup (hex, end - hex);

      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "\"%s\" is not a fingerprint: unknown hash function \"%s\" (use "
          "sha-256, or sha-1, sha-224, sha-384, sha-512)", fingerprint, word);
      g_free (word);
      return FALSE;
    }
  }
  while (g_ascii_isspace (*hex))
    hex++;

  need = gnutls_hash_get_len (*algo);
  s = g_string_new (name);
  g_string_append_c (s, ' ');
  while (*hex && !g_ascii_isspace (*hex)) {
    if (!g_ascii_isxdigit (hex[0]) || !g_ascii_isxdigit (hex[1])) {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "\"%s\" is not a fingerprint: \"%.2s\" is not a hexadecimal byte "
          "(expected \"%s\" and %u bytes such as AB:CD:...)", fingerprint,
          hex, name, need);
      goto invalid;
    }
    if (nbytes)
      g_string_append_c (s, ':');
    g_string_append_c (s, g_ascii_toupper (hex[0]));
    g_string_append_c (s, g_ascii_toupper (hex[1]));
    nbytes++;
    hex += 2;
    if (*hex == ':')
      hex++;
  }
  while (g_ascii_isspace (*hex))
    hex++;
  if (*hex) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "\"%s\" is not a fingerprint: unexpected \"%s\" after the hex "
        "bytes", fingerprint, hex);
    goto invalid;
  }
  if (nbytes != need) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "\"%s\" is not a fingerprint: a %s fingerprint has %u bytes, this "
        "one %u", fingerprint, name, need, nbytes);
    goto invalid;
  }

  if (normalized)
    *normalized = g_string_free (s, FALSE);
  else
    g_string_free (s, TRUE);
  return TRUE;

invalid:
  g_string_free (s, TRUE);
  return FALSE;
}

/**
 * gst_gnutls_dtls_fingerprint_parse:
 * @fingerprint: "sha-256 AB:CD:..." (RFC 8122: a hash name, then its
 *   digest as hex bytes, colons optional, any case), or only the hex part
 *   (then SHA-256)
 * @algo: (out): the hash function named
 * @normalized: (out) (transfer full): the fingerprint as
 *   gst_gnutls_dtls_fingerprint_from_der() formats it
 *
 * Returns: %TRUE if @fingerprint is well formed
 */
gboolean
gst_gnutls_dtls_fingerprint_parse (const gchar * fingerprint,
    gnutls_digest_algorithm_t * algo, gchar ** normalized)
{
  return parse_fingerprint (fingerprint, algo, normalized, NULL);
}

/**
 * gst_gnutls_dtls_fingerprint_check:
 * @fingerprint: as for gst_gnutls_dtls_fingerprint_parse()
 * @error: says what is wrong with @fingerprint
 *
 * Returns: %TRUE if @fingerprint is well formed
 */
gboolean
gst_gnutls_dtls_fingerprint_check (const gchar * fingerprint, GError ** error)
{
  gnutls_digest_algorithm_t algo;

  return parse_fingerprint (fingerprint, &algo, NULL, error);
}

/**
 * gst_gnutls_dtls_pem_from_der:
 *
 * Returns: (transfer full): @der as a PEM "CERTIFICATE" block
 */
gchar *
gst_gnutls_dtls_pem_from_der (const gnutls_datum_t * der)
{
  gnutls_datum_t out = { NULL, 0 };
  gchar *pem;

  if (gnutls_pem_base64_encode2 ("CERTIFICATE", der, &out) < 0)
    return NULL;
  pem = g_strndup ((const gchar *) out.data, out.size);
  gnutls_free (out.data);
  return pem;
}
