/* GnuTLS DTLS-SRTP for GStreamer
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_GNUTLS_DTLS_ELEMENTS_H__
#define __GST_GNUTLS_DTLS_ELEMENTS_H__

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>

G_BEGIN_DECLS

void gst_gnutls_dtls_element_init (GstPlugin * plugin);

GST_ELEMENT_REGISTER_DECLARE (gnutlsdtlsenc);
GST_ELEMENT_REGISTER_DECLARE (gnutlsdtlsdec);
GST_ELEMENT_REGISTER_DECLARE (gnutlsdtlssrtpenc);
GST_ELEMENT_REGISTER_DECLARE (gnutlsdtlssrtpdec);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_ELEMENTS_H__ */
