/* GStreamer GnuTLS DTLS-SRTP suite: libsrtp2 helpers shared by the SRTP
 * encoder and decoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlssrtp.h"
#include "gstgnutlssrtpprofile.h"

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_srtp_debug);
#define GST_CAT_DEFAULT gst_gnutls_srtp_debug

static void
event_handler (srtp_event_data_t * data)
{
  GstGnutlsSrtpEventSink *sink = srtp_get_user_data (data->session);

  /* The handler is process-wide and other libsrtp2 users (the reference
   * plugin) may hang their own data on their sessions: check the magic. */
  if (sink && sink->magic == GST_GNUTLS_SRTP_EVENT_SINK_MAGIC && sink->func)
    sink->func (sink->user_data, data->ssrc, data->event);
}

/* Debian's libsrtp2 does its AES with NSS, which starts up when the first
 * session of the process is created (about 2 ms of CPU) and shuts down
 * with the last one. A session that lives as long as the process keeps
 * that cost out of every call's time to first packet. */
static void
keep_crypto_backend_up (void)
{
  static guint8 key[SRTP_AES_ICM_128_KEY_LEN_WSALT];
  static srtp_t keepalive;
  srtp_policy_t policy;

  memset (&policy, 0, sizeof (policy));
  srtp_crypto_policy_set_rtp_default (&policy.rtp);
  srtp_crypto_policy_set_rtcp_default (&policy.rtcp);
  policy.ssrc.type = ssrc_any_outbound;
  policy.key = key;
  policy.window_size = 128;
  if (srtp_create (&keepalive, &policy) != srtp_err_status_ok)
    GST_WARNING ("could not create the libsrtp2 keep-alive session");
}

void
gst_gnutls_srtp_init_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    srtp_err_status_t err;

    GST_DEBUG_CATEGORY_INIT (gst_gnutls_srtp_debug, "gnutlssrtp", 0,
        "libsrtp2 set-up shared by the SRTP elements");
    err = srtp_init ();
    /* libsrtp2 answers bad_param when someone else in the process (such as
     * gst-plugins-bad's srtp plugin) already initialised it: fine. */
    if (err == srtp_err_status_bad_param)
      GST_INFO ("libsrtp2 was already initialised in this process");
    else if (err != srtp_err_status_ok)
      GST_ERROR ("srtp_init failed: %s", gst_gnutls_srtp_strerror (err));
    /* The handler is process-wide: it finds the element through the user
     * data of the session the event belongs to. */
    srtp_install_event_handler (event_handler);
    keep_crypto_backend_up ();
    g_once_init_leave (&done, 1);
  }
}

void
gst_gnutls_srtp_session_set_event_sink (srtp_t session,
    GstGnutlsSrtpEventSink * sink)
{
  srtp_set_user_data (session, sink);
}

guint
gst_gnutls_srtp_cipher_key_len (GstGnutlsSrtpCipherType cipher)
{
  switch (cipher) {
    case GST_GNUTLS_SRTP_CIPHER_AES_128_ICM:
      return SRTP_AES_ICM_128_KEY_LEN_WSALT;
    case GST_GNUTLS_SRTP_CIPHER_AES_256_ICM:
      return SRTP_AES_ICM_256_KEY_LEN_WSALT;
    case GST_GNUTLS_SRTP_CIPHER_AES_128_GCM:
      return SRTP_AES_GCM_128_KEY_LEN_WSALT;
    case GST_GNUTLS_SRTP_CIPHER_AES_256_GCM:
      return SRTP_AES_GCM_256_KEY_LEN_WSALT;
    case GST_GNUTLS_SRTP_CIPHER_NULL:
    default:
      return 0;
  }
}

static gboolean
cipher_is_gcm (GstGnutlsSrtpCipherType cipher)
{
  return cipher == GST_GNUTLS_SRTP_CIPHER_AES_128_GCM ||
      cipher == GST_GNUTLS_SRTP_CIPHER_AES_256_GCM;
}

/* Master key + salt libsrtp2 reads for one direction. The null cipher
 * still derives the authentication key from a 30-byte master key. */
static guint
direction_key_len (GstGnutlsSrtpCipherType cipher, GstGnutlsSrtpAuthType auth)
{
  if (cipher == GST_GNUTLS_SRTP_CIPHER_NULL)
    return auth == GST_GNUTLS_SRTP_AUTH_NULL ? 0 :
        SRTP_AES_ICM_128_KEY_LEN_WSALT;
  return gst_gnutls_srtp_cipher_key_len (cipher);
}

/* The same master key serves RTP and RTCP, so it must be long enough for
 * the larger of the two. 0 means no key is needed at all. */
guint
gst_gnutls_srtp_params_key_len (const GstGnutlsSrtpParams * params)
{
  return MAX (direction_key_len (params->rtp_cipher, params->rtp_auth),
      direction_key_len (params->rtcp_cipher, params->rtcp_auth));
}

void
gst_gnutls_srtp_params_init (GstGnutlsSrtpParams * params)
{
  memset (params, 0, sizeof (*params));
  params->rtp_cipher = params->rtcp_cipher = GST_GNUTLS_SRTP_CIPHER_AES_128_ICM;
  params->rtp_auth = params->rtcp_auth = GST_GNUTLS_SRTP_AUTH_HMAC_SHA1_80;
}

void
gst_gnutls_srtp_params_clear (GstGnutlsSrtpParams * params)
{
  guint i;

  for (i = 0; i < params->n_keys; i++) {
    gst_clear_buffer (&params->keys[i]);
    gst_clear_buffer (&params->mkis[i]);
  }
  params->n_keys = 0;
}

void
gst_gnutls_srtp_params_copy (GstGnutlsSrtpParams * dest,
    const GstGnutlsSrtpParams * src)
{
  guint i;

  if (dest == src)
    return;
  gst_gnutls_srtp_params_clear (dest);
  *dest = *src;
  for (i = 0; i < src->n_keys; i++) {
    dest->keys[i] = src->keys[i] ? gst_buffer_ref (src->keys[i]) : NULL;
    dest->mkis[i] = src->mkis[i] ? gst_buffer_ref (src->mkis[i]) : NULL;
  }
}

static const gchar *
cipher_nick (GstGnutlsSrtpCipherType cipher)
{
  GEnumValue *v = g_enum_get_value (g_type_class_peek
      (GST_TYPE_GNUTLS_SRTP_CIPHER_TYPE), cipher);
  return v ? v->value_nick : "?";
}

gboolean
gst_gnutls_srtp_params_validate (const GstGnutlsSrtpParams * params,
    GError ** error)
{
  guint need = gst_gnutls_srtp_params_key_len (params);
  guint i;

  /* Ensure the enum classes exist for the nicks used in messages. */
  g_type_class_unref (g_type_class_ref (GST_TYPE_GNUTLS_SRTP_CIPHER_TYPE));

  if (need == 0)
    return TRUE;

  if (params->n_keys == 0 || params->keys[0] == NULL) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "No SRTP master key: %s needs a %u-byte key (master key + salt)",
        cipher_nick (params->rtp_cipher), need);
    return FALSE;
  }

  for (i = 0; i < params->n_keys; i++) {
    gsize len = gst_buffer_get_size (params->keys[i]);

    if (len != need) {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "SRTP master key %u is %" G_GSIZE_FORMAT " bytes but "
          "srtp-cipher=%s/srtcp-cipher=%s needs exactly %u bytes "
          "(master key + salt)", i + 1, len,
          cipher_nick (params->rtp_cipher), cipher_nick (params->rtcp_cipher),
          need);
      return FALSE;
    }
    if (params->n_keys > 1 && params->mkis[i] == NULL) {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "Several SRTP master keys were given but key %u has no MKI", i + 1);
      return FALSE;
    }
    if (params->mkis[i]) {
      gsize mlen = gst_buffer_get_size (params->mkis[i]);
      if (mlen == 0 || mlen > SRTP_MAX_MKI_LEN) {
        g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
            "MKI %u is %" G_GSIZE_FORMAT " bytes; it must be 1 to %u bytes",
            i + 1, mlen, SRTP_MAX_MKI_LEN);
        return FALSE;
      }
      if (i > 0 && mlen != gst_buffer_get_size (params->mkis[0])) {
        g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
            "All MKIs of a stream must have the same length");
        return FALSE;
      }
    }
  }
  return TRUE;
}

static gboolean
enum_from_structure (const GstStructure * s, const gchar * field, GType type,
    gint * out, GError ** error)
{
  const gchar *str = gst_structure_get_string (s, field);
  GEnumClass *klass;
  GEnumValue *v;

  if (str == NULL) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
        "Caps field '%s' (string) is missing", field);
    return FALSE;
  }
  klass = g_type_class_ref (type);
  v = g_enum_get_value_by_nick (klass, str);
  if (v)
    *out = v->value;
  else
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
        "Caps field '%s' has unknown value '%s'", field, str);
  g_type_class_unref (klass);
  return v != NULL;
}

static const gchar *
key_field (guint i, gboolean mki, gchar * buf, gsize len)
{
  if (i == 0)
    return mki ? "mki" : "srtp-key";
  g_snprintf (buf, len, mki ? "mki%u" : "srtp-key%u", i + 1);
  return buf;
}

/* Reads srtp-cipher/srtp-auth/srtcp-cipher/srtcp-auth and the keys
 * (srtp-key + mki, then srtp-key2 + mki2 ... srtp-key16 + mki16). */
gboolean
gst_gnutls_srtp_params_from_structure (const GstStructure * s,
    GstGnutlsSrtpParams * params, GError ** error)
{
  gint v[4];
  guint i;

  if (!enum_from_structure (s, "srtp-cipher",
          GST_TYPE_GNUTLS_SRTP_CIPHER_TYPE, &v[0], error) ||
      !enum_from_structure (s, "srtp-auth", GST_TYPE_GNUTLS_SRTP_AUTH_TYPE,
          &v[1], error) ||
      !enum_from_structure (s, "srtcp-cipher",
          GST_TYPE_GNUTLS_SRTP_CIPHER_TYPE, &v[2], error) ||
      !enum_from_structure (s, "srtcp-auth", GST_TYPE_GNUTLS_SRTP_AUTH_TYPE,
          &v[3], error))
    return FALSE;

  gst_gnutls_srtp_params_clear (params);
  params->rtp_cipher = v[0];
  params->rtp_auth = v[1];
  params->rtcp_cipher = v[2];
  params->rtcp_auth = v[3];

  for (i = 0; i < GST_GNUTLS_SRTP_MAX_KEYS; i++) {
    gchar kname[16], mname[16];
    const GValue *kv = gst_structure_get_value (s,
        key_field (i, FALSE, kname, sizeof (kname)));
    const GValue *mv = gst_structure_get_value (s,
        key_field (i, TRUE, mname, sizeof (mname)));

    if (kv == NULL || !GST_VALUE_HOLDS_BUFFER (kv))
      break;
    params->keys[i] = gst_buffer_ref (gst_value_get_buffer (kv));
    if (mv && GST_VALUE_HOLDS_BUFFER (mv))
      params->mkis[i] = gst_buffer_ref (gst_value_get_buffer (mv));
    params->n_keys = i + 1;
  }

  return gst_gnutls_srtp_params_validate (params, error);
}

void
gst_gnutls_srtp_params_to_structure (const GstGnutlsSrtpParams * params,
    GstStructure * s)
{
  guint i;

  gst_structure_set (s,
      "srtp-cipher", G_TYPE_STRING,
      gst_gnutls_srtp_cipher_nick (params->rtp_cipher),
      "srtp-auth", G_TYPE_STRING, gst_gnutls_srtp_auth_nick (params->rtp_auth),
      "srtcp-cipher", G_TYPE_STRING,
      gst_gnutls_srtp_cipher_nick (params->rtcp_cipher),
      "srtcp-auth", G_TYPE_STRING,
      gst_gnutls_srtp_auth_nick (params->rtcp_auth), NULL);
  for (i = 0; i < params->n_keys; i++) {
    gchar name[16];

    gst_structure_set (s, key_field (i, FALSE, name, sizeof (name)),
        GST_TYPE_BUFFER, params->keys[i], NULL);
    if (params->mkis[i])
      gst_structure_set (s, key_field (i, TRUE, name, sizeof (name)),
          GST_TYPE_BUFFER, params->mkis[i], NULL);
  }
}

static gboolean
strip_field (GQuark field_id, GValue * value, gpointer user_data)
{
  const gchar *name = g_quark_to_string (field_id);

  return !(g_str_has_prefix (name, "srtp-") ||
      g_str_has_prefix (name, "srtcp-") || g_str_has_prefix (name, "mki") ||
      g_str_equal (name, "roc"));
}

/* Removes the SRTP fields, so the rest of the caps describe plain RTP. */
void
gst_gnutls_srtp_structure_strip (GstStructure * s)
{
  gst_structure_filter_and_map_in_place (s, strip_field, NULL);
}

static void
crypto_policy_init (srtp_crypto_policy_t * p, GstGnutlsSrtpCipherType cipher,
    GstGnutlsSrtpAuthType auth)
{
  memset (p, 0, sizeof (*p));

  switch (cipher) {
    case GST_GNUTLS_SRTP_CIPHER_AES_128_ICM:
      p->cipher_type = SRTP_AES_ICM_128;
      break;
    case GST_GNUTLS_SRTP_CIPHER_AES_256_ICM:
      p->cipher_type = SRTP_AES_ICM_256;
      break;
    case GST_GNUTLS_SRTP_CIPHER_AES_128_GCM:
      p->cipher_type = SRTP_AES_GCM_128;
      break;
    case GST_GNUTLS_SRTP_CIPHER_AES_256_GCM:
      p->cipher_type = SRTP_AES_GCM_256;
      break;
    case GST_GNUTLS_SRTP_CIPHER_NULL:
    default:
      p->cipher_type = SRTP_NULL_CIPHER;
      break;
  }
  /* libsrtp2 gives the null cipher a 30-byte key too (it feeds the key
   * derivation of the authentication key). */
  p->cipher_key_len = cipher == GST_GNUTLS_SRTP_CIPHER_NULL ?
      SRTP_AES_ICM_128_KEY_LEN_WSALT : gst_gnutls_srtp_cipher_key_len (cipher);

  if (cipher_is_gcm (cipher)) {
    /* AEAD: the 16-byte GCM tag authenticates; the auth setting is moot. */
    p->auth_type = SRTP_NULL_AUTH;
    p->auth_key_len = 0;
    p->auth_tag_len = 16;
    p->sec_serv = sec_serv_conf_and_auth;
    return;
  }

  switch (auth) {
    case GST_GNUTLS_SRTP_AUTH_HMAC_SHA1_32:
      p->auth_type = SRTP_HMAC_SHA1;
      p->auth_key_len = 20;
      p->auth_tag_len = 4;
      break;
    case GST_GNUTLS_SRTP_AUTH_HMAC_SHA1_80:
      p->auth_type = SRTP_HMAC_SHA1;
      p->auth_key_len = 20;
      p->auth_tag_len = 10;
      break;
    case GST_GNUTLS_SRTP_AUTH_NULL:
    default:
      p->auth_type = SRTP_NULL_AUTH;
      break;
  }

  if (cipher != GST_GNUTLS_SRTP_CIPHER_NULL)
    p->sec_serv = auth != GST_GNUTLS_SRTP_AUTH_NULL ?
        sec_serv_conf_and_auth : sec_serv_conf;
  else
    p->sec_serv = auth != GST_GNUTLS_SRTP_AUTH_NULL ?
        sec_serv_auth : sec_serv_none;
}

void
gst_gnutls_srtp_policy_init (srtp_policy_t * policy,
    GstGnutlsSrtpPolicyKeys * keys, const GstGnutlsSrtpParams * params,
    guint replay_window, gboolean allow_repeat_tx)
{
  static guint8 zero_key[SRTP_MAX_KEY_LEN];
  guint i;

  memset (policy, 0, sizeof (*policy));
  memset (keys, 0, sizeof (*keys));
  keys->params = params;

  crypto_policy_init (&policy->rtp, params->rtp_cipher, params->rtp_auth);
  crypto_policy_init (&policy->rtcp, params->rtcp_cipher, params->rtcp_auth);
  policy->window_size = replay_window;
  policy->allow_repeat_tx = allow_repeat_tx;

  if (params->n_keys == 0 || gst_gnutls_srtp_params_key_len (params) == 0) {
    /* Nothing to protect with (null cipher, null auth): libsrtp2 still
     * derives keys, from a key nobody needs to know. */
    policy->key = zero_key;
    return;
  }

  if (params->n_keys == 1 && params->mkis[0] == NULL) {
    gst_buffer_map (params->keys[0], &keys->key_maps[0], GST_MAP_READ);
    policy->key = keys->key_maps[0].data;
    return;
  }

  for (i = 0; i < params->n_keys; i++) {
    gst_buffer_map (params->keys[i], &keys->key_maps[i], GST_MAP_READ);
    gst_buffer_map (params->mkis[i], &keys->mki_maps[i], GST_MAP_READ);
    keys->keys[i].key = keys->key_maps[i].data;
    keys->keys[i].mki_id = keys->mki_maps[i].data;
    keys->keys[i].mki_size = keys->mki_maps[i].size;
    keys->key_ptrs[i] = &keys->keys[i];
  }
  policy->keys = keys->key_ptrs;
  policy->num_master_keys = params->n_keys;
}

void
gst_gnutls_srtp_policy_release (GstGnutlsSrtpPolicyKeys * keys)
{
  const GstGnutlsSrtpParams *params = keys->params;
  guint i;

  for (i = 0; params && i < params->n_keys; i++) {
    if (keys->key_maps[i].memory)
      gst_buffer_unmap (params->keys[i], &keys->key_maps[i]);
    if (keys->mki_maps[i].memory)
      gst_buffer_unmap (params->mkis[i], &keys->mki_maps[i]);
  }
  /* Key bytes were copied by libsrtp2; wipe our stack copy of pointers. */
  memset (keys, 0, sizeof (*keys));
}

GstGnutlsSrtpDropReason
gst_gnutls_srtp_drop_reason (srtp_err_status_t err)
{
  switch (err) {
    case srtp_err_status_auth_fail:
    case srtp_err_status_cipher_fail:
      return GST_GNUTLS_SRTP_DROP_AUTH;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      return GST_GNUTLS_SRTP_DROP_REPLAY;
    case srtp_err_status_no_ctx:
    case srtp_err_status_bad_mki:
      return GST_GNUTLS_SRTP_DROP_NO_KEY;
    case srtp_err_status_key_expired:
      return GST_GNUTLS_SRTP_DROP_KEY_LIMIT;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      return GST_GNUTLS_SRTP_DROP_INVALID;
    default:
      return GST_GNUTLS_SRTP_DROP_OTHER;
  }
}

const gchar *
gst_gnutls_srtp_drop_reason_name (GstGnutlsSrtpDropReason reason)
{
  static const gchar *names[] = {
    "invalid", "no-key", "auth", "replay", "key-limit", "other"
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == GST_GNUTLS_SRTP_DROP_N_REASONS);
  return reason < GST_GNUTLS_SRTP_DROP_N_REASONS ? names[reason] : "?";
}

const gchar *
gst_gnutls_srtp_strerror (srtp_err_status_t err)
{
  switch (err) {
    case srtp_err_status_ok:
      return "ok";
    case srtp_err_status_bad_param:
      return "bad parameter";
    case srtp_err_status_alloc_fail:
      return "allocation failed";
    case srtp_err_status_init_fail:
      return "initialisation failed";
    case srtp_err_status_auth_fail:
      return "authentication failed";
    case srtp_err_status_cipher_fail:
      return "cipher failed";
    case srtp_err_status_replay_fail:
      return "replayed packet";
    case srtp_err_status_replay_old:
      return "packet too old for the replay window";
    case srtp_err_status_no_ctx:
      return "no stream for this SSRC";
    case srtp_err_status_key_expired:
      return "master key reached its hard limit";
    case srtp_err_status_parse_err:
      return "parse error";
    case srtp_err_status_bad_mki:
      return "unknown MKI";
    default:
      return "libsrtp2 error";
  }
}

void
gst_gnutls_srtp_counters_to_structure (const GstGnutlsSrtpCounters * c,
    GstStructure * s)
{
  guint64 total = 0;
  guint i;

  gst_structure_set (s,
      "rtp-packets", G_TYPE_UINT64, c->rtp_packets,
      "rtp-bytes", G_TYPE_UINT64, c->rtp_bytes,
      "rtcp-packets", G_TYPE_UINT64, c->rtcp_packets,
      "rtcp-bytes", G_TYPE_UINT64, c->rtcp_bytes, NULL);
  for (i = 0; i < GST_GNUTLS_SRTP_DROP_N_REASONS; i++) {
    gchar *name = g_strdup_printf ("drop-%s",
        gst_gnutls_srtp_drop_reason_name (i));
    gst_structure_set (s, name, G_TYPE_UINT64, c->drops[i], NULL);
    g_free (name);
    total += c->drops[i];
  }
  gst_structure_set (s, "drops", G_TYPE_UINT64, total, NULL);
}

gboolean
gst_gnutls_srtp_should_log_drop (guint64 count)
{
  while (count >= 10 && count % 10 == 0)
    count /= 10;
  return count == 1;
}

/* The default (system memory) allocator, looked up once: comparing
 * pointers is cheaper than gst_memory_is_type's string compare. */
static GstAllocator *
sysmem_allocator (void)
{
  static GstAllocator *sysmem;

  if (g_once_init_enter (&sysmem))
    g_once_init_leave (&sysmem, gst_allocator_find (GST_ALLOCATOR_SYSMEM));
  return sysmem;
}

/* Maps the packet in @buf, which must be writable, read-write in @map,
 * with @room spare bytes after it in the same memory and the data 4-byte
 * aligned, as libsrtp2 works in place and reads the header as 32-bit
 * words. Returns the packet's size. The buffer stays the same buffer: its
 * one memory is used as it is when it allows it (the hot path: no
 * allocation, no copy); otherwise (no room, as RTP payloaders allocate,
 * or in pieces, misaligned, or shared) the buffer gets new memory, with
 * one allocation and one copy. Undo with gst_gnutls_srtp_buffer_unmap().
 *
 * Whether the memory may be written is left to the write map, as
 * gst_buffer_map() does: memory another buffer holds too, or a share of
 * it, refuses the write lock. The buffer's own writability is the
 * caller's (gst_buffer_make_writable, gst_buffer_list_get_writable), so
 * that each packet is checked once, not once per call. */
gsize
gst_gnutls_srtp_buffer_map (GstBuffer * buf, gsize room, GstMapInfo * map)
{
  GstAllocationParams params = { 0, 3, 0, 0, };
  GstMemory *mem;
  GstMapInfo old;
  gsize size;

  if (G_LIKELY (gst_buffer_n_memory (buf) == 1)) {
    mem = gst_buffer_peek_memory (buf, 0);
    size = mem->size;
    if (!GST_MEMORY_IS_READONLY (mem) &&
        mem->offset + size + room <= mem->maxsize &&
        (mem->allocator == sysmem_allocator () ||
            gst_memory_is_type (mem, GST_ALLOCATOR_SYSMEM)) &&
        gst_memory_map (mem, map, GST_MAP_READWRITE)) {
      if (G_LIKELY (((guintptr) map->data & 3) == 0))
        return size;
      gst_memory_unmap (mem, map);
    }
  } else {
    size = gst_buffer_get_size (buf);
  }

  /* New memory for the same buffer, mapped once; its size is set when it
   * is unmapped. */
  mem = gst_allocator_alloc (NULL, size + room, &params);
  gst_memory_map (mem, map, GST_MAP_READWRITE);
  if (gst_buffer_n_memory (buf) == 1 &&
      gst_memory_map (gst_buffer_peek_memory (buf, 0), &old, GST_MAP_READ)) {
    memcpy (map->data, old.data, size);
    gst_memory_unmap (old.memory, &old);
  } else {
    gst_buffer_extract (buf, 0, map->data, size);
  }
  gst_buffer_replace_all_memory (buf, mem);
  return size;
}

/* Unmaps what gst_gnutls_srtp_buffer_map() mapped and sets the packet
 * size to @size (the protected or unprotected length, within the room
 * the map made). The size is set as gst_memory_resize() would, without
 * its check that the memory is writable: it was just written through a
 * write map, in a writable buffer. */
void
gst_gnutls_srtp_buffer_unmap (GstBuffer * buf, GstMapInfo * map, gsize size)
{
  GstMemory *mem = map->memory;

  gst_memory_unmap (mem, map);
  g_assert (mem->offset + size <= mem->maxsize);
  if (size < mem->size && GST_MEMORY_IS_ZERO_PADDED (mem))
    GST_MEMORY_FLAG_UNSET (mem, GST_MEMORY_FLAG_ZERO_PADDED);
  mem->size = size;
}

/* Calls @func on each buffer of @list, made writable, in order; a buffer
 * @func does not keep is removed from the list (and unreffed). Unlike
 * gst_buffer_list_foreach(), a buffer is not taken out of the list and
 * put back around each call (two atomic parent updates per packet). */
void
gst_gnutls_srtp_list_process (GstBufferList * list,
    GstGnutlsSrtpPacketFunc func, gpointer user_data)
{
  guint i = 0, n = gst_buffer_list_length (list);

  g_return_if_fail (gst_buffer_list_is_writable (list));
  while (i < n) {
    GstBuffer *buf = gst_buffer_list_get (list, i);

    /* In a writable list, a buffer only the list holds is writable; the
     * full check would walk up to the list again for every packet. */
    if (G_UNLIKELY (GST_MINI_OBJECT_REFCOUNT_VALUE (buf) != 1))
      buf = gst_buffer_list_get_writable (list, i);
    if (G_LIKELY (func (buf, user_data))) {
      i++;
    } else {
      gst_buffer_list_remove (list, i, 1);
      n--;
    }
  }
}

/* application/x-rtp <-> application/x-srtp (and rtcp), optionally without
 * the SRTP fields. Takes @caps. */
GstCaps *
gst_gnutls_srtp_caps_rename (GstCaps * caps, gboolean to_srtp, gboolean strip)
{
  guint i;

  caps = gst_caps_make_writable (caps);
  for (i = 0; i < gst_caps_get_size (caps); i++) {
    GstStructure *s = gst_caps_get_structure (caps, i);
    const gchar *name = gst_structure_get_name (s);

    if (to_srtp) {
      if (g_str_equal (name, "application/x-rtp"))
        gst_structure_set_name (s, "application/x-srtp");
      else if (g_str_equal (name, "application/x-rtcp"))
        gst_structure_set_name (s, "application/x-srtcp");
    } else {
      if (g_str_equal (name, "application/x-srtp"))
        gst_structure_set_name (s, "application/x-rtp");
      else if (g_str_equal (name, "application/x-srtcp"))
        gst_structure_set_name (s, "application/x-rtcp");
    }
    if (strip)
      gst_gnutls_srtp_structure_strip (s);
  }
  return caps;
}

/* Answers a caps query on @pad with what the peer of @other accepts,
 * renamed across the element (@to_srtp: the peer of @other speaks SRTP).
 * The SRTP fields are this element's business, so they are dropped from
 * the peer's answer; intersecting with the filter last keeps the ones the
 * asker offered (the key in an udpsrc's caps, say). */
gboolean
gst_gnutls_srtp_query_caps_through (GstPad * pad, GstPad * other,
    GstQuery * query, gboolean to_srtp)
{
  GstCaps *filter, *other_filter = NULL, *peer, *templ, *result;

  gst_query_parse_caps (query, &filter);
  if (filter)
    other_filter = gst_gnutls_srtp_caps_rename (gst_caps_copy (filter),
        to_srtp, TRUE);
  peer = gst_pad_peer_query_caps (other, other_filter);
  gst_clear_caps (&other_filter);
  peer = gst_gnutls_srtp_caps_rename (peer, !to_srtp, TRUE);
  templ = gst_pad_get_pad_template_caps (pad);
  result = gst_caps_intersect (peer, templ);
  gst_caps_unref (peer);
  gst_caps_unref (templ);
  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, result,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (result);
    result = tmp;
  }
  gst_query_set_caps_result (query, result);
  gst_caps_unref (result);
  return TRUE;
}
