/* GStreamer GnuTLS DTLS-SRTP suite: libsrtp2 helpers shared by the SRTP
 * encoder and decoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_SRTP_H__
#define __GST_GNUTLS_SRTP_H__

#include <gst/gst.h>
#include <srtp2/srtp.h>
#include <srtp2/crypto_types.h>

#include "gstgnutlssrtpenums.h"
#include "gstgnutlssrtp-enumtypes.h"
#include "gstgnutlssrtpdirect.h"

G_BEGIN_DECLS

/* Room libsrtp2 may write after an RTCP packet (RTP needs 4 bytes less). */
#define GST_GNUTLS_SRTP_MAX_TRAILER (SRTP_MAX_TRAILER_LEN + 4)

/* libsrtp2 accepts up to 16 master keys per stream, told apart by MKI. */
#define GST_GNUTLS_SRTP_MAX_KEYS 16

/* Why a packet was dropped; indexes the per-reason counters. */
typedef enum
{
  GST_GNUTLS_SRTP_DROP_INVALID,        /* too short or not RTP/RTCP */
  GST_GNUTLS_SRTP_DROP_NO_KEY,         /* no key for this SSRC (yet) */
  GST_GNUTLS_SRTP_DROP_AUTH,           /* authentication tag mismatch */
  GST_GNUTLS_SRTP_DROP_REPLAY,         /* replayed or too old */
  GST_GNUTLS_SRTP_DROP_KEY_LIMIT,      /* master key hard limit reached */
  GST_GNUTLS_SRTP_DROP_OTHER,          /* any other libsrtp2 failure */
  GST_GNUTLS_SRTP_DROP_N_REASONS
} GstGnutlsSrtpDropReason;

/* Packet and byte counters of one stream or of a whole element. */
typedef struct
{
  guint64 rtp_packets;
  guint64 rtp_bytes;
  guint64 rtcp_packets;
  guint64 rtcp_bytes;
  guint64 drops[GST_GNUTLS_SRTP_DROP_N_REASONS];
} GstGnutlsSrtpCounters;

/* Crypto settings of one direction of a stream (RTP and RTCP), plus the
 * master keys. keys[i]/mkis[i] are owned references; mkis[i] may be NULL
 * only when n_keys == 1. */
typedef struct
{
  GstGnutlsSrtpCipherType rtp_cipher;
  GstGnutlsSrtpAuthType rtp_auth;
  GstGnutlsSrtpCipherType rtcp_cipher;
  GstGnutlsSrtpAuthType rtcp_auth;
  guint n_keys;
  GstBuffer *keys[GST_GNUTLS_SRTP_MAX_KEYS];
  GstBuffer *mkis[GST_GNUTLS_SRTP_MAX_KEYS];
} GstGnutlsSrtpParams;

/* Called from inside srtp_protect/unprotect (so with the element's lock
 * held): only record what happened, act on it after unlocking. */
typedef void (*GstGnutlsSrtpEventFunc) (gpointer user_data, guint32 ssrc,
    srtp_event_t event);

#define GST_GNUTLS_SRTP_EVENT_SINK_MAGIC 0x67747370u

typedef struct
{
  guint32 magic;                /* GST_GNUTLS_SRTP_EVENT_SINK_MAGIC */
  GstGnutlsSrtpEventFunc func;
  gpointer user_data;
} GstGnutlsSrtpEventSink;

G_GNUC_INTERNAL void gst_gnutls_srtp_init_once (void);

G_GNUC_INTERNAL guint gst_gnutls_srtp_cipher_key_len (GstGnutlsSrtpCipherType
    cipher);
G_GNUC_INTERNAL guint gst_gnutls_srtp_params_key_len (const GstGnutlsSrtpParams
    * params);

G_GNUC_INTERNAL void gst_gnutls_srtp_params_init (GstGnutlsSrtpParams * params);
G_GNUC_INTERNAL void gst_gnutls_srtp_params_clear (GstGnutlsSrtpParams * params);
G_GNUC_INTERNAL void gst_gnutls_srtp_params_copy (GstGnutlsSrtpParams * dest,
    const GstGnutlsSrtpParams * src);
G_GNUC_INTERNAL gboolean gst_gnutls_srtp_params_validate (const
    GstGnutlsSrtpParams * params, GError ** error);

G_GNUC_INTERNAL gboolean gst_gnutls_srtp_params_from_structure (const
    GstStructure * s, GstGnutlsSrtpParams * params, GError ** error);
G_GNUC_INTERNAL void gst_gnutls_srtp_params_to_structure (const
    GstGnutlsSrtpParams * params, GstStructure * s);
G_GNUC_INTERNAL void gst_gnutls_srtp_structure_strip (GstStructure * s);

/* Fills @policy for @params; @key_ptrs and @key_store must outlive the
 * srtp_add_stream/srtp_update_stream call that uses the policy. */
typedef struct
{
  srtp_master_key_t keys[GST_GNUTLS_SRTP_MAX_KEYS];
  srtp_master_key_t *key_ptrs[GST_GNUTLS_SRTP_MAX_KEYS];
  GstMapInfo key_maps[GST_GNUTLS_SRTP_MAX_KEYS];
  GstMapInfo mki_maps[GST_GNUTLS_SRTP_MAX_KEYS];
  const GstGnutlsSrtpParams *params;
} GstGnutlsSrtpPolicyKeys;

G_GNUC_INTERNAL void gst_gnutls_srtp_policy_init (srtp_policy_t * policy,
    GstGnutlsSrtpPolicyKeys * keys, const GstGnutlsSrtpParams * params,
    guint replay_window, gboolean allow_repeat_tx);
G_GNUC_INTERNAL void gst_gnutls_srtp_policy_release (GstGnutlsSrtpPolicyKeys *
    keys);

G_GNUC_INTERNAL GstGnutlsSrtpDropReason gst_gnutls_srtp_drop_reason (
    srtp_err_status_t err);
G_GNUC_INTERNAL const gchar *gst_gnutls_srtp_drop_reason_name (
    GstGnutlsSrtpDropReason reason);
G_GNUC_INTERNAL const gchar *gst_gnutls_srtp_strerror (srtp_err_status_t err);

G_GNUC_INTERNAL void gst_gnutls_srtp_counters_to_structure (const
    GstGnutlsSrtpCounters * c, GstStructure * s);

/* Log a drop at WARNING the 1st, 10th, 100th... time it happens for that
 * reason, so a flood of bad packets cannot flood the log. */
G_GNUC_INTERNAL gboolean gst_gnutls_srtp_should_log_drop (guint64 count);

G_GNUC_INTERNAL gsize gst_gnutls_srtp_buffer_map (GstBuffer * buf,
    gsize room, GstMapInfo * map);
G_GNUC_INTERNAL void gst_gnutls_srtp_buffer_unmap (GstBuffer * buf,
    GstMapInfo * map, gsize size);

/* Works on one writable packet of a list, in place; FALSE: the packet
 * leaves the list. */
typedef gboolean (*GstGnutlsSrtpPacketFunc) (GstBuffer * buf,
    gpointer user_data);
G_GNUC_INTERNAL void gst_gnutls_srtp_list_process (GstBufferList * list,
    GstGnutlsSrtpPacketFunc func, gpointer user_data);
G_GNUC_INTERNAL GstCaps *gst_gnutls_srtp_caps_rename (GstCaps * caps,
    gboolean to_srtp, gboolean strip);

G_GNUC_INTERNAL gboolean gst_gnutls_srtp_query_caps_through (GstPad * pad,
    GstPad * other, GstQuery * query, gboolean to_srtp);

G_GNUC_INTERNAL void gst_gnutls_srtp_session_set_event_sink (srtp_t session,
    GstGnutlsSrtpEventSink * sink);

/* Where the packets of an element's src pad go instead of the pad, once a
 * bin set it with the element's set_output (gstgnutlssrtpdirect.h).
 * Protected by the element's lock: the streaming thread copies it under
 * the lock and pushes with the copy after unlocking. */
typedef struct
{
  GstGnutlsSrtpDirectPush push;
  GstGnutlsSrtpDirectPushList push_list;
  gpointer user_data;
} GstGnutlsSrtpOutput;

static inline void
gst_gnutls_srtp_output_set (GstGnutlsSrtpOutput * out,
    GstGnutlsSrtpDirectPush push, GstGnutlsSrtpDirectPushList push_list,
    gpointer user_data)
{
  out->push = push;
  out->push_list = push_list;
  out->user_data = push ? user_data : NULL;
}

static inline GstFlowReturn
gst_gnutls_srtp_output_push (GstPad * srcpad, const GstGnutlsSrtpOutput * out,
    GstBuffer * buf)
{
  if (out->push)
    return out->push (out->user_data, buf);
  return gst_pad_push (srcpad, buf);
}

static inline GstFlowReturn
gst_gnutls_srtp_output_push_list (GstPad * srcpad,
    const GstGnutlsSrtpOutput * out, GstBufferList * list)
{
  if (out->push_list)
    return out->push_list (out->user_data, list);
  return gst_pad_push_list (srcpad, list);
}

static inline gboolean
gst_gnutls_srtp_is_rtcp_packet (const guint8 * data, gsize size)
{
  /* RFC 5761 4: RTCP packet types 192-223 never collide with RTP payload
   * types once the marker bit is masked out. */
  return size >= 8 && (data[0] & 0xc0) == 0x80 && data[1] >= 192
      && data[1] <= 223;
}

static inline guint32
gst_gnutls_srtp_read_ssrc (const guint8 * data, gboolean is_rtcp)
{
  return GST_READ_UINT32_BE (data + (is_rtcp ? 4 : 8));
}

G_END_DECLS

#endif
