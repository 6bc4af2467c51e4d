/* GStreamer GnuTLS DTLS-SRTP suite: the DTLS encoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-gnutlsdtlsenc
 * @title: gnutlsdtlsenc
 * @see_also: gnutlsdtlsdec, gnutlssrtpenc
 *
 * The sending half of a DTLS connection, using GnuTLS. Buffers received on
 * the requested `sink` pad are application data: each one is sent as one
 * DTLS record once the handshake has completed (until then they wait, up to
 * 256 KiB). The `src` pad carries the DTLS records, the handshake flights
 * included, to be sent to the peer (typically over UDP or ICE).
 *
 * An encoder works with the gnutlsdtlsdec that has the same `connection-id`,
 * which feeds it what the peer sends; the two may be created and started in
 * any order. The handshake starts when the encoder goes to PAUSED.
 *
 * With the `use_srtp` extension negotiated, #GstGnutlsDtlsEnc:encoder-key
 * holds the SRTP master key and salt to protect outgoing RTP with, and
 * #GstGnutlsDtlsBase::on-key-received is emitted when it is known.
 *
 * ## Example pipelines
 *
 * A client and a server on one host, each sending 100 audio buffers to the
 * other over DTLS, then closing (close_notify, then EOS on both decoders):
 * |[
 * gst-launch-1.0 \
 *   audiotestsrc num-buffers=100 samplesperbuffer=160 ! \
 *     audio/x-raw,rate=8000 ! gnutlsdtlsenc connection-id=server ! \
 *     udpsink port=5001 host=127.0.0.1 async=false \
 *   udpsrc port=5002 ! gnutlsdtlsdec connection-id=server ! fakesink \
 *   audiotestsrc num-buffers=100 samplesperbuffer=160 ! \
 *     audio/x-raw,rate=8000 ! gnutlsdtlsenc connection-id=client \
 *     is-client=true ! udpsink port=5002 host=127.0.0.1 async=false \
 *   udpsrc port=5001 ! gnutlsdtlsdec connection-id=client ! fakesink
 * ]|
 * (`async=false`: a sink that only gets the records of a handshake that
 * cannot start before PLAYING must not wait for a buffer to preroll.)
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlselements.h"
#include "gstgnutlsdtlsenc.h"

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_enc_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_enc_debug

struct _GstGnutlsDtlsEnc
{
  GstGnutlsDtlsBase parent;

  GstPad *src;
  GstPad *sink;                 /* protected by OBJECT_LOCK */

  /* protected by the src STREAM_LOCK */
  gboolean need_sticky;
  guint group_id;               /* of the stream, 0 until its stream-start */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("application/x-dtls"));

#define gst_gnutls_dtls_enc_parent_class parent_class
G_DEFINE_TYPE (GstGnutlsDtlsEnc, gst_gnutls_dtls_enc,
    GST_TYPE_GNUTLS_DTLS_BASE);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (gnutlsdtlsenc,
    GST_GNUTLS_NAME_PREFIX "dtlsenc", GST_RANK_NONE, GST_TYPE_GNUTLS_DTLS_ENC,
    gst_gnutls_dtls_element_init (plugin));

/* Called with the src STREAM_LOCK */
static void
push_sticky_events (GstGnutlsDtlsEnc * self)
{
  gchar *stream_id;
  GstEvent *event;
  GstCaps *caps;
  GstSegment segment;

  if (!self->need_sticky)
    return;
  if (!self->group_id)
    self->group_id = gst_util_group_id_next ();
  stream_id = gst_pad_create_stream_id (self->src, GST_ELEMENT (self), NULL);
  event = gst_event_new_stream_start (stream_id);
  gst_event_set_group_id (event, self->group_id);
  gst_pad_push_event (self->src, event);
  g_free (stream_id);
  caps = gst_static_pad_template_get_caps (&src_template);
  gst_pad_push_event (self->src, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (self->src, gst_event_new_segment (&segment));
  self->need_sticky = FALSE;
}

/* Pushes records (or an event queued behind them) to the peer, from
 * whichever thread delivers them, and returns what downstream answered */
static GstFlowReturn
push_records (GstGnutlsDtlsBase * base, const GstGnutlsDtlsConnectionEvent * ev)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (base);
  GstFlowReturn ret = GST_FLOW_OK;

  GST_PAD_STREAM_LOCK (self->src);
  push_sticky_events (self);
  if (ev->buffer)
    ret = gst_pad_push (self->src, gst_buffer_ref (ev->buffer));
  if (ev->records)
    ret = gst_pad_push_list (self->src, gst_buffer_list_ref (ev->records));
  if (ev->event)
    gst_pad_push_event (self->src, gst_event_ref (ev->event));
  GST_PAD_STREAM_UNLOCK (self->src);

  if (ret != GST_FLOW_OK)
    GST_DEBUG_OBJECT (self, "pushing records: %s", gst_flow_get_name (ret));
  return ret;
}

/* Returns what downstream answered to the records, so that upstream
 * learns it is flushing, at EOS or failed */
static GstFlowReturn
send_buffer (GstGnutlsDtlsEnc * self, GstGnutlsDtlsConnection * conn,
    GstBuffer * buffer)
{
  GError *err = NULL;
  GstFlowReturn ret;

  ret = gst_gnutls_dtls_connection_send (conn, GST_ELEMENT (self), buffer,
      &err);
  if (err) {
    GST_ELEMENT_WARNING (self, STREAM, ENCODE, ("%s", err->message), (NULL));
    g_clear_error (&err);
  }
  return ret;
}

static GstFlowReturn
gst_gnutls_dtls_enc_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (parent);
  GstGnutlsDtlsConnection *conn;
  GstFlowReturn ret = GST_FLOW_OK;

  conn = gst_gnutls_dtls_base_get_connection (GST_GNUTLS_DTLS_BASE (self));
  if (conn) {
    ret = send_buffer (self, conn, buffer);
    gst_object_unref (conn);
  }
  gst_buffer_unref (buffer);
  return ret;
}

static GstFlowReturn
gst_gnutls_dtls_enc_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (parent);
  GstGnutlsDtlsConnection *conn;
  GstFlowReturn ret = GST_FLOW_OK;
  guint i, n = gst_buffer_list_length (list);

  conn = gst_gnutls_dtls_base_get_connection (GST_GNUTLS_DTLS_BASE (self));
  if (conn) {
    for (i = 0; i < n && ret == GST_FLOW_OK; i++)
      ret = send_buffer (self, conn, gst_buffer_list_get (list, i));
    gst_object_unref (conn);
  }
  gst_buffer_list_unref (list);
  return ret;
}

static gboolean
gst_gnutls_dtls_enc_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_EOS:{
      GstGnutlsDtlsConnection *conn =
          gst_gnutls_dtls_base_get_connection (GST_GNUTLS_DTLS_BASE (self));

      /* close_notify goes out before EOS */
      if (conn) {
        gst_gnutls_dtls_connection_finish (conn, event);
        gst_object_unref (conn);
        return TRUE;
      }
      return gst_pad_push_event (self->src, event);
    }
    case GST_EVENT_FLUSH_STOP:
      GST_PAD_STREAM_LOCK (self->src);
      self->need_sticky = TRUE;
      GST_PAD_STREAM_UNLOCK (self->src);
      return gst_pad_push_event (self->src, event);
    default:
      /* the src pad has its own stream-start, caps and segment */
      if (GST_EVENT_IS_STICKY (event)) {
        gst_event_unref (event);
        return TRUE;
      }
      return gst_pad_push_event (self->src, event);
  }
}

static GstPad *
gst_gnutls_dtls_enc_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (element);
  GstPad *pad;

  GST_OBJECT_LOCK (self);
  if (self->sink) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "only one sink pad can be requested");
    return NULL;
  }
  pad = gst_pad_new_from_template (templ, "sink");
  self->sink = pad;
  GST_OBJECT_UNLOCK (self);

  gst_pad_set_chain_function (pad,
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_enc_chain));
  gst_pad_set_chain_list_function (pad,
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_enc_chain_list));
  gst_pad_set_event_function (pad,
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_enc_sink_event));
  GST_PAD_SET_PROXY_ALLOCATION (pad);

  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (element, pad);
  return pad;
}

static void
gst_gnutls_dtls_enc_release_pad (GstElement * element, GstPad * pad)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (element);

  GST_OBJECT_LOCK (self);
  if (self->sink != pad) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  self->sink = NULL;
  GST_OBJECT_UNLOCK (self);

  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);
}

static GstStateChangeReturn
gst_gnutls_dtls_enc_change_state (GstElement * element,
    GstStateChange transition)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (element);
  GstGnutlsDtlsBase *base = GST_GNUTLS_DTLS_BASE (element);
  GstGnutlsDtlsConnection *conn;
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      GST_PAD_STREAM_LOCK (self->src);
      self->need_sticky = TRUE;
      self->group_id = 0;
      GST_PAD_STREAM_UNLOCK (self->src);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* no more records from here on */
      conn = gst_gnutls_dtls_base_get_connection (base);
      if (conn) {
        gst_gnutls_dtls_connection_stop (conn);
        gst_object_unref (conn);
      }
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    /* the src pad is active: records can flow, the handshake can start */
    conn = gst_gnutls_dtls_base_get_connection (base);
    if (conn) {
      gst_gnutls_dtls_connection_start (conn);
      gst_object_unref (conn);
    }
  }

  return ret;
}

static void
gst_gnutls_dtls_enc_class_init (GstGnutlsDtlsEncClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstGnutlsDtlsBaseClass *base_class = GST_GNUTLS_DTLS_BASE_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_enc_debug,
      GST_GNUTLS_NAME_PREFIX "dtlsenc", 0, "GnuTLS DTLS encoder");

  base_class->role = GST_GNUTLS_DTLS_CONNECTION_ENCODER;
  base_class->records = push_records;
  gst_gnutls_dtls_base_class_install_properties (base_class);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_enc_change_state);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_enc_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_enc_release_pad);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "DTLS Encoder (GnuTLS)", "Encoder/Network/DTLS",
      "Sends application data as DTLS records and drives the DTLS "
      "handshake, with GnuTLS", "GStreamer GnuTLS DTLS-SRTP developers");
}

static void
gst_gnutls_dtls_enc_init (GstGnutlsDtlsEnc * self)
{
  self->src = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->src);
  gst_element_add_pad (GST_ELEMENT (self), self->src);
}
