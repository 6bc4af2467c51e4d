/* GStreamer GnuTLS DTLS-SRTP suite: libsrtp2 SRTP/SRTCP decoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-gnutlssrtpdec
 * @title: gnutlssrtpdec
 * @see_also: gnutlssrtpenc
 *
 * Checks and decrypts SRTP and SRTCP packets (RFC 3711, RFC 7714) with
 * libsrtp2. A drop-in replacement for gst-plugins-bad's `srtpdec`: same
 * pads, properties, caps fields and signals.
 *
 * Keys come per SSRC from the sink caps (`ssrc`, `srtp-key`,
 * `srtp-cipher`, `srtp-auth`, `srtcp-cipher`, `srtcp-auth`, optional
 * `roc` and `mki`; further keys of the same stream as `srtp-key2`/`mki2`
 * up to `srtp-key16`/`mki16`), or from the #GstGnutlsSrtpDec::request-key
 * signal when a packet of an unknown SSRC arrives. Caps that carry a key
 * but no `ssrc` give the key for every SSRC nobody answered for.
 *
 * RTCP multiplexed on the RTP pad (RFC 5761) is recognised and leaves on
 * `rtcp_src`. Packets that cannot be accepted are dropped and counted by
 * reason in #GstGnutlsSrtpDec:stats: invalid (truncated, not RTP),
 * no-key, auth (forged, corrupted or wrong key), replay, key-limit and
 * other. Nothing is ever passed on undecrypted.
 *
 * ## Example pipelines
 * |[
 * gst-launch-1.0 udpsrc port=5004 caps='application/x-srtp, payload=(int)8,
 *   ssrc=(uint)1356955624, srtp-key=(buffer)012345678901234567890123456789012345678901234567890123456789,
 *   srtp-cipher=(string)aes-128-icm, srtp-auth=(string)hmac-sha1-80,
 *   srtcp-cipher=(string)aes-128-icm, srtcp-auth=(string)hmac-sha1-80' !
 *   gnutlssrtpdec ! rtppcmadepay ! alawdec ! autoaudiosink
 * ]| Receives the PCMA SRTP stream sent by the `gnutlssrtpenc` example.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlssrtpdec.h"
#include "gstgnutlssrtpelements.h"

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_srtp_dec_debug);
#define GST_CAT_DEFAULT gst_gnutls_srtp_dec_debug

#define DEFAULT_REPLAY_WINDOW_SIZE 128

enum
{
  PROP_0,
  PROP_REPLAY_WINDOW_SIZE,
  PROP_STATS
};

enum
{
  SIGNAL_REQUEST_KEY,
  SIGNAL_CLEAR_KEYS,
  SIGNAL_SOFT_LIMIT,
  SIGNAL_HARD_LIMIT,
  SIGNAL_REMOVE_KEY,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

typedef struct
{
  guint32 ssrc;
  GstGnutlsSrtpParams params;
  gboolean use_mki;
  GstGnutlsSrtpCounters counters;
} DecStream;

struct _GstGnutlsSrtpDec
{
  GstElement element;

  GstPad *rtp_sinkpad, *rtp_srcpad;
  GstPad *rtcp_sinkpad, *rtcp_srcpad;

  GMutex lock;
  /* everything below is protected by lock */
  guint replay_window_size;
  srtp_t session;
  GHashTable *streams;          /* ssrc -> DecStream */
  DecStream *last_stream;
  GstGnutlsSrtpParams default_params;   /* from caps without an ssrc */
  gboolean have_default;
  GstGnutlsSrtpCounters totals;
  GArray *soft_limit_ssrcs;     /* reported by libsrtp2, not yet signalled */
  GArray *hard_limit_ssrcs;
  GstGnutlsSrtpEventSink event_sink;
  GstGnutlsSrtpOutput rtp_out, rtcp_out;        /* instead of the src pads */

  /* rtp streaming thread: sticky events were sent on rtcp_src for RTCP
   * that arrived multiplexed on rtp_sink */
  gboolean muxed_rtcp_started;
};

static GstStaticPadTemplate rtp_sink_template =
GST_STATIC_PAD_TEMPLATE ("rtp_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-srtp"));
static GstStaticPadTemplate rtp_src_template =
GST_STATIC_PAD_TEMPLATE ("rtp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtp"));
static GstStaticPadTemplate rtcp_sink_template =
GST_STATIC_PAD_TEMPLATE ("rtcp_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-srtcp"));
static GstStaticPadTemplate rtcp_src_template =
GST_STATIC_PAD_TEMPLATE ("rtcp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtcp"));

#define gst_gnutls_srtp_dec_parent_class parent_class
G_DEFINE_TYPE (GstGnutlsSrtpDec, gst_gnutls_srtp_dec, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (gnutlssrtpdec,
    GST_GNUTLS_NAME_PREFIX "srtpdec", GST_RANK_NONE,
    GST_TYPE_GNUTLS_SRTP_DEC, gst_gnutls_srtp_init_once ());

static void gst_gnutls_srtp_dec_finalize (GObject * object);
static void gst_gnutls_srtp_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_gnutls_srtp_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_gnutls_srtp_dec_change_state (GstElement *
    element, GstStateChange transition);
static void gst_gnutls_srtp_dec_clear_keys (GstGnutlsSrtpDec * self);
static void gst_gnutls_srtp_dec_remove_key (GstGnutlsSrtpDec * self,
    guint ssrc);

static void
gst_gnutls_srtp_dec_class_init (GstGnutlsSrtpDecClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_srtp_dec_debug,
      GST_GNUTLS_NAME_PREFIX "srtpdec", 0, "libsrtp2 SRTP decoder");

  gobject_class->finalize = gst_gnutls_srtp_dec_finalize;
  gobject_class->set_property = gst_gnutls_srtp_dec_set_property;
  gobject_class->get_property = gst_gnutls_srtp_dec_get_property;
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_dec_change_state);

  gst_element_class_add_static_pad_template (element_class, &rtp_sink_template);
  gst_element_class_add_static_pad_template (element_class, &rtp_src_template);
  gst_element_class_add_static_pad_template (element_class,
      &rtcp_sink_template);
  gst_element_class_add_static_pad_template (element_class, &rtcp_src_template);
  gst_element_class_set_static_metadata (element_class,
      "SRTP decoder (libsrtp2)", "Filter/Network/SRTP",
      "Authenticates and decrypts SRTP/SRTCP using libsrtp2, with replay "
      "protection and RTCP multiplexed on the RTP pad",
      "GStreamer GnuTLS DTLS-SRTP developers");

  g_object_class_install_property (gobject_class, PROP_REPLAY_WINDOW_SIZE,
      g_param_spec_uint ("replay-window-size", "Replay window size",
          "Size of the replay protection window, in packets; applies to "
          "streams created afterwards", 64, 0x8000,
          DEFAULT_REPLAY_WINDOW_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Per-SSRC streams (ssrc, roc, counts) and totals: recv-count, "
          "recv-drop-count, rtp-packets, rtp-bytes, rtcp-packets, "
          "rtcp-bytes, drops and drop-<reason> (invalid, no-key, auth, "
          "replay, key-limit, other)", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstGnutlsSrtpDec::request-key:
   * @self: the element
   * @ssrc: SSRC of a stream that has no key yet
   *
   * Return caps with `srtp-key`, `srtp-cipher`, `srtp-auth`,
   * `srtcp-cipher`, `srtcp-auth` (and optionally `roc`, `mki`, further
   * keys) for @ssrc, or NULL to drop its packets for now.
   *
   * Returns: (transfer full) (nullable): the parameters.
   */
  signals[SIGNAL_REQUEST_KEY] = g_signal_new ("request-key",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      GST_TYPE_CAPS, 1, G_TYPE_UINT);
  /**
   * GstGnutlsSrtpDec::clear-keys:
   * @self: the element
   *
   * Forgets every stream and key; the next packets ask for keys again.
   */
  signals[SIGNAL_CLEAR_KEYS] = g_signal_new_class_handler ("clear-keys",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_gnutls_srtp_dec_clear_keys), NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  /**
   * GstGnutlsSrtpDec::soft-limit:
   * @self: the element
   * @ssrc: the stream
   *
   * The master key of @ssrc reached its soft usage limit. Return new
   * parameters as for #GstGnutlsSrtpDec::request-key, or NULL.
   *
   * Returns: (transfer full) (nullable): the new parameters.
   */
  signals[SIGNAL_SOFT_LIMIT] = g_signal_new ("soft-limit",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      GST_TYPE_CAPS, 1, G_TYPE_UINT);
  /**
   * GstGnutlsSrtpDec::hard-limit:
   * @self: the element
   * @ssrc: the stream
   *
   * The master key of @ssrc is used up: its packets are dropped until new
   * parameters are returned here (as for request-key).
   *
   * Returns: (transfer full) (nullable): the new parameters.
   */
  signals[SIGNAL_HARD_LIMIT] = g_signal_new ("hard-limit",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      GST_TYPE_CAPS, 1, G_TYPE_UINT);
  /**
   * GstGnutlsSrtpDec::remove-key:
   * @self: the element
   * @ssrc: the stream
   *
   * Forgets the stream and keys of @ssrc.
   */
  signals[SIGNAL_REMOVE_KEY] = g_signal_new_class_handler ("remove-key",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_gnutls_srtp_dec_remove_key), NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
dec_stream_free (gpointer data)
{
  DecStream *stream = data;

  gst_gnutls_srtp_params_clear (&stream->params);
  g_free (stream);
}

static void
on_srtp_event (gpointer user_data, guint32 ssrc, srtp_event_t event)
{
  GstGnutlsSrtpDec *self = user_data;

  /* Runs inside srtp_unprotect with self->lock held: just note it. */
  if (event == event_key_soft_limit)
    g_array_append_val (self->soft_limit_ssrcs, ssrc);
  else if (event == event_key_hard_limit)
    g_array_append_val (self->hard_limit_ssrcs, ssrc);
}

static void
new_session_locked (GstGnutlsSrtpDec * self)
{
  if (self->session)
    srtp_dealloc (self->session);
  /* An empty session: streams are added per SSRC as keys arrive. */
  if (srtp_create (&self->session, NULL) != srtp_err_status_ok)
    self->session = NULL;
  else
    gst_gnutls_srtp_session_set_event_sink (self->session, &self->event_sink);
  g_hash_table_remove_all (self->streams);
  self->last_stream = NULL;
}

static GstFlowReturn gst_gnutls_srtp_dec_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buf);
static GstFlowReturn gst_gnutls_srtp_dec_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);
static gboolean gst_gnutls_srtp_dec_sink_event (GstPad * pad,
    GstObject * parent, GstEvent * event);
static gboolean gst_gnutls_srtp_dec_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
static GstIterator *gst_gnutls_srtp_dec_iterate_internal_links (GstPad * pad,
    GstObject * parent);

static GstPad *
add_pad (GstGnutlsSrtpDec * self, GstStaticPadTemplate * templ)
{
  GstPad *pad = gst_pad_new_from_static_template (templ, templ->name_template);

  if (GST_PAD_IS_SINK (pad)) {
    gst_pad_set_chain_function (pad,
        GST_DEBUG_FUNCPTR (gst_gnutls_srtp_dec_chain));
    gst_pad_set_chain_list_function (pad,
        GST_DEBUG_FUNCPTR (gst_gnutls_srtp_dec_chain_list));
    gst_pad_set_event_function (pad,
        GST_DEBUG_FUNCPTR (gst_gnutls_srtp_dec_sink_event));
  }
  gst_pad_set_query_function (pad,
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_dec_query));
  gst_pad_set_iterate_internal_links_function (pad,
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_dec_iterate_internal_links));
  GST_PAD_SET_PROXY_SCHEDULING (pad);
  gst_element_add_pad (GST_ELEMENT (self), pad);
  return pad;
}

static void
gst_gnutls_srtp_dec_init (GstGnutlsSrtpDec * self)
{
  g_mutex_init (&self->lock);
  self->replay_window_size = DEFAULT_REPLAY_WINDOW_SIZE;
  self->streams = g_hash_table_new_full (NULL, NULL, NULL, dec_stream_free);
  gst_gnutls_srtp_params_init (&self->default_params);
  self->soft_limit_ssrcs = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->hard_limit_ssrcs = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->event_sink.magic = GST_GNUTLS_SRTP_EVENT_SINK_MAGIC;
  self->event_sink.func = on_srtp_event;
  self->event_sink.user_data = self;

  self->rtp_sinkpad = add_pad (self, &rtp_sink_template);
  self->rtp_srcpad = add_pad (self, &rtp_src_template);
  self->rtcp_sinkpad = add_pad (self, &rtcp_sink_template);
  self->rtcp_srcpad = add_pad (self, &rtcp_src_template);
}

static void
gst_gnutls_srtp_dec_finalize (GObject * object)
{
  GstGnutlsSrtpDec *self = GST_GNUTLS_SRTP_DEC (object);

  if (self->session)
    srtp_dealloc (self->session);
  g_hash_table_destroy (self->streams);
  gst_gnutls_srtp_params_clear (&self->default_params);
  g_array_free (self->soft_limit_ssrcs, TRUE);
  g_array_free (self->hard_limit_ssrcs, TRUE);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_gnutls_srtp_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstGnutlsSrtpDec *self = GST_GNUTLS_SRTP_DEC (object);

  switch (prop_id) {
    case PROP_REPLAY_WINDOW_SIZE:
      g_mutex_lock (&self->lock);
      self->replay_window_size = g_value_get_uint (value);
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static GstStructure *
get_stats_locked (GstGnutlsSrtpDec * self)
{
  GstStructure *s =
      gst_structure_new_empty ("application/x-srtp-decoder-stats");
  GValue streams = G_VALUE_INIT;
  GHashTableIter iter;
  gpointer value;
  guint64 drops = 0;
  guint i;

  g_value_init (&streams, GST_TYPE_ARRAY);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    DecStream *stream = value;
    GstStructure *ss = gst_structure_new ("application/x-srtp-stream",
        "ssrc", G_TYPE_UINT, stream->ssrc, NULL);
    GValue v = G_VALUE_INIT;
    guint32 roc;

    if (srtp_get_stream_roc (self->session, stream->ssrc, &roc) ==
        srtp_err_status_ok)
      gst_structure_set (ss, "roc", G_TYPE_UINT, roc, NULL);
    gst_gnutls_srtp_counters_to_structure (&stream->counters, ss);
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, ss);
    gst_value_array_append_and_take_value (&streams, &v);
  }
  gst_structure_take_value (s, "streams", &streams);
  gst_gnutls_srtp_counters_to_structure (&self->totals, s);
  for (i = 0; i < GST_GNUTLS_SRTP_DROP_N_REASONS; i++)
    drops += self->totals.drops[i];
  /* The names gst-plugins-bad's srtpdec uses. */
  gst_structure_set (s, "recv-count", G_TYPE_UINT64,
      self->totals.rtp_packets + self->totals.rtcp_packets,
      "recv-drop-count", G_TYPE_UINT64, drops, NULL);
  return s;
}

static void
gst_gnutls_srtp_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstGnutlsSrtpDec *self = GST_GNUTLS_SRTP_DEC (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_REPLAY_WINDOW_SIZE:
      g_value_set_uint (value, self->replay_window_size);
      break;
    case PROP_STATS:
      g_value_take_boxed (value, get_stats_locked (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

/* Installs (or replaces, keeping the rollover counter and replay window)
 * the stream of @ssrc. */
static gboolean
set_stream_locked (GstGnutlsSrtpDec * self, guint32 ssrc,
    const GstGnutlsSrtpParams * params, gboolean have_roc, guint32 roc,
    GError ** error)
{
  DecStream *stream = g_hash_table_lookup (self->streams,
      GUINT_TO_POINTER (ssrc));
  GstGnutlsSrtpPolicyKeys keys;
  srtp_policy_t policy;
  srtp_err_status_t err;

  if (self->session == NULL) {
    g_set_error (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_INIT,
        "libsrtp2 session could not be created");
    return FALSE;
  }

  gst_gnutls_srtp_policy_init (&policy, &keys, params,
      self->replay_window_size, FALSE);
  policy.ssrc.type = ssrc_specific;
  policy.ssrc.value = ssrc;
  if (stream)
    err = srtp_update_stream (self->session, &policy);
  else
    err = srtp_add_stream (self->session, &policy);
  gst_gnutls_srtp_policy_release (&keys);

  if (err != srtp_err_status_ok) {
    g_set_error (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "libsrtp2 refused the SRTP settings for SSRC 0x%08x: %s (%d)", ssrc,
        gst_gnutls_srtp_strerror (err), err);
    return FALSE;
  }

  if (stream == NULL) {
    stream = g_new0 (DecStream, 1);
    stream->ssrc = ssrc;
    g_hash_table_insert (self->streams, GUINT_TO_POINTER (ssrc), stream);
  }
  gst_gnutls_srtp_params_copy (&stream->params, params);
  stream->use_mki = params->n_keys > 0 && params->mkis[0] != NULL;
  if (have_roc)
    srtp_set_stream_roc (self->session, ssrc, roc);
  GST_INFO_OBJECT (self, "SRTP stream for SSRC 0x%08x %s (%u key%s)", ssrc,
      stream->counters.rtp_packets ? "rekeyed" : "ready", params->n_keys,
      params->n_keys == 1 ? "" : "s");
  return TRUE;
}

/* Caps fields -> stream. A structure with no SRTP fields at all configures
 * nothing and is fine. */
static gboolean
set_stream_from_structure_locked (GstGnutlsSrtpDec * self,
    const GstStructure * s, gboolean have_ssrc, guint32 ssrc, GError ** error)
{
  GstGnutlsSrtpParams params;
  guint roc = 0;
  gboolean have_roc, ok;

  if (!gst_structure_has_field (s, "srtp-key") &&
      !gst_structure_has_field (s, "srtp-cipher"))
    return TRUE;

  gst_gnutls_srtp_params_init (&params);
  if (!gst_gnutls_srtp_params_from_structure (s, &params, error)) {
    gst_gnutls_srtp_params_clear (&params);
    return FALSE;
  }
  have_roc = gst_structure_get_uint (s, "roc", &roc);
  if (have_ssrc) {
    ok = set_stream_locked (self, ssrc, &params, have_roc, roc, error);
  } else {
    gst_gnutls_srtp_params_copy (&self->default_params, &params);
    self->have_default = TRUE;
    ok = TRUE;
  }
  gst_gnutls_srtp_params_clear (&params);
  return ok;
}

/* Emits @signal for @ssrc (without the lock) and applies the answer. */
static gboolean
ask_for_key (GstGnutlsSrtpDec * self, guint signal, guint32 ssrc)
{
  GstCaps *caps = NULL;
  GError *error = NULL;
  gboolean ok = FALSE;

  g_signal_emit (self, signals[signal], 0, ssrc, &caps);

  g_mutex_lock (&self->lock);
  if (caps && !gst_caps_is_empty (caps)) {
    ok = set_stream_from_structure_locked (self,
        gst_caps_get_structure (caps, 0), TRUE, ssrc, &error);
  } else if (signal == SIGNAL_REQUEST_KEY && self->have_default) {
    ok = set_stream_locked (self, ssrc, &self->default_params, FALSE, 0,
        &error);
  }
  g_mutex_unlock (&self->lock);

  if (error) {
    GST_ELEMENT_WARNING (self, STREAM, DECRYPT,
        ("Invalid SRTP parameters for SSRC 0x%08x: %s", ssrc, error->message),
        ("from the %s signal", g_signal_name (signals[signal])));
    g_error_free (error);
  }
  gst_clear_caps (&caps);
  return ok;
}

static void
count_drop_locked (GstGnutlsSrtpDec * self, DecStream * stream,
    GstGnutlsSrtpDropReason reason, srtp_err_status_t err, guint32 ssrc)
{
  guint64 n = ++self->totals.drops[reason];

  if (stream)
    stream->counters.drops[reason]++;
  if (gst_gnutls_srtp_should_log_drop (n))
    GST_WARNING_OBJECT (self, "dropped a packet from SSRC 0x%08x (%s: %s), %"
        G_GUINT64_FORMAT " so far for that reason", ssrc,
        gst_gnutls_srtp_drop_reason_name (reason),
        gst_gnutls_srtp_strerror (err), n);
}

typedef enum
{
  UNPROTECT_OK,
  UNPROTECT_DROPPED,
  UNPROTECT_NEED_KEY,
  UNPROTECT_OTHER               /* not RTP at all (@demux only) */
} UnprotectResult;

/* Decrypts @buf, which must be writable, in place. @rtcp_pad tells which
 * pad it came from; RTCP multiplexed on the RTP pad is told apart here and
 * reported in *@is_rtcp. On UNPROTECT_DROPPED the drop is counted and the
 * caller unrefs @buf; on UNPROTECT_NEED_KEY *@ssrc names the stream. With
 * @demux, a packet that does not start as RTP does is left as it is
 * (UNPROTECT_OTHER).
 *
 * The buffer is mapped once, for the header checks and libsrtp2 alike:
 * each extra map or extract costs a few hundred instructions and atomic
 * operations per packet, a measurable share of a GCM round trip. */
static UnprotectResult
unprotect_locked (GstGnutlsSrtpDec * self, GstBuffer * buf,
    gboolean rtcp_pad, gboolean demux, gboolean * is_rtcp, guint32 * ssrc,
    gboolean may_ask)
{
  DecStream *stream;
  srtp_err_status_t err;
  GstMapInfo map;
  gsize size;
  int len;

  *is_rtcp = rtcp_pad;
  size = gst_gnutls_srtp_buffer_map (buf, 0, &map);
  if (demux && (size == 0 || (map.data[0] & 0xc0) != 0x80)) {
    gst_gnutls_srtp_buffer_unmap (buf, &map, size);
    return UNPROTECT_OTHER;
  }
  if (G_LIKELY (size >= 8 && size <= G_MAXINT) && !rtcp_pad)
    *is_rtcp = gst_gnutls_srtp_is_rtcp_packet (map.data, size);
  if (G_UNLIKELY (size < (*is_rtcp ? 8 : 12) || size > G_MAXINT ||
          (map.data[0] & 0xc0) != 0x80)) {
    gst_gnutls_srtp_buffer_unmap (buf, &map, size);
    count_drop_locked (self, NULL, GST_GNUTLS_SRTP_DROP_INVALID,
        srtp_err_status_parse_err, 0);
    return UNPROTECT_DROPPED;
  }
  *ssrc = gst_gnutls_srtp_read_ssrc (map.data, *is_rtcp);

  stream = self->last_stream;
  if (!stream || stream->ssrc != *ssrc) {
    stream = g_hash_table_lookup (self->streams, GUINT_TO_POINTER (*ssrc));
    if (stream == NULL) {
      gst_gnutls_srtp_buffer_unmap (buf, &map, size);
      if (may_ask)
        return UNPROTECT_NEED_KEY;
      count_drop_locked (self, NULL, GST_GNUTLS_SRTP_DROP_NO_KEY,
          srtp_err_status_no_ctx, *ssrc);
      return UNPROTECT_DROPPED;
    }
    self->last_stream = stream;
  }

  len = size;
  if (*is_rtcp)
    err = srtp_unprotect_rtcp_mki (self->session, map.data, &len,
        stream->use_mki);
  else
    err = srtp_unprotect_mki (self->session, map.data, &len, stream->use_mki);
  gst_gnutls_srtp_buffer_unmap (buf, &map,
      err == srtp_err_status_ok ? (gsize) len : size);

  if (G_UNLIKELY (err != srtp_err_status_ok)) {
    count_drop_locked (self, stream, gst_gnutls_srtp_drop_reason (err), err,
        *ssrc);
    return UNPROTECT_DROPPED;
  }

  if (*is_rtcp) {
    stream->counters.rtcp_packets++;
    stream->counters.rtcp_bytes += len;
    self->totals.rtcp_packets++;
    self->totals.rtcp_bytes += len;
  } else {
    stream->counters.rtp_packets++;
    stream->counters.rtp_bytes += len;
    self->totals.rtp_packets++;
    self->totals.rtp_bytes += len;
  }
  return UNPROTECT_OK;
}

/* Unprotects with the lock held; for an unknown SSRC, drops the lock to
 * ask the application once and tries again. */
static UnprotectResult
unprotect_or_ask_locked (GstGnutlsSrtpDec * self, GstBuffer * buf,
    gboolean rtcp_pad, gboolean demux, gboolean * is_rtcp)
{
  guint32 ssrc = 0;
  UnprotectResult res = unprotect_locked (self, buf, rtcp_pad, demux, is_rtcp,
      &ssrc, TRUE);

  if (G_UNLIKELY (res == UNPROTECT_NEED_KEY)) {
    g_mutex_unlock (&self->lock);
    ask_for_key (self, SIGNAL_REQUEST_KEY, ssrc);
    g_mutex_lock (&self->lock);
    res = unprotect_locked (self, buf, rtcp_pad, FALSE, is_rtcp, &ssrc, FALSE);
  }
  return res;
}

/* Whether libsrtp2 reported key-limit events; call with the lock held. */
static inline gboolean
limit_events_pending_locked (GstGnutlsSrtpDec * self)
{
  return self->soft_limit_ssrcs->len > 0 || self->hard_limit_ssrcs->len > 0;
}

/* Signals the key-limit events libsrtp2 reported; call without the lock. */
static void
handle_limit_events (GstGnutlsSrtpDec * self)
{
  GArray *soft, *hard;
  guint i;

  g_mutex_lock (&self->lock);
  if (self->soft_limit_ssrcs->len == 0 && self->hard_limit_ssrcs->len == 0) {
    g_mutex_unlock (&self->lock);
    return;
  }
  soft = self->soft_limit_ssrcs;
  hard = self->hard_limit_ssrcs;
  self->soft_limit_ssrcs = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->hard_limit_ssrcs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_mutex_unlock (&self->lock);

  for (i = 0; i < soft->len; i++)
    ask_for_key (self, SIGNAL_SOFT_LIMIT, g_array_index (soft, guint32, i));
  for (i = 0; i < hard->len; i++) {
    guint32 ssrc = g_array_index (hard, guint32, i);

    if (!ask_for_key (self, SIGNAL_HARD_LIMIT, ssrc))
      GST_ELEMENT_WARNING (self, STREAM, DECRYPT,
          ("The SRTP master key of SSRC 0x%08x is used up and no new key "
              "was given: its packets are dropped", ssrc),
          ("answer the hard-limit signal with new key caps"));
  }
  g_array_free (soft, TRUE);
  g_array_free (hard, TRUE);
}

static GstFlowReturn
push_muxed_rtcp (GstGnutlsSrtpDec * self, const GstGnutlsSrtpOutput * out,
    GstBuffer * buf)
{
  GstFlowReturn ret;

  /* RTCP multiplexed on the RTP pad leaves on rtcp_src, which may never
   * have seen stream-start, caps or segment. */
  if (!self->muxed_rtcp_started &&
      !gst_pad_has_current_caps (self->rtcp_srcpad)) {
    GstSegment segment;
    GstEvent *upstream = gst_pad_get_sticky_event (self->rtp_sinkpad,
        GST_EVENT_STREAM_START, 0);
    const gchar *upstream_id = NULL;
    GstEvent *start;
    guint group_id;
    gchar *id;
    GstCaps *caps;

    /* A stream of the RTP stream it came in, named as
     * gst_pad_create_stream_id() would (it refuses elements with two sink
     * pads), in the same group */
    if (upstream)
      gst_event_parse_stream_start (upstream, &upstream_id);
    if (upstream_id)
      id = g_strconcat (upstream_id, "/rtcp", NULL);
    else
      id = g_strdup_printf ("%08x%08x/rtcp", g_random_int (), g_random_int ());
    start = gst_event_new_stream_start (id);
    g_free (id);
    if (upstream && gst_event_parse_group_id (upstream, &group_id))
      gst_event_set_group_id (start, group_id);
    gst_clear_event (&upstream);
    gst_pad_push_event (self->rtcp_srcpad, start);
    caps = gst_static_pad_template_get_caps (&rtcp_src_template);
    gst_pad_push_event (self->rtcp_srcpad, gst_event_new_caps (caps));
    gst_caps_unref (caps);
    gst_segment_init (&segment, GST_FORMAT_TIME);
    gst_pad_push_event (self->rtcp_srcpad, gst_event_new_segment (&segment));
  }
  self->muxed_rtcp_started = TRUE;
  ret = gst_gnutls_srtp_output_push (self->rtcp_srcpad, out, buf);
  /* RTCP nobody listens to must not stop the media. */
  return ret == GST_FLOW_NOT_LINKED ? GST_FLOW_OK : ret;
}

/* With @other (the direct demux entry), what is not RTP comes back in it */
static GstFlowReturn
dec_chain (GstGnutlsSrtpDec * self, GstPad * pad, GstBuffer * buf,
    GstBuffer ** other)
{
  gboolean rtcp_pad = pad == self->rtcp_sinkpad;
  gboolean is_rtcp, limits;
  UnprotectResult res;
  GstGnutlsSrtpOutput out;
  GstPad *srcpad;

  buf = gst_buffer_make_writable (buf);
  g_mutex_lock (&self->lock);
  res = unprotect_or_ask_locked (self, buf, rtcp_pad, other != NULL, &is_rtcp);
  limits = limit_events_pending_locked (self);
  srcpad = is_rtcp ? self->rtcp_srcpad : self->rtp_srcpad;
  out = is_rtcp ? self->rtcp_out : self->rtp_out;
  g_mutex_unlock (&self->lock);

  /* Checked under the lock we hold anyway: no second lock per packet. */
  if (G_UNLIKELY (limits))
    handle_limit_events (self);
  if (G_UNLIKELY (res != UNPROTECT_OK)) {
    if (res == UNPROTECT_OTHER)
      *other = buf;
    else
      gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  if (is_rtcp && !rtcp_pad)
    return push_muxed_rtcp (self, &out, buf);
  return gst_gnutls_srtp_output_push (srcpad, &out, buf);
}

static GstFlowReturn
gst_gnutls_srtp_dec_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  return dec_chain (GST_GNUTLS_SRTP_DEC (parent), pad, buf, NULL);
}

typedef struct
{
  GstGnutlsSrtpDec *self;
  gboolean is_rtcp;
  GstBufferList *muxed_rtcp;    /* RTCP found in an RTP list */
  GstBufferList **others;       /* not RTP (the direct demux entry only) */
} ListCtx;

static gboolean
unprotect_list_item (GstBuffer * buf, gpointer user_data)
{
  ListCtx *ctx = user_data;
  gboolean is_rtcp;

  switch (unprotect_or_ask_locked (ctx->self, buf, ctx->is_rtcp,
          ctx->others != NULL, &is_rtcp)) {
    case UNPROTECT_OK:
      break;
    case UNPROTECT_OTHER:
      if (*ctx->others == NULL)
        *ctx->others = gst_buffer_list_new ();
      gst_buffer_list_add (*ctx->others, gst_buffer_ref (buf));
      return FALSE;
    default:
      return FALSE;
  }
  if (G_UNLIKELY (is_rtcp && !ctx->is_rtcp)) {
    if (ctx->muxed_rtcp == NULL)
      ctx->muxed_rtcp = gst_buffer_list_new ();
    gst_buffer_list_add (ctx->muxed_rtcp, gst_buffer_ref (buf));
    return FALSE;
  }
  return TRUE;
}

/* With @others (the direct demux entry), what is not RTP comes back in it */
static GstFlowReturn
dec_chain_list (GstGnutlsSrtpDec * self, GstPad * pad, GstBufferList * list,
    GstBufferList ** others)
{
  ListCtx ctx = { self, pad == self->rtcp_sinkpad, NULL, others };
  GstFlowReturn ret = GST_FLOW_OK;
  GstGnutlsSrtpOutput out, rtcp_out;
  gboolean limits;

  list = gst_buffer_list_make_writable (list);

  g_mutex_lock (&self->lock);
  gst_gnutls_srtp_list_process (list, unprotect_list_item, &ctx);
  limits = limit_events_pending_locked (self);
  out = ctx.is_rtcp ? self->rtcp_out : self->rtp_out;
  rtcp_out = self->rtcp_out;
  g_mutex_unlock (&self->lock);

  if (G_UNLIKELY (limits))
    handle_limit_events (self);

  if (ctx.muxed_rtcp) {
    guint i, n = gst_buffer_list_length (ctx.muxed_rtcp);

    for (i = 0; i < n && ret == GST_FLOW_OK; i++)
      ret = push_muxed_rtcp (self, &rtcp_out,
          gst_buffer_ref (gst_buffer_list_get (ctx.muxed_rtcp, i)));
    gst_buffer_list_unref (ctx.muxed_rtcp);
  }

  if (gst_buffer_list_length (list) == 0) {
    gst_buffer_list_unref (list);
    return ret;
  }
  if (ret != GST_FLOW_OK) {
    gst_buffer_list_unref (list);
    return ret;
  }
  return gst_gnutls_srtp_output_push_list (ctx.is_rtcp ? self->rtcp_srcpad :
      self->rtp_srcpad, &out, list);
}

static GstFlowReturn
gst_gnutls_srtp_dec_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  return dec_chain_list (GST_GNUTLS_SRTP_DEC (parent), pad, list, NULL);
}

/* The direct entry points (gstgnutlssrtpdirect.h) */
static GstFlowReturn
direct_chain (GstPad * sinkpad, GstBuffer * buf)
{
  return dec_chain (GST_GNUTLS_SRTP_DEC (GST_OBJECT_PARENT (sinkpad)), sinkpad,
      buf, NULL);
}

static GstFlowReturn
direct_chain_list (GstPad * sinkpad, GstBufferList * list)
{
  return dec_chain_list (GST_GNUTLS_SRTP_DEC (GST_OBJECT_PARENT (sinkpad)),
      sinkpad, list, NULL);
}

static GstFlowReturn
direct_chain_demux (GstPad * sinkpad, GstBuffer * buf, GstBuffer ** other)
{
  *other = NULL;
  return dec_chain (GST_GNUTLS_SRTP_DEC (GST_OBJECT_PARENT (sinkpad)), sinkpad,
      buf, other);
}

static GstFlowReturn
direct_chain_list_demux (GstPad * sinkpad, GstBufferList * list,
    GstBufferList ** others)
{
  *others = NULL;
  return dec_chain_list (GST_GNUTLS_SRTP_DEC (GST_OBJECT_PARENT (sinkpad)),
      sinkpad, list, others);
}

static void
direct_set_output (GstPad * srcpad, GstGnutlsSrtpDirectPush push,
    GstGnutlsSrtpDirectPushList push_list, gpointer user_data)
{
  GstGnutlsSrtpDec *self = GST_GNUTLS_SRTP_DEC (GST_OBJECT_PARENT (srcpad));

  g_mutex_lock (&self->lock);
  gst_gnutls_srtp_output_set (srcpad == self->rtp_srcpad ? &self->rtp_out :
      &self->rtcp_out, push, push_list, user_data);
  g_mutex_unlock (&self->lock);
  GST_DEBUG_OBJECT (srcpad, "output %s", push ? "direct" : "through the pad");
}

static const GstGnutlsSrtpDirect direct_table = {
  GST_GNUTLS_SRTP_DIRECT_VERSION, direct_chain, direct_chain_list,
  direct_set_output, direct_chain_demux, direct_chain_list_demux
};

static gboolean
gst_gnutls_srtp_dec_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstGnutlsSrtpDec *self = GST_GNUTLS_SRTP_DEC (parent);
  GstPad *srcpad = pad == self->rtcp_sinkpad ? self->rtcp_srcpad :
      self->rtp_srcpad;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      GstStructure *s;
      GError *error = NULL;
      guint ssrc = 0;
      gboolean have_ssrc, ok;

      gst_event_parse_caps (event, &caps);
      s = gst_caps_get_structure (caps, 0);
      have_ssrc = gst_structure_get_uint (s, "ssrc", &ssrc);
      GST_DEBUG_OBJECT (pad, "caps %" GST_PTR_FORMAT, caps);

      g_mutex_lock (&self->lock);
      ok = set_stream_from_structure_locked (self, s, have_ssrc, ssrc, &error);
      g_mutex_unlock (&self->lock);
      if (!ok) {
        GST_ELEMENT_ERROR (self, STREAM, FORMAT,
            ("Invalid SRTP parameters in the input caps: %s",
                error->message), ("caps: %" GST_PTR_FORMAT, caps));
        g_error_free (error);
        gst_event_unref (event);
        return FALSE;
      }

      caps = gst_gnutls_srtp_caps_rename (gst_caps_copy (caps), FALSE, TRUE);
      gst_event_unref (event);
      ok = gst_pad_push_event (srcpad, gst_event_new_caps (caps));
      gst_caps_unref (caps);
      return ok;
    }
    case GST_EVENT_SEGMENT:
    case GST_EVENT_STREAM_START:
    case GST_EVENT_EOS:
    case GST_EVENT_FLUSH_START:
    case GST_EVENT_FLUSH_STOP:
      return gst_pad_push_event (srcpad, event);
    default:
      return gst_pad_event_default (pad, parent, event);
  }
}

static gboolean
gst_gnutls_srtp_dec_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstGnutlsSrtpDec *self = GST_GNUTLS_SRTP_DEC (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS) {
    gboolean is_sink = GST_PAD_IS_SINK (pad);
    GstPad *other = pad == self->rtp_sinkpad ? self->rtp_srcpad :
        pad == self->rtp_srcpad ? self->rtp_sinkpad :
        pad == self->rtcp_sinkpad ? self->rtcp_srcpad : self->rtcp_sinkpad;

    return gst_gnutls_srtp_query_caps_through (pad, other, query, !is_sink);
  }
  if (GST_PAD_IS_SINK (pad) &&
      gst_gnutls_srtp_direct_answer (query, &direct_table))
    return TRUE;
  return gst_pad_query_default (pad, parent, query);
}

static GstIterator *
gst_gnutls_srtp_dec_iterate_internal_links (GstPad * pad, GstObject * parent)
{
  GstGnutlsSrtpDec *self = GST_GNUTLS_SRTP_DEC (parent);
  GstPad *other = pad == self->rtp_sinkpad ? self->rtp_srcpad :
      pad == self->rtp_srcpad ? self->rtp_sinkpad :
      pad == self->rtcp_sinkpad ? self->rtcp_srcpad : self->rtcp_sinkpad;
  GValue v = G_VALUE_INIT;
  GstIterator *it;

  g_value_init (&v, GST_TYPE_PAD);
  g_value_set_object (&v, other);
  it = gst_iterator_new_single (GST_TYPE_PAD, &v);
  g_value_unset (&v);
  return it;
}

static void
gst_gnutls_srtp_dec_clear_keys (GstGnutlsSrtpDec * self)
{
  g_mutex_lock (&self->lock);
  new_session_locked (self);
  gst_gnutls_srtp_params_clear (&self->default_params);
  self->have_default = FALSE;
  g_mutex_unlock (&self->lock);
  /* routine on every new key (each DTLS handshake): not worth INFO */
  GST_DEBUG_OBJECT (self, "keys dropped on request; each stream asks for "
      "its key again");
}

static void
gst_gnutls_srtp_dec_remove_key (GstGnutlsSrtpDec * self, guint ssrc)
{
  g_mutex_lock (&self->lock);
  if (g_hash_table_lookup (self->streams, GUINT_TO_POINTER (ssrc))) {
    srtp_remove_stream (self->session, g_htonl (ssrc));
    g_hash_table_remove (self->streams, GUINT_TO_POINTER (ssrc));
    self->last_stream = NULL;
  }
  g_mutex_unlock (&self->lock);
  GST_INFO_OBJECT (self, "SRTP key of SSRC 0x%08x removed", ssrc);
}

static GstStateChangeReturn
gst_gnutls_srtp_dec_change_state (GstElement * element,
    GstStateChange transition)
{
  GstGnutlsSrtpDec *self = GST_GNUTLS_SRTP_DEC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    g_mutex_lock (&self->lock);
    /* Streams configured from caps before start stay; only create. */
    if (self->session == NULL)
      new_session_locked (self);
    memset (&self->totals, 0, sizeof (self->totals));
    self->muxed_rtcp_started = FALSE;
    g_mutex_unlock (&self->lock);
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    g_mutex_lock (&self->lock);
    g_hash_table_remove_all (self->streams);
    self->last_stream = NULL;
    if (self->session)
      srtp_dealloc (self->session);
    self->session = NULL;
    gst_gnutls_srtp_params_clear (&self->default_params);
    self->have_default = FALSE;
    g_mutex_unlock (&self->lock);
  }
  return ret;
}
