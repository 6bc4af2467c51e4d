/* GStreamer GnuTLS DTLS-SRTP suite: the DTLS-SRTP encoder bin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-gnutlsdtlssrtpenc
 * @title: gnutlsdtlssrtpenc
 * @see_also: gnutlsdtlssrtpdec, gnutlsdtlsenc, gnutlssrtpenc
 *
 * The sending half of a DTLS-SRTP transport, as WebRTC uses it: RTP and
 * RTCP come in on `rtp_sink_%d`/`rtcp_sink_%d`, application data (such as
 * webrtcbin's SCTP) on `data_sink`, and one stream of datagrams, DTLS
 * records and SRTP/SRTCP packets mixed, leaves on `src`.
 *
 * Inside, `gnutlssrtpenc` and `gnutlsdtlsenc` push straight into the bin's
 * `src` pad, which sends out one stream-start, caps and segment and EOS
 * once every input ended (as a `funnel` would, one pad push less). Without
 * `rtp-sync`, a packet that comes in on `rtp_sink_%d` is protected and
 * pushed out of `src` in the same call, with no pad crossing in between
 * (events still take the pads, in order with the packets). The DTLS
 * handshake runs with the `gnutlsdtlssrtpdec` of the same `connection-id`
 * (which receives the peer's records); as soon as it completes the
 * exported keys are set on the SRTP encoder and #GstGnutlsDtlsSrtpEnc::on-key-set
 * is emitted. RTP arriving before that is dropped and counted by the SRTP
 * encoder, never sent in the clear.
 *
 * Setting `key` (and optionally the cipher/auth properties) instead keys
 * SRTP by hand and leaves DTLS out, as in the reference `dtlssrtpenc`.
 *
 * ## Example pipelines
 * |[
 * gst-launch-1.0 audiotestsrc is-live=true ! alawenc ! rtppcmapay !
 *   gnutlsdtlssrtpenc connection-id=c1 is-client=true !
 *   udpsink host=127.0.0.1 port=5004
 *   udpsrc port=5005 ! gnutlsdtlssrtpdec connection-id=c1 ! fakesink
 * ]| The client side of a DTLS-SRTP call with a peer that listens on UDP
 * port 5004 and answers to port 5005 (see `examples/dtls-srtp-call.c` for
 * both sides).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlssrtpenc.h"
#include "gstgnutlsdtlselements.h"
#include "gstgnutlsdtlsbase.h"
#include "gstgnutlsdtlssrtpmerge.h"
#include "gstgnutlssrtpdirect.h"

#include <stdio.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_srtp_enc_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_srtp_enc_debug

#define DEFAULT_RTP_SYNC FALSE

enum
{
  PROP_0,
  PROP_RTP_SYNC = 100,          /* clear of the base class's ids */
  PROP_FORWARDED
};

enum
{
  SIGNAL_ON_KEY_SET,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

struct _GstGnutlsDtlsSrtpEnc
{
  GstGnutlsDtlsSrtpBin parent;

  GstElement *srtpenc, *dtlsenc;
  GstGnutlsDtlsSrtpMerge *merge;        /* the src pad and its inputs */
  GstPad *dtls_input;           /* where dtlsenc's records join */

  /* protected by OBJECT_LOCK */
  gboolean rtp_sync;
  guint n_media_pads;           /* rtp/rtcp sink pads requested */
  guint n_media_eos;            /* ... that have seen EOS */
  gboolean have_data_pad;
  guint n_placeholders;         /* pads given while a child is missing */
};

/* The element_private of an rtp/rtcp sink pad whose packets go to the
 * SRTP encoder's chain function and from it to the merge's src pad without
 * crossing a pad (gstgnutlssrtpdirect.h) */
typedef struct
{
  const GstGnutlsSrtpDirect *direct;
  GstPad *target;               /* the SRTP encoder's sink pad */
  GstPad *srtp_src;             /* ... and its src pad */
} DirectPad;

static GstStaticPadTemplate rtp_sink_template =
    GST_STATIC_PAD_TEMPLATE ("rtp_sink_%d", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("application/x-rtp; application/x-rtcp"));
static GstStaticPadTemplate rtcp_sink_template =
    GST_STATIC_PAD_TEMPLATE ("rtcp_sink_%d", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("application/x-rtp; application/x-rtcp"));
static GstStaticPadTemplate data_sink_template =
GST_STATIC_PAD_TEMPLATE ("data_sink", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template =
GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS_ANY);

#define gst_gnutls_dtls_srtp_enc_parent_class parent_class
G_DEFINE_TYPE (GstGnutlsDtlsSrtpEnc, gst_gnutls_dtls_srtp_enc,
    GST_TYPE_GNUTLS_DTLS_SRTP_BIN);
GST_ELEMENT_REGISTER_DEFINE (gnutlsdtlssrtpenc,
    GST_GNUTLS_NAME_PREFIX "dtlssrtpenc", GST_RANK_NONE,
    GST_TYPE_GNUTLS_DTLS_SRTP_ENC);

static void gst_gnutls_dtls_srtp_enc_dispose (GObject * object);
static void gst_gnutls_dtls_srtp_enc_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_gnutls_dtls_srtp_enc_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstPad *gst_gnutls_dtls_srtp_enc_request_new_pad (GstElement *
    element, GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_gnutls_dtls_srtp_enc_release_pad (GstElement * element,
    GstPad * pad);
static GstStateChangeReturn gst_gnutls_dtls_srtp_enc_change_state (GstElement
    * element, GstStateChange transition);
static void gst_gnutls_dtls_srtp_enc_remove_dtls_element (GstGnutlsDtlsSrtpBin
    * bin);

static void
gst_gnutls_dtls_srtp_enc_class_init (GstGnutlsDtlsSrtpEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstGnutlsDtlsSrtpBinClass *bin_class = GST_GNUTLS_DTLS_SRTP_BIN_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_srtp_enc_debug,
      GST_GNUTLS_NAME_PREFIX "dtlssrtpenc", 0, "GnuTLS DTLS-SRTP encoder bin");

  gobject_class->dispose = gst_gnutls_dtls_srtp_enc_dispose;
  gobject_class->set_property = gst_gnutls_dtls_srtp_enc_set_property;
  gobject_class->get_property = gst_gnutls_dtls_srtp_enc_get_property;
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_enc_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_enc_release_pad);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_enc_change_state);
  bin_class->remove_dtls_element =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_enc_remove_dtls_element);

  g_object_class_install_property (gobject_class, PROP_RTP_SYNC,
      g_param_spec_boolean ("rtp-sync", "Synchronise RTP",
          "Hold each RTP packet until its running time on the pipeline "
          "clock before it is mixed with RTCP and DTLS (applies to pads "
          "requested afterwards)", DEFAULT_RTP_SYNC,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  gst_gnutls_dtls_base_install_forwarded (gobject_class, PROP_FORWARDED,
      GST_GNUTLS_DTLS_CONNECTION_ENCODER, TRUE);

  /**
   * GstGnutlsDtlsSrtpEnc::on-key-set:
   * @self: the bin
   *
   * The SRTP encoder has its key (from the DTLS handshake or set by hand):
   * RTP now leaves encrypted instead of being dropped.
   * #GstGnutlsDtlsSrtpEnc:srtp-profile says which SRTP profile the
   * handshake negotiated.
   */
  signals[SIGNAL_ON_KEY_SET] = g_signal_new ("on-key-set",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);

  gst_element_class_add_static_pad_template (element_class, &rtp_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &rtcp_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &data_sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "DTLS-SRTP encoder (GnuTLS, libsrtp2)", "Encoder/Network/DTLS/SRTP",
      "Protects RTP/RTCP with SRTP keyed by a DTLS handshake and muxes them "
      "with the DTLS records and application data onto one stream",
      "GStreamer GnuTLS DTLS-SRTP developers");
}

/* The handshake completed: key the SRTP encoder, in one step. Runs on
 * whichever thread completed it, without any lock of ours held. */
static void
on_key_received (GstElement * dtlsenc, gpointer unused)
{
  GstGnutlsDtlsSrtpEnc *self = gst_gnutls_dtls_srtp_bin_from_child (dtlsenc);
  GstCaps *caps;

  if (self == NULL)
    return;
  caps = gst_gnutls_dtls_srtp_bin_get_key_caps (GST_GNUTLS_DTLS_SRTP_BIN
      (self), GST_GNUTLS_DTLS_CONNECTION_ENCODER);
  if (caps == NULL) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED,
        ("The DTLS handshake completed without SRTP keys"), (NULL));
    gst_object_unref (self);
    return;
  }

  GST_INFO_OBJECT (self, "SRTP keyed by DTLS with %s",
      gst_structure_get_string (gst_caps_get_structure (caps, 0),
          "srtp-profile"));
  g_object_set (self->srtpenc, "srtp-params", caps, NULL);
  gst_caps_unref (caps);

  g_signal_emit (self, signals[SIGNAL_ON_KEY_SET], 0);
  gst_object_unref (self);
}

static void
gst_gnutls_dtls_srtp_enc_init (GstGnutlsDtlsSrtpEnc * self)
{
  GstGnutlsDtlsSrtpBin *bin = GST_GNUTLS_DTLS_SRTP_BIN (self);
  GstPad *pad;

  /* The src pad is the bin's own, where the DTLS records and the SRTP
   * packets merge; it exists even when a child is missing, so the bin can
   * be linked, and then refuses to start, naming what is missing. */
  self->rtp_sync = DEFAULT_RTP_SYNC;
  self->merge = gst_gnutls_dtls_srtp_merge_new (GST_ELEMENT (self),
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self), "src"));
  gst_element_add_pad (GST_ELEMENT (self),
      gst_gnutls_dtls_srtp_merge_get_src (self->merge));
  self->srtpenc = gst_gnutls_dtls_srtp_bin_add_child (bin,
      GST_GNUTLS_NAME_PREFIX "srtpenc");
  self->dtlsenc = gst_gnutls_dtls_srtp_bin_add_child (bin,
      GST_GNUTLS_NAME_PREFIX "dtlsenc");
  /* is-client and the rest work even when another child is missing (an
   * application may set them before it starts the bin) */
  if (self->dtlsenc)
    gst_gnutls_dtls_srtp_bin_set_dtls_element (GST_GNUTLS_DTLS_SRTP_BIN
        (self), self->dtlsenc);
  if (!self->srtpenc || !self->dtlsenc)
    return;
  gst_gnutls_dtls_srtp_bin_set_srtp_element (bin, self->srtpenc);

  pad = gst_element_get_static_pad (self->dtlsenc, "src");
  self->dtls_input = gst_gnutls_dtls_srtp_merge_add_input (self->merge, pad);
  gst_object_unref (pad);
  g_signal_connect (self->dtlsenc, "on-key-received",
      G_CALLBACK (on_key_received), NULL);
}

static GstFlowReturn
direct_pad_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  DirectPad *d = gst_pad_get_element_private (pad);

  return d->direct->chain (d->target, buf);
}

static GstFlowReturn
direct_pad_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  DirectPad *d = gst_pad_get_element_private (pad);

  return d->direct->chain_list (d->target, list);
}

/* Sends what @ghost receives to the SRTP encoder's chain, and what that
 * protects to the merge's @input, if the encoder has direct entry points;
 * otherwise the pads carry it. */
static void
direct_pad_setup (GstPad * ghost, GstPad * target, GstPad * srtp_src,
    GstPad * input)
{
  const GstGnutlsSrtpDirect *direct = gst_gnutls_srtp_direct_find (target);
  DirectPad *d;

  if (direct == NULL) {
    GST_INFO_OBJECT (ghost, "the SRTP encoder has no direct entry points");
    return;
  }
  d = g_new0 (DirectPad, 1);
  d->direct = direct;
  d->target = gst_object_ref (target);
  d->srtp_src = gst_object_ref (srtp_src);
  direct->set_output (srtp_src, gst_gnutls_dtls_srtp_merge_push,
      gst_gnutls_dtls_srtp_merge_push_list, input);
  gst_pad_set_element_private (ghost, d);
  gst_pad_set_chain_function (ghost, GST_DEBUG_FUNCPTR (direct_pad_chain));
  gst_pad_set_chain_list_function (ghost,
      GST_DEBUG_FUNCPTR (direct_pad_chain_list));
}

/* Undoes direct_pad_setup(), before the merge input or the SRTP encoder's
 * pads go: the pad is deactivated first, so no chain is running. */
static void
direct_pad_clear (GstPad * ghost)
{
  DirectPad *d = gst_pad_get_element_private (ghost);

  if (d == NULL)
    return;
  gst_pad_set_active (ghost, FALSE);
  d->direct->set_output (d->srtp_src, NULL, NULL, NULL);
  gst_pad_set_element_private (ghost, NULL);
  gst_object_unref (d->target);
  gst_object_unref (d->srtp_src);
  g_free (d);
}

static gboolean
clear_direct_pad (GstElement * element, GstPad * pad, gpointer unused)
{
  direct_pad_clear (pad);
  return TRUE;
}

static void
gst_gnutls_dtls_srtp_enc_dispose (GObject * object)
{
  GstGnutlsDtlsSrtpEnc *self = GST_GNUTLS_DTLS_SRTP_ENC (object);

  /* the sink pads lead to the SRTP encoder, the merge's inputs to the
   * children, which are about to go */
  gst_element_foreach_sink_pad (GST_ELEMENT (self), clear_direct_pad, NULL);
  g_clear_pointer (&self->merge, gst_gnutls_dtls_srtp_merge_free);
  self->dtls_input = NULL;
  G_OBJECT_CLASS (parent_class)->dispose (object);
}

/* The stream ends when the media does: src would otherwise wait for an EOS
 * on the DTLS input too, which only data_sink can bring. */
static GstPadProbeReturn
media_event_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstGnutlsDtlsSrtpEnc *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  gboolean all_done = FALSE;

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS) {
    GST_OBJECT_LOCK (self);
    self->n_media_eos++;
    all_done = self->n_media_eos == self->n_media_pads && !self->have_data_pad;
    GST_OBJECT_UNLOCK (self);
  } else if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
    GST_OBJECT_LOCK (self);
    if (self->n_media_eos > 0)
      self->n_media_eos--;
    GST_OBJECT_UNLOCK (self);
  }
  if (all_done && self->dtls_input) {
    GST_DEBUG_OBJECT (self, "all media ended: ending the DTLS branch too");
    gst_pad_send_event (self->dtls_input, gst_event_new_eos ());
  }
  return GST_PAD_PROBE_OK;
}

static void
gst_gnutls_dtls_srtp_enc_remove_dtls_element (GstGnutlsDtlsSrtpBin * bin)
{
  GstGnutlsDtlsSrtpEnc *self = GST_GNUTLS_DTLS_SRTP_ENC (bin);
  GstCaps *caps;

  caps = gst_gnutls_dtls_srtp_bin_get_key_caps (bin,
      GST_GNUTLS_DTLS_CONNECTION_ENCODER);
  g_object_set (self->srtpenc, "srtp-params", caps, NULL);
  gst_clear_caps (&caps);

  if (self->dtlsenc == NULL)
    return;
  if (self->dtls_input)
    gst_gnutls_dtls_srtp_merge_remove_input (self->merge, self->dtls_input);
  self->dtls_input = NULL;
  gst_element_set_state (self->dtlsenc, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self), self->dtlsenc);
  self->dtlsenc = NULL;
  g_signal_emit (self, signals[SIGNAL_ON_KEY_SET], 0);
}

static GstPad *
gst_gnutls_dtls_srtp_enc_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstGnutlsDtlsSrtpEnc *self = GST_GNUTLS_DTLS_SRTP_ENC (element);
  const gchar *tname = GST_PAD_TEMPLATE_NAME_TEMPLATE (templ);
  GstPad *target = NULL, *ghost, *input = NULL, *srtp_src = NULL;
  gchar *ghost_name;

  if (!self->srtpenc) {
    /* A child is missing: a pad that leads nowhere lets the application
     * link; starting fails with the "missing" error. */
    GST_OBJECT_LOCK (self);
    if (name)
      ghost_name = g_strdup (name);
    else if (g_str_equal (tname, "data_sink"))
      ghost_name = g_strdup ("data_sink");
    else
      ghost_name = g_strdup_printf (g_str_equal (tname, "rtcp_sink_%d") ?
          "rtcp_sink_%u" : "rtp_sink_%u", self->n_placeholders++);
    GST_OBJECT_UNLOCK (self);
    ghost = gst_ghost_pad_new_no_target_from_template (ghost_name, templ);
    g_free (ghost_name);
    gst_element_add_pad (element, ghost);
    return ghost;
  }

  if (g_str_equal (tname, "data_sink")) {
    if (self->dtlsenc == NULL) {
      GST_WARNING_OBJECT (self, "no data_sink without DTLS (manual keying)");
      return NULL;
    }
    target = gst_element_request_pad_simple (self->dtlsenc, "sink");
    ghost_name = g_strdup ("data_sink");
    GST_OBJECT_LOCK (self);
    self->have_data_pad = target != NULL;
    GST_OBJECT_UNLOCK (self);
  } else {
    gboolean rtcp = g_str_equal (tname, "rtcp_sink_%d");
    gchar *srtp_name = NULL;
    GstElement *sync = NULL;
    gboolean rtp_sync;
    guint id;

    if (name && sscanf (name, rtcp ? "rtcp_sink_%u" : "rtp_sink_%u", &id) == 1)
      srtp_name = g_strdup_printf (rtcp ? "rtcp_sink_%u" : "rtp_sink_%u", id);
    target = gst_element_request_pad_simple (self->srtpenc,
        srtp_name ? srtp_name : (rtcp ? "rtcp_sink_%u" : "rtp_sink_%u"));
    g_free (srtp_name);
    if (target == NULL)
      return NULL;
    ghost_name = g_strdup (GST_PAD_NAME (target));

    /* Its SRTP output goes straight out, through a clocksync with
     * rtp-sync. */
    {
      gchar *src_name = g_strdup (GST_PAD_NAME (target));
      gchar *p = strstr (src_name, "_sink_");

      memcpy (p, "_src_", 5);
      memmove (p + 5, p + 6, strlen (p + 6) + 1);
      srtp_src = gst_element_get_static_pad (self->srtpenc, src_name);
      g_free (src_name);
    }
    GST_OBJECT_LOCK (self);
    rtp_sync = self->rtp_sync && !rtcp;
    GST_OBJECT_UNLOCK (self);
    if (rtp_sync && (sync = gst_element_factory_make ("clocksync", NULL))) {
      GstPad *s_sink, *s_src;

      gst_bin_add (GST_BIN (self), sync);
      gst_element_sync_state_with_parent (sync);
      s_sink = gst_element_get_static_pad (sync, "sink");
      s_src = gst_element_get_static_pad (sync, "src");
      gst_pad_link (srtp_src, s_sink);
      input = gst_gnutls_dtls_srtp_merge_add_input (self->merge, s_src);
      gst_object_unref (s_sink);
      gst_object_unref (s_src);
    } else {
      input = gst_gnutls_dtls_srtp_merge_add_input (self->merge, srtp_src);
    }
    if (sync || input == NULL)
      gst_clear_object (&srtp_src);
    gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
        GST_PAD_PROBE_TYPE_EVENT_FLUSH, media_event_probe, self, NULL);
    GST_OBJECT_LOCK (self);
    self->n_media_pads++;
    GST_OBJECT_UNLOCK (self);
  }

  if (target == NULL) {
    g_free (ghost_name);
    return NULL;
  }
  ghost = gst_ghost_pad_new_from_template (ghost_name, target, templ);
  g_free (ghost_name);
  if (srtp_src) {
    direct_pad_setup (ghost, target, srtp_src, input);
    gst_object_unref (srtp_src);
  }
  gst_object_unref (target);
  if (input)
    g_object_set_data (G_OBJECT (ghost), "merge-input", input);
  gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (element, ghost);
  return ghost;
}

static void
gst_gnutls_dtls_srtp_enc_release_pad (GstElement * element, GstPad * pad)
{
  GstGnutlsDtlsSrtpEnc *self = GST_GNUTLS_DTLS_SRTP_ENC (element);
  GstPad *target;
  GstPad *input;

  direct_pad_clear (pad);
  target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  if (target) {
    GstElement *owner = gst_pad_get_parent_element (target);

    GST_OBJECT_LOCK (self);
    if (owner == self->dtlsenc)
      self->have_data_pad = FALSE;
    else if (self->n_media_pads > 0)
      self->n_media_pads--;
    GST_OBJECT_UNLOCK (self);
    gst_ghost_pad_set_target (GST_GHOST_PAD (pad), NULL);
    if (owner) {
      /* The matching SRTP src pad goes with the sink pad */
      gst_element_release_request_pad (owner, target);
      gst_object_unref (owner);
    }
    gst_object_unref (target);
  }
  /* (at dispose, the merge and its inputs went first) */
  input = g_object_get_data (G_OBJECT (pad), "merge-input");
  if (input && self->merge)
    gst_gnutls_dtls_srtp_merge_remove_input (self->merge, input);
  gst_element_remove_pad (element, pad);
}

static void
gst_gnutls_dtls_srtp_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsSrtpEnc *self = GST_GNUTLS_DTLS_SRTP_ENC (object);

  if (prop_id == PROP_RTP_SYNC) {
    GST_OBJECT_LOCK (self);
    self->rtp_sync = g_value_get_boolean (value);
    GST_OBJECT_UNLOCK (self);
  } else if (prop_id >= PROP_FORWARDED) {
    gst_gnutls_dtls_srtp_bin_forward_set (GST_GNUTLS_DTLS_SRTP_BIN (self),
        pspec, value);
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
gst_gnutls_dtls_srtp_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsSrtpEnc *self = GST_GNUTLS_DTLS_SRTP_ENC (object);

  if (prop_id == PROP_RTP_SYNC) {
    GST_OBJECT_LOCK (self);
    g_value_set_boolean (value, self->rtp_sync);
    GST_OBJECT_UNLOCK (self);
  } else if (prop_id >= PROP_FORWARDED) {
    gst_gnutls_dtls_srtp_bin_forward_get (GST_GNUTLS_DTLS_SRTP_BIN (self),
        pspec, value);
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static GstStateChangeReturn
gst_gnutls_dtls_srtp_enc_change_state (GstElement * element,
    GstStateChange transition)
{
  GstGnutlsDtlsSrtpEnc *self = GST_GNUTLS_DTLS_SRTP_ENC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY && !self->srtpenc) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("An element of the GnuTLS DTLS-SRTP suite is missing: install the "
            "whole suite (gnutlssrtp, gnutlsdtls)"), (NULL));
    return GST_STATE_CHANGE_FAILURE;
  }
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    GST_OBJECT_LOCK (self);
    self->n_media_eos = 0;
    GST_OBJECT_UNLOCK (self);
    /* before the children start pushing */
    gst_gnutls_dtls_srtp_merge_set_active (self->merge, TRUE);
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    gst_gnutls_dtls_srtp_merge_set_active (self->merge, FALSE);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY && self->dtlsenc) {
    /* A restart runs a fresh handshake: until it completes, RTP is
     * dropped, not protected with the old key. */
    g_object_set (self->srtpenc, "srtp-params", NULL, NULL);
  }
  return ret;
}
