/* GStreamer GnuTLS DTLS-SRTP suite: what the DTLS-SRTP encoder and decoder
 * bins share (manual keying, forwarding properties to the DTLS element).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_SRTP_BIN_H__
#define __GST_GNUTLS_DTLS_SRTP_BIN_H__

#include <gst/gst.h>

#include "gstgnutlsdtlsconnection.h"

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_DTLS_SRTP_BIN (gst_gnutls_dtls_srtp_bin_get_type ())
G_DECLARE_DERIVABLE_TYPE (GstGnutlsDtlsSrtpBin, gst_gnutls_dtls_srtp_bin,
    GST, GNUTLS_DTLS_SRTP_BIN, GstBin);

struct _GstGnutlsDtlsSrtpBinClass
{
  GstBinClass parent_class;

  /* Manual keying was configured: take the DTLS element out. */
  void (*remove_dtls_element) (GstGnutlsDtlsSrtpBin * self);
  /* Optional: the subclass's own counters for the stats property */
  void (*add_stats) (GstGnutlsDtlsSrtpBin * self, GstStructure * stats);
};

/* Manual SRTP settings (the reference's key, srtp-cipher, ... properties,
 * strings as there). Returned by gst_gnutls_dtls_srtp_bin_get_manual. */
typedef struct
{
  GstBuffer *key;
  gchar *srtp_cipher, *srtp_auth, *srtcp_cipher, *srtcp_auth;
} GstGnutlsDtlsSrtpManualKey;

/* Creates an element of @factory and adds it to the bin; NULL (and the
 * bin fails to start, naming what is missing) if it does not exist. */
G_GNUC_INTERNAL GstElement *gst_gnutls_dtls_srtp_bin_add_child (
    GstGnutlsDtlsSrtpBin * self, const gchar * factory);

/* The DTLS element (dtlsenc or dtlsdec) the subclass created; NULL once it
 * was removed for manual keying. */
G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_bin_set_dtls_element (
    GstGnutlsDtlsSrtpBin * self, GstElement * dtls);
G_GNUC_INTERNAL GstElement *gst_gnutls_dtls_srtp_bin_get_dtls_element (
    GstGnutlsDtlsSrtpBin * self);

/* The bin @child is in (a reference), or NULL once it left the bin. Signal
 * handlers find their bin this way rather than through user data: the
 * connection may deliver an event on its own thread while the bin is
 * being disposed. */
G_GNUC_INTERNAL gpointer gst_gnutls_dtls_srtp_bin_from_child (gpointer child);

/* A copy of the manual settings, or FALSE if no key was set. */
G_GNUC_INTERNAL gboolean gst_gnutls_dtls_srtp_bin_get_manual (
    GstGnutlsDtlsSrtpBin * self, GstGnutlsDtlsSrtpManualKey * manual);
G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_manual_key_clear (
    GstGnutlsDtlsSrtpManualKey * manual);

/* The subclass installs the connection properties it forwards with
 * gst_gnutls_dtls_base_install_forwarded() and forwards them with the two
 * functions below. Notifications of the DTLS element (connection-state...)
 * are re-emitted on the bin. */
G_GNUC_INTERNAL gboolean gst_gnutls_dtls_srtp_bin_forward_set (
    GstGnutlsDtlsSrtpBin * self, GParamSpec * pspec, const GValue * value);
G_GNUC_INTERNAL gboolean gst_gnutls_dtls_srtp_bin_forward_get (
    GstGnutlsDtlsSrtpBin * self, GParamSpec * pspec, GValue * value);

/* Everything that keys the SRTP element of @role (the encoder's: what we
 * send; the decoder's: what the peer sends) as one value, application/x-srtp
 * caps as srtpenc's srtp-params and srtpdec's request-key take them: the
 * manual settings if a key was set, else what the DTLS handshake
 * negotiated; NULL before it completed. */
G_GNUC_INTERNAL GstCaps *gst_gnutls_dtls_srtp_bin_get_key_caps (
    GstGnutlsDtlsSrtpBin * self, GstGnutlsDtlsConnectionRole role);

/* The SRTP element whose stats the bin's stats show */
G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_bin_set_srtp_element (
    GstGnutlsDtlsSrtpBin * self, GstElement * srtp);

G_END_DECLS

#endif
