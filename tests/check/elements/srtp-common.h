/* Helpers shared by the SRTP tests: packet builders and encoder/decoder
 * harness plumbing. Only static functions, included by each test file.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __SRTP_COMMON_H__
#define __SRTP_COMMON_H__

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/rtp/rtp.h>
#include <string.h>

#define TEST_SSRC 0x11223344

/* The values of the rtp-cipher / rtp-auth enums (GstGnutlsSrtpCipherType,
 * GstGnutlsSrtpAuthType; the tests set them by number, as an application
 * linking only GStreamer would) */
enum
{
  CIPHER_NULL, CIPHER_AES_128_ICM, CIPHER_AES_256_ICM, CIPHER_AES_128_GCM,
  CIPHER_AES_256_GCM
};
enum
{
  AUTH_NULL, AUTH_HMAC_SHA1_32, AUTH_HMAC_SHA1_80
};
#define TRAILER_ROOM 148

static const gchar *cipher_names[] = {
  "null", "aes-128-icm", "aes-256-icm", "aes-128-gcm", "aes-256-gcm"
};

static const gchar *auth_names[] = { "null", "hmac-sha1-32", "hmac-sha1-80" };

/* Master key + salt length; the null cipher still needs a 30-byte key
 * when packets are authenticated. */
static guint
key_len_for (guint cipher, guint auth)
{
  static const guint lens[] = { 0, 30, 46, 28, 44 };
  return cipher == 0 && auth != 0 ? 30 : lens[cipher];
}

static GstBuffer *
make_key (guint len, guint8 seed)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, len, NULL);
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < len; i++)
    map.data[i] = (guint8) (seed + i * 7);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* An RTP packet whose payload is derived from seq, with room for the
 * trailer when @room is set (so the encoder can work in place). */
static GstBuffer *
make_rtp (guint32 ssrc, guint16 seq, guint payload_len, gboolean room)
{
  GstAllocationParams params = { 0, 3, 0, room ? TRAILER_ROOM : 0, };
  gsize size = 12 + payload_len;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, &params);
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  map.data[0] = 0x80;
  map.data[1] = 96;
  GST_WRITE_UINT16_BE (map.data + 2, seq);
  GST_WRITE_UINT32_BE (map.data + 4, seq * 160u);
  GST_WRITE_UINT32_BE (map.data + 8, ssrc);
  for (i = 0; i < payload_len; i++)
    map.data[12 + i] = (guint8) (seq + i);
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = seq * GST_MSECOND;
  return buf;
}

/* An RTCP receiver report without report blocks from @ssrc, whose 4-byte
 * profile-specific extension carries @n so each packet is distinct. */
static GstBuffer *
make_rtcp (guint32 ssrc, guint32 n)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 12, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  map.data[0] = 0x80;           /* V=2, no padding, RC=0 */
  map.data[1] = 201;            /* RR */
  GST_WRITE_UINT16_BE (map.data + 2, 2);        /* length in words - 1 */
  GST_WRITE_UINT32_BE (map.data + 4, ssrc);
  GST_WRITE_UINT32_BE (map.data + 8, n);
  gst_buffer_unmap (buf, &map);
  return buf;
}

static gboolean
buffers_equal (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;
  gboolean eq;

  gst_buffer_map (a, &ma, GST_MAP_READ);
  gst_buffer_map (b, &mb, GST_MAP_READ);
  eq = ma.size == mb.size && memcmp (ma.data, mb.data, ma.size) == 0;
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  return eq;
}

static GstCaps *
rtp_caps (guint32 ssrc)
{
  return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING,
      "audio", "clock-rate", G_TYPE_INT, 8000, "encoding-name",
      G_TYPE_STRING, "L16", "payload", G_TYPE_INT, 96, "ssrc", G_TYPE_UINT,
      ssrc, NULL);
}

/* Fails the test with an install hint when a reference element is missing
 * (or is not gst-plugins-bad's, as with -Dstandard-names=true). */
G_GNUC_UNUSED static void
require_reference (const gchar * name)
{
  GstElementFactory *f = gst_element_factory_find (name);
  const gchar *plugin;

  fail_unless (f != NULL, "The reference element '%s' is missing: install "
      "it with 'apt-get install gstreamer1.0-plugins-bad'", name);
  plugin = gst_plugin_feature_get_plugin_name (GST_PLUGIN_FEATURE (f));
  fail_unless (plugin && g_str_equal (plugin, "srtp"),
      "'%s' comes from plugin '%s', not gst-plugins-bad's srtp plugin "
      "(this interop test needs a build with standard-names=false)", name,
      plugin);
  gst_object_unref (f);
}

/* Encoder harness on its rtp (or rtcp) request pad. */
static GstHarness *
enc_harness (GstElement * enc, gboolean rtcp)
{
  GstHarness *h = gst_harness_new_with_element (enc,
      rtcp ? "rtcp_sink_0" : "rtp_sink_0", rtcp ? "rtcp_src_0" : "rtp_src_0");
  return h;
}

/* Decoder harness whose input caps are the encoder harness's output caps
 * (they carry the key). */
static GstHarness *
dec_harness_for (GstElement * dec, GstHarness * h_enc, gboolean rtcp)
{
  GstHarness *h = gst_harness_new_with_element (dec,
      rtcp ? "rtcp_sink" : "rtp_sink", rtcp ? "rtcp_src" : "rtp_src");
  GstCaps *caps = gst_pad_get_current_caps (h_enc->sinkpad);

  fail_unless (caps != NULL, "encoder sent no caps");
  gst_harness_set_src_caps (h, caps);
  return h;
}

G_GNUC_UNUSED static guint64
stats_u64 (GstElement * e, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = G_MAXUINT64;

  g_object_get (e, "stats", &s, NULL);
  fail_unless (s != NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v),
      "no field %s in stats %" GST_PTR_FORMAT, field, s);
  gst_structure_free (s);
  return v;
}

#endif
