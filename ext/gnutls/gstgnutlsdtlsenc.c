/* GnuTLS DTLS-SRTP for GStreamer
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
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
 * #GstGnutlsDtlsEnc::on-key-received is emitted when it is known.
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
#include "gstgnutlsdtlsbinding.h"

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_enc_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_enc_debug

enum
{
  PROP_0,
  PROP_CONNECTION_ID,
  PROP_ENCODER_KEY,
  PROP_FORWARDED                /* first of the connection's properties */
};

static const gchar *const forwarded_properties[] = {
  "is-client", "connection-state", "srtp-cipher", "srtp-auth",
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

struct _GstGnutlsDtlsEnc
{
  GstElement parent;

  GstPad *src;
  GstPad *sink;                 /* protected by OBJECT_LOCK */

  GstGnutlsDtlsBinding binding;

  gboolean need_sticky;         /* protected by the src STREAM_LOCK */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("application/x-dtls"));

#define gst_gnutls_dtls_enc_parent_class parent_class
G_DEFINE_TYPE (GstGnutlsDtlsEnc, gst_gnutls_dtls_enc, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (gnutlsdtlsenc,
    GST_GNUTLS_NAME_PREFIX "dtlsenc", GST_RANK_NONE, GST_TYPE_GNUTLS_DTLS_ENC,
    gst_gnutls_dtls_element_init (plugin));

/* Called with the src STREAM_LOCK */
static void
push_sticky_events (GstGnutlsDtlsEnc * self)
{
  gchar *stream_id;
  GstCaps *caps;
  GstSegment segment;

  if (!self->need_sticky)
    return;
  stream_id = gst_pad_create_stream_id (self->src, GST_ELEMENT (self), NULL);
  gst_pad_push_event (self->src, gst_event_new_stream_start (stream_id));
  g_free (stream_id);
  caps = gst_static_pad_template_get_caps (&src_template);
  gst_pad_push_event (self->src, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (self->src, gst_event_new_segment (&segment));
  self->need_sticky = FALSE;
}

/* Pushes records (or an event queued behind them) to the peer, from
 * whichever thread delivers them */
static void
push_records (GstGnutlsDtlsEnc * self, const GstGnutlsDtlsConnectionEvent * ev)
{
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
}

static void
on_connection_event (GstElement * element,
    const GstGnutlsDtlsConnectionEvent * ev)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (element);

  switch (ev->type) {
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_RECORDS:
      push_records (self, ev);
      break;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_STATE:
      g_object_notify (G_OBJECT (self), "connection-state");
      break;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_KEYS:
      g_object_notify (G_OBJECT (self), "encoder-key");
      g_signal_emit (self, signals[SIGNAL_ON_KEY_RECEIVED], 0);
      break;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_ERROR:
      gst_gnutls_dtls_binding_post_error (&self->binding, ev->error);
      break;
  }
}

static GstFlowReturn
send_buffer (GstGnutlsDtlsEnc * self, GstGnutlsDtlsConnection * conn,
    GstBuffer * buffer)
{
  GError *err = NULL;

  if (!gst_gnutls_dtls_connection_send (conn, buffer, &err)) {
    GST_ELEMENT_WARNING (self, STREAM, ENCODE, ("%s", err->message), (NULL));
    g_clear_error (&err);
  }
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_gnutls_dtls_enc_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (parent);
  GstGnutlsDtlsConnection *conn;
  GstFlowReturn ret = GST_FLOW_OK;

  conn = gst_gnutls_dtls_binding_get_connection (&self->binding);
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

  conn = gst_gnutls_dtls_binding_get_connection (&self->binding);
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
          gst_gnutls_dtls_binding_get_connection (&self->binding);

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
  GstGnutlsDtlsConnection *conn;
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      conn = gst_gnutls_dtls_binding_get_connection (&self->binding);
      if (!conn) {
        GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
            ("Set the connection-id property: it pairs this encoder with "
                "the decoder of the same DTLS connection"), (NULL));
        return GST_STATE_CHANGE_FAILURE;
      }
      gst_object_unref (conn);
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      GST_PAD_STREAM_LOCK (self->src);
      self->need_sticky = TRUE;
      GST_PAD_STREAM_UNLOCK (self->src);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* no more records from here on */
      conn = gst_gnutls_dtls_binding_get_connection (&self->binding);
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
    conn = gst_gnutls_dtls_binding_get_connection (&self->binding);
    if (conn) {
      gst_gnutls_dtls_connection_start (conn);
      gst_object_unref (conn);
    }
  }

  return ret;
}

static void
gst_gnutls_dtls_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (object);

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
gst_gnutls_dtls_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (object);

  switch (prop_id) {
    case PROP_CONNECTION_ID:
      g_value_take_string (value,
          gst_gnutls_dtls_binding_dup_id (&self->binding));
      break;
    case PROP_ENCODER_KEY:{
      GstGnutlsDtlsConnection *conn;
      GstBuffer *key = NULL;

      conn = gst_gnutls_dtls_binding_get_connection (&self->binding);
      if (conn) {
        gst_gnutls_dtls_connection_get_srtp_keys (conn, &key, NULL, NULL,
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
gst_gnutls_dtls_enc_finalize (GObject * object)
{
  GstGnutlsDtlsEnc *self = GST_GNUTLS_DTLS_ENC (object);

  gst_gnutls_dtls_binding_clear (&self->binding);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_gnutls_dtls_enc_class_init (GstGnutlsDtlsEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_enc_debug,
      GST_GNUTLS_NAME_PREFIX "dtlsenc", 0, "GnuTLS DTLS encoder");

  gobject_class->set_property = gst_gnutls_dtls_enc_set_property;
  gobject_class->get_property = gst_gnutls_dtls_enc_get_property;
  gobject_class->finalize = gst_gnutls_dtls_enc_finalize;

  g_object_class_install_property (gobject_class, PROP_CONNECTION_ID,
      g_param_spec_string ("connection-id", "Connection id",
          "Identifier shared by the encoder and the decoder of one DTLS "
          "connection; unique in the process", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_ENCODER_KEY,
      g_param_spec_boxed ("encoder-key", "Encoder key",
          "SRTP master key then master salt to protect what we send "
          "(30 bytes for AES-128), NULL until the handshake completes",
          GST_TYPE_BUFFER, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  gst_gnutls_dtls_connection_install_properties (gobject_class,
      PROP_FORWARDED, forwarded_properties);

  /**
   * GstGnutlsDtlsEnc::on-key-received:
   *
   * The SRTP keys are known: read #GstGnutlsDtlsEnc:encoder-key,
   * #GstGnutlsDtlsEnc:srtp-cipher and #GstGnutlsDtlsEnc:srtp-auth.
   * Emitted before connection-state becomes connected, from a streaming or
   * timer thread.
   */
  signals[SIGNAL_ON_KEY_RECEIVED] = g_signal_new ("on-key-received",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);

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

  gst_gnutls_dtls_binding_init (&self->binding, GST_ELEMENT (self),
      GST_GNUTLS_DTLS_CONNECTION_ENCODER, on_connection_event);
}
