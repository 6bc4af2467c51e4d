/* GStreamer GnuTLS DTLS-SRTP suite: the encoder bin's output, several
 * streams merged onto one pad without a funnel element.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlssrtpmerge.h"

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_srtp_merge_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_srtp_merge_debug

struct _GstGnutlsDtlsSrtpMerge
{
  GstElement *bin;              /* not a reference: it owns us */
  GstPad *src;

  GMutex lock;                  /* protects what follows */
  GList *inputs;                /* GstPad *, parented to bin */
  gboolean active;
  gboolean eos_sent;
  guint next_id;
};

/* An input's element_private */
typedef struct
{
  GstGnutlsDtlsSrtpMerge *merge;
  gboolean eos;                 /* protected by merge->lock */
} Input;

/* One input at a time on src: its stream lock keeps a buffer of one input
 * from overtaking the sticky events another one is pushing. */
GstFlowReturn
gst_gnutls_dtls_srtp_merge_push (gpointer input, GstBuffer * buf)
{
  Input *in = gst_pad_get_element_private (input);
  GstPad *src = in->merge->src;
  GstFlowReturn ret;

  GST_PAD_STREAM_LOCK (src);
  ret = gst_pad_push (src, buf);
  GST_PAD_STREAM_UNLOCK (src);
  return ret;
}

GstFlowReturn
gst_gnutls_dtls_srtp_merge_push_list (gpointer input, GstBufferList * list)
{
  Input *in = gst_pad_get_element_private (input);
  GstPad *src = in->merge->src;
  GstFlowReturn ret;

  GST_PAD_STREAM_LOCK (src);
  ret = gst_pad_push_list (src, list);
  GST_PAD_STREAM_UNLOCK (src);
  return ret;
}

static GstFlowReturn
input_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  return gst_gnutls_dtls_srtp_merge_push (pad, buf);
}

static GstFlowReturn
input_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  return gst_gnutls_dtls_srtp_merge_push_list (pad, list);
}

static gboolean
all_eos_locked (GstGnutlsDtlsSrtpMerge * merge)
{
  GList *l;

  for (l = merge->inputs; l; l = l->next) {
    Input *in = gst_pad_get_element_private (l->data);

    if (!in->eos)
      return FALSE;
  }
  return TRUE;
}

/* EOS for @in: TRUE when it is the last input to end */
static gboolean
input_eos (GstGnutlsDtlsSrtpMerge * merge, Input * in)
{
  gboolean last;

  g_mutex_lock (&merge->lock);
  in->eos = TRUE;
  last = !merge->eos_sent && all_eos_locked (merge);
  if (last)
    merge->eos_sent = TRUE;
  g_mutex_unlock (&merge->lock);
  return last;
}

static void
reset_eos (GstGnutlsDtlsSrtpMerge * merge)
{
  GList *l;

  g_mutex_lock (&merge->lock);
  for (l = merge->inputs; l; l = l->next)
    ((Input *) gst_pad_get_element_private (l->data))->eos = FALSE;
  merge->eos_sent = FALSE;
  g_mutex_unlock (&merge->lock);
}

static gboolean
input_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  Input *in = gst_pad_get_element_private (pad);
  GstGnutlsDtlsSrtpMerge *merge = in->merge;
  GstPad *src = merge->src;
  gboolean ret = TRUE;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:
    case GST_EVENT_CAPS:
    case GST_EVENT_SEGMENT:{
      GstEvent *have;

      /* one stream goes out: the first input's */
      GST_PAD_STREAM_LOCK (src);
      have = gst_pad_get_sticky_event (src, GST_EVENT_TYPE (event), 0);
      if (have)
        gst_event_unref (have);
      else
        ret = gst_pad_push_event (src, gst_event_ref (event));
      GST_PAD_STREAM_UNLOCK (src);
      gst_event_unref (event);
      return ret;
    }
    case GST_EVENT_EOS:
      if (!input_eos (merge, in)) {
        GST_DEBUG_OBJECT (pad, "EOS, waiting for the other inputs");
        gst_event_unref (event);
        return TRUE;
      }
      break;
    case GST_EVENT_FLUSH_STOP:
      reset_eos (merge);
      break;
    default:
      break;
  }

  if (GST_EVENT_IS_SERIALIZED (event)) {
    GST_PAD_STREAM_LOCK (src);
    ret = gst_pad_push_event (src, event);
    GST_PAD_STREAM_UNLOCK (src);
  } else {
    ret = gst_pad_push_event (src, event);
  }
  return ret;
}

static gboolean
input_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  Input *in = gst_pad_get_element_private (pad);

  return gst_pad_peer_query (in->merge->src, query);
}

/* The inputs, each a reference */
static GList *
get_inputs (GstGnutlsDtlsSrtpMerge * merge)
{
  GList *inputs = NULL, *l;

  g_mutex_lock (&merge->lock);
  for (l = merge->inputs; l; l = l->next)
    inputs = g_list_prepend (inputs, gst_object_ref (l->data));
  g_mutex_unlock (&merge->lock);
  return g_list_reverse (inputs);
}

/* Upstream: to every input's peer */
static gboolean
src_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstGnutlsDtlsSrtpMerge *merge = gst_pad_get_element_private (pad);
  GList *inputs, *l;
  gboolean ret = FALSE;

  if (merge == NULL) {
    gst_event_unref (event);
    return FALSE;
  }
  inputs = get_inputs (merge);
  for (l = inputs; l; l = l->next)
    ret |= gst_pad_push_event (l->data, gst_event_ref (event));
  g_list_free_full (inputs, gst_object_unref);
  gst_event_unref (event);
  return ret;
}

static gboolean
src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstGnutlsDtlsSrtpMerge *merge = gst_pad_get_element_private (pad);
  GList *inputs, *l;
  gboolean ret = FALSE;

  /* any of the streams may go out: whatever the template allows */
  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS ||
      GST_QUERY_TYPE (query) == GST_QUERY_ACCEPT_CAPS)
    return gst_pad_query_default (pad, parent, query);
  if (merge == NULL)
    return FALSE;

  inputs = get_inputs (merge);
  for (l = inputs; l && !ret; l = l->next)
    ret = gst_pad_peer_query (l->data, query);
  g_list_free_full (inputs, gst_object_unref);
  return ret;
}

GstGnutlsDtlsSrtpMerge *
gst_gnutls_dtls_srtp_merge_new (GstElement * bin, GstPadTemplate * templ)
{
  GstGnutlsDtlsSrtpMerge *merge = g_new0 (GstGnutlsDtlsSrtpMerge, 1);

  if (!gst_gnutls_dtls_srtp_merge_debug)
    GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_srtp_merge_debug,
        GST_GNUTLS_NAME_PREFIX "dtlssrtpmerge", 0,
        "GnuTLS DTLS-SRTP encoder bin output");
  merge->bin = bin;
  g_mutex_init (&merge->lock);
  merge->src = gst_pad_new_from_template (templ, "src");
  gst_pad_set_element_private (merge->src, merge);
  gst_pad_set_event_function (merge->src, GST_DEBUG_FUNCPTR (src_event));
  gst_pad_set_query_function (merge->src, GST_DEBUG_FUNCPTR (src_query));
  return merge;
}

GstPad *
gst_gnutls_dtls_srtp_merge_get_src (GstGnutlsDtlsSrtpMerge * merge)
{
  return merge->src;
}

GstPad *
gst_gnutls_dtls_srtp_merge_add_input (GstGnutlsDtlsSrtpMerge * merge,
    GstPad * child_src)
{
  Input *in = g_new0 (Input, 1);
  gchar *name;
  GstPad *pad;
  gboolean active;

  in->merge = merge;
  g_mutex_lock (&merge->lock);
  name = g_strdup_printf ("merge_sink_%u", merge->next_id++);
  g_mutex_unlock (&merge->lock);
  pad = gst_pad_new (name, GST_PAD_SINK);
  g_free (name);
  gst_pad_set_element_private (pad, in);
  gst_pad_set_chain_function (pad, GST_DEBUG_FUNCPTR (input_chain));
  gst_pad_set_chain_list_function (pad, GST_DEBUG_FUNCPTR (input_chain_list));
  gst_pad_set_event_function (pad, GST_DEBUG_FUNCPTR (input_event));
  gst_pad_set_query_function (pad, GST_DEBUG_FUNCPTR (input_query));
  /* owned by the src pad, as a ghost pad owns its internal pad: not a pad
   * of the bin (whose sorting would take it for a child's) */
  gst_object_set_parent (GST_OBJECT (pad), GST_OBJECT (merge->src));

  g_mutex_lock (&merge->lock);
  merge->inputs = g_list_append (merge->inputs, pad);
  active = merge->active;
  g_mutex_unlock (&merge->lock);
  if (active)
    gst_pad_set_active (pad, TRUE);

  /* a pad of the bin and one of its child: linked as a ghost pad's
   * internal pad is to its target, below the hierarchy check */
  if (gst_pad_link_full (child_src, pad, GST_PAD_LINK_CHECK_NOTHING) !=
      GST_PAD_LINK_OK) {
    GST_WARNING_OBJECT (merge->bin, "could not link %" GST_PTR_FORMAT,
        child_src);
    gst_gnutls_dtls_srtp_merge_remove_input (merge, pad);
    return NULL;
  }
  return pad;
}

void
gst_gnutls_dtls_srtp_merge_remove_input (GstGnutlsDtlsSrtpMerge * merge,
    GstPad * input)
{
  GstPad *peer = gst_pad_get_peer (input);
  gboolean last = FALSE;

  if (peer) {
    gst_pad_unlink (peer, input);
    gst_object_unref (peer);
  }
  gst_pad_set_active (input, FALSE);
  g_mutex_lock (&merge->lock);
  merge->inputs = g_list_remove (merge->inputs, input);
  /* the others may all have ended already */
  if (merge->inputs && !merge->eos_sent && all_eos_locked (merge)) {
    merge->eos_sent = TRUE;
    last = TRUE;
  }
  g_mutex_unlock (&merge->lock);
  g_free (gst_pad_get_element_private (input));
  gst_object_unparent (GST_OBJECT (input));
  if (last) {
    GST_PAD_STREAM_LOCK (merge->src);
    gst_pad_push_event (merge->src, gst_event_new_eos ());
    GST_PAD_STREAM_UNLOCK (merge->src);
  }
}

void
gst_gnutls_dtls_srtp_merge_set_active (GstGnutlsDtlsSrtpMerge * merge,
    gboolean active)
{
  GList *inputs, *l;

  g_mutex_lock (&merge->lock);
  merge->active = active;
  g_mutex_unlock (&merge->lock);
  if (active) {
    reset_eos (merge);
    gst_pad_set_active (merge->src, TRUE);
  }
  inputs = get_inputs (merge);
  for (l = inputs; l; l = l->next)
    gst_pad_set_active (l->data, active);
  g_list_free_full (inputs, gst_object_unref);
  if (!active)
    gst_pad_set_active (merge->src, FALSE);
}

void
gst_gnutls_dtls_srtp_merge_free (GstGnutlsDtlsSrtpMerge * merge)
{
  merge->eos_sent = TRUE;       /* nothing goes out any more */
  while (merge->inputs)
    gst_gnutls_dtls_srtp_merge_remove_input (merge, merge->inputs->data);
  /* the bin may still hold the pad a little */
  gst_pad_set_element_private (merge->src, NULL);
  g_mutex_clear (&merge->lock);
  g_free (merge);
}
