/* GStreamer GnuTLS DTLS-SRTP suite: whole-call benchmark of the bins.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A call in one process, with our gnutlsdtlssrtpenc/dec and with
 * gst-plugins-bad's dtlssrtpenc/dec, in the same run: side A (the DTLS
 * client) and side B (the server) are each an encoder bin and a decoder
 * bin sharing a connection-id, A's encoder linked straight to B's decoder
 * and B's encoder to A's decoder. It measures
 *   - how long the first decoder bin of the process takes to create (the
 *     reference generates its RSA key there) and to give its certificate,
 *   - the time from PLAYING to the first RTP packet that comes out of B's
 *     decoder decrypted, the handshake included,
 *   - packets per second through encoder bin -> decoder bin once keyed,
 *     single buffers and lists of 32, against a bare libsrtp2 protect +
 *     unprotect loop with the same profile and the "no SRTP" floor (the
 *     same packets pushed from our source pad straight into our checking
 *     sink pad); packets from a pool with room for the tag, and packets
 *     allocated exactly as RTP payloaders do (see bench-common.c for how
 *     rates are taken).
 * Both for AES_CM_128_HMAC_SHA1_80, which both suites negotiate, and for
 * AEAD_AES_128_GCM, which only ours negotiates, where GnuTLS (3.8.0 and
 * newer) allows it.
 * Every path first runs in a child process, so one that crashes or hangs
 * shows up as a failed row.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench-common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#ifndef GST_GNUTLS_NAME_PREFIX
#define GST_GNUTLS_NAME_PREFIX "gnutls"
#endif

#define PAYLOAD_LEN 1000
/* While waiting for the first decrypted packet, one RTP packet every
 * PUSH_INTERVAL_US after on-key-set; a call fails after CALL_TIMEOUT_US. */
#define PUSH_INTERVAL_US 500
#define CALL_TIMEOUT_US (3 * G_USEC_PER_SEC)
/* Batches of the trial run, and the seconds it may take. */
#define PROBE_BATCHES 8
#define PROBE_TIMEOUT 30

/* Target of issue 4 */
#define TARGET_LATENCY_MS 5.0

/* The profiles measured: the libsrtp2 profile of the bare loop, the tag
 * the profile adds (checked on the wire), and the share of the bare
 * loop's rate the bins should reach (issue 9) */
typedef struct
{
  const gchar *name;            /* crypto-suite name, as libsrtp2's */
  const gchar *dtls;            /* use_srtp name, for srtp-profiles */
  srtp_profile_t srtp;
  guint tag_len;
  gdouble target_single, target_lists;
  gboolean reference;           /* the reference negotiates it too */
  gboolean available;           /* this build negotiates it */
} BenchProfile;

static const BenchProfile bench_profiles[] = {
  {"AES_CM_128_HMAC_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_80",
      srtp_profile_aes128_cm_sha1_80, 10, 0.88, 0.96, TRUE, TRUE},
  {"AEAD_AES_128_GCM", "SRTP_AEAD_AES_128_GCM",
        srtp_profile_aead_aes_128_gcm, 16, 0.60, 0.85, FALSE,
      HAVE_SRTP_AEAD_OVER_DTLS},
};

/* One suite with one profile */
typedef struct
{
  const gchar *label;
  const BenchProfile *profile;
  gboolean ours;
  gchar *enc, *dec;             /* factory names */
  gboolean present;
  gchar *trial_failure[2];      /* single, lists; NULL: the trial ran */

  gdouble create_ms, pem_ms;    /* first decoder bin */
  /* per successful call, milliseconds from PLAYING */
  GArray *start_ms, *key_ms, *first_ms, *cpu_ms;
  GArray *pushed;               /* packets pushed until one came out */
  guint calls, failed;
  gchar *first_failure;
  gsize wire_len;               /* SRTP packet length, 0: not seen */
} Suite;

/* One call. The packets enter A's encoder from base.src and leave B's
 * decoder into base.sink. */
typedef struct
{
  BenchPath base;
  Suite *suite;
  GstElement *pipeline;
  GstElement *enc[2], *dec[2];  /* side A (client), side B (server) */
  GstPad *enc_sink;             /* A's rtp_sink_0 */
  gulong wire_probe;

  /* until the first decrypted packet; protected by lock, but for the
   * times the main thread alone writes */
  GMutex lock;
  GCond cond;
  gint64 t_start, t_started, t_key, t_first;    /* monotonic us */
  gboolean key_pushed;          /* on-key-set's own push is over */
  guint pushed;
  gchar *garbage;               /* what came out that should not have */
  gsize wire_len;
} Call;

/* One row of a rate table */
typedef enum
{
  ROW_BARE,                     /* libsrtp2 alone */
  ROW_FLOOR,                    /* no SRTP: our pads linked to each other */
  ROW_CALL                      /* encoder bin -> decoder bin */
} RowKind;

typedef struct
{
  RowKind kind;
  Suite *suite;                 /* ROW_CALL */
  gboolean lists, exact;
  gchar *label, *name;          /* shown; for --path */
  Call call;
} RateRow;

static gint opt_calls = 30;
static gdouble opt_seconds = 0.7;
static gint opt_rounds = 3;
static gchar **opt_paths;
static gchar *opt_suite;
static gchar *opt_profile;
static gboolean opt_verbose;
static gboolean opt_no_trial;
static gboolean opt_keep_session;

static guint call_serial;

static gdouble
process_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static gboolean
name_wanted (gchar ** list, const gchar * name)
{
  gchar **l;

  if (list == NULL)
    return TRUE;
  for (l = list; *l; l++)
    if (g_str_equal (*l, name))
      return TRUE;
  return FALSE;
}

/* The call */

static void
call_push_one (Call * c)
{
  GstBuffer *buf;
  guint32 n;

  g_mutex_lock (&c->lock);
  n = c->base.next++;
  c->pushed++;
  g_mutex_unlock (&c->lock);
  /* Refusals are expected before the keys are in place: the next packet
   * tries again. */
  if (bench_pads_packet (&c->base, n, &buf) == GST_FLOW_OK)
    gst_pad_push (c->base.src, buf);
}

/* As an application would: media goes in as soon as the encoder has its
 * key. The main thread keeps pushing only once this push is over, as it
 * may run deep in the handshake's recursion, holding stream locks of the
 * bins that the main thread's pushes take too. */
static void
on_key_set (GstElement * enc, Call * c)
{
  g_mutex_lock (&c->lock);
  if (c->t_key == 0)
    c->t_key = g_get_monotonic_time ();
  g_mutex_unlock (&c->lock);

  call_push_one (c);

  g_mutex_lock (&c->lock);
  c->key_pushed = TRUE;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

/* B's decoder output until the first decrypted packet: packets pushed
 * before the keys were in place may be missing, so this takes any intact
 * one, where the checker wants every packet in order. */
static void
call_divert (BenchPath * p, GstBuffer * buf)
{
  Call *c = (Call *) p;
  gint64 now = g_get_monotonic_time ();
  GstMapInfo map;
  gboolean ok = FALSE;
  guint32 n = 0;

  if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    ok = bench_generator_verify (p->gen, map.data, map.size, &n);
    gst_buffer_unmap (buf, &map);
  }
  g_mutex_lock (&c->lock);
  if (!ok && c->garbage == NULL)
    c->garbage = g_strdup_printf ("a %" G_GSIZE_FORMAT "-byte buffer that "
        "is none of the packets sent came out", gst_buffer_get_size (buf));
  else if (ok && c->t_first == 0)
    c->t_first = now;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

/* The size of the first SRTP packet leaving A's encoder: the profile's
 * tag shows there. */
static gboolean
wire_check (GstBuffer ** buf, guint i, gpointer user_data)
{
  Call *c = user_data;
  guint8 first;

  if (gst_buffer_extract (*buf, 0, &first, 1) == 1 && first >= 128 &&
      first <= 191) {
    g_mutex_lock (&c->lock);
    if (c->wire_len == 0)
      c->wire_len = gst_buffer_get_size (*buf);
    g_mutex_unlock (&c->lock);
  }
  return TRUE;
}

static GstPadProbeReturn
wire_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstBuffer *buf;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        wire_check, user_data);
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    buf = GST_PAD_PROBE_INFO_BUFFER (info);
    wire_check (&buf, 0, user_data);
  }
  return GST_PAD_PROBE_OK;
}

static gchar *
call_pop_errors (BenchPath * p)
{
  return bench_pop_bus_errors (((Call *) p)->pipeline);
}

static void
call_init (Call * c, Suite * s, const BenchGenerator * gen,
    const gchar * config, const gchar * label, gboolean lists)
{
  memset (c, 0, sizeof (*c));
  bench_path_init (&c->base, gen, config, label);
  c->base.lists = lists;
  c->suite = s;
  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
}

/* Builds both sides and brings them to READY with their certificates, A's
 * encoder held back (locked state) so that call_start() can start the
 * handshake once everything else is ready to take its records. */
static gboolean
call_setup (Call * c, gchar ** error)
{
  Suite *s = c->suite;
  GstPad *pad = NULL;
  guint serial = ++call_serial, side;
  gboolean ok = FALSE;

  c->pipeline = gst_pipeline_new (NULL);
  c->base.pop_errors = call_pop_errors;
  for (side = 0; side < 2; side++) {
    /* Fresh ids: connections of earlier calls may linger. */
    gchar *id = g_strdup_printf ("call-bench-%u%c", serial, "ab"[side]);

    c->dec[side] = gst_element_factory_make (s->dec, NULL);
    c->enc[side] = gst_element_factory_make (s->enc, NULL);
    if (c->enc[side] == NULL || c->dec[side] == NULL) {
      *error = g_strdup_printf ("cannot create %s/%s", s->enc, s->dec);
      gst_clear_object (&c->enc[side]);
      gst_clear_object (&c->dec[side]);
      g_free (id);
      return FALSE;
    }
    g_object_set (c->dec[side], "connection-id", id, NULL);
    g_object_set (c->enc[side], "connection-id", id, "is-client", side == 0,
        NULL);
    /* the reference offers CM_80 only; ours is told the profile */
    if (s->ours)
      g_object_set (c->enc[side], "srtp-profiles", s->profile->dtls, NULL);
    g_free (id);
    gst_bin_add_many (GST_BIN (c->pipeline), c->dec[side], c->enc[side], NULL);
  }
  if (!gst_element_link_pads (c->enc[0], "src", c->dec[1], "sink") ||
      !gst_element_link_pads (c->enc[1], "src", c->dec[0], "sink")) {
    *error = g_strdup ("cannot link the sides");
    return FALSE;
  }

  /* By name: the reference crashes when asked for "rtp_sink_%d". */
  c->enc_sink = gst_element_request_pad_simple (c->enc[0], "rtp_sink_0");
  pad = gst_element_get_static_pad (c->dec[1], "rtp_src");
  if (c->enc_sink == NULL || pad == NULL) {
    *error = g_strdup ("the bins do not have the expected pads");
    goto done;
  }
  if (!bench_pads_new (&c->base, error))
    goto done;
  if (gst_pad_link (c->base.src, c->enc_sink) != GST_PAD_LINK_OK ||
      gst_pad_link (pad, c->base.sink) != GST_PAD_LINK_OK) {
    *error = g_strdup ("cannot link the pads");
    goto done;
  }
  c->base.divert = call_divert;
  g_signal_connect (c->enc[0], "on-key-set", G_CALLBACK (on_key_set), c);
  {
    GstPad *src = gst_element_get_static_pad (c->enc[0], "src");

    c->wire_probe = gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_BUFFER_LIST, wire_probe, c, NULL);
    gst_object_unref (src);
  }

  gst_element_set_locked_state (c->enc[0], TRUE);
  if (gst_element_set_state (c->pipeline, GST_STATE_READY) ==
      GST_STATE_CHANGE_FAILURE ||
      gst_element_set_state (c->enc[0], GST_STATE_READY) ==
      GST_STATE_CHANGE_FAILURE) {
    gchar *bus = bench_pop_bus_errors (c->pipeline);

    *error = g_strdup_printf ("cannot set %s/%s to READY%s%s", s->enc,
        s->dec, bus ? ": " : "", bus ? bus : "");
    g_free (bus);
    goto done;
  }
  for (side = 0; side < 2; side++) {
    gchar *pem = NULL;

    /* Ours makes its certificate on first use: not in the timed part. */
    g_object_get (c->dec[side], "pem", &pem, NULL);
    g_free (pem);
  }
  /* Stored on our pad while the encoder is not running, sent ahead of the
   * first packet. */
  ok = bench_pads_start (&c->base, "call-bench");
  if (!ok)
    *error = g_strdup ("stream-start, caps or segment refused");

done:
  gst_clear_object (&pad);
  return ok;
}

/* PLAYING, then A's encoder starts the handshake, then RTP goes in from
 * on-key-set and every PUSH_INTERVAL_US until one packet comes out of B's
 * decoder. Times are taken from before the state change. */
static gboolean
call_start (Call * c, gdouble * cpu_ms, gchar ** error)
{
  gint64 deadline, next_push = 0;
  gdouble cpu_start;
  gboolean ok = TRUE;

  cpu_start = process_cpu_ms ();
  c->t_start = g_get_monotonic_time ();
  if (gst_element_set_state (c->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    *error = g_strdup ("cannot set the pipeline to PLAYING");
    return FALSE;
  }
  gst_element_set_locked_state (c->enc[0], FALSE);
  if (!gst_element_sync_state_with_parent (c->enc[0])) {
    *error = g_strdup ("cannot start side A's encoder");
    return FALSE;
  }
  c->t_started = g_get_monotonic_time ();

  deadline = c->t_start + CALL_TIMEOUT_US;
  g_mutex_lock (&c->lock);
  /* Until a packet came out and on-key-set's handler is over: its own push
   * may be the one that comes out, and the handler still uses @c after. */
  while ((c->t_first == 0 || !c->key_pushed) && c->garbage == NULL) {
    gint64 now = g_get_monotonic_time ();

    if (now >= deadline) {
      ok = FALSE;
      break;
    }
    if (c->key_pushed && now >= next_push) {
      g_mutex_unlock (&c->lock);
      call_push_one (c);
      g_mutex_lock (&c->lock);
      next_push = now + PUSH_INTERVAL_US;
      continue;
    }
    g_cond_wait_until (&c->cond, &c->lock, c->key_pushed ?
        MIN (next_push, deadline) : deadline);
  }
  g_mutex_unlock (&c->lock);
  *cpu_ms = process_cpu_ms () - cpu_start;

  if (c->garbage) {
    *error = g_strdup (c->garbage);
    return FALSE;
  }
  if (!ok) {
    gchar *bus = bench_pop_bus_errors (c->pipeline);

    *error = g_strdup_printf ("no decrypted packet %u s after PLAYING (%s, "
        "%u pushed)%s%s", (guint) (CALL_TIMEOUT_US / G_USEC_PER_SEC),
        c->t_key ? "keyed" : "on-key-set not emitted", c->pushed,
        bus ? ": " : "", bus ? bus : "");
    g_free (bus);
    return FALSE;
  }
  return TRUE;
}

/* From here on every packet must come out, in order: the checker's. */
static void
call_measure_from_here (Call * c)
{
  GstPad *src = gst_element_get_static_pad (c->enc[0], "src");

  gst_pad_remove_probe (src, c->wire_probe);
  gst_object_unref (src);
  c->wire_probe = 0;
  c->base.divert = NULL;
  c->base.check.expected = c->base.next;
}

static void
call_teardown (Call * c)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;

  /* on-key-set may come late (a failed call), from the connection's
   * thread: no more of it, and wait for one under way. */
  if (c->enc[0])
    g_signal_handlers_disconnect_by_data (c->enc[0], c);
  g_mutex_lock (&c->lock);
  while (c->t_key && !c->key_pushed && g_cond_wait_until (&c->cond, &c->lock,
          end));
  g_mutex_unlock (&c->lock);

  bench_pads_stop (&c->base);
  if (c->enc[0])
    gst_element_set_locked_state (c->enc[0], FALSE);
  if (c->pipeline) {
    gst_element_set_state (c->pipeline, GST_STATE_NULL);
    if (c->enc_sink) {
      gst_element_release_request_pad (c->enc[0], c->enc_sink);
      gst_object_unref (c->enc_sink);
    }
    gst_object_unref (c->pipeline);
  }
  bench_path_clear (&c->base);
  g_free (c->garbage);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
  memset (c, 0, sizeof (*c));
}

/* Trial runs */

typedef struct
{
  Suite *suite;
  const BenchGenerator *gen;
  gboolean lists;
} Trial;

/* A call, a few batches, its teardown, then a second call: what the
 * parent will do with this path. */
static gboolean
trial_run (gpointer data, gchar ** msg)
{
  Trial *t = data;
  gchar *err = NULL;
  gdouble cpu;
  gboolean ok;
  guint i, round;

  for (round = 0; round < 2; round++) {
    Call c;

    call_init (&c, t->suite, t->gen, t->suite->profile->name, "trial",
        t->lists);
    ok = call_setup (&c, &err) && call_start (&c, &cpu, &err);
    if (ok && round == 0) {
      call_measure_from_here (&c);
      for (i = 0; ok && i < PROBE_BATCHES; i++)
        ok = c.base.batch (&c.base) && c.base.check.first_error == NULL &&
            bench_log_trouble == NULL;
      if (!ok && err == NULL)
        err = g_strdup (c.base.failure ? c.base.failure :
            c.base.check.first_error);
    }
    call_teardown (&c);
    if (!ok) {
      *msg = err;
      return FALSE;
    }
  }
  return TRUE;
}

/* First elements */

static void
preload (const gchar * const *names)
{
  for (; *names; names++) {
    GstPluginFeature *f = gst_registry_lookup_feature (gst_registry_get (),
        *names);

    if (f) {
      GstPluginFeature *loaded = gst_plugin_feature_load (f);

      gst_clear_object (&loaded);
      gst_object_unref (f);
    }
  }
}

/* The first decoder bin of the process: the reference generates its RSA
 * key as it creates it, ours its certificate when its connection is first
 * asked for it. */
static void
time_first_element (Suite * s)
{
  GstElement *dec;
  gchar *pem = NULL;
  gint64 t0, t1, t2;

  t0 = g_get_monotonic_time ();
  dec = gst_element_factory_make (s->dec, NULL);
  t1 = g_get_monotonic_time ();
  if (dec) {
    g_object_set (dec, "connection-id", "call-bench-first", NULL);
    g_object_get (dec, "pem", &pem, NULL);
  }
  t2 = g_get_monotonic_time ();
  s->create_ms = (t1 - t0) / 1e3;
  s->pem_ms = (t2 - t1) / 1e3;
  g_free (pem);
  gst_clear_object (&dec);
}

/* Handshake latency */

static void
latency_call (Suite * s, const BenchGenerator * gen)
{
  Call c;
  gchar *err = NULL;
  gdouble cpu = 0;

  call_init (&c, s, gen, s->profile->name, "latency", FALSE);
  s->calls++;
  if (call_setup (&c, &err) && call_start (&c, &cpu, &err)) {
    gdouble start = (c.t_started - c.t_start) / 1e3;
    gdouble key = (c.t_key - c.t_start) / 1e3;
    gdouble first = (c.t_first - c.t_start) / 1e3;
    gdouble pushed = c.pushed;

    g_array_append_val (s->start_ms, start);
    g_array_append_val (s->key_ms, key);
    g_array_append_val (s->first_ms, first);
    g_array_append_val (s->cpu_ms, cpu);
    g_array_append_val (s->pushed, pushed);
    if (s->wire_len == 0)
      s->wire_len = c.wire_len;
  } else {
    s->failed++;
    if (s->first_failure == NULL)
      s->first_failure = err;
    else
      g_free (err);
  }
  call_teardown (&c);
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static gdouble
quantile (GArray * a, gdouble q)
{
  if (a->len == 0)
    return 0;
  g_array_sort (a, compare_doubles);
  return g_array_index (a, gdouble, (guint) (q * (a->len - 1) + 0.5));
}

/* A libsrtp2 session with the default (AES-CM, HMAC-SHA1) policy, or
 * NULL. */
static srtp_t
session_new (void)
{
  guint8 key[SRTP_AES_ICM_128_KEY_LEN_WSALT] = { 1, 2, 3 };
  srtp_policy_t policy;
  srtp_t s;

  memset (&policy, 0, sizeof (policy));
  srtp_crypto_policy_set_rtp_default (&policy.rtp);
  srtp_crypto_policy_set_rtcp_default (&policy.rtcp);
  policy.key = key;
  policy.ssrc.type = ssrc_any_outbound;
  policy.window_size = 128;
  return srtp_create (&s, &policy) == srtp_err_status_ok ? s : NULL;
}

/* The least CPU time srtp_create() takes, with or without another
 * session alive in the process. */
static gdouble
session_setup_ms (gboolean another_alive)
{
  srtp_t held = another_alive ? session_new () : NULL, s;
  gdouble best = G_MAXDOUBLE;
  guint i;

  for (i = 0; i < 5; i++) {
    gdouble t0 = bench_cpu_now ();

    if ((s = session_new ()) == NULL)
      break;
    best = MIN (best, bench_cpu_now () - t0);
    srtp_dealloc (s);
  }
  if (held)
    srtp_dealloc (held);
  return best < G_MAXDOUBLE ? best * 1e3 : 0;
}

static void
print_latency (Suite * suites, guint n_suites)
{
  Suite *o = NULL, *r = NULL;
  guint i;

  printf ("\nHandshake to first decrypted RTP packet, in ms from "
      "set_state (PLAYING);\n%d calls per suite and profile, taken in "
      "turn; certificates made before.\nstart = A's encoder PLAYING (the "
      "handshake begins), key = on-key-set on A,\nfirst = the packet out "
      "of B's decoder; CPU = CPU time of the whole process\nmeanwhile; "
      "pushed = packets pushed into A (from on-key-set, then every %.1f ms)."
      "\n", opt_calls, PUSH_INTERVAL_US / 1e3);
  printf ("%-10s %-23s %6s %6s %6s %6s %6s %6s %6s %6s %6s  %s\n", "suite",
      "profile", "start", "key", "first", "first", "first", "first", "CPU",
      "pushed", "failed", "target");
  printf ("%-10s %-23s %6s %6s %6s %6s %6s %6s %6s %6s\n", "", "", "p50",
      "p50", "min", "p50", "p90", "max", "p50", "p50");
  for (i = 0; i < n_suites; i++) {
    Suite *s = &suites[i];
    gchar failed[16];

    if (!s->present || s->calls == 0)
      continue;
    if (s->profile == &bench_profiles[0])
      *(s->ours ? &o : &r) = s;
    g_snprintf (failed, sizeof (failed), "%u/%u", s->failed, s->calls);
    if (s->first_ms->len == 0) {
      printf ("%-10s %-23s %6s %6s %6s %6s %6s %6s %6s %6s %6s  %s\n",
          s->label, s->profile->name, "-", "-", "-", "FAILED", "-", "-", "-",
          "-", failed, s->ours ? "<5 ms FAIL" : "");
      continue;
    }
    printf ("%-10s %-23s %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f %6.0f %6s"
        "  %s\n", s->label, s->profile->name, quantile (s->start_ms, 0.5),
        quantile (s->key_ms, 0.5), quantile (s->first_ms, 0),
        quantile (s->first_ms, 0.5), quantile (s->first_ms, 0.9),
        quantile (s->first_ms, 1.0), quantile (s->cpu_ms, 0.5),
        quantile (s->pushed, 0.5), failed, !s->ours ? "" :
        quantile (s->first_ms, 0.5) < TARGET_LATENCY_MS && s->failed == 0 ?
        "<5 ms PASS" : "<5 ms MISS");
  }
  if (o && o->first_ms->len && r && r->first_ms->len)
    printf ("ours/reference (%s), first p50: %.2fx\n", o->profile->name,
        quantile (o->first_ms, 0.5) / quantile (r->first_ms, 0.5));
  /* Unless told otherwise, both suites pay it at their first SRTP packet:
   * no call outlives the previous one here. */
  printf ("(srtp_create, libsrtp2's session setup, takes %.2f ms of CPU with "
      "no other\nsession in the process and %.2f ms with one: its crypto "
      "backend (NSS in\nDebian's build) starts up for the first session and "
      "shuts down with the\nlast. %s)\n", session_setup_ms (FALSE),
      session_setup_ms (TRUE), opt_keep_session ?
      "Here one was kept alive (--keep-srtp-session)." :
      "Here no call outlives the previous: each pays it.");
}

/* Packet rate */

static gdouble
row_target (const RateRow * row)
{
  const BenchProfile *bp = row->suite->profile;

  return row->lists ? bp->target_lists : bp->target_single;
}

static const gchar *
verdict (const RateRow * row, gdouble bare)
{
  const BenchPath *p = &row->call.base;

  if (row->kind != ROW_CALL || !row->suite->ours)
    return "";
  if (!p->usable)
    return "FAIL";
  if (bare <= 0)
    return "?";
  return p->rate >= row_target (row) * bare ? "PASS" : "MISS";
}

static void
print_rate_row (const RateRow * row, gdouble bare, gdouble floor_us)
{
  const BenchPath *p = &row->call.base;
  gchar in_place[16] = "-", rate[24], usecs[16] = "-", ratio[16] = "-";
  gchar over[16] = "-", target[16] = "";

  if (row->kind == ROW_CALL && !row->exact && p->check.received > 0 &&
      p->usable)
    g_snprintf (in_place, sizeof (in_place), "%.0f%%",
        100.0 * p->check.in_place / p->check.received);
  if (p->usable && p->rate > 0) {
    g_snprintf (rate, sizeof (rate), "%.0f", p->rate);
    g_snprintf (usecs, sizeof (usecs), "%.2f", 1e6 / p->rate);
    if (row->kind == ROW_CALL && floor_us > 0)
      g_snprintf (over, sizeof (over), "%+.2f", 1e6 / p->rate - floor_us);
  } else {
    g_snprintf (rate, sizeof (rate), p->failure ? "FAILED" : "skipped");
  }
  if (p->usable && bare > 0 && row->kind != ROW_FLOOR)
    g_snprintf (ratio, sizeof (ratio), "%.1f%%", 100.0 * p->rate / bare);
  else if (p->failure)
    g_snprintf (ratio, sizeof (ratio), "0%%");
  if (row->kind == ROW_CALL && row->suite->ours)
    g_snprintf (target, sizeof (target), ">=%.0f%%", 100 * row_target (row));
  printf ("%-24s %9s %6s %7s %7s %8s  %-5s %s\n", row->label, rate, usecs,
      ratio, over, in_place, target, verdict (row, bare));
}

/* gst-plugins-bad's, not ours under its standard name */
static gboolean
is_reference (const gchar * name)
{
  GstElementFactory *f = gst_element_factory_find (name);
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = g_strcmp0 (gst_plugin_feature_get_plugin_name (GST_PLUGIN_FEATURE
          (f)), "dtls") == 0;
  gst_object_unref (f);
  return ok;
}

static void
print_header (const gchar * ref_enc)
{
  GstElementFactory *f;
  gchar *gst_version = gst_version_string ();
  guint i;

  printf ("DTLS-SRTP call in one process: side A (client) and side B "
      "(server), each an\nencoder bin and a decoder bin with one "
      "connection-id; A's encoder linked to\nB's decoder and B's to A's. "
      "Ours = %sdtlssrtpenc/%sdtlssrtpdec,\nreference = "
      "dtlssrtpenc/dtlssrtpdec.\n", GST_GNUTLS_NAME_PREFIX,
      GST_GNUTLS_NAME_PREFIX);
  printf ("%s, %s, CPU %s\n", srtp_get_version_string (), gst_version,
      bench_cpu_model ());
  g_free (gst_version);
  printf ("profiles:");
  for (i = 0; i < G_N_ELEMENTS (bench_profiles); i++)
    printf (" %s (%s)", bench_profiles[i].name, bench_profiles[i].available ?
        (bench_profiles[i].reference ? "ours and the reference" : "ours") :
        "not negotiated over DTLS by this build: it needs GnuTLS >= 3.8.0");
  printf ("\n");
  f = ref_enc ? gst_element_factory_find (ref_enc) : NULL;
  if (f) {
    GstPlugin *plugin = gst_plugin_feature_get_plugin (GST_PLUGIN_FEATURE (f));

    printf ("reference: dtlssrtpenc/dtlssrtpdec from %s %s (%s)\n",
        gst_plugin_get_package (plugin), gst_plugin_get_version (plugin),
        gst_plugin_get_filename (plugin));
    gst_object_unref (plugin);
    gst_object_unref (f);
  } else if (strlen (GST_GNUTLS_NAME_PREFIX) == 0) {
    printf ("reference: not measured: this build registers our elements as "
        "dtlssrtpenc/dtlssrtpdec\n(standard-names=true), which hides "
        "gst-plugins-bad's.\n");
  } else {
    printf ("reference: gst-plugins-bad's dtlssrtpenc/dtlssrtpdec not "
        "found; install them with\n  apt-get install "
        "gstreamer1.0-plugins-bad\nMeasuring ours only.\n");
  }
  fflush (stdout);
}

static void
add_row (GPtrArray * rows, RowKind kind, Suite * s, gboolean lists,
    gboolean exact)
{
  RateRow *row = g_new0 (RateRow, 1);

  row->kind = kind;
  row->suite = s;
  row->lists = lists;
  row->exact = exact;
  if (kind == ROW_BARE) {
    row->label = g_strdup ("bare libsrtp2");
    row->name = g_strdup ("bare");
  } else {
    const gchar *who = kind == ROW_FLOOR ? "no SRTP" : s->label;
    const gchar *how = lists ? " list32" : kind == ROW_FLOOR ? "" : " single";

    row->label = g_strdup_printf ("%s%s%s", who, how, exact ? " exact" : "");
    row->name = g_strdup_printf ("%s%s%s", kind == ROW_FLOOR ? "floor" :
        s->ours ? "ours" : "ref", lists ? "-list32" : kind == ROW_FLOOR ? "" :
        "-single", exact ? "-exact" : "");
  }
  g_ptr_array_add (rows, row);
}

static void
row_free (RateRow * row)
{
  call_teardown (&row->call);
  g_free (row->label);
  g_free (row->name);
  g_free (row);
}

/* The rate table of one profile; FALSE if one of our rows failed, and
 * *all_pass FALSE if one of ours missed its target */
static gboolean
measure_rates (const BenchProfile * bp, Suite * suites, guint n_suites,
    const BenchGenerator * gen, GString * notes, gboolean * all_pass)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  BenchPath **measured;
  guint8 key[SRTP_MAX_KEY_LEN];
  GString *wire = g_string_new (NULL);
  gdouble bare, floor_us[2][2] = { {0, 0}, {0, 0} };
  gdouble single_over = 0, lists_over = 0;
  gboolean ours_ok = TRUE;
  guint i, exact;

  add_row (rows, ROW_BARE, NULL, FALSE, FALSE);
  for (exact = 0; exact < 2; exact++) {
    add_row (rows, ROW_FLOOR, NULL, FALSE, exact);
    add_row (rows, ROW_FLOOR, NULL, TRUE, exact);
    for (i = 0; i < n_suites; i++) {
      if (suites[i].profile != bp || !suites[i].present)
        continue;
      add_row (rows, ROW_CALL, &suites[i], FALSE, exact);
      add_row (rows, ROW_CALL, &suites[i], TRUE, exact);
    }
  }

  /* Any key does for the bare loop: the cost does not depend on it. */
  for (i = 0; i < sizeof (key); i++)
    key[i] = (guint8) (0x11 * (i + 1));
  measured = g_new0 (BenchPath *, rows->len);
  for (i = 0; i < rows->len; i++) {
    RateRow *row = g_ptr_array_index (rows, i);
    Call *c = &row->call;
    Suite *s = row->suite;
    gchar *e = NULL;
    gdouble cpu;

    call_init (c, s, gen, bp->name, row->label, row->lists);
    c->base.exact = row->exact;
    measured[i] = &c->base;
    if (!name_wanted (opt_paths, row->name))
      continue;
    if (row->kind == ROW_BARE) {
      c->base.usable = bench_bare_setup (&c->base, bp->srtp, key, &e);
    } else if (row->kind == ROW_FLOOR) {
      c->base.usable = bench_floor_setup (&c->base, &e);
    } else if (s->trial_failure[row->lists]) {
      e = g_strdup (s->trial_failure[row->lists]);
    } else if (call_setup (c, &e) && call_start (c, &cpu, &e)) {
      g_mutex_lock (&c->lock);
      if (s->wire_len == 0)
        s->wire_len = c->wire_len;
      g_mutex_unlock (&c->lock);
      call_measure_from_here (c);
      c->base.usable = TRUE;
    }
    if (!c->base.usable)
      c->base.failure = e;
  }

  printf ("\n%s: SRTP through encoder bin -> decoder bin once keyed, on one "
      "thread,\npackets per CPU-second: %.0fth percentile of %d slices of "
      "%.0f ms per path, the paths'\nslices taken in turn; RTP 12 + %u "
      "bytes, one SSRC, %s as negotiated by DTLS",
      bp->name, BENCH_RATE_QUANTILE * 100, opt_rounds * BENCH_SLICES,
      opt_seconds / BENCH_SLICES * 1000, PAYLOAD_LEN, bp->name);
  /* The tag on the wire tells the profile. */
  for (i = 0; i < n_suites; i++) {
    Suite *s = &suites[i];

    if (s->profile == bp && s->wire_len)
      g_string_append_printf (wire, "%s %s %" G_GSIZE_FORMAT "%s",
          wire->len ? "," : "", s->label, s->wire_len,
          s->wire_len == gen->packet_len + bp->tag_len ? "" : " (NOT THE "
          "PROFILE'S TAG)");
  }
  if (wire->len)
    printf ("\n(%u-byte RTP packets left A's encoder as:%s bytes)",
        gen->packet_len, wire->str);
  printf (".\nsingle = one gst_pad_push per packet, list32 = "
      "gst_pad_push_list of 32; packets from\na pool with room and "
      "alignment for in-place SRTP, or \"exact\": allocated as RTP\n"
      "payloaders do (gst_rtp_buffer_new_allocate, no room after the "
      "packet).\nno SRTP = the same packets from our source pad straight "
      "into our checking sink\npad (the floor); over floor = us/pkt above "
      "the floor of the same packets;\nin-place = packets that left B's "
      "decoder in the input pool buffer.\n\n");
  printf ("%-24s %9s %6s %7s %7s %8s  %s\n", "path", "packets/s", "us/pkt",
      "vs bare", "over", "in-place", "target");
  printf ("%-24s %9s %6s %7s %7s\n", "", "", "", "", "floor");
  fflush (stdout);

  bench_measure (measured, rows->len, opt_rounds, opt_seconds, opt_verbose);

  bare = measured[0]->usable ? measured[0]->rate : 0;
  for (i = 0; i < rows->len; i++) {
    RateRow *row = g_ptr_array_index (rows, i);

    if (row->kind == ROW_FLOOR && row->call.base.usable &&
        row->call.base.rate > 0)
      floor_us[row->exact][row->lists] = 1e6 / row->call.base.rate;
  }
  for (i = 0; i < rows->len; i++) {
    RateRow *row = g_ptr_array_index (rows, i);
    BenchPath *p = &row->call.base;
    gboolean ours = row->kind == ROW_CALL && row->suite->ours;

    if (!name_wanted (opt_paths, row->name))
      continue;
    print_rate_row (row, bare, floor_us[row->exact][row->lists]);
    if (p->failure)
      g_string_append_printf (notes, "%s, %s: %s\n", bp->name, row->label,
          p->failure);
    else if (p->usable && bare > 0 && p->rate > bare && row->kind == ROW_CALL)
      g_string_append_printf (notes, "%s, %s: rated above the bare loop, "
          "which does less: the machine was too\nbusy for stable rates, run "
          "again\n", bp->name, row->label);
    else if (p->usable && p->other_cpu > 0.05)
      g_string_append_printf (notes, "%s, %s: other threads used %.0f%% as "
          "much CPU as the pushing one: the rate is not all of the cost\n",
          bp->name, row->label, 100 * p->other_cpu);
    if (ours && !p->usable)
      ours_ok = FALSE;
    if (ours && g_strcmp0 (verdict (row, bare), "PASS"))
      *all_pass = FALSE;
    if (ours && !row->exact && p->usable && bare > 0) {
      gdouble over = 1e6 / p->rate - 1e6 / bare;

      *(row->lists ? &lists_over : &single_over) = over;
    }
  }
  if (bare > 0 && (single_over != 0 || lists_over != 0))
    printf ("bare libsrtp2: %.2f us per packet (protect + unprotect, packet "
        "made and checked);\nour bins add %.2f us single, %.2f us in lists "
        "(pool packets)\n", 1e6 / bare, single_over, lists_over);
  /* What the targets leave for everything GStreamer does with a packet,
   * beside what any path pays without SRTP (the floor rows) */
  if (bare > 0 && floor_us[0][0] > 0 && floor_us[0][1] > 0 &&
      floor_us[1][0] > 0 && floor_us[1][1] > 0)
    printf ("the targets allow %.2f us per packet over bare single, %.2f "
        "in lists;\nthe floor is %.2f single, %.2f in lists (pool), %.2f and "
        "%.2f (exact)\n", (1 / bp->target_single - 1) * 1e6 / bare,
        (1 / bp->target_lists - 1) * 1e6 / bare, floor_us[0][0],
        floor_us[0][1], floor_us[1][0], floor_us[1][1]);

  g_free (measured);
  g_ptr_array_unref (rows);
  g_string_free (wire, TRUE);
  return ours_ok;
}

static void
suite_init (Suite * s, const gchar * label, const BenchProfile * bp,
    gboolean ours, const gchar * enc, const gchar * dec)
{
  GstElementFactory *f;

  memset (s, 0, sizeof (*s));
  s->label = label;
  s->profile = bp;
  s->ours = ours;
  s->enc = g_strdup (enc);
  s->dec = g_strdup (dec);
  f = gst_element_factory_find (dec);
  s->present = f != NULL && (opt_suite == NULL ||
      g_str_equal (opt_suite, label)) && (opt_profile == NULL ||
      g_str_equal (opt_profile, bp->name));
  gst_clear_object (&f);
  s->start_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  s->key_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  s->first_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  s->cpu_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  s->pushed = g_array_new (FALSE, FALSE, sizeof (gdouble));
}

static void
suite_clear (Suite * s)
{
  g_free (s->enc);
  g_free (s->dec);
  g_free (s->trial_failure[0]);
  g_free (s->trial_failure[1]);
  g_free (s->first_failure);
  g_array_unref (s->start_ms);
  g_array_unref (s->key_ms);
  g_array_unref (s->first_ms);
  g_array_unref (s->cpu_ms);
  g_array_unref (s->pushed);
}

int
main (int argc, char **argv)
{
  static const GOptionEntry entries[] = {
    {"calls", 'c', 0, G_OPTION_ARG_INT, &opt_calls,
          "Calls per suite and profile for the handshake latency (default 30)",
        "N"},
    {"seconds", 't', 0, G_OPTION_ARG_DOUBLE, &opt_seconds,
        "CPU seconds per rate path and round (default 0.7)", "S"},
    {"rounds", 'r', 0, G_OPTION_ARG_INT, &opt_rounds,
        "Rounds of 32 slices per rate path (default 3)", "N"},
    {"path", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &opt_paths,
        "Only this rate path (repeatable): bare, floor, floor-list32, "
          "ours-single, ours-list32, ref-single, ref-list32, and each but "
          "bare with -exact (floor-exact, ours-single-exact...)", "PATH"},
    {"suite", 's', 0, G_OPTION_ARG_STRING, &opt_suite,
        "Only this suite: ours or reference", "SUITE"},
    {"profile", 'P', 0, G_OPTION_ARG_STRING, &opt_profile,
          "Only this profile: AES_CM_128_HMAC_SHA1_80 or AEAD_AES_128_GCM",
        "PROFILE"},
    {"keep-srtp-session", 'k', 0, G_OPTION_ARG_NONE, &opt_keep_session,
        "Keep a libsrtp2 session alive while the calls start, as a process "
          "with other calls running would", NULL},
    {"no-trial", 0, 0, G_OPTION_ARG_NONE, &opt_no_trial,
        "No trial runs in a child process first (for gdb or valgrind); a "
          "suite that crashes then ends the run", NULL},
    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
        "Print each rate path's slice rates (min, median, rated, max) to "
          "stderr", NULL},
    {NULL}
  };
  static const gchar *const ours_features[] = {
    GST_GNUTLS_NAME_PREFIX "dtlssrtpenc", GST_GNUTLS_NAME_PREFIX
        "dtlssrtpdec", GST_GNUTLS_NAME_PREFIX "srtpenc",
    GST_GNUTLS_NAME_PREFIX "srtpdec", GST_GNUTLS_NAME_PREFIX "dtlsenc",
    GST_GNUTLS_NAME_PREFIX "dtlsdec", GST_GNUTLS_NAME_PREFIX "dtlssrtpdemux",
    "funnel", NULL
  };
  static const gchar *const ref_features[] = {
    "dtlssrtpenc", "dtlssrtpdec", "srtpenc", "srtpdec", "dtlsenc", "dtlsdec",
    "dtlssrtpdemux", "funnel", NULL
  };
  Suite suites[2 * G_N_ELEMENTS (bench_profiles)];
  guint n_suites = 0;
  BenchGenerator gen;
  GOptionContext *ctx;
  GError *error = NULL;
  GString *notes = g_string_new (NULL);
  gint64 wall_start = g_get_monotonic_time ();
  gboolean ours_ok = TRUE, all_pass = TRUE, have_ref, any_ours = FALSE;
  srtp_err_status_t err;
  srtp_t kept = NULL;
  guint i, run;

  ctx = g_option_context_new ("- a DTLS-SRTP call through "
      GST_GNUTLS_NAME_PREFIX "dtlssrtpenc/dec and gst-plugins-bad's "
      "dtlssrtpenc/dec: handshake latency and SRTP packet rate");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    fprintf (stderr, "%s\n", error->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (opt_suite && !g_str_equal (opt_suite, "ours") &&
      !g_str_equal (opt_suite, "reference")) {
    fprintf (stderr, "--suite takes ours or reference\n");
    return 2;
  }
  opt_calls = CLAMP (opt_calls, 1, 10000);
  opt_rounds = CLAMP (opt_rounds, 1, 100);
  opt_seconds = CLAMP (opt_seconds, 0.01, 60);
  g_log_set_default_handler (bench_log_handler, NULL);

  /* For the bare loop; a second call (the plugins') answers bad_param. */
  err = srtp_init ();
  if (err != srtp_err_status_ok && err != srtp_err_status_bad_param) {
    fprintf (stderr, "srtp_init failed\n");
    return 1;
  }

  /* ours with each profile this build negotiates, the reference with the
   * one it knows */
  have_ref = strlen (GST_GNUTLS_NAME_PREFIX) > 0 &&
      is_reference ("dtlssrtpenc") && is_reference ("dtlssrtpdec");
  for (i = 0; i < G_N_ELEMENTS (bench_profiles); i++) {
    const BenchProfile *bp = &bench_profiles[i];

    if (!bp->available)
      continue;
    suite_init (&suites[n_suites++], "ours", bp, TRUE,
        GST_GNUTLS_NAME_PREFIX "dtlssrtpenc",
        GST_GNUTLS_NAME_PREFIX "dtlssrtpdec");
    any_ours |= suites[n_suites - 1].present;
    if (bp->reference && have_ref)
      suite_init (&suites[n_suites++], "reference", bp, FALSE,
          "dtlssrtpenc", "dtlssrtpdec");
  }
  if (!any_ours && opt_suite == NULL) {
    fprintf (stderr, "Element %sdtlssrtpdec not found (or --profile names "
        "no profile this build negotiates). Run from the build tree with\n"
        "  meson devenv -C build ./bench/call-bench\n", GST_GNUTLS_NAME_PREFIX);
    return 1;
  }

  print_header (have_ref ? "dtlssrtpenc" : NULL);
  bench_generator_init (&gen, PAYLOAD_LEN);

  /* Trial runs first, in children forked before this process has run any
   * call, or even loaded the plugins: a child inherits no threads, and
   * GLib's thread pools would wait for the parent's forever (with
   * Debian 13's GLib as soon as a pool exists: its threads come from a
   * spawner thread that the first shared pool starts). */
  for (i = 0; i < n_suites && !opt_no_trial; i++) {
    Suite *s = &suites[i];
    guint lists;

    for (lists = 0; lists < 2 && s->present; lists++) {
      Trial t = { s, &gen, lists };
      gchar *why = NULL;

      if (!bench_trial_run (trial_run, &t, PROBE_TIMEOUT, &why))
        s->trial_failure[lists] = why;
    }
  }

  /* Loading the plugins is not what is measured. */
  preload (ours_features);
  if (have_ref)
    preload (ref_features);

  /* The first element of each suite, ours first (it is cheap). */
  printf ("\nFirst decoder bin of the process (plugins loaded before), and "
      "reading its\ncertificate (pem):\n");
  for (i = 0; i < n_suites; i++) {
    Suite *s = &suites[i];

    if (!s->present || s->profile != &bench_profiles[0])
      continue;
    time_first_element (s);
    printf ("%-10s %-20s create %7.2f ms, pem %7.2f ms\n", s->label, s->dec,
        s->create_ms, s->pem_ms);
  }
  fflush (stdout);

  /* Handshake latency, the suites' calls in turn so that all see the
   * machine's fast and slow moments. */
  if (opt_keep_session)
    kept = session_new ();
  g_clear_pointer (&bench_log_trouble, g_free);
  for (run = 0; run < (guint) opt_calls; run++) {
    for (i = 0; i < n_suites; i++) {
      Suite *s = &suites[i];

      if (s->present && s->trial_failure[0] == NULL)
        latency_call (s, &gen);
    }
  }
  if (kept)
    srtp_dealloc (kept);
  print_latency (suites, n_suites);
  for (i = 0; i < n_suites; i++) {
    Suite *s = &suites[i];

    if (s->trial_failure[0])
      g_string_append_printf (notes, "%s %s calls: %s\n", s->label,
          s->profile->name, s->trial_failure[0]);
    else if (s->first_failure)
      g_string_append_printf (notes, "%s %s calls: %u of %u failed, first: "
          "%s\n", s->label, s->profile->name, s->failed, s->calls,
          s->first_failure);
    if (s->ours && s->present && (s->failed || s->trial_failure[0] ||
            s->first_ms->len == 0))
      ours_ok = FALSE;
    else if (s->ours && s->present &&
        quantile (s->first_ms, 0.5) >= TARGET_LATENCY_MS)
      all_pass = FALSE;
  }
  /* Not tied to a suite: it may come from a thread still busy with a call
   * already torn down. */
  if (bench_log_trouble)
    g_string_append_printf (notes, "logged during the calls: %s\n",
        bench_log_trouble);
  fflush (stdout);

  /* Packet rate, one table per profile */
  for (i = 0; i < G_N_ELEMENTS (bench_profiles); i++) {
    const BenchProfile *bp = &bench_profiles[i];
    guint j;
    gboolean any = FALSE;

    for (j = 0; j < n_suites; j++)
      any |= suites[j].profile == bp && suites[j].present;
    if (any && !measure_rates (bp, suites, n_suites, &gen, notes, &all_pass))
      ours_ok = FALSE;
  }

  if (notes->len)
    printf ("\nNotes and failures:\n%s", notes->str);
  printf ("\nOurs: %s; targets (first packet p50 < 5 ms; of bare libsrtp2, "
      "CM_80 >= 88%% single,\n>= 96%% lists, GCM >= 60%% single, >= 85%% "
      "lists, pool and exact packets): %s.\nTotal %.1f s.\n", ours_ok ?
      "every call and every packet right" : "FAILED (see above)",
      all_pass ? "all PASS" : "some MISS",
      (g_get_monotonic_time () - wall_start) / 1e6);

  for (i = 0; i < n_suites; i++)
    suite_clear (&suites[i]);
  bench_generator_clear (&gen);
  g_string_free (notes, TRUE);
  return ours_ok ? 0 : 1;
}
