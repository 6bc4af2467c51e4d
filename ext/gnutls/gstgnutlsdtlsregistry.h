/* GStreamer GnuTLS DTLS-SRTP suite: the process-wide registry that maps a
 * connection-id to its connection. gst_gnutls_dtls_connection_get() is
 * declared in gstgnutlsdtlsconnection.h.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_REGISTRY_H__
#define __GST_GNUTLS_DTLS_REGISTRY_H__

#include <glib.h>

G_BEGIN_DECLS

G_GNUC_INTERNAL
void gst_gnutls_dtls_registry_remove (const gchar * connection_id);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_REGISTRY_H__ */
