/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Interop over UDP on 127.0.0.1 with independent DTLS stacks: OpenSSL's
 * s_server / s_client and GnuTLS's gnutls-serv / gnutls-cli. Our encoder and
 * decoder run in harnesses; the test moves their datagrams to and from one
 * UDP socket (so only GStreamer's core plugins are needed). The peer's
 * printed keying material (RFC 5764 EXTRACTOR-dtls_srtp, 60 bytes) must
 * equal our encoder-key / decoder-key, and application data must flow both
 * ways. A missing peer program fails the test, naming the package. */

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../check/dtls/dtlstest.h"
#include "../check/dtls/dtlscert.h"

#define TIMEOUT_US (10 * G_USEC_PER_SEC)

typedef struct
{
  gchar *dir;
  gchar *cert_file, *key_file, *out_file;
  GSubprocess *peer;
  GOutputStream *peer_stdin;

  GSocket *socket;
  guint16 port;
  GSocketAddress *peer_addr;    /* given, or learned from the first datagram */
  GstElement *enc, *dec;
  GstHarness *henc, *hdec;
} Interop;

static void pump (Interop * t);

static gchar *
require_program (const gchar * name, const gchar * package)
{
  gchar *path = g_find_program_in_path (name);

  fail_unless (path != NULL, "%s is missing: install the Debian package %s",
      name, package);
  return path;
}

/* A self-signed ECDSA certificate and key for the peer programs */
static void
write_credentials (Interop * t)
{
  gchar *cert, *key;

  dtls_test_make_certificate ("peer", 9, &cert, &key);
  fail_unless (g_file_set_contents (t->cert_file, cert, -1, NULL));
  fail_unless (g_file_set_contents (t->key_file, key, -1, NULL));
  g_free (cert);
  g_free (key);
}

static guint16
free_udp_port (void)
{
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0);
  GSocketAddress *bound;
  guint16 port;

  fail_unless (g_socket_bind (s, addr, FALSE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  g_object_unref (s);
  return port;
}

static gchar *
read_output (Interop * t)
{
  gchar *out = NULL;

  g_file_get_contents (t->out_file, &out, NULL, NULL);
  return out ? out : g_strdup ("");
}

static gboolean
wait_output (Interop * t, const gchar * what)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_US;

  while (g_get_monotonic_time () < end) {
    gchar *out = read_output (t);
    gboolean found = strstr (out, what) != NULL;

    g_free (out);
    if (found)
      return TRUE;
    if (t->henc)
      pump (t);
    g_usleep (2000);
  }
  return FALSE;
}

static void
start_peer (Interop * t, const gchar * const *argv)
{
  GSubprocessLauncher *l;
  GError *err = NULL;
  gchar *cmd = g_strjoinv (" ", (gchar **) argv);

  GST_INFO ("peer: %s", cmd);
  g_free (cmd);
  l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
      G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (l, t->out_file);
  t->peer = g_subprocess_launcher_spawnv (l, argv, &err);
  fail_unless (t->peer != NULL, "could not start %s: %s", argv[0],
      err ? err->message : "");
  t->peer_stdin = g_subprocess_get_stdin_pipe (t->peer);
  g_object_unref (l);
}

static void
peer_send_line (Interop * t, const gchar * line)
{
  gsize written;

  fail_unless (g_output_stream_write_all (t->peer_stdin, line, strlen (line),
          &written, NULL, NULL));
  g_output_stream_flush (t->peer_stdin, NULL, NULL);
}

static void
interop_setup (Interop * t, gboolean is_client, guint16 peer_port)
{
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0);
  GSocketAddress *bound;
  static gint n = 0;
  gchar *id = g_strdup_printf ("udp-interop-%d", n++);

  t->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  fail_unless (g_socket_bind (t->socket, addr, FALSE, NULL));
  g_socket_set_blocking (t->socket, FALSE);
  bound = g_socket_get_local_address (t->socket, NULL);
  t->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (addr);
  if (peer_port)
    t->peer_addr = g_inet_socket_address_new (lo, peer_port);
  g_object_unref (lo);

  t->dec = gst_element_factory_make (DEC_NAME, NULL);
  t->enc = gst_element_factory_make (ENC_NAME, NULL);
  fail_unless (t->dec && t->enc);
  g_object_set (t->dec, "connection-id", id, NULL);
  g_object_set (t->enc, "connection-id", id, "is-client", is_client, NULL);
  g_free (id);

  t->hdec = gst_harness_new_with_element (t->dec, "sink", "src");
  gst_harness_set_src_caps_str (t->hdec, "application/x-dtls");
  t->henc = gst_harness_new_with_element (t->enc, "sink", "src");
  gst_harness_set_src_caps_str (t->henc, "application/octet-stream");
}

/* Moves datagrams between the socket and the harnesses, once */
static void
pump (Interop * t)
{
  GstBuffer *buf;

  for (;;) {
    GSocketAddress *from = NULL;
    gchar data[65536];
    gssize n;

    n = g_socket_receive_from (t->socket, &from, data, sizeof (data), NULL,
        NULL);
    if (n < 0)
      break;
    if (!t->peer_addr)
      t->peer_addr = g_object_ref (from);
    g_object_unref (from);
    gst_harness_push (t->hdec, gst_buffer_new_memdup (data, n));
  }
  while ((buf = gst_harness_try_pull (t->henc))) {
    GstMapInfo map;

    if (t->peer_addr && gst_buffer_map (buf, &map, GST_MAP_READ)) {
      g_socket_send_to (t->socket, t->peer_addr, (gchar *) map.data,
          map.size, NULL, NULL);
      gst_buffer_unmap (buf, &map);
    }
    gst_buffer_unref (buf);
  }
}

static void
interop_init (Interop * t)
{
  memset (t, 0, sizeof (*t));
  t->dir = g_dir_make_tmp ("dtls-interop-XXXXXX", NULL);
  fail_unless (t->dir != NULL);
  t->cert_file = g_build_filename (t->dir, "cert.pem", NULL);
  t->key_file = g_build_filename (t->dir, "key.pem", NULL);
  t->out_file = g_build_filename (t->dir, "peer.out", NULL);
  write_credentials (t);
}

static void
interop_clear (Interop * t)
{
  if (t->henc)
    gst_harness_teardown (t->henc);
  if (t->hdec)
    gst_harness_teardown (t->hdec);
  g_clear_object (&t->peer_addr);
  if (t->peer) {
    g_subprocess_force_exit (t->peer);
    g_subprocess_wait (t->peer, NULL, NULL);
    g_object_unref (t->peer);
  }
  g_clear_object (&t->socket);
  g_unlink (t->cert_file);
  g_unlink (t->key_file);
  g_unlink (t->out_file);
  g_rmdir (t->dir);
  g_free (t->cert_file);
  g_free (t->key_file);
  g_free (t->out_file);
  g_free (t->dir);
}

static void
wait_connected (Interop * t)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_US;
  gint state = 0;

  while (g_get_monotonic_time () < end) {
    pump (t);
    g_object_get (t->enc, "connection-state", &state, NULL);
    if (state == 4 || state == 2)
      break;
    g_usleep (1000);
  }
  if (state != 4) {
    gchar *out = read_output (t);
    fail ("not connected (state %d); the peer said:\n%s", state, out);
    g_free (out);
  }
}

/* Parses "Keying material: HEX" (openssl) or "Key material: hex"
 * (gnutls-cli) from the peer output */
static GBytes *
peer_key_material (Interop * t)
{
  GRegex *re = g_regex_new ("[Kk]ey(ing)? material: ([0-9A-Fa-f]{120})",
      0, 0, NULL);
  GMatchInfo *m = NULL;
  gchar *out, *hex;
  guint8 km[60];
  guint i;

  fail_unless (wait_output (t, "material: "), "the peer printed no keys");
  g_usleep (50000);
  out = read_output (t);
  fail_unless (g_regex_match (re, out, 0, &m), "no key material in:\n%s",
      out);
  hex = g_match_info_fetch (m, 2);
  for (i = 0; i < 60; i++)
    km[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) |
        g_ascii_xdigit_value (hex[2 * i + 1]);
  g_free (hex);
  g_free (out);
  g_match_info_free (m);
  g_regex_unref (re);
  return g_bytes_new (km, sizeof (km));
}

static void
assert_key (GstElement * el, const gchar * prop, const guint8 * km,
    gsize key_off, gsize salt_off)
{
  GstBuffer *key = NULL;
  guint8 expected[30];

  g_object_get (el, prop, &key, NULL);
  fail_unless (key != NULL, "%s not set", prop);
  memcpy (expected, km + key_off, 16);
  memcpy (expected + 16, km + salt_off, 14);
  fail_unless_equals_int (gst_buffer_get_size (key), 30);
  fail_unless (gst_buffer_memcmp (key, 0, expected, 30) == 0,
      "%s differs from the peer's keying material", prop);
  gst_buffer_unref (key);
}

/* RFC 5764 4.2: client key, server key, client salt, server salt */
static void
check_keys (Interop * t, gboolean is_client)
{
  GBytes *bytes = peer_key_material (t);
  const guint8 *km = g_bytes_get_data (bytes, NULL);

  assert_key (t->enc, "encoder-key", km, is_client ? 0 : 16,
      is_client ? 32 : 46);
  assert_key (t->dec, "decoder-key", km, is_client ? 16 : 0,
      is_client ? 46 : 32);
  g_bytes_unref (bytes);
}

static void
expect_app_data (Interop * t, const gchar * text)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_US;
  GString *got = g_string_new (NULL);

  /* a line may come in more than one record */
  while (!strstr (got->str, text) && g_get_monotonic_time () < end) {
    GstBuffer *buf;

    pump (t);
    while ((buf = gst_harness_try_pull (t->hdec))) {
      GstMapInfo map;

      gst_buffer_map (buf, &map, GST_MAP_READ);
      g_string_append_len (got, (gchar *) map.data, map.size);
      gst_buffer_unmap (buf, &map);
      gst_buffer_unref (buf);
    }
    g_usleep (1000);
  }
  fail_unless (strstr (got->str, text) != NULL, "got \"%s\"", got->str);
  g_string_free (got, TRUE);
}

static void
send_app_data (Interop * t, const gchar * text)
{
  fail_unless_equals_int (gst_harness_push (t->henc,
          gst_buffer_new_memdup (text, strlen (text))), GST_FLOW_OK);
  pump (t);
}

GST_START_TEST (test_openssl_server)
{
  Interop t;
  gchar *openssl = require_program ("openssl", "openssl");
  guint16 port = free_udp_port ();
  gchar *accept = g_strdup_printf ("127.0.0.1:%u", port);
  const gchar *argv[] = { openssl, "s_server", "-dtls1_2", "-accept", accept,
    "-cert", NULL, "-key", NULL, "-use_srtp", "SRTP_AES128_CM_SHA1_80",
    "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60", NULL
  };

  interop_init (&t);
  argv[6] = t.cert_file;
  argv[8] = t.key_file;
  start_peer (&t, argv);
  fail_unless (wait_output (&t, "ACCEPT"), "openssl s_server did not start");

  interop_setup (&t, TRUE, port);
  wait_connected (&t);
  check_keys (&t, TRUE);
  send_app_data (&t, "hello openssl\n");
  fail_unless (wait_output (&t, "hello openssl"), "openssl got no data");
  peer_send_line (&t, "hello gstreamer\n");
  expect_app_data (&t, "hello gstreamer");

  interop_clear (&t);
  g_free (accept);
  g_free (openssl);
}

GST_END_TEST;

GST_START_TEST (test_openssl_client)
{
  Interop t;
  gchar *openssl = require_program ("openssl", "openssl");
  gchar *connect;
  const gchar *argv[] = { openssl, "s_client", "-dtls1_2", "-connect", NULL,
    "-cert", NULL, "-key", NULL, "-use_srtp", "SRTP_AES128_CM_SHA1_80",
    "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60", NULL
  };

  interop_init (&t);
  interop_setup (&t, FALSE, 0);
  connect = g_strdup_printf ("127.0.0.1:%u", t.port);
  argv[4] = connect;
  argv[6] = t.cert_file;
  argv[8] = t.key_file;
  start_peer (&t, argv);

  wait_connected (&t);
  check_keys (&t, FALSE);
  send_app_data (&t, "hello openssl\n");
  fail_unless (wait_output (&t, "hello openssl"), "openssl got no data");
  peer_send_line (&t, "hello gstreamer\n");
  expect_app_data (&t, "hello gstreamer");

  interop_clear (&t);
  g_free (connect);
  g_free (openssl);
}

GST_END_TEST;

GST_START_TEST (test_gnutls_server)
{
  Interop t;
  gchar *serv = require_program ("gnutls-serv", "gnutls-bin");
  guint16 port = free_udp_port ();
  gchar *port_str = g_strdup_printf ("%u", port);
  guint auth;
  const gchar *argv[] = { serv, "--udp", "--echo", "--port", port_str,
    "--x509certfile", NULL, "--x509keyfile", NULL,
    "--srtp-profiles=SRTP_AES128_CM_HMAC_SHA1_80", NULL
  };

  interop_init (&t);
  argv[6] = t.cert_file;
  argv[8] = t.key_file;
  start_peer (&t, argv);
  fail_unless (wait_output (&t, "listening"), "gnutls-serv did not start");

  interop_setup (&t, TRUE, port);
  wait_connected (&t);
  /* gnutls-serv prints the profile but not the keys */
  fail_unless (wait_output (&t, "SRTP_AES128_CM_HMAC_SHA1_80"));
  g_object_get (t.enc, "srtp-auth", &auth, NULL);
  fail_unless_equals_int (auth, 2);
  /* an echo server: what we send comes back */
  send_app_data (&t, "echo me\n");
  expect_app_data (&t, "echo me");

  interop_clear (&t);
  g_free (port_str);
  g_free (serv);
}

GST_END_TEST;

GST_START_TEST (test_gnutls_client)
{
  Interop t;
  gchar *cli = require_program ("gnutls-cli", "gnutls-bin");
  gchar *port_str;
  const gchar *argv[] = { cli, "--udp", "--insecure", "--port", NULL,
    "--x509certfile", NULL, "--x509keyfile", NULL,
    "--srtp-profiles=SRTP_AES128_CM_HMAC_SHA1_80",
    "--keymatexport=EXTRACTOR-dtls_srtp", "--keymatexportsize=60",
    "127.0.0.1", NULL
  };

  interop_init (&t);
  interop_setup (&t, FALSE, 0);
  port_str = g_strdup_printf ("%u", t.port);
  argv[4] = port_str;
  argv[6] = t.cert_file;
  argv[8] = t.key_file;
  start_peer (&t, argv);

  wait_connected (&t);
  check_keys (&t, FALSE);
  send_app_data (&t, "hello gnutls-cli\n");
  fail_unless (wait_output (&t, "hello gnutls-cli"), "gnutls-cli got no "
      "data");
  peer_send_line (&t, "hello gstreamer\n");
  expect_app_data (&t, "hello gstreamer");

  interop_clear (&t);
  g_free (port_str);
  g_free (cli);
}

GST_END_TEST;

/* A peer whose certificate has an RSA-1024 key is refused, even though
 * OpenSSL (told to allow it) handshakes with it, and nothing pins it */
GST_START_TEST (test_openssl_client_rsa1024)
{
  Interop t;
  gchar *openssl = require_program ("openssl", "openssl");
  gchar *connect, *cert, *key, *msg;
  GstBus *bus = gst_bus_new ();
  gint64 end;
  gint state = 0;
  const gchar *argv[] = { openssl, "s_client", "-dtls1_2", "-connect", NULL,
    "-cert", NULL, "-key", NULL, "-use_srtp", "SRTP_AES128_CM_SHA1_80",
    "-cipher", "DEFAULT:@SECLEVEL=0", NULL
  };

  interop_init (&t);
  dtls_test_make_certificate_full ("weak", 10, GNUTLS_PK_RSA, 1024, &cert,
      &key);
  fail_unless (g_file_set_contents (t.cert_file, cert, -1, NULL));
  fail_unless (g_file_set_contents (t.key_file, key, -1, NULL));
  interop_setup (&t, FALSE, 0);
  gst_element_set_bus (t.dec, bus);
  gst_element_set_bus (t.enc, bus);
  connect = g_strdup_printf ("127.0.0.1:%u", t.port);
  argv[4] = connect;
  argv[6] = t.cert_file;
  argv[8] = t.key_file;
  start_peer (&t, argv);

  end = g_get_monotonic_time () + TIMEOUT_US;
  while (g_get_monotonic_time () < end && state != 2) {
    pump (&t);
    g_object_get (t.enc, "connection-state", &state, NULL);
    g_usleep (1000);
  }
  fail_unless_equals_int (state, 2);
  msg = dtls_bus_pop_error (bus);
  fail_unless (msg && strstr (msg, "RSA") && strstr (msg, "1024") &&
      strstr (msg, "2048"), "error: %s", msg);
  GST_INFO ("refused: %s", msg);
  /* the peer saw the handshake fail, so it did get that far */
  {
    gchar *out = read_output (&t);

    fail_if (strstr (out, "Keying material") != NULL, "peer said:\n%s", out);
    g_free (out);
  }

  g_free (msg);
  interop_clear (&t);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  g_free (cert);
  g_free (key);
  g_free (connect);
  g_free (openssl);
}

GST_END_TEST;

static Suite *
dtls_udp_interop_suite (void)
{
  Suite *s = suite_create ("dtls_udp_interop");
  TCase *tc = tcase_create ("general");

  dtls_test_use_our_names ();
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_openssl_server);
  tcase_add_test (tc, test_openssl_client);
  tcase_add_test (tc, test_gnutls_server);
  tcase_add_test (tc, test_gnutls_client);
  tcase_add_test (tc, test_openssl_client_rsa1024);
  return s;
}

GST_CHECK_MAIN (dtls_udp_interop);
