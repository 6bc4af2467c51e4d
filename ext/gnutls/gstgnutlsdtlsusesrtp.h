/* GStreamer GnuTLS DTLS-SRTP suite: the use_srtp extension with GnuTLS.
 * Which profiles we offer (srtp-profiles), which one a server picks, and
 * the SRTP keys the handshake exports.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_USE_SRTP_H__
#define __GST_GNUTLS_DTLS_USE_SRTP_H__

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gnutls/gnutls.h>

#include "gstgnutlssrtpprofile.h"

G_BEGIN_DECLS

/* A GnuTLS session keeps at most four use_srtp profiles */
#define GST_GNUTLS_DTLS_MAX_SRTP_PROFILES 4

/* What srtp-profiles offers by default: the AEAD profiles first where
 * GnuTLS (3.8.0 and newer) and libsrtp2 can both use them. */
#if HAVE_SRTP_AEAD_OVER_DTLS
#define GST_GNUTLS_DTLS_DEFAULT_SRTP_PROFILES \
    "SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM:" \
    "SRTP_AES128_CM_HMAC_SHA1_80:SRTP_AES128_CM_HMAC_SHA1_32"
#else
#define GST_GNUTLS_DTLS_DEFAULT_SRTP_PROFILES \
    "SRTP_AES128_CM_HMAC_SHA1_80:SRTP_AES128_CM_HMAC_SHA1_32"
#endif

/* The profiles of srtp-profiles, most preferred first */
typedef struct
{
  guint n_profiles;
  const GstGnutlsSrtpProfile *profiles[GST_GNUTLS_DTLS_MAX_SRTP_PROFILES];
} GstGnutlsDtlsSrtpOffer;

/* Parses @profiles (names separated by ':'; NULL or "" offers none, for a
 * data-only connection). FALSE, with @error saying what to change, for an
 * unknown name, a profile this build cannot negotiate, or too many. */
G_GNUC_INTERNAL gboolean gst_gnutls_dtls_srtp_offer_parse (const gchar *
    profiles, GstGnutlsDtlsSrtpOffer * offer, GError ** error);

/* Whether this build negotiates @profile over DTLS */
G_GNUC_INTERNAL gboolean gst_gnutls_dtls_srtp_profile_available (const
    GstGnutlsSrtpProfile * profile);

/* A client offers the whole @offer, in its order */
G_GNUC_INTERNAL int gst_gnutls_dtls_srtp_offer_set (gnutls_session_t session,
    const GstGnutlsDtlsSrtpOffer * offer);

/* The first profile of @offer that the use_srtp extension data @ext (its
 * profile list and MKI) also lists, or NULL. Our order decides, not the
 * peer's. */
G_GNUC_INTERNAL const GstGnutlsSrtpProfile *gst_gnutls_dtls_srtp_offer_best
    (const GstGnutlsDtlsSrtpOffer * offer, const guint8 * ext, gsize size);

/* For a server, from a pre-ClientHello hook (GnuTLS has not read the
 * message yet): gives @session only the best profile of @offer that
 * @client_hello (the handshake message body) lists, since a GnuTLS server
 * takes the first of the *client's* list that it knows. With no profile in
 * common, or no use_srtp in the ClientHello, the whole offer. */
G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_offer_choose (gnutls_session_t
    session, const GstGnutlsDtlsSrtpOffer * offer,
    const gnutls_datum_t * client_hello);

/* After the handshake: the negotiated profile and, per direction, the one
 * typed value that keys the SRTP elements (see
 * gst_gnutls_srtp_profile_make_caps()): @local for what we send, @remote
 * for what the peer sends. FALSE, with @error, when no profile was
 * negotiated or the keys cannot be exported. */
G_GNUC_INTERNAL gboolean gst_gnutls_dtls_srtp_export (gnutls_session_t session,
    gboolean is_client, const GstGnutlsSrtpProfile ** profile,
    GstCaps ** local, GstCaps ** remote, GError ** error);

G_END_DECLS

#endif
