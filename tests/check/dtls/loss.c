/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Retransmission: lost, reordered and duplicated datagrams, and a peer that
 * never answers. GnuTLS times retransmissions against the wall clock, so the
 * tests use a short retransmit-timeout rather than a test clock. */

#include "dtlstest.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#define RETRANSMIT_MS 50

/* Time limits are multiplied by this: under valgrind everything is slower */
static guint slow = 1;

/* Which flight of the handshake in docs/architecture.md a datagram carries
 * (1-6), from its first record; 0 for anything else. */
static gint
flight_of (gboolean from_client, GstBuffer * buf)
{
  guint8 hdr[13 + 12];
  gsize n = gst_buffer_extract (buf, 0, hdr, sizeof (hdr));
  guint epoch;

  if (n < 13)
    return 0;
  epoch = GST_READ_UINT16_BE (hdr + 3);
  if (hdr[0] == 22 && epoch == 0 && n >= 25) {
    guint8 type = hdr[13];
    guint seq = GST_READ_UINT16_BE (hdr + 13 + 4);

    if (from_client)
      return type == 1 ? (seq == 0 ? 1 : 3) : 5;
    return type == 3 ? 2 : 4;
  }
  if (hdr[0] == 20 || (hdr[0] == 22 && epoch == 1))
    return from_client ? 5 : 6;
  return 0;
}

typedef struct
{
  gint flight;                  /* the flight to lose once */
  gint64 first_seen;            /* when its first datagram went by */
  guint dropped;
} DropOnce;

static gboolean
drop_once_filter (gboolean from_client, GstBuffer * buf, gpointer user_data)
{
  DropOnce *d = user_data;
  gint64 now = g_get_monotonic_time ();

  if (flight_of (from_client, buf) != d->flight)
    return TRUE;
  if (!d->first_seen)
    d->first_seen = now;
  /* the first transmission leaves at once, the next one RETRANSMIT_MS
   * later at the earliest */
  if (now - d->first_seen < RETRANSMIT_MS * 1000 / 2) {
    d->dropped++;
    return FALSE;
  }
  return TRUE;
}

static void
create_pair (DtlsSide * client, DtlsSide * server, guint handshake_timeout)
{
  dtls_side_create (server, FALSE, "retransmit-timeout", RETRANSMIT_MS,
      "handshake-timeout", handshake_timeout, NULL);
  dtls_side_create (client, TRUE, "retransmit-timeout", RETRANSMIT_MS,
      "handshake-timeout", handshake_timeout, NULL);
  dtls_side_start (server);
  dtls_side_start (client);
}

GST_START_TEST (test_each_flight_lost_once)
{
  gint flight;

  for (flight = 1; flight <= 6; flight++) {
    DtlsSide client, server;
    DropOnce d = { flight, 0, 0 };
    gint64 start = g_get_monotonic_time ();

    create_pair (&client, &server, 3000 * slow);
    dtls_run (&client, &server, drop_once_filter, &d, 3000 * slow);
    GST_INFO ("flight %d: %u datagrams dropped, connected in %"
        G_GINT64_FORMAT " ms", flight, d.dropped,
        (g_get_monotonic_time () - start) / 1000);
    fail_unless (d.dropped > 0, "flight %d never seen", flight);
    fail_unless_equals_int (dtls_side_state (&client), STATE_CONNECTED);
    fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTED);
    dtls_assert_keys_match (&client, &server);
    dtls_check_app_data (&client, &server, TRUE, "after a loss");
    dtls_check_app_data (&server, &client, FALSE, "after a loss");
    dtls_side_free (&client);
    dtls_side_free (&server);
  }
}

GST_END_TEST;

typedef struct
{
  GRand *rand;
  DtlsSide *client, *server;
  GstBuffer *held;              /* delayed behind the next datagram */
  gboolean held_from_client;
  guint lost, duplicated, reordered;
} Chaos;

/* 30% loss, 10% duplication, 20% reordering: a datagram is held back and
 * delivered after the next one, whichever its direction */
static gboolean
chaos_filter (gboolean from_client, GstBuffer * buf, gpointer user_data)
{
  Chaos *c = user_data;
  DtlsSide *to = from_client ? c->server : c->client;
  gdouble r = g_rand_double (c->rand);
  GstBuffer *held = g_steal_pointer (&c->held);
  gboolean held_from_client = c->held_from_client;

  if (r < 0.30) {
    c->lost++;
  } else if (!held && r < 0.50) {
    c->held = gst_buffer_ref (buf);
    c->held_from_client = from_client;
    c->reordered++;
  } else {
    if (r < 0.60) {
      gst_harness_push (to->dec, gst_buffer_ref (buf));
      c->duplicated++;
    }
    gst_harness_push (to->dec, gst_buffer_ref (buf));
  }
  if (held)
    gst_harness_push (held_from_client ? c->server->dec : c->client->dec, held);
  return FALSE;
}

GST_START_TEST (test_random_loss_reorder_duplicate)
{
  guint seed;

  for (seed = 1; seed <= 8; seed++) {
    DtlsSide client, server;
    Chaos c = { g_rand_new_with_seed (seed), &client, &server, NULL, FALSE,
      0, 0, 0
    };
    gint64 start = g_get_monotonic_time ();

    create_pair (&client, &server, 8000 * slow);
    dtls_run (&client, &server, chaos_filter, &c, 8000 * slow);
    GST_INFO ("seed %u: lost %u, duplicated %u, reordered %u, %"
        G_GINT64_FORMAT " ms", seed, c.lost, c.duplicated, c.reordered,
        (g_get_monotonic_time () - start) / 1000);
    fail_unless_equals_int (dtls_side_state (&client), STATE_CONNECTED);
    fail_unless_equals_int (dtls_side_state (&server), STATE_CONNECTED);
    dtls_assert_keys_match (&client, &server);
    gst_clear_buffer (&c.held);
    g_rand_free (c.rand);
    dtls_side_free (&client);
    dtls_side_free (&server);
  }
}

GST_END_TEST;

static gboolean
drop_all (gboolean from_client, GstBuffer * buf, gpointer user_data)
{
  guint *count = user_data;

  (*count)++;
  return FALSE;
}

GST_START_TEST (test_total_loss_times_out)
{
  DtlsSide client, server;
  guint count = 0;
  gint64 start, elapsed;
  gchar *msg;

  start = g_get_monotonic_time ();
  create_pair (&client, &server, 500 * slow);
  /* until one side fails, then until the other does */
  dtls_run (&client, &server, drop_all, &count, 3000 * slow);
  while ((dtls_side_state (&client) != STATE_FAILED ||
          dtls_side_state (&server) != STATE_FAILED) &&
      g_get_monotonic_time () < start + 3000 * slow * 1000) {
    dtls_carry (&client, &server, TRUE, drop_all, &count);
    g_usleep (5000);
  }
  elapsed = (g_get_monotonic_time () - start) / 1000;

  fail_unless_equals_int (dtls_side_state (&client), STATE_FAILED);
  fail_unless (elapsed >= 500 * slow && elapsed < 1500 * slow,
      "failed after %" G_GINT64_FORMAT " ms", elapsed);
  /* the ClientHello was retransmitted: 50, 100, 200 ms... */
  fail_unless (count >= 3, "only %u datagrams sent", count);
  msg = dtls_side_pop_error (&client);
  fail_unless (msg && strstr (msg, "timed out"), "error: %s", msg);
  g_free (msg);
  /* the server never heard of the client: it fails by its own timeout,
   * which runs from its start (issue 11) */
  fail_unless_equals_int (dtls_side_state (&server), STATE_FAILED);
  msg = dtls_side_pop_error (&server);
  fail_unless (msg && strstr (msg, "no ClientHello"), "error: %s", msg);
  g_free (msg);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

/* The server loses everything after its ServerHello flight went out: the
 * server must time out as well */
static gboolean
drop_after_server_hello (gboolean from_client, GstBuffer * buf,
    gpointer user_data)
{
  gboolean *seen = user_data;

  if (!from_client && flight_of (FALSE, buf) == 4)
    *seen = TRUE;
  return !*seen;
}

GST_START_TEST (test_server_times_out)
{
  DtlsSide client, server;
  gboolean seen = FALSE;
  gchar *msg;

  create_pair (&client, &server, 400 * slow);
  dtls_run (&client, &server, drop_after_server_hello, &seen, 3000 * slow);
  fail_unless (seen);
  /* both fail; give the second one its time */
  {
    gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC * slow;
    while (g_get_monotonic_time () < end &&
        (dtls_side_state (&client) != STATE_FAILED ||
            dtls_side_state (&server) != STATE_FAILED))
      g_usleep (10000);
  }
  fail_unless_equals_int (dtls_side_state (&server), STATE_FAILED);
  fail_unless_equals_int (dtls_side_state (&client), STATE_FAILED);
  msg = dtls_side_pop_error (&server);
  fail_unless (msg && strstr (msg, "timed out"), "error: %s", msg);
  g_free (msg);
  dtls_side_free (&client);
  dtls_side_free (&server);
}

GST_END_TEST;

static Suite *
dtls_loss_suite (void)
{
  Suite *s = suite_create ("dtls_loss");
  TCase *tc = tcase_create ("general");

  dtls_test_use_our_names ();

  if (RUNNING_ON_VALGRIND)
    slow = 20;

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_each_flight_lost_once);
  tcase_add_test (tc, test_random_loss_reorder_duplicate);
  tcase_add_test (tc, test_total_loss_times_out);
  tcase_add_test (tc, test_server_times_out);
  return s;
}

GST_CHECK_MAIN (dtls_loss);
