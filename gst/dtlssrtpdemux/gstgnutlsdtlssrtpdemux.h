/* GStreamer GnuTLS DTLS-SRTP suite: RFC 7983 demultiplexer.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_SRTP_DEMUX_H__
#define __GST_GNUTLS_DTLS_SRTP_DEMUX_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_DTLS_SRTP_DEMUX (gst_gnutls_dtls_srtp_demux_get_type ())
G_DECLARE_FINAL_TYPE (GstGnutlsDtlsSrtpDemux, gst_gnutls_dtls_srtp_demux,
    GST, GNUTLS_DTLS_SRTP_DEMUX, GstElement);

GST_ELEMENT_REGISTER_DECLARE (gnutlsdtlssrtpdemux);

G_END_DECLS

#endif
