/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* SSLKEYLOGFILE: with it set, the secrets of each handshake are written in
 * the NSS key log format Wireshark reads. GnuTLS reads the variable once,
 * on the first handshake of the process, so this test has its own binary
 * and sets it before anything else. */

#include <glib/gstdio.h>

#include "dtlstest.h"

static gchar *keylog_path;

GST_START_TEST (test_sslkeylogfile)
{
  DtlsSide client, server;
  gchar *contents = NULL;
  gchar **lines;
  guint i, n_client_random = 0;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  dtls_run (&client, &server, NULL, NULL, 5000);
  fail_unless_equals_int (dtls_side_state (&client), STATE_CONNECTED);

  fail_unless (g_file_get_contents (keylog_path, &contents, NULL, NULL),
      "no key log written to %s", keylog_path);
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    gchar **f;

    if (!g_str_has_prefix (lines[i], "CLIENT_RANDOM "))
      continue;
    /* CLIENT_RANDOM <64 hex client random> <96 hex master secret> */
    f = g_strsplit (lines[i], " ", -1);
    fail_unless_equals_int (g_strv_length (f), 3);
    fail_unless_equals_int (strlen (f[1]), 64);
    fail_unless_equals_int (strlen (f[2]), 96);
    g_strfreev (f);
    n_client_random++;
  }
  /* both ends of the connection logged the same session */
  fail_unless (n_client_random >= 1, "no CLIENT_RANDOM line in:\n%s", contents);
  g_strfreev (lines);
  g_free (contents);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

static Suite *
dtls_keylog_suite (void)
{
  Suite *s = suite_create ("dtls_keylog");
  TCase *tc = tcase_create ("general");

  dtls_test_use_our_names ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_sslkeylogfile);
  return s;
}

int
main (int argc, char **argv)
{
  gchar *dir = g_dir_make_tmp ("dtls-keylog-XXXXXX", NULL);
  int ret;

  keylog_path = g_build_filename (dir, "keys.log", NULL);
  g_setenv ("SSLKEYLOGFILE", keylog_path, TRUE);
  /* the handshake must run in this process, where the variable is set */
  g_setenv ("CK_FORK", "no", TRUE);

  gst_check_init (&argc, &argv);
  ret = gst_check_run_suite (dtls_keylog_suite (), "dtls_keylog", __FILE__);

  g_unlink (keylog_path);
  g_rmdir (dir);
  g_free (keylog_path);
  g_free (dir);
  return ret;
}
