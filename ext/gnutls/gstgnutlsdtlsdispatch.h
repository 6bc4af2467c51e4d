/* GStreamer GnuTLS DTLS-SRTP suite: the connection's event queue and its
 * dispatcher, which hands records, state changes, keys and errors to the
 * encoder and decoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_DISPATCH_H__
#define __GST_GNUTLS_DTLS_DISPATCH_H__

#include "gstgnutlsdtlsconnection.h"

G_BEGIN_DECLS

G_GNUC_INTERNAL
void gst_gnutls_dtls_dispatch_event_free (GstGnutlsDtlsConnectionEvent * ev);

/* Queues an event for the elements; with the connection lock held */
G_GNUC_INTERNAL
void gst_gnutls_dtls_dispatch_queue_locked (GstGnutlsDtlsConnection * self,
    GstGnutlsDtlsConnectionEventType type, GError * error);

/* Delivers what is queued, records first; without the connection lock */
G_GNUC_INTERNAL
void gst_gnutls_dtls_dispatch (GstGnutlsDtlsConnection * self);
/* The same, called with the connection lock held, which it releases. With
 * @encoder, the encoder sending application data from its streaming thread:
 * waits for the records lane and returns what downstream answered. */
G_GNUC_INTERNAL
GstFlowReturn gst_gnutls_dtls_dispatch_unlock (GstGnutlsDtlsConnection * self,
    GstElement * encoder);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_DISPATCH_H__ */
