/* GStreamer GnuTLS DTLS-SRTP suite: the threads the connections share: a
 * worker pool, and the retransmission timers on the system clock.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_POOL_H__
#define __GST_GNUTLS_DTLS_POOL_H__

#include "gstgnutlsdtlsconnection.h"

G_BEGIN_DECLS

G_GNUC_INTERNAL
void gst_gnutls_dtls_pool_init (void);
G_GNUC_INTERNAL
void gst_gnutls_dtls_pool_dispatch (GstGnutlsDtlsConnection * self);

/* With the connection lock held. The timer fires
 * gst_gnutls_dtls_connection_timer_expired_locked() on a pool worker. */
typedef struct _GstGnutlsDtlsPushWatch GstGnutlsDtlsPushWatch;

/* Around a push that may block: on a pool worker, a push still running
 * after a while gets the pool one more thread until it returns. NULL (and
 * nothing to do) on other threads. */
G_GNUC_INTERNAL
GstGnutlsDtlsPushWatch *gst_gnutls_dtls_pool_push_begin (void);
G_GNUC_INTERNAL
void gst_gnutls_dtls_pool_push_end (GstGnutlsDtlsPushWatch * watch);

G_GNUC_INTERNAL
void gst_gnutls_dtls_timer_schedule_locked (GstGnutlsDtlsConnection * self);
G_GNUC_INTERNAL
void gst_gnutls_dtls_timer_cancel_locked (GstGnutlsDtlsConnection * self);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_POOL_H__ */
