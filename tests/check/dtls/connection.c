/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* gnutlsdtlsenc / gnutlsdtlsdec against each other, in process */

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "dtlstest.h"
#include "dtlscert.h"

/* ---- handshake messages on the wire ---- */

typedef struct
{
  GString *seen;                /* "C:ClientHello S:HelloVerifyRequest ..." */
  guint next_seq[2];            /* next handshake message_seq per direction */
} Trace;

static const gchar *
handshake_name (guint8 type)
{
  switch (type) {
    case 1:
      return "ClientHello";
    case 2:
      return "ServerHello";
    case 3:
      return "HelloVerifyRequest";
    case 11:
      return "Certificate";
    case 12:
      return "ServerKeyExchange";
    case 13:
      return "CertificateRequest";
    case 14:
      return "ServerHelloDone";
    case 15:
      return "CertificateVerify";
    case 16:
      return "ClientKeyExchange";
    default:
      return "Unknown";
  }
}

/* Parses the DTLS records of one datagram; logs each handshake message the
 * first time it is seen (retransmissions repeat message_seq). */
static gboolean
trace_filter (gboolean from_client, GstBuffer * buf, gpointer user_data)
{
  Trace *t = user_data;
  const gchar *dir = from_client ? "C:" : "S:";
  GstMapInfo map;
  gsize pos = 0;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  while (pos + 13 <= map.size) {
    guint8 type = map.data[pos];
    guint epoch = GST_READ_UINT16_BE (map.data + pos + 3);
    guint len = GST_READ_UINT16_BE (map.data + pos + 11);
    const guint8 *body = map.data + pos + 13;

    fail_unless (pos + 13 + len <= map.size, "truncated record");
    fail_unless_equals_int (map.data[pos + 1], 0xfe);   /* DTLS */
    /* 1.2, or 1.0 in the ClientHello record as RFC 6347 4.1 allows */
    fail_unless (map.data[pos + 2] == 0xfd || map.data[pos + 2] == 0xff);
    if (type == 22 && epoch == 0) {
      guint seq;
      guint frag_off;

      fail_unless (len >= 12);
      seq = GST_READ_UINT16_BE (body + 4);
      frag_off = GST_READ_UINT24_BE (body + 6);
      if (seq == t->next_seq[from_client] && frag_off == 0) {
        g_string_append_printf (t->seen, "%s%s ", dir,
            handshake_name (body[0]));
        t->next_seq[from_client]++;
      }
    } else if (type == 20) {
      g_string_append_printf (t->seen, "%sChangeCipherSpec ", dir);
    } else if (type == 22 && epoch == 1) {
      /* the only encrypted handshake message is Finished; count each once */
      gchar *f = g_strdup_printf ("%sFinished ", dir);
      if (!strstr (t->seen->str, f))
        g_string_append (t->seen, f);
      g_free (f);
    }
    pos += 13 + len;
  }
  gst_buffer_unmap (buf, &map);
  return TRUE;
}

static void
handshake_pair (DtlsSide * client, DtlsSide * server)
{
  dtls_run (client, server, NULL, NULL, 5000);
  fail_unless_equals_int (dtls_side_state (client), STATE_CONNECTED);
  fail_unless_equals_int (dtls_side_state (server), STATE_CONNECTED);
}

/* A client and a server with the default settings, connected */
static void
connected_pair (DtlsSide * client, DtlsSide * server)
{
  dtls_side_create (server, FALSE, NULL);
  dtls_side_create (client, TRUE, NULL);
  dtls_side_start (server);
  dtls_side_start (client);
  handshake_pair (client, server);
}

GST_START_TEST (test_handshake_and_data)
{
  DtlsSide client, server;
  gchar *client_pem, *peer_pem;
  guint cipher, auth;

  connected_pair (&client, &server);

  dtls_assert_keys_match (&client, &server);
  /* the default profile, in srtpenc's rtp-cipher / rtp-auth values */
  g_object_get (client.enc_el, "srtp-cipher", &cipher, "srtp-auth", &auth,
      NULL);
#if HAVE_SRTP_AEAD_OVER_DTLS
  fail_unless_equals_int (cipher, 3);   /* aes-128-gcm */
  fail_unless_equals_int (auth, 0);     /* null: GCM authenticates */
#else
  fail_unless_equals_int (cipher, 1);   /* aes-128-icm */
  fail_unless_equals_int (auth, 2);     /* hmac-sha1-80 */
#endif
  g_object_get (server.dec_el, "srtp-cipher", &cipher, "srtp-auth", &auth,
      NULL);
#if HAVE_SRTP_AEAD_OVER_DTLS
  fail_unless_equals_int (cipher, 3);
  fail_unless_equals_int (auth, 0);
#else
  fail_unless_equals_int (cipher, 1);
  fail_unless_equals_int (auth, 2);
#endif

  /* each side saw the other's certificate */
  g_object_get (client.dec_el, "pem", &client_pem, NULL);
  g_object_get (server.dec_el, "peer-pem", &peer_pem, NULL);
  fail_unless (g_str_has_prefix (client_pem, "-----BEGIN CERTIFICATE-----"));
  fail_if (strstr (client_pem, "PRIVATE KEY"));
  fail_unless_equals_string (client_pem, peer_pem);
  g_free (client_pem);
  g_free (peer_pem);

  dtls_check_app_data (&client, &server, TRUE, "hello from the client");
  dtls_check_app_data (&server, &client, FALSE, "hello from the server");
  dtls_check_app_data (&client, &server, TRUE, "and again");

  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

static void
check_sequence (gboolean cookie_exchange)
{
  DtlsSide client, server;
  Trace trace = { g_string_new (NULL), {0, 0} };
  const gchar *expected =
      "C:ClientHello "
      "S:HelloVerifyRequest "
      "C:ClientHello "
      "S:ServerHello S:Certificate S:ServerKeyExchange S:CertificateRequest "
      "S:ServerHelloDone "
      "C:Certificate C:ClientKeyExchange C:CertificateVerify "
      "C:ChangeCipherSpec C:Finished " "S:ChangeCipherSpec S:Finished ";

  dtls_side_create (&server, FALSE, "cookie-exchange", cookie_exchange, NULL);
  dtls_side_create (&client, TRUE, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  dtls_run (&client, &server, trace_filter, &trace, 5000);
  fail_unless_equals_int (dtls_side_state (&client), STATE_CONNECTED);

  if (!cookie_exchange) {
    /* no HelloVerifyRequest, one ClientHello; message_seq still counts */
    expected = "C:ClientHello "
        "S:ServerHello S:Certificate S:ServerKeyExchange "
        "S:CertificateRequest S:ServerHelloDone "
        "C:Certificate C:ClientKeyExchange C:CertificateVerify "
        "C:ChangeCipherSpec C:Finished " "S:ChangeCipherSpec S:Finished ";
  }
  GST_INFO ("handshake: %s", trace.seen->str);
  fail_unless_equals_string (trace.seen->str, expected);

  g_string_free (trace.seen, TRUE);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_START_TEST (test_handshake_sequence)
{
  check_sequence (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_handshake_sequence_no_cookie)
{
  check_sequence (FALSE);
}

GST_END_TEST;

/* The elements of a side may be created and started in any order, and a
 * decoder may receive records before its encoder is started. */
GST_START_TEST (test_order_independence)
{
  guint order;

  for (order = 0; order < 4; order++) {
    DtlsSide client, server;

    dtls_side_create (&server, FALSE, NULL);
    dtls_side_create (&client, TRUE, NULL);
    switch (order) {
      case 0:
        /* client first, encoders before decoders */
        dtls_side_start_enc (&client);
        dtls_side_start_enc (&server);
        dtls_side_start_dec (&client);
        dtls_side_start_dec (&server);
        break;
      case 1:
        /* the server decoder gets the ClientHello before its encoder runs */
        dtls_side_start_dec (&server);
        dtls_side_start (&client);
        dtls_carry (&client, &server, TRUE, NULL, NULL);
        g_usleep (10000);
        dtls_side_start_enc (&server);
        break;
      case 2:
        /* the client decoder starts last */
        dtls_side_start (&server);
        dtls_side_start_enc (&client);
        dtls_carry (&client, &server, TRUE, NULL, NULL);
        dtls_side_start_dec (&client);
        break;
      default:
        dtls_side_start (&client);
        dtls_side_start (&server);
        break;
    }
    handshake_pair (&client, &server);
    dtls_assert_keys_match (&client, &server);
    dtls_check_app_data (&client, &server, TRUE, "ordered");
    dtls_side_free (&client);
    dtls_side_free (&server);
  }
}

GST_END_TEST;

/* Elements created encoder first, with the connection-id set last */
GST_START_TEST (test_properties_before_connection_id)
{
  GstElement *enc, *dec;
  gchar *fp1, *fp2;
  guint mtu;

  enc = gst_element_factory_make (ENC_NAME, NULL);
  g_object_set (enc, "mtu", 1000, "is-client", TRUE, NULL);
  dec = gst_element_factory_make (DEC_NAME, NULL);
  g_object_set (enc, "connection-id", "late-id", NULL);
  g_object_set (dec, "connection-id", "late-id", NULL);
  g_object_get (dec, "mtu", &mtu, "fingerprint", &fp1, NULL);
  fail_unless_equals_int (mtu, 1000);
  g_object_get (enc, "fingerprint", &fp2, NULL);
  fail_unless (g_str_has_prefix (fp1, "sha-256 "));
  fail_unless_equals_int (strlen (fp1), 8 + 32 * 3 - 1);
  fail_unless_equals_string (fp1, fp2);
  g_free (fp1);
  g_free (fp2);
  gst_object_unref (enc);
  gst_object_unref (dec);
}

GST_END_TEST;

static void
on_state (GObject * el, GParamSpec * pspec, GString * log)
{
  gint state;

  g_object_get (el, "connection-state", &state, NULL);
  g_string_append_printf (log, "%d ", state);
}

GST_START_TEST (test_state_notifications)
{
  DtlsSide client, server;
  GString *client_log = g_string_new (NULL);
  GString *server_log = g_string_new (NULL);
  gint state;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, NULL);
  g_object_get (client.enc_el, "connection-state", &state, NULL);
  fail_unless_equals_int (state, 0);    /* NEW */
  g_signal_connect (client.dec_el, "notify::connection-state",
      G_CALLBACK (on_state), client_log);
  g_signal_connect (server.enc_el, "notify::connection-state",
      G_CALLBACK (on_state), server_log);
  dtls_side_start (&server);
  dtls_side_start (&client);
  handshake_pair (&client, &server);
  /* CONNECTING then CONNECTED */
  fail_unless_equals_string (client_log->str, "3 4 ");
  fail_unless_equals_string (server_log->str, "3 4 ");

  /* EOS on the client encoder sends close_notify: the server decoder outputs
   * EOS and both sides end CLOSED */
  fail_unless (gst_harness_push_event (client.enc, gst_event_new_eos ()));
  dtls_carry (&client, &server, TRUE, NULL, NULL);
  {
    GstEvent *ev;
    gboolean got_eos = FALSE;

    while ((ev = gst_harness_try_pull_event (server.dec))) {
      if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS)
        got_eos = TRUE;
      gst_event_unref (ev);
    }
    fail_unless (got_eos, "no EOS after close_notify");
  }
  fail_unless_equals_int (dtls_side_state (&client), STATE_CLOSED);
  fail_unless_equals_int (dtls_side_state (&server), STATE_CLOSED);
  fail_unless_equals_string (client_log->str, "3 4 1 ");
  fail_unless_equals_string (server_log->str, "3 4 1 ");

  /* the server answers with its own close_notify: EOS on the client */
  fail_unless (gst_harness_push_event (server.enc, gst_event_new_eos ()));
  dtls_carry (&server, &client, FALSE, NULL, NULL);
  {
    GstEvent *ev;
    gboolean got_eos = FALSE;

    while ((ev = gst_harness_try_pull_event (client.dec))) {
      if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS)
        got_eos = TRUE;
      gst_event_unref (ev);
    }
    fail_unless (got_eos, "no EOS after the answering close_notify");
  }
  fail_unless_equals_string (client_log->str, "3 4 1 ");

  dtls_side_free (&client);
  dtls_side_free (&server);
  g_string_free (client_log, TRUE);
  g_string_free (server_log, TRUE);
}

GST_END_TEST;

static void
on_key_state (GObject * el, GParamSpec * pspec, gpointer user_data)
{
  gint state;

  g_object_get (el, "connection-state", &state, NULL);
  if (state == STATE_CONNECTED)
    g_object_set_data (el, "saw-connected", GINT_TO_POINTER (1));
}

static void
on_key (GstElement * el, gint * count)
{
  GstBuffer *key = NULL;
  const gchar *prop = g_object_class_find_property (G_OBJECT_GET_CLASS (el),
      "encoder-key") ? "encoder-key" : "decoder-key";
  gchar *profile = dtls_get_profile (el);

  g_object_get (el, prop, &key, NULL);
  fail_unless (key != NULL);
  fail_unless_equals_string (profile, DTLS_DEFAULT_PROFILE);
  fail_unless_equals_int (gst_buffer_get_size (key),
      dtls_profile_key_len (profile));
  g_free (profile);
  /* keys come before the state turns connected */
  fail_if (g_object_get_data (G_OBJECT (el), "saw-connected"));
  gst_buffer_unref (key);
  g_atomic_int_inc (count);
}

static void
watch_keys (GstElement * el, gint * count)
{
  g_signal_connect (el, "on-key-received", G_CALLBACK (on_key), count);
  g_signal_connect (el, "notify::connection-state",
      G_CALLBACK (on_key_state), NULL);
}

GST_START_TEST (test_on_key_received)
{
  DtlsSide client, server;
  gint count = 0;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, NULL);
  watch_keys (client.enc_el, &count);
  watch_keys (client.dec_el, &count);
  watch_keys (server.enc_el, &count);
  watch_keys (server.dec_el, &count);
  dtls_side_start (&server);
  dtls_side_start (&client);
  handshake_pair (&client, &server);
  fail_unless_equals_int (g_atomic_int_get (&count), 4);
  fail_unless (g_object_get_data (G_OBJECT (client.enc_el), "saw-connected"));
  fail_unless (g_object_get_data (G_OBJECT (server.dec_el), "saw-connected"));
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

/* The server's encoder, its src pad held by a test while another thread
 * pushes there (a retransmission from the pool, say) */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean hold;                /* the next push waits until cleared */
  gboolean held;                /* a push is waiting in the probe */
  gint finished_out;            /* datagrams with an epoch-1 record out */
  gint keys;                    /* the encoder's on-key-received */
  gint finished_at_keys;        /* finished_out when the keys came */
} FlightOrder;

/* Whether a datagram carries a record of epoch 1 (Finished, here) */
static gboolean
has_epoch1 (GstBuffer * buf)
{
  GstMapInfo map;
  gsize pos = 0;
  gboolean found = FALSE;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  while (!found && pos + 13 <= map.size) {
    found = GST_READ_UINT16_BE (map.data + pos + 3) == 1;
    pos += 13 + GST_READ_UINT16_BE (map.data + pos + 11);
  }
  gst_buffer_unmap (buf, &map);
  return found;
}

static gboolean
list_has_epoch1 (GstBuffer ** buf, guint idx, gpointer found)
{
  if (has_epoch1 (*buf))
    *(gboolean *) found = TRUE;
  return TRUE;
}

static GstPadProbeReturn
hold_flight (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  FlightOrder *fo = user_data;
  gboolean finished = FALSE;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        list_has_epoch1, &finished);
  else
    finished = has_epoch1 (GST_PAD_PROBE_INFO_BUFFER (info));
  g_mutex_lock (&fo->lock);
  if (fo->hold) {
    fo->held = TRUE;
    g_cond_broadcast (&fo->cond);
    while (fo->hold)
      g_cond_wait (&fo->cond, &fo->lock);
    fo->held = FALSE;
  }
  if (finished)
    fo->finished_out++;
  g_mutex_unlock (&fo->lock);
  return GST_PAD_PROBE_OK;
}

static void
on_flight_keys (GstElement * el, FlightOrder * fo)
{
  g_mutex_lock (&fo->lock);
  if (fo->keys++ == 0)
    fo->finished_at_keys = fo->finished_out;
  g_cond_broadcast (&fo->cond);
  g_mutex_unlock (&fo->lock);
}

/* Waits, with the lock, until *@value is @want or 10 s passed */
static gboolean
flight_wait (FlightOrder * fo, gint * value, gint want)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (*value != want)
    if (!g_cond_wait_until (&fo->cond, &fo->lock, end))
      break;
  return *value == want;
}

/* The encoder is keyed only once the flight that completes the handshake
 * has left it, even when another thread holds its src pad at that moment.
 * Keyed before, an SRTP encoder sends media ahead of the server's Finished
 * and the client, without its keys yet, drops it (seen under valgrind as a
 * few packets dropped at the start of a call). */
GST_START_TEST (test_keys_after_final_flight)
{
  FlightOrder fo = { 0 };
  DtlsSide client, server;
  GstBufferList *final = gst_buffer_list_new ();
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GstBuffer *buf;
  GstPad *src;
  guint i;

  g_mutex_init (&fo.lock);
  g_cond_init (&fo.cond);
  dtls_side_create (&server, FALSE, "retransmit-timeout", 50, NULL);
  dtls_side_create (&client, TRUE, NULL);
  g_signal_connect (server.enc_el, "on-key-received",
      G_CALLBACK (on_flight_keys), &fo);
  src = gst_element_get_static_pad (server.enc_el, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, hold_flight, &fo, NULL);
  gst_object_unref (src);
  dtls_side_start (&server);
  dtls_side_start (&client);

  /* up to the client's last flight (with its Finished), kept back */
  while (gst_buffer_list_length (final) == 0 && g_get_monotonic_time () < end) {
    while ((buf = gst_harness_try_pull (client.enc))) {
      /* (gst_buffer_list_add() is a macro with its own semicolon) */
      if (gst_buffer_list_length (final) > 0 || has_epoch1 (buf)) {
        gst_buffer_list_add (final, buf);
      } else {
        gst_harness_push (server.dec, buf);
      }
    }
    dtls_carry (&server, &client, FALSE, NULL, NULL);
    g_usleep (1000);
  }
  fail_unless (gst_buffer_list_length (final) > 0, "no Finished from the "
      "client");
  while ((buf = gst_harness_try_pull (client.enc)))
    gst_buffer_list_add (final, buf);

  /* the server's next retransmission (a pool thread) holds its src pad */
  g_mutex_lock (&fo.lock);
  fo.hold = TRUE;
  fail_unless (flight_wait (&fo, &fo.held, TRUE), "no retransmission");
  g_mutex_unlock (&fo.lock);

  /* the handshake completes on this thread, its last flight waiting */
  for (i = 0; i < gst_buffer_list_length (final); i++)
    gst_harness_push (server.dec, gst_buffer_ref (gst_buffer_list_get (final,
                i)));
  gst_buffer_list_unref (final);
  g_usleep (100 * 1000);
  g_mutex_lock (&fo.lock);
  fail_unless_equals_int (fo.keys, 0);
  fo.hold = FALSE;
  g_cond_broadcast (&fo.cond);
  fail_unless (flight_wait (&fo, &fo.keys, 1), "no keys after the flight");
  fail_unless (fo.finished_at_keys > 0, "keyed before the Finished left");
  g_mutex_unlock (&fo.lock);

  handshake_pair (&client, &server);
  dtls_assert_keys_match (&client, &server);
  dtls_side_free (&client);
  dtls_side_free (&server);
  g_mutex_clear (&fo.lock);
  g_cond_clear (&fo.cond);
}

GST_END_TEST;

GST_START_TEST (test_peer_fingerprint_match)
{
  DtlsSide client, server;
  gchar *cfp, *sfp;

  dtls_side_create (&server, FALSE, "certificate-type", 0, NULL);
  dtls_side_create (&client, TRUE, NULL);
  g_object_get (client.dec_el, "fingerprint", &cfp, NULL);
  g_object_get (server.dec_el, "fingerprint", &sfp, NULL);
  /* as an application copies them from the SDPs, case and all */
  {
    gchar *lower = g_ascii_strdown (cfp, -1);
    g_object_set (server.dec_el, "peer-fingerprint", lower, NULL);
    g_free (lower);
  }
  g_object_set (client.enc_el, "peer-fingerprint", sfp, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  handshake_pair (&client, &server);
  g_free (cfp);
  g_free (sfp);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

GST_START_TEST (test_peer_fingerprint_mismatch)
{
  DtlsSide client, server;
  gchar *msg;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, NULL);
  g_object_set (client.dec_el, "peer-fingerprint", "sha-256 "
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  dtls_run (&client, &server, NULL, NULL, 5000);
  fail_unless_equals_int (dtls_side_state (&client), STATE_FAILED);
  msg = dtls_side_pop_error (&client);
  fail_unless (msg != NULL, "no error message");
  fail_unless (strstr (msg, "fingerprint") != NULL, "unclear error: %s", msg);
  fail_unless (strstr (msg, "does not match") != NULL, "unclear error: %s",
      msg);
  g_free (msg);

  /* the server is told with an alert and fails too */
  dtls_carry (&client, &server, TRUE, NULL, NULL);
  fail_unless_equals_int (dtls_side_state (&server), STATE_FAILED);
  msg = dtls_side_pop_error (&server);
  fail_unless (msg != NULL && strstr (msg, "alert") != NULL, "error: %s", msg);
  g_free (msg);
  fail_if (gst_harness_try_pull (client.dec) != NULL);

  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

GST_START_TEST (test_queued_app_data)
{
  DtlsSide client, server;
  GstBuffer *out;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  /* sent before the handshake: must arrive after it, in order */
  gst_harness_push (client.enc, gst_buffer_new_memdup ("early1", 6));
  gst_harness_push (client.enc, gst_buffer_new_memdup ("early2", 6));
  handshake_pair (&client, &server);
  dtls_carry (&client, &server, TRUE, NULL, NULL);
  out = gst_harness_pull (server.dec);
  fail_unless (gst_buffer_memcmp (out, 0, "early1", 6) == 0);
  gst_buffer_unref (out);
  out = gst_harness_pull (server.dec);
  fail_unless (gst_buffer_memcmp (out, 0, "early2", 6) == 0);
  gst_buffer_unref (out);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

/* EOS before the handshake ends: the queued data, close_notify and EOS all
 * wait for it, and the handshake still completes */
GST_START_TEST (test_eos_during_handshake)
{
  DtlsSide client, server;
  GstBuffer *out;
  GstEvent *ev;
  gboolean got_eos = FALSE;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  gst_harness_push (client.enc, gst_buffer_new_memdup ("last words", 10));
  fail_unless (gst_harness_push_event (client.enc, gst_event_new_eos ()));
  dtls_run (&client, &server, NULL, NULL, 5000);
  dtls_carry (&client, &server, TRUE, NULL, NULL);
  /* the client closed right after connecting */
  fail_unless_equals_int (dtls_side_state (&client), STATE_CLOSED);
  fail_unless_equals_int (dtls_side_state (&server), STATE_CLOSED);
  out = gst_harness_pull (server.dec);
  fail_unless (gst_buffer_memcmp (out, 0, "last words", 10) == 0);
  gst_buffer_unref (out);
  while ((ev = gst_harness_try_pull_event (server.dec))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS)
      got_eos = TRUE;
    gst_event_unref (ev);
  }
  fail_unless (got_eos);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

static GstBuffer *
random_buffer (GRand * rand, gsize size, gboolean dtls_header)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < size; i++)
    map.data[i] = g_rand_int (rand);
  if (dtls_header && size >= 13) {
    map.data[0] = g_rand_int_range (rand, 20, 24);
    map.data[1] = 0xfe;
    map.data[2] = 0xfd;
  } else if (size > 0) {
    /* not a DTLS content type */
    map.data[0] = g_rand_int_range (rand, 30, 256);
  }
  gst_buffer_unmap (buf, &map);
  return buf;
}

typedef struct
{
  GRand *rand;
  DtlsSide *client, *server;
} Garbage;

/* Before every real datagram, garbage and a truncated copy of it. Garbage
 * that looks like DTLS is only sent after the handshake: unauthenticated
 * epoch-0 records are taken at face value by any DTLS stack (their sequence
 * numbers move the replay window), so they can stall a handshake. */
static gboolean
garbage_filter (gboolean from_client, GstBuffer * buf, gpointer user_data)
{
  Garbage *g = user_data;
  DtlsSide *to = from_client ? g->server : g->client;
  gsize size = gst_buffer_get_size (buf);

  gst_harness_push (to->dec, random_buffer (g->rand,
          g_rand_int_range (g->rand, 0, 200), FALSE));
  if (size > 20)
    gst_harness_push (to->dec, gst_buffer_copy_region (buf,
            GST_BUFFER_COPY_ALL, 0, g_rand_int_range (g->rand, 1, size)));
  return TRUE;
}

GST_START_TEST (test_garbage_records)
{
  DtlsSide client, server;
  Garbage g;
  guint i;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, NULL);
  g.rand = g_rand_new_with_seed (1234);
  g.client = &client;
  g.server = &server;
  dtls_side_start (&server);
  dtls_side_start (&client);
  dtls_run (&client, &server, garbage_filter, &g, 5000);
  fail_unless_equals_int (dtls_side_state (&client), STATE_CONNECTED);
  fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTED);

  /* after the handshake garbage is dropped too, data still flows */
  for (i = 0; i < 50; i++)
    gst_harness_push (server.dec, random_buffer (g.rand,
            g_rand_int_range (g.rand, 0, 1500), i % 2));
  fail_if (gst_harness_try_pull (server.dec) != NULL);
  fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTED);
  dtls_check_app_data (&client, &server, TRUE, "still works");

  g_rand_free (g.rand);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

/* A certificate and key made by the test, given as pem */
static gchar *
make_pem (void)
{
  gchar *cert, *key, *pem;

  dtls_test_make_certificate ("test", 7, &cert, &key);
  pem = g_strconcat (cert, key, NULL);
  g_free (cert);
  g_free (key);
  return pem;
}

GST_START_TEST (test_user_pem_and_rsa)
{
  DtlsSide client, server;
  gchar *pem, *readback, *peer_pem;

  pem = make_pem ();
  dtls_side_create (&server, FALSE, "pem", pem, NULL);
  dtls_side_create (&client, TRUE, "certificate-type", 1, NULL);
  g_object_get (server.dec_el, "pem", &readback, NULL);
  /* certificate only */
  fail_unless (g_str_has_prefix (pem, readback));
  fail_if (strstr (readback, "PRIVATE KEY"));
  dtls_side_start (&server);
  dtls_side_start (&client);
  handshake_pair (&client, &server);
  g_object_get (client.dec_el, "peer-pem", &peer_pem, NULL);
  fail_unless_equals_string (peer_pem, readback);
  dtls_assert_keys_match (&client, &server);
  g_free (peer_pem);
  g_free (readback);
  g_free (pem);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

/* Small MTU: the flights (an RSA certificate among them) are fragmented
 * into many records and datagrams, none larger than the MTU */
static gboolean
check_mtu (gboolean from_client, GstBuffer * buf, gpointer user_data)
{
  fail_unless (gst_buffer_get_size (buf) <= 256, "datagram of %"
      G_GSIZE_FORMAT " bytes", gst_buffer_get_size (buf));
  (*(guint *) user_data)++;
  return TRUE;
}

GST_START_TEST (test_small_mtu)
{
  DtlsSide client, server;
  guint datagrams = 0;

  dtls_side_create (&server, FALSE, "mtu", 256, "certificate-type", 1, NULL);
  dtls_side_create (&client, TRUE, "mtu", 256, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  dtls_run (&client, &server, check_mtu, &datagrams, 5000);
  fail_unless_equals_int (dtls_side_state (&client), STATE_CONNECTED);
  fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTED);
  fail_unless (datagrams > 8, "only %u datagrams", datagrams);
  dtls_assert_keys_match (&client, &server);
  dtls_check_app_data (&client, &server, TRUE, "small");
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

GST_START_TEST (test_srtp_profile_32)
{
  DtlsSide client, server;
  guint auth;

  dtls_side_create (&server, FALSE, "srtp-profiles",
      "SRTP_AES128_CM_HMAC_SHA1_32", NULL);
  dtls_side_create (&client, TRUE, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  handshake_pair (&client, &server);
  g_object_get (client.enc_el, "srtp-auth", &auth, NULL);
  fail_unless_equals_int (auth, 1);
  dtls_assert_keys_match (&client, &server);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

GST_START_TEST (test_no_srtp_profile_in_common)
{
  DtlsSide client, server;
  gchar *msg;

  /* the client offers no use_srtp at all, the server requires it */
  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, "srtp-profiles", "", NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  dtls_run (&client, &server, NULL, NULL, 5000);
  fail_unless_equals_int (dtls_side_state (&server), STATE_FAILED);
  msg = dtls_side_pop_error (&server);
  fail_unless (msg && strstr (msg, "No SRTP profile in common"), "error: %s",
      msg);
  g_free (msg);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

/* Every use_srtp profile, ours against ours, in both roles: one side lists
 * only that profile (the client for odd __i__, the server for even), the
 * other lists it after another one. Both sides end up with it, equal keys
 * of its length, and srtp-cipher / srtp-auth as srtpenc numbers them. The
 * AEAD profiles need GnuTLS 3.8.0: built against an older one, asking for
 * them is refused with an error that says so. */
typedef struct
{
  const gchar *name;
  guint cipher, auth;           /* srtpenc's rtp-cipher, rtp-auth values */
  gboolean aead;
} ProfileCase;

static const ProfileCase profile_cases[] = {
  {"SRTP_AES128_CM_HMAC_SHA1_80", 1, 2, FALSE},
  {"SRTP_AES128_CM_HMAC_SHA1_32", 1, 1, FALSE},
  {"SRTP_NULL_HMAC_SHA1_80", 0, 2, FALSE},
  {"SRTP_NULL_HMAC_SHA1_32", 0, 1, FALSE},
  {"SRTP_AEAD_AES_128_GCM", 3, 0, TRUE},
  {"SRTP_AEAD_AES_256_GCM", 4, 0, TRUE},
};

static void
assert_profile (DtlsSide * s, const gchar * expected)
{
  GstElement *els[2] = { s->enc_el, s->dec_el };
  guint i;

  for (i = 0; i < 2; i++) {
    gchar *profile = dtls_get_profile (els[i]);

    fail_unless_equals_string (profile, expected);
    g_free (profile);
  }
}

/* The side that asked for a profile this build cannot negotiate fails,
 * before sending anything, with an error naming what it needs */
static void
check_refused (DtlsSide * s, const gchar * profile)
{
  gchar *msg = dtls_side_pop_error (s);

  fail_unless_equals_int (dtls_side_state (s), STATE_FAILED);
  fail_unless (msg && strstr (msg, profile) && strstr (msg, "GnuTLS 3.8.0"),
      "error: %s", msg);
  g_free (msg);
}

GST_START_TEST (test_each_srtp_profile)
{
  const ProfileCase *pc = &profile_cases[__i__ / 2];
  gboolean client_restricts = __i__ % 2;
  DtlsSide client, server;
  gchar *other;
  guint cipher, auth;

  if (pc->aead && !HAVE_SRTP_AEAD_OVER_DTLS) {
    GstBuffer *hello;

    g_print ("%s over DTLS needs GnuTLS >= 3.8.0, built against %s: "
        "checking that asking for it is refused instead\n", pc->name,
        GNUTLS_VERSION);
    dtls_side_create (&server, FALSE, "srtp-profiles",
        client_restricts ? NULL : pc->name, NULL);
    dtls_side_create (&client, TRUE, "srtp-profiles",
        client_restricts ? pc->name : NULL, NULL);
    dtls_side_start (&server);
    dtls_side_start (&client);
    if (client_restricts) {
      /* no ClientHello went out */
      hello = gst_harness_try_pull (client.enc);
      fail_unless (hello == NULL);
      check_refused (&client, pc->name);
    } else {
      /* refused at start, before any ClientHello came */
      check_refused (&server, pc->name);
    }
    dtls_side_free (&client);
    dtls_side_free (&server);
    return;
  }

  other = g_str_equal (pc->name, "SRTP_AES128_CM_HMAC_SHA1_80") ?
      g_strdup ("SRTP_AES128_CM_HMAC_SHA1_32:SRTP_AES128_CM_HMAC_SHA1_80") :
      g_strdup_printf ("SRTP_AES128_CM_HMAC_SHA1_80:%s", pc->name);
  dtls_side_create (&server, FALSE, "srtp-profiles",
      client_restricts ? other : pc->name, NULL);
  dtls_side_create (&client, TRUE, "srtp-profiles",
      client_restricts ? pc->name : other, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  handshake_pair (&client, &server);

  assert_profile (&client, pc->name);
  assert_profile (&server, pc->name);
  dtls_assert_keys_match (&client, &server);
  g_object_get (client.enc_el, "srtp-cipher", &cipher, "srtp-auth", &auth,
      NULL);
  fail_unless_equals_int (cipher, pc->cipher);
  fail_unless_equals_int (auth, pc->auth);
  dtls_check_app_data (&client, &server, TRUE, pc->name);
  g_free (other);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

/* A GnuTLS server alone takes the first profile of the client's list that
 * it knows; ours takes the first of its own that the client offers. */
static void
check_server_choice (const gchar * client_offer, const gchar * expected)
{
  DtlsSide client, server;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, "srtp-profiles", client_offer, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  handshake_pair (&client, &server);
  assert_profile (&server, expected);
  assert_profile (&client, expected);
  dtls_assert_keys_match (&client, &server);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_START_TEST (test_server_prefers_its_order)
{
  /* the default prefers _80 to _32, whatever the client lists first */
  check_server_choice ("SRTP_AES128_CM_HMAC_SHA1_32:"
      "SRTP_AES128_CM_HMAC_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_80");
  /* only what the client offers, though */
  check_server_choice ("SRTP_NULL_HMAC_SHA1_80:SRTP_AES128_CM_HMAC_SHA1_32",
      "SRTP_AES128_CM_HMAC_SHA1_32");
#if HAVE_SRTP_AEAD_OVER_DTLS
  /* Chromium's order: GCM chosen over the CM_80 it lists first */
  check_server_choice ("SRTP_AES128_CM_HMAC_SHA1_80:SRTP_AEAD_AES_256_GCM:"
      "SRTP_AEAD_AES_128_GCM", "SRTP_AEAD_AES_128_GCM");
  check_server_choice ("SRTP_AES128_CM_HMAC_SHA1_80:SRTP_AEAD_AES_256_GCM",
      "SRTP_AEAD_AES_256_GCM");
#else
  g_print ("A server choosing GCM from Chromium's offer needs GnuTLS >= "
      "3.8.0, built against %s: checked with the CM profiles only\n",
      GNUTLS_VERSION);
#endif
}

GST_END_TEST;

/* srtp-profiles that can never work fail the connection, saying why */
static void
check_invalid_profiles (const gchar * profiles, const gchar * expected)
{
  DtlsSide client, server;
  gchar *msg;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, "srtp-profiles", profiles, NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  fail_unless (gst_harness_try_pull (client.enc) == NULL);
  fail_unless_equals_int (dtls_side_state (&client), STATE_FAILED);
  msg = dtls_side_pop_error (&client);
  fail_unless (msg && strstr (msg, expected), "error: %s", msg);
  g_free (msg);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_START_TEST (test_invalid_srtp_profiles)
{
  check_invalid_profiles ("SRTP_AES128_CM_HMAC_SHA1_80:SRTP_NO_SUCH",
      "unknown profile \"SRTP_NO_SUCH\"");
  check_invalid_profiles ("SRTP_AES128_CM_HMAC_SHA1_80:",
      "unknown profile \"\"");
  check_invalid_profiles ("SRTP_AES128_CM_HMAC_SHA1_80:"
      "SRTP_AES128_CM_HMAC_SHA1_32:SRTP_AES128_CM_HMAC_SHA1_80",
      "lists SRTP_AES128_CM_HMAC_SHA1_80 twice");
#if HAVE_SRTP_AEAD_OVER_DTLS
  check_invalid_profiles ("SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM:"
      "SRTP_AES128_CM_HMAC_SHA1_80:SRTP_AES128_CM_HMAC_SHA1_32:"
      "SRTP_NULL_HMAC_SHA1_80", "more than 4 profiles");
#endif
}

GST_END_TEST;

GST_START_TEST (test_data_only)
{
  DtlsSide client, server;
  GstBuffer *key = NULL;

  dtls_side_create (&server, FALSE, "srtp-profiles", "", NULL);
  dtls_side_create (&client, TRUE, "srtp-profiles", "", NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  handshake_pair (&client, &server);
  g_object_get (client.enc_el, "encoder-key", &key, NULL);
  fail_unless (key == NULL);
  dtls_check_app_data (&server, &client, FALSE, "sctp would go here");
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

static GstPadProbeReturn
answer_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  /* downstream answers this instead of taking the buffer (which a probe
   * that handles it owns) */
  gst_mini_object_unref (GST_PAD_PROBE_INFO_DATA (info));
  GST_PAD_PROBE_INFO_FLOW_RETURN (info) = GPOINTER_TO_INT (user_data);
  return GST_PAD_PROBE_HANDLED;
}

/* Issue 10: what downstream of the encoder answers reaches upstream, as it
 * would through any element: FLUSHING, EOS and ERROR from the push of the
 * records carrying the application data */
GST_START_TEST (test_flow_returns_upstream)
{
  static const GstFlowReturn answers[] = { GST_FLOW_FLUSHING, GST_FLOW_EOS,
    GST_FLOW_ERROR, GST_FLOW_NOT_LINKED
  };
  DtlsSide client, server;
  GstPad *src;
  guint i;

  connected_pair (&client, &server);
  dtls_check_app_data (&client, &server, TRUE, "before");

  src = gst_element_get_static_pad (client.enc_el, "src");
  for (i = 0; i < G_N_ELEMENTS (answers); i++) {
    gulong probe = gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_BUFFER_LIST, answer_probe,
        GINT_TO_POINTER (answers[i]), NULL);
    GstFlowReturn ret = gst_harness_push (client.enc,
        gst_buffer_new_memdup ("data", 4));

    fail_unless_equals_string (gst_flow_get_name (ret),
        gst_flow_get_name (answers[i]));
    gst_pad_remove_probe (src, probe);
  }
  gst_object_unref (src);
  /* and OK again once downstream takes the records */
  dtls_check_app_data (&client, &server, TRUE, "after");

  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  guint *counts = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    counts[0]++;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    counts[1]++;
  return GST_PAD_PROBE_OK;
}

/* The records of application data of one datagram leave the decoder in
 * order: one record's as a buffer (no list made for it), several as a list
 * of one buffer each */
GST_START_TEST (test_app_data_records_per_datagram)
{
  static const gchar *const texts[] = { "first", "second", "third" };
  DtlsSide client, server;
  GstBuffer *records[3], *datagram, *out;
  guint counts[2] = { 0, 0 }, i;
  GstPad *src;

  connected_pair (&client, &server);
  src = gst_element_get_static_pad (server.dec_el, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_probe, counts, NULL);

  /* each buffer is one record in its own datagram */
  for (i = 0; i < G_N_ELEMENTS (texts); i++) {
    fail_unless_equals_int (gst_harness_push (client.enc,
            gst_buffer_new_memdup (texts[i], strlen (texts[i]))), GST_FLOW_OK);
    records[i] = gst_harness_pull (client.enc);
    fail_unless (records[i] != NULL);
  }

  gst_harness_push (server.dec, records[0]);
  out = gst_harness_pull (server.dec);
  fail_unless (gst_buffer_memcmp (out, 0, texts[0], strlen (texts[0])) == 0);
  gst_buffer_unref (out);
  fail_unless_equals_int (counts[0], 1);
  fail_unless_equals_int (counts[1], 0);

  /* the other two packed in one datagram, as RFC 6347 4.1.1 allows */
  datagram = gst_buffer_append (records[1], records[2]);
  gst_harness_push (server.dec, datagram);
  fail_unless_equals_int (counts[0], 1);
  fail_unless_equals_int (counts[1], 1);
  for (i = 1; i < G_N_ELEMENTS (texts); i++) {
    out = gst_harness_pull (server.dec);
    fail_unless_equals_int (gst_buffer_get_size (out), strlen (texts[i]));
    fail_unless (gst_buffer_memcmp (out, 0, texts[i], strlen (texts[i])) == 0);
    gst_buffer_unref (out);
  }
  fail_unless (gst_harness_try_pull (server.dec) == NULL);

  gst_object_unref (src);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

static void
side_restart (DtlsSide * s)
{
  fail_unless (gst_element_set_state (s->enc_el, GST_STATE_READY) ==
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (gst_element_set_state (s->dec_el, GST_STATE_READY) ==
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (gst_element_set_state (s->dec_el, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (gst_element_set_state (s->enc_el, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_SUCCESS);
}

/* Back to READY and up again: a fresh handshake with fresh keys */
GST_START_TEST (test_restart)
{
  DtlsSide client, server;
  GstBuffer *key1, *key2, *out;

  connected_pair (&client, &server);
  key1 = dtls_get_key (client.enc_el, "encoder-key");

  side_restart (&server);
  fail_unless_equals_int (dtls_side_state (&server), 3);
  side_restart (&client);
  /* data sent before the new handshake ends waits for it */
  gst_harness_push (client.enc, gst_buffer_new_memdup ("early", 5));
  handshake_pair (&client, &server);
  dtls_carry (&client, &server, TRUE, NULL, NULL);
  out = gst_harness_pull (server.dec);
  fail_unless (gst_buffer_memcmp (out, 0, "early", 5) == 0);
  gst_buffer_unref (out);
  dtls_assert_keys_match (&client, &server);
  key2 = dtls_get_key (client.enc_el, "encoder-key");
  {
    GstMapInfo m;

    gst_buffer_map (key1, &m, GST_MAP_READ);
    fail_if (gst_buffer_memcmp (key2, 0, m.data, m.size) == 0,
        "the new handshake gave the old keys");
    gst_buffer_unmap (key1, &m);
  }
  dtls_check_app_data (&server, &client, FALSE, "after restart");
  gst_buffer_unref (key1);
  gst_buffer_unref (key2);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

GST_START_TEST (test_invalid_priority)
{
  DtlsSide client, server;
  gchar *msg;

  dtls_side_create (&server, FALSE, NULL);
  dtls_side_create (&client, TRUE, "priority", "NORMAL:+NO-SUCH-THING", NULL);
  dtls_side_start (&server);
  dtls_side_start (&client);
  dtls_run (&client, &server, NULL, NULL, 2000);
  fail_unless_equals_int (dtls_side_state (&client), STATE_FAILED);
  msg = dtls_side_pop_error (&client);
  fail_unless (msg && strstr (msg, "priority") && strstr (msg,
          "NO-SUCH-THING"), "error: %s", msg);
  g_free (msg);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

GST_START_TEST (test_missing_connection_id)
{
  GstElement *enc = gst_element_factory_make (ENC_NAME, NULL);

  fail_unless_equals_int (gst_element_set_state (enc, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (enc, GST_STATE_NULL);
  gst_object_unref (enc);
}

GST_END_TEST;

/* The stream-start on a src pad carries a group id (the same one for the
 * whole stream) and a stream id of its own */
static void
assert_stream_start (GstHarness * h, guint * group_id)
{
  GstEvent *ev = gst_pad_get_sticky_event (h->sinkpad,
      GST_EVENT_STREAM_START, 0);
  const gchar *stream_id = NULL;

  fail_unless (ev != NULL, "no stream-start");
  fail_unless (gst_event_parse_group_id (ev, group_id), "no group id");
  fail_unless (*group_id != GST_GROUP_ID_INVALID);
  gst_event_parse_stream_start (ev, &stream_id);
  fail_unless (stream_id != NULL && *stream_id);
  gst_event_unref (ev);
}

GST_START_TEST (test_stream_start_group_id)
{
  DtlsSide client, server;
  guint enc_group, dec_group, again;

  connected_pair (&client, &server);
  dtls_check_app_data (&client, &server, TRUE, "first");
  assert_stream_start (client.enc, &enc_group);
  assert_stream_start (server.dec, &dec_group);
  fail_if (enc_group == dec_group);
  /* later records belong to the same stream */
  dtls_check_app_data (&client, &server, TRUE, "second");
  assert_stream_start (client.enc, &again);
  fail_unless_equals_int (again, enc_group);
  assert_stream_start (server.dec, &again);
  fail_unless_equals_int (again, dec_group);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

static Suite *
dtls_connection_suite (void)
{
  Suite *s = suite_create ("dtls_connection");
  TCase *tc = tcase_create ("general");

  dtls_test_use_our_names ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_handshake_and_data);
  tcase_add_test (tc, test_handshake_sequence);
  tcase_add_test (tc, test_handshake_sequence_no_cookie);
  tcase_add_test (tc, test_order_independence);
  tcase_add_test (tc, test_properties_before_connection_id);
  tcase_add_test (tc, test_state_notifications);
  tcase_add_test (tc, test_on_key_received);
  tcase_add_test (tc, test_peer_fingerprint_match);
  tcase_add_test (tc, test_peer_fingerprint_mismatch);
  tcase_add_test (tc, test_queued_app_data);
  tcase_add_test (tc, test_eos_during_handshake);
  tcase_add_test (tc, test_garbage_records);
  tcase_add_test (tc, test_user_pem_and_rsa);
  tcase_add_test (tc, test_small_mtu);
  tcase_add_test (tc, test_srtp_profile_32);
  tcase_add_test (tc, test_no_srtp_profile_in_common);
  tcase_add_loop_test (tc, test_each_srtp_profile, 0,
      2 * G_N_ELEMENTS (profile_cases));
  tcase_add_test (tc, test_server_prefers_its_order);
  tcase_add_test (tc, test_invalid_srtp_profiles);
  tcase_add_test (tc, test_data_only);
  tcase_add_test (tc, test_flow_returns_upstream);
  tcase_add_test (tc, test_app_data_records_per_datagram);
  tcase_add_test (tc, test_restart);
  tcase_add_test (tc, test_invalid_priority);
  tcase_add_test (tc, test_missing_connection_id);
  tcase_add_test (tc, test_stream_start_group_id);
  tcase_add_test (tc, test_keys_after_final_flight);
  return s;
}

GST_CHECK_MAIN (dtls_connection);
