/* GStreamer GnuTLS DTLS-SRTP suite: libsrtp2 SRTP/SRTCP encoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-gnutlssrtpenc
 * @title: gnutlssrtpenc
 * @see_also: gnutlssrtpdec
 *
 * Protects RTP and RTCP packets with SRTP/SRTCP (RFC 3711, RFC 7714) using
 * libsrtp2: encryption with AES-ICM or AES-GCM and authentication with
 * HMAC-SHA1. It is a drop-in replacement for gst-plugins-bad's `srtpenc`:
 * same pads, properties, caps fields and signals.
 *
 * Request an `rtp_sink_%u` pad to protect RTP; the matching `rtp_src_%u`
 * pad appears with it. `rtcp_sink_%u`/`rtcp_src_%u` do the same for RTCP.
 * Any number of SSRCs can flow through one pad; each gets its own SRTP
 * stream (its own rollover counter), all under the same master key.
 *
 * The output caps carry the key and cipher settings (`srtp-key`,
 * `srtp-cipher`, `srtp-auth`, `srtcp-cipher`, `srtcp-auth`, `mki`), so a
 * `gnutlssrtpdec` downstream in the same pipeline needs no configuration.
 * The key can be changed while playing; rollover counters are kept, and
 * new caps with the new key go out before the first packet protected with
 * it.
 *
 * Buffer lists are protected as lists (one lock, one push) and, when a
 * buffer is writable and has room after the packet for the authentication
 * tag, in place without any allocation. The element answers the
 * allocation query asking upstream for that room.
 *
 * ## Example pipelines
 * |[
 * gst-launch-1.0 audiotestsrc num-buffers=100 ! alawenc ! rtppcmapay !
 *   'application/x-rtp, payload=(int)8, ssrc=(uint)1356955624' !
 *   gnutlssrtpenc key=012345678901234567890123456789012345678901234567890123456789 !
 *   udpsink host=127.0.0.1 port=5004
 * ]| Sends PCMA audio as SRTP to port 5004 with AES-128-ICM and
 * HMAC-SHA1-80, the default protection, and a fixed 30-byte key (60 hex
 * digits).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlssrtpenc.h"
#include "gstgnutlssrtpelements.h"

#include <stdio.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_srtp_enc_debug);
#define GST_CAT_DEFAULT gst_gnutls_srtp_enc_debug

#define DEFAULT_CIPHER GST_GNUTLS_SRTP_CIPHER_AES_128_ICM
#define DEFAULT_AUTH GST_GNUTLS_SRTP_AUTH_HMAC_SHA1_80
#define DEFAULT_RANDOM_KEY FALSE
#define DEFAULT_REPLAY_WINDOW_SIZE 128
#define DEFAULT_ALLOW_REPEAT_TX FALSE

enum
{
  PROP_0,
  PROP_MKI,
  PROP_KEY,
  PROP_RTP_CIPHER,
  PROP_RTP_AUTH,
  PROP_RTCP_CIPHER,
  PROP_RTCP_AUTH,
  PROP_RANDOM_KEY,
  PROP_REPLAY_WINDOW_SIZE,
  PROP_ALLOW_REPEAT_TX,
  PROP_STATS,
  PROP_SRTP_PARAMS
};

enum
{
  SIGNAL_SOFT_LIMIT,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

typedef struct
{
  guint32 ssrc;
  GstGnutlsSrtpCounters counters;
} EncStream;

/* One per requested sink pad; set as element_private on both pads. */
typedef struct
{
  GstPad *sinkpad;
  GstPad *srcpad;
  gboolean is_rtcp;
  /* streaming thread only: key generation of the caps last pushed */
  guint caps_generation;
  /* protected by the element's lock: where the protected packets go
   * instead of srcpad */
  GstGnutlsSrtpOutput out;
} PadPair;

struct _GstGnutlsSrtpEnc
{
  GstElement element;

  GMutex lock;
  /* everything below is protected by lock */
  GstGnutlsSrtpParams params;   /* key in keys[0], mki in mkis[0] */
  gboolean random_key;
  guint replay_window_size;
  gboolean allow_repeat_tx;
  srtp_t session;
  gboolean session_dirty;       /* settings changed since the session */
  guint key_generation;         /* bumped by every key/cipher change */
  GHashTable *streams;          /* ssrc -> EncStream */
  EncStream *last_stream;
  GstGnutlsSrtpCounters totals;
  gboolean soft_limit_pending;
  gboolean hard_limit_warned;
  GstGnutlsSrtpEventSink event_sink;
  guint next_pad_id;
};

static GstStaticPadTemplate rtp_sink_template =
GST_STATIC_PAD_TEMPLATE ("rtp_sink_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("application/x-rtp"));
static GstStaticPadTemplate rtp_src_template =
GST_STATIC_PAD_TEMPLATE ("rtp_src_%u", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("application/x-srtp"));
static GstStaticPadTemplate rtcp_sink_template =
GST_STATIC_PAD_TEMPLATE ("rtcp_sink_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("application/x-rtcp"));
static GstStaticPadTemplate rtcp_src_template =
GST_STATIC_PAD_TEMPLATE ("rtcp_src_%u", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("application/x-srtcp"));

#define gst_gnutls_srtp_enc_parent_class parent_class
G_DEFINE_TYPE (GstGnutlsSrtpEnc, gst_gnutls_srtp_enc, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (gnutlssrtpenc,
    GST_GNUTLS_NAME_PREFIX "srtpenc", GST_RANK_NONE,
    GST_TYPE_GNUTLS_SRTP_ENC, gst_gnutls_srtp_init_once ());

static void gst_gnutls_srtp_enc_finalize (GObject * object);
static void gst_gnutls_srtp_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_gnutls_srtp_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstPad *gst_gnutls_srtp_enc_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_gnutls_srtp_enc_release_pad (GstElement * element,
    GstPad * pad);
static GstStateChangeReturn gst_gnutls_srtp_enc_change_state (GstElement *
    element, GstStateChange transition);
static GstFlowReturn gst_gnutls_srtp_enc_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buf);
static GstFlowReturn gst_gnutls_srtp_enc_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);
static gboolean gst_gnutls_srtp_enc_sink_event (GstPad * pad,
    GstObject * parent, GstEvent * event);
static gboolean gst_gnutls_srtp_enc_sink_query (GstPad * pad,
    GstObject * parent, GstQuery * query);
static gboolean gst_gnutls_srtp_enc_src_query (GstPad * pad,
    GstObject * parent, GstQuery * query);
static GstIterator *gst_gnutls_srtp_enc_iterate_internal_links (GstPad * pad,
    GstObject * parent);

static void
gst_gnutls_srtp_enc_class_init (GstGnutlsSrtpEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_srtp_enc_debug,
      GST_GNUTLS_NAME_PREFIX "srtpenc", 0, "libsrtp2 SRTP encoder");

  gobject_class->finalize = gst_gnutls_srtp_enc_finalize;
  gobject_class->set_property = gst_gnutls_srtp_enc_set_property;
  gobject_class->get_property = gst_gnutls_srtp_enc_get_property;

  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_release_pad);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_change_state);

  gst_element_class_add_static_pad_template (element_class, &rtp_sink_template);
  gst_element_class_add_static_pad_template (element_class, &rtp_src_template);
  gst_element_class_add_static_pad_template (element_class,
      &rtcp_sink_template);
  gst_element_class_add_static_pad_template (element_class, &rtcp_src_template);
  gst_element_class_set_static_metadata (element_class,
      "SRTP encoder (libsrtp2)", "Filter/Network/SRTP",
      "Protects RTP and RTCP with SRTP/SRTCP using libsrtp2 "
      "(AES-ICM, AES-GCM, HMAC-SHA1)", "GStreamer GnuTLS DTLS-SRTP developers");

  g_object_class_install_property (gobject_class, PROP_MKI,
      g_param_spec_boxed ("mki", "MKI",
          "Master Key Identifier appended to every packet (1 to 128 bytes), "
          "or NULL for none", GST_TYPE_BUFFER,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_KEY,
      g_param_spec_boxed ("key", "Key",
          "Master key followed by the master salt: 30 bytes for aes-128-icm, "
          "46 for aes-256-icm, 28 for aes-128-gcm, 44 for aes-256-gcm; may be "
          "changed while playing (rollover counters are kept)",
          GST_TYPE_BUFFER, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_RTP_CIPHER,
      g_param_spec_enum ("rtp-cipher", "RTP cipher",
          "Cipher used to encrypt RTP payloads",
          GST_TYPE_GNUTLS_SRTP_CIPHER_TYPE, DEFAULT_CIPHER,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_RTP_AUTH,
      g_param_spec_enum ("rtp-auth", "RTP authentication",
          "Authentication of RTP packets (ignored with the AES-GCM ciphers, "
          "which carry their own 16-byte tag)",
          GST_TYPE_GNUTLS_SRTP_AUTH_TYPE, DEFAULT_AUTH,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_RTCP_CIPHER,
      g_param_spec_enum ("rtcp-cipher", "RTCP cipher",
          "Cipher used to encrypt RTCP packets",
          GST_TYPE_GNUTLS_SRTP_CIPHER_TYPE, DEFAULT_CIPHER,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_RTCP_AUTH,
      g_param_spec_enum ("rtcp-auth", "RTCP authentication",
          "Authentication of RTCP packets (ignored with the AES-GCM ciphers)",
          GST_TYPE_GNUTLS_SRTP_AUTH_TYPE, DEFAULT_AUTH,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_RANDOM_KEY,
      g_param_spec_boolean ("random-key", "Random key",
          "Generate a random master key of the right length when none (or "
          "one of the wrong length) is set; read it back from \"key\"",
          DEFAULT_RANDOM_KEY, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_REPLAY_WINDOW_SIZE,
      g_param_spec_uint ("replay-window-size", "Replay window size",
          "Size of the replay protection window, in packets", 64, 0x8000,
          DEFAULT_REPLAY_WINDOW_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_ALLOW_REPEAT_TX,
      g_param_spec_boolean ("allow-repeat-tx", "Allow repeated transmission",
          "Allow sending a packet again with the same sequence number (it "
          "must then carry the same payload, or the keystream is reused)",
          DEFAULT_ALLOW_REPEAT_TX, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Per-SSRC streams (ssrc, roc, packet and byte counts) and totals: "
          "rtp-packets, rtp-bytes, rtcp-packets, rtcp-bytes, drops and "
          "drop-<reason>", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * GstGnutlsSrtpEnc:srtp-params:
   *
   * Every setting of #GstGnutlsSrtpEnc:key, #GstGnutlsSrtpEnc:mki and the
   * cipher and auth properties as one value, applied at once, so that no
   * packet is protected with half of them: `application/x-srtp` caps with
   * the fields srtpdec's request-key answer has (`srtp-key`, `srtp-cipher`,
   * `srtp-auth`, `srtcp-cipher`, `srtcp-auth`, optional `mki`). The DTLS-SRTP
   * encoder bin keys its SRTP encoder this way. Caps that do not hold a
   * usable key are refused with a warning, and the settings stay as they
   * were; %NULL removes the key.
   */
  g_object_class_install_property (gobject_class, PROP_SRTP_PARAMS,
      g_param_spec_boxed ("srtp-params", "SRTP parameters",
          "Key, MKI, ciphers and authentications at once, applied together: "
          "application/x-srtp caps with srtp-key, srtp-cipher, srtp-auth, "
          "srtcp-cipher, srtcp-auth (and mki), as srtpdec's request-key "
          "returns them", GST_TYPE_CAPS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstGnutlsSrtpEnc::soft-limit:
   * @self: the element
   *
   * The master key reached its soft usage limit: set a new key soon.
   */
  signals[SIGNAL_SOFT_LIMIT] = g_signal_new ("soft-limit",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);

  gst_type_mark_as_plugin_api (GST_TYPE_GNUTLS_SRTP_CIPHER_TYPE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_GNUTLS_SRTP_AUTH_TYPE, 0);
}

static void
on_srtp_event (gpointer user_data, guint32 ssrc, srtp_event_t event)
{
  GstGnutlsSrtpEnc *self = user_data;

  /* Runs inside srtp_protect, with self->lock held. */
  if (event == event_key_soft_limit)
    self->soft_limit_pending = TRUE;
}

static void
gst_gnutls_srtp_enc_init (GstGnutlsSrtpEnc * self)
{
  g_mutex_init (&self->lock);
  gst_gnutls_srtp_params_init (&self->params);
  self->random_key = DEFAULT_RANDOM_KEY;
  self->replay_window_size = DEFAULT_REPLAY_WINDOW_SIZE;
  self->allow_repeat_tx = DEFAULT_ALLOW_REPEAT_TX;
  self->streams = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->event_sink.magic = GST_GNUTLS_SRTP_EVENT_SINK_MAGIC;
  self->event_sink.func = on_srtp_event;
  self->event_sink.user_data = self;
}

static void
free_session_locked (GstGnutlsSrtpEnc * self)
{
  if (self->session) {
    srtp_dealloc (self->session);
    self->session = NULL;
  }
}

static void
gst_gnutls_srtp_enc_finalize (GObject * object)
{
  GstGnutlsSrtpEnc *self = GST_GNUTLS_SRTP_ENC (object);

  free_session_locked (self);
  gst_gnutls_srtp_params_clear (&self->params);
  gst_clear_buffer (&self->params.mkis[0]);
  g_hash_table_destroy (self->streams);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
settings_changed_locked (GstGnutlsSrtpEnc * self)
{
  self->session_dirty = TRUE;
  self->key_generation++;
}

/* Replaces every setting with those of @caps (NULL: no key), under one
 * lock. Called without the lock (the warning posts a message). */
static void
set_params (GstGnutlsSrtpEnc * self, const GstCaps * caps)
{
  GstGnutlsSrtpParams params;
  GError *err = NULL;

  gst_gnutls_srtp_params_init (&params);
  if (caps && (gst_caps_get_size (caps) != 1 ||
          !gst_gnutls_srtp_params_from_structure (gst_caps_get_structure
              (caps, 0), &params, &err))) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Ignored srtp-params: %s", err ? err->message :
            "caps with one application/x-srtp structure expected"),
        ("%" GST_PTR_FORMAT, caps));
    g_clear_error (&err);
    gst_gnutls_srtp_params_clear (&params);
    return;
  }
  g_mutex_lock (&self->lock);
  gst_gnutls_srtp_params_clear (&self->params);
  gst_clear_buffer (&self->params.mkis[0]);
  self->params = params;
  settings_changed_locked (self);
  g_mutex_unlock (&self->lock);
}

static GstCaps *
get_params_locked (GstGnutlsSrtpEnc * self)
{
  GstCaps *caps = gst_caps_new_empty_simple ("application/x-srtp");

  gst_gnutls_srtp_params_to_structure (&self->params,
      gst_caps_get_structure (caps, 0));
  return caps;
}

static void
gst_gnutls_srtp_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstGnutlsSrtpEnc *self = GST_GNUTLS_SRTP_ENC (object);

  if (prop_id == PROP_SRTP_PARAMS) {
    set_params (self, gst_value_get_caps (value));
    return;
  }

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_MKI:
    {
      GstBuffer *mki = g_value_get_boxed (value);

      /* Kept in mkis[0] even while there is no key (n_keys == 0). */
      gst_clear_buffer (&self->params.mkis[0]);
      if (mki)
        self->params.mkis[0] = gst_buffer_copy_deep (mki);
      settings_changed_locked (self);
      break;
    }
    case PROP_KEY:
    {
      GstBuffer *key = g_value_get_boxed (value);

      gst_clear_buffer (&self->params.keys[0]);
      if (key)
        self->params.keys[0] = gst_buffer_copy_deep (key);
      self->params.n_keys = key ? 1 : 0;
      settings_changed_locked (self);
      break;
    }
    case PROP_RTP_CIPHER:
      self->params.rtp_cipher = g_value_get_enum (value);
      settings_changed_locked (self);
      break;
    case PROP_RTP_AUTH:
      self->params.rtp_auth = g_value_get_enum (value);
      settings_changed_locked (self);
      break;
    case PROP_RTCP_CIPHER:
      self->params.rtcp_cipher = g_value_get_enum (value);
      settings_changed_locked (self);
      break;
    case PROP_RTCP_AUTH:
      self->params.rtcp_auth = g_value_get_enum (value);
      settings_changed_locked (self);
      break;
    case PROP_RANDOM_KEY:
      self->random_key = g_value_get_boolean (value);
      break;
    case PROP_REPLAY_WINDOW_SIZE:
      self->replay_window_size = g_value_get_uint (value);
      self->session_dirty = TRUE;
      break;
    case PROP_ALLOW_REPEAT_TX:
      self->allow_repeat_tx = g_value_get_boolean (value);
      self->session_dirty = TRUE;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static GstStructure *
stream_stats (GstGnutlsSrtpEnc * self, EncStream * stream)
{
  GstStructure *s = gst_structure_new ("application/x-srtp-stream",
      "ssrc", G_TYPE_UINT, stream->ssrc, NULL);
  guint32 roc = 0;

  if (self->session &&
      srtp_get_stream_roc (self->session, stream->ssrc, &roc) ==
      srtp_err_status_ok)
    gst_structure_set (s, "roc", G_TYPE_UINT, roc, NULL);
  gst_gnutls_srtp_counters_to_structure (&stream->counters, s);
  return s;
}

static GstStructure *
get_stats_locked (GstGnutlsSrtpEnc * self)
{
  GstStructure *s =
      gst_structure_new_empty ("application/x-srtp-encoder-stats");
  GValue streams = G_VALUE_INIT;
  GHashTableIter iter;
  gpointer value;

  g_value_init (&streams, GST_TYPE_ARRAY);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, stream_stats (self, value));
    gst_value_array_append_and_take_value (&streams, &v);
  }
  gst_structure_take_value (s, "streams", &streams);
  gst_gnutls_srtp_counters_to_structure (&self->totals, s);
  return s;
}

static void
gst_gnutls_srtp_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstGnutlsSrtpEnc *self = GST_GNUTLS_SRTP_ENC (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_MKI:
      g_value_set_boxed (value, self->params.mkis[0]);
      break;
    case PROP_KEY:
      g_value_set_boxed (value, self->params.keys[0]);
      break;
    case PROP_RTP_CIPHER:
      g_value_set_enum (value, self->params.rtp_cipher);
      break;
    case PROP_RTP_AUTH:
      g_value_set_enum (value, self->params.rtp_auth);
      break;
    case PROP_RTCP_CIPHER:
      g_value_set_enum (value, self->params.rtcp_cipher);
      break;
    case PROP_RTCP_AUTH:
      g_value_set_enum (value, self->params.rtcp_auth);
      break;
    case PROP_RANDOM_KEY:
      g_value_set_boolean (value, self->random_key);
      break;
    case PROP_REPLAY_WINDOW_SIZE:
      g_value_set_uint (value, self->replay_window_size);
      break;
    case PROP_ALLOW_REPEAT_TX:
      g_value_set_boolean (value, self->allow_repeat_tx);
      break;
    case PROP_STATS:
      g_value_take_boxed (value, get_stats_locked (self));
      break;
    case PROP_SRTP_PARAMS:
      g_value_take_boxed (value, get_params_locked (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

typedef enum
{
  SESSION_OK,
  SESSION_NO_KEY,               /* nothing to protect with yet: drop */
  SESSION_ERROR                 /* settings that can never work */
} SessionStatus;

/* Creates the session, or applies changed settings to it. libsrtp2's
 * srtp_update keeps each stream's rollover counter and replay state. */
static SessionStatus
ensure_session_locked (GstGnutlsSrtpEnc * self, GError ** error)
{
  GstGnutlsSrtpPolicyKeys keys;
  srtp_policy_t policy;
  srtp_err_status_t err;
  guint need;

  if (self->session && !self->session_dirty)
    return SESSION_OK;

  need = gst_gnutls_srtp_params_key_len (&self->params);
  if (self->random_key && need > 0 && (self->params.keys[0] == NULL ||
          gst_buffer_get_size (self->params.keys[0]) != need)) {
    GstBuffer *key = gst_buffer_new_allocate (NULL, need, NULL);
    GstMapInfo map;
    guint i;

    gst_buffer_map (key, &map, GST_MAP_WRITE);
    for (i = 0; i < need; i += 4) {
      guint32 r = g_random_int ();
      memcpy (map.data + i, &r, MIN (4, need - i));
    }
    gst_buffer_unmap (key, &map);
    gst_clear_buffer (&self->params.keys[0]);
    self->params.keys[0] = key;
    self->params.n_keys = 1;
    self->key_generation++;
  }

  if (need > 0 && self->params.n_keys == 0) {
    /* Keep protecting with the old key, if any, until a new one is set. */
    return self->session ? SESSION_OK : SESSION_NO_KEY;
  }
  if (!gst_gnutls_srtp_params_validate (&self->params, error))
    return SESSION_ERROR;

  gst_gnutls_srtp_policy_init (&policy, &keys, &self->params,
      self->replay_window_size, self->allow_repeat_tx);
  policy.ssrc.type = ssrc_any_outbound;
  if (self->session) {
    err = srtp_update (self->session, &policy);
  } else {
    err = srtp_create (&self->session, &policy);
    if (err == srtp_err_status_ok)
      gst_gnutls_srtp_session_set_event_sink (self->session, &self->event_sink);
    else
      self->session = NULL;
  }
  gst_gnutls_srtp_policy_release (&keys);

  if (err != srtp_err_status_ok) {
    g_set_error (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "libsrtp2 refused the SRTP settings: %s (%d)",
        gst_gnutls_srtp_strerror (err), err);
    return SESSION_ERROR;
  }
  self->session_dirty = FALSE;
  GST_DEBUG_OBJECT (self, "SRTP session ready (key generation %u)",
      self->key_generation);
  return SESSION_OK;
}

static void
post_setup_error (GstGnutlsSrtpEnc * self, GError * error)
{
  GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
      ("Cannot set up SRTP: %s. Set the \"key\" property (or "
          "random-key=true) to match rtp-cipher and rtcp-cipher.",
          error->message), ("%s", error->message));
  g_error_free (error);
}

static EncStream *
get_stream_locked (GstGnutlsSrtpEnc * self, guint32 ssrc)
{
  EncStream *stream = self->last_stream;

  if (G_LIKELY (stream && stream->ssrc == ssrc))
    return stream;
  stream = g_hash_table_lookup (self->streams, GUINT_TO_POINTER (ssrc));
  if (stream == NULL) {
    stream = g_new0 (EncStream, 1);
    stream->ssrc = ssrc;
    g_hash_table_insert (self->streams, GUINT_TO_POINTER (ssrc), stream);
    GST_INFO_OBJECT (self, "new SRTP stream for SSRC 0x%08x", ssrc);
  }
  self->last_stream = stream;
  return stream;
}

static void
count_drop_locked (GstGnutlsSrtpEnc * self, EncStream * stream,
    GstGnutlsSrtpDropReason reason, srtp_err_status_t err)
{
  guint64 n = ++self->totals.drops[reason];

  if (stream)
    stream->counters.drops[reason]++;
  if (gst_gnutls_srtp_should_log_drop (n))
    GST_WARNING_OBJECT (self, "dropped a packet (%s: %s), %" G_GUINT64_FORMAT
        " so far for that reason", gst_gnutls_srtp_drop_reason_name (reason),
        gst_gnutls_srtp_strerror (err), n);
}

/* Protects @buf, which must be writable, in place. FALSE: the packet is
 * dropped (counted), and the caller unrefs it. */
static gboolean
protect_locked (GstGnutlsSrtpEnc * self, GstBuffer * buf, gboolean is_rtcp)
{
  EncStream *stream = NULL;
  srtp_err_status_t err;
  gboolean use_mki;
  GstMapInfo map;
  guint32 ssrc;
  gsize size;
  int len;

  if (G_UNLIKELY (self->session == NULL)) {
    count_drop_locked (self, NULL, GST_GNUTLS_SRTP_DROP_NO_KEY,
        srtp_err_status_no_ctx);
    return FALSE;
  }

  size = gst_gnutls_srtp_buffer_map (buf, GST_GNUTLS_SRTP_MAX_TRAILER, &map);
  if (G_UNLIKELY (size < (is_rtcp ? 8 : 12) || size > G_MAXINT / 2 ||
          (map.data[0] & 0xc0) != 0x80)) {
    gst_gnutls_srtp_buffer_unmap (buf, &map, size);
    count_drop_locked (self, NULL, GST_GNUTLS_SRTP_DROP_INVALID,
        srtp_err_status_bad_param);
    return FALSE;
  }
  ssrc = gst_gnutls_srtp_read_ssrc (map.data, is_rtcp);
  stream = get_stream_locked (self, ssrc);

  len = size;
  use_mki = self->params.mkis[0] != NULL;
  if (is_rtcp)
    err = srtp_protect_rtcp_mki (self->session, map.data, &len, use_mki, 0);
  else
    err = srtp_protect_mki (self->session, map.data, &len, use_mki, 0);
  gst_gnutls_srtp_buffer_unmap (buf, &map,
      err == srtp_err_status_ok ? (gsize) len : size);

  if (G_UNLIKELY (err != srtp_err_status_ok)) {
    GstGnutlsSrtpDropReason reason = gst_gnutls_srtp_drop_reason (err);

    count_drop_locked (self, stream, reason, err);
    return FALSE;
  }

  if (is_rtcp) {
    stream->counters.rtcp_packets++;
    stream->counters.rtcp_bytes += size;
    self->totals.rtcp_packets++;
    self->totals.rtcp_bytes += size;
  } else {
    stream->counters.rtp_packets++;
    stream->counters.rtp_bytes += size;
    self->totals.rtp_packets++;
    self->totals.rtp_bytes += size;
  }
  return TRUE;
}

/* Caps for the src pad of @pair: the sink caps renamed, plus the key and
 * cipher settings. Called with the lock held. */
static GstCaps *
make_src_caps_locked (GstGnutlsSrtpEnc * self, PadPair * pair)
{
  GstCaps *caps = gst_pad_get_current_caps (pair->sinkpad);
  GstStructure *s;

  if (caps == NULL)
    caps = gst_caps_new_empty_simple (pair->is_rtcp ? "application/x-rtcp" :
        "application/x-rtp");
  caps = gst_gnutls_srtp_caps_rename (caps, TRUE, TRUE);
  s = gst_caps_get_structure (caps, 0);
  gst_gnutls_srtp_params_to_structure (&self->params, s);
  pair->caps_generation = self->key_generation;
  return caps;
}

/* Prepares the session and, if the key changed since the caps were last
 * sent, the new caps to push before the data. */
static gboolean
prepare_locked (GstGnutlsSrtpEnc * self, PadPair * pair, GstCaps ** new_caps)
{
  GError *error = NULL;

  if (ensure_session_locked (self, &error) == SESSION_ERROR) {
    g_mutex_unlock (&self->lock);
    post_setup_error (self, error);
    g_mutex_lock (&self->lock);
    return FALSE;
  }
  if (G_UNLIKELY (pair->caps_generation != self->key_generation))
    *new_caps = make_src_caps_locked (self, pair);
  return TRUE;
}

static void
after_unlock (GstGnutlsSrtpEnc * self, PadPair * pair, GstCaps * new_caps,
    gboolean soft_limit)
{
  if (new_caps) {
    gst_pad_push_event (pair->srcpad, gst_event_new_caps (new_caps));
    gst_caps_unref (new_caps);
  }
  if (soft_limit)
    g_signal_emit (self, signals[SIGNAL_SOFT_LIMIT], 0);
}

static GstFlowReturn
gst_gnutls_srtp_enc_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstGnutlsSrtpEnc *self = GST_GNUTLS_SRTP_ENC (parent);
  PadPair *pair = gst_pad_get_element_private (pad);
  GstCaps *new_caps = NULL;
  GstGnutlsSrtpOutput out;
  gboolean soft_limit, ok;

  buf = gst_buffer_make_writable (buf);
  g_mutex_lock (&self->lock);
  if (!prepare_locked (self, pair, &new_caps)) {
    g_mutex_unlock (&self->lock);
    gst_buffer_unref (buf);
    return GST_FLOW_NOT_NEGOTIATED;
  }
  ok = protect_locked (self, buf, pair->is_rtcp);
  soft_limit = self->soft_limit_pending;
  self->soft_limit_pending = FALSE;
  out = pair->out;
  g_mutex_unlock (&self->lock);

  after_unlock (self, pair, new_caps, soft_limit);
  if (G_UNLIKELY (!ok)) {
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  return gst_gnutls_srtp_output_push (pair->srcpad, &out, buf);
}

typedef struct
{
  GstGnutlsSrtpEnc *self;
  gboolean is_rtcp;
} ListCtx;

static gboolean
protect_list_item (GstBuffer * buf, gpointer user_data)
{
  ListCtx *ctx = user_data;

  return protect_locked (ctx->self, buf, ctx->is_rtcp);
}

static GstFlowReturn
gst_gnutls_srtp_enc_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  GstGnutlsSrtpEnc *self = GST_GNUTLS_SRTP_ENC (parent);
  PadPair *pair = gst_pad_get_element_private (pad);
  ListCtx ctx = { self, pair->is_rtcp };
  GstCaps *new_caps = NULL;
  GstGnutlsSrtpOutput out;
  gboolean soft_limit;

  list = gst_buffer_list_make_writable (list);

  g_mutex_lock (&self->lock);
  if (!prepare_locked (self, pair, &new_caps)) {
    g_mutex_unlock (&self->lock);
    gst_buffer_list_unref (list);
    return GST_FLOW_NOT_NEGOTIATED;
  }
  gst_gnutls_srtp_list_process (list, protect_list_item, &ctx);
  soft_limit = self->soft_limit_pending;
  self->soft_limit_pending = FALSE;
  out = pair->out;
  g_mutex_unlock (&self->lock);

  after_unlock (self, pair, new_caps, soft_limit);
  if (gst_buffer_list_length (list) == 0) {
    gst_buffer_list_unref (list);
    return GST_FLOW_OK;
  }
  return gst_gnutls_srtp_output_push_list (pair->srcpad, &out, list);
}

/* The direct entry points (gstgnutlssrtpdirect.h) */
static GstFlowReturn
direct_chain (GstPad * sinkpad, GstBuffer * buf)
{
  return gst_gnutls_srtp_enc_chain (sinkpad, GST_OBJECT_PARENT (sinkpad), buf);
}

static GstFlowReturn
direct_chain_list (GstPad * sinkpad, GstBufferList * list)
{
  return gst_gnutls_srtp_enc_chain_list (sinkpad, GST_OBJECT_PARENT (sinkpad),
      list);
}

static void
direct_set_output (GstPad * srcpad, GstGnutlsSrtpDirectPush push,
    GstGnutlsSrtpDirectPushList push_list, gpointer user_data)
{
  GstGnutlsSrtpEnc *self = GST_GNUTLS_SRTP_ENC (GST_OBJECT_PARENT (srcpad));
  PadPair *pair = gst_pad_get_element_private (srcpad);

  g_mutex_lock (&self->lock);
  gst_gnutls_srtp_output_set (&pair->out, push, push_list, user_data);
  g_mutex_unlock (&self->lock);
  GST_DEBUG_OBJECT (srcpad, "output %s", push ? "direct" : "through the pad");
}

static const GstGnutlsSrtpDirect direct_table = {
  GST_GNUTLS_SRTP_DIRECT_VERSION, direct_chain, direct_chain_list,
  direct_set_output, NULL, NULL
};

static gboolean
gst_gnutls_srtp_enc_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstGnutlsSrtpEnc *self = GST_GNUTLS_SRTP_ENC (parent);
  PadPair *pair = gst_pad_get_element_private (pad);

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    GstCaps *caps;
    GError *error = NULL;
    gboolean ok;

    gst_event_parse_caps (event, &caps);
    /* Store the caps first: the src caps are derived from them. */
    gst_pad_store_sticky_event (pad, event);
    gst_event_unref (event);

    g_mutex_lock (&self->lock);
    ok = ensure_session_locked (self, &error) != SESSION_ERROR;
    caps = ok ? make_src_caps_locked (self, pair) : NULL;
    g_mutex_unlock (&self->lock);
    if (!ok) {
      post_setup_error (self, error);
      return FALSE;
    }
    ok = gst_pad_push_event (pair->srcpad, gst_event_new_caps (caps));
    gst_caps_unref (caps);
    return ok;
  }
  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_gnutls_srtp_enc_sink_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  PadPair *pair = gst_pad_get_element_private (pad);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS:
      return gst_gnutls_srtp_query_caps_through (pad, pair->srcpad, query,
          TRUE);
    case GST_QUERY_ACCEPT_CAPS:{
      GstCaps *caps, *templ;
      gboolean ok;

      gst_query_parse_accept_caps (query, &caps);
      templ = gst_pad_get_pad_template_caps (pad);
      ok = gst_caps_can_intersect (caps, templ);
      gst_caps_unref (templ);
      gst_query_set_accept_caps_result (query, ok);
      return TRUE;
    }
    case GST_QUERY_ALLOCATION:{
      /* Ask for room after each packet so the tag fits in place. */
      GstAllocationParams params = { 0, 3, 0, GST_GNUTLS_SRTP_MAX_TRAILER, };

      gst_query_add_allocation_param (query, NULL, &params);
      return TRUE;
    }
    case GST_QUERY_CUSTOM:
      if (gst_gnutls_srtp_direct_answer (query, &direct_table))
        return TRUE;
      /* FALLTHROUGH */
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

static gboolean
gst_gnutls_srtp_enc_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  PadPair *pair = gst_pad_get_element_private (pad);

  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS)
    return gst_gnutls_srtp_query_caps_through (pad, pair->sinkpad, query,
        FALSE);
  return gst_pad_query_default (pad, parent, query);
}

static GstIterator *
gst_gnutls_srtp_enc_iterate_internal_links (GstPad * pad, GstObject * parent)
{
  PadPair *pair = gst_pad_get_element_private (pad);
  GstPad *other = pad == pair->sinkpad ? pair->srcpad : pair->sinkpad;
  GValue v = G_VALUE_INIT;
  GstIterator *it;

  g_value_init (&v, GST_TYPE_PAD);
  g_value_set_object (&v, other);
  it = gst_iterator_new_single (GST_TYPE_PAD, &v);
  g_value_unset (&v);
  return it;
}

static GstPad *
gst_gnutls_srtp_enc_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstGnutlsSrtpEnc *self = GST_GNUTLS_SRTP_ENC (element);
  GstElementClass *klass = GST_ELEMENT_GET_CLASS (element);
  gboolean is_rtcp = templ == gst_element_class_get_pad_template (klass,
      "rtcp_sink_%u");
  PadPair *pair;
  gchar *sink_name, *src_name;
  guint id;

  g_mutex_lock (&self->lock);
  if (name && sscanf (name, is_rtcp ? "rtcp_sink_%u" : "rtp_sink_%u", &id) == 1) {
    gchar *other = g_strdup_printf (is_rtcp ? "rtcp_sink_%u" : "rtp_sink_%u",
        id);
    GstPad *existing = gst_element_get_static_pad (element, other);

    g_free (other);
    if (existing) {
      gst_object_unref (existing);
      g_mutex_unlock (&self->lock);
      GST_WARNING_OBJECT (self, "pad %s already exists", name);
      return NULL;
    }
    self->next_pad_id = MAX (self->next_pad_id, id + 1);
  } else {
    id = self->next_pad_id++;
  }
  g_mutex_unlock (&self->lock);

  pair = g_new0 (PadPair, 1);
  pair->is_rtcp = is_rtcp;
  pair->caps_generation = G_MAXUINT;
  sink_name = g_strdup_printf (is_rtcp ? "rtcp_sink_%u" : "rtp_sink_%u", id);
  src_name = g_strdup_printf (is_rtcp ? "rtcp_src_%u" : "rtp_src_%u", id);

  pair->sinkpad = gst_pad_new_from_static_template (is_rtcp ?
      &rtcp_sink_template : &rtp_sink_template, sink_name);
  pair->srcpad = gst_pad_new_from_static_template (is_rtcp ?
      &rtcp_src_template : &rtp_src_template, src_name);
  g_free (sink_name);
  g_free (src_name);

  gst_pad_set_element_private (pair->sinkpad, pair);
  gst_pad_set_element_private (pair->srcpad, pair);
  gst_pad_set_chain_function (pair->sinkpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_chain));
  gst_pad_set_chain_list_function (pair->sinkpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_chain_list));
  gst_pad_set_event_function (pair->sinkpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_sink_event));
  gst_pad_set_query_function (pair->sinkpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_sink_query));
  gst_pad_set_query_function (pair->srcpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_src_query));
  gst_pad_set_iterate_internal_links_function (pair->sinkpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_iterate_internal_links));
  gst_pad_set_iterate_internal_links_function (pair->srcpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_srtp_enc_iterate_internal_links));
  GST_PAD_SET_PROXY_SCHEDULING (pair->sinkpad);
  GST_PAD_SET_PROXY_SCHEDULING (pair->srcpad);

  gst_pad_set_active (pair->srcpad, TRUE);
  gst_pad_set_active (pair->sinkpad, TRUE);
  gst_element_add_pad (element, pair->srcpad);
  gst_element_add_pad (element, pair->sinkpad);

  return pair->sinkpad;
}

static void
gst_gnutls_srtp_enc_release_pad (GstElement * element, GstPad * pad)
{
  PadPair *pair = gst_pad_get_element_private (pad);

  if (pair == NULL || pad != pair->sinkpad)
    return;
  gst_pad_set_active (pair->sinkpad, FALSE);
  gst_pad_set_active (pair->srcpad, FALSE);
  gst_element_remove_pad (element, pair->srcpad);
  gst_element_remove_pad (element, pair->sinkpad);
  g_free (pair);
}

static GstStateChangeReturn
gst_gnutls_srtp_enc_change_state (GstElement * element,
    GstStateChange transition)
{
  GstGnutlsSrtpEnc *self = GST_GNUTLS_SRTP_ENC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    GError *error = NULL;
    gboolean ok;

    g_mutex_lock (&self->lock);
    memset (&self->totals, 0, sizeof (self->totals));
    ok = ensure_session_locked (self, &error) != SESSION_ERROR;
    g_mutex_unlock (&self->lock);
    if (!ok) {
      post_setup_error (self, error);
      return GST_STATE_CHANGE_FAILURE;
    }
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    g_mutex_lock (&self->lock);
    free_session_locked (self);
    g_hash_table_remove_all (self->streams);
    self->last_stream = NULL;
    self->session_dirty = TRUE;
    g_mutex_unlock (&self->lock);
  }
  return ret;
}
