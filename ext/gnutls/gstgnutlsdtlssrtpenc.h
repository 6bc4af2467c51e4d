/* GStreamer GnuTLS DTLS-SRTP suite: the DTLS-SRTP encoder bin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_SRTP_ENC_H__
#define __GST_GNUTLS_DTLS_SRTP_ENC_H__

#include "gstgnutlsdtlssrtpbin.h"

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_DTLS_SRTP_ENC (gst_gnutls_dtls_srtp_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstGnutlsDtlsSrtpEnc, gst_gnutls_dtls_srtp_enc, GST,
    GNUTLS_DTLS_SRTP_ENC, GstGnutlsDtlsSrtpBin);

G_END_DECLS

#endif
