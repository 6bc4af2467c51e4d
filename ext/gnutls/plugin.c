/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
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
