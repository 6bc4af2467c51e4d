/* GStreamer GnuTLS DTLS-SRTP suite: the DTLS-SRTP decoder bin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-gnutlsdtlssrtpdec
 * @title: gnutlsdtlssrtpdec
 * @see_also: gnutlsdtlssrtpenc, gnutlsdtlsdec, gnutlssrtpdec
 *
 * The receiving half of a DTLS-SRTP transport, as WebRTC uses it: one
 * stream of datagrams comes in on `sink`, which sends them by their first
 * byte (RFC 7983, as `gnutlsdtlssrtpdemux` does) to `gnutlsdtlsdec` for
 * DTLS records, which runs the handshake (its answers leave through the
 * `gnutlsdtlssrtpenc` of the same `connection-id`), and to `gnutlssrtpdec`
 * for SRTP/SRTCP, keyed with the handshake's exported keys. Anything else
 * (STUN, ZRTP, TURN channel data) is dropped and counted in
 * #GstGnutlsDtlsSrtpBin:stats.
 * Decrypted RTP leaves on `rtp_src`, RTCP on `rtcp_src`, and application
 * data (webrtcbin's SCTP) on the `data_src` request pad.
 *
 * `pem` reads back the certificate in use and `fingerprint` its SHA-256
 * fingerprint for the SDP; set `peer-fingerprint` from the peer's SDP and a
 * peer with another certificate is refused.
 *
 * Setting `key` (and the cipher/auth properties) keys SRTP by hand and
 * leaves DTLS out, as with the reference `dtlssrtpdec`.
 *
 * ## Example pipelines
 * |[
 * gst-launch-1.0 udpsrc port=5004 ! gnutlsdtlssrtpdec connection-id=s1
 *   ! rtppcmadepay ! alawdec ! autoaudiosink
 *   audiotestsrc is-live=true ! alawenc ! rtppcmapay !
 *   gnutlsdtlssrtpenc connection-id=s1 ! udpsink host=127.0.0.1 port=5005
 * ]| The server side of the call in the `gnutlsdtlssrtpenc` example.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlssrtpdec.h"
#include "gstgnutlsdtlselements.h"
#include "gstgnutlsdtlsbase.h"
#include "gstgnutlsdtlssrtpsplit.h"
#include "gstgnutlssrtpdirect.h"

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_srtp_dec_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_srtp_dec_debug

enum
{
  PROP_0,
  PROP_FORWARDED = 100          /* clear of the base class's ids */
};

struct _GstGnutlsDtlsSrtpDec
{
  GstGnutlsDtlsSrtpBin parent;

  GstElement *srtpdec, *dtlsdec;
  GstGnutlsDtlsSrtpSplit *split;        /* the sink pad and its outputs */
  const GstGnutlsSrtpDirect *direct;    /* the SRTP decoder's, or NULL */
};

static GstStaticPadTemplate sink_template =
GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate rtp_src_template =
GST_STATIC_PAD_TEMPLATE ("rtp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtp"));
static GstStaticPadTemplate rtcp_src_template =
GST_STATIC_PAD_TEMPLATE ("rtcp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtcp"));
static GstStaticPadTemplate data_src_template =
GST_STATIC_PAD_TEMPLATE ("data_src", GST_PAD_SRC, GST_PAD_REQUEST,
    GST_STATIC_CAPS_ANY);

#define gst_gnutls_dtls_srtp_dec_parent_class parent_class
G_DEFINE_TYPE (GstGnutlsDtlsSrtpDec, gst_gnutls_dtls_srtp_dec,
    GST_TYPE_GNUTLS_DTLS_SRTP_BIN);
GST_ELEMENT_REGISTER_DEFINE (gnutlsdtlssrtpdec,
    GST_GNUTLS_NAME_PREFIX "dtlssrtpdec", GST_RANK_NONE,
    GST_TYPE_GNUTLS_DTLS_SRTP_DEC);

static void gst_gnutls_dtls_srtp_dec_dispose (GObject * object);
static void gst_gnutls_dtls_srtp_dec_add_stats (GstGnutlsDtlsSrtpBin * bin,
    GstStructure * stats);
static void gst_gnutls_dtls_srtp_dec_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_gnutls_dtls_srtp_dec_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstPad *gst_gnutls_dtls_srtp_dec_request_new_pad (GstElement *
    element, GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_gnutls_dtls_srtp_dec_release_pad (GstElement * element,
    GstPad * pad);
static GstStateChangeReturn gst_gnutls_dtls_srtp_dec_change_state (GstElement
    * element, GstStateChange transition);
static void gst_gnutls_dtls_srtp_dec_remove_dtls_element (GstGnutlsDtlsSrtpBin
    * bin);

static void
gst_gnutls_dtls_srtp_dec_class_init (GstGnutlsDtlsSrtpDecClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstGnutlsDtlsSrtpBinClass *bin_class = GST_GNUTLS_DTLS_SRTP_BIN_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_srtp_dec_debug,
      GST_GNUTLS_NAME_PREFIX "dtlssrtpdec", 0, "GnuTLS DTLS-SRTP decoder bin");

  gobject_class->dispose = gst_gnutls_dtls_srtp_dec_dispose;
  gobject_class->set_property = gst_gnutls_dtls_srtp_dec_set_property;
  gobject_class->get_property = gst_gnutls_dtls_srtp_dec_get_property;
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_dec_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_dec_release_pad);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_dec_change_state);
  bin_class->remove_dtls_element =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_dec_remove_dtls_element);
  bin_class->add_stats = GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_dec_add_stats);

  gst_gnutls_dtls_base_install_forwarded (gobject_class, PROP_FORWARDED,
      GST_GNUTLS_DTLS_CONNECTION_DECODER, TRUE);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &rtp_src_template);
  gst_element_class_add_static_pad_template (element_class, &rtcp_src_template);
  gst_element_class_add_static_pad_template (element_class, &data_src_template);
  gst_element_class_set_static_metadata (element_class,
      "DTLS-SRTP decoder (GnuTLS, libsrtp2)", "Decoder/Network/DTLS/SRTP",
      "Splits a DTLS-SRTP stream, answers the DTLS handshake and decrypts "
      "SRTP/SRTCP with the keys it exports",
      "GStreamer GnuTLS DTLS-SRTP developers");
}

/* The SRTP decoder met a new SSRC: hand it the key of the connection (or
 * the manual one). Before the handshake completes there is none and the
 * packet is dropped (and counted) by the decoder. */
static GstCaps *
on_request_key (GstElement * srtpdec, guint ssrc, gpointer unused)
{
  GstGnutlsDtlsSrtpBin *bin = gst_gnutls_dtls_srtp_bin_from_child (srtpdec);
  GstCaps *caps;

  if (bin == NULL)
    return NULL;
  caps = gst_gnutls_dtls_srtp_bin_get_key_caps (bin,
      GST_GNUTLS_DTLS_CONNECTION_DECODER);
  GST_LOG_OBJECT (bin, "key for SSRC 0x%08x: %" GST_PTR_FORMAT, ssrc,
      caps ? gst_caps_get_structure (caps, 0) : NULL);
  gst_object_unref (bin);
  return caps;
}

/* New keys (a new handshake): streams keyed with older ones must ask
 * again. */
static void
on_key_received (GstElement * dtlsdec, gpointer unused)
{
  GstGnutlsDtlsSrtpDec *self = gst_gnutls_dtls_srtp_bin_from_child (dtlsdec);

  if (self == NULL)
    return;
  GST_INFO_OBJECT (self, "SRTP keys received from the DTLS handshake");
  g_signal_emit_by_name (self->srtpdec, "clear-keys");
  gst_object_unref (self);
}

/* An always pad of the bin, without a target until its child is known */
static GstPad *
add_ghost (GstGnutlsDtlsSrtpDec * self, GstStaticPadTemplate * templ)
{
  GstPad *ghost = gst_ghost_pad_new_no_target_from_template
      (templ->name_template,
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
          templ->name_template));

  gst_element_add_pad (GST_ELEMENT (self), ghost);
  return ghost;
}

static GstFlowReturn
ghost_push (gpointer ghost, GstBuffer * buf)
{
  return gst_pad_push (ghost, buf);
}

static GstFlowReturn
ghost_push_list (gpointer ghost, GstBufferList * list)
{
  return gst_pad_push_list (ghost, list);
}

/* With @direct, what the SRTP decoder sends out of @name leaves the bin's
 * @ghost at once, instead of crossing @name and the ghost's internal pad
 * first (events still take that way). */
static void
set_ghost_target (GstPad * ghost, GstElement * child, const gchar * name,
    const GstGnutlsSrtpDirect * direct)
{
  GstPad *pad = gst_element_get_static_pad (child, name);

  gst_ghost_pad_set_target (GST_GHOST_PAD (ghost), pad);
  if (direct)
    direct->set_output (pad, ghost_push, ghost_push_list, ghost);
  gst_object_unref (pad);
}

static void
gst_gnutls_dtls_srtp_dec_init (GstGnutlsDtlsSrtpDec * self)
{
  GstGnutlsDtlsSrtpBin *bin = GST_GNUTLS_DTLS_SRTP_BIN (self);
  GstPad *rtp_src, *rtcp_src, *srtp_sink, *dtls_sink;

  /* The always pads exist even when a child is missing, so the bin can be
   * linked; it then refuses to start, naming what is missing. The sink pad
   * is the bin's own: it sends DTLS and SRTP each to its element. */
  self->split = gst_gnutls_dtls_srtp_split_new (GST_ELEMENT (self),
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
          "sink"));
  gst_element_add_pad (GST_ELEMENT (self),
      gst_gnutls_dtls_srtp_split_get_sink (self->split));
  rtp_src = add_ghost (self, &rtp_src_template);
  rtcp_src = add_ghost (self, &rtcp_src_template);

  self->srtpdec = gst_gnutls_dtls_srtp_bin_add_child (bin,
      GST_GNUTLS_NAME_PREFIX "srtpdec");
  self->dtlsdec = gst_gnutls_dtls_srtp_bin_add_child (bin,
      GST_GNUTLS_NAME_PREFIX "dtlsdec");
  /* pem and fingerprint answer even when another child is missing (an
   * application may read them before it starts the bin) */
  if (self->dtlsdec)
    gst_gnutls_dtls_srtp_bin_set_dtls_element (GST_GNUTLS_DTLS_SRTP_BIN
        (self), self->dtlsdec);
  if (!self->srtpdec || !self->dtlsdec)
    return;
  gst_gnutls_dtls_srtp_bin_set_srtp_element (bin, self->srtpdec);

  srtp_sink = gst_element_get_static_pad (self->srtpdec, "rtp_sink");
  dtls_sink = gst_element_get_static_pad (self->dtlsdec, "sink");
  /* datagrams go from the bin's sink pad into the SRTP decoder's chain and
   * out of the bin's rtp_src/rtcp_src without crossing a pad in between */
  self->direct = gst_gnutls_srtp_direct_find (srtp_sink);
  if (self->direct && !self->direct->chain_demux)
    self->direct = NULL;
  if (self->direct == NULL)
    GST_INFO_OBJECT (self, "the SRTP decoder has no direct demux entry");
  gst_gnutls_dtls_srtp_split_link (self->split, srtp_sink, self->direct,
      dtls_sink);
  gst_object_unref (srtp_sink);
  gst_object_unref (dtls_sink);
  g_signal_connect (self->srtpdec, "request-key",
      G_CALLBACK (on_request_key), NULL);
  g_signal_connect (self->dtlsdec, "on-key-received",
      G_CALLBACK (on_key_received), NULL);

  set_ghost_target (rtp_src, self->srtpdec, "rtp_src", self->direct);
  set_ghost_target (rtcp_src, self->srtpdec, "rtcp_src", self->direct);
}

static void
gst_gnutls_dtls_srtp_dec_dispose (GObject * object)
{
  GstGnutlsDtlsSrtpDec *self = GST_GNUTLS_DTLS_SRTP_DEC (object);

  /* its outputs are linked to the children, which are about to go */
  g_clear_pointer (&self->split, gst_gnutls_dtls_srtp_split_free);
  /* the SRTP decoder may outlive the ghost pads it pushes on */
  if (self->direct && self->srtpdec) {
    const gchar *names[] = { "rtp_src", "rtcp_src" };
    guint i;

    for (i = 0; i < G_N_ELEMENTS (names); i++) {
      GstPad *pad = gst_element_get_static_pad (self->srtpdec, names[i]);

      self->direct->set_output (pad, NULL, NULL, NULL);
      gst_object_unref (pad);
    }
    self->direct = NULL;
  }
  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_gnutls_dtls_srtp_dec_add_stats (GstGnutlsDtlsSrtpBin * bin,
    GstStructure * stats)
{
  GstGnutlsDtlsSrtpDec *self = GST_GNUTLS_DTLS_SRTP_DEC (bin);

  if (self->split)
    gst_structure_set (stats, "not-dtls-or-srtp-dropped", G_TYPE_UINT64,
        gst_gnutls_dtls_srtp_split_get_dropped (self->split), NULL);
}

static void
gst_gnutls_dtls_srtp_dec_remove_dtls_element (GstGnutlsDtlsSrtpBin * bin)
{
  GstGnutlsDtlsSrtpDec *self = GST_GNUTLS_DTLS_SRTP_DEC (bin);

  if (self->dtlsdec == NULL)
    return;
  /* DTLS records that still arrive are dropped. */
  gst_gnutls_dtls_srtp_split_unlink_dtls (self->split);
  gst_element_set_state (self->dtlsdec, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self), self->dtlsdec);
  self->dtlsdec = NULL;
}

static GstPad *
gst_gnutls_dtls_srtp_dec_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstGnutlsDtlsSrtpDec *self = GST_GNUTLS_DTLS_SRTP_DEC (element);
  GstPad *target, *ghost;

  if (!self->srtpdec) {
    /* A child is missing: a pad that leads nowhere lets the application
     * link; starting fails with the "missing" error. */
    ghost = gst_ghost_pad_new_no_target_from_template ("data_src", templ);
    gst_element_add_pad (element, ghost);
    return ghost;
  }
  if (self->dtlsdec == NULL) {
    GST_WARNING_OBJECT (self, "no data_src without DTLS (manual keying)");
    return NULL;
  }
  target = gst_element_request_pad_simple (self->dtlsdec, "src");
  if (target == NULL)
    return NULL;
  ghost = gst_ghost_pad_new_from_template ("data_src", target, templ);
  gst_object_unref (target);
  gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (element, ghost);
  return ghost;
}

static void
gst_gnutls_dtls_srtp_dec_release_pad (GstElement * element, GstPad * pad)
{
  GstGnutlsDtlsSrtpDec *self = GST_GNUTLS_DTLS_SRTP_DEC (element);
  GstPad *target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));

  gst_ghost_pad_set_target (GST_GHOST_PAD (pad), NULL);
  if (target) {
    if (self->dtlsdec)
      gst_element_release_request_pad (self->dtlsdec, target);
    gst_object_unref (target);
  }
  gst_element_remove_pad (element, pad);
}

static void
gst_gnutls_dtls_srtp_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  if (prop_id >= PROP_FORWARDED)
    gst_gnutls_dtls_srtp_bin_forward_set (GST_GNUTLS_DTLS_SRTP_BIN (object),
        pspec, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_gnutls_dtls_srtp_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  if (prop_id >= PROP_FORWARDED)
    gst_gnutls_dtls_srtp_bin_forward_get (GST_GNUTLS_DTLS_SRTP_BIN (object),
        pspec, value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static GstStateChangeReturn
gst_gnutls_dtls_srtp_dec_change_state (GstElement * element,
    GstStateChange transition)
{
  GstGnutlsDtlsSrtpDec *self = GST_GNUTLS_DTLS_SRTP_DEC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY && !self->srtpdec) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("An element of the GnuTLS DTLS-SRTP suite is missing: install the "
            "whole suite (gnutlssrtp, gnutlsdtls)"), (NULL));
    return GST_STATE_CHANGE_FAILURE;
  }
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
    gst_gnutls_dtls_srtp_split_set_active (self->split, TRUE);
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    gst_gnutls_dtls_srtp_split_set_active (self->split, FALSE);
  return ret;
}
