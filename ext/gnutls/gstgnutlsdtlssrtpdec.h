/* GStreamer GnuTLS DTLS-SRTP suite: the DTLS-SRTP decoder bin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_SRTP_DEC_H__
#define __GST_GNUTLS_DTLS_SRTP_DEC_H__

#include "gstgnutlsdtlssrtpbin.h"

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_DTLS_SRTP_DEC (gst_gnutls_dtls_srtp_dec_get_type ())
G_DECLARE_FINAL_TYPE (GstGnutlsDtlsSrtpDec, gst_gnutls_dtls_srtp_dec, GST,
    GNUTLS_DTLS_SRTP_DEC, GstGnutlsDtlsSrtpBin);

G_END_DECLS

#endif
