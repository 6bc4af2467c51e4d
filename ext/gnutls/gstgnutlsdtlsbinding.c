/* GnuTLS DTLS-SRTP for GStreamer
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlsbinding.h"

GST_DEBUG_CATEGORY_EXTERN (gst_gnutls_dtls_connection_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_connection_debug

void
gst_gnutls_dtls_binding_init (GstGnutlsDtlsBinding * binding,
    GstElement * element, GstGnutlsDtlsConnectionRole role,
    GstGnutlsDtlsConnectionNotify notify)
{
  binding->element = element;
  binding->role = role;
  binding->notify = notify;
  binding->connection_id = NULL;
  binding->connection = NULL;
  binding->settings = gst_structure_new_empty ("settings");
}

static gboolean
apply_setting (GQuark field, const GValue * value, gpointer conn)
{
  g_object_set_property (conn, g_quark_to_string (field), value);
  return TRUE;
}

/**
 * gst_gnutls_dtls_binding_set_id:
 *
 * Attaches the element to the connection of @connection_id (created if
 * needed), applying the settings made so far, and detaches it from the
 * previous one.
 */
void
gst_gnutls_dtls_binding_set_id (GstGnutlsDtlsBinding * binding,
    const gchar * connection_id)
{
  GstGnutlsDtlsConnection *old, *conn = NULL;
  GstStructure *settings;

  if (connection_id && *connection_id) {
    conn = gst_gnutls_dtls_connection_get (connection_id);
    gst_gnutls_dtls_connection_attach (conn, binding->role, binding->element,
        binding->notify);
  }

  GST_OBJECT_LOCK (binding->element);
  old = binding->connection;
  binding->connection = conn;
  g_free (binding->connection_id);
  binding->connection_id = conn ? g_strdup (connection_id) : NULL;
  settings = gst_structure_copy (binding->settings);
  GST_OBJECT_UNLOCK (binding->element);

  if (conn)
    gst_structure_foreach (settings, apply_setting, conn);
  gst_structure_free (settings);

  if (old) {
    gst_gnutls_dtls_connection_detach (old, binding->role, binding->element);
    gst_object_unref (old);
  }
}

gchar *
gst_gnutls_dtls_binding_dup_id (GstGnutlsDtlsBinding * binding)
{
  gchar *id;

  GST_OBJECT_LOCK (binding->element);
  id = g_strdup (binding->connection_id);
  GST_OBJECT_UNLOCK (binding->element);
  return id;
}

/**
 * gst_gnutls_dtls_binding_get_connection:
 *
 * Returns: (transfer full) (nullable): the connection
 */
GstGnutlsDtlsConnection *
gst_gnutls_dtls_binding_get_connection (GstGnutlsDtlsBinding * binding)
{
  GstGnutlsDtlsConnection *conn;

  GST_OBJECT_LOCK (binding->element);
  conn = binding->connection ? gst_object_ref (binding->connection) : NULL;
  GST_OBJECT_UNLOCK (binding->element);
  return conn;
}

void
gst_gnutls_dtls_binding_set_property (GstGnutlsDtlsBinding * binding,
    GParamSpec * pspec, const GValue * value)
{
  GstGnutlsDtlsConnection *conn;

  GST_OBJECT_LOCK (binding->element);
  gst_structure_set_value (binding->settings, pspec->name, value);
  conn = binding->connection ? gst_object_ref (binding->connection) : NULL;
  GST_OBJECT_UNLOCK (binding->element);

  if (conn) {
    g_object_set_property (G_OBJECT (conn), pspec->name, value);
    gst_object_unref (conn);
  }
}

void
gst_gnutls_dtls_binding_get_property (GstGnutlsDtlsBinding * binding,
    GParamSpec * pspec, GValue * value)
{
  GstGnutlsDtlsConnection *conn;
  const GValue *v;

  conn = gst_gnutls_dtls_binding_get_connection (binding);
  if (conn) {
    g_object_get_property (G_OBJECT (conn), pspec->name, value);
    gst_object_unref (conn);
    return;
  }

  GST_OBJECT_LOCK (binding->element);
  v = gst_structure_get_value (binding->settings, pspec->name);
  if (v)
    g_value_copy (v, value);
  else
    g_param_value_set_default (pspec, value);
  GST_OBJECT_UNLOCK (binding->element);
}

void
gst_gnutls_dtls_binding_clear (GstGnutlsDtlsBinding * binding)
{
  if (binding->connection) {
    gst_gnutls_dtls_connection_detach (binding->connection, binding->role,
        binding->element);
    gst_clear_object (&binding->connection);
  }
  g_clear_pointer (&binding->connection_id, g_free);
  g_clear_pointer (&binding->settings, gst_structure_free);
}

/**
 * gst_gnutls_dtls_binding_post_error:
 * @error: a #GST_RESOURCE_ERROR from the connection
 *
 * Posts @error with GST_ELEMENT_ERROR(), naming the connection.
 */
void
gst_gnutls_dtls_binding_post_error (GstGnutlsDtlsBinding * binding,
    const GError * error)
{
  GstElement *self = binding->element;
  gchar *id = gst_gnutls_dtls_binding_dup_id (binding);

  switch (error->code) {
    case GST_RESOURCE_ERROR_SETTINGS:
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", error->message),
          ("DTLS connection-id \"%s\"", id));
      break;
    case GST_RESOURCE_ERROR_NOT_AUTHORIZED:
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED, ("%s",
              error->message), ("DTLS connection-id \"%s\"", id));
      break;
    case GST_RESOURCE_ERROR_READ:
      GST_ELEMENT_ERROR (self, RESOURCE, READ, ("%s", error->message),
          ("DTLS connection-id \"%s\"", id));
      break;
    default:
      GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("%s", error->message),
          ("DTLS connection-id \"%s\"", id));
      break;
  }
  g_free (id);
}
