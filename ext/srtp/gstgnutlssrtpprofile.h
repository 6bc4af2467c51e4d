/* GStreamer GnuTLS DTLS-SRTP suite: the SRTP protection profiles, the one
 * table that says how each profile a DTLS handshake can negotiate keys the
 * SRTP elements. Compiled into both plugins (it needs neither GnuTLS nor
 * libsrtp2).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_SRTP_PROFILE_H__
#define __GST_GNUTLS_SRTP_PROFILE_H__

#include <gst/gst.h>

#include "gstgnutlssrtpenums.h"

G_BEGIN_DECLS

/* GnuTLS versions as GNUTLS_VERSION_NUMBER spells them */
#define GST_GNUTLS_SRTP_GNUTLS_3_0 0x030000
#define GST_GNUTLS_SRTP_GNUTLS_3_8 0x030800

/**
 * GstGnutlsSrtpProfile:
 * @id: the SRTPProtectionProfile value of the `use_srtp` extension (IANA)
 * @name: the name RFC 5764 or RFC 7714 gives it, as `srtp-profiles` takes it
 * @alias: another spelling `srtp-profiles` accepts (GnuTLS's), or %NULL
 * @suite: the crypto-suite name of the same protection (RFC 4568, RFC 7714;
 *   libsrtp2 and SDP use these)
 * @key_len: master key bytes, per direction
 * @salt_len: master salt bytes, per direction
 * @srtp_cipher: srtpenc's `rtp-cipher` for it
 * @srtp_auth: srtpenc's `rtp-auth`
 * @srtcp_cipher: srtpenc's `rtcp-cipher`
 * @srtcp_auth: srtpenc's `rtcp-auth`
 * @gnutls_version: the first GnuTLS version that negotiates it
 */
typedef struct
{
  guint16 id;
  const gchar *name;
  const gchar *alias;
  const gchar *suite;
  guint key_len;
  guint salt_len;
  GstGnutlsSrtpCipherType srtp_cipher;
  GstGnutlsSrtpAuthType srtp_auth;
  GstGnutlsSrtpCipherType srtcp_cipher;
  GstGnutlsSrtpAuthType srtcp_auth;
  guint gnutls_version;
} GstGnutlsSrtpProfile;

/* All the profiles, in the order of their ids; @n_profiles their number */
G_GNUC_INTERNAL const GstGnutlsSrtpProfile *gst_gnutls_srtp_profiles (guint *
    n_profiles);
G_GNUC_INTERNAL const GstGnutlsSrtpProfile *gst_gnutls_srtp_profile_from_id
    (guint id);
/* By name or alias, the first @len bytes of @name (-1: all of it) */
G_GNUC_INTERNAL const GstGnutlsSrtpProfile *gst_gnutls_srtp_profile_from_name
    (const gchar * name, gssize len);

/* The nicks of the SRTP elements' cipher and auth enums */
G_GNUC_INTERNAL const gchar *gst_gnutls_srtp_cipher_nick (GstGnutlsSrtpCipherType
    cipher);
G_GNUC_INTERNAL const gchar *gst_gnutls_srtp_auth_nick (GstGnutlsSrtpAuthType
    auth);

/* The SRTP parameters of one direction as one value: `application/x-srtp`
 * caps with srtp-key (@key: master key then salt), srtp-cipher, srtp-auth,
 * srtcp-cipher, srtcp-auth and srtp-profile (the profile's name), as
 * srtpdec's request-key returns them and srtpenc's srtp-params takes them. */
G_GNUC_INTERNAL GstCaps *gst_gnutls_srtp_profile_make_caps (const
    GstGnutlsSrtpProfile * profile, GstBuffer * key);

G_END_DECLS

#endif
