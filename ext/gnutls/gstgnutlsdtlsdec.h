/* GStreamer GnuTLS DTLS-SRTP suite: the DTLS decoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __GST_GNUTLS_DTLS_DEC_H__
#define __GST_GNUTLS_DTLS_DEC_H__

#include "gstgnutlsdtlsbase.h"

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_DTLS_DEC (gst_gnutls_dtls_dec_get_type ())
G_DECLARE_FINAL_TYPE (GstGnutlsDtlsDec, gst_gnutls_dtls_dec, GST,
    GNUTLS_DTLS_DEC, GstGnutlsDtlsBase)

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_DEC_H__ */
