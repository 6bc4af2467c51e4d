/* GStreamer GnuTLS DTLS-SRTP suite: SRTP plugin element registrations.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_SRTP_ELEMENTS_H__
#define __GST_GNUTLS_SRTP_ELEMENTS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

GST_ELEMENT_REGISTER_DECLARE (gnutlssrtpenc);
GST_ELEMENT_REGISTER_DECLARE (gnutlssrtpdec);

G_END_DECLS

#endif
