/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Scale (issue 5): many DTLS connections in one process.
 *
 * A "pair" is one DTLS association between two of our sides in process: a
 * client encoder/decoder and a server encoder/decoder, linked directly
 * (client encoder -> server decoder, server encoder -> client decoder),
 * each side its own connection-id, so two connection objects and two
 * GnuTLS sessions per pair. Every handshake is the full one of
 * docs/architecture.md, cookie exchange and mutual authentication included.
 *
 * - test_soak: 10 batches of 100 pairs, each opened, connected, checked
 *   and closed in turn; after every batch all connection objects and GnuTLS
 *   sessions are gone, and from the end of batch 2 to the end of batch 10
 *   threads, file descriptors and memory do not grow.
 * - test_simultaneous: 1000 pairs open at once, all connected, the keys of
 *   each matching, application data through each, with a bounded number of
 *   threads; then all freed.
 *
 * Under ASan: 5 batches of 50 and 300 pairs at once. Under valgrind the
 * sizes are smaller still (RUNNING_ON_VALGRIND): 4 batches of
 * 10 and 50 pairs at once. */

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
/* AddressSanitizer (scripts/sanitize.sh) makes every allocation several
 * times dearer: the sizes are between valgrind's and the normal ones */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* The connections share a pool of 4 threads (started on demand) and the
 * system clock's thread: whatever the number of connections, no more than
 * this many threads above what the process had before the first one, with
 * some slack. A push blocked downstream for a second gets the pool one more
 * thread until it returns; GLib then keeps up to two idle threads for
 * reuse (PARKED_THREADS). */
#define POOL_THREADS 4
#define MAX_EXTRA_THREADS (POOL_THREADS + 1 + 3)
#define PARKED_THREADS 2

enum
{
  CENC, CDEC, SENC, SDEC
};

typedef struct
{
  GstElement *el[4];
  GstPad *app_src;              /* ours, feeding the client encoder */
  GstPad *app_sink;             /* ours, after the server decoder */
  gchar *text;                  /* what the client sends */
  gint sides_connected;
  gint received;                /* buffers equal to text */
  gint wrong;                   /* other buffers */
} Pair;

static GMutex lock;
static GCond cond;
static guint pairs_connected;   /* both sides; protected by lock */
static guint pairs_failed;      /* protected by lock */
static guint run_counter;

static void
on_state (GObject * el, GParamSpec * pspec, Pair * p)
{
  gint state;

  g_object_get (el, "connection-state", &state, NULL);
  if (state != STATE_CONNECTED && state != STATE_FAILED)
    return;
  g_mutex_lock (&lock);
  if (state == STATE_FAILED)
    pairs_failed++;
  else if (++p->sides_connected == 2)
    pairs_connected++;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

static GstFlowReturn
app_sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  Pair *p = gst_pad_get_element_private (pad);

  if (gst_buffer_get_size (buf) == strlen (p->text) &&
      gst_buffer_memcmp (buf, 0, p->text, strlen (p->text)) == 0)
    g_atomic_int_inc (&p->received);
  else
    g_atomic_int_inc (&p->wrong);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static GstElement *
make (const gchar * factory, const gchar * id, gboolean is_client)
{
  GstElement *el = gst_element_factory_make (factory, NULL);

  fail_unless (el != NULL, "no %s", factory);
  gst_object_ref_sink (el);
  g_object_set (el, "connection-id", id, NULL);
  if (is_client)
    g_object_set (el, "is-client", TRUE, NULL);
  return el;
}

static void
link_pads (GstPad * src, GstPad * sink)
{
  fail_unless_equals_int (gst_pad_link (src, sink), GST_PAD_LINK_OK);
}

static Pair *
pair_new (guint run, guint i, guint retransmit_timeout)
{
  Pair *p = g_new0 (Pair, 1);
  gchar *sid = g_strdup_printf ("soak-%u-%u-server", run, i);
  gchar *cid = g_strdup_printf ("soak-%u-%u-client", run, i);
  GstPad *a, *b;

  p->text = g_strdup_printf ("pair %u of run %u", i, run);
  p->el[SDEC] = make (DEC_NAME, sid, FALSE);
  p->el[SENC] = make (ENC_NAME, sid, FALSE);
  p->el[CDEC] = make (DEC_NAME, cid, FALSE);
  p->el[CENC] = make (ENC_NAME, cid, TRUE);
  /* a connection fails rather than hangs; retransmissions are useless here
   * (nothing is lost) but fire when the machine is busy */
  g_object_set (p->el[SENC], "handshake-timeout", 30000,
      "retransmit-timeout", retransmit_timeout, NULL);
  g_object_set (p->el[CENC], "handshake-timeout", 30000,
      "retransmit-timeout", retransmit_timeout, NULL);
  g_signal_connect (p->el[CENC], "notify::connection-state",
      G_CALLBACK (on_state), p);
  g_signal_connect (p->el[SENC], "notify::connection-state",
      G_CALLBACK (on_state), p);

  a = gst_element_get_static_pad (p->el[CENC], "src");
  b = gst_element_get_static_pad (p->el[SDEC], "sink");
  link_pads (a, b);
  gst_object_unref (a);
  gst_object_unref (b);
  a = gst_element_get_static_pad (p->el[SENC], "src");
  b = gst_element_get_static_pad (p->el[CDEC], "sink");
  link_pads (a, b);
  gst_object_unref (a);
  gst_object_unref (b);

  /* application data: into the client encoder, out of the server decoder */
  p->app_src = gst_object_ref_sink (gst_pad_new ("app_src", GST_PAD_SRC));
  b = gst_element_request_pad_simple (p->el[CENC], "sink");
  link_pads (p->app_src, b);
  gst_object_unref (b);
  p->app_sink = gst_object_ref_sink (gst_pad_new ("app_sink", GST_PAD_SINK));
  gst_pad_set_chain_function (p->app_sink, app_sink_chain);
  gst_pad_set_element_private (p->app_sink, p);
  a = gst_element_request_pad_simple (p->el[SDEC], "src");
  link_pads (a, p->app_sink);
  gst_object_unref (a);
  gst_pad_set_active (p->app_sink, TRUE);

  g_free (sid);
  g_free (cid);
  return p;
}

static void
pair_start (Pair * p)
{
  static const guint order[] = { SDEC, SENC, CDEC, CENC };
  guint i;

  for (i = 0; i < 4; i++)
    fail_unless (gst_element_set_state (p->el[order[i]], GST_STATE_PLAYING)
        != GST_STATE_CHANGE_FAILURE);
}

static void
pair_send (Pair * p)
{
  GstSegment segment;
  GstCaps *caps = gst_caps_new_empty_simple ("application/x-test");

  gst_pad_set_active (p->app_src, TRUE);
  gst_pad_push_event (p->app_src, gst_event_new_stream_start (p->text));
  gst_pad_push_event (p->app_src, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_BYTES);
  gst_pad_push_event (p->app_src, gst_event_new_segment (&segment));
  fail_unless_equals_int (gst_pad_push (p->app_src,
          gst_buffer_new_memdup (p->text, strlen (p->text))), GST_FLOW_OK);
}

static gboolean
keys_equal (GstElement * enc, GstElement * dec)
{
  GstBuffer *k1 = NULL, *k2 = NULL;
  gchar *profile = dtls_get_profile (enc);
  gboolean eq = FALSE;

  g_object_get (enc, "encoder-key", &k1, NULL);
  g_object_get (dec, "decoder-key", &k2, NULL);
  if (k1 && k2 && gst_buffer_get_size (k1) == dtls_profile_key_len (profile)) {
    GstMapInfo m;

    gst_buffer_map (k1, &m, GST_MAP_READ);
    eq = gst_buffer_get_size (k2) == m.size &&
        gst_buffer_memcmp (k2, 0, m.data, m.size) == 0;
    gst_buffer_unmap (k1, &m);
  }
  gst_clear_buffer (&k1);
  gst_clear_buffer (&k2);
  g_free (profile);
  return eq;
}

/* Every element of @p connected, keys matching both ways */
static void
pair_check (Pair * p)
{
  guint i;

  for (i = 0; i < 4; i++) {
    gint state;

    g_object_get (p->el[i], "connection-state", &state, NULL);
    fail_unless_equals_int (state, STATE_CONNECTED);
  }
  fail_unless (keys_equal (p->el[CENC], p->el[SDEC]), "%s: keys differ",
      p->text);
  fail_unless (keys_equal (p->el[SENC], p->el[CDEC]), "%s: keys differ",
      p->text);
}

static void
pair_free (Pair * p)
{
  guint i;

  for (i = 0; i < 4; i++)
    g_signal_handlers_disconnect_by_data (p->el[i], p);
  gst_pad_set_active (p->app_src, FALSE);
  for (i = 0; i < 4; i++)
    gst_element_set_state (p->el[i], GST_STATE_NULL);
  for (i = 0; i < 4; i++)
    gst_object_unref (p->el[i]);
  gst_pad_set_active (p->app_sink, FALSE);
  gst_object_unref (p->app_src);
  gst_object_unref (p->app_sink);
  g_free (p->text);
  g_free (p);
}

typedef struct
{
  guint threads_open;           /* while all pairs were open */
  gint64 connect_us;            /* start of the first to all connected */
  gsize rss_open_kib;
} RunStats;

/* Opens @n pairs at once, checks every one while all are open, sends
 * application data through each, closes them all and checks that every
 * connection object and GnuTLS session is gone. */
static void
run_pairs (guint n, guint retransmit_timeout, RunStats * st)
{
  Pair **pairs = g_new0 (Pair *, n);
  guint run = ++run_counter;
  gint connections0 = g_atomic_int_get (&probe_live_connections);
  gint sessions0 = g_atomic_int_get (&probe_live_sessions);
  gint64 start, deadline;
  guint i, received = 0, wrong = 0;

  g_mutex_lock (&lock);
  pairs_connected = pairs_failed = 0;
  g_mutex_unlock (&lock);

  for (i = 0; i < n; i++)
    pairs[i] = pair_new (run, i, retransmit_timeout);

  start = g_get_monotonic_time ();
  deadline = start + 50 * G_USEC_PER_SEC;
  for (i = 0; i < n; i++)
    pair_start (pairs[i]);
  g_mutex_lock (&lock);
  while (pairs_connected < n && pairs_failed == 0)
    if (!g_cond_wait_until (&cond, &lock, deadline))
      break;
  g_mutex_unlock (&lock);
  st->connect_us = g_get_monotonic_time () - start;
  g_mutex_lock (&lock);
  fail_unless_equals_int (pairs_failed, 0);
  fail_unless_equals_int (pairs_connected, n);
  g_mutex_unlock (&lock);
  fail_unless_equals_int (g_atomic_int_get (&probe_live_connections),
      connections0 + 2 * n);
  fail_unless_equals_int (g_atomic_int_get (&probe_live_sessions),
      sessions0 + 2 * n);

  /* all open: all working */
  for (i = 0; i < n; i++)
    pair_check (pairs[i]);
  for (i = 0; i < n; i++)
    pair_send (pairs[i]);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do {
    received = wrong = 0;
    for (i = 0; i < n; i++) {
      received += g_atomic_int_get (&pairs[i]->received);
      wrong += g_atomic_int_get (&pairs[i]->wrong);
    }
  } while (received < n && g_get_monotonic_time () < deadline &&
      (g_usleep (1000), TRUE));
  fail_unless_equals_int (wrong, 0);
  fail_unless_equals_int (received, n);
  st->threads_open = dtls_probe_threads ();
  st->rss_open_kib = dtls_probe_rss_kib ();

  for (i = 0; i < n; i++)
    pair_free (pairs[i]);
  g_free (pairs);
  fail_unless (dtls_probe_wait_live (connections0, sessions0, 5000),
      "after closing %u pairs, %d connection objects and %d GnuTLS sessions "
      "left (%d and %d before)", n,
      g_atomic_int_get (&probe_live_connections),
      g_atomic_int_get (&probe_live_sessions), connections0, sessions0);
}

GST_START_TEST (test_soak)
{
  const guint batches = RUNNING_ON_VALGRIND ? 4 : SANITIZED ? 5 : 10;
  const guint per_batch = RUNNING_ON_VALGRIND ? 10 : SANITIZED ? 50 : 100;
  guint threads0 = dtls_probe_threads ();
  guint threads[11], fds[11], max_threads = threads0;
  gsize rss[11], heap[11];
  gint64 start = g_get_monotonic_time ();
  guint b;

  for (b = 1; b <= batches; b++) {
    RunStats st;

    run_pairs (per_batch, 1000, &st);
    threads[b] = dtls_probe_threads ();
    fds[b] = dtls_probe_fds ();
    rss[b] = dtls_probe_rss_kib ();
    heap[b] = dtls_probe_heap ();
    max_threads = MAX (max_threads, MAX (threads[b], st.threads_open));
    GST_INFO ("batch %u: %u pairs connected in %" G_GINT64_FORMAT " ms; "
        "threads %u (%u open), fds %u, rss %" G_GSIZE_FORMAT " KiB, heap %"
        G_GSIZE_FORMAT " KiB", b, per_batch, st.connect_us / 1000,
        threads[b], st.threads_open, fds[b], rss[b], heap[b] / 1024);
  }
  GST_INFO ("%u connections (%u pairs) opened and closed in %" G_GINT64_FORMAT
      " ms", 2 * batches * per_batch, batches * per_batch,
      (g_get_monotonic_time () - start) / 1000);

  /* bounded threads at any time; none more at the end than after the
   * warm-up, but for pool threads started later, up to the pool's size */
  fail_unless (max_threads <= threads0 + MAX_EXTRA_THREADS, "%u threads, "
      "%u before the first connection", max_threads, threads0);
  fail_unless (threads[batches] <= MAX (threads[2],
          threads0 + POOL_THREADS + 1) + PARKED_THREADS, "threads: %u before, "
      "%u after batch "
      "2, %u after batch %u", threads0, threads[2], threads[batches], batches);
  fail_unless_equals_int (fds[batches], fds[2]);
  fail_unless (rss[batches] < rss[2] + 10 * 1024, "RSS grew from %"
      G_GSIZE_FORMAT " KiB to %" G_GSIZE_FORMAT " KiB", rss[2], rss[batches]);
  /* mallinfo2 reads 0 under valgrind, whose leak check does this job */
  fail_unless (heap[batches] < heap[2] + 1024 * 1024, "heap grew from %"
      G_GSIZE_FORMAT " to %" G_GSIZE_FORMAT " bytes", heap[2], heap[batches]);
}

GST_END_TEST;

GST_START_TEST (test_simultaneous)
{
  const guint n = RUNNING_ON_VALGRIND ? 50 : SANITIZED ? 300 : 1000;
  guint threads0 = dtls_probe_threads ();
  gsize rss0 = dtls_probe_rss_kib ();
  RunStats st;

  /* all started at once, with the default retransmission timeout: some
   * flights are resent while the two cores work through the burst */
  run_pairs (n, 1000, &st);
  GST_INFO ("%u pairs (%u connections) connected in %" G_GINT64_FORMAT
      " ms; with all open: %u threads (%u before), RSS %" G_GSIZE_FORMAT
      " KiB (%" G_GSIZE_FORMAT " before, %.1f KiB per connection)", n, 2 * n,
      st.connect_us / 1000, st.threads_open, threads0, st.rss_open_kib, rss0,
      (st.rss_open_kib - rss0) / (2.0 * n));
  fail_unless (st.threads_open <= threads0 + MAX_EXTRA_THREADS,
      "%u threads for %u connections, %u before", st.threads_open, 2 * n,
      threads0);
}

GST_END_TEST;

/* A sink that never prerolls: the first buffer pushed into it blocks until
 * the test releases it, as in a pipeline waiting for every sink to
 * preroll. */
static gboolean stuck_release;  /* protected by lock */
static guint stuck_blocked;     /* pushes waiting in stuck_chain */

static GstFlowReturn
stuck_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  g_mutex_lock (&lock);
  stuck_blocked++;
  g_cond_broadcast (&cond);
  while (!stuck_release)
    g_cond_wait (&cond, &lock);
  stuck_blocked--;
  g_mutex_unlock (&lock);
  gst_buffer_unref (buf);
  return GST_FLOW_FLUSHING;
}

static gboolean
stuck_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  gst_event_unref (event);
  return TRUE;
}

typedef struct
{
  GstElement *enc, *dec;
  GstPad *sink;
  GstBus *bus;
} Stuck;

/* A client whose encoder output never moves, with its own handshake
 * timeout */
static void
stuck_new (Stuck * st, guint i, guint timeout_ms)
{
  gchar *id = g_strdup_printf ("stuck-%u", i);
  GstPad *src;

  st->dec = make (DEC_NAME, id, FALSE);
  st->enc = make (ENC_NAME, id, TRUE);
  g_object_set (st->enc, "handshake-timeout", timeout_ms, NULL);
  st->bus = gst_bus_new ();
  gst_element_set_bus (st->enc, st->bus);
  gst_element_set_bus (st->dec, st->bus);
  st->sink = gst_object_ref_sink (gst_pad_new ("stuck", GST_PAD_SINK));
  gst_pad_set_chain_function (st->sink, stuck_chain);
  gst_pad_set_event_function (st->sink, stuck_event);
  gst_pad_set_active (st->sink, TRUE);
  src = gst_element_get_static_pad (st->enc, "src");
  link_pads (src, st->sink);
  gst_object_unref (src);
  fail_unless (gst_element_set_state (st->dec, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_set_state (st->enc, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  g_free (id);
}

/* Waits until the stuck client has said that its downstream holds the
 * handshake, then failed by its timeout, on its bus */
static void
stuck_check_failed (Stuck * st, gint64 deadline)
{
  GstMessage *msg;
  GError *err = NULL;
  gboolean warned = FALSE;
  gint state;

  for (;;) {
    msg = gst_bus_timed_pop_filtered (st->bus,
        MAX (deadline - g_get_monotonic_time (), 0) * GST_USECOND,
        GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);
    fail_unless (msg != NULL, "a connection whose output is stuck said "
        "nothing by its handshake timeout");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
      break;
    gst_message_parse_warning (msg, &err, NULL);
    fail_unless (strstr (err->message, "async=false") != NULL, "warning: %s",
        err->message);
    warned = TRUE;
    g_clear_error (&err);
    gst_message_unref (msg);
  }
  fail_unless (warned, "no warning before the error");
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "timed out") != NULL, "error: %s",
      err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  g_object_get (st->enc, "connection-state", &state, NULL);
  fail_unless_equals_int (state, STATE_FAILED);
}

static void
stuck_free (Stuck * st)
{
  gst_element_set_state (st->enc, GST_STATE_NULL);
  gst_element_set_state (st->dec, GST_STATE_NULL);
  gst_pad_set_active (st->sink, FALSE);
  gst_object_unref (st->sink);
  gst_object_unref (st->enc);
  gst_object_unref (st->dec);
  gst_bus_set_flushing (st->bus, TRUE);
  gst_object_unref (st->bus);
}

/* Issue 11: pushes that block downstream (a sink that never prerolls, a
 * full queue) hold only their own connection. More stuck connections than
 * the pool has threads, then 100 ordinary pairs: these connect and carry
 * data, and each stuck one warns that its downstream holds the handshake
 * (after 2 s), then fails by its own handshake timeout. */
GST_START_TEST (test_stuck_downstream)
{
  const guint n_stuck = POOL_THREADS + 1;
  const guint n = RUNNING_ON_VALGRIND ? 20 : 100;
  /* the last stuck client waits up to a second for a pool thread (the
   * others hold them) before its push starts, and warns 2 s later */
  const guint timeout_ms = RUNNING_ON_VALGRIND ? 8000 : 4000;
  gint connections0 = g_atomic_int_get (&probe_live_connections);
  gint sessions0 = g_atomic_int_get (&probe_live_sessions);
  Stuck stuck[POOL_THREADS + 1];
  gint64 start, deadline;
  RunStats st;
  guint i;

  g_mutex_lock (&lock);
  stuck_release = FALSE;
  g_mutex_unlock (&lock);
  start = g_get_monotonic_time ();
  for (i = 0; i < n_stuck; i++)
    stuck_new (&stuck[i], i, timeout_ms);
  /* every stuck client is blocked in its first push */
  deadline = start + 10 * G_USEC_PER_SEC;
  g_mutex_lock (&lock);
  while (stuck_blocked < n_stuck)
    if (!g_cond_wait_until (&cond, &lock, deadline))
      break;
  fail_unless_equals_int (stuck_blocked, n_stuck);
  g_mutex_unlock (&lock);

  run_pairs (n, 1000, &st);
  GST_INFO ("%u pairs connected in %" G_GINT64_FORMAT " ms beside %u stuck "
      "connections", n, st.connect_us / 1000, n_stuck);

  deadline = start + (timeout_ms + 10000) * G_GINT64_CONSTANT (1000);
  for (i = 0; i < n_stuck; i++)
    stuck_check_failed (&stuck[i], deadline);
  /* no sooner than asked */
  fail_unless (g_get_monotonic_time () - start >= timeout_ms * 1000);

  g_mutex_lock (&lock);
  stuck_release = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (i = 0; i < n_stuck; i++)
    stuck_free (&stuck[i]);
  /* released, the stuck pushes return and their connections go: before
   * the next test counts the live ones */
  fail_unless (dtls_probe_wait_live (connections0, sessions0, 10000),
      "after releasing %u stuck connections, %d connection objects and %d "
      "GnuTLS sessions left (%d and %d before)", n_stuck,
      g_atomic_int_get (&probe_live_connections),
      g_atomic_int_get (&probe_live_sessions), connections0, sessions0);
}

GST_END_TEST;

/* A server that never heard from a client has a timer set for its
 * handshake deadline. The system clock keeps a cancelled timer until the
 * timers before it have fired (its thread waits on the earliest only): a
 * connection closed before its deadline must not live until another
 * connection's earlier deadline. */
static void
listen_server (GstElement ** el, const gchar * id, guint timeout_ms)
{
  el[0] = make (DEC_NAME, id, FALSE);
  el[1] = make (ENC_NAME, id, FALSE);
  g_object_set (el[1], "handshake-timeout", timeout_ms, NULL);
  fail_unless (gst_element_set_state (el[0], GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_set_state (el[1], GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
}

static void
close_server (GstElement ** el)
{
  gst_element_set_state (el[1], GST_STATE_NULL);
  gst_element_set_state (el[0], GST_STATE_NULL);
  gst_object_unref (el[1]);
  gst_object_unref (el[0]);
}

GST_START_TEST (test_closed_before_deadline)
{
  gint connections0 = g_atomic_int_get (&probe_live_connections);
  gint sessions0 = g_atomic_int_get (&probe_live_sessions);
  GstElement *early[2], *late[2];

  listen_server (early, "deadline-early", 30000);
  listen_server (late, "deadline-late", 60000);
  /* both listening, their deadline timers set */
  g_usleep (100 * 1000);
  fail_unless_equals_int (g_atomic_int_get (&probe_live_connections),
      connections0 + 2);
  close_server (late);
  fail_unless (dtls_probe_wait_live (connections0 + 1, sessions0, 3000),
      "3 s after closing, %d connection objects left (%d before)",
      g_atomic_int_get (&probe_live_connections), connections0 + 1);
  close_server (early);
  fail_unless (dtls_probe_wait_live (connections0, sessions0, 3000));
}

GST_END_TEST;

static Suite *
dtls_soak_suite (void)
{
  Suite *s = suite_create ("dtls_soak");
  TCase *tc = tcase_create ("general");

  dtls_test_use_our_names ();
  dtls_probe_init ();
  /* a GnuTLS call of our own keeps the program linked to GnuTLS, which
   * the wrappers in dtlsprobe.h forward to */
  if (!gnutls_check_version ("3.6.13"))
    g_error ("GnuTLS older than 3.6.13");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_soak);
  tcase_add_test (tc, test_simultaneous);
  tcase_add_test (tc, test_stuck_downstream);
  tcase_add_test (tc, test_closed_before_deadline);
  return s;
}

GST_CHECK_MAIN (dtls_soak);
