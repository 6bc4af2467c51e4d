/* custom-certificate: DTLS-SRTP with a certificate the application made
 * itself, and the peer checking it against the fingerprint it expects.
 *
 * The application generates an ECDSA P-256 key and a self-signed
 * certificate with GnuTLS, gives them to side A through the `pem` property
 * and computes the SHA-256 fingerprint it would put in its SDP. Side B is
 * told that fingerprint (`peer-fingerprint`) and connects. A second run
 * gives B a wrong fingerprint: the handshake must be refused, with an error
 * that says so.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#define CHECK(x) G_STMT_START { int r_ = (x); if (r_ < 0) { \
  g_printerr ("%s: %s\n", #x, gnutls_strerror (r_)); return NULL; } \
} G_STMT_END

/* A self-signed certificate and its key, PEM, certificate first; and the
 * certificate's fingerprint in SDP form ("sha-256 AB:CD:..."). */
static gchar *
make_certificate (gchar ** fingerprint)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  guint8 serial[16], digest[32];
  size_t len = sizeof (digest);
  gnutls_datum_t crt_pem, key_pem;
  GString *fp = g_string_new ("sha-256 ");
  time_t now = time (NULL);
  gchar *pem;
  guint i;

  CHECK (gnutls_x509_privkey_init (&key));
  CHECK (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
          GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0));
  CHECK (gnutls_x509_crt_init (&crt));
  CHECK (gnutls_x509_crt_set_version (crt, 3));
  for (i = 0; i < sizeof (serial); i++)
    serial[i] = g_random_int_range (0, 256);
  serial[0] &= 0x7f;            /* a positive serial number */
  CHECK (gnutls_x509_crt_set_serial (crt, serial, sizeof (serial)));
  CHECK (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
          "custom-certificate example", strlen ("custom-certificate example")));
  CHECK (gnutls_x509_crt_set_issuer_dn_by_oid (crt,
          GNUTLS_OID_X520_COMMON_NAME, 0, "custom-certificate example",
          strlen ("custom-certificate example")));
  CHECK (gnutls_x509_crt_set_activation_time (crt, now - 3600));
  CHECK (gnutls_x509_crt_set_expiration_time (crt, now + 30 * 24 * 3600));
  CHECK (gnutls_x509_crt_set_key (crt, key));
  CHECK (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0));

  CHECK (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, digest,
          &len));
  for (i = 0; i < len; i++)
    g_string_append_printf (fp, i ? ":%02X" : "%02X", digest[i]);
  *fingerprint = g_string_free (fp, FALSE);

  CHECK (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem));
  CHECK (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem));
  pem = g_strdup_printf ("%.*s%.*s", (int) crt_pem.size, crt_pem.data,
      (int) key_pem.size, key_pem.data);
  gnutls_free (crt_pem.data);
  gnutls_free (key_pem.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
  return pem;
}

/* One pipeline, two sides talking directly; returns the final connection
 * state of B and the first error message, if any. */
static gint
call (const gchar * pem_a, const gchar * expected_fp, gchar ** error_text)
{
  static guint run;
  gchar *desc =
      g_strdup_printf
      ("audiotestsrc is-live=true num-buffers=25 samplesperbuffer=160 "
      "! alawenc ! rtppcmapay ! gnutlsdtlssrtpenc name=enc_a connection-id=a%u "
      "is-client=true ! gnutlsdtlssrtpdec name=dec_b connection-id=b%u "
      "! fakesink async=false "
      "audiotestsrc is-live=true num-buffers=25 samplesperbuffer=160 "
      "! alawenc ! rtppcmapay ! gnutlsdtlssrtpenc name=enc_b connection-id=b%u "
      "! gnutlsdtlssrtpdec name=dec_a connection-id=a%u ! fakesink async=false",
      run, run, run, run);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *dec_a = gst_bin_get_by_name (GST_BIN (pipeline), "dec_a");
  GstElement *dec_b = gst_bin_get_by_name (GST_BIN (pipeline), "dec_b");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  gchar *fp_a = NULL;
  gint state = 0;

  run++;
  g_free (desc);
  g_object_set (dec_a, "pem", pem_a, NULL);
  g_object_get (dec_a, "fingerprint", &fp_a, NULL);
  g_print ("  A's fingerprint as the element computes it: %s\n", fp_a);
  g_free (fp_a);
  g_object_set (dec_b, "peer-fingerprint", expected_fp, NULL);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  *error_text = NULL;
  if (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err;

    gst_message_parse_error (msg, &err, NULL);
    *error_text = g_strdup (err->message);
    g_error_free (err);
  }
  gst_clear_message (&msg);
  g_object_get (dec_b, "connection-state", &state, NULL);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (dec_a);
  gst_object_unref (dec_b);
  gst_object_unref (pipeline);
  return state;
}

int
main (int argc, char **argv)
{
  gchar *fingerprint = NULL, *error_text = NULL;
  gchar *pem;
  gint state;
  gboolean ok = TRUE;

  gst_init (&argc, &argv);
  pem = make_certificate (&fingerprint);
  if (pem == NULL)
    return 1;
  g_print ("Our certificate's fingerprint (for the SDP): %s\n", fingerprint);

  g_print ("1. B expects that fingerprint:\n");
  state = call (pem, fingerprint, &error_text);
  g_print ("  B: connection %s%s%s\n", state == 4 ? "connected" : "NOT "
      "connected", error_text ? ", error: " : "", error_text ? error_text : "");
  ok &= state == 4 && error_text == NULL;
  g_free (error_text);

  g_print ("2. B expects another certificate (a man in the middle):\n");
  state = call (pem, "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", &error_text);
  g_print ("  B: connection %s, error: %s\n", state == 2 ? "failed" :
      "NOT failed", error_text ? error_text : "(none)");
  ok &= state == 2 && error_text != NULL;
  g_free (error_text);

  g_print ("%s\n", ok ? "OK: the right certificate is accepted, a wrong one "
      "refused" : "FAILED");
  g_free (pem);
  g_free (fingerprint);
  return ok ? 0 : 1;
}
