/* GnuTLS DTLS-SRTP for GStreamer
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_GNUTLS_DTLS_BINDING_H__
#define __GST_GNUTLS_DTLS_BINDING_H__

#include "gstgnutlsdtlsconnection.h"

G_BEGIN_DECLS

/*
 * What the encoder and the decoder share: the link from an element to its
 * connection, by connection-id, and the properties it forwards to it.
 * Settings made before the connection-id is known are kept and applied when
 * it is, so properties can be set in any order. All fields are protected by
 * the element's OBJECT_LOCK.
 */
typedef struct
{
  GstElement *element;
  GstGnutlsDtlsConnectionRole role;
  GstGnutlsDtlsConnectionNotify notify;

  gchar *connection_id;
  GstGnutlsDtlsConnection *connection;
  GstStructure *settings;       /* forwarded properties the user set */
} GstGnutlsDtlsBinding;

void gst_gnutls_dtls_binding_init (GstGnutlsDtlsBinding * binding,
                                   GstElement * element,
                                   GstGnutlsDtlsConnectionRole role,
                                   GstGnutlsDtlsConnectionNotify notify);
void gst_gnutls_dtls_binding_clear (GstGnutlsDtlsBinding * binding);

void gst_gnutls_dtls_binding_set_id (GstGnutlsDtlsBinding * binding,
                                     const gchar * connection_id);
gchar *gst_gnutls_dtls_binding_dup_id (GstGnutlsDtlsBinding * binding);
GstGnutlsDtlsConnection *
gst_gnutls_dtls_binding_get_connection (GstGnutlsDtlsBinding * binding);

void gst_gnutls_dtls_binding_set_property (GstGnutlsDtlsBinding * binding,
                                           GParamSpec * pspec,
                                           const GValue * value);
void gst_gnutls_dtls_binding_get_property (GstGnutlsDtlsBinding * binding,
                                           GParamSpec * pspec,
                                           GValue * value);

void gst_gnutls_dtls_binding_post_error (GstGnutlsDtlsBinding * binding,
                                         const GError * error);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_BINDING_H__ */
