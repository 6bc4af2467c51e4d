/* GStreamer GnuTLS DTLS-SRTP suite: the SRTP plugin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlssrtpelements.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (gnutlssrtpenc, plugin);
  ret |= GST_ELEMENT_REGISTER (gnutlssrtpdec, plugin);

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, gnutlssrtp,
    "SRTP encryption and decryption with libsrtp2 (GnuTLS DTLS-SRTP suite)",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
