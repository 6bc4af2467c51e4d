/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Helpers shared by the DTLS tests: one "side" is an encoder and a decoder
 * sharing a connection-id, each in its own GstHarness, so the test carries
 * the records between the sides itself and can look at, drop, reorder or
 * duplicate them. */

#ifndef __DTLS_TEST_H__
#define __DTLS_TEST_H__

#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#define ENC_NAME GST_GNUTLS_NAME_PREFIX "dtlsenc"
#define DEC_NAME GST_GNUTLS_NAME_PREFIX "dtlsdec"

/* With -Dstandard-names=true our elements are called dtlsenc / dtlsdec,
 * like the reference's, which the test environment also has on its plugin
 * path: take the reference out of the registry so the names mean ours. */
static inline void
dtls_test_use_our_names (void)
{
#if GST_GNUTLS_STANDARD_NAMES
  GstRegistry *registry = gst_registry_get ();
  GstPlugin *reference = gst_registry_find_plugin (registry, "dtls");
  GstPlugin *ours;

  if (reference) {
    gst_registry_remove_plugin (registry, reference);
    gst_object_unref (reference);
  }
  /* loading ours (again) registers its features under the freed names */
  ours = gst_plugin_load_by_name ("gnutlsdtls");
  if (!ours)
    g_error ("the gnutlsdtls plugin is not on GST_PLUGIN_PATH");
  gst_object_unref (ours);
#endif
}

typedef struct
{
  GstElement *enc_el, *dec_el;
  GstHarness *enc, *dec;        /* NULL until started */
  GstBus *bus;
  gchar *id;
} DtlsSide;

/* What the test does to each datagram on its way: return FALSE to drop it */
typedef gboolean (*DtlsFilter) (gboolean from_client, GstBuffer * buf,
    gpointer user_data);

static gint dtls_test_counter;

static inline void
dtls_side_create_full (DtlsSide * s, const gchar * enc_factory,
    const gchar * dec_factory, gboolean is_client, const gchar * first_prop,
    ...)
{
  va_list args;

  memset (s, 0, sizeof (*s));
  s->id = g_strdup_printf ("%s-%d-%s", is_client ? "client" : "server",
      g_atomic_int_add (&dtls_test_counter, 1), enc_factory);
  s->bus = gst_bus_new ();
  /* the reference needs its decoder created first; the side owns its
   * elements (a harness takes a reference of its own, and gives it back at
   * teardown) */
  s->dec_el = gst_element_factory_make (dec_factory, NULL);
  fail_unless (s->dec_el != NULL, "no %s element", dec_factory);
  gst_object_ref_sink (s->dec_el);
  g_object_set (s->dec_el, "connection-id", s->id, NULL);
  s->enc_el = gst_element_factory_make (enc_factory, NULL);
  fail_unless (s->enc_el != NULL, "no %s element", enc_factory);
  gst_object_ref_sink (s->enc_el);
  g_object_set (s->enc_el, "connection-id", s->id, "is-client", is_client,
      NULL);
  gst_element_set_bus (s->dec_el, s->bus);
  gst_element_set_bus (s->enc_el, s->bus);
  if (first_prop) {
    va_start (args, first_prop);
    g_object_set_valist (G_OBJECT (s->dec_el), first_prop, args);
    va_end (args);
  }
}

#define dtls_side_create(s, is_client, ...) \
    dtls_side_create_full (s, ENC_NAME, DEC_NAME, is_client, __VA_ARGS__)

static inline void
dtls_side_start_dec (DtlsSide * s)
{
  s->dec = gst_harness_new_with_element (s->dec_el, "sink", "src");
  gst_harness_set_src_caps_str (s->dec, "application/x-dtls");
}

static inline void
dtls_side_start_enc (DtlsSide * s)
{
  s->enc = gst_harness_new_with_element (s->enc_el, "sink", "src");
  gst_harness_set_src_caps_str (s->enc, "application/octet-stream");
}

static inline void
dtls_side_start (DtlsSide * s)
{
  dtls_side_start_dec (s);
  dtls_side_start_enc (s);
}

static inline void
dtls_side_free (DtlsSide * s)
{
  if (s->enc)
    gst_harness_teardown (s->enc);
  gst_object_unref (s->enc_el);
  if (s->dec)
    gst_harness_teardown (s->dec);
  gst_object_unref (s->dec_el);
  gst_bus_set_flushing (s->bus, TRUE);
  gst_object_unref (s->bus);
  g_free (s->id);
}

static inline gint
dtls_side_state (DtlsSide * s)
{
  gint enc_state, dec_state, tries = 0;

  /* both read the one connection's state, which may change between the
   * two reads: they must agree when read again */
  do {
    g_object_get (s->enc_el, "connection-state", &enc_state, NULL);
    g_object_get (s->dec_el, "connection-state", &dec_state, NULL);
  } while (enc_state != dec_state && ++tries < 100 && (g_usleep (1000), TRUE));
  fail_unless_equals_int (enc_state, dec_state);
  return enc_state;
}

/* Moves every record waiting on @from's encoder to @to's decoder. Returns
 * how many were moved or dropped. */
static inline guint
dtls_carry (DtlsSide * from, DtlsSide * to, gboolean from_client,
    DtlsFilter filter, gpointer user_data)
{
  GstBuffer *buf;
  guint n = 0;

  if (!from->enc || !to->dec)
    return 0;
  while ((buf = gst_harness_try_pull (from->enc))) {
    n++;
    if (filter && !filter (from_client, buf, user_data))
      gst_buffer_unref (buf);
    else
      gst_harness_push (to->dec, buf);
  }
  return n;
}

#define STATE_CONNECTED 4
#define STATE_FAILED 2
#define STATE_CLOSED 1

/* Runs the exchange until both sides are connected, one failed, or
 * @timeout_ms passed. */
static inline void
dtls_run (DtlsSide * client, DtlsSide * server, DtlsFilter filter,
    gpointer user_data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (g_get_monotonic_time () < end) {
    guint moved = dtls_carry (client, server, TRUE, filter, user_data);
    gint cs, ss;

    moved += dtls_carry (server, client, FALSE, filter, user_data);
    cs = dtls_side_state (client);
    ss = dtls_side_state (server);
    if (cs == STATE_FAILED || ss == STATE_FAILED)
      break;
    /* both past the handshake (connected, or already closed again) */
    if (!moved && (cs == STATE_CONNECTED || cs == STATE_CLOSED) &&
        (ss == STATE_CONNECTED || ss == STATE_CLOSED))
      break;
    if (!moved)
      g_usleep (1000);
  }
}

/* What the plugin offers first by default: the AEAD-GCM profile where
 * GnuTLS (3.8.0 and newer) and libsrtp2 can negotiate it */
#if HAVE_SRTP_AEAD_OVER_DTLS
#define DTLS_DEFAULT_PROFILE "SRTP_AEAD_AES_128_GCM"
#else
#define DTLS_DEFAULT_PROFILE "SRTP_AES128_CM_HMAC_SHA1_80"
#endif

/* Master key + salt bytes per direction of a use_srtp profile (RFC 5764
 * 4.1.2, as GnuTLS and libsrtp2 export the NULL ones; RFC 7714 12),
 * written out here rather than read from the plugin's table */
static inline guint
dtls_profile_key_len (const gchar * profile)
{
  fail_unless (profile != NULL, "no SRTP profile negotiated");
  if (g_str_equal (profile, "SRTP_AEAD_AES_128_GCM"))
    return 16 + 12;
  if (g_str_equal (profile, "SRTP_AEAD_AES_256_GCM"))
    return 32 + 12;
  fail_unless (g_str_has_prefix (profile, "SRTP_AES128_CM_HMAC_SHA1_") ||
      g_str_has_prefix (profile, "SRTP_NULL_HMAC_SHA1_"), "profile %s",
      profile);
  return 16 + 14;
}

/* srtp-profile of @el, or NULL for an element without it (the reference) */
static inline gchar *
dtls_get_profile (GstElement * el)
{
  gchar *profile = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (el), "srtp-profile"))
    g_object_get (el, "srtp-profile", &profile, NULL);
  return profile;
}

static inline GstBuffer *
dtls_get_key (GstElement * el, const gchar * prop)
{
  gpointer key = NULL;

  /* the reference declares decoder-key as GstCaps but stores a GstBuffer */
  g_object_get (el, prop, &key, NULL);
  fail_unless (key != NULL, "%s not set", prop);
  fail_unless (GST_IS_BUFFER (key));
  return key;
}

static inline void
dtls_assert_buffers_equal (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;

  fail_unless (gst_buffer_map (a, &ma, GST_MAP_READ));
  fail_unless (gst_buffer_map (b, &mb, GST_MAP_READ));
  fail_unless_equals_int (ma.size, mb.size);
  fail_unless (memcmp (ma.data, mb.data, ma.size) == 0);
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
}

/* Keys of @a's encoder equal those of @b's decoder, and the other way */
static inline void
dtls_assert_keys_match (DtlsSide * a, DtlsSide * b)
{
  GstBuffer *k1, *k2;
  gchar *pa = dtls_get_profile (a->enc_el), *pb = dtls_get_profile (b->enc_el);

  /* both sides agree on the profile, and the keys are as long as it says */
  if (pa && pb)
    fail_unless_equals_string (pa, pb);
  k1 = dtls_get_key (a->enc_el, "encoder-key");
  k2 = dtls_get_key (b->dec_el, "decoder-key");
  fail_unless_equals_int (gst_buffer_get_size (k1),
      dtls_profile_key_len (pa ? pa : pb));
  g_free (pa);
  g_free (pb);
  dtls_assert_buffers_equal (k1, k2);
  gst_buffer_unref (k1);
  gst_buffer_unref (k2);
  k1 = dtls_get_key (b->enc_el, "encoder-key");
  k2 = dtls_get_key (a->dec_el, "decoder-key");
  dtls_assert_buffers_equal (k1, k2);
  gst_buffer_unref (k1);
  gst_buffer_unref (k2);
  /* and the two directions differ */
  k1 = dtls_get_key (a->enc_el, "encoder-key");
  k2 = dtls_get_key (a->dec_el, "decoder-key");
  {
    GstMapInfo m1, m2;
    gst_buffer_map (k1, &m1, GST_MAP_READ);
    gst_buffer_map (k2, &m2, GST_MAP_READ);
    fail_if (memcmp (m1.data, m2.data, m1.size) == 0);
    gst_buffer_unmap (k1, &m1);
    gst_buffer_unmap (k2, &m2);
  }
  gst_buffer_unref (k1);
  gst_buffer_unref (k2);
}

/* Sends @text from @from's encoder and checks @to's decoder outputs it */
static inline void
dtls_check_app_data (DtlsSide * from, DtlsSide * to, gboolean from_client,
    const gchar * text)
{
  GstBuffer *in, *out = NULL;
  gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  in = gst_buffer_new_memdup (text, strlen (text));
  fail_unless_equals_int (gst_harness_push (from->enc, in), GST_FLOW_OK);
  while (!out && g_get_monotonic_time () < end) {
    dtls_carry (from, to, from_client, NULL, NULL);
    out = gst_harness_try_pull (to->dec);
    if (!out)
      g_usleep (1000);
  }
  fail_unless (out != NULL, "no application data received");
  fail_unless_equals_int (gst_buffer_get_size (out), strlen (text));
  fail_unless (gst_buffer_memcmp (out, 0, text, strlen (text)) == 0);
  gst_buffer_unref (out);
}

/* The text of the first error message on @bus, or NULL */
static inline gchar *
dtls_bus_pop_error (GstBus * bus)
{
  GstMessage *msg;
  gchar *text = NULL;

  /* posted by whichever thread delivers it, maybe a little later */
  msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  if (msg) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    text = g_strdup (err->message);
    g_clear_error (&err);
    gst_message_unref (msg);
  }
  return text;
}

/* The first error message on @s's bus, or NULL */
static inline gchar *
dtls_side_pop_error (DtlsSide * s)
{
  return dtls_bus_pop_error (s->bus);
}

#endif /* __DTLS_TEST_H__ */
