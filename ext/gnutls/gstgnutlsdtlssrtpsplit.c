/* GStreamer GnuTLS DTLS-SRTP suite: the decoder bin's input, split into
 * DTLS and SRTP without a demux element.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlssrtpsplit.h"
#include "gstgnutlsrfc7983.h"

#include <gst/base/gstflowcombiner.h>

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_srtp_split_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_srtp_split_debug

struct _GstGnutlsDtlsSrtpSplit
{
  GstElement *bin;              /* not a reference: it owns us */
  GstPad *sink;
  GstPad *srtp_out, *dtls_out;  /* parented to bin */
  /* the SRTP decoder's direct demux entry (set once, before the bin
   * starts), or NULL: the pads */
  const GstGnutlsSrtpDirect *direct;
  GstPad *srtp_sink;
  GstFlowCombiner *flow;        /* streaming thread only */
  GstFlowReturn srtp_last;      /* ... what the SRTP side last said */
  GstFlowReturn combined;       /* ... and what the combiner last said */
  gint dropped;                 /* atomic */
};

static GstGnutlsRfc7983Kind
classify (GstBuffer * buf)
{
  GstMapInfo map;
  guint8 b;

  /* the first memory, mapped, is cheaper than gst_buffer_extract() */
  if (G_LIKELY (gst_buffer_n_memory (buf) > 0 &&
          gst_memory_map (gst_buffer_peek_memory (buf, 0), &map,
              GST_MAP_READ))) {
    gboolean have = map.size > 0;

    if (have)
      b = map.data[0];
    gst_memory_unmap (map.memory, &map);
    if (have)
      return gst_gnutls_rfc7983_classify (b);
  }
  if (gst_buffer_extract (buf, 0, &b, 1) != 1)
    return GST_GNUTLS_RFC7983_UNKNOWN;
  return gst_gnutls_rfc7983_classify (b);
}

static void
count_dropped (GstGnutlsDtlsSrtpSplit * split, GstGnutlsRfc7983Kind kind,
    guint n)
{
  gint total = g_atomic_int_add (&split->dropped, n) + n;

  /* the 1st, 10th, 100th...: a flood of them cannot flood the log */
  if (total == 1 || (total % 10 == 0 && (total == 10 || total == 100 ||
              total == 1000 || total % 10000 == 0)))
    GST_INFO_OBJECT (split->bin, "dropped %d datagrams that are neither DTLS "
        "nor SRTP (the last one of kind %d)", total, kind);
}

/* The SRTP side's flow, combined with the DTLS side's. OK after OK (every
 * packet of a call, nearly) changes nothing: the combiner, which takes the
 * pad's lock, is not asked. */
static inline GstFlowReturn
srtp_flow (GstGnutlsDtlsSrtpSplit * split, GstFlowReturn ret)
{
  if (G_LIKELY (ret == GST_FLOW_OK && split->srtp_last == GST_FLOW_OK &&
          split->combined == GST_FLOW_OK))
    return GST_FLOW_OK;
  split->srtp_last = ret;
  split->combined = gst_flow_combiner_update_pad_flow (split->flow,
      split->srtp_out, ret);
  return split->combined;
}

static inline GstFlowReturn
dtls_flow (GstGnutlsDtlsSrtpSplit * split, GstFlowReturn ret)
{
  split->combined = gst_flow_combiner_update_pad_flow (split->flow,
      split->dtls_out, ret);
  return split->combined;
}

/* FLUSH_STOP, or the outputs activated */
static void
reset_flow (GstGnutlsDtlsSrtpSplit * split)
{
  gst_flow_combiner_reset (split->flow);
  split->srtp_last = GST_FLOW_OK;
  split->combined = GST_FLOW_OK;
}

/* What is not SRTP: DTLS goes on, anything else is counted and dropped. */
static GstFlowReturn
push_other (GstGnutlsDtlsSrtpSplit * split, GstBuffer * buf)
{
  GstGnutlsRfc7983Kind kind = classify (buf);

  if (kind == GST_GNUTLS_RFC7983_DTLS)
    return dtls_flow (split, gst_pad_push (split->dtls_out, buf));
  count_dropped (split, kind, 1);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static GstFlowReturn
sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstGnutlsDtlsSrtpSplit *split = gst_pad_get_element_private (pad);
  GstBuffer *other = NULL;
  GstFlowReturn ret;

  if (G_UNLIKELY (split == NULL)) {     /* the bin is going */
    gst_buffer_unref (buf);
    return GST_FLOW_FLUSHING;
  }
  /* The decoder tells SRTP apart itself, from the map it makes anyway. */
  if (G_LIKELY (split->direct)) {
    ret = srtp_flow (split, split->direct->chain_demux (split->srtp_sink, buf,
            &other));
    if (G_UNLIKELY (other))
      ret = push_other (split, other);
    return ret;
  }
  if (classify (buf) != GST_GNUTLS_RFC7983_RTP)
    return push_other (split, buf);
  return srtp_flow (split, gst_pad_push (split->srtp_out, buf));
}

/* Sends on a list of what is not SRTP: DTLS in order, the rest dropped */
static GstFlowReturn
push_other_list (GstGnutlsDtlsSrtpSplit * split, GstBufferList * list)
{
  guint i, len = gst_buffer_list_length (list), dropped = 0;
  GstBufferList *dtls = NULL;
  GstFlowReturn ret = GST_FLOW_OK;

  for (i = 0; i < len; i++) {
    GstBuffer *buf = gst_buffer_list_get (list, i);

    if (classify (buf) != GST_GNUTLS_RFC7983_DTLS) {
      dropped++;
      continue;
    }
    if (dtls == NULL)
      dtls = gst_buffer_list_new_sized (len);
    gst_buffer_list_add (dtls, gst_buffer_ref (buf));
  }
  gst_buffer_list_unref (list);
  if (dropped)
    count_dropped (split, GST_GNUTLS_RFC7983_UNKNOWN, dropped);
  if (dtls)
    ret = dtls_flow (split, gst_pad_push_list (split->dtls_out, dtls));
  return ret;
}

/* A list of media only, the common case, goes on as it is; otherwise it is
 * split in two, in order within each. With the decoder's demux entry the
 * decoder splits it while it decrypts, and the DTLS part goes on after the
 * media (before it otherwise). */
static GstFlowReturn
sink_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  GstGnutlsDtlsSrtpSplit *split = gst_pad_get_element_private (pad);
  guint i, len = gst_buffer_list_length (list);
  GstBufferList *srtp = NULL, *others = NULL;
  GstFlowReturn ret = GST_FLOW_OK, other_ret;

  if (G_UNLIKELY (split == NULL)) {
    gst_buffer_list_unref (list);
    return GST_FLOW_FLUSHING;
  }
  if (G_LIKELY (split->direct)) {
    ret = srtp_flow (split, split->direct->chain_list_demux (split->srtp_sink,
            list, &others));
    if (G_UNLIKELY (others)) {
      other_ret = push_other_list (split, others);
      if (other_ret != GST_FLOW_OK)
        ret = other_ret;
    }
    return ret;
  }

  for (i = 0; i < len; i++)
    if (classify (gst_buffer_list_get (list, i)) != GST_GNUTLS_RFC7983_RTP)
      break;
  if (G_LIKELY (i == len))
    return srtp_flow (split, gst_pad_push_list (split->srtp_out, list));

  for (i = 0; i < len; i++) {
    GstBuffer *buf = gst_buffer_list_get (list, i);

    if (classify (buf) != GST_GNUTLS_RFC7983_RTP) {
      if (others == NULL)
        others = gst_buffer_list_new_sized (len);
      gst_buffer_list_add (others, gst_buffer_ref (buf));
    } else {
      if (srtp == NULL)
        srtp = gst_buffer_list_new_sized (len);
      gst_buffer_list_add (srtp, gst_buffer_ref (buf));
    }
  }
  gst_buffer_list_unref (list);
  if (others)
    ret = push_other_list (split, others);
  if (srtp)
    ret = srtp_flow (split, gst_pad_push_list (split->srtp_out, srtp));
  return ret;
}

static gboolean
sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstGnutlsDtlsSrtpSplit *split = gst_pad_get_element_private (pad);
  GstEvent *srtp_event, *dtls_event;
  gboolean srtp_ok, dtls_ok;

  if (G_UNLIKELY (split == NULL))
    return gst_pad_event_default (pad, parent, event);
  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    GstCaps *caps, *srtp_caps;
    GstStructure *s;

    /* SRTP caps from upstream that carry a key (manual keying) go on to
     * the SRTP decoder as they are. Without a key, their cipher fields
     * would only make it refuse the stream (an encoder bin linked directly
     * announces its ciphers before DTLS keys it): the key comes from DTLS
     * through request-key, so only the media fields go on. Other caps: say
     * what the media is, SRTP. */
    gst_event_parse_caps (event, &caps);
    s = gst_caps_get_size (caps) ? gst_caps_get_structure (caps, 0) : NULL;
    if (s && (gst_structure_has_name (s, "application/x-srtp") ||
            gst_structure_has_name (s, "application/x-srtcp"))) {
      if (gst_structure_has_field (s, "srtp-key")) {
        srtp_caps = gst_caps_ref (caps);
      } else {
        srtp_caps = gst_caps_copy (caps);
        gst_structure_remove_fields (gst_caps_get_structure (srtp_caps, 0),
            "srtp-cipher", "srtp-auth", "srtcp-cipher", "srtcp-auth", NULL);
      }
    } else {
      srtp_caps = gst_caps_new_empty_simple ("application/x-srtp");
    }
    gst_event_unref (event);
    srtp_event = gst_event_new_caps (srtp_caps);
    gst_caps_unref (srtp_caps);
    srtp_caps = gst_caps_new_empty_simple ("application/x-dtls");
    dtls_event = gst_event_new_caps (srtp_caps);
    gst_caps_unref (srtp_caps);
  } else {
    if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP)
      reset_flow (split);
    srtp_event = gst_event_ref (event);
    dtls_event = event;
  }
  srtp_ok = gst_pad_push_event (split->srtp_out, srtp_event);
  dtls_ok = gst_pad_push_event (split->dtls_out, dtls_event);
  return srtp_ok || dtls_ok;
}

static gboolean
sink_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstGnutlsDtlsSrtpSplit *split = gst_pad_get_element_private (pad);

  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS ||
      GST_QUERY_TYPE (query) == GST_QUERY_ACCEPT_CAPS || split == NULL)
    return gst_pad_query_default (pad, parent, query);
  return gst_pad_peer_query (split->srtp_out, query);
}

/* From the children, upstream */
static gboolean
out_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstGnutlsDtlsSrtpSplit *split = gst_pad_get_element_private (pad);

  return gst_pad_push_event (split->sink, event);
}

static gboolean
out_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstGnutlsDtlsSrtpSplit *split = gst_pad_get_element_private (pad);

  return gst_pad_peer_query (split->sink, query);
}

static GstPad *
new_out (GstGnutlsDtlsSrtpSplit * split, const gchar * name)
{
  GstPad *pad = gst_pad_new (name, GST_PAD_SRC);

  gst_pad_set_element_private (pad, split);
  gst_pad_set_event_function (pad, GST_DEBUG_FUNCPTR (out_event));
  gst_pad_set_query_function (pad, GST_DEBUG_FUNCPTR (out_query));
  /* owned by the sink pad, as a ghost pad owns its internal pad: not a
   * pad of the bin (whose sorting would take it for a child's) */
  gst_object_set_parent (GST_OBJECT (pad), GST_OBJECT (split->sink));
  gst_flow_combiner_add_pad (split->flow, pad);
  return pad;
}

GstGnutlsDtlsSrtpSplit *
gst_gnutls_dtls_srtp_split_new (GstElement * bin, GstPadTemplate * templ)
{
  GstGnutlsDtlsSrtpSplit *split = g_new0 (GstGnutlsDtlsSrtpSplit, 1);

  if (!gst_gnutls_dtls_srtp_split_debug)
    GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_srtp_split_debug,
        GST_GNUTLS_NAME_PREFIX "dtlssrtpsplit", 0,
        "GnuTLS DTLS-SRTP decoder bin input");
  split->bin = bin;
  split->flow = gst_flow_combiner_new ();
  split->sink = gst_pad_new_from_template (templ, "sink");
  gst_pad_set_element_private (split->sink, split);
  gst_pad_set_chain_function (split->sink, GST_DEBUG_FUNCPTR (sink_chain));
  gst_pad_set_chain_list_function (split->sink,
      GST_DEBUG_FUNCPTR (sink_chain_list));
  gst_pad_set_event_function (split->sink, GST_DEBUG_FUNCPTR (sink_event));
  gst_pad_set_query_function (split->sink, GST_DEBUG_FUNCPTR (sink_query));
  split->srtp_out = new_out (split, "split_srtp");
  split->dtls_out = new_out (split, "split_dtls");
  return split;
}

GstPad *
gst_gnutls_dtls_srtp_split_get_sink (GstGnutlsDtlsSrtpSplit * split)
{
  return split->sink;
}

gboolean
gst_gnutls_dtls_srtp_split_link (GstGnutlsDtlsSrtpSplit * split,
    GstPad * srtp_sink, const GstGnutlsSrtpDirect * direct, GstPad * dtls_sink)
{
  split->direct = direct;
  gst_object_replace ((GstObject **) & split->srtp_sink,
      GST_OBJECT (srtp_sink));
  /* a pad of the bin and one of its child: linked as a ghost pad's
   * internal pad is to its target, below the hierarchy check */
  return gst_pad_link_full (split->srtp_out, srtp_sink,
      GST_PAD_LINK_CHECK_NOTHING) == GST_PAD_LINK_OK &&
      gst_pad_link_full (split->dtls_out, dtls_sink,
      GST_PAD_LINK_CHECK_NOTHING) == GST_PAD_LINK_OK;
}

void
gst_gnutls_dtls_srtp_split_unlink_dtls (GstGnutlsDtlsSrtpSplit * split)
{
  GstPad *peer = gst_pad_get_peer (split->dtls_out);

  if (peer) {
    gst_pad_unlink (split->dtls_out, peer);
    gst_object_unref (peer);
  }
}

void
gst_gnutls_dtls_srtp_split_set_active (GstGnutlsDtlsSrtpSplit * split,
    gboolean active)
{
  if (active) {
    reset_flow (split);
    g_atomic_int_set (&split->dropped, 0);
  }
  gst_pad_set_active (split->srtp_out, active);
  gst_pad_set_active (split->dtls_out, active);
}

guint64
gst_gnutls_dtls_srtp_split_get_dropped (GstGnutlsDtlsSrtpSplit * split)
{
  return (guint) g_atomic_int_get (&split->dropped);
}

void
gst_gnutls_dtls_srtp_split_free (GstGnutlsDtlsSrtpSplit * split)
{
  GstPad *outs[2] = { split->srtp_out, split->dtls_out };
  guint i;

  for (i = 0; i < 2; i++) {
    GstPad *peer = gst_pad_get_peer (outs[i]);

    if (peer) {
      gst_pad_unlink (outs[i], peer);
      gst_object_unref (peer);
    }
    gst_pad_set_active (outs[i], FALSE);
    gst_object_unparent (GST_OBJECT (outs[i]));
  }
  /* the bin may still hold the pad a little */
  gst_pad_set_element_private (split->sink, NULL);
  gst_clear_object (&split->srtp_sink);
  gst_flow_combiner_free (split->flow);
  g_free (split);
}
