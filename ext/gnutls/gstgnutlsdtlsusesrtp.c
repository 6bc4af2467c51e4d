/* GStreamer GnuTLS DTLS-SRTP suite: the use_srtp extension with GnuTLS.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlsusesrtp.h"

#include <string.h>

/* logged as part of the connection */
GST_DEBUG_CATEGORY_EXTERN (gst_gnutls_dtls_connection_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_connection_debug

/* the use_srtp extension's type (RFC 5764 9) */
#define EXTENSION_USE_SRTP 14

static gboolean
profile_is_aead (const GstGnutlsSrtpProfile * profile)
{
  return profile->srtp_cipher == GST_GNUTLS_SRTP_CIPHER_AES_128_GCM ||
      profile->srtp_cipher == GST_GNUTLS_SRTP_CIPHER_AES_256_GCM;
}

gboolean
gst_gnutls_dtls_srtp_profile_available (const GstGnutlsSrtpProfile * profile)
{
  if (profile->gnutls_version > GNUTLS_VERSION_NUMBER)
    return FALSE;
  /* libsrtp2 has AES-GCM only with an OpenSSL or NSS crypto backend */
  return !profile_is_aead (profile) || HAVE_SRTP_GCM;
}

static gchar *
available_names (void)
{
  const GstGnutlsSrtpProfile *all;
  GString *s = g_string_new (NULL);
  guint i, n;

  all = gst_gnutls_srtp_profiles (&n);
  for (i = 0; i < n; i++) {
    if (!gst_gnutls_dtls_srtp_profile_available (&all[i]))
      continue;
    if (s->len)
      g_string_append (s, ", ");
    g_string_append (s, all[i].name);
  }
  return g_string_free (s, FALSE);
}

static void
set_unavailable_error (const GstGnutlsSrtpProfile * profile, GError ** error)
{
  if (profile->gnutls_version > GNUTLS_VERSION_NUMBER) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "srtp-profiles: %s needs GnuTLS %u.%u.%u or newer to be negotiated "
        "over DTLS, and this build uses GnuTLS %s; leave it out (the "
        "default offers what this build can negotiate)", profile->name,
        profile->gnutls_version >> 16, (profile->gnutls_version >> 8) & 0xff,
        profile->gnutls_version & 0xff, GNUTLS_VERSION);
  } else {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "srtp-profiles: %s needs libsrtp2 with AES-GCM (built with an "
        "OpenSSL or NSS crypto backend), which this build does not have; "
        "leave it out", profile->name);
  }
}

gboolean
gst_gnutls_dtls_srtp_offer_parse (const gchar * profiles,
    GstGnutlsDtlsSrtpOffer * offer, GError ** error)
{
  const gchar *pos = profiles;

  memset (offer, 0, sizeof (*offer));
  if (profiles == NULL || *profiles == '\0')
    return TRUE;

  for (;;) {
    const gchar *end = strchr (pos, ':');
    gsize len = end ? (gsize) (end - pos) : strlen (pos);
    const GstGnutlsSrtpProfile *profile;
    guint i;

    profile = gst_gnutls_srtp_profile_from_name (pos, len);
    if (profile == NULL) {
      gchar *names = available_names ();

      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "srtp-profiles: unknown profile \"%.*s\" in \"%s\"; this build "
          "negotiates %s (names separated by ':', most preferred first)",
          (int) len, pos, profiles, names);
      g_free (names);
      return FALSE;
    }
    if (!gst_gnutls_dtls_srtp_profile_available (profile)) {
      set_unavailable_error (profile, error);
      return FALSE;
    }
    for (i = 0; i < offer->n_profiles; i++) {
      if (offer->profiles[i] == profile) {
        g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
            "srtp-profiles: \"%s\" lists %s twice", profiles, profile->name);
        return FALSE;
      }
    }
    if (offer->n_profiles == GST_GNUTLS_DTLS_MAX_SRTP_PROFILES) {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "srtp-profiles: \"%s\" lists more than %u profiles, the most "
          "GnuTLS offers", profiles, GST_GNUTLS_DTLS_MAX_SRTP_PROFILES);
      return FALSE;
    }
    offer->profiles[offer->n_profiles++] = profile;
    if (end == NULL)
      return TRUE;
    pos = end + 1;
  }
}

int
gst_gnutls_dtls_srtp_offer_set (gnutls_session_t session,
    const GstGnutlsDtlsSrtpOffer * offer)
{
  guint i;

  for (i = 0; i < offer->n_profiles; i++) {
    int ret = gnutls_srtp_set_profile (session, offer->profiles[i]->id);

    if (ret < 0)
      return ret;
  }
  return 0;
}

/* UseSRTPData: SRTPProtectionProfiles (a 16-bit length, then 16-bit
 * profile ids), srtp_mki (an 8-bit length, then the MKI) */
const GstGnutlsSrtpProfile *
gst_gnutls_dtls_srtp_offer_best (const GstGnutlsDtlsSrtpOffer * offer,
    const guint8 * ext, gsize size)
{
  gsize list_len, i, j;

  if (size < 2)
    return NULL;
  list_len = GST_READ_UINT16_BE (ext);
  if (list_len % 2 != 0 || 2 + list_len > size)
    return NULL;

  for (i = 0; i < offer->n_profiles; i++)
    for (j = 0; j < list_len; j += 2)
      if (GST_READ_UINT16_BE (ext + 2 + j) == offer->profiles[i]->id)
        return offer->profiles[i];
  return NULL;
}

typedef struct
{
  const GstGnutlsDtlsSrtpOffer *offer;
  const GstGnutlsSrtpProfile *best;
  gboolean seen;
} Choice;

static int
find_use_srtp (void *ctx, unsigned tls_id, const unsigned char *data,
    unsigned size)
{
  Choice *choice = ctx;

  if (tls_id == EXTENSION_USE_SRTP && !choice->seen) {
    choice->seen = TRUE;
    choice->best = gst_gnutls_dtls_srtp_offer_best (choice->offer, data, size);
  }
  return 0;
}

void
gst_gnutls_dtls_srtp_offer_choose (gnutls_session_t session,
    const GstGnutlsDtlsSrtpOffer * offer, const gnutls_datum_t * client_hello)
{
  Choice choice = { offer, NULL, FALSE };
  int ret;

  ret = gnutls_ext_raw_parse (&choice, find_use_srtp, client_hello,
      GNUTLS_EXT_RAW_FLAG_DTLS_CLIENT_HELLO);
  if (ret >= 0 && choice.best) {
    GST_DEBUG ("use_srtp: %s, our first choice among the client's",
        choice.best->name);
    gnutls_srtp_set_profile (session, choice.best->id);
  } else {
    /* Nothing in common (or nothing readable): GnuTLS finds no match
     * either, and the handshake ends without SRTP keys, which the
     * connection reports. */
    GST_DEBUG ("use_srtp: no profile in common with the ClientHello");
    gst_gnutls_dtls_srtp_offer_set (session, offer);
  }
}

static GstBuffer *
key_then_salt (const gnutls_datum_t * key, const gnutls_datum_t * salt)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, key->size + salt->size,
      NULL);

  gst_buffer_fill (buf, 0, key->data, key->size);
  gst_buffer_fill (buf, key->size, salt->data, salt->size);
  return buf;
}

gboolean
gst_gnutls_dtls_srtp_export (gnutls_session_t session, gboolean is_client,
    const GstGnutlsSrtpProfile ** profile, GstCaps ** local,
    GstCaps ** remote, GError ** error)
{
  gnutls_srtp_profile_t id;
  const GstGnutlsSrtpProfile *p;
  gnutls_datum_t client_key, client_salt, server_key, server_salt;
  guint8 material[2 * (32 + 14)];
  GstBuffer *client, *server;
  int ret;

  ret = gnutls_srtp_get_selected_profile (session, &id);
  if (ret < 0) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED,
        "No SRTP profile in common with the peer");
    return FALSE;
  }
  p = gst_gnutls_srtp_profile_from_id (id);
  if (p == NULL) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED,
        "The handshake selected the unknown SRTP profile 0x%04x", id);
    return FALSE;
  }
  /* RFC 5764 4.2: client key, server key, client salt, server salt */
  ret = gnutls_srtp_get_keys (session, material, sizeof (material),
      &client_key, &client_salt, &server_key, &server_salt);
  if (ret < 0 || client_key.size != p->key_len ||
      client_salt.size != p->salt_len) {
    gnutls_memset (material, 0, sizeof (material));
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED,
        "Could not export the %s keys: %s", p->name,
        ret < 0 ? gnutls_strerror (ret) : "unexpected key length");
    return FALSE;
  }
  client = key_then_salt (&client_key, &client_salt);
  server = key_then_salt (&server_key, &server_salt);
  gnutls_memset (material, 0, sizeof (material));

  *profile = p;
  *local = gst_gnutls_srtp_profile_make_caps (p, is_client ? client : server);
  *remote = gst_gnutls_srtp_profile_make_caps (p, is_client ? server : client);
  gst_buffer_unref (client);
  gst_buffer_unref (server);
  return TRUE;
}
