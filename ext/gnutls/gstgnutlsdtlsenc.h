/* GStreamer GnuTLS DTLS-SRTP suite: the DTLS encoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __GST_GNUTLS_DTLS_ENC_H__
#define __GST_GNUTLS_DTLS_ENC_H__

#include "gstgnutlsdtlsbase.h"

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_DTLS_ENC (gst_gnutls_dtls_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstGnutlsDtlsEnc, gst_gnutls_dtls_enc, GST,
    GNUTLS_DTLS_ENC, GstGnutlsDtlsBase)

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_ENC_H__ */
