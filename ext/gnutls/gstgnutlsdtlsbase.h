/* GStreamer GnuTLS DTLS-SRTP suite: what gnutlsdtlsenc and gnutlsdtlsdec
 * share (the link to their connection and its settings).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_BASE_H__
#define __GST_GNUTLS_DTLS_BASE_H__

#include <gst/gst.h>

#include "gstgnutlsdtlsconnection.h"

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_DTLS_BASE (gst_gnutls_dtls_base_get_type ())
G_DECLARE_DERIVABLE_TYPE (GstGnutlsDtlsBase, gst_gnutls_dtls_base, GST,
    GNUTLS_DTLS_BASE, GstElement);

/**
 * GstGnutlsDtlsBaseClass:
 * @role: which end of the connection the subclass is; set in class_init
 *   before calling gst_gnutls_dtls_base_class_install_properties()
 * @records: DTLS records (or an event queued behind them) to push
 *   downstream; encoder only, from whichever thread delivers them
 *
 * The base class owns `connection-id`, the connection properties it
 * forwards, the `encoder-key`/`decoder-key` property and the
 * `on-key-received` signal; subclasses keep their pads and data paths.
 */
struct _GstGnutlsDtlsBaseClass
{
  GstElementClass parent_class;

  GstGnutlsDtlsConnectionRole role;

  /* pushes records for the peer, returns what downstream answered */
  GstFlowReturn (*records) (GstGnutlsDtlsBase * self,
      const GstGnutlsDtlsConnectionEvent * event);
};

/* Installs connection-id, the key property of @klass's role and the
 * forwarded connection properties. */
G_GNUC_INTERNAL void gst_gnutls_dtls_base_class_install_properties (
    GstGnutlsDtlsBaseClass * klass);

/* The connection, or NULL while the element has none (no connection-id,
 * or one that another element of the same role holds). */
G_GNUC_INTERNAL GstGnutlsDtlsConnection *gst_gnutls_dtls_base_get_connection (
    GstGnutlsDtlsBase * self);

/* Installs on @klass, with ids from @first_prop_id, the connection
 * properties an element of @role forwards; @bin leaves out those the
 * DTLS-SRTP bins do not forward (they have srtp-cipher and srtp-auth of
 * their own). The one list of forwarded properties. */
G_GNUC_INTERNAL void gst_gnutls_dtls_base_install_forwarded (
    GObjectClass * klass, guint first_prop_id,
    GstGnutlsDtlsConnectionRole role, gboolean bin);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_BASE_H__ */
