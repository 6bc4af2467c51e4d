/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Interop over UDP on 127.0.0.1 with independent DTLS stacks: OpenSSL's
 * s_server / s_client and GnuTLS's gnutls-serv / gnutls-cli. Our encoder and
 * decoder run in harnesses; the test moves their datagrams to and from one
 * UDP socket (so only GStreamer's core plugins are needed). The peer's
 * printed keying material (RFC 5764 EXTRACTOR-dtls_srtp: 60 bytes for the
 * AES-CM profiles, 56 and 88 for the RFC 7714 AEAD ones) must equal our
 * encoder-key / decoder-key, and application data must flow both ways. A
 * missing peer program fails the test, naming the package. */

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
interop_setup_full (Interop * t, gboolean is_client, guint16 peer_port,
    const gchar * srtp_profiles, GstBus * bus)
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
  if (srtp_profiles)
    g_object_set (t->enc, "srtp-profiles", srtp_profiles, NULL);
  if (bus) {
    gst_element_set_bus (t->enc, bus);
    gst_element_set_bus (t->dec, bus);
  }
  g_free (id);

  t->hdec = gst_harness_new_with_element (t->dec, "sink", "src");
  gst_harness_set_src_caps_str (t->hdec, "application/x-dtls");
  t->henc = gst_harness_new_with_element (t->enc, "sink", "src");
  gst_harness_set_src_caps_str (t->henc, "application/octet-stream");
}

#define interop_setup(t, is_client, peer_port) \
    interop_setup_full (t, is_client, peer_port, NULL, NULL)

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
 * (gnutls-cli) of @len bytes from the peer output */
static GBytes *
peer_key_material (Interop * t, guint len)
{
  gchar *pattern = g_strdup_printf ("[Kk]ey(ing)? material: "
      "([0-9A-Fa-f]{%u})", 2 * len);
  GRegex *re = g_regex_new (pattern, 0, 0, NULL);
  GMatchInfo *m = NULL;
  gchar *out, *hex;
  guint8 *km = g_malloc (len);
  guint i;

  fail_unless (wait_output (t, "material: "), "the peer printed no keys");
  g_usleep (50000);
  out = read_output (t);
  fail_unless (g_regex_match (re, out, 0, &m), "no %u bytes of key "
      "material in:\n%s", len, out);
  hex = g_match_info_fetch (m, 2);
  for (i = 0; i < len; i++)
    km[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) |
        g_ascii_xdigit_value (hex[2 * i + 1]);
  g_free (hex);
  g_free (out);
  g_free (pattern);
  g_match_info_free (m);
  g_regex_unref (re);
  return g_bytes_new_take (km, len);
}

static void
assert_key (GstElement * el, const gchar * prop, const guint8 * km,
    gsize key_off, gsize key_len, gsize salt_off, gsize salt_len)
{
  GstBuffer *key = NULL;
  guint8 expected[32 + 14];

  g_object_get (el, prop, &key, NULL);
  fail_unless (key != NULL, "%s not set", prop);
  memcpy (expected, km + key_off, key_len);
  memcpy (expected + key_len, km + salt_off, salt_len);
  fail_unless_equals_int (gst_buffer_get_size (key), key_len + salt_len);
  fail_unless (gst_buffer_memcmp (key, 0, expected, key_len + salt_len) == 0,
      "%s differs from the peer's keying material", prop);
  gst_buffer_unref (key);
}

/* RFC 5764 4.2: client key, server key, client salt, server salt; @key_len
 * and @salt_len those of the profile (RFC 5764 4.1.2, RFC 7714 12) */
static void
check_keys_full (Interop * t, gboolean is_client, guint key_len, guint salt_len)
{
  GBytes *bytes = peer_key_material (t, 2 * (key_len + salt_len));
  const guint8 *km = g_bytes_get_data (bytes, NULL);
  guint k = key_len, s = salt_len;

  assert_key (t->enc, "encoder-key", km, is_client ? 0 : k, k,
      is_client ? 2 * k : 2 * k + s, s);
  assert_key (t->dec, "decoder-key", km, is_client ? k : 0, k,
      is_client ? 2 * k + s : 2 * k, s);
  g_bytes_unref (bytes);
}

#define check_keys(t, is_client) check_keys_full (t, is_client, 16, 14)

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

/* Application data both ways with an openssl s_client/s_server peer */
static void
exchange_with_openssl (Interop * t)
{
  send_app_data (t, "hello openssl\n");
  fail_unless (wait_output (t, "hello openssl"), "openssl got no data");
  peer_send_line (t, "hello gstreamer\n");
  expect_app_data (t, "hello gstreamer");
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
  exchange_with_openssl (&t);

  interop_clear (&t);
  g_free (accept);
  g_free (openssl);
}

GST_END_TEST;

static void run_openssl_client (const gchar * offer, const gchar * expected,
    guint key_len, guint salt_len);

GST_START_TEST (test_openssl_client)
{
  run_openssl_client ("SRTP_AES128_CM_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_80",
      16, 14);
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

/* OpenSSL's names of the profiles, with the key and salt lengths */
typedef struct
{
  const gchar *openssl, *ours;
  guint key_len, salt_len;
  gboolean aead;
} OpensslProfile;

static const OpensslProfile openssl_gcm[] = {
  {"SRTP_AEAD_AES_128_GCM", "SRTP_AEAD_AES_128_GCM", 16, 12, TRUE},
  {"SRTP_AEAD_AES_256_GCM", "SRTP_AEAD_AES_256_GCM", 32, 12, TRUE},
};

static void
check_profile (Interop * t, const gchar * expected)
{
  gchar *ours = NULL, *line;

  g_object_get (t->enc, "srtp-profile", &ours, NULL);
  fail_unless_equals_string (ours, expected);
  g_free (ours);
  /* OpenSSL's name of the same profile, as it reports it */
  line = g_strdup_printf ("SRTP Extension negotiated, profile=%s",
      g_str_has_prefix (expected, "SRTP_AES128_CM_HMAC_") ?
      "SRTP_AES128_CM_" : expected);
  fail_unless (wait_output (t, line), "openssl did not report %s", line);
  g_free (line);
}

/* Built against a GnuTLS without the AEAD profiles, asking for one fails
 * at start, before anything is sent, naming the version needed */
static void
check_gcm_refused (gboolean is_client, const gchar * profile)
{
  Interop t;
  gint state = 0;
  GstBuffer *buf;
  GError *err = NULL;
  GstMessage *msg;
  GstBus *bus = gst_bus_new ();

  g_print ("%s over DTLS needs GnuTLS >= 3.8.0, built against %s: checking "
      "that asking for it is refused instead\n", profile, GNUTLS_VERSION);
  interop_init (&t);
  interop_setup_full (&t, is_client, is_client ? free_udp_port () : 0,
      profile, bus);
  /* nothing to send: the ClientHello never went out */
  buf = gst_harness_try_pull (t.henc);
  fail_unless (buf == NULL);
  g_object_get (t.enc, "connection-state", &state, NULL);
  fail_unless_equals_int (state, 2);
  msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, profile) &&
      strstr (err->message, "GnuTLS 3.8.0"), "error: %s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_bus_set_flushing (bus, TRUE);
  interop_clear (&t);
  gst_object_unref (bus);
}

/* openssl s_server offering only an AEAD profile; we offer the default */
GST_START_TEST (test_openssl_server_gcm)
{
  const OpensslProfile *op = &openssl_gcm[__i__];
  Interop t;
  gchar *openssl = require_program ("openssl", "openssl");
  guint16 port = free_udp_port ();
  gchar *accept = g_strdup_printf ("127.0.0.1:%u", port);
  gchar *len = g_strdup_printf ("%u", 2 * (op->key_len + op->salt_len));
  const gchar *argv[] = { openssl, "s_server", "-dtls1_2", "-accept", accept,
    "-cert", NULL, "-key", NULL, "-use_srtp", op->openssl,
    "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", len, NULL
  };

  if (!HAVE_SRTP_AEAD_OVER_DTLS) {
    check_gcm_refused (TRUE, op->ours);
  } else {
    interop_init (&t);
    argv[6] = t.cert_file;
    argv[8] = t.key_file;
    start_peer (&t, argv);
    fail_unless (wait_output (&t, "ACCEPT"), "openssl s_server did not "
        "start");
    interop_setup (&t, TRUE, port);
    wait_connected (&t);
    check_keys_full (&t, TRUE, op->key_len, op->salt_len);
    check_profile (&t, op->ours);
    exchange_with_openssl (&t);
    interop_clear (&t);
  }
  g_free (len);
  g_free (accept);
  g_free (openssl);
}

GST_END_TEST;

/* openssl s_client offering @offer to our server (default profiles) */
static void
run_openssl_client (const gchar * offer, const gchar * expected,
    guint key_len, guint salt_len)
{
  Interop t;
  gchar *openssl = require_program ("openssl", "openssl");
  gchar *connect;
  gchar *len = g_strdup_printf ("%u", 2 * (key_len + salt_len));
  const gchar *argv[] = { openssl, "s_client", "-dtls1_2", "-connect", NULL,
    "-cert", NULL, "-key", NULL, "-use_srtp", offer,
    "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", len, NULL
  };

  interop_init (&t);
  interop_setup (&t, FALSE, 0);
  connect = g_strdup_printf ("127.0.0.1:%u", t.port);
  argv[4] = connect;
  argv[6] = t.cert_file;
  argv[8] = t.key_file;
  start_peer (&t, argv);
  wait_connected (&t);
  check_keys_full (&t, FALSE, key_len, salt_len);
  check_profile (&t, expected);
  exchange_with_openssl (&t);
  interop_clear (&t);
  g_free (connect);
  g_free (len);
  g_free (openssl);
}

GST_START_TEST (test_openssl_client_gcm)
{
  const OpensslProfile *op = &openssl_gcm[__i__];

  if (!HAVE_SRTP_AEAD_OVER_DTLS)
    check_gcm_refused (FALSE, op->ours);
  else
    run_openssl_client (op->openssl, op->ours, op->key_len, op->salt_len);
}

GST_END_TEST;

/* Our server chooses by its own preference, not by the order of the
 * client's list: OpenSSL lists the less preferred profile first */
GST_START_TEST (test_openssl_client_order)
{
  /* with any GnuTLS: _80 over the _32 listed first */
  run_openssl_client ("SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80",
      "SRTP_AES128_CM_HMAC_SHA1_80", 16, 14);
  /* Chromium's order, CM_80 then GCM: GCM where GnuTLS knows it, CM_80
   * (the GCM id ignored) where it does not */
  if (HAVE_SRTP_AEAD_OVER_DTLS) {
    run_openssl_client ("SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_256_GCM:"
        "SRTP_AEAD_AES_128_GCM", "SRTP_AEAD_AES_128_GCM", 16, 12);
  } else {
    g_print ("A server choosing GCM from Chromium's offer needs GnuTLS >= "
        "3.8.0, built against %s: checking that it picks CM_80 from it "
        "instead\n", GNUTLS_VERSION);
    run_openssl_client ("SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_256_GCM:"
        "SRTP_AEAD_AES_128_GCM", "SRTP_AES128_CM_HMAC_SHA1_80", 16, 14);
  }
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
  tcase_add_loop_test (tc, test_openssl_server_gcm, 0,
      G_N_ELEMENTS (openssl_gcm));
  tcase_add_loop_test (tc, test_openssl_client_gcm, 0,
      G_N_ELEMENTS (openssl_gcm));
  tcase_add_test (tc, test_openssl_client_order);
  return s;
}

GST_CHECK_MAIN (dtls_udp_interop);
