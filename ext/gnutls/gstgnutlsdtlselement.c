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
