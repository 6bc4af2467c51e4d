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

#include "gstgnutlsdtlselements.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (gnutlsdtlsenc, plugin);
  ret |= GST_ELEMENT_REGISTER (gnutlsdtlsdec, plugin);
  ret |= GST_ELEMENT_REGISTER (gnutlsdtlssrtpenc, plugin);
  ret |= GST_ELEMENT_REGISTER (gnutlsdtlssrtpdec, plugin);

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, gnutlsdtls,
    "DTLS with GnuTLS: dtlsenc, dtlsdec and the DTLS-SRTP bins",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
