/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <gnutls/gnutls.h>

#include "gstgnutlsdtlselements.h"
#include "gstgnutlsdtlsconnection.h"

/* One-time set-up shared by every element of the plugin. */
void
gst_gnutls_dtls_element_init (GstPlugin * plugin)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    /* GnuTLS initialises itself when loaded; this only takes a reference so
     * it stays initialised for as long as the plugin is loaded. */
    gnutls_global_init ();
    g_type_class_unref (g_type_class_ref (GST_TYPE_GNUTLS_DTLS_CONNECTION));
    gst_type_mark_as_plugin_api (GST_TYPE_GNUTLS_DTLS_CONNECTION_STATE, 0);
    gst_type_mark_as_plugin_api (GST_TYPE_GNUTLS_DTLS_CERTIFICATE_TYPE, 0);
    g_once_init_leave (&done, 1);
  }
}

/*
 * Property rules shared by every element of the plugin, the DTLS-SRTP bins
 * included:
 *
 * - A property flagged GST_PARAM_MUTABLE_READY keeps its value in PAUSED
 *   and PLAYING: setting another value then is refused with a warning,
 *   and reading it back still gives the value in effect (as x264enc and
 *   other GStreamer elements do).
 * - A value that can never work (a malformed peer-fingerprint, a pem
 *   without a usable certificate and key, an unknown SRTP cipher name) is
 *   refused when set, with a warning naming the property and why, and the
 *   element refuses to start (NULL to READY fails with an error saying the
 *   same) until a valid value is set: a security setting must not be
 *   replaced by a default behind the user's back.
 */

gboolean
gst_gnutls_dtls_element_check_mutable (GstElement * element,
    GParamSpec * pspec, const GValue * value)
{
  GValue current = G_VALUE_INIT;
  GstState state;
  gboolean same;

  if (!(pspec->flags & GST_PARAM_MUTABLE_READY) ||
      (pspec->flags & GST_PARAM_MUTABLE_PLAYING))
    return TRUE;

  GST_OBJECT_LOCK (element);
  state = GST_STATE (element);
  GST_OBJECT_UNLOCK (element);
  if (state <= GST_STATE_READY)
    return TRUE;

  g_value_init (&current, pspec->value_type);
  g_object_get_property (G_OBJECT (element), pspec->name, &current);
  same = g_param_values_cmp (pspec, value, &current) == 0;
  g_value_unset (&current);
  /* setting the value in effect again is no change */
  if (!same)
    g_warning ("%s: \"%s\" can only be changed in the NULL or READY state; "
        "it keeps its current value", GST_ELEMENT_NAME (element), pspec->name);
  return FALSE;
}

#define REFUSED_QUARK \
    g_quark_from_static_string ("gst-gnutls-dtls-refused-settings")

/* name -> why, protected by the element's OBJECT_LOCK */
static GHashTable *
refused_settings_locked (GstElement * element, gboolean create)
{
  GHashTable *refused = g_object_get_qdata (G_OBJECT (element),
      REFUSED_QUARK);

  if (!refused && create) {
    refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_object_set_qdata_full (G_OBJECT (element), REFUSED_QUARK, refused,
        (GDestroyNotify) g_hash_table_unref);
  }
  return refused;
}

void
gst_gnutls_dtls_element_refuse_setting (GstElement * element,
    const gchar * name, const gchar * format, ...)
{
  va_list args;
  gchar *why;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);

  g_warning ("%s: %s; the element will not start until \"%s\" is valid",
      GST_ELEMENT_NAME (element), why, name);

  GST_OBJECT_LOCK (element);
  g_hash_table_replace (refused_settings_locked (element, TRUE),
      g_strdup (name), why);
  GST_OBJECT_UNLOCK (element);
}

void
gst_gnutls_dtls_element_accept_setting (GstElement * element,
    const gchar * name)
{
  GHashTable *refused;

  GST_OBJECT_LOCK (element);
  refused = refused_settings_locked (element, FALSE);
  if (refused)
    g_hash_table_remove (refused, name);
  GST_OBJECT_UNLOCK (element);
}

/* Posts an error and returns FALSE if a setting was refused */
gboolean
gst_gnutls_dtls_element_check_settings (GstElement * element)
{
  GHashTable *refused;
  GString *why = NULL;
  GHashTableIter iter;
  gpointer value;

  GST_OBJECT_LOCK (element);
  refused = refused_settings_locked (element, FALSE);
  if (refused && g_hash_table_size (refused) > 0) {
    why = g_string_new (NULL);
    g_hash_table_iter_init (&iter, refused);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_string_append_printf (why, "%s%s", why->len ? "; " : "",
          (const gchar *) value);
  }
  GST_OBJECT_UNLOCK (element);

  if (!why)
    return TRUE;
  GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS, ("%s", why->str),
      ("a property was set to a value that cannot work"));
  g_string_free (why, TRUE);
  return FALSE;
}
