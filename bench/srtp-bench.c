/* GStreamer GnuTLS DTLS-SRTP suite: SRTP throughput benchmark.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pushes the same generated RTP packets through
 *   (a) a bare libsrtp2 protect + unprotect loop, what the elements are
 *       measured against,
 *   (b) gnutlssrtpenc ! gnutlssrtpdec, single buffers and lists of 32,
 *   (c) gst-plugins-bad's srtpenc ! srtpdec, the same way,
 * and prints packets per second and the ratios between them; also the
 * source and sink of this program linked directly ("no SRTP"), to tell
 * what the elements cost from what any GStreamer pipeline costs.
 *
 * Everything runs synchronously on the main thread (the elements are
 * driven with gst_pad_push from pads this program owns), so the CPU time
 * of that thread is the whole cost of a packet and rates are packets per
 * CPU-second of it. See bench_measure() for how the noise of a shared
 * machine is kept out. Each element path first runs in a child process,
 * so an element that crashes shows up as a failed row.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench-common.h"

#include <stdio.h>
#include <string.h>

#ifndef GST_GNUTLS_NAME_PREFIX
#define GST_GNUTLS_NAME_PREFIX "gnutls"
#endif

/* Batches pushed in the trial run (enough to go round the pool twice),
 * and the seconds it may take. */
#define PROBE_BATCHES 8
#define PROBE_TIMEOUT 20

/* Targets of issue 2, as fractions of the bare libsrtp2 rate. */
#define TARGET_SINGLE 0.90
#define TARGET_LIST 0.95

typedef struct
{
  const gchar *name;            /* as in RFC 5764 / RFC 7714 */
  srtp_profile_t profile;       /* for the bare loop */
  const gchar *cipher;          /* element property nicks */
  const gchar *auth;
  guint key_len;                /* master key + salt */
} Profile;

static const Profile profiles[] = {
  {"AES_CM_128_HMAC_SHA1_80", srtp_profile_aes128_cm_sha1_80,
      "aes-128-icm", "hmac-sha1-80", SRTP_AES_ICM_128_KEY_LEN_WSALT},
  /* GCM carries its own tag: no separate auth (the reference insists). */
  {"AEAD_AES_128_GCM", srtp_profile_aead_aes_128_gcm,
      "aes-128-gcm", "null", SRTP_AES_GCM_128_KEY_LEN_WSALT},
};

static const guint payload_sizes[] = { 1000, 160 };

typedef enum
{
  PATH_BARE,
  PATH_OURS_SINGLE,
  PATH_OURS_LIST,
  PATH_REF_SINGLE,
  PATH_REF_LIST,
  PATH_FLOOR_SINGLE,            /* our source and sink, nothing between */
  PATH_FLOOR_LIST,
  N_PATHS
} PathId;

static const gchar *path_labels[N_PATHS] = {
  "bare libsrtp2", "ours single", "ours list32", "reference single",
  "reference list32", "no SRTP single", "no SRTP list32"
};

typedef struct
{
  BenchPath base;               /* generator, checker, pads, rate */
  PathId id;
  const Profile *profile;

  /* elements */
  GstElement *pipeline, *enc, *dec;
  GstPad *enc_sink;             /* request pad */
} Path;

static gdouble opt_seconds = 0.7;
static gint opt_rounds = 3;
static gchar *opt_only;
static gchar **opt_paths;
static gboolean opt_verbose;
static gboolean opt_no_trial;

static gboolean
set_enum (GstElement * element, const gchar * prop, const gchar * nick)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS
      (element), prop);
  GEnumValue *v;

  if (pspec == NULL || !G_IS_PARAM_SPEC_ENUM (pspec))
    return FALSE;
  v = g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (pspec)->enum_class, nick);
  if (v == NULL)
    return FALSE;
  g_object_set (element, prop, v->value, NULL);
  return TRUE;
}

static gchar *
path_pop_errors (BenchPath * base)
{
  return bench_pop_bus_errors (((Path *) base)->pipeline);
}

/* Puts @enc_name ! @dec_name between two pads of ours, or nothing at all
 * when @enc_name is NULL: the floor, what the source, the pool and the
 * sink cost by themselves. */
static gboolean
elements_setup (Path * p, const gchar * enc_name, const gchar * dec_name,
    GstBuffer * key, gchar ** error)
{
  BenchPath *b = &p->base;
  GstPad *enc_src = NULL, *dec_sink = NULL, *dec_src = NULL;
  gboolean ok = FALSE;

  p->pipeline = gst_pipeline_new (NULL);
  b->pop_errors = path_pop_errors;
  if (!bench_pads_new (b, error))
    return FALSE;

  if (enc_name == NULL) {
    if (gst_pad_link (b->src, b->sink) != GST_PAD_LINK_OK) {
      *error = g_strdup ("cannot link the pads");
      return FALSE;
    }
  } else {
    p->enc = gst_element_factory_make (enc_name, NULL);
    p->dec = gst_element_factory_make (dec_name, NULL);
    if (p->enc == NULL || p->dec == NULL) {
      *error = g_strdup_printf ("cannot create %s/%s", enc_name, dec_name);
      gst_clear_object (&p->enc);
      gst_clear_object (&p->dec);
      return FALSE;
    }
    gst_bin_add_many (GST_BIN (p->pipeline), p->enc, p->dec, NULL);

    g_object_set (p->enc, "key", key, NULL);
    if (!set_enum (p->enc, "rtp-cipher", p->profile->cipher) ||
        !set_enum (p->enc, "rtcp-cipher", p->profile->cipher) ||
        !set_enum (p->enc, "rtp-auth", p->profile->auth) ||
        !set_enum (p->enc, "rtcp-auth", p->profile->auth)) {
      *error = g_strdup_printf ("%s does not support %s", enc_name,
          p->profile->name);
      return FALSE;
    }

    p->enc_sink = gst_element_request_pad_simple (p->enc, "rtp_sink_%u");
    enc_src = p->enc_sink ? gst_element_get_static_pad (p->enc,
        "rtp_src_0") : NULL;
    dec_sink = gst_element_get_static_pad (p->dec, "rtp_sink");
    dec_src = gst_element_get_static_pad (p->dec, "rtp_src");
    if (!enc_src || !dec_sink || !dec_src) {
      *error = g_strdup ("the elements do not have the expected pads");
      goto done;
    }
    if (gst_pad_link (b->src, p->enc_sink) != GST_PAD_LINK_OK ||
        gst_pad_link (enc_src, dec_sink) != GST_PAD_LINK_OK ||
        gst_pad_link (dec_src, b->sink) != GST_PAD_LINK_OK) {
      *error = g_strdup ("cannot link the pads");
      goto done;
    }
  }

  if (gst_element_set_state (p->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    gchar *bus = bench_pop_bus_errors (p->pipeline);

    *error = g_strdup_printf ("cannot start %s ! %s%s%s", enc_name, dec_name,
        bus ? ": " : "", bus ? bus : "");
    g_free (bus);
    goto done;
  }
  ok = bench_pads_start (b, "srtp-bench");
  if (!ok) {
    gchar *bus = bench_pop_bus_errors (p->pipeline);

    *error = g_strdup_printf ("%s ! %s refused stream-start, caps or "
        "segment%s%s", enc_name, dec_name, bus ? ": " : "", bus ? bus : "");
    g_free (bus);
  }

done:
  gst_clear_object (&enc_src);
  gst_clear_object (&dec_sink);
  gst_clear_object (&dec_src);
  return ok;
}

static void
path_teardown (Path * p)
{
  bench_pads_stop (&p->base);
  if (p->pipeline) {
    gst_element_set_state (p->pipeline, GST_STATE_NULL);
    if (p->enc_sink) {
      gst_element_release_request_pad (p->enc, p->enc_sink);
      gst_object_unref (p->enc_sink);
    }
    gst_object_unref (p->pipeline);
  }
  bench_path_clear (&p->base);
  memset (p, 0, sizeof (*p));
}

typedef struct
{
  Path *path;
  const gchar *enc_name, *dec_name;
  GstBuffer *key;
} Trial;

static gboolean
trial_run (gpointer data, gchar ** msg)
{
  Trial *t = data;
  Path *p = t->path;
  gchar *err = NULL;
  gboolean ok;
  guint i;

  ok = elements_setup (p, t->enc_name, t->dec_name, t->key, &err);
  for (i = 0; ok && i < PROBE_BATCHES; i++)
    ok = p->base.batch (&p->base) && p->base.check.first_error == NULL &&
        bench_log_trouble == NULL;
  if (!ok)
    *msg = g_strdup (err ? err : p->base.failure ? p->base.failure :
        p->base.check.first_error);
  return ok;
}

/* Pushes a few batches through @p in a child process before the real
 * thing. The reference pair corrupts memory with buffer lists (srtpdec
 * pushes buffers it no longer owns), and whatever a path does, a crash
 * must show up as a failed row, not end the benchmark. */
static gboolean
path_probe (Path * p, const gchar * enc_name, const gchar * dec_name,
    GstBuffer * key, gchar ** why)
{
  Trial t = { p, enc_name, dec_name, key };

  return bench_trial_run (trial_run, &t, PROBE_TIMEOUT, why);
}

/* The reference must be gst-plugins-bad's, not ours under its standard
 * name (-Dstandard-names=true). */
static GstElementFactory *
find_reference (const gchar * name)
{
  GstElementFactory *f = gst_element_factory_find (name);
  GstPlugin *plugin;

  if (f == NULL)
    return NULL;
  plugin = gst_plugin_feature_get_plugin (GST_PLUGIN_FEATURE (f));
  if (plugin == NULL || g_strcmp0 (gst_plugin_get_name (plugin), "srtp")) {
    gst_clear_object (&plugin);
    gst_object_unref (f);
    return NULL;
  }
  gst_object_unref (plugin);
  return f;
}

static gboolean
is_ours (PathId id)
{
  return id == PATH_OURS_SINGLE || id == PATH_OURS_LIST;
}

static gboolean
is_reference (PathId id)
{
  return id == PATH_REF_SINGLE || id == PATH_REF_LIST;
}

static gboolean
is_floor (PathId id)
{
  return id == PATH_FLOOR_SINGLE || id == PATH_FLOOR_LIST;
}

/* PASS/MISS against the target, "" for paths without one. */
static const gchar *
verdict (const Path * p, gdouble bare)
{
  if (!is_ours (p->id))
    return "";
  if (!p->base.usable)
    return "FAIL";
  if (bare <= 0)
    return "?";
  return p->base.rate >= (p->id == PATH_OURS_LIST ? TARGET_LIST : TARGET_SINGLE)
      * bare ? "PASS" : "MISS";
}

static void
print_row (const Profile * prof, guint payload, const Path * p, gdouble bare)
{
  gchar in_place[16] = "-";
  gchar rate[24], usecs[16] = "-";
  gchar ratio[16] = "-";

  if (p->id != PATH_BARE && p->base.check.received > 0 && p->base.usable)
    g_snprintf (in_place, sizeof (in_place), "%.0f%%",
        100.0 * p->base.check.in_place / p->base.check.received);
  if (p->base.usable && p->base.rate > 0) {
    g_snprintf (rate, sizeof (rate), "%.0f", p->base.rate);
    g_snprintf (usecs, sizeof (usecs), "%.2f", 1e6 / p->base.rate);
  } else {
    g_snprintf (rate, sizeof (rate), p->base.failure ? "FAILED" : "skipped");
  }
  if (p->base.usable && bare > 0 && !is_floor (p->id))
    g_snprintf (ratio, sizeof (ratio), "%.1f%%", 100.0 * p->base.rate / bare);
  else if (p->base.failure)
    g_snprintf (ratio, sizeof (ratio), "0%%");

  printf ("%-23s %5u  %-16s %9s %6s %7s %8s  %-5s %s\n", prof->name, payload,
      path_labels[p->id], rate, usecs, ratio, in_place,
      !is_ours (p->id) ? "" : p->id == PATH_OURS_LIST ? ">=95%" : ">=90%",
      verdict (p, bare));
}

/* Ours against the reference, and where ours spends its time beyond the
 * bare loop: the floor is what the source, pool and sink of this program
 * cost with no SRTP element at all, the rest is the elements'. */
static void
print_summary (const Path * paths, const gdouble * floor_rate,
    gboolean have_ref)
{
  const Path *bare = &paths[PATH_BARE];
  gboolean any = FALSE;
  gchar text[2][48];
  guint i;

  for (i = 0; i < 2; i++) {
    const Path *o = &paths[PATH_OURS_SINGLE + i];
    const Path *r = &paths[PATH_REF_SINGLE + i];

    if (o->base.usable && r->base.usable && r->base.rate > 0)
      g_snprintf (text[i], sizeof (text[i]), "%.2fx",
          o->base.rate / r->base.rate);
    else if (o->base.usable && r->base.failure)
      g_snprintf (text[i], sizeof (text[i]), "reference failed");
    else
      g_snprintf (text[i], sizeof (text[i]), "n/a");
    any |= r->base.usable || r->base.failure;
  }
  if (have_ref && any)
    printf ("%-23s %5s  ours/reference: single %s, list32 %s\n", "", "",
        text[0], text[1]);

  any = FALSE;
  for (i = 0; i < 2; i++) {
    const Path *o = &paths[PATH_OURS_SINGLE + i];
    gdouble extra;

    g_snprintf (text[i], sizeof (text[i]), "n/a");
    if (!bare->base.usable || !o->base.usable || bare->base.rate <= 0
        || o->base.rate <= 0)
      continue;
    extra = 1e6 / o->base.rate - 1e6 / bare->base.rate;
    if (floor_rate[i] > 0)
      g_snprintf (text[i], sizeof (text[i]), "%+.2f = %.2f + %.2f", extra,
          1e6 / floor_rate[i], extra - 1e6 / floor_rate[i]);
    else
      g_snprintf (text[i], sizeof (text[i]), "%+.2f", extra);
    any = TRUE;
  }
  if (any)
    printf ("%-23s %5s  us/pkt over bare%s: single %s, list32 %s\n", "", "",
        floor_rate[0] > 0 || floor_rate[1] > 0 ?
        " (= no SRTP + elements)" : "", text[0], text[1]);
}

static gboolean
path_wanted (PathId id)
{
  static const gchar *names[N_PATHS] = {
    "bare", "ours-single", "ours-list32", "ref-single", "ref-list32",
    "floor-single", "floor-list32"
  };
  gchar **l;

  if (opt_paths == NULL)
    return TRUE;
  for (l = opt_paths; *l; l++)
    if (g_str_equal (*l, names[id]))
      return TRUE;
  return FALSE;
}

typedef struct
{
  const gchar *ours_enc, *ours_dec;
  GstElementFactory *ref_enc, *ref_dec; /* NULL: not measured */
  guint8 key[SRTP_MAX_KEY_LEN];
  gboolean ours_ok;             /* every packet right */
  gboolean all_pass;            /* every target met */
  GString *notes;
  /* per payload size, single and list32; measured with the first profile,
   * as nothing in it depends on the profile */
  gdouble floor_rate[G_N_ELEMENTS (payload_sizes)][2];
} Bench;

/* Sets up, measures and prints one profile and payload size. */
static void
bench_config (Bench * b, const Profile * prof, guint size_index)
{
  guint payload = payload_sizes[size_index];
  gboolean want_floor = prof == &profiles[0];
  Path paths[N_PATHS];
  BenchPath *measured[N_PATHS];
  BenchGenerator gen;
  GstBuffer *key;
  gchar *config;
  gdouble bare;
  guint i;

  bench_generator_init (&gen, payload);
  config = g_strdup_printf ("%s %u", prof->name, payload);
  key = gst_buffer_new_memdup (b->key, prof->key_len);
  memset (paths, 0, sizeof (paths));

  for (i = 0; i < N_PATHS; i++) {
    Path *p = &paths[i];
    const gchar *enc = is_ours (i) ? b->ours_enc : b->ref_enc ?
        GST_OBJECT_NAME (b->ref_enc) : NULL;
    const gchar *dec = is_ours (i) ? b->ours_dec : b->ref_dec ?
        GST_OBJECT_NAME (b->ref_dec) : NULL;
    gchar *err = NULL;

    bench_path_init (&p->base, &gen, config, path_labels[i]);
    measured[i] = &p->base;
    p->id = i;
    p->profile = prof;
    p->base.lists = i == PATH_OURS_LIST || i == PATH_REF_LIST ||
        i == PATH_FLOOR_LIST;
    if (!path_wanted (i) || (is_reference (i) && b->ref_enc == NULL) ||
        (is_floor (i) && !want_floor))
      continue;
    if (i == PATH_BARE)
      p->base.usable = bench_bare_setup (&p->base, prof->profile, b->key, &err);
    else if (is_floor (i))
      p->base.usable = elements_setup (p, NULL, NULL, key, &err);
    else
      p->base.usable = (opt_no_trial || path_probe (p, enc, dec, key, &err)) &&
          elements_setup (p, enc, dec, key, &err);
    if (!p->base.usable)
      p->base.failure = err;
  }

  bench_measure (measured, N_PATHS, opt_rounds, opt_seconds, opt_verbose);
  if (want_floor) {
    b->floor_rate[size_index][0] = paths[PATH_FLOOR_SINGLE].base.rate;
    b->floor_rate[size_index][1] = paths[PATH_FLOOR_LIST].base.rate;
  }

  bare = paths[PATH_BARE].base.usable ? paths[PATH_BARE].base.rate : 0;
  for (i = 0; i < N_PATHS; i++) {
    Path *p = &paths[i];

    if (!path_wanted (i) || (is_reference (i) && b->ref_enc == NULL) ||
        (is_floor (i) && !want_floor))
      continue;
    print_row (prof, payload, p, bare);
    if (p->base.failure)
      g_string_append_printf (b->notes, "%s %u bytes, %s: %s\n",
          prof->name, payload, path_labels[i], p->base.failure);
    if (is_ours (i) && !p->base.usable)
      b->ours_ok = FALSE;
    if (is_ours (i) && g_strcmp0 (verdict (p, bare), "PASS"))
      b->all_pass = FALSE;
  }
  print_summary (paths, b->floor_rate[size_index], b->ref_enc != NULL);
  printf ("\n");
  fflush (stdout);

  for (i = 0; i < N_PATHS; i++)
    path_teardown (&paths[i]);
  gst_buffer_unref (key);
  bench_generator_clear (&gen);
  g_free (config);
}

static void
print_header (Bench * b)
{
  gchar *gst_version;

  printf ("SRTP round trip (protect + unprotect) on one thread, packets per "
      "CPU-second:\n%.0fth percentile of %d slices of %.0f ms per path, the "
      "paths' slices taken in turn;\nRTP with a 12-byte header, one SSRC, "
      "the same key everywhere.\n", BENCH_RATE_QUANTILE * 100,
      opt_rounds * BENCH_SLICES, opt_seconds / BENCH_SLICES * 1000);
  gst_version = gst_version_string ();
  printf ("%s, %s, CPU %s\n", srtp_get_version_string (), gst_version,
      bench_cpu_model ());
  g_free (gst_version);
  if (b->ref_enc) {
    GstPlugin *plugin =
        gst_plugin_feature_get_plugin (GST_PLUGIN_FEATURE (b->ref_enc));

    printf ("reference: srtpenc/srtpdec from %s %s (%s)\n",
        gst_plugin_get_package (plugin), gst_plugin_get_version (plugin),
        gst_plugin_get_filename (plugin));
    gst_object_unref (plugin);
  } else if (strlen (GST_GNUTLS_NAME_PREFIX) == 0) {
    printf ("reference: not measured: this build registers our elements as "
        "srtpenc/srtpdec\n(standard-names=true), which hides "
        "gst-plugins-bad's.\n");
  } else {
    printf ("reference: gst-plugins-bad's srtpenc/srtpdec not found; "
        "install them with\n  apt-get install gstreamer1.0-plugins-bad\n"
        "Measuring ours only.\n");
  }
  printf ("single = one gst_pad_push per packet, list32 = gst_pad_push_list "
      "of 32 packets;\nno SRTP = this program's source, pool and sink "
      "linked directly (the floor);\nin-place = packets that left the "
      "decoder in the input pool buffer (no copy).\n\n");
  printf ("%-23s %5s  %-16s %9s %6s %7s %8s  %s\n", "profile", "bytes",
      "path", "packets/s", "us/pkt", "vs bare", "in-place", "target");
  fflush (stdout);
}

int
main (int argc, char **argv)
{
  static const GOptionEntry entries[] = {
    {"seconds", 't', 0, G_OPTION_ARG_DOUBLE, &opt_seconds,
        "CPU seconds per path and round (default 0.7)", "S"},
    {"rounds", 'r', 0, G_OPTION_ARG_INT, &opt_rounds,
        "Rounds of 32 slices per path (default 3)", "N"},
    {"only", 'o', 0, G_OPTION_ARG_STRING, &opt_only,
        "Only the configurations whose \"PROFILE SIZE\" contains TEXT, "
          "e.g. \"GCM 160\"", "TEXT"},
    {"path", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &opt_paths,
        "Only this path (repeatable): bare, ours-single, ours-list32, "
          "ref-single, ref-list32, floor-single, floor-list32", "PATH"},
    {"no-trial", 0, 0, G_OPTION_ARG_NONE, &opt_no_trial,
        "No trial run in a child process first (for gdb or valgrind); an "
          "element that crashes then ends the run", NULL},
    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
          "Print each path's slice rates (min, median, rated, max) to stderr",
        NULL},
    {NULL}
  };
  GstElementFactory *f;
  GOptionContext *ctx;
  GError *error = NULL;
  srtp_err_status_t err;
  gint64 wall_start = g_get_monotonic_time ();
  Bench b;
  guint pi, si, i;

  ctx = g_option_context_new ("- SRTP throughput of bare libsrtp2, "
      GST_GNUTLS_NAME_PREFIX "srtpenc/dec and gst-plugins-bad's srtpenc/dec");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    fprintf (stderr, "%s\n", error->message);
    return 2;
  }
  g_option_context_free (ctx);
  opt_rounds = CLAMP (opt_rounds, 1, 100);
  opt_seconds = CLAMP (opt_seconds, 0.01, 60);
  g_log_set_default_handler (bench_log_handler, NULL);

  /* For the bare loop. The plugins call it too; libsrtp2 answers a second
   * call with bad_param, which is harmless. */
  err = srtp_init ();
  if (err != srtp_err_status_ok && err != srtp_err_status_bad_param) {
    fprintf (stderr, "srtp_init failed\n");
    return 1;
  }

  memset (&b, 0, sizeof (b));
  b.ours_enc = GST_GNUTLS_NAME_PREFIX "srtpenc";
  b.ours_dec = GST_GNUTLS_NAME_PREFIX "srtpdec";
  b.ours_ok = b.all_pass = TRUE;
  b.notes = g_string_new (NULL);
  /* One fixed key for everything; each profile uses the first bytes. */
  for (i = 0; i < sizeof (b.key); i++)
    b.key[i] = (guint8) (0x11 * (i + 1));

  f = gst_element_factory_find (b.ours_enc);
  if (f == NULL) {
    fprintf (stderr, "Element %s not found. Run from the build tree with\n"
        "  meson devenv -C build ./bench/srtp-bench\n"
        "or set GST_PLUGIN_PATH_1_0=<build>/ext/srtp.\n", b.ours_enc);
    return 1;
  }
  gst_object_unref (f);
  if (strlen (GST_GNUTLS_NAME_PREFIX) > 0) {
    b.ref_enc = find_reference ("srtpenc");
    b.ref_dec = find_reference ("srtpdec");
    if (!b.ref_enc || !b.ref_dec) {
      gst_clear_object (&b.ref_enc);
      gst_clear_object (&b.ref_dec);
    }
  }

  print_header (&b);
  for (pi = 0; pi < G_N_ELEMENTS (profiles); pi++) {
    for (si = 0; si < G_N_ELEMENTS (payload_sizes); si++) {
      gchar *name = g_strdup_printf ("%s %u", profiles[pi].name,
          payload_sizes[si]);
      gboolean wanted = opt_only == NULL || strstr (name, opt_only);

      g_free (name);
      if (wanted)
        bench_config (&b, &profiles[pi], si);
    }
  }

  if (b.notes->len)
    printf ("Failures:\n%s\n", b.notes->str);
  printf ("Ours: %s; targets (>=90%% of bare with single buffers, >=95%% "
      "with lists): %s.\nTotal %.1f s.\n", b.ours_ok ?
      "every packet decrypted correctly" : "FAILED (see above)",
      b.all_pass ? "all PASS" : "some MISS",
      (g_get_monotonic_time () - wall_start) / 1e6);

  g_string_free (b.notes, TRUE);
  gst_clear_object (&b.ref_enc);
  gst_clear_object (&b.ref_dec);
  return b.ours_ok ? 0 : 1;
}
