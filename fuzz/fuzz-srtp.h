/* SRTP parameters shared by the SRTP decoder fuzz target and the seed
 * writer: the seeds are protected with exactly these keys, so the fuzzer
 * starts from packets that authenticate.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __FUZZ_SRTP_H__
#define __FUZZ_SRTP_H__

#include "fuzz-common.h"

typedef struct
{
  const gchar *cipher, *auth;
  guint key_len;                /* master key + salt */
} FuzzSrtpProfile;

/* Indexed by the low 3 bits of the configuration byte. */
static const FuzzSrtpProfile fuzz_srtp_profiles[8] = {
  {"aes-128-icm", "hmac-sha1-80", 30},
  {"aes-128-icm", "hmac-sha1-32", 30},
  {"aes-256-icm", "hmac-sha1-80", 46},
  {"aes-128-gcm", "null", 28},
  {"aes-256-gcm", "null", 44},
  {"null", "hmac-sha1-80", 30},
  {"null", "null", 0},
  {"aes-128-icm", "null", 30},
};

/* Configuration byte, after the profile bits */
#define FUZZ_SRTP_NO_SSRC      0x08     /* key for any SSRC (caps without ssrc) */
#define FUZZ_SRTP_ROC          0x10     /* roc field */
#define FUZZ_SRTP_MKI          0x20     /* keys with MKIs */
#define FUZZ_SRTP_ANSWER_KEY   0x40     /* answer request-key with the key */
#define FUZZ_SRTCP_AUTH_80     0x80     /* srtcp-auth hmac-sha1-80 (RFC 5764) */

/* Key number @n (0 for srtp-key, 1 for srtp-key2...) of @len bytes. */
static inline GstBuffer *
fuzz_srtp_key (guint n, guint len)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, len, NULL);
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < len; i++)
    map.data[i] = (guint8) (0x3c + 11 * n + 7 * i);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* MKI number @n of @len bytes */
static inline GstBuffer *
fuzz_srtp_mki (guint n, guint len)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, len, NULL);

  gst_buffer_memset (buf, 0, (guint8) (0xa0 + n), len);
  return buf;
}

/* The decoder's sink caps for configuration @config, rtp or rtcp, with
 * @n_keys keys (MKIs of @mki_len bytes when FUZZ_SRTP_MKI) and @key_delta
 * added to the right key length (to reach the validation errors). */
static inline GstCaps *
fuzz_srtp_caps (guint8 config, gboolean rtcp, guint32 ssrc, guint32 roc,
    guint n_keys, guint mki_len, gint key_delta)
{
  const FuzzSrtpProfile *p = &fuzz_srtp_profiles[config & 7];
  GstCaps *caps;
  GstStructure *s;
  guint i;
  gint len = (gint) p->key_len + key_delta;

  caps = gst_caps_new_simple (rtcp ? "application/x-srtcp" :
      "application/x-srtp",
      "srtp-cipher", G_TYPE_STRING, p->cipher,
      "srtp-auth", G_TYPE_STRING, p->auth,
      "srtcp-cipher", G_TYPE_STRING, p->cipher,
      "srtcp-auth", G_TYPE_STRING, (config & FUZZ_SRTCP_AUTH_80) ?
      "hmac-sha1-80" : p->auth, NULL);
  s = gst_caps_get_structure (caps, 0);
  if (!rtcp)
    gst_structure_set (s, "payload", G_TYPE_INT, 96, "clock-rate",
        G_TYPE_INT, 8000, "encoding-name", G_TYPE_STRING, "L16", NULL);
  if (!(config & FUZZ_SRTP_NO_SSRC))
    gst_structure_set (s, "ssrc", G_TYPE_UINT, ssrc, NULL);
  if (config & FUZZ_SRTP_ROC)
    gst_structure_set (s, "roc", G_TYPE_UINT, roc, NULL);
  if (len < 0)
    len = 0;
  for (i = 0; i < n_keys; i++) {
    gchar kname[16], mname[16];
    GstBuffer *key = fuzz_srtp_key (i, len);

    if (i == 0) {
      g_strlcpy (kname, "srtp-key", sizeof (kname));
      g_strlcpy (mname, "mki", sizeof (mname));
    } else {
      g_snprintf (kname, sizeof (kname), "srtp-key%u", i + 1);
      g_snprintf (mname, sizeof (mname), "mki%u", i + 1);
    }
    gst_structure_set (s, kname, GST_TYPE_BUFFER, key, NULL);
    gst_buffer_unref (key);
    if (config & FUZZ_SRTP_MKI) {
      GstBuffer *mki = fuzz_srtp_mki (i, mki_len);

      gst_structure_set (s, mname, GST_TYPE_BUFFER, mki, NULL);
      gst_buffer_unref (mki);
    }
  }
  return caps;
}

/* Caps built field by field from fuzz bytes, to reach the decoder's
 * parsing of its caps with any mix of names, types and values (GStreamer's
 * own caps string parser is not what is fuzzed here). Each field is a
 * byte, name index in the low 5 bits and value type in the high 3, then
 * its value. */
static const gchar *const fuzz_srtp_field_names[] = {
  "ssrc", "roc", "srtp-key", "srtp-cipher", "srtp-auth", "srtcp-cipher",
  "srtcp-auth", "mki", "srtp-key2", "mki2", "srtp-key3", "mki3",
  "srtp-key16", "mki16", "srtp-key17", "payload"
};

static const gchar *const fuzz_srtp_nicks[] = {
  "null", "aes-128-icm", "aes-256-icm", "aes-128-gcm", "aes-256-gcm",
  "hmac-sha1-32", "hmac-sha1-80", "", "AES_128_ICM", "aes-128-f8"
};

enum
{
  FUZZ_FIELD_NICK,              /* u8: index in fuzz_srtp_nicks */
  FUZZ_FIELD_UINT,              /* u32 */
  FUZZ_FIELD_INT,               /* u32, as a gint */
  FUZZ_FIELD_BYTES,             /* u8 length, bytes */
  FUZZ_FIELD_BOOLEAN,           /* u8 */
  FUZZ_FIELD_STRING,            /* u8 length, bytes (made UTF-8) */
  FUZZ_FIELD_KEY,               /* u8 key number, u8 length: fuzz_srtp_key */
  FUZZ_FIELD_REMOVE             /* no value: removes the field */
};

static inline GstCaps *
fuzz_srtp_caps_from_bytes (gboolean rtcp, const guint8 * data, gsize len)
{
  GstStructure *s = gst_structure_new_empty (rtcp ? "application/x-srtcp" :
      "application/x-srtp");
  FuzzReader r = { data, len };

  while (r.size > 0) {
    guint8 f = fuzz_u8 (&r);
    const gchar *name = fuzz_srtp_field_names[(f & 0x1f) %
        G_N_ELEMENTS (fuzz_srtp_field_names)];
    guint n;

    switch (f >> 5) {
      case FUZZ_FIELD_NICK:
        n = fuzz_u8 (&r) % G_N_ELEMENTS (fuzz_srtp_nicks);
        gst_structure_set (s, name, G_TYPE_STRING, fuzz_srtp_nicks[n], NULL);
        break;
      case FUZZ_FIELD_UINT:
        gst_structure_set (s, name, G_TYPE_UINT, fuzz_u32 (&r), NULL);
        break;
      case FUZZ_FIELD_INT:
        gst_structure_set (s, name, G_TYPE_INT, (gint) fuzz_u32 (&r), NULL);
        break;
      case FUZZ_FIELD_BYTES:{
        GstBuffer *buf;

        n = fuzz_u8 (&r);
        n = MIN (n, r.size);
        buf = fuzz_buffer_new (r.data, n);
        r.data += n;
        r.size -= n;
        gst_structure_set (s, name, GST_TYPE_BUFFER, buf, NULL);
        gst_buffer_unref (buf);
        break;
      }
      case FUZZ_FIELD_BOOLEAN:
        gst_structure_set (s, name, G_TYPE_BOOLEAN, fuzz_u8 (&r) & 1, NULL);
        break;
      case FUZZ_FIELD_STRING:{
        gchar *str;

        n = fuzz_u8 (&r);
        n = MIN (n, r.size);
        str = g_utf8_make_valid ((const gchar *) r.data, n);
        r.data += n;
        r.size -= n;
        gst_structure_set (s, name, G_TYPE_STRING, str, NULL);
        g_free (str);
        break;
      }
      case FUZZ_FIELD_KEY:{
        GstBuffer *key;

        n = fuzz_u8 (&r);
        key = fuzz_srtp_key (n, fuzz_u8 (&r) % 64);
        gst_structure_set (s, name, GST_TYPE_BUFFER, key, NULL);
        gst_buffer_unref (key);
        break;
      }
      case FUZZ_FIELD_REMOVE:
        gst_structure_remove_field (s, name);
        break;
    }
  }
  return gst_caps_new_full (s, NULL);
}

#endif
