/* The SRTP profile table and the use_srtp helpers, without a connection:
 * the table against the RFCs (values written out here, not read from it),
 * srtp-profiles parsing, and the server's choice from the bytes of a
 * client's use_srtp extension.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "gstgnutlssrtpprofile.h"
#include "gstgnutlsdtlsusesrtp.h"

GST_DEBUG_CATEGORY (gst_gnutls_dtls_connection_debug);

typedef struct
{
  guint16 id;
  const gchar *name;
  guint key_len, salt_len;
  const gchar *srtp_cipher, *srtp_auth, *srtcp_cipher, *srtcp_auth;
} Expected;

/* RFC 5764 4.1.2 (the NULL ones with AES-128's key and salt, as GnuTLS
 * exports and libsrtp2 reads them) and RFC 7714 14.2 */
static const Expected expected[] = {
  {0x0001, "SRTP_AES128_CM_HMAC_SHA1_80", 16, 14, "aes-128-icm",
      "hmac-sha1-80", "aes-128-icm", "hmac-sha1-80"},
  {0x0002, "SRTP_AES128_CM_HMAC_SHA1_32", 16, 14, "aes-128-icm",
      "hmac-sha1-32", "aes-128-icm", "hmac-sha1-80"},
  {0x0005, "SRTP_NULL_HMAC_SHA1_80", 16, 14, "null", "hmac-sha1-80", "null",
      "hmac-sha1-80"},
  {0x0006, "SRTP_NULL_HMAC_SHA1_32", 16, 14, "null", "hmac-sha1-32", "null",
      "hmac-sha1-80"},
  {0x0007, "SRTP_AEAD_AES_128_GCM", 16, 12, "aes-128-gcm", "null",
      "aes-128-gcm", "null"},
  {0x0008, "SRTP_AEAD_AES_256_GCM", 32, 12, "aes-256-gcm", "null",
      "aes-256-gcm", "null"},
};

GST_START_TEST (test_table)
{
  const GstGnutlsSrtpProfile *all;
  guint i, n;

  all = gst_gnutls_srtp_profiles (&n);
  fail_unless_equals_int (n, G_N_ELEMENTS (expected));
  for (i = 0; i < n; i++) {
    const Expected *e = &expected[i];
    const GstGnutlsSrtpProfile *p = gst_gnutls_srtp_profile_from_id (e->id);

    fail_unless (p != NULL, "no profile 0x%04x", e->id);
    fail_unless (p == &all[i]);
    fail_unless_equals_string (p->name, e->name);
    fail_unless (gst_gnutls_srtp_profile_from_name (e->name, -1) == p);
    fail_unless_equals_int (p->key_len, e->key_len);
    fail_unless_equals_int (p->salt_len, e->salt_len);
    fail_unless_equals_string (gst_gnutls_srtp_cipher_nick (p->srtp_cipher),
        e->srtp_cipher);
    fail_unless_equals_string (gst_gnutls_srtp_auth_nick (p->srtp_auth),
        e->srtp_auth);
    fail_unless_equals_string (gst_gnutls_srtp_cipher_nick (p->srtcp_cipher),
        e->srtcp_cipher);
    fail_unless_equals_string (gst_gnutls_srtp_auth_nick (p->srtcp_auth),
        e->srtcp_auth);
    /* the AEAD ones came with GnuTLS 3.8.0 */
    fail_unless_equals_int (p->gnutls_version >= 0x030800,
        g_str_has_prefix (e->name, "SRTP_AEAD_"));
  }
  fail_unless (gst_gnutls_srtp_profile_from_id (0x0003) == NULL);
  /* GnuTLS's spelling of one, and the length-bounded look-up */
  fail_unless (gst_gnutls_srtp_profile_from_name ("SRTP_NULL_SHA1_32", -1) ==
      gst_gnutls_srtp_profile_from_id (0x0006));
  fail_unless (gst_gnutls_srtp_profile_from_name
      ("SRTP_AEAD_AES_128_GCM:SRTP", 21) ==
      gst_gnutls_srtp_profile_from_id (0x0007));
  fail_unless (gst_gnutls_srtp_profile_from_name ("SRTP_AEAD_AES_128", -1) ==
      NULL);
}

GST_END_TEST;

/* The nicks the table uses are those of the SRTP elements' enums */
static void
check_nicks (GParamSpec * pspec, const gchar * (*nick) (gint))
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
  guint i;

  fail_unless (klass->n_values >= 3);
  for (i = 0; i < klass->n_values; i++)
    fail_unless_equals_string (nick (klass->values[i].value),
        klass->values[i].value_nick);
  fail_unless (nick (klass->n_values) == NULL);
}

GST_START_TEST (test_nicks_match_srtpenc)
{
  GstElement *enc = gst_element_factory_make (GST_GNUTLS_NAME_PREFIX
      "srtpenc", NULL);
  GObjectClass *klass;

  fail_unless (enc != NULL, "no srtpenc element: is the gnutlssrtp plugin on "
      "GST_PLUGIN_PATH?");
  klass = G_OBJECT_GET_CLASS (enc);
  check_nicks (g_object_class_find_property (klass, "rtp-cipher"),
      (const gchar * (*)(gint)) gst_gnutls_srtp_cipher_nick);
  check_nicks (g_object_class_find_property (klass, "rtp-auth"),
      (const gchar * (*)(gint)) gst_gnutls_srtp_auth_nick);
  gst_object_unref (enc);
}

GST_END_TEST;

static void
check_parse_error (const gchar * profiles, const gchar * expected_text)
{
  GstGnutlsDtlsSrtpOffer offer;
  GError *err = NULL;

  fail_if (gst_gnutls_dtls_srtp_offer_parse (profiles, &offer, &err));
  fail_unless (err != NULL);
  fail_unless (strstr (err->message, expected_text), "\"%s\": %s", profiles,
      err->message);
  g_error_free (err);
}

GST_START_TEST (test_offer_parse)
{
  GstGnutlsDtlsSrtpOffer offer;
  GError *err = NULL;
  guint i;

  /* the default: what this build negotiates, AEAD first */
  fail_unless (gst_gnutls_dtls_srtp_offer_parse
      (GST_GNUTLS_DTLS_DEFAULT_SRTP_PROFILES, &offer, &err));
#if HAVE_SRTP_AEAD_OVER_DTLS
  fail_unless_equals_int (offer.n_profiles, 4);
  fail_unless_equals_int (offer.profiles[0]->id, 0x0007);
  fail_unless_equals_int (offer.profiles[1]->id, 0x0008);
  fail_unless_equals_int (offer.profiles[2]->id, 0x0001);
  fail_unless_equals_int (offer.profiles[3]->id, 0x0002);
#else
  fail_unless_equals_int (offer.n_profiles, 2);
  fail_unless_equals_int (offer.profiles[0]->id, 0x0001);
  fail_unless_equals_int (offer.profiles[1]->id, 0x0002);
#endif
  for (i = 0; i < offer.n_profiles; i++)
    fail_unless (gst_gnutls_dtls_srtp_profile_available (offer.profiles[i]));

  /* nothing: data only */
  fail_unless (gst_gnutls_dtls_srtp_offer_parse ("", &offer, NULL));
  fail_unless_equals_int (offer.n_profiles, 0);
  fail_unless (gst_gnutls_dtls_srtp_offer_parse (NULL, &offer, NULL));
  fail_unless_equals_int (offer.n_profiles, 0);

  fail_unless (gst_gnutls_dtls_srtp_offer_parse
      ("SRTP_NULL_SHA1_32:SRTP_AES128_CM_HMAC_SHA1_32", &offer, NULL));
  fail_unless_equals_int (offer.n_profiles, 2);
  fail_unless_equals_int (offer.profiles[0]->id, 0x0006);
  fail_unless_equals_int (offer.profiles[1]->id, 0x0002);

  check_parse_error ("SRTP_AES128_CM_SHA1_80", "unknown profile "
      "\"SRTP_AES128_CM_SHA1_80\"");
  check_parse_error ("SRTP_AES128_CM_HMAC_SHA1_80::", "unknown profile \"\"");
  check_parse_error ("SRTP_NULL_HMAC_SHA1_32:SRTP_NULL_SHA1_32",
      "SRTP_NULL_HMAC_SHA1_32 twice");
#if HAVE_SRTP_AEAD_OVER_DTLS
  fail_unless (gst_gnutls_dtls_srtp_offer_parse ("SRTP_AEAD_AES_256_GCM",
          &offer, NULL));
  fail_unless_equals_int (offer.profiles[0]->id, 0x0008);
  check_parse_error ("SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM:"
      "SRTP_AES128_CM_HMAC_SHA1_80:SRTP_AES128_CM_HMAC_SHA1_32:"
      "SRTP_NULL_HMAC_SHA1_80", "more than 4 profiles");
#else
  g_print ("GCM over DTLS needs GnuTLS >= 3.8.0, built against %s: checking "
      "that asking for it is refused instead\n", GNUTLS_VERSION);
  check_parse_error ("SRTP_AES128_CM_HMAC_SHA1_80:SRTP_AEAD_AES_128_GCM",
      "SRTP_AEAD_AES_128_GCM needs GnuTLS 3.8.0 or newer");
  check_parse_error ("SRTP_AEAD_AES_256_GCM", GNUTLS_VERSION);
#endif
}

GST_END_TEST;

static const GstGnutlsSrtpProfile *
best (const gchar * ours, const guint8 * ext, gsize size)
{
  GstGnutlsDtlsSrtpOffer offer;

  fail_unless (gst_gnutls_dtls_srtp_offer_parse (ours, &offer, NULL));
  return gst_gnutls_dtls_srtp_offer_best (&offer, ext, size);
}

GST_START_TEST (test_offer_best)
{
  const gchar *ours = "SRTP_AES128_CM_HMAC_SHA1_80:SRTP_AES128_CM_HMAC_SHA1_32";
  /* list length, ids, MKI length */
  const guint8 client_32_80[] = { 0, 4, 0, 2, 0, 1, 0 };
  const guint8 client_gcm_32[] = { 0, 4, 0, 7, 0, 2, 0 };
  const guint8 client_gcm[] = { 0, 2, 0, 7, 0 };
  const guint8 with_mki[] = { 0, 2, 0, 2, 3, 'm', 'k', 'i' };
  const guint8 odd[] = { 0, 3, 0, 2, 0, 0 };
  const guint8 cut[] = { 0, 6, 0, 2, 0, 1 };
  const guint8 empty[] = { 0, 0, 0 };

  /* our order decides, among what the client lists */
  fail_unless_equals_int (best (ours, client_32_80,
          sizeof (client_32_80))->id, 0x0001);
  fail_unless_equals_int (best (ours, client_gcm_32,
          sizeof (client_gcm_32))->id, 0x0002);
  fail_unless_equals_int (best (ours, with_mki, sizeof (with_mki))->id, 0x0002);
  fail_unless (best (ours, client_gcm, sizeof (client_gcm)) == NULL);
  /* malformed: nothing */
  fail_unless (best (ours, odd, sizeof (odd)) == NULL);
  fail_unless (best (ours, cut, sizeof (cut)) == NULL);
  fail_unless (best (ours, empty, sizeof (empty)) == NULL);
  fail_unless (best (ours, client_32_80, 1) == NULL);
  fail_unless (best ("", client_32_80, sizeof (client_32_80)) == NULL);
}

GST_END_TEST;

GST_START_TEST (test_make_caps)
{
  const GstGnutlsSrtpProfile *p = gst_gnutls_srtp_profile_from_id (0x0002);
  GstBuffer *key = gst_buffer_new_allocate (NULL, 30, NULL);
  GstCaps *caps = gst_gnutls_srtp_profile_make_caps (p, key);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  const GValue *v;

  fail_unless (gst_structure_has_name (s, "application/x-srtp"));
  v = gst_structure_get_value (s, "srtp-key");
  fail_unless (v && gst_value_get_buffer (v) == key);
  fail_unless_equals_string (gst_structure_get_string (s, "srtp-cipher"),
      "aes-128-icm");
  fail_unless_equals_string (gst_structure_get_string (s, "srtp-auth"),
      "hmac-sha1-32");
  fail_unless_equals_string (gst_structure_get_string (s, "srtcp-cipher"),
      "aes-128-icm");
  fail_unless_equals_string (gst_structure_get_string (s, "srtcp-auth"),
      "hmac-sha1-80");
  fail_unless_equals_string (gst_structure_get_string (s, "srtp-profile"),
      "SRTP_AES128_CM_HMAC_SHA1_32");
  gst_caps_unref (caps);
  gst_buffer_unref (key);
}

GST_END_TEST;

static Suite *
usesrtp_suite (void)
{
  Suite *s = suite_create ("dtls_usesrtp");
  TCase *tc = tcase_create ("general");

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_connection_debug,
      "gnutlsdtlsconnection", 0, "use_srtp helpers under test");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_table);
  tcase_add_test (tc, test_nicks_match_srtpenc);
  tcase_add_test (tc, test_offer_parse);
  tcase_add_test (tc, test_offer_best);
  tcase_add_test (tc, test_make_caps);
  return s;
}

GST_CHECK_MAIN (usesrtp);
