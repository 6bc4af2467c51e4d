/* GStreamer GnuTLS DTLS-SRTP suite: what the SRTP benchmarks share.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench-common.h"

#include <gst/rtp/rtp.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct
{
  guint64 packets;
  gdouble seconds;
} Tally;

gchar *bench_log_trouble;

gdouble
bench_cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static gdouble
process_cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

const gchar *
bench_cpu_model (void)
{
  static gchar model[128] = "unknown";
  gchar *contents = NULL, **lines, **l;

  if (g_file_get_contents ("/proc/cpuinfo", &contents, NULL, NULL)) {
    lines = g_strsplit (contents, "\n", -1);
    for (l = lines; *l; l++) {
      if (g_str_has_prefix (*l, "model name") && strchr (*l, ':')) {
        g_strlcpy (model, g_strstrip (strchr (*l, ':') + 1), sizeof (model));
        break;
      }
    }
    g_strfreev (lines);
    g_free (contents);
  }
  return model;
}

void
bench_generator_init (BenchGenerator * gen, guint payload_len)
{
  guint i;

  gen->packet_len = BENCH_RTP_HEADER_LEN + payload_len;
  gen->templ = g_malloc (gen->packet_len);
  gen->templ[0] = 0x80;         /* V=2, no padding/extension/CSRC */
  gen->templ[1] = 96;           /* dynamic payload type, no marker */
  GST_WRITE_UINT32_BE (gen->templ + 8, BENCH_SSRC);
  for (i = BENCH_RTP_HEADER_LEN; i < gen->packet_len; i++)
    gen->templ[i] = (guint8) (i * 7 + 1);
}

void
bench_generator_clear (BenchGenerator * gen)
{
  g_clear_pointer (&gen->templ, g_free);
}

gboolean
bench_generator_verify (const BenchGenerator * gen, const guint8 * data,
    gsize len, guint32 * n)
{
  guint8 *expected;
  gboolean ok;

  if (len != gen->packet_len)
    return FALSE;
  *n = GST_READ_UINT32_BE (data + BENCH_RTP_HEADER_LEN);
  expected = g_malloc (len);
  bench_generator_write (gen, expected, *n);
  ok = memcmp (data, expected, len) == 0;
  g_free (expected);
  return ok;
}

void
bench_checker_init (BenchChecker * c, const BenchGenerator * gen)
{
  memset (c, 0, sizeof (*c));
  c->gen = gen;
  c->scratch = g_malloc (gen->packet_len);
}

void
bench_checker_clear (BenchChecker * c)
{
  g_free (c->scratch);
  g_free (c->first_error);
}

void
bench_checker_fail (BenchChecker * c, const gchar * format, ...)
{
  va_list args;

  if (c->first_error)
    return;
  va_start (args, format);
  c->first_error = g_strdup_vprintf (format, args);
  va_end (args);
}

void
bench_path_init (BenchPath * p, const BenchGenerator * gen,
    const gchar * config, const gchar * label)
{
  memset (p, 0, sizeof (*p));
  p->gen = gen;
  p->config = config;
  p->label = label;
  bench_checker_init (&p->check, gen);
}

void
bench_path_clear (BenchPath * p)
{
  gst_clear_object (&p->src);
  gst_clear_object (&p->sink);
  if (p->pool) {
    gst_buffer_pool_set_active (p->pool, FALSE);
    gst_object_unref (p->pool);
  }
  if (p->tx)
    srtp_dealloc (p->tx);
  if (p->rx)
    srtp_dealloc (p->rx);
  g_free (p->work);
  g_free (p->failure);
  bench_checker_clear (&p->check);
  memset (p, 0, sizeof (*p));
}

/* The bare libsrtp2 loop */

static gboolean
bare_batch (BenchPath * p)
{
  guint i;

  for (i = 0; i < BENCH_BATCH; i++) {
    guint32 n = p->next++;
    srtp_err_status_t err;
    int len = p->gen->packet_len;

    bench_generator_write (p->gen, p->work, n);
    err = srtp_protect (p->tx, p->work, &len);
    if (err == srtp_err_status_ok)
      err = srtp_unprotect (p->rx, p->work, &len);
    if (G_UNLIKELY (err != srtp_err_status_ok)) {
      p->failure = g_strdup_printf ("libsrtp2 error %d on packet %u", err, n);
      return FALSE;
    }
    bench_checker_packet (&p->check,
        bench_checker_wants_data (&p->check) ? p->work : NULL, len);
  }
  return TRUE;
}

gboolean
bench_bare_setup (BenchPath * p, srtp_profile_t profile, const guint8 * key,
    gchar ** error)
{
  srtp_policy_t policy;
  srtp_err_status_t err;

  memset (&policy, 0, sizeof (policy));
  srtp_crypto_policy_set_from_profile_for_rtp (&policy.rtp, profile);
  srtp_crypto_policy_set_from_profile_for_rtcp (&policy.rtcp, profile);
  policy.key = (guint8 *) key;
  policy.window_size = 128;     /* the elements' default */

  policy.ssrc.type = ssrc_any_outbound;
  err = srtp_create (&p->tx, &policy);
  if (err == srtp_err_status_ok) {
    policy.ssrc.type = ssrc_any_inbound;
    err = srtp_create (&p->rx, &policy);
  }
  if (err != srtp_err_status_ok) {
    *error = g_strdup_printf ("srtp_create failed (%d)", err);
    return FALSE;
  }
  /* g_malloc memory is aligned enough for libsrtp2's word access. */
  p->work = g_malloc (p->gen->packet_len + BENCH_TRAILER_ROOM);
  p->batch = bare_batch;
  return TRUE;
}

/* Element paths, between two pads of ours */

static void
sink_check (BenchPath * p, GstBuffer * buf)
{
  GstMapInfo map;

  if (G_UNLIKELY (p->divert)) {
    p->divert (p, buf);
    return;
  }
  if (buf->pool == p->pool)
    p->check.in_place++;
  /* Map only what is checked: like the bare loop, which reads only those
   * packets, and as cheap as a sink that hands the memory on. */
  if (!bench_checker_wants_data (&p->check)) {
    bench_checker_packet (&p->check, NULL, gst_buffer_get_size (buf));
  } else if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    bench_checker_packet (&p->check, map.data, map.size);
    gst_buffer_unmap (buf, &map);
  } else {
    p->check.bad++;
    bench_checker_fail (&p->check, "could not map an output buffer");
  }
}

static GstFlowReturn
sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  sink_check (gst_pad_get_element_private (pad), buf);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static GstFlowReturn
sink_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  BenchPath *p = gst_pad_get_element_private (pad);
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n; i++)
    sink_check (p, gst_buffer_list_get (list, i));
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}

static gboolean
sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  gst_event_unref (event);
  return TRUE;
}

GstFlowReturn
bench_pads_packet (BenchPath * p, guint32 n, GstBuffer ** buf)
{
  GstFlowReturn ret;
  GstMapInfo map;

  *buf = NULL;
  if (p->exact) {
    *buf = gst_rtp_buffer_new_allocate (p->gen->packet_len -
        BENCH_RTP_HEADER_LEN, 0, 0);
    ret = GST_FLOW_OK;
  } else {
    ret = gst_buffer_pool_acquire_buffer (p->pool, buf, NULL);
  }
  if (ret != GST_FLOW_OK)
    return ret;
  gst_buffer_map (*buf, &map, GST_MAP_WRITE);
  bench_generator_write (p->gen, map.data, n);
  gst_buffer_unmap (*buf, &map);
  return GST_FLOW_OK;
}

static gboolean
pads_batch (BenchPath * p)
{
  GstBufferList *list = NULL;
  GstFlowReturn ret = GST_FLOW_OK;
  guint i;

  if (p->lists)
    list = gst_buffer_list_new_sized (BENCH_BATCH);

  for (i = 0; i < BENCH_BATCH && ret == GST_FLOW_OK; i++) {
    GstBuffer *buf;

    ret = bench_pads_packet (p, p->next++, &buf);
    if (ret != GST_FLOW_OK)
      break;

    /* Braces: gst_buffer_list_add() is a macro ending in a semicolon. */
    if (list) {
      gst_buffer_list_add (list, buf);
    } else {
      ret = gst_pad_push (p->src, buf);
    }
  }
  if (list && ret == GST_FLOW_OK)
    ret = gst_pad_push_list (p->src, list);
  else if (list)
    gst_buffer_list_unref (list);

  if (ret != GST_FLOW_OK) {
    gchar *bus = p->pop_errors ? p->pop_errors (p) : NULL;

    p->failure = g_strdup_printf ("push returned %s%s%s",
        gst_flow_get_name (ret), bus ? ": " : "", bus ? bus : "");
    g_free (bus);
    return FALSE;
  }
  return TRUE;
}

gboolean
bench_pads_new (BenchPath * p, gchar ** error)
{
  GstAllocationParams params;
  GstStructure *config;

  p->src = gst_pad_new ("bench-src", GST_PAD_SRC);
  p->sink = gst_pad_new ("bench-sink", GST_PAD_SINK);
  gst_pad_set_element_private (p->sink, p);
  gst_pad_set_chain_function (p->sink, sink_chain);
  gst_pad_set_chain_list_function (p->sink, sink_chain_list);
  gst_pad_set_event_function (p->sink, sink_event);
  p->batch = pads_batch;

  /* Pool buffers with the room and alignment the encoder needs to work in
   * place; the same input for every element path. */
  p->pool = gst_buffer_pool_new ();
  config = gst_buffer_pool_get_config (p->pool);
  gst_buffer_pool_config_set_params (config, NULL, p->gen->packet_len,
      2 * BENCH_BATCH, 0);
  gst_allocation_params_init (&params);
  params.align = 3;
  params.padding = BENCH_TRAILER_ROOM;
  gst_buffer_pool_config_set_allocator (config, NULL, &params);
  if (!gst_buffer_pool_set_config (p->pool, config) ||
      !gst_buffer_pool_set_active (p->pool, TRUE)) {
    *error = g_strdup ("cannot set up the buffer pool");
    return FALSE;
  }
  return TRUE;
}

gboolean
bench_pads_start (BenchPath * p, const gchar * stream_id)
{
  GstCaps *caps;
  GstSegment segment;
  gboolean ok;

  gst_pad_set_active (p->sink, TRUE);
  gst_pad_set_active (p->src, TRUE);

  caps = gst_caps_new_simple ("application/x-rtp",
      "media", G_TYPE_STRING, "video", "payload", G_TYPE_INT, 96,
      "clock-rate", G_TYPE_INT, 90000, "encoding-name", G_TYPE_STRING, "VP8",
      "ssrc", G_TYPE_UINT, BENCH_SSRC, NULL);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  ok = gst_pad_push_event (p->src, gst_event_new_stream_start (stream_id))
      && gst_pad_push_event (p->src, gst_event_new_caps (caps))
      && gst_pad_push_event (p->src, gst_event_new_segment (&segment));
  gst_caps_unref (caps);
  return ok;
}

gboolean
bench_floor_setup (BenchPath * p, gchar ** error)
{
  if (!bench_pads_new (p, error))
    return FALSE;
  if (gst_pad_link (p->src, p->sink) != GST_PAD_LINK_OK) {
    *error = g_strdup ("cannot link the pads");
    return FALSE;
  }
  if (!bench_pads_start (p, "floor")) {
    *error = g_strdup ("stream-start, caps or segment refused");
    return FALSE;
  }
  return TRUE;
}

void
bench_pads_stop (BenchPath * p)
{
  if (p->src) {
    gst_pad_set_active (p->src, FALSE);
    gst_pad_set_active (p->sink, FALSE);
  }
}

gchar *
bench_pop_bus_errors (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GString *s = NULL;
  GstMessage *msg;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    if (s == NULL)
      s = g_string_new (NULL);
    else
      g_string_append (s, "; ");
    g_string_append_printf (s, "%s: %s", GST_MESSAGE_SRC_NAME (msg),
        err->message);
    g_error_free (err);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return s ? g_string_free (s, FALSE) : NULL;
}

/* Measurement */

void
bench_log_handler (const gchar * domain, GLogLevelFlags level,
    const gchar * message, gpointer user_data)
{
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
              G_LOG_LEVEL_WARNING)) && bench_log_trouble == NULL)
    bench_log_trouble = g_strdup_printf ("%s: %s", domain ? domain : "GLib",
        message);
  /* The trial child keeps quiet; the parent still shows everything. */
  if (user_data == NULL)
    g_log_default_handler (domain, level, message, NULL);
}

static gboolean
path_check_log (BenchPath * p)
{
  if (bench_log_trouble == NULL)
    return TRUE;
  if (p->failure == NULL)
    p->failure = g_strdup_printf ("logged %s", bench_log_trouble);
  g_clear_pointer (&bench_log_trouble, g_free);
  return FALSE;
}

/* Runs @p for @seconds of CPU time and adds what it did to @tally (NULL
 * for a warm-up). FALSE when the path failed; p->failure says why. */
static gboolean
path_run (BenchPath * p, gdouble seconds, Tally * tally)
{
  guint32 first = p->next;
  guint64 received = p->check.received;
  gdouble start = bench_cpu_now (), now;
  guint64 sent = 0;
  gboolean ok;
  gchar *bus;

  g_clear_pointer (&bench_log_trouble, g_free);
  do {
    ok = p->batch (p) && p->check.first_error == NULL;
    sent += BENCH_BATCH;
    now = bench_cpu_now ();
  } while (ok && now - start < seconds);

  bus = p->pop_errors ? p->pop_errors (p) : NULL;
  if (bus && p->failure == NULL)
    p->failure = g_strdup_printf ("error message: %s", bus);
  g_free (bus);
  if (p->failure == NULL && (p->check.first_error ||
          p->check.received - received != sent))
    p->failure = g_strdup_printf ("%" G_GUINT64_FORMAT " of %"
        G_GUINT64_FORMAT " packets (numbers %u to %u) came out, %"
        G_GUINT64_FORMAT " wrong%s%s", p->check.received - received, sent,
        first, p->next - 1, p->check.bad, p->check.first_error ? ": " : "",
        p->check.first_error ? p->check.first_error : "");
  if (!path_check_log (p) || p->failure) {
    p->usable = FALSE;
    p->rate = 0;
    return FALSE;
  }
  if (tally) {
    tally->packets += sent;
    tally->seconds += now - start;
  }
  return TRUE;
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

/* Measures every usable path in @rounds x BENCH_SLICES short slices,
 * taken in turn with the other paths' slices, and rates it by the slice at
 * the BENCH_RATE_QUANTILE of its slices. The machine this was written on
 * shares its cores: the same loop runs at two speeds, switching several
 * times a second as other work comes and goes. Taking turns gives every
 * path slices at both speeds, and the high quantile rates each at the
 * unloaded speed without trusting a single lucky slice.
 *
 * Rates are per CPU-second of this thread: a path must do all its work
 * synchronously in the pushes. p->other_cpu tells if it did not. */
void
bench_measure (BenchPath ** paths, guint n_paths, guint rounds,
    gdouble seconds, gboolean verbose)
{
  guint n = rounds * BENCH_SLICES;
  gdouble slice = seconds / BENCH_SLICES;
  gdouble **rates = g_new0 (gdouble *, n_paths);
  gdouble *own = g_new0 (gdouble, n_paths);
  gdouble *process = g_new0 (gdouble, n_paths);
  guint i, s;

  for (i = 0; i < n_paths; i++) {
    rates[i] = g_new0 (gdouble, n);
    if (paths[i]->usable)
      path_run (paths[i], 0.1, NULL);
  }

  for (s = 0; s < n; s++) {
    for (i = 0; i < n_paths; i++) {
      Tally tally = { 0, 0 };
      gdouble start;

      /* An untimed batch refills the caches the last path used. */
      if (!paths[i]->usable || !path_run (paths[i], 0, NULL))
        continue;
      start = process_cpu_now ();
      if (path_run (paths[i], slice, &tally)) {
        rates[i][s] = tally.packets / tally.seconds;
        own[i] += tally.seconds;
        process[i] += process_cpu_now () - start;
      }
    }
  }

  for (i = 0; i < n_paths; i++) {
    BenchPath *p = paths[i];

    if (p->usable) {
      qsort (rates[i], n, sizeof (gdouble), compare_doubles);
      p->rate = rates[i][(guint) (BENCH_RATE_QUANTILE * (n - 1) + 0.5)];
      p->other_cpu = own[i] > 0 ? MAX (process[i] - own[i], 0) / own[i] : 0;
      if (verbose)
        fprintf (stderr, "  %s, %s: slices %.0f / %.0f / %.0f / %.0f "
            "packets/s (min, median, rated, max)\n", p->config, p->label,
            rates[i][0], rates[i][n / 2], p->rate, rates[i][n - 1]);
    }
    g_free (rates[i]);
  }
  g_free (rates);
  g_free (own);
  g_free (process);
}

gboolean
bench_trial_run (gboolean (*trial) (gpointer data, gchar ** msg),
    gpointer data, guint timeout, gchar ** why)
{
  GString *msg = g_string_new (NULL);
  gchar buf[256];
  ssize_t n;
  int fds[2], status = 0;
  pid_t pid;

  fflush (stdout);
  fflush (stderr);
  if (pipe (fds) != 0 || (pid = fork ()) < 0) {
    /* No isolation available: measure anyway. */
    g_string_free (msg, TRUE);
    return TRUE;
  }

  if (pid == 0) {
    gchar *m = NULL;
    gboolean ok;

    close (fds[0]);
    /* A hang is a failure too: SIGALRM ends the child and is reported. */
    alarm (timeout);
    g_log_set_default_handler (bench_log_handler, GINT_TO_POINTER (1));
    ok = trial (data, &m) && bench_log_trouble == NULL;
    if (!ok) {
      const gchar *first = m ? m : bench_log_trouble;
      gboolean also_logged = first != bench_log_trouble && bench_log_trouble;
      gchar *line = g_strdup_printf ("%s%s%s", first ? first : "failed",
          also_logged ? "; logged " : "", also_logged ? bench_log_trouble : "");

      if (write (fds[1], line, strlen (line)) < 0)
        ok = FALSE;
    }
    /* No clean-up, no atexit handlers: the parent owns all of that. */
    _exit (ok ? 0 : 1);
  }

  close (fds[1]);
  while ((n = read (fds[0], buf, sizeof (buf))) > 0)
    g_string_append_len (msg, buf, n);
  close (fds[0]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR);

  if (WIFEXITED (status) && WEXITSTATUS (status) == 0) {
    g_string_free (msg, TRUE);
    return TRUE;
  }
  if (WIFSIGNALED (status))
    *why = g_strdup_printf ("crashed (%s) in a trial run%s%s",
        g_strsignal (WTERMSIG (status)), msg->len ? ": " : "", msg->str);
  else
    *why = g_strdup_printf ("trial run: %s", msg->len ? msg->str : "failed");
  g_string_free (msg, TRUE);
  return FALSE;
}
