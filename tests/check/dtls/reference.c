/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Interop, in process, with the reference dtlsenc / dtlsdec of
 * gst-plugins-bad (OpenSSL), in both roles. */

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "dtlstest.h"

static void
require_reference (void)
{
  GstPluginFeature *f;

  f = gst_registry_lookup_feature (gst_registry_get (), "dtlsenc");
  fail_unless (f != NULL, "The reference dtlsenc element is missing: install "
      "the Debian package gstreamer1.0-plugins-bad");
  fail_unless_equals_string (gst_plugin_feature_get_plugin_name (f), "dtls");
  gst_object_unref (f);
}

/* SHA-256 fingerprint of the certificate in @pem, computed independently
 * of the elements */
static gchar *
fingerprint_of_pem (const gchar * pem)
{
  gnutls_x509_crt_t crt;
  gnutls_datum_t data = { (unsigned char *) pem, strlen (pem) };
  guint8 digest[32];
  size_t size = sizeof (digest);
  GString *s = g_string_new ("sha-256 ");
  guint i;

  fail_unless (gnutls_x509_crt_init (&crt) == 0);
  fail_unless (gnutls_x509_crt_import (crt, &data, GNUTLS_X509_FMT_PEM) == 0);
  fail_unless (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256,
          digest, &size) == 0);
  gnutls_x509_crt_deinit (crt);
  for (i = 0; i < size; i++)
    g_string_append_printf (s, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (s, FALSE);
}

static void
interop (gboolean ours_is_client)
{
  DtlsSide ours, ref;
  DtlsSide *client = ours_is_client ? &ours : &ref;
  DtlsSide *server = ours_is_client ? &ref : &ours;
  gchar *ref_pem, *ref_fp, *our_fp, *peer_pem;

  require_reference ();

  dtls_side_create_full (&ref, "dtlsenc", "dtlsdec", !ours_is_client, NULL);
  dtls_side_create (&ours, ours_is_client, NULL);

  /* pin the reference's certificate, as from its SDP */
  g_object_get (ref.dec_el, "pem", &ref_pem, NULL);
  ref_fp = fingerprint_of_pem (ref_pem);
  g_object_set (ours.dec_el, "peer-fingerprint", ref_fp, NULL);

  dtls_side_start (server);
  dtls_side_start (client);
  dtls_run (client, server, NULL, NULL, 5000);
  fail_unless_equals_int (dtls_side_state (&ours), STATE_CONNECTED);
  fail_unless_equals_int (dtls_side_state (&ref), STATE_CONNECTED);

  /* our exported keys are the reference's, crossed */
  dtls_assert_keys_match (&ours, &ref);

  /* the reference saw our certificate */
  g_object_get (ref.dec_el, "peer-pem", &peer_pem, NULL);
  g_object_get (ours.dec_el, "fingerprint", &our_fp, NULL);
  fail_unless (peer_pem != NULL);
  {
    gchar *fp = fingerprint_of_pem (peer_pem);
    fail_unless_equals_string (fp, our_fp);
    g_free (fp);
  }

  dtls_check_app_data (&ours, &ref, ours_is_client, "from gnutls");
  dtls_check_app_data (&ref, &ours, !ours_is_client, "from openssl");
  dtls_check_app_data (&ours, &ref, ours_is_client, "once more");

  g_free (ref_pem);
  g_free (ref_fp);
  g_free (our_fp);
  g_free (peer_pem);
  dtls_side_free (&ours);
  dtls_side_free (&ref);
}

GST_START_TEST (test_ours_client_reference_server)
{
  interop (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_reference_client_ours_server)
{
  interop (FALSE);
}

GST_END_TEST;

static Suite *
dtls_reference_suite (void)
{
  Suite *s = suite_create ("dtls_reference");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_ours_client_reference_server);
  tcase_add_test (tc, test_reference_client_ours_server);
  return s;
}

GST_CHECK_MAIN (dtls_reference);
