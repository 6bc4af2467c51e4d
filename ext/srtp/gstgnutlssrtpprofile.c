/* GStreamer GnuTLS DTLS-SRTP suite: the SRTP protection profiles.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlssrtpprofile.h"

#include <string.h>

#define AES_128_ICM GST_GNUTLS_SRTP_CIPHER_AES_128_ICM
#define AES_128_GCM GST_GNUTLS_SRTP_CIPHER_AES_128_GCM
#define AES_256_GCM GST_GNUTLS_SRTP_CIPHER_AES_256_GCM
#define NO_CIPHER GST_GNUTLS_SRTP_CIPHER_NULL
#define SHA1_80 GST_GNUTLS_SRTP_AUTH_HMAC_SHA1_80
#define SHA1_32 GST_GNUTLS_SRTP_AUTH_HMAC_SHA1_32
#define NO_AUTH GST_GNUTLS_SRTP_AUTH_NULL

/* RFC 5764 4.1.2 and RFC 7714 14.2. Two rules live here and nowhere else:
 * with the _32 profiles SRTCP still carries an 80-bit tag (RFC 5764
 * 4.1.2), and the AEAD profiles authenticate with their GCM tag, no HMAC.
 * The NULL profiles take a key and salt as long as AES-128's: libsrtp2
 * still derives the HMAC key from them, and GnuTLS exports that much. */
static const GstGnutlsSrtpProfile profiles[] = {
  {0x0001, "SRTP_AES128_CM_HMAC_SHA1_80", NULL, "AES_CM_128_HMAC_SHA1_80",
        16, 14, AES_128_ICM, SHA1_80, AES_128_ICM, SHA1_80,
      GST_GNUTLS_SRTP_GNUTLS_3_0},
  {0x0002, "SRTP_AES128_CM_HMAC_SHA1_32", NULL, "AES_CM_128_HMAC_SHA1_32",
        16, 14, AES_128_ICM, SHA1_32, AES_128_ICM, SHA1_80,
      GST_GNUTLS_SRTP_GNUTLS_3_0},
  {0x0005, "SRTP_NULL_HMAC_SHA1_80", NULL, "NULL_HMAC_SHA1_80",
        16, 14, NO_CIPHER, SHA1_80, NO_CIPHER, SHA1_80,
      GST_GNUTLS_SRTP_GNUTLS_3_0},
  {0x0006, "SRTP_NULL_HMAC_SHA1_32", "SRTP_NULL_SHA1_32", "NULL_HMAC_SHA1_32",
        16, 14, NO_CIPHER, SHA1_32, NO_CIPHER, SHA1_80,
      GST_GNUTLS_SRTP_GNUTLS_3_0},
  {0x0007, "SRTP_AEAD_AES_128_GCM", NULL, "AEAD_AES_128_GCM",
        16, 12, AES_128_GCM, NO_AUTH, AES_128_GCM, NO_AUTH,
      GST_GNUTLS_SRTP_GNUTLS_3_8},
  {0x0008, "SRTP_AEAD_AES_256_GCM", NULL, "AEAD_AES_256_GCM",
        32, 12, AES_256_GCM, NO_AUTH, AES_256_GCM, NO_AUTH,
      GST_GNUTLS_SRTP_GNUTLS_3_8},
};

const GstGnutlsSrtpProfile *
gst_gnutls_srtp_profiles (guint * n_profiles)
{
  *n_profiles = G_N_ELEMENTS (profiles);
  return profiles;
}

const GstGnutlsSrtpProfile *
gst_gnutls_srtp_profile_from_id (guint id)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (profiles[i].id == id)
      return &profiles[i];
  return NULL;
}

static gboolean
name_equal (const gchar * known, const gchar * name, gsize len)
{
  return known && strlen (known) == len && strncmp (known, name, len) == 0;
}

const GstGnutlsSrtpProfile *
gst_gnutls_srtp_profile_from_name (const gchar * name, gssize len)
{
  guint i;

  if (len < 0)
    len = strlen (name);
  for (i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (name_equal (profiles[i].name, name, len) ||
        name_equal (profiles[i].alias, name, len))
      return &profiles[i];
  return NULL;
}

/* The nicks gnome.mkenums gives the enums of gstgnutlssrtpenums.h, for the
 * plugin that does not register those types (tests/check/elements/names.c
 * checks that they agree). */
const gchar *
gst_gnutls_srtp_cipher_nick (GstGnutlsSrtpCipherType cipher)
{
  static const gchar *nicks[] = {
    "null", "aes-128-icm", "aes-256-icm", "aes-128-gcm", "aes-256-gcm"
  };

  return (guint) cipher < G_N_ELEMENTS (nicks) ? nicks[cipher] : NULL;
}

const gchar *
gst_gnutls_srtp_auth_nick (GstGnutlsSrtpAuthType auth)
{
  static const gchar *nicks[] = { "null", "hmac-sha1-32", "hmac-sha1-80" };

  return (guint) auth < G_N_ELEMENTS (nicks) ? nicks[auth] : NULL;
}

GstCaps *
gst_gnutls_srtp_profile_make_caps (const GstGnutlsSrtpProfile * profile,
    GstBuffer * key)
{
  return gst_caps_new_simple ("application/x-srtp",
      "srtp-key", GST_TYPE_BUFFER, key,
      "srtp-cipher", G_TYPE_STRING,
      gst_gnutls_srtp_cipher_nick (profile->srtp_cipher),
      "srtp-auth", G_TYPE_STRING,
      gst_gnutls_srtp_auth_nick (profile->srtp_auth), "srtcp-cipher",
      G_TYPE_STRING, gst_gnutls_srtp_cipher_nick (profile->srtcp_cipher),
      "srtcp-auth", G_TYPE_STRING,
      gst_gnutls_srtp_auth_nick (profile->srtcp_auth), "srtp-profile",
      G_TYPE_STRING, profile->name, NULL);
}
