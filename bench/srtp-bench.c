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
 * CPU-second of it. See paths_measure() for how the noise of a shared
 * machine is kept out. Each element path first runs in a child process,
 * so an element that crashes shows up as a failed row.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <srtp2/srtp.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef GST_GNUTLS_NAME_PREFIX
#define GST_GNUTLS_NAME_PREFIX "gnutls"
#endif

#define RTP_HEADER_LEN 12
#define BENCH_SSRC 0x5eed5eedu
#define BATCH 32                /* packets per list, and per time check */
/* What libsrtp2 may append in place (the element needs the same room). */
#define TRAILER_ROOM (SRTP_MAX_TRAILER_LEN + 4)
/* Every packet's size is checked and every packet counted, but only every
 * CHECK_EVERY-th packet's number and contents: enough that a broken
 * element cannot look fast, cheap enough not to be what is measured. */
#define CHECK_EVERY 16
/* Slices per round, taken in turn with the other paths' slices, and the
 * quantile of the slice rates that rates a path (see paths_measure). */
#define SLICES 32
#define RATE_QUANTILE 0.9
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

/* The packets of one measurement configuration. Packet n has sequence
 * number n mod 2^16, timestamp 160 n and n in the first payload bytes, so
 * the receiving end can tell loss, reordering and stale data apart. */
typedef struct
{
  guint packet_len;
  guint8 *templ;
} Generator;

typedef struct
{
  const Generator *gen;
  guint32 expected;             /* number of the next packet */
  guint64 received;
  guint64 bad;                  /* wrong size or contents */
  guint64 in_place;             /* outputs that are the input pool buffer */
  guint8 *scratch;              /* for the expected contents */
  gchar *first_error;
} Checker;

typedef struct
{
  guint64 packets;
  gdouble seconds;
} Tally;

typedef struct
{
  PathId id;
  const Profile *profile;
  const Generator *gen;
  guint32 next;                 /* number of the next packet to send */
  Checker check;
  gboolean usable;              /* FALSE once it failed or was skipped */
  gchar *failure;
  gdouble rate;                 /* packets per CPU-second, when measured */

  /* bare libsrtp2 */
  srtp_t tx, rx;
  guint8 *work;

  /* elements */
  GstElement *pipeline, *enc, *dec;
  GstPad *enc_sink;             /* request pad */
  GstPad *src, *sink;           /* ours, unparented */
  GstBufferPool *pool;
  gboolean lists;
} Path;

static gdouble opt_seconds = 0.7;
static gint opt_rounds = 3;
static gchar *opt_only;
static gchar **opt_paths;
static gboolean opt_verbose;
static gboolean opt_no_trial;

static gdouble
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
generator_init (Generator * gen, guint payload_len)
{
  guint i;

  gen->packet_len = RTP_HEADER_LEN + payload_len;
  gen->templ = g_malloc (gen->packet_len);
  gen->templ[0] = 0x80;         /* V=2, no padding/extension/CSRC */
  gen->templ[1] = 96;           /* dynamic payload type, no marker */
  GST_WRITE_UINT32_BE (gen->templ + 8, BENCH_SSRC);
  for (i = RTP_HEADER_LEN; i < gen->packet_len; i++)
    gen->templ[i] = (guint8) (i * 7 + 1);
}

static inline void
generator_write (const Generator * gen, guint8 * dst, guint32 n)
{
  /* A fresh copy per packet, as a real source hands over new packets. */
  memcpy (dst, gen->templ, gen->packet_len);
  GST_WRITE_UINT16_BE (dst + 2, n & 0xffff);
  GST_WRITE_UINT32_BE (dst + 4, n * 160);
  GST_WRITE_UINT32_BE (dst + RTP_HEADER_LEN, n);
}

static void
checker_init (Checker * c, const Generator * gen)
{
  memset (c, 0, sizeof (*c));
  c->gen = gen;
  c->scratch = g_malloc (gen->packet_len);
}

static void
checker_clear (Checker * c)
{
  g_free (c->scratch);
  g_free (c->first_error);
}

static void
checker_fail (Checker * c, const gchar * format, ...) G_GNUC_PRINTF (2, 3);

static void
checker_fail (Checker * c, const gchar * format, ...)
{
  va_list args;

  if (c->first_error)
    return;
  va_start (args, format);
  c->first_error = g_strdup_vprintf (format, args);
  va_end (args);
}

/* Whether the next packet's contents are checked (see CHECK_EVERY). */
static inline gboolean
checker_wants_data (const Checker * c)
{
  return c->expected % CHECK_EVERY == 0;
}

/* One decrypted packet as it left the decoder: its size always, its
 * contents (@data) when checker_wants_data() said so. Losses show up in
 * the count and in the number of the next checked packet. */
static inline void
checker_packet (Checker * c, const guint8 * data, gsize len)
{
  guint32 n;

  c->received++;
  n = c->expected++;
  if (G_UNLIKELY (len != c->gen->packet_len)) {
    c->bad++;
    checker_fail (c, "packet %u came out as %" G_GSIZE_FORMAT " bytes "
        "instead of %u", n, len, c->gen->packet_len);
    return;
  }
  if (data == NULL)
    return;
  if (G_UNLIKELY (GST_READ_UINT32_BE (data + RTP_HEADER_LEN) != n)) {
    c->bad++;
    checker_fail (c, "packet %u came out as packet %u (loss, reordering "
        "or garbage)", n, GST_READ_UINT32_BE (data + RTP_HEADER_LEN));
    return;
  }
  generator_write (c->gen, c->scratch, n);
  if (memcmp (data, c->scratch, len) != 0) {
    c->bad++;
    checker_fail (c, "packet %u does not decrypt to the original", n);
  }
}

/* (a) bare libsrtp2 */

static gboolean
bare_setup (Path * p, const guint8 * key, gchar ** error)
{
  srtp_policy_t policy;
  srtp_err_status_t err;

  memset (&policy, 0, sizeof (policy));
  srtp_crypto_policy_set_from_profile_for_rtp (&policy.rtp,
      p->profile->profile);
  srtp_crypto_policy_set_from_profile_for_rtcp (&policy.rtcp,
      p->profile->profile);
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
  p->work = g_malloc (p->gen->packet_len + TRAILER_ROOM);
  return TRUE;
}

static gboolean
bare_batch (Path * p)
{
  guint i;

  for (i = 0; i < BATCH; i++) {
    guint32 n = p->next++;
    srtp_err_status_t err;
    int len = p->gen->packet_len;

    generator_write (p->gen, p->work, n);
    err = srtp_protect (p->tx, p->work, &len);
    if (err == srtp_err_status_ok)
      err = srtp_unprotect (p->rx, p->work, &len);
    if (G_UNLIKELY (err != srtp_err_status_ok)) {
      p->failure = g_strdup_printf ("libsrtp2 error %d on packet %u", err, n);
      return FALSE;
    }
    checker_packet (&p->check, checker_wants_data (&p->check) ? p->work :
        NULL, len);
  }
  return TRUE;
}

/* (b), (c) the elements, between two pads of ours */

static void
sink_check (Path * p, GstBuffer * buf)
{
  GstMapInfo map;

  if (buf->pool == p->pool)
    p->check.in_place++;
  /* Map only what is checked: like the bare loop, which reads only those
   * packets, and as cheap as a sink that hands the memory on. */
  if (!checker_wants_data (&p->check)) {
    checker_packet (&p->check, NULL, gst_buffer_get_size (buf));
  } else if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    checker_packet (&p->check, map.data, map.size);
    gst_buffer_unmap (buf, &map);
  } else {
    p->check.bad++;
    checker_fail (&p->check, "could not map an output buffer");
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
  Path *p = gst_pad_get_element_private (pad);
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

/* Errors the elements posted since the last call, as one string. */
static gchar *
pop_bus_errors (Path * p)
{
  GstBus *bus = gst_element_get_bus (p->pipeline);
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

/* Puts @enc_name ! @dec_name between two pads of ours, or nothing at all
 * when @enc_name is NULL: the floor, what the source, the pool and the
 * sink cost by themselves. */
static gboolean
elements_setup (Path * p, const gchar * enc_name, const gchar * dec_name,
    GstBuffer * key, gchar ** error)
{
  GstAllocationParams params;
  GstStructure *config;
  GstPad *enc_src = NULL, *dec_sink = NULL, *dec_src = NULL;
  GstCaps *caps;
  GstSegment segment;
  gboolean ok = FALSE;

  p->pipeline = gst_pipeline_new (NULL);
  p->src = gst_pad_new ("bench-src", GST_PAD_SRC);
  p->sink = gst_pad_new ("bench-sink", GST_PAD_SINK);
  gst_pad_set_element_private (p->sink, p);
  gst_pad_set_chain_function (p->sink, sink_chain);
  gst_pad_set_chain_list_function (p->sink, sink_chain_list);
  gst_pad_set_event_function (p->sink, sink_event);

  if (enc_name == NULL) {
    if (gst_pad_link (p->src, p->sink) != GST_PAD_LINK_OK) {
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
    if (gst_pad_link (p->src, p->enc_sink) != GST_PAD_LINK_OK ||
        gst_pad_link (enc_src, dec_sink) != GST_PAD_LINK_OK ||
        gst_pad_link (dec_src, p->sink) != GST_PAD_LINK_OK) {
      *error = g_strdup ("cannot link the pads");
      goto done;
    }
  }

  /* Pool buffers with the room and alignment the encoder needs to work in
   * place; the same input for both suites. */
  p->pool = gst_buffer_pool_new ();
  config = gst_buffer_pool_get_config (p->pool);
  gst_buffer_pool_config_set_params (config, NULL, p->gen->packet_len,
      2 * BATCH, 0);
  gst_allocation_params_init (&params);
  params.align = 3;
  params.padding = TRAILER_ROOM;
  gst_buffer_pool_config_set_allocator (config, NULL, &params);
  if (!gst_buffer_pool_set_config (p->pool, config) ||
      !gst_buffer_pool_set_active (p->pool, TRUE)) {
    *error = g_strdup ("cannot set up the buffer pool");
    goto done;
  }

  if (gst_element_set_state (p->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    gchar *bus = pop_bus_errors (p);

    *error = g_strdup_printf ("cannot start %s ! %s%s%s", enc_name, dec_name,
        bus ? ": " : "", bus ? bus : "");
    g_free (bus);
    goto done;
  }
  gst_pad_set_active (p->sink, TRUE);
  gst_pad_set_active (p->src, TRUE);

  caps = gst_caps_new_simple ("application/x-rtp",
      "media", G_TYPE_STRING, "video", "payload", G_TYPE_INT, 96,
      "clock-rate", G_TYPE_INT, 90000, "encoding-name", G_TYPE_STRING, "VP8",
      "ssrc", G_TYPE_UINT, BENCH_SSRC, NULL);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  ok = gst_pad_push_event (p->src, gst_event_new_stream_start ("srtp-bench"))
      && gst_pad_push_event (p->src, gst_event_new_caps (caps))
      && gst_pad_push_event (p->src, gst_event_new_segment (&segment));
  gst_caps_unref (caps);
  if (!ok) {
    gchar *bus = pop_bus_errors (p);

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

static gboolean
elements_batch (Path * p)
{
  GstBufferList *list = NULL;
  GstFlowReturn ret = GST_FLOW_OK;
  guint i;

  if (p->lists)
    list = gst_buffer_list_new_sized (BATCH);

  for (i = 0; i < BATCH && ret == GST_FLOW_OK; i++) {
    GstBuffer *buf = NULL;
    GstMapInfo map;

    ret = gst_buffer_pool_acquire_buffer (p->pool, &buf, NULL);
    if (ret != GST_FLOW_OK)
      break;
    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    generator_write (p->gen, map.data, p->next++);
    gst_buffer_unmap (buf, &map);

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
    gchar *bus = pop_bus_errors (p);

    p->failure = g_strdup_printf ("push returned %s%s%s",
        gst_flow_get_name (ret), bus ? ": " : "", bus ? bus : "");
    g_free (bus);
    return FALSE;
  }
  return TRUE;
}

static void
path_teardown (Path * p)
{
  if (p->src) {
    gst_pad_set_active (p->src, FALSE);
    gst_pad_set_active (p->sink, FALSE);
  }
  if (p->pipeline) {
    gst_element_set_state (p->pipeline, GST_STATE_NULL);
    if (p->enc_sink) {
      gst_element_release_request_pad (p->enc, p->enc_sink);
      gst_object_unref (p->enc_sink);
    }
    gst_object_unref (p->pipeline);
  }
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
  checker_clear (&p->check);
  memset (p, 0, sizeof (*p));
}

static gboolean
path_batch (Path * p)
{
  return p->id == PATH_BARE ? bare_batch (p) : elements_batch (p);
}

/* GLib criticals and warnings (GStreamer's refcount assertions among
 * them) mean a path misbehaved even if its packets looked right. */
static gchar *log_trouble;

static void
log_handler (const gchar * domain, GLogLevelFlags level, const gchar * message,
    gpointer user_data)
{
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
              G_LOG_LEVEL_WARNING)) && log_trouble == NULL)
    log_trouble = g_strdup_printf ("%s: %s", domain ? domain : "GLib",
        message);
  /* The probe child keeps quiet; the parent still shows everything. */
  if (user_data == NULL)
    g_log_default_handler (domain, level, message, NULL);
}

static gboolean
path_check_log (Path * p)
{
  if (log_trouble == NULL)
    return TRUE;
  if (p->failure == NULL)
    p->failure = g_strdup_printf ("logged %s", log_trouble);
  g_clear_pointer (&log_trouble, g_free);
  return FALSE;
}

/* Runs @p for @seconds of CPU time and adds what it did to @tally (NULL
 * for a warm-up). FALSE when the path failed; p->failure says why. */
static gboolean
path_run (Path * p, gdouble seconds, Tally * tally)
{
  guint32 first = p->next;
  guint64 received = p->check.received;
  gdouble start = cpu_now (), now;
  guint64 sent = 0;
  gboolean ok;
  gchar *bus;

  g_clear_pointer (&log_trouble, g_free);
  do {
    ok = path_batch (p) && p->check.first_error == NULL;
    sent += BATCH;
    now = cpu_now ();
  } while (ok && now - start < seconds);

  bus = p->pipeline ? pop_bus_errors (p) : NULL;
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

/* Measures every usable path in @opt_rounds x SLICES short slices, taken
 * in turn with the other paths' slices, and rates it by the slice at the
 * RATE_QUANTILE of its slices. The machine this was written on shares its
 * cores: the same loop runs at two speeds, switching several times a
 * second as other work comes and goes. Taking turns gives every path
 * slices at both speeds, and the high quantile rates each at the
 * unloaded speed without trusting a single lucky slice. */
static void
paths_measure (Path * paths)
{
  guint n = opt_rounds * SLICES;
  gdouble slice = opt_seconds / SLICES;
  gdouble *rates[N_PATHS];
  guint i, s;

  for (i = 0; i < N_PATHS; i++) {
    rates[i] = g_new0 (gdouble, n);
    if (paths[i].usable)
      path_run (&paths[i], 0.1, NULL);
  }

  for (s = 0; s < n; s++) {
    for (i = 0; i < N_PATHS; i++) {
      Tally tally = { 0, 0 };

      /* An untimed batch refills the caches the last path used. */
      if (paths[i].usable && path_run (&paths[i], 0, NULL) &&
          path_run (&paths[i], slice, &tally))
        rates[i][s] = tally.packets / tally.seconds;
    }
  }

  for (i = 0; i < N_PATHS; i++) {
    Path *p = &paths[i];

    if (p->usable) {
      qsort (rates[i], n, sizeof (gdouble), compare_doubles);
      p->rate = rates[i][(guint) (RATE_QUANTILE * (n - 1) + 0.5)];
      if (opt_verbose)
        fprintf (stderr, "  %s %u, %s: slices %.0f / %.0f / %.0f / %.0f "
            "packets/s (min, median, rated, max)\n", p->profile->name,
            p->gen->packet_len - RTP_HEADER_LEN, path_labels[p->id],
            rates[i][0], rates[i][n / 2], p->rate, rates[i][n - 1]);
    }
    g_free (rates[i]);
  }
}

/* Pushes a few batches through @p in a child process before the real
 * thing. The reference pair corrupts memory with buffer lists (srtpdec
 * pushes buffers it no longer owns), and whatever a path does, a crash
 * must show up as a failed row, not end the benchmark. */
static gboolean
path_probe (Path * p, const gchar * enc_name, const gchar * dec_name,
    GstBuffer * key, gchar ** why)
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
    gchar *err = NULL;
    gboolean ok;
    guint i;

    close (fds[0]);
    /* A hang is a failure too: SIGALRM ends the child and is reported. */
    alarm (PROBE_TIMEOUT);
    g_log_set_default_handler (log_handler, GINT_TO_POINTER (1));
    ok = elements_setup (p, enc_name, dec_name, key, &err);
    for (i = 0; ok && i < PROBE_BATCHES; i++)
      ok = path_batch (p) && p->check.first_error == NULL &&
          log_trouble == NULL;
    if (!ok) {
      const gchar *m = err ? err : p->failure ? p->failure :
          p->check.first_error ? p->check.first_error : log_trouble;
      gchar *line = g_strdup_printf ("%s%s%s", m ? m : "failed",
          m != log_trouble && log_trouble ? "; logged " : "",
          m != log_trouble && log_trouble ? log_trouble : "");

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

static const gchar *
cpu_model (void)
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
  if (!p->usable)
    return "FAIL";
  if (bare <= 0)
    return "?";
  return p->rate >= (p->id == PATH_OURS_LIST ? TARGET_LIST : TARGET_SINGLE)
      * bare ? "PASS" : "MISS";
}

static void
print_row (const Profile * prof, guint payload, const Path * p, gdouble bare)
{
  gchar in_place[16] = "-";
  gchar rate[24], usecs[16] = "-";
  gchar ratio[16] = "-";

  if (p->id != PATH_BARE && p->check.received > 0 && p->usable)
    g_snprintf (in_place, sizeof (in_place), "%.0f%%",
        100.0 * p->check.in_place / p->check.received);
  if (p->usable && p->rate > 0) {
    g_snprintf (rate, sizeof (rate), "%.0f", p->rate);
    g_snprintf (usecs, sizeof (usecs), "%.2f", 1e6 / p->rate);
  } else {
    g_snprintf (rate, sizeof (rate), p->failure ? "FAILED" : "skipped");
  }
  if (p->usable && bare > 0 && !is_floor (p->id))
    g_snprintf (ratio, sizeof (ratio), "%.1f%%", 100.0 * p->rate / bare);
  else if (p->failure)
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

    if (o->usable && r->usable && r->rate > 0)
      g_snprintf (text[i], sizeof (text[i]), "%.2fx", o->rate / r->rate);
    else if (o->usable && r->failure)
      g_snprintf (text[i], sizeof (text[i]), "reference failed");
    else
      g_snprintf (text[i], sizeof (text[i]), "n/a");
    any |= r->usable || r->failure;
  }
  if (have_ref && any)
    printf ("%-23s %5s  ours/reference: single %s, list32 %s\n", "", "",
        text[0], text[1]);

  any = FALSE;
  for (i = 0; i < 2; i++) {
    const Path *o = &paths[PATH_OURS_SINGLE + i];
    gdouble extra;

    g_snprintf (text[i], sizeof (text[i]), "n/a");
    if (!bare->usable || !o->usable || bare->rate <= 0 || o->rate <= 0)
      continue;
    extra = 1e6 / o->rate - 1e6 / bare->rate;
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
  GstElementFactory *ref_enc, *ref_dec;     /* NULL: not measured */
  guint8 key[SRTP_MAX_KEY_LEN];
  gboolean ours_ok;                         /* every packet right */
  gboolean all_pass;                        /* every target met */
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
  Generator gen;
  GstBuffer *key;
  gdouble bare;
  guint i;

  generator_init (&gen, payload);
  key = gst_buffer_new_memdup (b->key, prof->key_len);
  memset (paths, 0, sizeof (paths));

  for (i = 0; i < N_PATHS; i++) {
    Path *p = &paths[i];
    const gchar *enc = is_ours (i) ? b->ours_enc : b->ref_enc ?
        GST_OBJECT_NAME (b->ref_enc) : NULL;
    const gchar *dec = is_ours (i) ? b->ours_dec : b->ref_dec ?
        GST_OBJECT_NAME (b->ref_dec) : NULL;
    gchar *err = NULL;

    p->id = i;
    p->profile = prof;
    p->gen = &gen;
    p->lists = i == PATH_OURS_LIST || i == PATH_REF_LIST ||
        i == PATH_FLOOR_LIST;
    checker_init (&p->check, &gen);
    if (!path_wanted (i) || (is_reference (i) && b->ref_enc == NULL) ||
        (is_floor (i) && !want_floor))
      continue;
    if (i == PATH_BARE)
      p->usable = bare_setup (p, b->key, &err);
    else if (is_floor (i))
      p->usable = elements_setup (p, NULL, NULL, key, &err);
    else
      p->usable = (opt_no_trial || path_probe (p, enc, dec, key, &err)) &&
          elements_setup (p, enc, dec, key, &err);
    if (!p->usable)
      p->failure = err;
  }

  paths_measure (paths);
  if (want_floor) {
    b->floor_rate[size_index][0] = paths[PATH_FLOOR_SINGLE].rate;
    b->floor_rate[size_index][1] = paths[PATH_FLOOR_LIST].rate;
  }

  bare = paths[PATH_BARE].usable ? paths[PATH_BARE].rate : 0;
  for (i = 0; i < N_PATHS; i++) {
    Path *p = &paths[i];

    if (!path_wanted (i) || (is_reference (i) && b->ref_enc == NULL) ||
        (is_floor (i) && !want_floor))
      continue;
    print_row (prof, payload, p, bare);
    if (p->failure)
      g_string_append_printf (b->notes, "%s %u bytes, %s: %s\n",
          prof->name, payload, path_labels[i], p->failure);
    if (is_ours (i) && !p->usable)
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
  g_free (gen.templ);
}

static void
print_header (Bench * b)
{
  gchar *gst_version;

  printf ("SRTP round trip (protect + unprotect) on one thread, packets per "
      "CPU-second:\n%.0fth percentile of %d slices of %.0f ms per path, the "
      "paths' slices taken in turn;\nRTP with a 12-byte header, one SSRC, "
      "the same key everywhere.\n", RATE_QUANTILE * 100, opt_rounds * SLICES,
      opt_seconds / SLICES * 1000);
  gst_version = gst_version_string ();
  printf ("%s, %s, CPU %s\n", srtp_get_version_string (), gst_version,
      cpu_model ());
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
  g_log_set_default_handler (log_handler, NULL);

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
