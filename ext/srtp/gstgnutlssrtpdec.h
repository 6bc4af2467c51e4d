/* GStreamer GnuTLS DTLS-SRTP suite: libsrtp2 SRTP/SRTCP decoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_SRTP_DEC_H__
#define __GST_GNUTLS_SRTP_DEC_H__

#include <gst/gst.h>

#include "gstgnutlssrtp.h"

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_SRTP_DEC (gst_gnutls_srtp_dec_get_type ())
G_DECLARE_FINAL_TYPE (GstGnutlsSrtpDec, gst_gnutls_srtp_dec, GST,
    GNUTLS_SRTP_DEC, GstElement);

G_END_DECLS

#endif
