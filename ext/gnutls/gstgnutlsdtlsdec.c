/* GnuTLS DTLS-SRTP for GStreamer
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
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
#include "gstgnutlsdtlsbinding.h"

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_dec_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_dec_debug

enum
{
  PROP_0,
  PROP_CONNECTION_ID,
  PROP_DECODER_KEY,
  PROP_FORWARDED                /* first of the connection's properties */
};

static const gchar *const forwarded_properties[] = {
  "pem", "peer-pem", "connection-state", "srtp-cipher", "srtp-auth",
  "fingerprint", "peer-fingerprint", "certificate-type", "srtp-profiles",
  "mtu", "handshake-timeout", "retransmit-timeout", "cookie-exchange",
  "priority", "srtp-profile", NULL
};

enum
{
  SIGNAL_ON_KEY_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _GstGnutlsDtlsDec
{
  GstElement parent;

  GstPad *sink;
  GstPad *src;                  /* protected by OBJECT_LOCK */

  GstGnutlsDtlsBinding binding;

  gboolean need_sticky;         /* protected by the sink STREAM_LOCK */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS ("application/x-dtls"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

#define gst_gnutls_dtls_dec_parent_class parent_class
G_DEFINE_TYPE (GstGnutlsDtlsDec, gst_gnutls_dtls_dec, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (gnutlsdtlsdec,
    GST_GNUTLS_NAME_PREFIX "dtlsdec", GST_RANK_NONE, GST_TYPE_GNUTLS_DTLS_DEC,
    gst_gnutls_dtls_element_init (plugin));

static void
on_connection_event (GstElement * element,
    const GstGnutlsDtlsConnectionEvent * ev)
{
  GstGnutlsDtlsDec *self = GST_GNUTLS_DTLS_DEC (element);

  switch (ev->type) {
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_STATE:
      g_object_notify (G_OBJECT (self), "connection-state");
      break;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_KEYS:
      g_object_notify (G_OBJECT (self), "decoder-key");
      g_signal_emit (self, signals[SIGNAL_ON_KEY_RECEIVED], 0);
      break;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_ERROR:
      gst_gnutls_dtls_binding_post_error (&self->binding, ev->error);
      break;
    default:
      break;
  }
}

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
  GstSegment segment;

  stream_id = gst_pad_create_stream_id (src, GST_ELEMENT (self), NULL);
  gst_pad_push_event (src, gst_event_new_stream_start (stream_id));
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
  GstBufferList *app_data;
  GstFlowReturn ret = GST_FLOW_OK;
  gboolean closed = FALSE;
  GstPad *src;

  conn = gst_gnutls_dtls_binding_get_connection (&self->binding);
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
    if (app_data && gst_buffer_list_length (app_data) == 1)
      ret = gst_pad_push (src,
          gst_buffer_ref (gst_buffer_list_get (app_data, 0)));
    else if (app_data)
      ret = gst_pad_push_list (src, g_steal_pointer (&app_data));
    if (closed)
      gst_pad_push_event (src, gst_event_new_eos ());
    gst_object_unref (src);
  } else if (app_data) {
    GST_LOG_OBJECT (self, "no src pad, dropping %u buffers",
        gst_buffer_list_length (app_data));
  }
  if (app_data)
    gst_buffer_list_unref (app_data);

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

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:{
      GstGnutlsDtlsConnection *conn =
          gst_gnutls_dtls_binding_get_connection (&self->binding);

      if (!conn) {
        GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
            ("Set the connection-id property: it pairs this decoder with "
                "the encoder of the same DTLS connection"), (NULL));
        return GST_STATE_CHANGE_FAILURE;
      }
      gst_object_unref (conn);
      break;
    }
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      self->need_sticky = TRUE;
      break;
    default:
      break;
  }

  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

static void
gst_gnutls_dtls_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsDec *self = GST_GNUTLS_DTLS_DEC (object);

  switch (prop_id) {
    case PROP_CONNECTION_ID:
      gst_gnutls_dtls_binding_set_id (&self->binding,
          g_value_get_string (value));
      break;
    default:
      if (prop_id >= PROP_FORWARDED)
        gst_gnutls_dtls_binding_set_property (&self->binding, pspec, value);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_gnutls_dtls_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsDec *self = GST_GNUTLS_DTLS_DEC (object);

  switch (prop_id) {
    case PROP_CONNECTION_ID:
      g_value_take_string (value,
          gst_gnutls_dtls_binding_dup_id (&self->binding));
      break;
    case PROP_DECODER_KEY:{
      GstGnutlsDtlsConnection *conn;
      GstBuffer *key = NULL;

      conn = gst_gnutls_dtls_binding_get_connection (&self->binding);
      if (conn) {
        gst_gnutls_dtls_connection_get_srtp_keys (conn, NULL, &key, NULL,
            NULL, NULL);
        gst_object_unref (conn);
      }
      g_value_take_boxed (value, key);
      break;
    }
    default:
      if (prop_id >= PROP_FORWARDED)
        gst_gnutls_dtls_binding_get_property (&self->binding, pspec, value);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_gnutls_dtls_dec_finalize (GObject * object)
{
  GstGnutlsDtlsDec *self = GST_GNUTLS_DTLS_DEC (object);

  gst_gnutls_dtls_binding_clear (&self->binding);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_gnutls_dtls_dec_class_init (GstGnutlsDtlsDecClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_dec_debug,
      GST_GNUTLS_NAME_PREFIX "dtlsdec", 0, "GnuTLS DTLS decoder");

  gobject_class->set_property = gst_gnutls_dtls_dec_set_property;
  gobject_class->get_property = gst_gnutls_dtls_dec_get_property;
  gobject_class->finalize = gst_gnutls_dtls_dec_finalize;

  g_object_class_install_property (gobject_class, PROP_CONNECTION_ID,
      g_param_spec_string ("connection-id", "Connection id",
          "Identifier shared by the encoder and the decoder of one DTLS "
          "connection; unique in the process", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_DECODER_KEY,
      g_param_spec_boxed ("decoder-key", "Decoder key",
          "SRTP master key then master salt the peer protects what it sends "
          "with (30 bytes for AES-128), NULL until the handshake completes",
          GST_TYPE_BUFFER, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  gst_gnutls_dtls_connection_install_properties (gobject_class,
      PROP_FORWARDED, forwarded_properties);

  /**
   * GstGnutlsDtlsDec::on-key-received:
   *
   * The SRTP keys are known: read #GstGnutlsDtlsDec:decoder-key,
   * #GstGnutlsDtlsDec:srtp-cipher and #GstGnutlsDtlsDec:srtp-auth.
   * Emitted before connection-state becomes connected, from a streaming or
   * timer thread.
   */
  signals[SIGNAL_ON_KEY_RECEIVED] = g_signal_new ("on-key-received",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);

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

  gst_gnutls_dtls_binding_init (&self->binding, GST_ELEMENT (self),
      GST_GNUTLS_DTLS_CONNECTION_DECODER, on_connection_event);
}
