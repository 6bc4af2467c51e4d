/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Hostile peers and network faults (issue 5).
 *
 * Hostile peers: independent DTLS stacks (OpenSSL's s_client, GnuTLS's
 * gnutls-cli) over UDP on 127.0.0.1, each told to offer only what we must
 * refuse (DTLS 1.0, RSA key exchange, CBC or NULL ciphers, no SRTP profile
 * in common, a certificate that is not the expected one); the test checks
 * from the captured ClientHello that the peer really offered that, and that
 * we refused it: FAILED with an error that says why, an alert to the peer,
 * no keys, and no handshake message past the point of refusal. In-process
 * GnuTLS peers try to renegotiate, both ways. ClientHello floods are
 * answered with HelloVerifyRequests and create no GnuTLS session. Forged
 * and replayed SRTP reaching the DTLS-SRTP bins is dropped and counted.
 *
 * Network faults: a peer that vanishes mid-handshake (we fail at the
 * timeout, and everything, GnuTLS sessions and connection objects, is freed
 * once the elements are), and one that vanishes mid-call (sending goes on,
 * without blocking). What is counted, and how, is in dtlsprobe.h.
 *
 * Already covered elsewhere: a server whose certificate does not match
 * peer-fingerprint (connection.c test_peer_fingerprint_mismatch), a peer
 * offering no use_srtp at all (connection.c
 * test_no_srtp_profile_in_common), garbage and truncated records
 * (connection.c test_garbage_records), 30% loss with reordering and
 * duplication (loss.c test_random_loss_reorder_duplicate), a peer that
 * never answers (loss.c test_total_loss_times_out, test_server_times_out),
 * SRTP replay, corruption and wrong keys with static keys
 * (elements/srtp.c test_replay_rejected, test_corrupted_rejected,
 * test_wrong_key_rejected, test_bad_input). */

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/dtls.h>
#include <gnutls/x509.h>

#include "dtlstest.h"
#include "dtlsprobe.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* Time limits are multiplied by this: under valgrind everything is slower */
static guint slow = 1;

#define STATE_CONNECTING 3

#define CT_CHANGE_CIPHER_SPEC 20
#define CT_ALERT 21
#define CT_HANDSHAKE 22
#define CT_APPLICATION_DATA 23
#define HS_CLIENT_HELLO 1
#define HS_SERVER_HELLO 2
#define HS_HELLO_VERIFY_REQUEST 3

/* ------------------------------------------------------------------------ */
/* Certificates                                                             */

typedef struct
{
  gnutls_x509_crt_t crt;
  gnutls_x509_privkey_t key;
  gchar *cert_pem, *key_pem;
  gchar *fingerprint;           /* "sha-256 AB:CD:..." */
} Creds;

static void
creds_init (Creds * c, const gchar * cn)
{
  gnutls_datum_t d;
  guint8 serial[8], digest[32];
  size_t digest_size = sizeof (digest);
  GString *fp;
  guint i;

  for (i = 0; i < sizeof (serial); i++)
    serial[i] = g_random_int ();
  serial[0] &= 0x7f;
  fail_unless (gnutls_x509_privkey_init (&c->key) == 0);
  fail_unless (gnutls_x509_privkey_generate (c->key, GNUTLS_PK_ECDSA,
          GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0) == 0);
  fail_unless (gnutls_x509_crt_init (&c->crt) == 0);
  gnutls_x509_crt_set_version (c->crt, 3);
  gnutls_x509_crt_set_serial (c->crt, serial, sizeof (serial));
  gnutls_x509_crt_set_activation_time (c->crt, time (NULL) - 60);
  gnutls_x509_crt_set_expiration_time (c->crt, time (NULL) + 3600);
  gnutls_x509_crt_set_dn_by_oid (c->crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
      strlen (cn));
  gnutls_x509_crt_set_key (c->crt, c->key);
  fail_unless (gnutls_x509_crt_sign2 (c->crt, c->crt, c->key,
          GNUTLS_DIG_SHA256, 0) == 0);

  fail_unless (gnutls_x509_crt_export2 (c->crt, GNUTLS_X509_FMT_PEM, &d) == 0);
  c->cert_pem = g_strndup ((gchar *) d.data, d.size);
  gnutls_free (d.data);
  fail_unless (gnutls_x509_privkey_export2 (c->key, GNUTLS_X509_FMT_PEM,
          &d) == 0);
  c->key_pem = g_strndup ((gchar *) d.data, d.size);
  gnutls_free (d.data);

  fail_unless (gnutls_x509_crt_get_fingerprint (c->crt, GNUTLS_DIG_SHA256,
          digest, &digest_size) == 0);
  fp = g_string_new ("sha-256 ");
  for (i = 0; i < digest_size; i++)
    g_string_append_printf (fp, i ? ":%02X" : "%02X", digest[i]);
  c->fingerprint = g_string_free (fp, FALSE);
}

static void
creds_clear (Creds * c)
{
  gnutls_x509_crt_deinit (c->crt);
  gnutls_x509_privkey_deinit (c->key);
  g_free (c->cert_pem);
  g_free (c->key_pem);
  g_free (c->fingerprint);
}

/* ------------------------------------------------------------------------ */
/* Reading DTLS datagrams                                                   */

/* Counts the records of @dgrams (GBytes) of content type @type (or any, if
 * -1), of @epoch (or any), and, for unencrypted handshake records, carrying
 * the start of a message of type @hs_type (or any). */
static guint
count_records (GPtrArray * dgrams, gint type, gint epoch, gint hs_type)
{
  guint i, n = 0;

  for (i = 0; i < dgrams->len; i++) {
    gsize size, pos = 0;
    const guint8 *d = g_bytes_get_data (dgrams->pdata[i], &size);

    while (pos + 13 <= size) {
      guint len = GST_READ_UINT16_BE (d + pos + 11);
      guint e = GST_READ_UINT16_BE (d + pos + 3);

      if (pos + 13 + len > size)
        break;
      if ((type < 0 || d[pos] == type) && (epoch < 0 || (gint) e == epoch)) {
        if (hs_type < 0)
          n++;
        else if (d[pos] == CT_HANDSHAKE && e == 0 && len >= 12 &&
            d[pos + 13] == hs_type && GST_READ_UINT24_BE (d + pos + 19) == 0)
          n++;
      }
      pos += 13 + len;
    }
  }
  return n;
}

/* What a ClientHello offers */
typedef struct
{
  guint16 version;
  GArray *suites;               /* guint16 */
  gboolean use_srtp;
  GArray *srtp_profiles;        /* guint16 */
  guint cookie_len;
} Offer;

static void
offer_clear (Offer * o)
{
  if (o->suites)
    g_array_unref (o->suites);
  if (o->srtp_profiles)
    g_array_unref (o->srtp_profiles);
  memset (o, 0, sizeof (*o));
}

/* Parses a datagram that starts with a whole, unfragmented ClientHello */
static gboolean
parse_client_hello (const guint8 * d, gsize size, Offer * o)
{
  const guint8 *b = d + 25;
  guint rec_len, msg_len, pos, n, i, ext_end;

  if (size < 25 || d[0] != CT_HANDSHAKE || d[13] != HS_CLIENT_HELLO)
    return FALSE;
  rec_len = GST_READ_UINT16_BE (d + 11);
  msg_len = GST_READ_UINT24_BE (d + 14);
  if (13 + rec_len > size || 12 + msg_len > rec_len ||
      GST_READ_UINT24_BE (d + 19) != 0 ||
      GST_READ_UINT24_BE (d + 22) != msg_len || msg_len < 38)
    return FALSE;

  memset (o, 0, sizeof (*o));
  o->suites = g_array_new (FALSE, FALSE, sizeof (guint16));
  o->srtp_profiles = g_array_new (FALSE, FALSE, sizeof (guint16));
  o->version = GST_READ_UINT16_BE (b);
  pos = 2 + 32;
  pos += 1 + b[pos];            /* session id */
  if (pos >= msg_len)
    return FALSE;
  o->cookie_len = b[pos];
  pos += 1 + b[pos];
  if (pos + 2 > msg_len)
    return FALSE;
  n = GST_READ_UINT16_BE (b + pos);
  pos += 2;
  if (pos + n > msg_len)
    return FALSE;
  for (i = 0; i + 1 < n; i += 2) {
    guint16 s = GST_READ_UINT16_BE (b + pos + i);
    g_array_append_val (o->suites, s);
  }
  pos += n;
  if (pos >= msg_len)
    return FALSE;
  pos += 1 + b[pos];            /* compression methods */
  if (pos + 2 > msg_len)
    return TRUE;                /* no extensions */
  ext_end = pos + 2 + GST_READ_UINT16_BE (b + pos);
  if (ext_end > msg_len)
    return FALSE;
  pos += 2;
  while (pos + 4 <= ext_end) {
    guint type = GST_READ_UINT16_BE (b + pos);
    guint len = GST_READ_UINT16_BE (b + pos + 2);

    if (pos + 4 + len > ext_end)
      return FALSE;
    if (type == 14 && len >= 2) {       /* use_srtp, RFC 5764 4.1.1 */
      guint plen = GST_READ_UINT16_BE (b + pos + 4);

      o->use_srtp = TRUE;
      for (i = 0; i + 1 < plen && 6 + i + 2 <= 4 + len; i += 2) {
        guint16 p = GST_READ_UINT16_BE (b + pos + 6 + i);
        g_array_append_val (o->srtp_profiles, p);
      }
    }
    pos += 4 + len;
  }
  return TRUE;
}

/* The first whole ClientHello in @dgrams */
static gboolean
find_client_hello (GPtrArray * dgrams, Offer * o)
{
  guint i;

  for (i = 0; i < dgrams->len; i++) {
    gsize size;
    const guint8 *d = g_bytes_get_data (dgrams->pdata[i], &size);

    if (parse_client_hello (d, size, o))
      return TRUE;
    offer_clear (o);
  }
  return FALSE;
}

/* Key exchange and cipher of a TLS cipher suite, as GnuTLS knows it */
static gboolean
suite_info (guint16 id, gnutls_kx_algorithm_t * kx,
    gnutls_cipher_algorithm_t * cipher)
{
  unsigned char cs[2];
  gnutls_mac_algorithm_t mac;
  gnutls_protocol_t min_version;
  size_t i;

  for (i = 0; gnutls_cipher_suite_info (i, cs, kx, cipher, &mac,
          &min_version); i++)
    if (cs[0] == (id >> 8) && cs[1] == (id & 0xff))
      return TRUE;
  return FALSE;
}

typedef enum
{
  OFFER_ANY,
  OFFER_DTLS_1_0,               /* client_version DTLS 1.0 */
  OFFER_RSA_KX,                 /* static RSA key exchange only */
  OFFER_CBC,                    /* CBC ciphers only */
  OFFER_NULL,                   /* NULL cipher only */
  OFFER_NO_COMMON_SRTP,         /* none of AES128_CM_HMAC_SHA1_80/32 */
} OfferKind;

/* NULL if @o offers only what @kind says, otherwise why not */
static gchar *
check_offer (const Offer * o, OfferKind kind)
{
  guint i;

  if (kind == OFFER_DTLS_1_0)
    return o->version == 0xfeff ? NULL : g_strdup_printf ("client_version "
        "%04x, not DTLS 1.0", o->version);
  if (o->version != 0xfefd)
    return g_strdup_printf ("client_version %04x, not DTLS 1.2", o->version);

  if (kind == OFFER_NO_COMMON_SRTP) {
    for (i = 0; i < o->srtp_profiles->len; i++) {
      guint16 p = g_array_index (o->srtp_profiles, guint16, i);
      if (p == 0x0001 || p == 0x0002)
        return g_strdup_printf ("SRTP profile %04x offered", p);
    }
    return NULL;
  }

  for (i = 0; i < o->suites->len; i++) {
    guint16 id = g_array_index (o->suites, guint16, i);
    gnutls_kx_algorithm_t kx;
    gnutls_cipher_algorithm_t cipher;
    const gchar *cname;

    if (id == 0x00ff || id == 0x5600)   /* signalling values, not suites */
      continue;
    if (!suite_info (id, &kx, &cipher))
      return g_strdup_printf ("cipher suite %04x unknown to GnuTLS", id);
    cname = gnutls_cipher_get_name (cipher);
    switch (kind) {
      case OFFER_RSA_KX:
        if (kx != GNUTLS_KX_RSA)
          return g_strdup_printf ("suite %04x has key exchange %s", id,
              gnutls_kx_get_name (kx));
        break;
      case OFFER_CBC:
        if (!cname || !strstr (cname, "-CBC"))
          return g_strdup_printf ("suite %04x has cipher %s", id, cname);
        break;
      case OFFER_NULL:
        if (cipher != GNUTLS_CIPHER_NULL)
          return g_strdup_printf ("suite %04x has cipher %s", id, cname);
        break;
      default:
        break;
    }
  }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* An independent peer program over UDP                                     */

/* Our side (encoder and decoder in harnesses) and one UDP socket on
 * 127.0.0.1; pumping moves datagrams between them and keeps a copy of each
 * for the checks. */
typedef struct
{
  DtlsSide side;
  GSocket *socket;
  guint16 port;
  GSocketAddress *peer_addr;
  gchar *dir, *cert_file, *key_file, *out_file;
  GSubprocess *proc;
  GPtrArray *from_peer, *to_peer;       /* GBytes */
  gint keys;                    /* on-key-received emissions */
} Bridge;

static void
on_key_received (GstElement * el, gint * count)
{
  g_atomic_int_inc (count);
}

/* @b->side must have been created */
static void
bridge_start (Bridge * b, const Creds * peer_creds)
{
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0);
  GSocketAddress *bound;

  b->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  fail_unless (b->socket != NULL);
  fail_unless (g_socket_bind (b->socket, addr, FALSE, NULL));
  g_socket_set_blocking (b->socket, FALSE);
  bound = g_socket_get_local_address (b->socket, NULL);
  b->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);

  b->dir = g_dir_make_tmp ("dtls-hostile-XXXXXX", NULL);
  fail_unless (b->dir != NULL);
  b->cert_file = g_build_filename (b->dir, "cert.pem", NULL);
  b->key_file = g_build_filename (b->dir, "key.pem", NULL);
  b->out_file = g_build_filename (b->dir, "peer.out", NULL);
  fail_unless (g_file_set_contents (b->cert_file, peer_creds->cert_pem, -1,
          NULL));
  fail_unless (g_file_set_contents (b->key_file, peer_creds->key_pem, -1,
          NULL));
  b->from_peer = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  b->to_peer = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);

  g_signal_connect (b->side.enc_el, "on-key-received",
      G_CALLBACK (on_key_received), &b->keys);
  g_signal_connect (b->side.dec_el, "on-key-received",
      G_CALLBACK (on_key_received), &b->keys);
  dtls_side_start (&b->side);
}

/* Starts @program with @args, in which {port}, {cert} and {key} are
 * replaced; a missing program fails the test, naming its package. */
static void
bridge_spawn (Bridge * b, const gchar * program, const gchar * package,
    const gchar * args, guint16 port)
{
  gchar *path = g_find_program_in_path (program);
  gchar *port_str = g_strdup_printf ("%u", port);
  GSubprocessLauncher *l;
  GPtrArray *argv;
  GError *err = NULL;
  gchar **words;
  guint i;

  fail_unless (path != NULL, "%s is missing: install the Debian package %s",
      program, package);
  argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, path);
  words = g_strsplit (args, " ", -1);
  for (i = 0; words[i]; i++) {
    GString *w;

    if (!*words[i])
      continue;
    w = g_string_new (words[i]);

    g_string_replace (w, "{port}", port_str, 0);
    g_string_replace (w, "{cert}", b->cert_file, 0);
    g_string_replace (w, "{key}", b->key_file, 0);
    g_ptr_array_add (argv, g_string_free (w, FALSE));
  }
  g_strfreev (words);
  g_ptr_array_add (argv, NULL);

  {
    gchar *cmd = g_strjoinv (" ", (gchar **) argv->pdata);
    GST_INFO ("peer: %s", cmd);
    g_free (cmd);
  }
  l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
      G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (l, b->out_file);
  b->proc = g_subprocess_launcher_spawnv (l,
      (const gchar * const *) argv->pdata, &err);
  fail_unless (b->proc != NULL, "could not start %s: %s", program,
      err ? err->message : "");
  g_object_unref (l);
  g_ptr_array_unref (argv);
  g_free (port_str);
}

static gchar *
bridge_peer_output (Bridge * b)
{
  gchar *out = NULL;

  g_file_get_contents (b->out_file, &out, NULL, NULL);
  return out ? out : g_strdup ("");
}

static void
bridge_pump (Bridge * b)
{
  GstBuffer *buf;

  for (;;) {
    GSocketAddress *from = NULL;
    gchar data[65536];
    gssize n;

    n = g_socket_receive_from (b->socket, &from, data, sizeof (data), NULL,
        NULL);
    if (n < 0)
      break;
    if (!b->peer_addr)
      b->peer_addr = g_object_ref (from);
    g_object_unref (from);
    g_ptr_array_add (b->from_peer, g_bytes_new (data, n));
    gst_harness_push (b->side.dec, gst_buffer_new_memdup (data, n));
  }
  while ((buf = gst_harness_try_pull (b->side.enc))) {
    GstMapInfo map;

    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    g_ptr_array_add (b->to_peer, g_bytes_new (map.data, map.size));
    if (b->peer_addr)
      g_socket_send_to (b->socket, b->peer_addr, (gchar *) map.data,
          map.size, NULL, NULL);
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
}

typedef gboolean (*BridgeDone) (Bridge * b);

/* Pumps until @done or @timeout_ms */
static gboolean
bridge_run (Bridge * b, BridgeDone done, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (g_get_monotonic_time () < end) {
    bridge_pump (b);
    if (done && done (b))
      return TRUE;
    g_usleep (1000);
  }
  return FALSE;
}

static gboolean
side_failed (Bridge * b)
{
  return dtls_side_state (&b->side) == STATE_FAILED;
}

static gboolean
side_connected (Bridge * b)
{
  return dtls_side_state (&b->side) == STATE_CONNECTED;
}

static void
bridge_clear (Bridge * b)
{
  if (b->proc) {
    g_subprocess_force_exit (b->proc);
    g_subprocess_wait (b->proc, NULL, NULL);
    g_object_unref (b->proc);
  }
  dtls_side_free (&b->side);
  g_clear_object (&b->peer_addr);
  g_clear_object (&b->socket);
  g_unlink (b->cert_file);
  g_unlink (b->key_file);
  g_unlink (b->out_file);
  g_rmdir (b->dir);
  g_free (b->cert_file);
  g_free (b->key_file);
  g_free (b->out_file);
  g_free (b->dir);
  g_ptr_array_unref (b->from_peer);
  g_ptr_array_unref (b->to_peer);
}

/* ------------------------------------------------------------------------ */
/* Hostile clients against our server                                       */

/* How far the handshake may get before we refuse */
typedef enum
{
  REFUSED_AT_HELLO,             /* we send no ServerHello */
  REFUSED_AT_CERTIFICATE,       /* we send no ChangeCipherSpec */
  REFUSED_AFTER_HANDSHAKE,      /* the handshake completes, no keys used */
} Stage;

typedef struct
{
  const gchar *name;
  const gchar *program, *package;
  const gchar *args;
  OfferKind offer;
  gboolean mitm;                /* our server expects another certificate */
  Stage stage;
  const gchar *error;           /* in our error message */
} HostileClient;

#define GNUTLS_CLI "gnutls-cli", "gnutls-bin", \
    "--udp --insecure --port {port} --x509certfile {cert} " \
    "--x509keyfile {key} "
#define OPENSSL_CLI "openssl", "openssl", \
    "s_client -connect 127.0.0.1:{port} -cert {cert} -key {key} "
#define SRTP_80_CLI "--srtp-profiles=SRTP_AES128_CM_HMAC_SHA1_80 "
#define SRTP_80_OPENSSL "-use_srtp SRTP_AES128_CM_SHA1_80 "
#define DTLS12_CLI "NORMAL:-VERS-ALL:+VERS-DTLS1.2"

static const HostileClient hostile_clients[] = {
  /* security level 0: OpenSSL 3.5 (Debian 13) refuses to start a DTLS 1.0
   * client at its default level ("no protocols available") */
  {"OpenSSL, DTLS 1.0 only", OPENSSL_CLI "-dtls1 -cipher DEFAULT:@SECLEVEL=0 "
        SRTP_80_OPENSSL, OFFER_DTLS_1_0, FALSE, REFUSED_AT_HELLO, "version"},
  {"GnuTLS, DTLS 1.0 only", GNUTLS_CLI SRTP_80_CLI
        "--priority NORMAL:-VERS-ALL:+VERS-DTLS1.0 127.0.0.1",
      OFFER_DTLS_1_0, FALSE, REFUSED_AT_HELLO, "version"},
  {"OpenSSL, RSA key exchange only", OPENSSL_CLI "-dtls1_2 " SRTP_80_OPENSSL
        "-cipher AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA",
      OFFER_RSA_KX, FALSE, REFUSED_AT_HELLO, "cipher suite"},
  {"GnuTLS, RSA key exchange only", GNUTLS_CLI SRTP_80_CLI
        "--priority " DTLS12_CLI ":-KX-ALL:+RSA 127.0.0.1",
      OFFER_RSA_KX, FALSE, REFUSED_AT_HELLO, "cipher suite"},
  {"OpenSSL, CBC only", OPENSSL_CLI "-dtls1_2 " SRTP_80_OPENSSL
        "-cipher ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:"
        "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA",
      OFFER_CBC, FALSE, REFUSED_AT_HELLO, "cipher suite"},
  {"GnuTLS, CBC only", GNUTLS_CLI SRTP_80_CLI
        "--priority " DTLS12_CLI ":-CIPHER-ALL:+AES-128-CBC:+AES-256-CBC:"
        "+CAMELLIA-128-CBC:+CAMELLIA-256-CBC:+3DES-CBC 127.0.0.1",
      OFFER_CBC, FALSE, REFUSED_AT_HELLO, "cipher suite"},
  {"OpenSSL, NULL cipher only", OPENSSL_CLI "-dtls1_2 " SRTP_80_OPENSSL
        "-cipher eNULL:@SECLEVEL=0",
      OFFER_NULL, FALSE, REFUSED_AT_HELLO, "cipher suite"},
  {"GnuTLS, NULL cipher only", GNUTLS_CLI SRTP_80_CLI
        "--priority " DTLS12_CLI ":-CIPHER-ALL:+NULL:-MAC-ALL:+SHA1:+SHA256 "
        "127.0.0.1",
      OFFER_NULL, FALSE, REFUSED_AT_HELLO, "cipher suite"},
  {"OpenSSL, no use_srtp", OPENSSL_CLI "-dtls1_2",
        OFFER_NO_COMMON_SRTP, FALSE, REFUSED_AFTER_HANDSHAKE,
      "No SRTP profile in common"},
  {"GnuTLS, only NULL SRTP profiles", GNUTLS_CLI
        "--srtp-profiles=SRTP_NULL_HMAC_SHA1_80:SRTP_NULL_SHA1_32 "
        "--priority " DTLS12_CLI " 127.0.0.1",
        OFFER_NO_COMMON_SRTP, FALSE, REFUSED_AFTER_HANDSHAKE,
      "No SRTP profile in common"},
  {"GnuTLS, not the expected certificate (MITM)", GNUTLS_CLI SRTP_80_CLI
        "127.0.0.1",
      OFFER_ANY, TRUE, REFUSED_AT_CERTIFICATE, "does not match"},
  {"OpenSSL, not the expected certificate (MITM)", OPENSSL_CLI "-dtls1_2 "
        SRTP_80_OPENSSL, OFFER_ANY, TRUE, REFUSED_AT_CERTIFICATE,
      "does not match"},
};

/* An openssl built without DTLS 1.0 cannot play the DTLS 1.0 client, even
 * at security level 0: then the test sends a DTLS 1.0 ClientHello of its
 * own, so that our refusal of DTLS 1.0 is still shown. */
static gboolean
openssl_offers_dtls1 (void)
{
  GSubprocess *p;
  gchar *out = NULL;
  gboolean can;

  /* nothing listens on port 9: the client sends its ClientHello and
   * stops; timeout(1) bounds it anyway */
  p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, NULL,
      "timeout", "5", "openssl", "s_client", "-dtls1", "-cipher",
      "DEFAULT:@SECLEVEL=0", "-connect", "127.0.0.1:9", NULL);
  if (!p)
    return TRUE;                /* bridge_spawn says what to install */
  g_subprocess_communicate_utf8 (p, "", NULL, &out, NULL, NULL);
  can = out && !strstr (out, "no protocols available") &&
      !g_strrstr (out, "nknown option");
  if (!can)
    GST_INFO ("openssl cannot offer DTLS 1.0:\n%s", out);
  g_free (out);
  g_object_unref (p);
  return can;
}

/* A DTLS 1.0 client that sends a ClientHello, answers the
 * HelloVerifyRequest with the cookie, and goes no further. */
typedef struct
{
  GSocket *socket;
  GSocketAddress *server;
  gboolean sent_cookie;
} Dtls10Peer;

static Dtls10Peer dtls10_peer;

static void
dtls10_send_hello (Dtls10Peer * p, guint16 seq, const guint8 * cookie,
    guint8 cookie_len)
{
  static const guint8 suites[] = { 0x00, 0x08, 0xc0, 0x09, 0xc0, 0x13,
    0x00, 0x2f, 0x00, 0xff
  };
  /* use_srtp AES128_CM_HMAC_SHA1_80, P-256, uncompressed points */
  static const guint8 extensions[] = { 0x00, 0x17,
    0x00, 0x0e, 0x00, 0x05, 0x00, 0x02, 0x00, 0x01, 0x00,
    0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,
    0x00, 0x0b, 0x00, 0x02, 0x01, 0x00
  };
  GByteArray *body = g_byte_array_new ();
  GByteArray *rec = g_byte_array_new ();
  guint8 random[32], b[13];
  guint len;

  g_byte_array_append (body, (const guint8 *) "\xfe\xff", 2);
  gnutls_rnd (GNUTLS_RND_NONCE, random, sizeof (random));
  g_byte_array_append (body, random, sizeof (random));
  g_byte_array_append (body, (const guint8 *) "\0", 1); /* session id */
  g_byte_array_append (body, &cookie_len, 1);
  g_byte_array_append (body, cookie, cookie_len);
  g_byte_array_append (body, suites, sizeof (suites));
  g_byte_array_append (body, (const guint8 *) "\x01\x00", 2);   /* null */
  g_byte_array_append (body, extensions, sizeof (extensions));
  len = body->len;

  /* record header: handshake, DTLS 1.0, epoch 0, sequence number = seq */
  b[0] = CT_HANDSHAKE;
  b[1] = 0xfe;
  b[2] = 0xff;
  memset (b + 3, 0, 8);
  b[9] = seq >> 8;
  b[10] = seq & 0xff;
  b[11] = (len + 12) >> 8;
  b[12] = (len + 12) & 0xff;
  g_byte_array_append (rec, b, 13);
  /* handshake header: ClientHello, length, message_seq, one fragment */
  b[0] = HS_CLIENT_HELLO;
  b[1] = len >> 16;
  b[2] = len >> 8;
  b[3] = len & 0xff;
  b[4] = seq >> 8;
  b[5] = seq & 0xff;
  memset (b + 6, 0, 3);
  memcpy (b + 9, b + 1, 3);
  g_byte_array_append (rec, b, 12);
  g_byte_array_append (rec, body->data, body->len);
  fail_unless (g_socket_send_to (p->socket, p->server, (gchar *) rec->data,
          rec->len, NULL, NULL) == (gssize) rec->len);
  g_byte_array_unref (body);
  g_byte_array_unref (rec);
}

static void
dtls10_peer_start (Dtls10Peer * p, guint16 server_port)
{
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *any = g_inet_socket_address_new (lo, 0);

  memset (p, 0, sizeof (*p));
  p->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  fail_unless (p->socket != NULL);
  fail_unless (g_socket_bind (p->socket, any, FALSE, NULL));
  g_socket_set_blocking (p->socket, FALSE);
  p->server = g_inet_socket_address_new (lo, server_port);
  g_object_unref (any);
  g_object_unref (lo);
  dtls10_send_hello (p, 0, NULL, 0);
}

/* bridge_run's check: answers a HelloVerifyRequest, then waits for our
 * side to fail */
static gboolean
dtls10_peer_step (Bridge * b)
{
  Dtls10Peer *p = &dtls10_peer;
  guint8 d[2048];
  gssize n;

  while ((n = g_socket_receive (p->socket, (gchar *) d, sizeof (d), NULL,
              NULL)) > 0) {
    /* record header (13), handshake header (12), server_version (2),
     * cookie length and cookie */
    if (!p->sent_cookie && n >= 28 && d[0] == CT_HANDSHAKE &&
        d[13] == HS_HELLO_VERIFY_REQUEST && n >= 28 + d[27]) {
      dtls10_send_hello (p, 1, d + 28, d[27]);
      p->sent_cookie = TRUE;
    }
  }
  return side_failed (b);
}

static void
dtls10_peer_clear (Dtls10Peer * p)
{
  g_clear_object (&p->socket);
  g_clear_object (&p->server);
}

GST_START_TEST (test_hostile_client)
{
  const HostileClient *hc = &hostile_clients[__i__];
  Bridge b = { 0, };
  Creds peer, expected;
  Offer offer;
  GstBuffer *key = NULL;
  gchar *msg, *why, *out;
  guint server_hellos, ccs, app_data, alerts;
  BridgeDone done = side_failed;

  GST_INFO ("%s", hc->name);
  creds_init (&peer, "hostile peer");
  creds_init (&expected, "expected peer");
  dtls_side_create (&b.side, FALSE, "retransmit-timeout", 100,
      "handshake-timeout", 5000 * slow, NULL);
  if (hc->mitm)
    g_object_set (b.side.dec_el, "peer-fingerprint", expected.fingerprint,
        NULL);
  bridge_start (&b, &peer);
  if (hc->offer == OFFER_DTLS_1_0 && g_str_equal (hc->program, "openssl")
      && !openssl_offers_dtls1 ()) {
    g_print ("%s: this openssl cannot offer DTLS 1.0: the test sends a "
        "DTLS 1.0 ClientHello of its own instead\n", hc->name);
    dtls10_peer_start (&dtls10_peer, b.port);
    done = dtls10_peer_step;
  } else {
    bridge_spawn (&b, hc->program, hc->package, hc->args, b.port);
  }

  if (!bridge_run (&b, done, 10000 * slow)) {
    out = bridge_peer_output (&b);
    fail ("%s: not refused (state %d); the peer said:\n%s", hc->name,
        dtls_side_state (&b.side), out);
    g_free (out);
  }
  /* let the alert out */
  bridge_run (&b, NULL, 200);
  out = bridge_peer_output (&b);
  GST_INFO ("the peer said:\n%s", out);

  /* the peer really offered what this case is about */
  fail_unless (find_client_hello (b.from_peer, &offer),
      "%s: no whole ClientHello from the peer", hc->name);
  why = check_offer (&offer, hc->offer);
  fail_unless (why == NULL, "%s: the peer did not offer what the test "
      "expects: %s", hc->name, why);
  offer_clear (&offer);

  /* refused, saying why */
  msg = dtls_side_pop_error (&b.side);
  fail_unless (msg != NULL, "%s: no error message", hc->name);
  GST_INFO ("our error: %s", msg);
  fail_unless (strstr (msg, hc->error) != NULL, "%s: unclear error \"%s\"",
      hc->name, msg);
  if (hc->mitm)
    fail_unless (strstr (msg, peer.fingerprint) != NULL, "%s: the error "
        "does not name the certificate presented: %s", hc->name, msg);
  g_free (msg);

  /* never keyed */
  fail_unless_equals_int (g_atomic_int_get (&b.keys), 0);
  g_object_get (b.side.enc_el, "encoder-key", &key, NULL);
  fail_unless (key == NULL, "%s: keys exported", hc->name);

  /* and told the peer, no further than the refusal */
  server_hellos = count_records (b.to_peer, CT_HANDSHAKE, 0, HS_SERVER_HELLO);
  ccs = count_records (b.to_peer, CT_CHANGE_CIPHER_SPEC, -1, -1);
  app_data = count_records (b.to_peer, CT_APPLICATION_DATA, -1, -1);
  alerts = count_records (b.to_peer, CT_ALERT, -1, -1);
  GST_INFO ("sent: %u ServerHello, %u ChangeCipherSpec, %u application "
      "data, %u alerts", server_hellos, ccs, app_data, alerts);
  fail_unless (alerts > 0, "%s: no alert sent to the peer", hc->name);
  fail_unless_equals_int (app_data, 0);
  switch (hc->stage) {
    case REFUSED_AT_HELLO:
      fail_unless_equals_int (server_hellos, 0);
      fail_unless_equals_int (ccs, 0);
      /* only HelloVerifyRequests and alerts, in clear */
      fail_unless_equals_int (count_records (b.to_peer, -1, -1, -1),
          count_records (b.to_peer, CT_HANDSHAKE, 0,
              HS_HELLO_VERIFY_REQUEST) + alerts);
      fail_unless_equals_int (count_records (b.to_peer, -1, 1, -1), 0);
      break;
    case REFUSED_AT_CERTIFICATE:
      fail_unless (server_hellos > 0);
      fail_unless_equals_int (ccs, 0);
      break;
    case REFUSED_AFTER_HANDSHAKE:
      fail_unless (ccs > 0);
      break;
  }

  g_free (out);
  bridge_clear (&b);
  dtls10_peer_clear (&dtls10_peer);
  creds_clear (&peer);
  creds_clear (&expected);
}

GST_END_TEST;

/* The other way round, what our client offers: DTLS 1.2 only, ECDHE key
 * exchange and AEAD ciphers only, and the two AES-CM SRTP profiles, so
 * that a hostile server has nothing weak to pick. */
static GBytes *capture_client_hello (void);

GST_START_TEST (test_our_client_offer)
{
  GBytes *hello = capture_client_hello ();
  Offer o;
  guint i, suites = 0;

  fail_unless (parse_client_hello (g_bytes_get_data (hello, NULL),
          g_bytes_get_size (hello), &o));
  fail_unless_equals_int (o.version, 0xfefd);
  for (i = 0; i < o.suites->len; i++) {
    guint16 id = g_array_index (o.suites, guint16, i);
    gnutls_kx_algorithm_t kx;
    gnutls_cipher_algorithm_t cipher;

    if (id == 0x00ff || id == 0x5600)
      continue;
    fail_unless (suite_info (id, &kx, &cipher), "suite %04x", id);
    GST_INFO ("offered %04x: %s %s", id, gnutls_kx_get_name (kx),
        gnutls_cipher_get_name (cipher));
    fail_unless (kx == GNUTLS_KX_ECDHE_ECDSA || kx == GNUTLS_KX_ECDHE_RSA,
        "suite %04x: key exchange %s", id, gnutls_kx_get_name (kx));
    fail_unless (gnutls_cipher_get_tag_size (cipher) > 0 &&
        !strstr (gnutls_cipher_get_name (cipher), "CBC"),
        "suite %04x: cipher %s", id, gnutls_cipher_get_name (cipher));
    suites++;
  }
  fail_unless (suites > 0);
  /* AES_128_GCM with ECDSA, what WebRTC peers expect, is on offer */
  {
    gboolean found = FALSE;
    for (i = 0; i < o.suites->len; i++)
      found |= g_array_index (o.suites, guint16, i) == 0xc02b;
    fail_unless (found, "no TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  }
  /* use_srtp: the default preference, AEAD-GCM first where this build
   * negotiates it, and nothing weaker than the AES-CM profiles */
  fail_unless (o.use_srtp);
  {
#if HAVE_SRTP_AEAD_OVER_DTLS
    const guint16 expected[] = { 0x0007, 0x0008, 0x0001, 0x0002 };
#else
    const guint16 expected[] = { 0x0001, 0x0002 };
#endif

    fail_unless_equals_int (o.srtp_profiles->len, G_N_ELEMENTS (expected));
    for (i = 0; i < o.srtp_profiles->len; i++)
      fail_unless_equals_int (g_array_index (o.srtp_profiles, guint16, i),
          expected[i]);
  }
  offer_clear (&o);
  g_bytes_unref (hello);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* An in-process GnuTLS peer                                                */

/* A GnuTLS session talking to one of our sides through its harnesses: what
 * it writes is pushed into our decoder at once; what our encoder sent is
 * read by gnutls_peer_carry(). */
typedef struct
{
  gnutls_session_t session;
  gnutls_certificate_credentials_t cred;
  GQueue in;                    /* GBytes from our encoder */
  DtlsSide *us;
} GnutlsPeer;

static ssize_t
gnutls_peer_push (gnutls_transport_ptr_t ptr, const void *data, size_t size)
{
  GnutlsPeer *p = ptr;

  gst_harness_push (p->us->dec, gst_buffer_new_memdup (data, size));
  return size;
}

static ssize_t
gnutls_peer_pull (gnutls_transport_ptr_t ptr, void *data, size_t size)
{
  GnutlsPeer *p = ptr;
  GBytes *b = g_queue_pop_head (&p->in);
  gsize n;

  if (!b) {
    gnutls_transport_set_errno (p->session, EAGAIN);
    return -1;
  }
  n = MIN (size, g_bytes_get_size (b));
  memcpy (data, g_bytes_get_data (b, NULL), n);
  g_bytes_unref (b);
  return n;
}

static int
gnutls_peer_pull_timeout (gnutls_transport_ptr_t ptr, unsigned int ms)
{
  GnutlsPeer *p = ptr;

  return p->in.length > 0 ? 1 : 0;
}

static void
gnutls_peer_init (GnutlsPeer * p, DtlsSide * us, gboolean server,
    const Creds * creds)
{
  memset (p, 0, sizeof (*p));
  g_queue_init (&p->in);
  p->us = us;
  fail_unless (gnutls_certificate_allocate_credentials (&p->cred) == 0);
  fail_unless (gnutls_certificate_set_x509_key (p->cred,
          (gnutls_x509_crt_t *) & creds->crt, 1, creds->key) == 0);
  fail_unless (gnutls_init (&p->session, (server ? GNUTLS_SERVER :
              GNUTLS_CLIENT) | GNUTLS_DATAGRAM | GNUTLS_NONBLOCK) == 0);
  fail_unless (gnutls_priority_set_direct (p->session, DTLS12_CLI, NULL) == 0);
  fail_unless (gnutls_credentials_set (p->session, GNUTLS_CRD_CERTIFICATE,
          p->cred) == 0);
  fail_unless (gnutls_srtp_set_profile_direct (p->session,
          "SRTP_AES128_CM_HMAC_SHA1_80", NULL) == 0);
  if (server)
    gnutls_certificate_server_set_request (p->session, GNUTLS_CERT_REQUIRE);
  gnutls_transport_set_ptr (p->session, p);
  gnutls_transport_set_push_function (p->session, gnutls_peer_push);
  gnutls_transport_set_pull_function (p->session, gnutls_peer_pull);
  gnutls_transport_set_pull_timeout_function (p->session,
      gnutls_peer_pull_timeout);
  gnutls_dtls_set_mtu (p->session, 1200);
  gnutls_dtls_set_timeouts (p->session, 100, 2000 * slow);
}

static void
gnutls_peer_clear (GnutlsPeer * p)
{
  gnutls_deinit (p->session);
  gnutls_certificate_free_credentials (p->cred);
  g_queue_clear_full (&p->in, (GDestroyNotify) g_bytes_unref);
}

/* What our encoder sent, to the peer */
static void
gnutls_peer_carry (GnutlsPeer * p)
{
  GstBuffer *buf;

  while ((buf = gst_harness_try_pull (p->us->enc))) {
    GstMapInfo map;

    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    g_queue_push_tail (&p->in, g_bytes_new (map.data, map.size));
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
}

/* gnutls_handshake() until it is done or fails */
static int
gnutls_peer_handshake (GnutlsPeer * p, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  int ret;

  do {
    gnutls_peer_carry (p);
    ret = gnutls_handshake (p->session);
    if (ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED)
      return ret;
    g_usleep (1000);
  } while (g_get_monotonic_time () < end);
  return ret;
}

/* Application data both ways after whatever happened */
static void
gnutls_peer_check_app_data (GnutlsPeer * p, const gchar * text)
{
  gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC * slow;
  GstBuffer *out = NULL;
  gchar buf[256];
  int ret = GNUTLS_E_AGAIN;

  /* peer -> us */
  fail_unless_equals_int (gnutls_record_send (p->session, text,
          strlen (text)), strlen (text));
  while (!out && g_get_monotonic_time () < end) {
    out = gst_harness_try_pull (p->us->dec);
    if (!out)
      g_usleep (1000);
  }
  fail_unless (out != NULL, "no application data from the peer");
  fail_unless (gst_buffer_memcmp (out, 0, text, strlen (text)) == 0);
  gst_buffer_unref (out);

  /* us -> peer */
  fail_unless_equals_int (gst_harness_push (p->us->enc,
          gst_buffer_new_memdup (text, strlen (text))), GST_FLOW_OK);
  while (g_get_monotonic_time () < end) {
    gnutls_peer_carry (p);
    ret = gnutls_record_recv (p->session, buf, sizeof (buf));
    if (ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED)
      break;
    g_usleep (1000);
  }
  fail_unless_equals_int (ret, strlen (text));
  fail_unless (memcmp (buf, text, ret) == 0);
}

static gboolean
buffers_equal (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo m;
  gboolean eq;

  gst_buffer_map (a, &m, GST_MAP_READ);
  eq = gst_buffer_get_size (b) == m.size &&
      gst_buffer_memcmp (b, 0, m.data, m.size) == 0;
  gst_buffer_unmap (a, &m);
  return eq;
}

/* After the handshake the peer (a client) calls gnutls_handshake() again:
 * a renegotiating ClientHello. We answer no_renegotiation and go on with
 * the keys we have. */
GST_START_TEST (test_client_renegotiation_refused)
{
  DtlsSide server;
  GnutlsPeer peer;
  Creds creds;
  GstBuffer *key1, *key2;
  gint state;
  int ret;

  creds_init (&creds, "renegotiating client");
  dtls_side_create (&server, FALSE, "retransmit-timeout", 100, NULL);
  dtls_side_start (&server);
  gnutls_peer_init (&peer, &server, FALSE, &creds);

  fail_unless_equals_int (gnutls_peer_handshake (&peer, 5000 * slow), 0);
  gnutls_peer_carry (&peer);
  fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTED);
  key1 = dtls_get_key (server.enc_el, "encoder-key");
  gnutls_peer_check_app_data (&peer, "before renegotiation");

  ret = gnutls_peer_handshake (&peer, 5000 * slow);
  GST_INFO ("renegotiation: %s, alert %s", gnutls_strerror (ret),
      gnutls_alert_get_name (gnutls_alert_get (peer.session)));
  fail_unless_equals_int (ret, GNUTLS_E_WARNING_ALERT_RECEIVED);
  fail_unless_equals_int (gnutls_alert_get (peer.session),
      GNUTLS_A_NO_RENEGOTIATION);

  /* still connected, same keys, data flows both ways */
  g_object_get (server.dec_el, "connection-state", &state, NULL);
  fail_unless_equals_int (state, STATE_CONNECTED);
  fail_unless (gst_bus_pop_filtered (server.bus, GST_MESSAGE_ERROR) == NULL);
  key2 = dtls_get_key (server.enc_el, "encoder-key");
  fail_unless (buffers_equal (key1, key2), "the keys changed");
  gnutls_peer_check_app_data (&peer, "after renegotiation");

  gst_buffer_unref (key1);
  gst_buffer_unref (key2);
  gnutls_peer_clear (&peer);
  dtls_side_free (&server);
  creds_clear (&creds);
}

GST_END_TEST;

static void assert_all_freed (gint connections, gint sessions,
    guint timeout_ms);

/* Renegotiation attempts cost nothing that stays: one per connection (a
 * GnuTLS client does not try twice), over many connections, each refused,
 * and the heap is back where it was once the connections are gone.
 * (GnuTLS 3.7 leaks the refused ClientHello if it is discarded through
 * gnutls_record_recv_packet(): 16 KiB each.) */
GST_START_TEST (test_renegotiation_flood_costs_nothing)
{
  const guint n = RUNNING_ON_VALGRIND ? 5 : 100;
  gint connections = g_atomic_int_get (&probe_live_connections);
  gint sessions = g_atomic_int_get (&probe_live_sessions);
  Creds creds;
  gsize heap0 = 0, heap1;
  guint i;

  creds_init (&creds, "renegotiating client");
  for (i = 0; i < n + 5; i++) {
    DtlsSide server;
    GnutlsPeer peer;
    int ret;

    if (i == 5)
      heap0 = dtls_probe_heap ();
    dtls_side_create (&server, FALSE, "retransmit-timeout", 100, NULL);
    dtls_side_start (&server);
    gnutls_peer_init (&peer, &server, FALSE, &creds);
    fail_unless_equals_int (gnutls_peer_handshake (&peer, 5000 * slow), 0);
    ret = gnutls_peer_handshake (&peer, 5000 * slow);
    fail_unless_equals_int (ret, GNUTLS_E_WARNING_ALERT_RECEIVED);
    fail_unless_equals_int (gnutls_alert_get (peer.session),
        GNUTLS_A_NO_RENEGOTIATION);
    fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTED);
    gnutls_peer_clear (&peer);
    dtls_side_free (&server);
  }
  assert_all_freed (connections, sessions, 2000 * slow);
  heap1 = dtls_probe_heap ();
  GST_INFO ("%u renegotiations refused; heap %" G_GSIZE_FORMAT " -> %"
      G_GSIZE_FORMAT, n, heap0, heap1);
  fail_unless (heap1 < heap0 + 256 * 1024, "the heap grew from %"
      G_GSIZE_FORMAT " to %" G_GSIZE_FORMAT " bytes over %u refused "
      "renegotiations", heap0, heap1, n);
  creds_clear (&creds);
}

GST_END_TEST;

/* The peer (a server) sends a HelloRequest after the handshake and waits for
 * a ClientHello: we answer no_renegotiation instead. */
GST_START_TEST (test_server_renegotiation_refused)
{
  DtlsSide client;
  GnutlsPeer peer;
  Creds creds;
  GstBuffer *key1, *key2;
  gint state;
  int ret;

  creds_init (&creds, "renegotiating server");
  dtls_side_create (&client, TRUE, "retransmit-timeout", 100, NULL);
  gnutls_peer_init (&peer, &client, TRUE, &creds);
  dtls_side_start (&client);

  fail_unless_equals_int (gnutls_peer_handshake (&peer, 5000 * slow), 0);
  /* our client connects once it has the peer's Finished */
  {
    gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC * slow;
    while (dtls_side_state (&client) != STATE_CONNECTED &&
        g_get_monotonic_time () < end)
      g_usleep (1000);
  }
  fail_unless_equals_int (dtls_side_state (&client), STATE_CONNECTED);
  key1 = dtls_get_key (client.enc_el, "encoder-key");
  gnutls_peer_check_app_data (&peer, "before renegotiation");

  /* with DTLS, gnutls_rehandshake() sends the HelloRequest and waits for
   * the answer itself */
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC * slow;

    do {
      gnutls_peer_carry (&peer);
      ret = gnutls_rehandshake (peer.session);
      if (ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED)
        break;
      g_usleep (1000);
    } while (g_get_monotonic_time () < end);
  }
  if (ret == 0)
    ret = gnutls_peer_handshake (&peer, 5000 * slow);
  GST_INFO ("renegotiation: %s, alert %s", gnutls_strerror (ret),
      gnutls_alert_get_name (gnutls_alert_get (peer.session)));
  fail_unless_equals_int (ret, GNUTLS_E_WARNING_ALERT_RECEIVED);
  fail_unless_equals_int (gnutls_alert_get (peer.session),
      GNUTLS_A_NO_RENEGOTIATION);

  g_object_get (client.dec_el, "connection-state", &state, NULL);
  fail_unless_equals_int (state, STATE_CONNECTED);
  fail_unless (gst_bus_pop_filtered (client.bus, GST_MESSAGE_ERROR) == NULL);
  key2 = dtls_get_key (client.enc_el, "encoder-key");
  fail_unless (buffers_equal (key1, key2), "the keys changed");
  gnutls_peer_check_app_data (&peer, "after renegotiation");

  gst_buffer_unref (key1);
  gst_buffer_unref (key2);
  gnutls_peer_clear (&peer);
  dtls_side_free (&client);
  creds_clear (&creds);
}

GST_END_TEST;

/* gnutls-cli --rehandshake: an independent client that renegotiates right
 * after the handshake and, refused, tries again (and again). Each attempt is
 * refused with no_renegotiation; we stay connected, with the same keys,
 * and no new session. */
GST_START_TEST (test_gnutls_cli_renegotiation_refused)
{
  Bridge b = { 0, };
  Creds peer;
  GstBuffer *key1, *key2;
  gchar *out, **lines;
  guint i, refusals = 0, attempts, alerts;
  gint sessions;

  creds_init (&peer, "gnutls-cli");
  dtls_side_create (&b.side, FALSE, "retransmit-timeout", 100, NULL);
  bridge_start (&b, &peer);
  bridge_spawn (&b, GNUTLS_CLI SRTP_80_CLI "--rehandshake 127.0.0.1", b.port);

  fail_unless (bridge_run (&b, side_connected, 10000 * slow), "no handshake");
  key1 = dtls_get_key (b.side.enc_el, "encoder-key");
  sessions = g_atomic_int_get (&probe_server_sessions);
  /* it tries again about once a second: wait for two refusals */
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC * slow;

    for (;;) {
      bridge_run (&b, NULL, 10);
      out = bridge_peer_output (&b);
      lines = g_strsplit (out, "\n", -1);
      for (i = 0, refusals = 0; lines[i]; i++)
        if (strstr (lines[i], "warning alert has been received"))
          refusals++;
      g_strfreev (lines);
      if (refusals >= 2 || g_get_monotonic_time () > end)
        break;
      g_free (out);
    }
  }
  /* the last answer on its way */
  bridge_run (&b, NULL, 100);
  /* renegotiating ClientHellos arrive encrypted, in epoch 1 */
  attempts = count_records (b.from_peer, CT_HANDSHAKE, 1, -1);
  alerts = count_records (b.to_peer, CT_ALERT, 1, -1);
  GST_INFO ("%u renegotiation records, %u alerts sent, gnutls-cli saw %u "
      "refusals", attempts, alerts, refusals);
  fail_unless (refusals >= 2, "gnutls-cli saw %u refusals:\n%s", refusals, out);
  fail_if (strstr (out, "ReHandshake was completed") ||
      strstr (out, "Rehandshake was completed"), "renegotiated:\n%s", out);
  fail_unless (alerts >= refusals);
  g_free (out);

  fail_unless_equals_int (dtls_side_state (&b.side), STATE_CONNECTED);
  fail_unless (gst_bus_pop_filtered (b.side.bus, GST_MESSAGE_ERROR) == NULL);
  fail_unless_equals_int (g_atomic_int_get (&probe_server_sessions), sessions);
  key2 = dtls_get_key (b.side.enc_el, "encoder-key");
  fail_unless (buffers_equal (key1, key2), "the keys changed");

  gst_buffer_unref (key1);
  gst_buffer_unref (key2);
  bridge_clear (&b);
  creds_clear (&peer);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* ClientHello floods                                                       */

/* A ClientHello our client elements send, whole in one record */
static GBytes *
capture_client_hello (void)
{
  DtlsSide client;
  GstBuffer *buf;
  GstMapInfo map;
  GBytes *hello;
  Offer o;

  dtls_side_create (&client, TRUE, NULL);
  dtls_side_start (&client);
  buf = gst_harness_pull (client.enc);
  fail_unless (buf != NULL);
  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  hello = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  dtls_side_free (&client);

  fail_unless (parse_client_hello (g_bytes_get_data (hello, NULL),
          g_bytes_get_size (hello), &o), "not a whole ClientHello");
  fail_unless_equals_int (o.cookie_len, 0);
  offer_clear (&o);
  return hello;
}

/* @hello with a fresh random, record sequence number and session id, and
 * with @cookie (of @cookie_len bytes) */
static GstBuffer *
forge_client_hello (GBytes * hello, GRand * rand, const guint8 * cookie,
    guint cookie_len)
{
  gsize size;
  const guint8 *h = g_bytes_get_data (hello, &size);
  guint sid_pos = 25 + 34;
  guint cookie_pos = sid_pos + 1 + h[sid_pos];
  guint old_cookie = h[cookie_pos];
  gsize tail = size - (cookie_pos + 1 + old_cookie);
  gsize out_size = cookie_pos + 1 + cookie_len + tail;
  guint8 *o = g_malloc (out_size);
  guint i;

  memcpy (o, h, cookie_pos);
  o[cookie_pos] = cookie_len;
  if (cookie_len)
    memcpy (o + cookie_pos + 1, cookie, cookie_len);
  memcpy (o + cookie_pos + 1 + cookie_len, h + cookie_pos + 1 + old_cookie,
      tail);
  GST_WRITE_UINT16_BE (o + 11, out_size - 13);
  GST_WRITE_UINT24_BE (o + 14, out_size - 25);
  GST_WRITE_UINT24_BE (o + 22, out_size - 25);
  for (i = 5; i < 11; i++)      /* record sequence number */
    o[i] = g_rand_int (rand);
  for (i = 0; i < 32; i++)      /* client random */
    o[25 + 2 + i] = g_rand_int (rand);
  for (i = 0; i < h[sid_pos]; i++)      /* session id, if any */
    o[sid_pos + 1 + i] = g_rand_int (rand);
  return gst_buffer_new_wrapped (o, out_size);
}

/* Takes what the server sent: every record must be a HelloVerifyRequest,
 * no larger than @max_size (several may share a datagram, when they were
 * queued together). Returns how many; the last one in @last. */
static guint
collect_hello_verify_requests (DtlsSide * server, gsize max_size,
    GBytes ** last)
{
  GstBuffer *buf;
  guint n = 0;

  while ((buf = gst_harness_try_pull (server->enc))) {
    GstMapInfo map;
    gsize pos = 0;

    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    while (pos < map.size) {
      gsize len;

      fail_unless (pos + 13 + 12 <= map.size, "truncated record");
      len = 13 + GST_READ_UINT16_BE (map.data + pos + 11);
      fail_unless (pos + len <= map.size, "truncated record");
      fail_unless_equals_int (map.data[pos], CT_HANDSHAKE);
      fail_unless_equals_int (map.data[pos + 13], HS_HELLO_VERIFY_REQUEST);
      fail_unless (len <= max_size, "a %" G_GSIZE_FORMAT "-byte answer to "
          "a %" G_GSIZE_FORMAT "-byte ClientHello", len, max_size);
      if (last) {
        if (*last)
          g_bytes_unref (*last);
        *last = g_bytes_new (map.data + pos, len);
      }
      pos += len;
      n++;
    }
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
  return n;
}

/* Pushes @n ClientHellos from @make, and checks each one is answered with a
 * HelloVerifyRequest (if @answered) or not at all */
typedef GstBuffer *(*MakeHello) (GBytes * hello, GRand * rand);

static void
flood (DtlsSide * server, GBytes * hello, GRand * rand, MakeHello make,
    guint n, gboolean answered)
{
  guint i, answers = 0;
  gint64 end;

  for (i = 0; i < n; i++) {
    gst_harness_push (server->dec, make (hello, rand));
    /* collected as we go: the outbox of a connection is bounded */
    if (i % 64 == 63)
      answers += collect_hello_verify_requests (server,
          g_bytes_get_size (hello), NULL);
  }
  end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC * slow;
  do {
    answers += collect_hello_verify_requests (server,
        g_bytes_get_size (hello), NULL);
  } while (answered && answers < n && g_get_monotonic_time () < end &&
      (g_usleep (1000), TRUE));
  fail_unless_equals_int (answers, answered ? n : 0);
}

static GstBuffer *
make_cookieless_hello (GBytes * hello, GRand * rand)
{
  return forge_client_hello (hello, rand, NULL, 0);
}

static GstBuffer *
make_forged_cookie_hello (GBytes * hello, GRand * rand)
{
  guint8 cookie[32];
  guint i;

  for (i = 0; i < sizeof (cookie); i++)
    cookie[i] = g_rand_int (rand);
  return forge_client_hello (hello, rand, cookie, g_rand_int_range (rand, 1,
          33));
}

/* Random fragments of ClientHellos of random lengths (up to 16 KiB),
 * never completing one. */
static GstBuffer *
make_hello_fragment (GBytes * hello, GRand * rand)
{
  guint msg_len = g_rand_int_range (rand, 100, 16384);
  guint frag_len = g_rand_int_range (rand, 1, 200);
  guint frag_off = g_rand_int_range (rand, 1, msg_len);
  GstBuffer *buf;
  GstMapInfo map;
  guint i;

  if (frag_off + frag_len > msg_len)
    frag_len = msg_len - frag_off;
  buf = gst_buffer_new_allocate (NULL, 25 + frag_len, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < map.size; i++)
    map.data[i] = g_rand_int (rand);
  map.data[0] = CT_HANDSHAKE;
  map.data[1] = 0xfe;
  map.data[2] = 0xfd;
  map.data[3] = map.data[4] = 0;        /* epoch 0 */
  GST_WRITE_UINT16_BE (map.data + 11, 12 + frag_len);
  map.data[13] = HS_CLIENT_HELLO;
  GST_WRITE_UINT24_BE (map.data + 14, msg_len);
  GST_WRITE_UINT16_BE (map.data + 17, g_rand_int_range (rand, 0, 4));
  GST_WRITE_UINT24_BE (map.data + 19, frag_off);
  GST_WRITE_UINT24_BE (map.data + 22, frag_len);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* 10000 ClientHellos (fresh randoms, no cookie), then as many with forged
 * cookies, then fragments that never complete: answered with
 * HelloVerifyRequests no larger than the request (or not at all), no GnuTLS
 * session is created, the heap does not grow with them, and a genuine
 * client still connects afterwards. */
GST_START_TEST (test_client_hello_flood)
{
  const guint n = RUNNING_ON_VALGRIND ? 1000 : 10000;
  DtlsSide server, client;
  GRand *rand = g_rand_new_with_seed (5);
  GBytes *hello = capture_client_hello ();
  gint server_sessions, live_sessions;
  gsize heap0, heap1, heap2, heap3;
  gint64 t0, t1;

  server_sessions = g_atomic_int_get (&probe_server_sessions);
  live_sessions = g_atomic_int_get (&probe_live_sessions);
  dtls_side_create (&server, FALSE, NULL);
  dtls_side_start (&server);

  /* warm-up, so that one-time allocations are not counted */
  flood (&server, hello, rand, make_cookieless_hello, 200, TRUE);
  flood (&server, hello, rand, make_forged_cookie_hello, 200, TRUE);
  flood (&server, hello, rand, make_hello_fragment, 200, FALSE);
  heap0 = dtls_probe_heap ();

  t0 = g_get_monotonic_time ();
  flood (&server, hello, rand, make_cookieless_hello, n, TRUE);
  t1 = g_get_monotonic_time ();
  heap1 = dtls_probe_heap ();
  flood (&server, hello, rand, make_forged_cookie_hello, n, TRUE);
  heap2 = dtls_probe_heap ();
  flood (&server, hello, rand, make_hello_fragment, n, FALSE);
  heap3 = dtls_probe_heap ();
  GST_INFO ("%u ClientHellos in %" G_GINT64_FORMAT " ms; heap %"
      G_GSIZE_FORMAT " -> %" G_GSIZE_FORMAT " -> %" G_GSIZE_FORMAT " -> %"
      G_GSIZE_FORMAT " bytes", n, (t1 - t0) / 1000, heap0, heap1, heap2, heap3);

  /* no session, no state */
  fail_unless_equals_int (g_atomic_int_get (&probe_server_sessions),
      server_sessions);
  fail_unless_equals_int (g_atomic_int_get (&probe_live_sessions),
      live_sessions);
  fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTING);
  /* 512 KiB for 30000 ClientHellos: under 18 bytes each, where a GnuTLS
   * session alone takes several KiB (mallinfo2 reads 0 under valgrind,
   * whose leak check is the safety net there) */
  fail_unless (heap3 < heap0 + 512 * 1024, "the heap grew from %"
      G_GSIZE_FORMAT " to %" G_GSIZE_FORMAT " bytes", heap0, heap3);

  /* a genuine client still gets through */
  dtls_side_create (&client, TRUE, NULL);
  dtls_side_start (&client);
  dtls_run (&client, &server, NULL, NULL, 5000 * slow);
  fail_unless_equals_int (dtls_side_state (&client), STATE_CONNECTED);
  fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTED);
  fail_unless_equals_int (g_atomic_int_get (&probe_server_sessions),
      server_sessions + 1);
  dtls_check_app_data (&client, &server, TRUE, "after the flood");

  dtls_side_free (&client);
  dtls_side_free (&server);
  g_bytes_unref (hello);
  g_rand_free (rand);
}

GST_END_TEST;

/* The cookie a server hands out is good for it only: the same ClientHello
 * with that cookie opens a session on it, and none on another server. */
GST_START_TEST (test_cookie_bound_to_connection)
{
  DtlsSide a, b;
  GRand *rand = g_rand_new_with_seed (6);
  GBytes *hello = capture_client_hello ();
  GBytes *hvr = NULL;
  GstBuffer *with_cookie, *reply;
  const guint8 *h;
  gsize hvr_size;
  gint sessions;
  guint cookie_len;

  dtls_side_create (&a, FALSE, NULL);
  dtls_side_create (&b, FALSE, NULL);
  dtls_side_start (&a);
  dtls_side_start (&b);

  /* A answers a ClientHello with a HelloVerifyRequest: take its cookie */
  gst_harness_push (a.dec, forge_client_hello (hello, rand, NULL, 0));
  {
    gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC * slow;

    while (!hvr && g_get_monotonic_time () < end) {
      collect_hello_verify_requests (&a, g_bytes_get_size (hello), &hvr);
      g_usleep (1000);
    }
  }
  fail_unless (hvr != NULL, "no HelloVerifyRequest");
  h = g_bytes_get_data (hvr, &hvr_size);
  cookie_len = h[25 + 2];
  fail_unless (cookie_len > 0 && 25 + 3 + cookie_len <= hvr_size);

  sessions = g_atomic_int_get (&probe_server_sessions);
  with_cookie = forge_client_hello (hello, rand, h + 25 + 3, cookie_len);

  /* B: another connection-id, the cookie is not its own */
  gst_harness_push (b.dec, gst_buffer_copy_deep (with_cookie));
  {
    gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC * slow;
    guint n = 0;
    while (n == 0 && g_get_monotonic_time () < end) {
      n = collect_hello_verify_requests (&b, 1500, NULL);
      g_usleep (1000);
    }
    fail_unless_equals_int (n, 1);
  }
  fail_unless_equals_int (g_atomic_int_get (&probe_server_sessions), sessions);

  /* A: its own cookie, a session and a ServerHello flight */
  gst_harness_push (a.dec, with_cookie);
  fail_unless_equals_int (g_atomic_int_get (&probe_server_sessions),
      sessions + 1);
  reply = gst_harness_pull (a.enc);
  {
    guint8 hdr[14];
    fail_unless_equals_int (gst_buffer_extract (reply, 0, hdr, 14), 14);
    fail_unless_equals_int (hdr[0], CT_HANDSHAKE);
    fail_unless_equals_int (hdr[13], HS_SERVER_HELLO);
  }
  gst_buffer_unref (reply);

  g_bytes_unref (hvr);
  g_bytes_unref (hello);
  g_rand_free (rand);
  dtls_side_free (&a);
  dtls_side_free (&b);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* SRTP through the DTLS-SRTP bins                                          */

#define SRTP_ENC GST_GNUTLS_NAME_PREFIX "dtlssrtpenc"
#define SRTP_DEC GST_GNUTLS_NAME_PREFIX "dtlssrtpdec"
#define MEDIA_CAPS "media=audio,clock-rate=8000,encoding-name=PCMA,payload=8"
#define CALL_SSRC 0x5eed0001

/* One side of a call: the encoder bin with RTP in and datagrams out, the
 * decoder bin with datagrams in and RTP out, each in a harness */
typedef struct
{
  GstElement *enc, *dec;
  GstHarness *out;              /* rtp_sink_0 -> src */
  GstHarness *in;               /* sink -> rtp_src */
  GstHarness *data;             /* -> data_sink, when asked for */
  GstBus *bus;
} Call;

static void
call_init (Call * c, const gchar * id, gboolean is_client, gboolean data)
{
  memset (c, 0, sizeof (*c));
  c->bus = gst_bus_new ();
  c->dec = gst_element_factory_make (SRTP_DEC, NULL);
  fail_unless (c->dec != NULL);
  gst_object_ref_sink (c->dec);
  g_object_set (c->dec, "connection-id", id, NULL);
  c->enc = gst_element_factory_make (SRTP_ENC, NULL);
  fail_unless (c->enc != NULL);
  gst_object_ref_sink (c->enc);
  g_object_set (c->enc, "connection-id", id, "is-client", is_client, NULL);
  gst_element_set_bus (c->enc, c->bus);
  gst_element_set_bus (c->dec, c->bus);
  c->in = gst_harness_new_with_element (c->dec, "sink", "rtp_src");
  gst_harness_set_src_caps_str (c->in, "application/x-srtp," MEDIA_CAPS);
  c->out = gst_harness_new_with_element (c->enc, "rtp_sink_0", "src");
  gst_harness_set_src_caps_str (c->out, "application/x-rtp," MEDIA_CAPS);
  if (data) {
    c->data = gst_harness_new_with_element (c->enc, "data_sink", NULL);
    gst_harness_set_src_caps_str (c->data, "application/x-data");
  }
}

static void
call_clear (Call * c)
{
  if (c->data)
    gst_harness_teardown (c->data);
  if (c->out)
    gst_harness_teardown (c->out);
  if (c->in)
    gst_harness_teardown (c->in);
  gst_object_unref (c->enc);
  gst_object_unref (c->dec);
  gst_bus_set_flushing (c->bus, TRUE);
  gst_object_unref (c->bus);
}

static gint
call_state (Call * c)
{
  gint state;

  g_object_get (c->enc, "connection-state", &state, NULL);
  return state;
}

/* Datagrams from @from to @to */
static void
call_carry (Call * from, Call * to)
{
  GstBuffer *buf;

  while ((buf = gst_harness_try_pull (from->out)))
    gst_harness_push (to->in, buf);
}

static void
call_connect (Call * a, Call * b)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC * slow;

  while (g_get_monotonic_time () < end && (call_state (a) != STATE_CONNECTED
          || call_state (b) != STATE_CONNECTED)) {
    call_carry (a, b);
    call_carry (b, a);
    g_usleep (1000);
  }
  fail_unless_equals_int (call_state (a), STATE_CONNECTED);
  fail_unless_equals_int (call_state (b), STATE_CONNECTED);
}

static GstBuffer *
make_rtp (guint32 ssrc, guint16 seq, GRand * rand)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, 12 + 160, NULL);
  GstMapInfo map;
  guint i;

  gst_buffer_map (b, &map, GST_MAP_WRITE);
  for (i = 12; i < map.size; i++)
    map.data[i] = rand ? g_rand_int (rand) : 0xd5;
  map.data[0] = 0x80;
  map.data[1] = 8;
  GST_WRITE_UINT16_BE (map.data + 2, seq);
  GST_WRITE_UINT32_BE (map.data + 4, seq * 160);
  GST_WRITE_UINT32_BE (map.data + 8, ssrc);
  gst_buffer_unmap (b, &map);
  return b;
}

/* Protects RTP @seq on @c and returns the SRTP packet */
static GstBuffer *
call_protect (Call * c, guint16 seq)
{
  GstBuffer *out;
  guint8 byte0;

  fail_unless_equals_int (gst_harness_push (c->out, make_rtp (CALL_SSRC, seq,
              NULL)), GST_FLOW_OK);
  out = gst_harness_pull (c->out);
  fail_unless (out != NULL);
  gst_buffer_extract (out, 0, &byte0, 1);
  fail_unless (byte0 >= 128 && byte0 <= 191, "not SRTP");
  return out;
}

static GstElement *
find_in_bin (GstElement * bin, const gchar * factory)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (bin));
  GValue v = G_VALUE_INIT;
  GstElement *found = NULL;

  while (!found && gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&v);
    GstElementFactory *f = gst_element_get_factory (e);

    if (f && g_str_equal (GST_OBJECT_NAME (f), factory))
      found = gst_object_ref (e);
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  fail_unless (found != NULL, "no %s in %s", factory, GST_OBJECT_NAME (bin));
  return found;
}

static guint64
stat_u64 (GstElement * el, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = G_MAXUINT64;

  g_object_get (el, "stats", &s, NULL);
  fail_unless (s != NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s in %"
      GST_PTR_FORMAT, field, s);
  gst_structure_free (s);
  return v;
}

static guint
pull_all (GstHarness * h)
{
  GstBuffer *buf;
  guint n = 0;

  while ((buf = gst_harness_try_pull (h))) {
    gst_buffer_unref (buf);
    n++;
  }
  return n;
}

/* A call keyed by DTLS; into B's decoder bin go genuine SRTP packets from
 * A, replays of them, forgeries (a genuine header, random payload and tag)
 * and tampered copies (one bit flipped). Only the genuine ones come out,
 * each attack is counted under its reason, and a tampered copy arriving
 * first does not keep the genuine packet out. */
GST_START_TEST (test_srtp_attacks_through_bins)
{
  Call a, b;
  GRand *rand = g_rand_new_with_seed (7);
  GstElement *srtpdec;
  GstBuffer *genuine[30];
  guint i, out = 0;

  call_init (&a, "srtp-attack-a", TRUE, FALSE);
  call_init (&b, "srtp-attack-b", FALSE, FALSE);
  call_connect (&a, &b);
  srtpdec = find_in_bin (b.dec, GST_GNUTLS_NAME_PREFIX "srtpdec");

  /* 20 genuine packets */
  for (i = 0; i < 20; i++) {
    genuine[i] = call_protect (&a, 1000 + i);
    gst_harness_push (b.in, gst_buffer_copy_deep (genuine[i]));
  }
  out += pull_all (b.in);
  fail_unless_equals_int (out, 20);

  /* 5 replays */
  for (i = 0; i < 5; i++)
    gst_harness_push (b.in, gst_buffer_copy_deep (genuine[i * 3]));
  out += pull_all (b.in);
  fail_unless_equals_int (out, 20);
  fail_unless_equals_int (stat_u64 (srtpdec, "drop-replay"), 5);

  /* 5 forgeries: a plausible header, the rest random */
  for (i = 0; i < 5; i++) {
    GstBuffer *f = make_rtp (CALL_SSRC, 2000 + i, rand);
    GstMapInfo map;
    guint j;

    f = gst_buffer_append (f, gst_buffer_new_allocate (NULL, 10, NULL));
    gst_buffer_map (f, &map, GST_MAP_WRITE);
    for (j = map.size - 10; j < map.size; j++)
      map.data[j] = g_rand_int (rand);
    gst_buffer_unmap (f, &map);
    gst_harness_push (b.in, f);
  }
  out += pull_all (b.in);
  fail_unless_equals_int (out, 20);
  fail_unless_equals_int (stat_u64 (srtpdec, "drop-auth"), 5);

  /* 5 new packets, each first tampered with (one bit of payload, header or
   * tag), then genuine */
  for (i = 20; i < 25; i++) {
    GstBuffer *t;
    GstMapInfo map;
    guint pos;

    genuine[i] = call_protect (&a, 1000 + i);
    t = gst_buffer_copy_deep (genuine[i]);
    gst_buffer_map (t, &map, GST_MAP_WRITE);
    if (i == 20)
      pos = 2;                  /* sequence number */
    else if (i == 21)
      pos = map.size - 1;       /* tag */
    else
      pos = g_rand_int_range (rand, 12, map.size);      /* payload */
    map.data[pos] ^= 1 << g_rand_int_range (rand, 0, 8);
    gst_buffer_unmap (t, &map);
    gst_harness_push (b.in, t);
    gst_harness_push (b.in, gst_buffer_copy_deep (genuine[i]));
  }
  out += pull_all (b.in);
  fail_unless_equals_int (out, 25);

  fail_unless_equals_int (stat_u64 (srtpdec, "drop-auth"), 10);
  fail_unless_equals_int (stat_u64 (srtpdec, "drop-replay"), 5);
  fail_unless_equals_int (stat_u64 (srtpdec, "drops"), 15);
  fail_unless_equals_int (stat_u64 (srtpdec, "rtp-packets"), 25);
  /* the bin's input let all of them through to the SRTP decoder */
  fail_unless_equals_int (stat_u64 (b.dec, "not-dtls-or-srtp-dropped"), 0);
  fail_unless_equals_int (call_state (&b), STATE_CONNECTED);
  fail_unless (gst_bus_pop_filtered (b.bus, GST_MESSAGE_ERROR) == NULL);

  for (i = 0; i < 25; i++)
    gst_buffer_unref (genuine[i]);
  gst_object_unref (srtpdec);
  g_rand_free (rand);
  call_clear (&a);
  call_clear (&b);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Network faults                                                           */

static void
assert_all_freed (gint connections, gint sessions, guint timeout_ms)
{
  fail_unless (dtls_probe_wait_live (connections, sessions, timeout_ms),
      "after %u ms, %d connection objects and %d GnuTLS sessions alive, "
      "expected %d and %d", timeout_ms,
      g_atomic_int_get (&probe_live_connections),
      g_atomic_int_get (&probe_live_sessions), connections, sessions);
}

/* Until the server has sent its ServerHello flight, then nothing: the client
 * vanished. */
static gboolean
until_server_hello (gboolean from_client, GstBuffer * buf, gpointer user_data)
{
  gboolean *seen = user_data;
  guint8 hdr[14];

  if (*seen)
    return FALSE;
  if (!from_client && gst_buffer_extract (buf, 0, hdr, 14) == 14 &&
      hdr[0] == CT_HANDSHAKE && hdr[13] == HS_SERVER_HELLO)
    *seen = TRUE;
  return TRUE;
}

static void
wait_failed (DtlsSide * s, DtlsSide * other, DtlsFilter filter,
    gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (dtls_side_state (s) != STATE_FAILED && g_get_monotonic_time () < end) {
    if (other) {
      dtls_carry (s, other, FALSE, filter, data);
      dtls_carry (other, s, TRUE, filter, data);
    } else {
      GstBuffer *buf;
      while ((buf = gst_harness_try_pull (s->enc)))
        gst_buffer_unref (buf);
    }
    g_usleep (1000);
  }
}

/* The peer vanishes mid-handshake: we fail at handshake-timeout, with an
 * error saying so; once the elements are gone, so are their connection and
 * its GnuTLS session (and with them any timer). As the client (the server
 * never answers) and as the server (the client goes after our ServerHello
 * flight). */
GST_START_TEST (test_vanish_mid_handshake_frees_everything)
{
  const guint timeout = 500 * slow;
  gint connections = g_atomic_int_get (&probe_live_connections);
  gint sessions = g_atomic_int_get (&probe_live_sessions);
  DtlsSide client, server;
  gboolean seen = FALSE;
  gint64 start, elapsed;
  gchar *msg;

  /* our client; no server */
  dtls_side_create (&client, TRUE, "retransmit-timeout", 50,
      "handshake-timeout", timeout, NULL);
  start = g_get_monotonic_time ();
  dtls_side_start (&client);
  wait_failed (&client, NULL, NULL, NULL, timeout * 4);
  elapsed = (g_get_monotonic_time () - start) / 1000;
  fail_unless_equals_int (dtls_side_state (&client), STATE_FAILED);
  fail_unless (elapsed >= timeout && elapsed < timeout * 3, "failed after %"
      G_GINT64_FORMAT " ms", elapsed);
  msg = dtls_side_pop_error (&client);
  fail_unless (msg && strstr (msg, "timed out"), "error: %s", msg);
  g_free (msg);
  fail_unless_equals_int (g_atomic_int_get (&probe_live_connections),
      connections + 1);
  dtls_side_free (&client);
  assert_all_freed (connections, sessions, 2000 * slow);

  /* our server; the client goes after the ServerHello flight */
  dtls_side_create (&server, FALSE, "retransmit-timeout", 50,
      "handshake-timeout", timeout, NULL);
  dtls_side_create (&client, TRUE, "retransmit-timeout", 50,
      "handshake-timeout", 30000, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  start = g_get_monotonic_time ();
  while (!seen && g_get_monotonic_time () - start < G_USEC_PER_SEC * slow) {
    dtls_carry (&client, &server, TRUE, until_server_hello, &seen);
    dtls_carry (&server, &client, FALSE, until_server_hello, &seen);
    g_usleep (1000);
  }
  fail_unless (seen, "no ServerHello");
  fail_unless_equals_int (g_atomic_int_get (&probe_live_sessions),
      sessions + 2);
  dtls_side_free (&client);
  wait_failed (&server, NULL, NULL, NULL, timeout * 4);
  fail_unless_equals_int (dtls_side_state (&server), STATE_FAILED);
  msg = dtls_side_pop_error (&server);
  fail_unless (msg && strstr (msg, "timed out"), "error: %s", msg);
  g_free (msg);
  dtls_side_free (&server);
  assert_all_freed (connections, sessions, 2000 * slow);
}

GST_END_TEST;

/* Elements torn down mid-handshake, long before the timeout, with a
 * retransmission pending: everything is freed at once, no timer keeps the
 * connection alive until it fires. */
GST_START_TEST (test_teardown_mid_handshake_frees_everything)
{
  gint connections = g_atomic_int_get (&probe_live_connections);
  gint sessions = g_atomic_int_get (&probe_live_sessions);
  DtlsSide client, server;
  gint64 start;

  dtls_side_create (&server, FALSE, "retransmit-timeout", 5000, NULL);
  dtls_side_create (&client, TRUE, "retransmit-timeout", 5000, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  /* ClientHello, HelloVerifyRequest, ClientHello, ServerHello flight; the
   * client's next flight is lost */
  {
    gboolean seen = FALSE;
    gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC * slow;

    while (!seen && g_get_monotonic_time () < end) {
      dtls_carry (&client, &server, TRUE, until_server_hello, &seen);
      dtls_carry (&server, &client, FALSE, until_server_hello, &seen);
      g_usleep (1000);
    }
    fail_unless (seen);
  }
  fail_unless_equals_int (dtls_side_state (&client), STATE_CONNECTING);
  fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTING);
  fail_unless_equals_int (g_atomic_int_get (&probe_live_sessions),
      sessions + 2);

  start = g_get_monotonic_time ();
  dtls_side_free (&client);
  dtls_side_free (&server);
  /* well before the pending retransmission (5 s) */
  assert_all_freed (connections, sessions, 1000 * slow);
  GST_INFO ("freed in %" G_GINT64_FORMAT " us",
      g_get_monotonic_time () - start);
}

GST_END_TEST;

/* The peer vanishes mid-call: our side, still connected (nothing in DTLS
 * notices a silent peer; ICE consent does), keeps sending RTP and
 * application data into a network that drops everything. Each push returns
 * promptly, everything reaches the network, and the elements shut down
 * promptly afterwards. */
GST_START_TEST (test_vanish_mid_call)
{
  const guint n = RUNNING_ON_VALGRIND ? 200 : 2000;
  Call a, b;
  guint i;
  guint64 before, sent;
  gint64 max_push = 0, start, total, teardown;
  gint connections;

  connections = g_atomic_int_get (&probe_live_connections);
  call_init (&a, "vanish-a", TRUE, TRUE);
  call_init (&b, "vanish-b", FALSE, FALSE);
  call_connect (&a, &b);
  for (i = 0; i < 10; i++)
    gst_buffer_unref (call_protect (&a, i));

  /* B is gone; A's network drops everything */
  call_clear (&b);
  gst_harness_set_drop_buffers (a.out, TRUE);
  before = gst_harness_buffers_received (a.out);

  start = g_get_monotonic_time ();
  for (i = 0; i < n; i++) {
    gint64 t = g_get_monotonic_time ();

    fail_unless_equals_int (gst_harness_push (a.out, make_rtp (CALL_SSRC,
                100 + i, NULL)), GST_FLOW_OK);
    if (i % 10 == 0) {
      gchar *text = g_strdup_printf ("message %u", i);

      fail_unless_equals_int (gst_harness_push (a.data,
              gst_buffer_new_wrapped (text, strlen (text))), GST_FLOW_OK);
    }
    max_push = MAX (max_push, g_get_monotonic_time () - t);
  }
  total = g_get_monotonic_time () - start;
  sent = gst_harness_buffers_received (a.out) - before;
  GST_INFO ("%u RTP and %u data pushes in %" G_GINT64_FORMAT " ms, the "
      "slowest %" G_GINT64_FORMAT " us", n, n / 10, total / 1000, max_push);

  fail_unless_equals_int (sent, n + n / 10);
  fail_unless (max_push < 500 * 1000 * slow, "a push took %" G_GINT64_FORMAT
      " us", max_push);
  fail_unless_equals_int (call_state (&a), STATE_CONNECTED);
  fail_unless (gst_bus_pop_filtered (a.bus, GST_MESSAGE_ERROR) == NULL);

  start = g_get_monotonic_time ();
  call_clear (&a);
  teardown = g_get_monotonic_time () - start;
  GST_INFO ("teardown in %" G_GINT64_FORMAT " us", teardown);
  fail_unless (teardown < G_USEC_PER_SEC * slow);
  assert_all_freed (connections, g_atomic_int_get (&probe_live_sessions),
      2000 * slow);
}

GST_END_TEST;

static Suite *
dtls_hostile_suite (void)
{
  Suite *s = suite_create ("dtls_hostile");
  TCase *peers = tcase_create ("hostile-peers");
  TCase *faults = tcase_create ("network-faults");

  dtls_test_use_our_names ();
  dtls_probe_init ();
  if (RUNNING_ON_VALGRIND)
    slow = 20;

  suite_add_tcase (s, peers);
  tcase_add_loop_test (peers, test_hostile_client, 0,
      G_N_ELEMENTS (hostile_clients));
  tcase_add_test (peers, test_our_client_offer);
  tcase_add_test (peers, test_client_renegotiation_refused);
  tcase_add_test (peers, test_renegotiation_flood_costs_nothing);
  tcase_add_test (peers, test_server_renegotiation_refused);
  tcase_add_test (peers, test_gnutls_cli_renegotiation_refused);
  tcase_add_test (peers, test_client_hello_flood);
  tcase_add_test (peers, test_cookie_bound_to_connection);
  tcase_add_test (peers, test_srtp_attacks_through_bins);

  suite_add_tcase (s, faults);
  tcase_add_test (faults, test_vanish_mid_handshake_frees_everything);
  tcase_add_test (faults, test_teardown_mid_handshake_frees_everything);
  tcase_add_test (faults, test_vanish_mid_call);
  return s;
}

GST_CHECK_MAIN (dtls_hostile);
