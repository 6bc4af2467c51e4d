/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* DTLS benchmark: our gnutlsdtlsenc/gnutlsdtlsdec against the reference
 * dtlsenc/dtlsdec of gst-plugins-bad (OpenSSL, RSA-2048), in one run:
 *
 *   - time to create the first element (and to have its certificate)
 *   - in-process handshake latency, p50 / p90
 *   - handshakes per second with 16 in flight
 *   - application data through encoder -> decoder, 1000-byte buffers
 *   - threads and RSS per connection with 1000 connections open, and what
 *     is left after tearing them all down
 *
 * Each encoder/decoder pair is linked directly (client encoder to server
 * decoder and back), so only the elements and the DTLS stacks are measured.
 * The floor, bare GnuTLS in memory in one thread (same certificates, same
 * cipher suite), is printed beside them.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <errno.h>
#include <gst/gst.h>
#include <gnutls/gnutls.h>
#include <gnutls/dtls.h>
#include <gnutls/x509.h>

#define OURS_ENC GST_GNUTLS_NAME_PREFIX "dtlsenc"
#define OURS_DEC GST_GNUTLS_NAME_PREFIX "dtlsdec"
#define STATE_FAILED 2
#define STATE_CONNECTED 4

typedef struct
{
  const gchar *label;
  const gchar *enc, *dec;
  const gchar *plugin;
} Impl;

typedef struct
{
  GstElement *cenc, *cdec, *senc, *sdec;
  gboolean client_done, server_done, failed;
  gint64 start, end;
} Pair;

static GMutex lock;
static GCond cond;
static guint pair_counter;
static gint64 completed;        /* pairs connected, protected by lock */

static guint opt_iterations = 200;
static guint opt_connections = 1000;
static guint opt_buffers = 200000;
static gdouble opt_rate_seconds = 3.0;
static gchar *opt_only = NULL;
static gchar *opt_app_data = NULL;

static void
on_state (GObject * el, GParamSpec * pspec, Pair * p)
{
  gint state;

  g_object_get (el, "connection-state", &state, NULL);
  if (state != STATE_CONNECTED && state != STATE_FAILED)
    return;
  g_mutex_lock (&lock);
  if (state == STATE_FAILED)
    p->failed = TRUE;
  else if (el == (GObject *) p->cenc)
    p->client_done = TRUE;
  else
    p->server_done = TRUE;
  if (p->client_done && p->server_done && !p->end) {
    p->end = g_get_monotonic_time ();
    completed++;
  }
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

static GstElement *
make (const gchar * factory, const gchar * id, Pair * p)
{
  GstElement *el = gst_element_factory_make (factory, NULL);

  if (!el) {
    g_printerr ("No %s element: install gstreamer1.0-plugins-bad for the "
        "reference, or build this project first\n", factory);
    exit (1);
  }
  gst_object_ref_sink (el);
  g_object_set (el, "connection-id", id, NULL);
  return el;
}

static Pair *
pair_new (const Impl * impl)
{
  Pair *p = g_new0 (Pair, 1);
  guint n = g_atomic_int_add (&pair_counter, 1);
  gchar *sid = g_strdup_printf ("bench-%s-%u-server", impl->label, n);
  gchar *cid = g_strdup_printf ("bench-%s-%u-client", impl->label, n);
  GstPad *a, *b;

  /* decoders first: the reference needs that */
  p->sdec = make (impl->dec, sid, p);
  p->senc = make (impl->enc, sid, p);
  p->cdec = make (impl->dec, cid, p);
  p->cenc = make (impl->enc, cid, p);
  g_object_set (p->cenc, "is-client", TRUE, NULL);
  g_signal_connect (p->cenc, "notify::connection-state",
      G_CALLBACK (on_state), p);
  g_signal_connect (p->senc, "notify::connection-state",
      G_CALLBACK (on_state), p);

  a = gst_element_get_static_pad (p->cenc, "src");
  b = gst_element_get_static_pad (p->sdec, "sink");
  gst_pad_link (a, b);
  gst_object_unref (a);
  gst_object_unref (b);
  a = gst_element_get_static_pad (p->senc, "src");
  b = gst_element_get_static_pad (p->cdec, "sink");
  gst_pad_link (a, b);
  gst_object_unref (a);
  gst_object_unref (b);
  g_free (sid);
  g_free (cid);
  return p;
}

static void
pair_start (Pair * p)
{
  p->start = g_get_monotonic_time ();
  gst_element_set_state (p->sdec, GST_STATE_PLAYING);
  gst_element_set_state (p->senc, GST_STATE_PLAYING);
  gst_element_set_state (p->cdec, GST_STATE_PLAYING);
  gst_element_set_state (p->cenc, GST_STATE_PLAYING);
}

static gboolean
pair_wait (Pair * p, gint64 timeout_us)
{
  gint64 end = g_get_monotonic_time () + timeout_us;
  gboolean ok;

  g_mutex_lock (&lock);
  while (!p->end && !p->failed)
    if (!g_cond_wait_until (&cond, &lock, end))
      break;
  ok = p->end != 0;
  g_mutex_unlock (&lock);
  return ok;
}

static void
pair_free (Pair * p)
{
  GstElement *els[4] = { p->cenc, p->senc, p->cdec, p->sdec };
  guint i;

  for (i = 0; i < 4; i++) {
    g_signal_handlers_disconnect_by_data (els[i], p);
    gst_element_set_state (els[i], GST_STATE_NULL);
  }
  for (i = 0; i < 4; i++)
    gst_object_unref (els[i]);
  g_free (p);
}


static gint
cmp_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* ---- bare GnuTLS, the floor ---- */

typedef struct
{
  GQueue in;                    /* GBytes datagrams for this side */
  gnutls_session_t session;
} BareSide;

static ssize_t
bare_push (gnutls_transport_ptr_t ptr, const void *data, size_t size)
{
  BareSide *to = ptr;

  g_queue_push_tail (&to->in, g_bytes_new (data, size));
  return size;
}

static ssize_t
bare_pull (gnutls_transport_ptr_t ptr, void *data, size_t size)
{
  BareSide *me = ptr;
  GBytes *b = g_queue_pop_head (&me->in);
  gsize n;
  const void *d;

  if (!b) {
    gnutls_transport_set_errno (me->session, EAGAIN);
    return -1;
  }
  d = g_bytes_get_data (b, &n);
  n = MIN (n, size);
  memcpy (data, d, n);
  g_bytes_unref (b);
  return n;
}

static int
bare_pull_timeout (gnutls_transport_ptr_t ptr, unsigned int ms)
{
  return ((BareSide *) ptr)->in.length ? 1 : 0;
}

static gnutls_certificate_credentials_t
bare_credentials (void)
{
  gnutls_certificate_credentials_t cred;
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  guint8 serial = 1;

  gnutls_x509_privkey_init (&key);
  gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0);
  gnutls_x509_crt_init (&crt);
  gnutls_x509_crt_set_version (crt, 3);
  gnutls_x509_crt_set_serial (crt, &serial, 1);
  gnutls_x509_crt_set_activation_time (crt, time (NULL) - 60);
  gnutls_x509_crt_set_expiration_time (crt, time (NULL) + 3600);
  gnutls_x509_crt_set_key (crt, key);
  gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0);
  gnutls_certificate_allocate_credentials (&cred);
  gnutls_certificate_set_x509_key (cred, &crt, 1, key);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
  return cred;
}

/* A mutual-auth DTLS 1.2 handshake in memory, between @c and @s */
static gboolean
bare_handshake (gnutls_certificate_credentials_t cred, BareSide * c,
    BareSide * s)
{
  BareSide *sides[2] = { c, s }, *peers[2] = { s, c };
  int rc = -1, rs = -1, i;

  for (i = 0; i < 2; i++) {
    g_queue_init (&sides[i]->in);
    gnutls_init (&sides[i]->session, (i ? GNUTLS_SERVER : GNUTLS_CLIENT |
            GNUTLS_FORCE_CLIENT_CERT) | GNUTLS_DATAGRAM | GNUTLS_NONBLOCK);
    gnutls_priority_set_direct (sides[i]->session, "NORMAL:-VERS-ALL:"
        "+VERS-DTLS1.2:-KX-ALL:+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-GCM", NULL);
    gnutls_credentials_set (sides[i]->session, GNUTLS_CRD_CERTIFICATE, cred);
    gnutls_srtp_set_profile_direct (sides[i]->session,
        "SRTP_AES128_CM_HMAC_SHA1_80", NULL);
    gnutls_transport_set_push_function (sides[i]->session, bare_push);
    gnutls_transport_set_pull_function (sides[i]->session, bare_pull);
    gnutls_transport_set_pull_timeout_function (sides[i]->session,
        bare_pull_timeout);
    gnutls_transport_set_ptr2 (sides[i]->session, sides[i], peers[i]);
    gnutls_dtls_set_mtu (sides[i]->session, 1200);
  }
  gnutls_certificate_server_set_request (s->session, GNUTLS_CERT_REQUIRE);
  while (rc != 0 || rs != 0) {
    if (rc)
      rc = gnutls_handshake (c->session);
    if (rs)
      rs = gnutls_handshake (s->session);
    if ((rc < 0 && gnutls_error_is_fatal (rc)) ||
        (rs < 0 && gnutls_error_is_fatal (rs)))
      return FALSE;
  }
  return TRUE;
}

static void
bare_clear (BareSide * side)
{
  g_queue_clear_full (&side->in, (GDestroyNotify) g_bytes_unref);
  gnutls_deinit (side->session);
}

static void
bare_gnutls (gdouble * handshake_ms, gdouble * mbps)
{
  gnutls_certificate_credentials_t cred = bare_credentials ();
  gint64 *samples = g_new (gint64, opt_iterations);
  guint8 data[1000], out[2048];
  BareSide c, s;
  gint64 start;
  guint i, n = 0;

  for (i = 0; i < opt_iterations; i++) {
    start = g_get_monotonic_time ();
    if (bare_handshake (cred, &c, &s))
      samples[n++] = g_get_monotonic_time () - start;
    bare_clear (&c);
    bare_clear (&s);
  }
  qsort (samples, n, sizeof (gint64), cmp_int64);
  *handshake_ms = n ? samples[n / 2] / 1000.0 : -1;
  g_free (samples);

  *mbps = -1;
  memset (data, 0x5a, sizeof (data));
  if (bare_handshake (cred, &c, &s)) {
    start = g_get_monotonic_time ();
    for (i = 0; i < opt_buffers; i++) {
      gnutls_record_send (c.session, data, sizeof (data));
      if (gnutls_record_recv (s.session, out, sizeof (out)) != sizeof (data))
        break;
    }
    *mbps = i * 1000.0 / (g_get_monotonic_time () - start);
  }
  bare_clear (&c);
  bare_clear (&s);
  gnutls_certificate_free_credentials (cred);
}

/* ---- figures ---- */

static gint64
proc_status (const gchar * field)
{
  gchar *status = NULL, *line;
  gint64 value = -1;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line)
    value = g_ascii_strtoll (line + strlen (field) + 1, NULL, 10);
  g_free (status);
  return value;
}

static gdouble
first_element_ms (const Impl * impl, gdouble * with_cert_ms)
{
  gint64 t0, t1, t2;
  GstElement *el;
  gchar *pem = NULL;

  t0 = g_get_monotonic_time ();
  el = gst_element_factory_make (impl->dec, NULL);
  g_object_set (el, "connection-id", "bench-first", NULL);
  t1 = g_get_monotonic_time ();
  g_object_get (el, "pem", &pem, NULL);
  t2 = g_get_monotonic_time ();
  g_free (pem);
  gst_object_unref (el);
  *with_cert_ms = (t2 - t0) / 1000.0;
  return (t1 - t0) / 1000.0;
}

static void
handshake_latency (const Impl * impl, gdouble * p50, gdouble * p90)
{
  gint64 *samples = g_new (gint64, opt_iterations);
  guint i, n = 0;

  for (i = 0; i < opt_iterations; i++) {
    Pair *p = pair_new (impl);

    pair_start (p);
    if (pair_wait (p, 10 * G_USEC_PER_SEC))
      samples[n++] = p->end - p->start;
    else
      g_printerr ("%s: handshake %u did not complete\n", impl->label, i);
    pair_free (p);
  }
  qsort (samples, n, sizeof (gint64), cmp_int64);
  *p50 = n ? samples[n / 2] / 1000.0 : -1;
  *p90 = n ? samples[n * 9 / 10] / 1000.0 : -1;
  g_free (samples);
}

static gdouble
handshake_rate (const Impl * impl, guint in_flight)
{
  Pair **pairs = g_new0 (Pair *, in_flight);
  gint64 start, end, done = 0;
  guint i;

  g_mutex_lock (&lock);
  completed = 0;
  g_mutex_unlock (&lock);
  for (i = 0; i < in_flight; i++) {
    pairs[i] = pair_new (impl);
    pair_start (pairs[i]);
  }
  start = g_get_monotonic_time ();
  end = start + opt_rate_seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end) {
    g_mutex_lock (&lock);
    g_cond_wait_until (&cond, &lock, g_get_monotonic_time () + 10000);
    g_mutex_unlock (&lock);
    for (i = 0; i < in_flight; i++) {
      gboolean finished;

      g_mutex_lock (&lock);
      finished = pairs[i]->end || pairs[i]->failed;
      g_mutex_unlock (&lock);
      if (finished) {
        if (pairs[i]->end)
          done++;
        pair_free (pairs[i]);
        pairs[i] = pair_new (impl);
        pair_start (pairs[i]);
      }
    }
  }
  end = g_get_monotonic_time ();
  for (i = 0; i < in_flight; i++)
    pair_free (pairs[i]);
  g_free (pairs);
  return done / ((end - start) / (gdouble) G_USEC_PER_SEC);
}

/* ---- application data ---- */

static gsize received_bytes;    /* atomic */
static gsize expected_bytes;

static void
count_bytes (guint64 size)
{
  /* wake the waiting thread only at the end: a futex call per buffer would
   * cost as much as what is measured */
  if ((gsize) g_atomic_pointer_add (&received_bytes, size) + size >=
      expected_bytes) {
    g_mutex_lock (&lock);
    g_cond_broadcast (&cond);
    g_mutex_unlock (&lock);
  }
}

static GstFlowReturn
count_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  count_bytes (gst_buffer_get_size (buf));
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static GstFlowReturn
count_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  guint i, n = gst_buffer_list_length (list);
  guint64 size = 0;

  for (i = 0; i < n; i++)
    size += gst_buffer_get_size (gst_buffer_list_get (list, i));
  count_bytes (size);
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}

/* With @with_queue, a queue between the client encoder and the server
 * decoder puts them in two threads, as in a real deployment where the
 * datagrams cross a network */
static gdouble
throughput (const Impl * impl, guint list_size, gboolean with_queue)
{
  Pair *p = pair_new (impl);
  GstElement *queue = NULL;
  GstPad *src = gst_pad_new ("benchsrc", GST_PAD_SRC);
  GstPad *sink = gst_pad_new ("benchsink", GST_PAD_SINK);
  GstPad *enc_sink = gst_element_request_pad_simple (p->cenc, "sink");
  GstPad *dec_src = gst_element_request_pad_simple (p->sdec, "src");
  GstBuffer *payload;
  GstSegment segment;
  GstCaps *caps;
  guint64 total = (guint64) opt_buffers * 1000;
  gint64 start, end;
  guint i;

  if (with_queue) {
    GstPad *a = gst_element_get_static_pad (p->cenc, "src");
    GstPad *b = gst_element_get_static_pad (p->sdec, "sink");
    GstPad *qs, *qd;

    queue = gst_element_factory_make ("queue", NULL);
    gst_object_ref_sink (queue);
    qs = gst_element_get_static_pad (queue, "sink");
    qd = gst_element_get_static_pad (queue, "src");
    gst_pad_unlink (a, b);
    gst_pad_link (a, qs);
    gst_pad_link (qd, b);
    gst_element_set_state (queue, GST_STATE_PLAYING);
    gst_object_unref (a);
    gst_object_unref (b);
    gst_object_unref (qs);
    gst_object_unref (qd);
  }
  gst_pad_set_chain_function (sink, count_chain);
  gst_pad_set_chain_list_function (sink, count_chain_list);
  gst_pad_link (src, enc_sink);
  gst_pad_link (dec_src, sink);
  gst_pad_set_active (src, TRUE);
  gst_pad_set_active (sink, TRUE);

  pair_start (p);
  if (!pair_wait (p, 10 * G_USEC_PER_SEC)) {
    g_printerr ("%s: no handshake for the throughput test\n", impl->label);
    return -1;
  }
  gst_pad_push_event (src, gst_event_new_stream_start ("bench"));
  caps = gst_caps_new_empty_simple ("application/octet-stream");
  gst_pad_push_event (src, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_BYTES);
  gst_pad_push_event (src, gst_event_new_segment (&segment));

  payload = gst_buffer_new_allocate (NULL, 1000, NULL);
  gst_buffer_memset (payload, 0, 0x5a, 1000);
  expected_bytes = total;
  g_atomic_pointer_set (&received_bytes, 0);

  start = g_get_monotonic_time ();
  for (i = 0; i < opt_buffers;) {
    if (list_size > 1) {
      GstBufferList *list = gst_buffer_list_new_sized (list_size);
      guint j;

      for (j = 0; j < list_size && i < opt_buffers; j++, i++)
        gst_buffer_list_add (list, gst_buffer_ref (payload));
      gst_pad_push_list (src, list);
    } else {
      gst_pad_push (src, gst_buffer_ref (payload));
      i++;
    }
  }
  g_mutex_lock (&lock);
  while (g_atomic_pointer_get (&received_bytes) < total)
    if (!g_cond_wait_until (&cond, &lock, g_get_monotonic_time () +
            5 * G_USEC_PER_SEC))
      break;
  end = g_get_monotonic_time ();
  g_mutex_unlock (&lock);
  if (g_atomic_pointer_get (&received_bytes) < total)
    g_printerr ("%s: only %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
        " bytes arrived\n", impl->label,
        (guint64) g_atomic_pointer_get (&received_bytes), total);
  total = g_atomic_pointer_get (&received_bytes);

  gst_buffer_unref (payload);
  gst_pad_set_active (src, FALSE);
  gst_pad_set_active (sink, FALSE);
  gst_pad_unlink (src, enc_sink);
  gst_pad_unlink (dec_src, sink);
  gst_element_release_request_pad (p->cenc, enc_sink);
  gst_element_release_request_pad (p->sdec, dec_src);
  gst_object_unref (enc_sink);
  gst_object_unref (dec_src);
  gst_object_unref (src);
  gst_object_unref (sink);
  pair_free (p);
  if (queue) {
    gst_element_set_state (queue, GST_STATE_NULL);
    gst_object_unref (queue);
  }
  return total / ((end - start) / (gdouble) G_USEC_PER_SEC) / 1e6;
}

typedef struct
{
  gdouble threads_per_conn, kib_per_conn, seconds;
  gint64 threads_open, threads_after, threads_before;
  gint64 rss_before, rss_open, rss_after;
  gint64 rss_after_again;       /* after a second open / teardown round */
  guint failed;
} Scale;

static void
scale (const Impl * impl, Scale * s)
{
  guint pairs_n = opt_connections / 2, i;
  Pair **pairs = g_new0 (Pair *, pairs_n);
  gint64 start;

  s->threads_before = proc_status ("Threads:");
  s->rss_before = proc_status ("VmRSS:");
  s->failed = 0;
  start = g_get_monotonic_time ();
  /* started in batches so the reference is not asked for hundreds of
   * handshakes at once */
  for (i = 0; i < pairs_n; i++) {
    pairs[i] = pair_new (impl);
    pair_start (pairs[i]);
    if (i % 16 == 15 || i == pairs_n - 1) {
      guint j;
      for (j = i - (i % 16); j <= i; j++)
        if (!pair_wait (pairs[j], 20 * G_USEC_PER_SEC))
          s->failed++;
    }
  }
  s->seconds = (g_get_monotonic_time () - start) / (gdouble) G_USEC_PER_SEC;
  s->threads_open = proc_status ("Threads:");
  s->rss_open = proc_status ("VmRSS:");
  for (i = 0; i < pairs_n; i++)
    pair_free (pairs[i]);
  g_free (pairs);
  g_usleep (G_USEC_PER_SEC / 2);
#ifdef __GLIBC__
  /* give freed memory back, so RSS shows what teardown left */
  malloc_trim (0);
#endif
  s->threads_after = proc_status ("Threads:");
  s->rss_after = proc_status ("VmRSS:");
  s->threads_per_conn = (s->threads_open - s->threads_before) /
      (gdouble) (pairs_n * 2);
  s->kib_per_conn = (s->rss_open - s->rss_before) / (gdouble) (pairs_n * 2);
}

static void
row (const gchar * what, gdouble ours, gdouble ref, const gchar * unit,
    const gchar * target)
{
  g_print ("%-44s %10.2f %10.2f %8.2fx  %s %s\n", what, ours, ref,
      ref > 0 && ours > 0 ? ours / ref : 0.0, unit, target);
}

int
main (int argc, char **argv)
{
  const Impl ours = { "ours", OURS_ENC, OURS_DEC, "gnutlsdtls" };
  const Impl ref = { "reference", "dtlsenc", "dtlsdec", "dtls" };
  GOptionEntry entries[] = {
    {"iterations", 'n', 0, G_OPTION_ARG_INT, &opt_iterations,
        "Handshakes for the latency figures (200)", "N"},
    {"connections", 'c', 0, G_OPTION_ARG_INT, &opt_connections,
        "Connections open at once for the scale figures (1000)", "N"},
    {"buffers", 'b', 0, G_OPTION_ARG_INT, &opt_buffers,
        "1000-byte buffers for the throughput figures (200000)", "N"},
    {"seconds", 's', 0, G_OPTION_ARG_DOUBLE, &opt_rate_seconds,
        "Duration of the handshake rate run (3)", "S"},
    {"only", 0, 0, G_OPTION_ARG_STRING, &opt_only,
          "Measure only \"ours\" or only the \"reference\" (for profiling)",
        "WHICH"},
    {"app-data", 0, 0, G_OPTION_ARG_STRING, &opt_app_data,
          "Measure only application data: \"single\" (1000-byte buffers on "
          "one thread), \"lists\", \"queue\" or \"all\" three",
        "CASE"},
    {NULL}
  };
  GOptionContext *ctx;
  GError *err = NULL;
  gdouble o1, o1c, r1, r1c, o50, o90, r50, r90, orate, rrate;
  gdouble otp, rtp, otpl, rtpl, otpq, rtpq, bare_hs, bare_tp;
  Scale os, rs;
  GstPlugin *plugin;
  gboolean run_ours, run_ref, run_setup, tp_single, tp_lists, tp_queue;

  ctx = g_option_context_new ("- DTLS elements benchmark");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  g_option_context_free (ctx);

#if GST_GNUTLS_STANDARD_NAMES
  g_print ("Built with -Dstandard-names=true: our elements and the "
      "reference's share their names and cannot be compared in one process. "
      "Build without it to run this benchmark.\n");
  return 0;
#endif

  /* load both plugins (and OpenSSL/GnuTLS) before timing anything */
  if (!(plugin = gst_plugin_load_by_name (ours.plugin))) {
    g_printerr ("Our gnutlsdtls plugin is not on GST_PLUGIN_PATH\n");
    return 1;
  }
  gst_object_unref (plugin);
  if (!(plugin = gst_plugin_load_by_name (ref.plugin))) {
    g_printerr ("The reference dtls plugin is missing: install "
        "gstreamer1.0-plugins-bad\n");
    return 1;
  }
  gst_object_unref (plugin);

  run_ours = !opt_only || g_str_equal (opt_only, "ours");
  run_ref = !opt_only || g_str_equal (opt_only, "reference");
  /* everything, or only the application data cases asked for */
  run_setup = !opt_app_data;
  tp_single = !opt_app_data || g_str_equal (opt_app_data, "single") ||
      g_str_equal (opt_app_data, "all");
  tp_lists = !opt_app_data || g_str_equal (opt_app_data, "lists") ||
      g_str_equal (opt_app_data, "all");
  tp_queue = !opt_app_data || g_str_equal (opt_app_data, "queue") ||
      g_str_equal (opt_app_data, "all");
  if (opt_app_data && !tp_single && !tp_lists && !tp_queue) {
    g_printerr ("--app-data takes single, lists, queue or all\n");
    return 1;
  }
  o1 = o1c = r1 = r1c = o50 = o90 = r50 = r90 = -1;
  orate = rrate = otp = rtp = otpl = rtpl = otpq = rtpq = -1;
  bare_hs = bare_tp = -1;
  memset (&os, 0, sizeof (os));
  memset (&rs, 0, sizeof (rs));

  /* the first elements first; the scale runs next, before the reference's
   * task threads of the other runs linger in the thread count */
  if (run_setup && run_ours)
    o1 = first_element_ms (&ours, &o1c);
  if (run_setup && run_ref)
    r1 = first_element_ms (&ref, &r1c);
  /* twice: memory the first teardown did not give back must be reused by
   * the second round, not grow */
  if (run_setup && run_ours) {
    Scale again;

    scale (&ours, &os);
    scale (&ours, &again);
    os.rss_after_again = again.rss_after;
  }
  if (run_setup && run_ref) {
    Scale again;

    scale (&ref, &rs);
    scale (&ref, &again);
    rs.rss_after_again = again.rss_after;
  }
  if (run_setup && run_ours)
    handshake_latency (&ours, &o50, &o90);
  if (run_setup && run_ref)
    handshake_latency (&ref, &r50, &r90);
  if (run_setup && run_ours)
    orate = handshake_rate (&ours, 16);
  if (run_setup && run_ref)
    rrate = handshake_rate (&ref, 16);
  if (run_ours)
    bare_gnutls (&bare_hs, &bare_tp);
  if (run_ours) {
    if (tp_single)
      otp = throughput (&ours, 1, FALSE);
    if (tp_lists)
      otpl = throughput (&ours, 64, FALSE);
    if (tp_queue)
      otpq = throughput (&ours, 1, TRUE);
  }
  if (run_ref) {
    if (tp_single)
      rtp = throughput (&ref, 1, FALSE);
    if (tp_lists)
      rtpl = throughput (&ref, 64, FALSE);
    if (tp_queue)
      rtpq = throughput (&ref, 1, TRUE);
  }

  g_print ("\nDTLS elements: ours (%s/%s, GnuTLS, ECDSA P-256) vs reference "
      "(dtlsenc/dtlsdec, OpenSSL, RSA-2048)\n", ours.enc, ours.dec);
  g_print ("%-44s %10s %10s %9s\n", "", "ours", "reference", "ours/ref");
  row ("first element created", o1, r1, "ms", "(target < 10 ms)");
  row ("first element + certificate", o1c, r1c, "ms", "");
  row ("handshake latency p50", o50, r50, "ms", "(target < 2.5 ms)");
  row ("handshake latency p90", o90, r90, "ms", "");
  g_print ("%-44s %10.2f %21s  ms (one thread, in memory)\n",
      "  bare GnuTLS handshake p50 (the floor)", bare_hs, "");
  row ("handshakes/s, 16 in flight", orate, rrate, "/s", "(target >= 500/s)");
  row ("app data, 1000-byte buffers", otp, rtp, "MB/s", "(target >= 300 MB/s)");
  row ("app data, lists of 64 x 1000 bytes", otpl, rtpl, "MB/s", "");
  row ("app data, 1000 bytes, queue enc -> dec", otpq, rtpq, "MB/s", "");
  g_print ("%-44s %10.2f %21s  MB/s (send + receive, one thread)\n",
      "  bare GnuTLS records (the ceiling)", bare_tp, "");
  if (run_setup) {
    g_print ("%u connections open (%u pairs; reference created 16 at a "
        "time):\n", opt_connections, opt_connections / 2);
    row ("  time to open them all", os.seconds, rs.seconds, "s", "");
    row ("  threads per connection", os.threads_per_conn, rs.threads_per_conn,
        "", "(target: bounded)");
    row ("  RSS per connection", os.kib_per_conn, rs.kib_per_conn, "KiB",
        "(target < 64 KiB)");
    g_print ("  threads before / open / after teardown: ours %" G_GINT64_FORMAT
        " / %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT ", reference %"
        G_GINT64_FORMAT " / %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT "\n",
        os.threads_before, os.threads_open, os.threads_after,
        rs.threads_before, rs.threads_open, rs.threads_after);
    g_print ("  RSS KiB before / open / after teardown / after a second "
        "round:\n    ours %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " / %"
        G_GINT64_FORMAT " / %" G_GINT64_FORMAT ", reference %" G_GINT64_FORMAT
        " / %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT
        "\n", os.rss_before, os.rss_open, os.rss_after, os.rss_after_again,
        rs.rss_before, rs.rss_open, rs.rss_after, rs.rss_after_again);
    if (os.failed || rs.failed)
      g_print ("  handshakes that failed: ours %u, reference %u\n", os.failed,
          rs.failed);
  }
  return 0;
}
