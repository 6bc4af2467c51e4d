/* GStreamer GnuTLS DTLS-SRTP suite: the decoder bin's input, split into
 * DTLS and SRTP without a demux element.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_SRTP_SPLIT_H__
#define __GST_GNUTLS_DTLS_SRTP_SPLIT_H__

#include <gst/gst.h>

#include "gstgnutlssrtpdirect.h"

G_BEGIN_DECLS

/*
 * The sink pad of a bin (a pad of the bin itself, not a ghost pad) that
 * sends each datagram, by its first byte (RFC 7983), to the SRTP decoder
 * or to the DTLS decoder inside the bin, through two outputs: pads owned by
 * the sink pad (as a ghost pad owns its internal pad), linked to the
 * children's sink pads.
 * Other datagrams (STUN, ZRTP, TURN channel data, unknown) are dropped and
 * counted. A packet crosses two pads on its way to the SRTP decoder
 * instead of the three of a ghost pad in front of a demux element, which
 * stays for applications that want one (gnutlsdtlssrtpdemux).
 *
 * Caps: the SRTP side gets upstream's SRTP caps (which may carry keys) or
 * plain application/x-srtp, the DTLS side application/x-dtls. Other events
 * go to both, upstream events and queries from either child upstream, and
 * queries from upstream to the SRTP decoder.
 */
typedef struct _GstGnutlsDtlsSrtpSplit GstGnutlsDtlsSrtpSplit;

G_GNUC_INTERNAL GstGnutlsDtlsSrtpSplit *gst_gnutls_dtls_srtp_split_new (
    GstElement * bin, GstPadTemplate * sink_template);
G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_split_free (
    GstGnutlsDtlsSrtpSplit * split);

/* The sink pad, for the bin to add (not a reference) */
G_GNUC_INTERNAL GstPad *gst_gnutls_dtls_srtp_split_get_sink (
    GstGnutlsDtlsSrtpSplit * split);

/* Links the outputs to the children's sink pads. With @direct (the SRTP
 * decoder's table, with its demux entries, or NULL), every datagram goes
 * to the decoder's demux entries straight, not through the pads, and only
 * what the decoder hands back is classified here: events and queries
 * still take the pads. */
G_GNUC_INTERNAL gboolean gst_gnutls_dtls_srtp_split_link (
    GstGnutlsDtlsSrtpSplit * split, GstPad * srtp_sink,
    const GstGnutlsSrtpDirect * direct, GstPad * dtls_sink);
/* No DTLS decoder any more (manual keying): DTLS records are dropped */
G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_split_unlink_dtls (
    GstGnutlsDtlsSrtpSplit * split);

/* Outputs active (READY to PAUSED) or not (PAUSED to READY) */
G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_split_set_active (
    GstGnutlsDtlsSrtpSplit * split, gboolean active);

/* Datagrams that were neither DTLS nor SRTP, dropped */
G_GNUC_INTERNAL guint64 gst_gnutls_dtls_srtp_split_get_dropped (
    GstGnutlsDtlsSrtpSplit * split);

G_END_DECLS

#endif
