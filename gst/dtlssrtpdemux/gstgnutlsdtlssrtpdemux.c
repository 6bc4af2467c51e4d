/* GStreamer GnuTLS DTLS-SRTP suite: RFC 7983 demultiplexer.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-gnutlsdtlssrtpdemux
 * @title: gnutlsdtlssrtpdemux
 * @see_also: gnutlssrtpdec, gnutlsdtlsdec
 *
 * Splits one stream of datagrams, as received on a WebRTC transport, by
 * their first byte as RFC 7983 prescribes: DTLS records (20-63) leave on
 * `dtls_src`, SRTP and SRTCP (128-191) on `rtp_src`. STUN (0-3), ZRTP
 * (16-19) and TURN channel data (64-79), and anything else, are dropped and
 * counted in #GstGnutlsDtlsSrtpDemux:stats; they are never handed to the
 * wrong element. There is no cryptography here.
 *
 * A drop-in replacement for gst-plugins-bad's `dtlssrtpdemux`.
 *
 * ## Example pipelines
 * |[
 * gst-launch-1.0 udpsrc port=5004 ! gnutlsdtlssrtpdemux name=d
 *   d.rtp_src ! queue ! fakesink  d.dtls_src ! queue ! fakesink
 * ]| Receives a muxed DTLS-SRTP stream on UDP port 5004 and splits it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlssrtpdemux.h"
#include "gstgnutlsrfc7983.h"

#include <gst/base/gstflowcombiner.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_srtp_demux_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_srtp_demux_debug

enum
{
  PROP_0,
  PROP_STATS
};


static const gchar *kind_stat_names[GST_GNUTLS_RFC7983_N_KINDS] = {
  "rtp-packets", "dtls-packets", "stun-dropped", "zrtp-dropped",
  "turn-channel-dropped", "unknown-dropped"
};

struct _GstGnutlsDtlsSrtpDemux
{
  GstElement element;

  GstPad *sinkpad, *rtp_srcpad, *dtls_srcpad;
  GstFlowCombiner *flow_combiner;       /* streaming thread only */

  guint64 counts[GST_GNUTLS_RFC7983_N_KINDS];   /* protected by OBJECT_LOCK */
};

static GstStaticPadTemplate sink_template =
GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate rtp_src_template =
    GST_STATIC_PAD_TEMPLATE ("rtp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-rtp; application/x-rtcp; "
        "application/x-srtp; application/x-srtcp"));
static GstStaticPadTemplate dtls_src_template =
GST_STATIC_PAD_TEMPLATE ("dtls_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-dtls"));

#define gst_gnutls_dtls_srtp_demux_parent_class parent_class
G_DEFINE_TYPE (GstGnutlsDtlsSrtpDemux, gst_gnutls_dtls_srtp_demux,
    GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (gnutlsdtlssrtpdemux,
    GST_GNUTLS_NAME_PREFIX "dtlssrtpdemux", GST_RANK_NONE,
    GST_TYPE_GNUTLS_DTLS_SRTP_DEMUX);

static void gst_gnutls_dtls_srtp_demux_finalize (GObject * object);
static void gst_gnutls_dtls_srtp_demux_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstFlowReturn gst_gnutls_dtls_srtp_demux_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buf);
static GstFlowReturn gst_gnutls_dtls_srtp_demux_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);
static gboolean gst_gnutls_dtls_srtp_demux_sink_event (GstPad * pad,
    GstObject * parent, GstEvent * event);
static GstStateChangeReturn gst_gnutls_dtls_srtp_demux_change_state (GstElement
    * element, GstStateChange transition);

static void
gst_gnutls_dtls_srtp_demux_class_init (GstGnutlsDtlsSrtpDemuxClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_srtp_demux_debug,
      GST_GNUTLS_NAME_PREFIX "dtlssrtpdemux", 0,
      "RFC 7983 DTLS/SRTP demultiplexer");

  gobject_class->finalize = gst_gnutls_dtls_srtp_demux_finalize;
  gobject_class->get_property = gst_gnutls_dtls_srtp_demux_get_property;
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_demux_change_state);

  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Datagrams seen, by kind: rtp-packets and dtls-packets (passed "
          "on), stun-dropped, zrtp-dropped, turn-channel-dropped and "
          "unknown-dropped (empty or unassigned first byte)",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &rtp_src_template);
  gst_element_class_add_static_pad_template (element_class, &dtls_src_template);
  gst_element_class_set_static_metadata (element_class,
      "DTLS/SRTP demultiplexer (RFC 7983)", "Demuxer/Network",
      "Sends DTLS records to dtls_src and SRTP/SRTCP to rtp_src by their "
      "first byte; counts and drops STUN, ZRTP, TURN channel data and "
      "anything else", "GStreamer GnuTLS DTLS-SRTP developers");
}

static GstPad *
add_src_pad (GstGnutlsDtlsSrtpDemux * self, GstStaticPadTemplate * templ)
{
  GstPad *pad = gst_pad_new_from_static_template (templ, templ->name_template);

  gst_pad_use_fixed_caps (pad);
  gst_element_add_pad (GST_ELEMENT (self), pad);
  gst_flow_combiner_add_pad (self->flow_combiner, pad);
  return pad;
}

static void
gst_gnutls_dtls_srtp_demux_init (GstGnutlsDtlsSrtpDemux * self)
{
  self->flow_combiner = gst_flow_combiner_new ();

  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_demux_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_demux_chain_list));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_demux_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->rtp_srcpad = add_src_pad (self, &rtp_src_template);
  self->dtls_srcpad = add_src_pad (self, &dtls_src_template);
}

static void
gst_gnutls_dtls_srtp_demux_finalize (GObject * object)
{
  GstGnutlsDtlsSrtpDemux *self = GST_GNUTLS_DTLS_SRTP_DEMUX (object);

  gst_flow_combiner_free (self->flow_combiner);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_gnutls_dtls_srtp_demux_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsSrtpDemux *self = GST_GNUTLS_DTLS_SRTP_DEMUX (object);

  switch (prop_id) {
    case PROP_STATS:{
      GstStructure *s =
          gst_structure_new_empty ("application/x-dtls-srtp-demux-stats");
      guint i;

      GST_OBJECT_LOCK (self);
      for (i = 0; i < GST_GNUTLS_RFC7983_N_KINDS; i++)
        gst_structure_set (s, kind_stat_names[i], G_TYPE_UINT64,
            self->counts[i], NULL);
      GST_OBJECT_UNLOCK (self);
      g_value_take_boxed (value, s);
      break;
    }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static GstGnutlsRfc7983Kind
classify (GstBuffer * buf)
{
  guint8 b;

  if (gst_buffer_extract (buf, 0, &b, 1) != 1)
    return GST_GNUTLS_RFC7983_UNKNOWN;
  return gst_gnutls_rfc7983_classify (b);
}

static void
count (GstGnutlsDtlsSrtpDemux * self, GstGnutlsRfc7983Kind kind, guint n)
{
  guint64 total;

  GST_OBJECT_LOCK (self);
  total = self->counts[kind] += n;
  GST_OBJECT_UNLOCK (self);
  if (kind >= GST_GNUTLS_RFC7983_STUN) {
    guint64 t = total;

    while (t >= 10 && t % 10 == 0)
      t /= 10;
    if (t == 1)
      GST_INFO_OBJECT (self, "dropped %s datagram(s): %" G_GUINT64_FORMAT
          " so far", kind_stat_names[kind], total);
  }
}

static GstFlowReturn
push_one (GstGnutlsDtlsSrtpDemux * self, GstBuffer * buf)
{
  GstGnutlsRfc7983Kind kind = classify (buf);
  GstFlowReturn ret;

  count (self, kind, 1);
  if (kind == GST_GNUTLS_RFC7983_RTP)
    ret = gst_pad_push (self->rtp_srcpad, buf);
  else if (kind == GST_GNUTLS_RFC7983_DTLS)
    ret = gst_pad_push (self->dtls_srcpad, buf);
  else {
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  return gst_flow_combiner_update_pad_flow (self->flow_combiner,
      kind == GST_GNUTLS_RFC7983_RTP ? self->rtp_srcpad : self->dtls_srcpad,
      ret);
}

static GstFlowReturn
gst_gnutls_dtls_srtp_demux_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buf)
{
  return push_one (GST_GNUTLS_DTLS_SRTP_DEMUX (parent), buf);
}

/* A list is split in two (media and DTLS) and each part pushed as a list,
 * keeping order within each kind. */
static GstFlowReturn
gst_gnutls_dtls_srtp_demux_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  GstGnutlsDtlsSrtpDemux *self = GST_GNUTLS_DTLS_SRTP_DEMUX (parent);
  guint i, len = gst_buffer_list_length (list);
  GstBufferList *rtp = NULL, *dtls = NULL;
  GstFlowReturn ret = GST_FLOW_OK;
  guint counts[GST_GNUTLS_RFC7983_N_KINDS] = { 0, };
  GstGnutlsRfc7983Kind kinds[64];

  /* The common case, a list of media only, goes on as it is. */
  if (len <= G_N_ELEMENTS (kinds)) {
    for (i = 0; i < len; i++) {
      kinds[i] = classify (gst_buffer_list_get (list, i));
      counts[kinds[i]]++;
    }
    if (counts[GST_GNUTLS_RFC7983_RTP] == len) {
      count (self, GST_GNUTLS_RFC7983_RTP, len);
      return gst_flow_combiner_update_pad_flow (self->flow_combiner,
          self->rtp_srcpad, gst_pad_push_list (self->rtp_srcpad, list));
    }
    memset (counts, 0, sizeof (counts));
  }

  for (i = 0; i < len; i++) {
    GstBuffer *buf = gst_buffer_list_get (list, i);
    GstGnutlsRfc7983Kind kind = classify (buf);

    counts[kind]++;
    if (kind == GST_GNUTLS_RFC7983_RTP) {
      if (rtp == NULL)
        rtp = gst_buffer_list_new_sized (len);
      gst_buffer_list_add (rtp, gst_buffer_ref (buf));
    } else if (kind == GST_GNUTLS_RFC7983_DTLS) {
      if (dtls == NULL)
        dtls = gst_buffer_list_new ();
      gst_buffer_list_add (dtls, gst_buffer_ref (buf));
    }
  }
  gst_buffer_list_unref (list);
  for (i = 0; i < GST_GNUTLS_RFC7983_N_KINDS; i++)
    if (counts[i])
      count (self, i, counts[i]);

  if (dtls)
    ret = gst_flow_combiner_update_pad_flow (self->flow_combiner,
        self->dtls_srcpad, gst_pad_push_list (self->dtls_srcpad, dtls));
  if (rtp) {
    GstFlowReturn r = gst_pad_push_list (self->rtp_srcpad, rtp);
    ret = gst_flow_combiner_update_pad_flow (self->flow_combiner,
        self->rtp_srcpad, r);
  }
  return ret;
}

static gboolean
gst_gnutls_dtls_srtp_demux_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstGnutlsDtlsSrtpDemux *self = GST_GNUTLS_DTLS_SRTP_DEMUX (parent);

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    GstCaps *caps, *rtp_caps, *dtls_caps;
    GstStructure *s;
    gboolean ok;

    /* SRTP caps from upstream (which may carry keys) go on to rtp_src;
     * otherwise say what the media is: SRTP. */
    gst_event_parse_caps (event, &caps);
    s = gst_caps_get_size (caps) ? gst_caps_get_structure (caps, 0) : NULL;
    if (s && (gst_structure_has_name (s, "application/x-srtp") ||
            gst_structure_has_name (s, "application/x-srtcp")))
      rtp_caps = gst_caps_ref (caps);
    else
      rtp_caps = gst_caps_new_empty_simple ("application/x-srtp");
    gst_event_unref (event);
    ok = gst_pad_push_event (self->rtp_srcpad, gst_event_new_caps (rtp_caps));
    gst_caps_unref (rtp_caps);
    dtls_caps = gst_static_pad_template_get_caps (&dtls_src_template);
    ok &= gst_pad_push_event (self->dtls_srcpad,
        gst_event_new_caps (dtls_caps));
    gst_caps_unref (dtls_caps);
    return ok;
  }
  return gst_pad_event_default (pad, parent, event);
}

static GstStateChangeReturn
gst_gnutls_dtls_srtp_demux_change_state (GstElement * element,
    GstStateChange transition)
{
  GstGnutlsDtlsSrtpDemux *self = GST_GNUTLS_DTLS_SRTP_DEMUX (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    gst_flow_combiner_reset (self->flow_combiner);
    GST_OBJECT_LOCK (self);
    memset (self->counts, 0, sizeof (self->counts));
    GST_OBJECT_UNLOCK (self);
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}
