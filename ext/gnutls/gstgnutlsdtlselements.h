/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __GST_GNUTLS_DTLS_ELEMENTS_H__
#define __GST_GNUTLS_DTLS_ELEMENTS_H__

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>

G_BEGIN_DECLS

void gst_gnutls_dtls_element_init (GstPlugin * plugin);

/* Property rules shared by every element of the plugin (see
 * gstgnutlsdtlselement.c) */
gboolean gst_gnutls_dtls_element_check_mutable (GstElement * element,
    GParamSpec * pspec, const GValue * value);
void gst_gnutls_dtls_element_refuse_setting (GstElement * element,
    const gchar * name, const gchar * format, ...) G_GNUC_PRINTF (3, 4);
void gst_gnutls_dtls_element_accept_setting (GstElement * element,
    const gchar * name);
gboolean gst_gnutls_dtls_element_check_settings (GstElement * element);

GST_ELEMENT_REGISTER_DECLARE (gnutlsdtlsenc);
GST_ELEMENT_REGISTER_DECLARE (gnutlsdtlsdec);
GST_ELEMENT_REGISTER_DECLARE (gnutlsdtlssrtpenc);
GST_ELEMENT_REGISTER_DECLARE (gnutlsdtlssrtpdec);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_ELEMENTS_H__ */
