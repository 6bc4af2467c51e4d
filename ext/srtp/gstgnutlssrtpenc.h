/* GStreamer GnuTLS DTLS-SRTP suite: libsrtp2 SRTP/SRTCP encoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_SRTP_ENC_H__
#define __GST_GNUTLS_SRTP_ENC_H__

#include <gst/gst.h>

#include "gstgnutlssrtp.h"

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_SRTP_ENC (gst_gnutls_srtp_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstGnutlsSrtpEnc, gst_gnutls_srtp_enc, GST,
    GNUTLS_SRTP_ENC, GstElement);

G_END_DECLS

#endif
