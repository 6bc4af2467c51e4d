/* GStreamer GnuTLS DTLS-SRTP suite: the RFC 7983 demultiplexer plugin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlssrtpdemux.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  return GST_ELEMENT_REGISTER (gnutlsdtlssrtpdemux, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, gnutlsdtlssrtpdemux,
    "Splits DTLS from SRTP/SRTCP by first byte (RFC 7983), GnuTLS "
    "DTLS-SRTP suite", plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME,
    GST_PACKAGE_ORIGIN)
