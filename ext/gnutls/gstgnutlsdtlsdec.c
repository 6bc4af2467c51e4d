/* GStreamer GnuTLS DTLS-SRTP suite: the DTLS decoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-gnutlsdtlsdec
 * @title: gnutlsdtlsdec
 * @see_also: gnutlsdtlsenc, gnutlssrtpdec
 *
 * The receiving half of a DTLS connection, using GnuTLS. Datagrams from the
 * peer arrive on the `sink` pad; handshake records drive the handshake (the
 * answers leave through the gnutlsdtlsenc with the same `connection-id`),
 * and decrypted application data leaves through the requested `src` pad, one
 * buffer per DTLS record. Without a `src` pad application data is dropped.
 * When the peer closes the connection (close_notify), EOS is sent on `src`.
 *
 * The `pem` property sets the certificate the connection presents; reading it
 * returns the certificate (without its key), whose hash is the
 * #GstGnutlsDtlsDec:fingerprint to put in the SDP. Set
 * #GstGnutlsDtlsDec:peer-fingerprint to the fingerprint from the peer's SDP
 * to refuse any other certificate.
 *
 * ## Example pipelines
 *
 * The server side of the gnutlsdtlsenc example, printing what the client
 * sends; its encoder sends the handshake answers and a live tone:
 * |[
 * gst-launch-1.0 \
 *   udpsrc port=5002 ! gnutlsdtlsdec connection-id=server ! fakesink dump=1 \
 *   audiotestsrc is-live=true samplesperbuffer=160 ! audio/x-raw,rate=8000 ! \
 *     gnutlsdtlsenc connection-id=server ! \
 *     udpsink port=5001 host=127.0.0.1 async=false
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlselements.h"
#include "gstgnutlsdtlsdec.h"

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_dec_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_dec_debug

struct _GstGnutlsDtlsDec
{
  GstGnutlsDtlsBase parent;

  GstPad *sink;
  GstPad *src;                  /* protected by OBJECT_LOCK */

  /* protected by the sink STREAM_LOCK */
  gboolean need_sticky;
  guint group_id;               /* of the stream, 0 until its stream-start */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS ("application/x-dtls"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

#define gst_gnutls_dtls_dec_parent_class parent_class
G_DEFINE_TYPE (GstGnutlsDtlsDec, gst_gnutls_dtls_dec,
    GST_TYPE_GNUTLS_DTLS_BASE);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (gnutlsdtlsdec,
    GST_GNUTLS_NAME_PREFIX "dtlsdec", GST_RANK_NONE, GST_TYPE_GNUTLS_DTLS_DEC,
    gst_gnutls_dtls_element_init (plugin));

static GstPad *
get_src_pad (GstGnutlsDtlsDec * self)
{
  GstPad *pad;

  GST_OBJECT_LOCK (self);
  pad = self->src ? gst_object_ref (self->src) : NULL;
  GST_OBJECT_UNLOCK (self);
  return pad;
}

/* Called with the sink STREAM_LOCK */
static void
push_sticky_events (GstGnutlsDtlsDec * self, GstPad * src)
{
  gchar *stream_id;
  GstEvent *event;
  GstSegment segment;

  if (!self->group_id)
    self->group_id = gst_util_group_id_next ();
  stream_id = gst_pad_create_stream_id (src, GST_ELEMENT (self), NULL);
  event = gst_event_new_stream_start (stream_id);
  gst_event_set_group_id (event, self->group_id);
  gst_pad_push_event (src, event);
  g_free (stream_id);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (src, gst_event_new_segment (&segment));
  self->need_sticky = FALSE;
}

static GstFlowReturn
gst_gnutls_dtls_dec_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstGnutlsDtlsDec *self = GST_GNUTLS_DTLS_DEC (parent);
  GstGnutlsDtlsConnection *conn;
  GstMiniObject *app_data;
  GstFlowReturn ret = GST_FLOW_OK;
  gboolean closed = FALSE;
  GstPad *src;

  conn = gst_gnutls_dtls_base_get_connection (GST_GNUTLS_DTLS_BASE (self));
  if (!conn) {
    gst_buffer_unref (buffer);
    return GST_FLOW_OK;
  }
  app_data = gst_gnutls_dtls_connection_receive (conn, buffer, &closed);
  gst_object_unref (conn);
  gst_buffer_unref (buffer);

  if (!app_data && !closed)
    return GST_FLOW_OK;

  src = get_src_pad (self);
  if (src) {
    if (self->need_sticky)
      push_sticky_events (self, src);
    /* one record of application data is one buffer, several a list */
    if (app_data && GST_IS_BUFFER (app_data))
      ret = gst_pad_push (src, GST_BUFFER_CAST (app_data));
    else if (app_data)
      ret = gst_pad_push_list (src, GST_BUFFER_LIST_CAST (app_data));
    if (closed)
      gst_pad_push_event (src, gst_event_new_eos ());
    gst_object_unref (src);
  } else if (app_data) {
    GST_LOG_OBJECT (self, "no src pad, dropping application data");
    gst_mini_object_unref (app_data);
  }

  /* the handshake and the peer's retransmissions must keep flowing even if
   * nobody takes the application data */
  if (ret == GST_FLOW_NOT_LINKED)
    ret = GST_FLOW_OK;
  return ret;
}

static GstFlowReturn
gst_gnutls_dtls_dec_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  GstFlowReturn ret = GST_FLOW_OK;
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n && ret == GST_FLOW_OK; i++)
    ret = gst_gnutls_dtls_dec_chain (pad, parent,
        gst_buffer_ref (gst_buffer_list_get (list, i)));
  gst_buffer_list_unref (list);
  return ret;
}

static gboolean
gst_gnutls_dtls_dec_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstGnutlsDtlsDec *self = GST_GNUTLS_DTLS_DEC (parent);
  gboolean ret = TRUE;
  GstPad *src;

  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP)
    self->need_sticky = TRUE;

  /* the src pad has its own stream-start and segment, and no caps */
  if (GST_EVENT_IS_STICKY (event) && GST_EVENT_TYPE (event) != GST_EVENT_EOS) {
    gst_event_unref (event);
    return TRUE;
  }

  src = get_src_pad (self);
  if (src) {
    if (GST_EVENT_TYPE (event) == GST_EVENT_EOS && self->need_sticky)
      push_sticky_events (self, src);
    ret = gst_pad_push_event (src, event);
    gst_object_unref (src);
  } else {
    gst_event_unref (event);
  }
  return ret;
}

static GstPad *
gst_gnutls_dtls_dec_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstGnutlsDtlsDec *self = GST_GNUTLS_DTLS_DEC (element);
  GstPad *pad;

  GST_OBJECT_LOCK (self);
  if (self->src) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "only one src pad can be requested");
    return NULL;
  }
  pad = gst_pad_new_from_template (templ, "src");
  self->src = pad;
  GST_OBJECT_UNLOCK (self);

  GST_PAD_STREAM_LOCK (self->sink);
  self->need_sticky = TRUE;
  self->group_id = 0;
  GST_PAD_STREAM_UNLOCK (self->sink);

  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (element, pad);
  return pad;
}

static void
gst_gnutls_dtls_dec_release_pad (GstElement * element, GstPad * pad)
{
  GstGnutlsDtlsDec *self = GST_GNUTLS_DTLS_DEC (element);

  GST_OBJECT_LOCK (self);
  if (self->src != pad) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  self->src = NULL;
  GST_OBJECT_UNLOCK (self);

  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);
}

static GstStateChangeReturn
gst_gnutls_dtls_dec_change_state (GstElement * element,
    GstStateChange transition)
{
  GstGnutlsDtlsDec *self = GST_GNUTLS_DTLS_DEC (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    self->need_sticky = TRUE;
    self->group_id = 0;
  }

  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

static void
gst_gnutls_dtls_dec_class_init (GstGnutlsDtlsDecClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstGnutlsDtlsBaseClass *base_class = GST_GNUTLS_DTLS_BASE_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_dec_debug,
      GST_GNUTLS_NAME_PREFIX "dtlsdec", 0, "GnuTLS DTLS decoder");

  base_class->role = GST_GNUTLS_DTLS_CONNECTION_DECODER;
  gst_gnutls_dtls_base_class_install_properties (base_class);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_dec_change_state);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_dec_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_dec_release_pad);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "DTLS Decoder (GnuTLS)", "Decoder/Network/DTLS",
      "Receives DTLS records, answers the DTLS handshake and outputs the "
      "application data, with GnuTLS", "GStreamer GnuTLS DTLS-SRTP developers");
}

static void
gst_gnutls_dtls_dec_init (GstGnutlsDtlsDec * self)
{
  self->sink = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sink,
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_dec_chain));
  gst_pad_set_chain_list_function (self->sink,
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_dec_chain_list));
  gst_pad_set_event_function (self->sink,
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_dec_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sink);
}
