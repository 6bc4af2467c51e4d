/* GnuTLS DTLS-SRTP for GStreamer
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_GNUTLS_DTLS_DEC_H__
#define __GST_GNUTLS_DTLS_DEC_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_DTLS_DEC (gst_gnutls_dtls_dec_get_type ())
G_DECLARE_FINAL_TYPE (GstGnutlsDtlsDec, gst_gnutls_dtls_dec, GST,
    GNUTLS_DTLS_DEC, GstElement)

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_DEC_H__ */
