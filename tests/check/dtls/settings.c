/* GnuTLS DTLS-SRTP for GStreamer
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Settings are refused when they are set, never silently ignored: values
 * that cannot work (the element then will not start), changes of
 * READY-only properties in PAUSED or PLAYING (the value in effect stays),
 * a connection-id already taken, weak keys. And what a user sees of the
 * certificate: the fingerprint is notified. */

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "dtlstest.h"
#include "dtlscert.h"

#define SRTP_ENC_BIN GST_GNUTLS_NAME_PREFIX "dtlssrtpenc"
#define SRTP_DEC_BIN GST_GNUTLS_NAME_PREFIX "dtlssrtpdec"

/* An element of @factory with its own bus and @id as connection-id */
static GstElement *
make_element (const gchar * factory, const gchar * id)
{
  GstElement *e = gst_element_factory_make (factory, NULL);
  GstBus *bus = gst_bus_new ();

  fail_unless (e != NULL, "no %s element", factory);
  gst_object_ref_sink (e);
  gst_element_set_bus (e, bus);
  gst_object_unref (bus);
  if (id)
    g_object_set (e, "connection-id", id, NULL);
  return e;
}

static void
free_element (GstElement * e)
{
  GstBus *bus = gst_element_get_bus (e);

  gst_element_set_state (e, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (e);
}

/* The text of the first error on @e's bus */
static gchar *
pop_error (GstElement * e)
{
  GstBus *bus = gst_element_get_bus (e);
  gchar *text = dtls_bus_pop_error (bus);

  gst_object_unref (bus);
  return text;
}

/* @e refuses to start, with an error that contains each of @words */
static void
assert_start_refused (GstElement * e, const gchar * first_word, ...)
{
  const gchar *word;
  va_list args;
  gchar *msg;

  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  msg = pop_error (e);
  fail_unless (msg != NULL, "no error message");
  va_start (args, first_word);
  word = first_word;
  while (word) {
    fail_unless (strstr (msg, word) != NULL, "\"%s\" not in the error: %s",
        word, msg);
    word = va_arg (args, const gchar *);
  }
  va_end (args);
  GST_INFO ("refused as expected: %s", msg);
  g_free (msg);
  gst_element_set_state (e, GST_STATE_NULL);
}

static gchar *
make_pem (gnutls_pk_algorithm_t algo, guint bits)
{
  gchar *cert, *key, *pem;

  dtls_test_make_certificate_full ("settings", 3, algo, bits, &cert, &key);
  pem = g_strconcat (cert, key, NULL);
  g_free (cert);
  g_free (key);
  return pem;
}

static gchar *
get_string (GstElement * e, const gchar * prop)
{
  gchar *s = NULL;

  g_object_get (e, prop, &s, NULL);
  return s;
}

/* ---- values that cannot work ---- */

GST_START_TEST (test_invalid_pem)
{
  GstElement *dec = make_element (DEC_NAME, "bad-pem");
  GstElement *enc = make_element (ENC_NAME, "bad-pem");
  gchar *pem = make_pem (GNUTLS_PK_ECDSA,
      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1));
  gchar *s, *fp;

  /* the same before the element has its connection */
  {
    GstElement *unbound = make_element (DEC_NAME, NULL);

    ASSERT_WARNING (g_object_set (unbound, "pem", "garbage", NULL));
    fail_unless (get_string (unbound, "pem") == NULL);
    free_element (unbound);
  }
  ASSERT_WARNING (g_object_set (dec, "pem", "-----BEGIN CERTIFICATE-----\n"
          "garbage\n-----END CERTIFICATE-----\n", NULL));
  /* no certificate is in use: none is made up for the readback */
  s = get_string (dec, "pem");
  fail_unless (s == NULL, "pem reads back %s", s);
  fail_unless (get_string (dec, "fingerprint") == NULL);
  fail_unless (get_string (enc, "fingerprint") == NULL);
  assert_start_refused (dec, "pem", "certificate", NULL);

  /* a valid one is used, and the element starts */
  g_object_set (dec, "pem", pem, NULL);
  s = get_string (dec, "pem");
  fail_unless (s && g_str_has_prefix (pem, s), "pem reads back %s", s);
  g_free (s);
  fp = get_string (dec, "fingerprint");
  fail_unless (fp && g_str_has_prefix (fp, "sha-256 "));
  s = get_string (enc, "fingerprint");
  fail_unless_equals_string (s, fp);
  g_free (s);
  g_free (fp);
  fail_unless_equals_int (gst_element_set_state (dec, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);

  g_free (pem);
  free_element (enc);
  free_element (dec);
}

GST_END_TEST;

GST_START_TEST (test_weak_own_key)
{
  GstElement *dec = make_element (DEC_NAME, "weak-own");
  gchar *pem = make_pem (GNUTLS_PK_RSA, 1024);

  ASSERT_WARNING (g_object_set (dec, "pem", pem, NULL));
  fail_unless (get_string (dec, "pem") == NULL);
  assert_start_refused (dec, "pem", "RSA", "1024", "2048", NULL);
  g_free (pem);
  free_element (dec);
}

GST_END_TEST;

static const gchar *bad_fingerprints[] = {
  "hello",
  /* too short for sha-256 */
  "sha-256 AB:CD:EF",
  /* a hash RFC 8122 names but we do not take */
  "md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
  /* not hex */
  "sha-256 ZZ:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
  /* sha-1 length under a sha-256 name */
  "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33",
  /* something after it */
  "sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33 x",
};

static const gchar *good_fingerprints[] = {
  "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
  "SHA-256 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:"
      "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff",
  "sha-256 00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF",
  "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
  "sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33",
};

GST_START_TEST (test_invalid_peer_fingerprint)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_fingerprints); i++) {
    gchar *id = g_strdup_printf ("bad-fp-%u", i);
    GstElement *e = make_element (i % 2 ? ENC_NAME : DEC_NAME, id);
    gchar *s;

    ASSERT_WARNING (g_object_set (e, "peer-fingerprint",
            bad_fingerprints[i], NULL));
    /* reads back as set: it is not replaced by "accept anyone" */
    s = get_string (e, "peer-fingerprint");
    fail_unless_equals_string (s, bad_fingerprints[i]);
    g_free (s);
    assert_start_refused (e, "peer-fingerprint", "is not a fingerprint", NULL);
    /* a valid value clears the refusal */
    g_object_set (e, "peer-fingerprint", good_fingerprints[0], NULL);
    fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
    free_element (e);
    g_free (id);
  }

  for (i = 0; i < G_N_ELEMENTS (good_fingerprints); i++) {
    gchar *id = g_strdup_printf ("good-fp-%u", i);
    GstElement *e = make_element (DEC_NAME, id);

    /* no warning (gst-check fails the test on one) */
    g_object_set (e, "peer-fingerprint", good_fingerprints[i], NULL);
    fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
    free_element (e);
    g_free (id);
  }
}

GST_END_TEST;

/* The bin's manual-keying names are checked against the SRTP encoder's;
 * gst_parse_launch() is what gst-launch-1.0 uses */
GST_START_TEST (test_unknown_srtp_cipher)
{
  GstElement *pipeline = NULL;
  gchar *msg;

  ASSERT_WARNING (pipeline = gst_parse_launch ("appsrc ! " SRTP_ENC_BIN
          " name=e key=000102030405060708090a0b0c0d0e0f101112131415161718191a"
          "1b1c1d srtp-cipher=aes-999 srtp-auth=foo ! fakesink", NULL));
  fail_unless (pipeline != NULL);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  msg = pop_error (pipeline);
  fail_unless (msg && strstr (msg, "srtp-cipher \"aes-999\"") &&
      strstr (msg, "srtp-auth \"foo\"") && strstr (msg, "aes-128-icm"),
      "error: %s", msg);
  g_free (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  /* known names are taken without a word */
  {
    GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), "e");

    g_object_set (e, "srtp-cipher", "aes-256-icm", "srtp-auth",
        "hmac-sha1-32", "srtcp-cipher", "null", "srtcp-auth", "null", NULL);
    ASSERT_WARNING (g_object_set (e, "srtcp-cipher", "AES", NULL));
    g_object_set (e, "srtcp-cipher", "aes-128-icm", NULL);
    gst_object_unref (e);
  }
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* ---- READY-only properties in PLAYING ---- */

typedef struct
{
  const gchar *name;
  const gchar *other;           /* a different valid value */
} Change;

/* Each change is refused with a warning; the value read back stays the
 * one in effect. Setting the value in effect again is no change. */
static void
assert_changes_refused (GstElement * e, const Change * changes, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (e),
        changes[i].name);
    GValue before = G_VALUE_INIT, after = G_VALUE_INIT;

    fail_unless (pspec != NULL, "%s has no %s", GST_ELEMENT_NAME (e),
        changes[i].name);
    fail_unless (pspec->flags & GST_PARAM_MUTABLE_READY, "%s not flagged",
        changes[i].name);
    g_value_init (&before, pspec->value_type);
    g_value_init (&after, pspec->value_type);
    g_object_get_property (G_OBJECT (e), changes[i].name, &before);
    ASSERT_WARNING (gst_util_set_object_arg (G_OBJECT (e), changes[i].name,
            changes[i].other));
    g_object_get_property (G_OBJECT (e), changes[i].name, &after);
    fail_unless (g_param_values_cmp (pspec, &before, &after) == 0,
        "%s changed in PLAYING", changes[i].name);
    g_object_set_property (G_OBJECT (e), changes[i].name, &before);
    g_value_unset (&before);
    g_value_unset (&after);
  }
}

GST_START_TEST (test_ready_only_in_playing)
{
  DtlsSide side;
  gchar *pem = make_pem (GNUTLS_PK_ECDSA,
      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1));
  const Change enc_changes[] = {
    {"connection-id", "another-id"},
    {"is-client", "false"},
    {"srtp-profiles", "SRTP_AES128_CM_HMAC_SHA1_32"},
    {"priority", "NORMAL"},
    {"certificate-type", "rsa-2048"},
    {"handshake-timeout", "5000"},
    {"retransmit-timeout", "100"},
    {"cookie-exchange", "false"},
  };
  const Change dec_changes[] = {
    {"connection-id", "another-id"},
    {"pem", pem},
  };
  guint mtu;
  gchar *fp;

  dtls_side_create (&side, TRUE, NULL);
  dtls_side_start (&side);
  assert_changes_refused (side.enc_el, enc_changes, G_N_ELEMENTS (enc_changes));
  assert_changes_refused (side.dec_el, dec_changes, G_N_ELEMENTS (dec_changes));

  /* mtu and peer-fingerprint may change in PLAYING */
  g_object_set (side.enc_el, "mtu", 1000, "peer-fingerprint",
      good_fingerprints[0], NULL);
  g_object_get (side.dec_el, "mtu", &mtu, "peer-fingerprint", &fp, NULL);
  fail_unless_equals_int (mtu, 1000);
  fail_unless_equals_string (fp, good_fingerprints[0]);
  g_free (fp);

  /* and in READY the others may too */
  gst_harness_teardown (side.enc);
  side.enc = NULL;
  g_object_set (side.enc_el, "handshake-timeout", 5000, NULL);
  g_object_get (side.enc_el, "handshake-timeout", &mtu, NULL);
  fail_unless_equals_int (mtu, 5000);

  dtls_side_free (&side);
  g_free (pem);
}

GST_END_TEST;

GST_START_TEST (test_bins_ready_only_in_playing)
{
  GstElement *pipeline, *enc, *dec;
  const Change enc_changes[] = {
    {"connection-id", "another-id"},
    {"is-client", "true"},
    {"priority", "NORMAL"},
    {"handshake-timeout", "5000"},
  };
  const Change dec_changes[] = {
    {"connection-id", "another-id"},
    {"srtp-profiles", "SRTP_AES128_CM_HMAC_SHA1_32"},
    {"certificate-type", "rsa-2048"},
  };

  pipeline = gst_parse_launch ("appsrc ! " SRTP_DEC_BIN " name=d "
      "connection-id=bins-playing ! fakesink async=false "
      SRTP_ENC_BIN " name=e connection-id=bins-playing ! "
      "fakesink async=false", NULL);
  fail_unless (pipeline != NULL);
  enc = gst_bin_get_by_name (GST_BIN (pipeline), "e");
  dec = gst_bin_get_by_name (GST_BIN (pipeline), "d");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (gst_element_get_state (pipeline, NULL, NULL,
          5 * GST_SECOND), GST_STATE_CHANGE_SUCCESS);

  assert_changes_refused (enc, enc_changes, G_N_ELEMENTS (enc_changes));
  assert_changes_refused (dec, dec_changes, G_N_ELEMENTS (dec_changes));
  /* the manual-keying names may change in PLAYING, as in the reference */
  g_object_set (enc, "srtp-cipher", "aes-256-icm", NULL);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (enc);
  gst_object_unref (dec);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* ---- connection-id taken ---- */

GST_START_TEST (test_connection_id_taken)
{
  const gchar *factories[] = { ENC_NAME, DEC_NAME };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (factories); i++) {
    GstElement *older = make_element (factories[i], "taken-id");
    GstElement *newer = make_element (factories[i], "taken-id");

    fail_unless_equals_int (gst_element_set_state (older, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
    assert_start_refused (newer, "\"taken-id\"", "already used",
        GST_ELEMENT_NAME (older), NULL);
    /* the newer one's settings did not reach the older one's connection */
    g_object_set (newer, "mtu", 600, NULL);
    {
      guint mtu;

      g_object_get (older, "mtu", &mtu, NULL);
      fail_unless_equals_int (mtu, 1200);
    }
    /* once the older is gone, the id is free, with the settings made */
    free_element (older);
    fail_unless_equals_int (gst_element_set_state (newer, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
    {
      guint mtu;

      g_object_get (newer, "mtu", &mtu, NULL);
      fail_unless_equals_int (mtu, 600);
    }
    free_element (newer);
  }
}

GST_END_TEST;

GST_START_TEST (test_bins_connection_id_taken)
{
  GstElement *pipeline;
  gchar *msg;

  pipeline = gst_parse_launch ("appsrc ! " SRTP_ENC_BIN
      " connection-id=twice ! fakesink async=false "
      "appsrc ! " SRTP_ENC_BIN " connection-id=twice ! fakesink async=false",
      NULL);
  fail_unless (pipeline != NULL);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  msg = pop_error (pipeline);
  fail_unless (msg && strstr (msg, "\"twice\"") &&
      strstr (msg, "already used"), "error: %s", msg);
  g_free (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Settings are the connection's: made before an element has its
 * connection they wait in the element, then move there; an element that
 * moves to another connection-id finds that connection's settings */
GST_START_TEST (test_settings_belong_to_connection)
{
  GstElement *dec = make_element (DEC_NAME, NULL);
  GstElement *enc = make_element (ENC_NAME, "belong-a");
  gchar *pem = make_pem (GNUTLS_PK_ECDSA,
      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1));
  gchar *fp_a, *fp_enc, *fp_b;
  guint mtu;

  g_object_set (dec, "pem", pem, "mtu", 700, NULL);
  /* waiting for a connection, pem reads back as it would then: the
   * certificate without its key */
  fp_a = get_string (dec, "pem");
  fail_unless (fp_a && g_str_has_prefix (pem, fp_a));
  fail_if (strstr (fp_a, "PRIVATE KEY"));
  g_free (fp_a);
  g_object_set (dec, "connection-id", "belong-a", NULL);
  fp_a = get_string (dec, "fingerprint");
  fail_unless (fp_a != NULL);
  fp_enc = get_string (enc, "fingerprint");
  g_object_get (enc, "mtu", &mtu, NULL);
  fail_unless_equals_string (fp_enc, fp_a);
  fail_unless_equals_int (mtu, 700);

  g_object_set (dec, "connection-id", "belong-b", NULL);
  fp_b = get_string (dec, "fingerprint");
  g_object_get (dec, "mtu", &mtu, NULL);
  fail_if (g_strcmp0 (fp_a, fp_b) == 0);
  fail_unless_equals_int (mtu, 1200);
  g_free (fp_enc);
  fp_enc = get_string (enc, "fingerprint");
  fail_unless_equals_string (fp_enc, fp_a);

  /* setting the same id again keeps the element attached */
  g_object_set (dec, "connection-id", "belong-b", NULL);
  fail_unless_equals_int (gst_element_set_state (dec, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  {
    GstElement *other = make_element (DEC_NAME, "belong-b");

    assert_start_refused (other, "belong-b", NULL);
    free_element (other);
  }
  g_free (fp_a);
  g_free (fp_b);
  g_free (fp_enc);
  g_free (pem);
  free_element (enc);
  free_element (dec);
}

GST_END_TEST;

/* ---- what a user sees ---- */

static void
count_notify (GObject * obj, GParamSpec * pspec, gint * count)
{
  gchar *fp = NULL;

  g_object_get (obj, "fingerprint", &fp, NULL);
  fail_unless (fp && g_str_has_prefix (fp, "sha-256 "), "notified %s", fp);
  g_free (fp);
  (*count)++;
}

GST_START_TEST (test_fingerprint_notify)
{
  GstElement *dec = make_element (DEC_NAME, "notify");
  GstElement *enc = make_element (ENC_NAME, "notify");
  gchar *pem = make_pem (GNUTLS_PK_ECDSA,
      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1));
  gint dec_count = 0, enc_count = 0;

  g_signal_connect (dec, "notify::fingerprint", G_CALLBACK (count_notify),
      &dec_count);
  g_signal_connect (enc, "notify::fingerprint", G_CALLBACK (count_notify),
      &enc_count);
  fail_unless_equals_int (gst_element_set_state (dec, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (gst_element_set_state (enc, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (dec_count, 1);
  fail_unless_equals_int (enc_count, 1);
  /* a new certificate is told too */
  gst_element_set_state (dec, GST_STATE_NULL);
  g_object_set (dec, "pem", pem, NULL);
  fail_unless_equals_int (dec_count, 2);
  g_free (pem);
  free_element (enc);
  free_element (dec);
}

GST_END_TEST;

/* gst-launch-1.0 -v prints the property notifications it gets through
 * gst_element_add_property_deep_notify_watch(): the fingerprint of the
 * bins must be among them */
GST_START_TEST (test_fingerprint_deep_notify)
{
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *m;
  gboolean seen_enc = FALSE, seen_dec = FALSE;
  gchar *expected = NULL;

  pipeline = gst_parse_launch ("appsrc ! " SRTP_DEC_BIN " name=d "
      "connection-id=deep ! fakesink async=false "
      SRTP_ENC_BIN " name=e connection-id=deep ! fakesink async=false", NULL);
  fail_unless (pipeline != NULL);
  gst_element_add_property_deep_notify_watch (pipeline, NULL, TRUE);
  bus = gst_element_get_bus (pipeline);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);

  while (!(seen_enc && seen_dec) &&
      (m = gst_bus_timed_pop_filtered (bus, 2 * GST_SECOND,
              GST_MESSAGE_PROPERTY_NOTIFY))) {
    const gchar *name;
    const GValue *v;
    GstObject *obj;

    gst_message_parse_property_notify (m, &obj, &name, &v);
    if (g_str_equal (name, "fingerprint") && v &&
        G_VALUE_HOLDS_STRING (v) && g_value_get_string (v)) {
      const gchar *fp = g_value_get_string (v);

      fail_unless (g_str_has_prefix (fp, "sha-256 "));
      if (!expected)
        expected = g_strdup (fp);
      fail_unless_equals_string (fp, expected);
      if (g_str_equal (GST_OBJECT_NAME (obj), "e"))
        seen_enc = TRUE;
      if (g_str_equal (GST_OBJECT_NAME (obj), "d"))
        seen_dec = TRUE;
    }
    gst_message_unref (m);
  }
  fail_unless (seen_enc && seen_dec, "fingerprint not notified by the bins");

  g_free (expected);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
dtls_settings_suite (void)
{
  Suite *s = suite_create ("dtls_settings");
  TCase *tc = tcase_create ("general");

  dtls_test_use_our_names ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_invalid_pem);
  tcase_add_test (tc, test_weak_own_key);
  tcase_add_test (tc, test_invalid_peer_fingerprint);
  tcase_add_test (tc, test_unknown_srtp_cipher);
  tcase_add_test (tc, test_ready_only_in_playing);
  tcase_add_test (tc, test_bins_ready_only_in_playing);
  tcase_add_test (tc, test_connection_id_taken);
  tcase_add_test (tc, test_bins_connection_id_taken);
  tcase_add_test (tc, test_settings_belong_to_connection);
  tcase_add_test (tc, test_fingerprint_notify);
  tcase_add_test (tc, test_fingerprint_deep_notify);
  return s;
}

GST_CHECK_MAIN (dtls_settings);
