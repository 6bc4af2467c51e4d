/* GStreamer GnuTLS DTLS-SRTP suite: the process-wide registry that maps a
 * connection-id to its connection.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The registry holds weak references only: a connection lives as long as
 * an element uses it, and the next element that asks for the id after that
 * gets a new one. Whichever of the encoder and the decoder asks first
 * creates it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlsregistry.h"
#include "gstgnutlsdtlsconnectionprivate.h"

#define GST_CAT_DEFAULT gst_gnutls_dtls_connection_debug

static GMutex registry_lock;
static GHashTable *registry;    /* connection-id -> GWeakRef * */

static void
weak_ref_free (GWeakRef * ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/**
 * gst_gnutls_dtls_connection_get:
 * @connection_id: the id shared by an encoder and a decoder
 *
 * Returns: (transfer full): the connection of @connection_id, created on
 * first use.
 */
GstGnutlsDtlsConnection *
gst_gnutls_dtls_connection_get (const gchar * connection_id)
{
  GstGnutlsDtlsConnection *conn = NULL;
  GWeakRef *ref;

  g_return_val_if_fail (connection_id != NULL, NULL);

  g_mutex_lock (&registry_lock);
  if (!registry)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        (GDestroyNotify) weak_ref_free);
  ref = g_hash_table_lookup (registry, connection_id);
  if (ref)
    conn = g_weak_ref_get (ref);
  if (!conn) {
    conn = g_object_new (GST_TYPE_GNUTLS_DTLS_CONNECTION, "name",
        connection_id, NULL);
    conn->id = g_strdup (connection_id);
    gst_object_ref_sink (conn);
    ref = g_new0 (GWeakRef, 1);
    g_weak_ref_init (ref, conn);
    g_hash_table_replace (registry, g_strdup (connection_id), ref);
    GST_DEBUG_OBJECT (conn, "created connection");
  }
  g_mutex_unlock (&registry_lock);

  return conn;
}

/* From the finalize of the connection of @connection_id: forgets it,
 * unless a new connection of that id has already taken its place. */
void
gst_gnutls_dtls_registry_remove (const gchar * connection_id)
{
  GstGnutlsDtlsConnection *other = NULL;
  GWeakRef *ref;

  g_mutex_lock (&registry_lock);
  ref = g_hash_table_lookup (registry, connection_id);
  if (ref) {
    other = g_weak_ref_get (ref);
    if (!other)
      g_hash_table_remove (registry, connection_id);
  }
  g_mutex_unlock (&registry_lock);
  if (other)
    gst_object_unref (other);
}
