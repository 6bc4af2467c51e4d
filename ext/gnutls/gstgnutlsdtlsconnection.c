/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The DTLS connection: one GnuTLS session driven in-band.
 *
 * Records the session writes (its push function) go to an outbox; the
 * datagram being fed by the decoder is what its pull function reads. All
 * session state is guarded by one mutex. Whatever must reach an element
 * (records to push, state changes, keys, errors) is queued while the mutex is
 * held and delivered once it is released (gstgnutlsdtlsdispatch.c).
 * Retransmission timers and the workers that run them are shared by all
 * connections (gstgnutlsdtlspool.c). Datagrams are split into records, and
 * a server's first ClientHellos checked, by byte-level code that knows
 * nothing of GStreamer (gstgnutlsdtlsrecord.c, gstgnutlsdtlsclienthello.c).
 * Where the connection is in its life is one phase, moved by
 * set_phase_locked() (the diagram is in gstgnutlsdtlsconnectionprivate.h).
 * docs/architecture.md describes the whole.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/dtls.h>
#include <gnutls/x509.h>

#include "gstgnutlsdtlsconnectionprivate.h"
#include "gstgnutlsdtlsclienthello.h"
#include "gstgnutlsdtlsdispatch.h"
#include "gstgnutlsdtlspool.h"
#include "gstgnutlsdtlsrecord.h"
#include "gstgnutlsdtlsregistry.h"
#include "gstgnutlsdtlsusesrtp.h"

GST_DEBUG_CATEGORY (gst_gnutls_dtls_connection_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_connection_debug

#define DEFAULT_IS_CLIENT FALSE
#define DEFAULT_CERTIFICATE_TYPE GST_GNUTLS_DTLS_CERTIFICATE_TYPE_ECDSA_P256
#define DEFAULT_SRTP_PROFILES GST_GNUTLS_DTLS_DEFAULT_SRTP_PROFILES
#define DEFAULT_MTU 1200
#define DEFAULT_HANDSHAKE_TIMEOUT 30000
#define DEFAULT_RETRANSMIT_TIMEOUT 1000
#define DEFAULT_COOKIE_EXCHANGE TRUE
/* DTLS 1.2 only, ECDHE only (forward secrecy), AEAD ciphers only, with
 * AES-128-GCM (what WebRTC peers expect) at the top. CBC suites are left
 * out: every WebRTC stack offers GCM. */
#define DEFAULT_PRIORITY \
    "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:" \
    "-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305"

/* Bounds on what may wait for the encoder or the handshake */
#define MAX_OUTBOX 256
#define MAX_INBOX 16
#define MAX_PENDING_BYTES (256 * 1024)

enum
{
  PROP_0,
  PROP_IS_CLIENT,
  PROP_PEM,
  PROP_CERTIFICATE_TYPE,
  PROP_FINGERPRINT,
  PROP_PEER_FINGERPRINT,
  PROP_PEER_PEM,
  PROP_SRTP_PROFILES,
  PROP_MTU,
  PROP_HANDSHAKE_TIMEOUT,
  PROP_RETRANSMIT_TIMEOUT,
  PROP_COOKIE_EXCHANGE,
  PROP_PRIORITY,
  PROP_CONNECTION_STATE,
  PROP_SRTP_CIPHER,
  PROP_SRTP_AUTH,
  PROP_SRTP_PROFILE,
  N_PROPS
};

G_DEFINE_TYPE (GstGnutlsDtlsConnection, gst_gnutls_dtls_connection,
    GST_TYPE_OBJECT);

static GParamSpec *properties[N_PROPS];


/* ------------------------------------------------------------------------ */
/* Properties                                                               */

static GParamSpec *
make_pspec (guint prop_id, GParamFlags flags)
{
  flags |= G_PARAM_STATIC_STRINGS;

  switch (prop_id) {
    case PROP_IS_CLIENT:
      return g_param_spec_boolean ("is-client", "Is client",
          "Act as the DTLS client, the side that sends the first "
          "ClientHello (false: act as the server and wait for one)",
          DEFAULT_IS_CLIENT, flags | G_PARAM_READWRITE);
    case PROP_PEM:
      return g_param_spec_string ("pem", "PEM",
          "X.509 certificate and its private key, in PEM format. When unset "
          "a self-signed certificate of certificate-type is generated. "
          "Reading returns the certificate in use, without the key",
          NULL, flags | G_PARAM_READWRITE);
    case PROP_CERTIFICATE_TYPE:
      return g_param_spec_enum ("certificate-type", "Certificate type",
          "Key type of the generated certificate, when no pem is set",
          GST_TYPE_GNUTLS_DTLS_CERTIFICATE_TYPE, DEFAULT_CERTIFICATE_TYPE,
          flags | G_PARAM_READWRITE);
    case PROP_FINGERPRINT:
      return g_param_spec_string ("fingerprint", "Fingerprint",
          "SHA-256 fingerprint of our certificate as in an SDP "
          "a=fingerprint line, e.g. \"sha-256 AB:CD:...\"",
          NULL, flags | G_PARAM_READABLE);
    case PROP_PEER_FINGERPRINT:
      return g_param_spec_string ("peer-fingerprint", "Peer fingerprint",
          "Expected fingerprint of the peer certificate, from the remote SDP "
          "(\"sha-256 AB:CD:...\"; sha-1, sha-224, sha-384 and sha-512 are "
          "accepted too). When set, the handshake fails unless the peer "
          "certificate matches. When unset any certificate is accepted. A "
          "change while a handshake runs or is done applies to the next one",
          NULL, flags | G_PARAM_READWRITE);
    case PROP_PEER_PEM:
      return g_param_spec_string ("peer-pem", "Peer PEM",
          "The certificate the peer presented in the handshake, in PEM "
          "format; set before connection-state becomes connected",
          NULL, flags | G_PARAM_READABLE);
    case PROP_SRTP_PROFILES:
      return g_param_spec_string ("srtp-profiles", "SRTP profiles",
          "use_srtp profiles to offer, most preferred first, separated by "
          "':' (at most 4): SRTP_AEAD_AES_128_GCM, SRTP_AEAD_AES_256_GCM "
          "(with GnuTLS 3.8.0 or newer), SRTP_AES128_CM_HMAC_SHA1_80, "
          "SRTP_AES128_CM_HMAC_SHA1_32, SRTP_NULL_HMAC_SHA1_80, "
          "SRTP_NULL_HMAC_SHA1_32. As a server, the first of these that the "
          "client offers is chosen. Empty: do not negotiate SRTP (data "
          "only). NULL: this build's default, read back as a list: the two "
          "AEAD profiles (with GnuTLS 3.8.0 or newer), then "
          "SRTP_AES128_CM_HMAC_SHA1_80, SRTP_AES128_CM_HMAC_SHA1_32",
          NULL, flags | G_PARAM_READWRITE);
    case PROP_MTU:
      return g_param_spec_uint ("mtu", "MTU",
          "Largest datagram to send, in bytes, DTLS record header included",
          256, 65535, DEFAULT_MTU, flags | G_PARAM_READWRITE);
    case PROP_HANDSHAKE_TIMEOUT:
      return g_param_spec_uint ("handshake-timeout", "Handshake timeout",
          "Time in milliseconds after which an unfinished handshake fails "
          "(counted from start for a client, from the first ClientHello for "
          "a server)", 100, 600000, DEFAULT_HANDSHAKE_TIMEOUT,
          flags | G_PARAM_READWRITE);
    case PROP_RETRANSMIT_TIMEOUT:
      return g_param_spec_uint ("retransmit-timeout", "Retransmit timeout",
          "Initial retransmission timeout of a handshake flight, in "
          "milliseconds; it doubles at each retransmission (RFC 6347)",
          10, 60000, DEFAULT_RETRANSMIT_TIMEOUT, flags | G_PARAM_READWRITE);
    case PROP_COOKIE_EXCHANGE:
      return g_param_spec_boolean ("cookie-exchange", "Cookie exchange",
          "As a server, answer the first ClientHello with a "
          "HelloVerifyRequest cookie before keeping any state",
          DEFAULT_COOKIE_EXCHANGE, flags | G_PARAM_READWRITE);
    case PROP_PRIORITY:
      return g_param_spec_string ("priority", "Priority",
          "GnuTLS priority string: protocol versions, key exchanges and "
          "cipher suites on offer", DEFAULT_PRIORITY,
          flags | G_PARAM_READWRITE);
    case PROP_CONNECTION_STATE:
      return g_param_spec_enum ("connection-state", "Connection state",
          "State of the DTLS connection",
          GST_TYPE_GNUTLS_DTLS_CONNECTION_STATE,
          GST_GNUTLS_DTLS_CONNECTION_STATE_NEW, flags | G_PARAM_READABLE);
    case PROP_SRTP_CIPHER:
      return g_param_spec_uint ("srtp-cipher", "SRTP cipher",
          "SRTP cipher negotiated in the handshake, as srtpenc's rtp-cipher "
          "(0: null, or none yet; 1: AES-128-ICM; 3: AES-128-GCM; 4: "
          "AES-256-GCM); srtp-profile tells which profile", 0, 4, 0,
          flags | G_PARAM_READABLE);
    case PROP_SRTP_AUTH:
      return g_param_spec_uint ("srtp-auth", "SRTP authentication",
          "SRTP authentication negotiated in the handshake, as srtpenc's "
          "rtp-auth (0: null, as with the AEAD profiles, or none yet; 1: "
          "HMAC-SHA1-32; 2: HMAC-SHA1-80)", 0, 2, 0, flags | G_PARAM_READABLE);
    case PROP_SRTP_PROFILE:
      return g_param_spec_string ("srtp-profile", "SRTP profile",
          "The use_srtp profile the handshake negotiated, such as "
          "SRTP_AEAD_AES_128_GCM; NULL until then", NULL,
          flags | G_PARAM_READABLE);
    default:
      g_assert_not_reached ();
      return NULL;
  }
}

/**
 * gst_gnutls_dtls_connection_install_properties:
 * @klass: an element class
 * @first_prop_id: property id of the first of @names
 * @names: %NULL-terminated connection property names
 *
 * Installs on @klass properties with the same names, types and ranges as the
 * connection's, so that an element can forward them by name.
 */
void
gst_gnutls_dtls_connection_install_properties (GObjectClass * klass,
    guint first_prop_id, const gchar * const *names)
{
  GObjectClass *conn_class;
  guint i;

  conn_class = g_type_class_ref (GST_TYPE_GNUTLS_DTLS_CONNECTION);
  for (i = 0; names[i]; i++) {
    GParamSpec *orig = g_object_class_find_property (conn_class, names[i]);
    GParamFlags flags = 0;

    g_assert (orig != NULL);
    if (orig->flags & G_PARAM_WRITABLE) {
      switch (orig->param_id) {
        case PROP_PEER_FINGERPRINT:
        case PROP_MTU:
          flags = GST_PARAM_MUTABLE_PLAYING;
          break;
        default:
          flags = GST_PARAM_MUTABLE_READY;
          break;
      }
    }
    g_object_class_install_property (klass, first_prop_id + i,
        make_pspec (orig->param_id, flags));
  }
  g_type_class_unref (conn_class);
}

static GstGnutlsDtlsCertificate *
ensure_certificate_locked (GstGnutlsDtlsConnection * self, GError ** error)
{
  if (!self->certificate)
    self->certificate =
        gst_gnutls_dtls_certificate_get_default (self->certificate_type, error);
  return self->certificate;
}

static void
gst_gnutls_dtls_connection_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsConnection *self = GST_GNUTLS_DTLS_CONNECTION (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_IS_CLIENT:
      if (self->session)
        GST_WARNING_OBJECT (self, "is-client changed during a handshake, "
            "used from the next start");
      self->is_client = g_value_get_boolean (value);
      break;
    case PROP_PEM:{
      const gchar *pem = g_value_get_string (value);
      GstGnutlsDtlsCertificate *cert = NULL;
      GError *err = NULL;

      if (pem && *pem) {
        cert = gst_gnutls_dtls_certificate_new_from_pem (pem, &err);
        if (!cert) {
          /* reported when the handshake starts, as an element error */
          GST_ERROR_OBJECT (self, "invalid pem: %s", err->message);
          g_free (self->pem_error);
          self->pem_error = g_strdup (err->message);
          g_clear_error (&err);
          break;
        }
      }
      g_clear_pointer (&self->pem_error, g_free);
      g_clear_pointer (&self->certificate, gst_gnutls_dtls_certificate_unref);
      self->certificate = cert;
      break;
    }
    case PROP_CERTIFICATE_TYPE:
      self->certificate_type = g_value_get_enum (value);
      break;
    case PROP_PEER_FINGERPRINT:{
      const gchar *fp = g_value_get_string (value);
      gchar *normalized = NULL;

      g_clear_pointer (&self->peer_fingerprint, g_free);
      if (fp && *fp) {
        if (gst_gnutls_dtls_fingerprint_parse (fp,
                &self->peer_fingerprint_algo, &normalized)) {
          self->peer_fingerprint = normalized;
        } else {
          /* an unparsable value must not turn into "accept anything" */
          GST_ERROR_OBJECT (self, "peer-fingerprint \"%s\" is not a valid "
              "fingerprint; every certificate will be refused", fp);
          self->peer_fingerprint = g_strdup (fp);
          self->peer_fingerprint_algo = GNUTLS_DIG_UNKNOWN;
        }
      }
      break;
    }
    case PROP_SRTP_PROFILES:{
      GError *err = NULL;

      g_free (self->srtp_profiles);
      self->srtp_profiles = g_value_get_string (value) ?
          g_value_dup_string (value) : g_strdup (DEFAULT_SRTP_PROFILES);
      g_clear_pointer (&self->srtp_profiles_error, g_free);
      if (!gst_gnutls_dtls_srtp_offer_parse (self->srtp_profiles,
              &self->srtp_offer, &err)) {
        /* reported when the handshake starts, as an element error */
        GST_WARNING_OBJECT (self, "%s", err->message);
        self->srtp_profiles_error = g_strdup (err->message);
        g_clear_error (&err);
      }
      break;
    }
    case PROP_MTU:
      self->mtu = g_value_get_uint (value);
      if (self->session)
        gnutls_dtls_set_mtu (self->session, self->mtu);
      break;
    case PROP_HANDSHAKE_TIMEOUT:
      self->handshake_timeout = g_value_get_uint (value);
      break;
    case PROP_RETRANSMIT_TIMEOUT:
      self->retransmit_timeout = g_value_get_uint (value);
      break;
    case PROP_COOKIE_EXCHANGE:
      self->cookie_exchange = g_value_get_boolean (value);
      break;
    case PROP_PRIORITY:
      g_free (self->priority);
      self->priority = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_gnutls_dtls_connection_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsConnection *self = GST_GNUTLS_DTLS_CONNECTION (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_IS_CLIENT:
      g_value_set_boolean (value, self->is_client);
      break;
    case PROP_PEM:
    case PROP_FINGERPRINT:{
      GstGnutlsDtlsCertificate *cert;
      GError *err = NULL;

      /* after an invalid pem there is no certificate: none is made up */
      if (self->pem_error)
        break;
      cert = ensure_certificate_locked (self, &err);
      if (!cert) {
        GST_ERROR_OBJECT (self, "%s", err->message);
        g_clear_error (&err);
        break;
      }
      g_value_set_string (value, prop_id == PROP_PEM ?
          gst_gnutls_dtls_certificate_get_pem (cert) :
          gst_gnutls_dtls_certificate_get_fingerprint (cert));
      break;
    }
    case PROP_CERTIFICATE_TYPE:
      g_value_set_enum (value, self->certificate_type);
      break;
    case PROP_PEER_FINGERPRINT:
      g_value_set_string (value, self->peer_fingerprint);
      break;
    case PROP_PEER_PEM:
      g_value_set_string (value, self->peer_pem);
      break;
    case PROP_SRTP_PROFILES:
      g_value_set_string (value, self->srtp_profiles);
      break;
    case PROP_MTU:
      g_value_set_uint (value, self->mtu);
      break;
    case PROP_HANDSHAKE_TIMEOUT:
      g_value_set_uint (value, self->handshake_timeout);
      break;
    case PROP_RETRANSMIT_TIMEOUT:
      g_value_set_uint (value, self->retransmit_timeout);
      break;
    case PROP_COOKIE_EXCHANGE:
      g_value_set_boolean (value, self->cookie_exchange);
      break;
    case PROP_PRIORITY:
      g_value_set_string (value, self->priority);
      break;
    case PROP_CONNECTION_STATE:
      g_value_set_enum (value,
          gst_gnutls_dtls_connection_state_of_phase (self->phase));
      break;
    case PROP_SRTP_CIPHER:
      g_value_set_uint (value, self->srtp_profile ?
          self->srtp_profile->srtp_cipher : 0);
      break;
    case PROP_SRTP_AUTH:
      g_value_set_uint (value, self->srtp_profile ?
          self->srtp_profile->srtp_auth : 0);
      break;
    case PROP_SRTP_PROFILE:
      g_value_set_string (value, self->srtp_profile ?
          self->srtp_profile->name : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

/* ------------------------------------------------------------------------ */
/* Phase, closing, failure                                                  */

static const gchar *const phase_names[] = {
  "new", "listening", "handshaking", "connected", "closing", "peer-closed",
  "closed", "failed", "stopped"
};

GstGnutlsDtlsConnectionState
gst_gnutls_dtls_connection_state_of_phase (GstGnutlsDtlsPhase phase)
{
  switch (phase) {
    case GST_GNUTLS_DTLS_PHASE_NEW:
      return GST_GNUTLS_DTLS_CONNECTION_STATE_NEW;
    case GST_GNUTLS_DTLS_PHASE_LISTENING:
    case GST_GNUTLS_DTLS_PHASE_HANDSHAKING:
      return GST_GNUTLS_DTLS_CONNECTION_STATE_CONNECTING;
    case GST_GNUTLS_DTLS_PHASE_CONNECTED:
      return GST_GNUTLS_DTLS_CONNECTION_STATE_CONNECTED;
    case GST_GNUTLS_DTLS_PHASE_FAILED:
      return GST_GNUTLS_DTLS_CONNECTION_STATE_FAILED;
    case GST_GNUTLS_DTLS_PHASE_CLOSING:
    case GST_GNUTLS_DTLS_PHASE_PEER_CLOSED:
    case GST_GNUTLS_DTLS_PHASE_CLOSED:
    case GST_GNUTLS_DTLS_PHASE_STOPPED:
    default:
      return GST_GNUTLS_DTLS_CONNECTION_STATE_CLOSED;
  }
}

static const gchar *
state_name (GstGnutlsDtlsConnectionState state)
{
  GEnumClass *klass = g_type_class_peek (GST_TYPE_GNUTLS_DTLS_CONNECTION_STATE);
  GEnumValue *value = klass ? g_enum_get_value (klass, state) : NULL;

  return value ? value->value_nick : "?";
}

/* The one place the phase changes. The elements are told when
 * connection-state changes with it. */
static void
set_phase_locked (GstGnutlsDtlsConnection * self, GstGnutlsDtlsPhase phase)
{
  GstGnutlsDtlsConnectionState old_state, new_state;
  const gchar *role = self->is_client ? "client" : "server";

  if (self->phase == phase)
    return;
  GST_DEBUG_OBJECT (self, "phase %s -> %s", phase_names[self->phase],
      phase_names[phase]);
  old_state = gst_gnutls_dtls_connection_state_of_phase (self->phase);
  new_state = gst_gnutls_dtls_connection_state_of_phase (phase);
  self->phase = phase;

  if (phase == GST_GNUTLS_DTLS_PHASE_LISTENING)
    GST_INFO_OBJECT (self, "DTLS server waiting for a ClientHello");
  else if (phase == GST_GNUTLS_DTLS_PHASE_HANDSHAKING)
    GST_INFO_OBJECT (self, "DTLS handshake started, as the %s", role);
  if (old_state != new_state) {
    GST_INFO_OBJECT (self, "connection-state %s -> %s (%s)",
        state_name (old_state), state_name (new_state), role);
    gst_gnutls_dtls_dispatch_queue_locked (self,
        GST_GNUTLS_DTLS_CONNECTION_EVENT_STATE, NULL);
  }
}

/* Sends close_notify, also in answer to the peer's (RFC 5246 7.2.1) */
static void
close_locked (GstGnutlsDtlsConnection * self)
{
  GstGnutlsDtlsPhase next;

  if (self->phase == GST_GNUTLS_DTLS_PHASE_CONNECTED)
    next = GST_GNUTLS_DTLS_PHASE_CLOSING;
  else if (self->phase == GST_GNUTLS_DTLS_PHASE_PEER_CLOSED)
    next = GST_GNUTLS_DTLS_PHASE_CLOSED;
  else
    return;

  GST_INFO_OBJECT (self, "sending close_notify");
  gnutls_bye (self->session, GNUTLS_SHUT_WR);
  set_phase_locked (self, next);
}

/* What waited for the end of the handshake: application data, sent now
 * (@send) or dropped, and the EOS that may follow it, pushed after
 * close_notify. */
static void
flush_pending_locked (GstGnutlsDtlsConnection * self, gboolean send)
{
  GstMiniObject *obj;

  while ((obj = g_queue_pop_head (&self->pending))) {
    GstMapInfo map;

    if (GST_IS_EVENT (obj)) {
      close_locked (self);
      g_queue_push_tail (&self->outbox, obj);
      continue;
    }
    if (send && gst_buffer_map (GST_BUFFER (obj), &map, GST_MAP_READ)) {
      int ret = gnutls_record_send (self->session, map.data, map.size);
      if (ret < 0)
        GST_WARNING_OBJECT (self, "dropped %" G_GSIZE_FORMAT " queued bytes: "
            "%s", map.size, gnutls_strerror (ret));
      gst_buffer_unmap (GST_BUFFER (obj), &map);
    }
    gst_mini_object_unref (obj);
  }
  self->pending_bytes = 0;
}

/* Whether an EOS waits for the end of the handshake (it ends @pending) */
static gboolean
pending_eos_locked (GstGnutlsDtlsConnection * self)
{
  GstMiniObject *tail = g_queue_peek_tail (&self->pending);

  return tail && GST_IS_EVENT (tail);
}

/* *INDENT-OFF* */
static void fail_locked (GstGnutlsDtlsConnection * self, gint code,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);
/* *INDENT-ON* */

static void
fail_locked (GstGnutlsDtlsConnection * self, gint code,
    const gchar * format, ...)
{
  GError *error;
  va_list args;

  if (self->phase == GST_GNUTLS_DTLS_PHASE_FAILED)
    return;

  va_start (args, format);
  error = g_error_new_valist (GST_RESOURCE_ERROR, code, format, args);
  va_end (args);

  GST_WARNING_OBJECT (self, "connection failed: %s", error->message);
  gst_gnutls_dtls_timer_cancel_locked (self);
  set_phase_locked (self, GST_GNUTLS_DTLS_PHASE_FAILED);
  gst_gnutls_dtls_dispatch_queue_locked (self,
      GST_GNUTLS_DTLS_CONNECTION_EVENT_ERROR, error);
  flush_pending_locked (self, FALSE);
}

/* ------------------------------------------------------------------------ */
/* GnuTLS transport                                                         */

/* GnuTLS writes one record per call. Records not yet sent are packed into
 * datagrams of at most mtu bytes, as RFC 6347 4.1.1 allows, so a flight
 * usually travels (and is lost) as one datagram. */
static ssize_t
push_func (gnutls_transport_ptr_t ptr, const void *data, size_t size)
{
  GstGnutlsDtlsConnection *self = ptr;
  GstMiniObject *tail = g_queue_peek_tail (&self->outbox);

  GST_LOG_OBJECT (self, "record of %" G_GSIZE_FORMAT " bytes", size);
  if (tail && GST_IS_BUFFER (tail) &&
      gst_buffer_get_size (GST_BUFFER (tail)) + size <= self->mtu) {
    gpointer copy = g_memdup2 (data, size);

    gst_buffer_append_memory (GST_BUFFER (tail), gst_memory_new_wrapped (0,
            copy, size, 0, size, copy, g_free));
    return size;
  }

  /* a copy of the record in memory of its own size (for a record of
   * application data, one memory block allocated in the thread-local cache
   * of glibc), wrapped */
  tail = GST_MINI_OBJECT (gst_buffer_new_memdup (data, size));
  g_queue_push_tail (&self->outbox, tail);
  if (self->outbox.length > MAX_OUTBOX) {
    GST_WARNING_OBJECT (self, "%u datagrams waiting to be sent, dropping "
        "the oldest", MAX_OUTBOX);
    gst_mini_object_unref (g_queue_pop_head (&self->outbox));
  }
  return size;
}

static ssize_t
pull_func (gnutls_transport_ptr_t ptr, void *data, size_t size)
{
  GstGnutlsDtlsConnection *self = ptr;

  if (!self->incoming) {
    gnutls_transport_set_errno (self->session, EAGAIN);
    return -1;
  }
  /* a datagram is read whole or its tail is lost, as with recv() */
  size = MIN (size, self->incoming_size);
  memcpy (data, self->incoming, size);
  self->incoming = NULL;
  self->incoming_size = 0;
  return size;
}

static int
pull_timeout_func (gnutls_transport_ptr_t ptr, unsigned int ms)
{
  GstGnutlsDtlsConnection *self = ptr;

  return self->incoming ? 1 : 0;
}

/* Runs inside gnutls_handshake(), so with the lock held. */
static int
verify_func (gnutls_session_t session)
{
  GstGnutlsDtlsConnection *self = gnutls_session_get_ptr (session);
  const gnutls_datum_t *certs;
  unsigned int n_certs = 0;
  GError *err = NULL;
  gchar *actual;

  certs = gnutls_certificate_get_peers (session, &n_certs);
  if (!certs || n_certs == 0) {
    self->verify_error = g_strdup ("the peer sent no certificate");
    return -1;
  }

  g_free (self->peer_pem);
  self->peer_pem = gst_gnutls_dtls_pem_from_der (&certs[0]);

  if (!gst_gnutls_dtls_certificate_check_key (&certs[0], &err)) {
    self->verify_error = g_strdup_printf ("the peer certificate is refused: "
        "%s", err->message);
    g_error_free (err);
    return -1;
  }

  if (!self->peer_fingerprint)
    return 0;

  if (self->peer_fingerprint_algo == GNUTLS_DIG_UNKNOWN) {
    self->verify_error = g_strdup_printf ("peer-fingerprint \"%s\" is not a "
        "valid fingerprint", self->peer_fingerprint);
    return -1;
  }

  actual = gst_gnutls_dtls_fingerprint_from_der (&certs[0],
      self->peer_fingerprint_algo);
  if (g_strcmp0 (actual, self->peer_fingerprint) != 0) {
    self->verify_error = g_strdup_printf ("the peer certificate fingerprint "
        "%s does not match the expected peer-fingerprint %s", actual,
        self->peer_fingerprint);
    g_free (actual);
    return -1;
  }
  GST_DEBUG_OBJECT (self, "peer fingerprint verified: %s", actual);
  g_free (actual);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Handshake                                                                */

static void
reset_session_locked (GstGnutlsDtlsConnection * self)
{
  gst_gnutls_dtls_timer_cancel_locked (self);
  if (self->session) {
    gnutls_deinit (self->session);
    self->session = NULL;
  }
  self->deadline = 0;
  self->incoming = NULL;
  self->incoming_size = 0;
  g_clear_pointer (&self->verify_error, g_free);
  g_clear_pointer (&self->peer_pem, g_free);
  gst_gnutls_dtls_client_hello_clear (&self->client_hello);
  gst_clear_caps (&self->srtp_caps[GST_GNUTLS_DTLS_CONNECTION_ENCODER]);
  gst_clear_caps (&self->srtp_caps[GST_GNUTLS_DTLS_CONNECTION_DECODER]);
  self->srtp_profile = NULL;
  g_queue_clear_full (&self->inbox, (GDestroyNotify) gst_buffer_unref);
  g_queue_clear_full (&self->outbox, (GDestroyNotify) gst_mini_object_unref);
  g_queue_clear_full (&self->pending, (GDestroyNotify) gst_mini_object_unref);
  self->pending_bytes = 0;
}

/* Parsed priority strings, shared by all sessions for the life of the
 * process: parsing one costs more than the rest of the session set-up. */
static int
set_priority (gnutls_session_t session, const gchar * priority,
    const char **err_pos)
{
  static GMutex lock;
  static GHashTable *cache;     /* gchar * -> gnutls_priority_t */
  gnutls_priority_t prio;
  int ret = 0;

  g_mutex_lock (&lock);
  if (!cache)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        (GDestroyNotify) gnutls_priority_deinit);
  prio = g_hash_table_lookup (cache, priority);
  if (!prio) {
    ret = gnutls_priority_init (&prio, priority, err_pos);
    if (ret >= 0 && g_hash_table_size (cache) < 16)
      g_hash_table_insert (cache, g_strdup (priority), prio);
    else if (ret >= 0)
      prio = NULL;              /* too many distinct strings: not cached */
  }
  g_mutex_unlock (&lock);

  if (ret < 0)
    return ret;
  if (!prio)
    return gnutls_priority_set_direct (session, priority, err_pos);
  return gnutls_priority_set (session, prio);
}

/* srtp-profiles that this build cannot offer fail the connection before
 * the handshake starts */
static gboolean
check_srtp_profiles_locked (GstGnutlsDtlsConnection * self)
{
  if (self->srtp_profiles_error) {
    fail_locked (self, GST_RESOURCE_ERROR_SETTINGS, "%s",
        self->srtp_profiles_error);
    return FALSE;
  }
  return TRUE;
}

/* Before GnuTLS reads a ClientHello: offer only the SRTP profile we prefer
 * among the client's (see gst_gnutls_dtls_srtp_offer_choose()). Runs
 * inside gnutls_handshake(), so with the lock held. */
static int
client_hello_hook (gnutls_session_t session, unsigned int htype,
    unsigned when, unsigned int incoming, const gnutls_datum_t * msg)
{
  GstGnutlsDtlsConnection *self = gnutls_session_get_ptr (session);

  if (incoming)
    gst_gnutls_dtls_srtp_offer_choose (session, &self->srtp_offer, msg);
  return 0;
}

static gboolean
create_session_locked (GstGnutlsDtlsConnection * self,
    gnutls_dtls_prestate_st * prestate)
{
  GstGnutlsDtlsCertificate *cert;
  const char *err_pos = NULL;
  GError *err = NULL;
  guint flags;
  int ret;

  if (self->pem_error) {
    fail_locked (self, GST_RESOURCE_ERROR_SETTINGS, "Invalid pem property: "
        "%s", self->pem_error);
    return FALSE;
  }
  if (!check_srtp_profiles_locked (self))
    return FALSE;
  cert = ensure_certificate_locked (self, &err);
  if (!cert) {
    fail_locked (self, GST_RESOURCE_ERROR_FAILED, "%s", err->message);
    g_clear_error (&err);
    return FALSE;
  }

  flags = GNUTLS_DATAGRAM | GNUTLS_NONBLOCK;
  flags |= self->is_client ? GNUTLS_CLIENT | GNUTLS_FORCE_CLIENT_CERT :
      GNUTLS_SERVER;
  ret = gnutls_init (&self->session, flags);
  if (ret < 0) {
    self->session = NULL;
    fail_locked (self, GST_RESOURCE_ERROR_FAILED,
        "Could not create a DTLS session: %s", gnutls_strerror (ret));
    return FALSE;
  }

  ret = set_priority (self->session, self->priority, &err_pos);
  if (ret < 0) {
    fail_locked (self, GST_RESOURCE_ERROR_SETTINGS,
        "Invalid priority string \"%s\" (at \"%s\"): %s", self->priority,
        err_pos ? err_pos : "", gnutls_strerror (ret));
    return FALSE;
  }
  ret = gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE,
      gst_gnutls_dtls_certificate_get_credentials (cert));
  if (ret < 0) {
    fail_locked (self, GST_RESOURCE_ERROR_FAILED,
        "Could not use the certificate: %s", gnutls_strerror (ret));
    return FALSE;
  }
  /* A GnuTLS server would pick the first profile of the client's list
   * that it knows; it is given ours only once it has read the client's. */
  if (self->srtp_offer.n_profiles > 0 && !self->is_client)
    gnutls_handshake_set_hook_function (self->session,
        GNUTLS_HANDSHAKE_CLIENT_HELLO, GNUTLS_HOOK_PRE, client_hello_hook);
  else if (self->srtp_offer.n_profiles > 0 &&
      (ret = gst_gnutls_dtls_srtp_offer_set (self->session,
              &self->srtp_offer)) < 0) {
    fail_locked (self, GST_RESOURCE_ERROR_FAILED,
        "Could not offer the SRTP profiles %s: %s", self->srtp_profiles,
        gnutls_strerror (ret));
    return FALSE;
  }
  /* without this a GnuTLS server never asks for, nor verifies, the client
   * certificate */
  if (!self->is_client)
    gnutls_certificate_server_set_request (self->session, GNUTLS_CERT_REQUIRE);
  gnutls_session_set_verify_function (self->session, verify_func);
  gnutls_session_set_ptr (self->session, self);
  gnutls_transport_set_ptr (self->session, self);
  gnutls_transport_set_push_function (self->session, push_func);
  gnutls_transport_set_pull_function (self->session, pull_func);
  gnutls_transport_set_pull_timeout_function (self->session, pull_timeout_func);
  gnutls_dtls_set_mtu (self->session, self->mtu);
  gnutls_dtls_set_timeouts (self->session, self->retransmit_timeout,
      self->handshake_timeout);
  if (prestate)
    gnutls_dtls_prestate_set (self->session, prestate);

  /* a server's deadline runs from when it was ready to receive */
  if (!self->deadline)
    self->deadline = g_get_monotonic_time () +
        (gint64) self->handshake_timeout * 1000;
  GST_DEBUG_OBJECT (self, "created %s session",
      self->is_client ? "client" : "server");
  return TRUE;
}

static void
handshake_complete_locked (GstGnutlsDtlsConnection * self)
{
  gst_gnutls_dtls_timer_cancel_locked (self);

  if (self->srtp_offer.n_profiles > 0) {
    GError *err = NULL;

    if (!gst_gnutls_dtls_srtp_export (self->session, self->is_client,
            &self->srtp_profile,
            &self->srtp_caps[GST_GNUTLS_DTLS_CONNECTION_ENCODER],
            &self->srtp_caps[GST_GNUTLS_DTLS_CONNECTION_DECODER], &err)) {
      gnutls_alert_send (self->session, GNUTLS_AL_FATAL,
          GNUTLS_A_HANDSHAKE_FAILURE);
      fail_locked (self, GST_RESOURCE_ERROR_FAILED, "%s (offered %s); the "
          "peer may not support DTLS-SRTP, or set srtp-profiles to \"\" for "
          "a data-only connection", err->message, self->srtp_profiles);
      g_clear_error (&err);
      return;
    }
    GST_INFO_OBJECT (self, "negotiated %s", self->srtp_profile->name);
    GST_TRACE_OBJECT (self, "SRTP parameters: ours %" GST_PTR_FORMAT
        ", the peer's %" GST_PTR_FORMAT,
        self->srtp_caps[GST_GNUTLS_DTLS_CONNECTION_ENCODER],
        self->srtp_caps[GST_GNUTLS_DTLS_CONNECTION_DECODER]);
    gst_gnutls_dtls_dispatch_queue_locked (self,
        GST_GNUTLS_DTLS_CONNECTION_EVENT_KEYS, NULL);
  }

  if (gst_debug_category_get_threshold (GST_CAT_DEFAULT) >= GST_LEVEL_INFO) {
    gchar *desc = gnutls_session_get_desc (self->session);

    GST_INFO_OBJECT (self, "handshake complete: %s", desc);
    gnutls_free (desc);
  }
  set_phase_locked (self, GST_GNUTLS_DTLS_PHASE_CONNECTED);
  flush_pending_locked (self, TRUE);
}

static void
handshake_step_locked (GstGnutlsDtlsConnection * self)
{
  int ret;

  ret = gnutls_handshake (self->session);
  if (ret == 0) {
    handshake_complete_locked (self);
  } else if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED
      || !gnutls_error_is_fatal (ret)) {
    if (ret != GNUTLS_E_AGAIN)
      GST_DEBUG_OBJECT (self, "handshake: %s", gnutls_strerror (ret));
    gst_gnutls_dtls_timer_schedule_locked (self);
  } else if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
    fail_locked (self, GST_RESOURCE_ERROR_FAILED,
        "The peer aborted the DTLS handshake with the alert \"%s\"",
        gnutls_alert_get_name (gnutls_alert_get (self->session)));
  } else if (ret == GNUTLS_E_TIMEDOUT) {
    fail_locked (self, GST_RESOURCE_ERROR_FAILED,
        "The DTLS handshake timed out after %u ms without an answer from "
        "the peer", self->handshake_timeout);
  } else if (self->verify_error) {
    gnutls_alert_send (self->session, GNUTLS_AL_FATAL,
        GNUTLS_A_BAD_CERTIFICATE);
    fail_locked (self, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
        "DTLS peer verification failed: %s", self->verify_error);
  } else {
    gnutls_alert_send_appropriate (self->session, ret);
    fail_locked (self, GST_RESOURCE_ERROR_FAILED,
        "The DTLS handshake failed: %s", gnutls_strerror (ret));
  }
}

/* How long a push of handshake records may stay blocked downstream before
 * the encoder says so */
#define BLOCKED_PUSH_WARNING_MS 2000

/* Says once per handshake that the encoder's downstream holds the
 * handshake records (typically a sink waiting for the pipeline to preroll,
 * which here needs the handshake first) */
static void
check_blocked_push_locked (GstGnutlsDtlsConnection * self)
{
  if (self->records_since == GST_GNUTLS_DTLS_RECORDS_UNTIMED) {
    self->records_since = g_get_monotonic_time ();
    return;
  }
  if (self->warned_blocked || !self->records_since ||
      g_get_monotonic_time () - self->records_since <
      BLOCKED_PUSH_WARNING_MS * 1000)
    return;
  self->warned_blocked = TRUE;
  gst_gnutls_dtls_dispatch_queue_locked (self,
      GST_GNUTLS_DTLS_CONNECTION_EVENT_WARNING,
      g_error_new (GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE,
          "The DTLS handshake is stuck: the element after the encoder has "
          "not taken its records for %d ms. If it is a sink (udpsink...) "
          "waiting for the pipeline to preroll while the other sinks wait "
          "for media that needs the handshake, set async=false on it.",
          BLOCKED_PUSH_WARNING_MS));
}

/* A timer expired: resends the flight if GnuTLS says it is due, or fails
 * the handshake past its deadline (also a server that never got a
 * ClientHello). On a pool worker. */
void
gst_gnutls_dtls_connection_timer_expired_locked (GstGnutlsDtlsConnection * self)
{
  if (self->phase != GST_GNUTLS_DTLS_PHASE_HANDSHAKING &&
      self->phase != GST_GNUTLS_DTLS_PHASE_LISTENING)
    return;
  check_blocked_push_locked (self);
  if (g_get_monotonic_time () >= self->deadline) {
    if (self->phase == GST_GNUTLS_DTLS_PHASE_HANDSHAKING)
      fail_locked (self, GST_RESOURCE_ERROR_FAILED,
          "The DTLS handshake timed out after %u ms without an answer from "
          "the peer", self->handshake_timeout);
    else
      fail_locked (self, GST_RESOURCE_ERROR_FAILED,
          "The DTLS handshake timed out after %u ms: no ClientHello came "
          "from the peer", self->handshake_timeout);
  } else if (self->phase == GST_GNUTLS_DTLS_PHASE_HANDSHAKING) {
    GST_LOG_OBJECT (self, "retransmission timer");
    handshake_step_locked (self);
  } else {
    gst_gnutls_dtls_timer_schedule_locked (self);
  }
}

/* One buffer of application data, as a list once there are several */
static void
add_app_data (GstMiniObject ** app_data, GstBuffer * buffer)
{
  GstBufferList *list;

  if (!*app_data) {
    *app_data = GST_MINI_OBJECT_CAST (buffer);
    return;
  }
  if (GST_IS_BUFFER (*app_data)) {
    list = gst_buffer_list_new ();
    gst_buffer_list_add (list, GST_BUFFER_CAST (*app_data));
    *app_data = GST_MINI_OBJECT_CAST (list);
  }
  gst_buffer_list_add (GST_BUFFER_LIST_CAST (*app_data), buffer);
}

/* Handles one DTLS record */
static void
receive_record_locked (GstGnutlsDtlsConnection * self, const guint8 * data,
    gsize size, GstMiniObject ** app_data, gboolean * closed)
{
  GByteArray *owned_hello = NULL;
  guint warnings = 0;

  switch (self->phase) {
    case GST_GNUTLS_DTLS_PHASE_LISTENING:
    case GST_GNUTLS_DTLS_PHASE_HANDSHAKING:
    case GST_GNUTLS_DTLS_PHASE_CONNECTED:
      break;
    case GST_GNUTLS_DTLS_PHASE_CLOSING:
      /* after our own close_notify we still read, to see the peer's */
      break;
    default:
      GST_LOG_OBJECT (self, "dropping record, connection is %s",
          phase_names[self->phase]);
      return;
  }

  if (self->phase == GST_GNUTLS_DTLS_PHASE_LISTENING) {
    gnutls_dtls_prestate_st prestate;
    gboolean have_prestate = FALSE;

    switch (gst_gnutls_dtls_client_hello_add (&self->client_hello, data,
            size, &data, &size)) {
      case GST_GNUTLS_DTLS_CLIENT_HELLO_COMPLETE:
        break;
      case GST_GNUTLS_DTLS_CLIENT_HELLO_PARTIAL:
        GST_DEBUG_OBJECT (self, "ClientHello fragment, %u bytes missing",
            self->client_hello.missing);
        return;
      default:
        GST_DEBUG_OBJECT (self, "not a ClientHello, dropped");
        return;
    }
    if (self->cookie_exchange) {
      GByteArray *reply = g_byte_array_new ();

      switch (gst_gnutls_dtls_cookie_check
          (gst_gnutls_dtls_cookie_secret_get_default (),
              g_get_monotonic_time (), self->id, data, size, &prestate,
              reply)) {
        case GST_GNUTLS_DTLS_COOKIE_VALID:
          have_prestate = TRUE;
          break;
        case GST_GNUTLS_DTLS_COOKIE_REQUESTED:
          GST_DEBUG_OBJECT (self, "answering ClientHello with "
              "HelloVerifyRequest");
          push_func (self, reply->data, reply->len);
          break;
        case GST_GNUTLS_DTLS_COOKIE_MALFORMED:
          GST_DEBUG_OBJECT (self, "dropping a ClientHello GnuTLS cannot "
              "read");
          break;
      }
      g_byte_array_unref (reply);
      if (!have_prestate)
        return;
    }
    if (!create_session_locked (self, have_prestate ? &prestate : NULL))
      return;
    set_phase_locked (self, GST_GNUTLS_DTLS_PHASE_HANDSHAKING);
    /* hello (if reassembled) stays alive until the end of this function */
    owned_hello = gst_gnutls_dtls_client_hello_steal (&self->client_hello);
  }

  self->incoming = data;
  self->incoming_size = size;

  if (self->phase == GST_GNUTLS_DTLS_PHASE_HANDSHAKING)
    handshake_step_locked (self);

  /* After the handshake, keep reading: application data, close_notify, and
   * a retransmitted peer flight, which makes GnuTLS resend our last one. */
  while (self->phase == GST_GNUTLS_DTLS_PHASE_CONNECTED ||
      self->phase == GST_GNUTLS_DTLS_PHASE_CLOSING) {
    gnutls_packet_t packet = NULL;
    int ret;

    ret = gnutls_record_recv_packet (self->session, &packet);
    if (ret > 0) {
      gnutls_datum_t d;

      /* the decrypted record is handed on without a copy */
      gnutls_packet_get (packet, &d, NULL);
      add_app_data (app_data,
          gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY, d.data,
              d.size, 0, d.size, packet,
              (GDestroyNotify) gnutls_packet_deinit));
      /* The record fed was read whole and nothing decrypted waits: a
       * further read could only find the transport empty. */
      if (!self->incoming && !gnutls_record_check_pending (self->session))
        break;
    } else if (ret == 0) {
      GST_INFO_OBJECT (self, "peer sent close_notify");
      set_phase_locked (self, self->phase == GST_GNUTLS_DTLS_PHASE_CONNECTED ?
          GST_GNUTLS_DTLS_PHASE_PEER_CLOSED : GST_GNUTLS_DTLS_PHASE_CLOSED);
      *closed = TRUE;
    } else if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) {
      break;
    } else if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
      fail_locked (self, GST_RESOURCE_ERROR_READ,
          "The DTLS peer closed the connection with the alert \"%s\"",
          gnutls_alert_get_name (gnutls_alert_get (self->session)));
    } else if (ret == GNUTLS_E_REHANDSHAKE) {
      guint8 discard[64];

      /* A renegotiating ClientHello, or a HelloRequest: refused, and the
       * connection goes on with the keys it has (RFC 5246 7.2.2). Left
       * unanswered, the peer would retransmit until it gives up. */
      GST_INFO_OBJECT (self, "refusing the peer's renegotiation");
      gnutls_alert_send (self->session, GNUTLS_AL_WARNING,
          GNUTLS_A_NO_RENEGOTIATION);
      /* A server session keeps the ClientHello queued for a handshake we
       * will not run. gnutls_record_recv() discards it (returning
       * GNUTLS_E_AGAIN); gnutls_record_recv_packet() would too, but leaks
       * it (GnuTLS 3.7.9: 16 KiB for every attempt of the peer). */
      if (!self->is_client)
        gnutls_record_recv (self->session, discard, sizeof (discard));
      if (++warnings > 16)
        break;
    } else if (!gnutls_error_is_fatal (ret)) {
      /* a warning alert...: go on reading, but never spin on one that
       * would not go away */
      GST_DEBUG_OBJECT (self, "record: %s", gnutls_strerror (ret));
      if (++warnings > 16)
        break;
    } else {
      fail_locked (self, GST_RESOURCE_ERROR_READ,
          "DTLS connection error: %s", gnutls_strerror (ret));
    }
  }

  self->incoming = NULL;
  self->incoming_size = 0;
  if (owned_hello)
    g_byte_array_unref (owned_hello);
}

/* Feeds the records of a datagram to GnuTLS one at a time.
 *
 * GnuTLS handles a datagram of several records poorly: once the handshake
 * is over, an old-epoch record (a retransmitted peer flight, as OpenSSL and
 * we pack them) makes it drop the rest of the datagram, so it would never
 * notice that our last flight was lost; and a record cut short by the end
 * of the datagram is kept and glued to the next one. Splitting here, and
 * dropping what is not a complete record, sidesteps both (RFC 6347 4.1.2.7:
 * invalid records are silently discarded). */
static void
receive_locked (GstGnutlsDtlsConnection * self, const guint8 * data,
    gsize size, GstMiniObject ** app_data, gboolean * closed)
{
  GstGnutlsDtlsRecordIter iter;
  GstGnutlsDtlsRecord record;
  gsize dropped;

  gst_gnutls_dtls_record_iter_init (&iter, data, size);
  while (gst_gnutls_dtls_record_iter_next (&iter, &record))
    receive_record_locked (self, record.data, record.size, app_data, closed);
  dropped = gst_gnutls_dtls_record_iter_remaining (&iter);
  if (dropped > 0)
    GST_DEBUG_OBJECT (self, "dropped %" G_GSIZE_FORMAT " bytes of a %"
        G_GSIZE_FORMAT "-byte datagram that are not a DTLS record",
        dropped, size);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */

/**
 * gst_gnutls_dtls_connection_attach:
 * @role: which of the two elements @element is
 * @notify: called, never with the connection lock held, for every event
 *
 * The connection keeps only a weak reference to @element.
 *
 * Returns: (transfer full) (nullable): %NULL, or the other element that
 * already holds @role (then @element is not attached)
 */
GstElement *
gst_gnutls_dtls_connection_attach (GstGnutlsDtlsConnection * self,
    GstGnutlsDtlsConnectionRole role, GstElement * element,
    GstGnutlsDtlsConnectionNotify notify)
{
  GstElement *holder;

  g_mutex_lock (&self->lock);
  holder = g_weak_ref_get (&self->elements[role]);
  if (holder == element)
    gst_clear_object (&holder);
  if (!holder) {
    g_weak_ref_set (&self->elements[role], element);
    self->attached[role] = element;
    self->notify[role] = notify;
  }
  g_mutex_unlock (&self->lock);
  return holder;
}

void
gst_gnutls_dtls_connection_detach (GstGnutlsDtlsConnection * self,
    GstGnutlsDtlsConnectionRole role, GstElement * element)
{
  GstElement *current;

  g_mutex_lock (&self->lock);
  current = g_weak_ref_get (&self->elements[role]);
  if (current == element || current == NULL) {
    g_weak_ref_set (&self->elements[role], NULL);
    self->attached[role] = NULL;
    self->notify[role] = NULL;
  }
  g_mutex_unlock (&self->lock);
  if (current)
    gst_object_unref (current);
}

void
gst_gnutls_dtls_connection_start (GstGnutlsDtlsConnection * self)
{
  GstBuffer *buf;
  GQueue inbox = G_QUEUE_INIT;

  g_mutex_lock (&self->lock);
  switch (self->phase) {
    case GST_GNUTLS_DTLS_PHASE_NEW:
    case GST_GNUTLS_DTLS_PHASE_STOPPED:
    case GST_GNUTLS_DTLS_PHASE_FAILED:
      /* keep what the decoder received before we started */
      inbox = self->inbox;
      g_queue_init (&self->inbox);
      reset_session_locked (self);
      self->warned_blocked = FALSE;
      if (self->is_client) {
        /* the session is made at once; if it cannot be, FAILED follows */
        set_phase_locked (self, GST_GNUTLS_DTLS_PHASE_HANDSHAKING);
        if (create_session_locked (self, NULL))
          handshake_step_locked (self);
      } else {
        /* the handshake timeout runs from now, ClientHello or not */
        set_phase_locked (self, GST_GNUTLS_DTLS_PHASE_LISTENING);
        if (!check_srtp_profiles_locked (self))
          break;
        self->deadline = g_get_monotonic_time () +
            (gint64) self->handshake_timeout * 1000;
        gst_gnutls_dtls_timer_schedule_locked (self);
      }
      break;
    default:
      GST_DEBUG_OBJECT (self, "already started");
      break;
  }
  while ((buf = g_queue_pop_head (&inbox))) {
    GstMiniObject *app_data = NULL;
    gboolean closed = FALSE;
    GstMapInfo map;

    if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
      receive_locked (self, map.data, map.size, &app_data, &closed);
      gst_buffer_unmap (buf, &map);
    }
    if (app_data)
      gst_mini_object_unref (app_data);
    gst_buffer_unref (buf);
  }
  g_mutex_unlock (&self->lock);

  /* Not from here: start is called by the encoder's state change, and a
   * downstream sink still in PAUSED would block the push (and with it the
   * state change) until PLAYING. */
  gst_gnutls_dtls_pool_dispatch (self);
}

void
gst_gnutls_dtls_connection_stop (GstGnutlsDtlsConnection * self)
{
  g_mutex_lock (&self->lock);
  reset_session_locked (self);
  /* a failure stays visible until the next start */
  if (self->phase != GST_GNUTLS_DTLS_PHASE_NEW &&
      self->phase != GST_GNUTLS_DTLS_PHASE_FAILED)
    set_phase_locked (self, GST_GNUTLS_DTLS_PHASE_STOPPED);
  g_mutex_unlock (&self->lock);

  gst_gnutls_dtls_dispatch (self);
}

GstMiniObject *
gst_gnutls_dtls_connection_receive (GstGnutlsDtlsConnection * self,
    GstBuffer * datagram, gboolean * closed)
{
  GstMiniObject *app_data = NULL;
  GstMapInfo map;

  *closed = FALSE;

  g_mutex_lock (&self->lock);
  if (self->phase == GST_GNUTLS_DTLS_PHASE_NEW ||
      self->phase == GST_GNUTLS_DTLS_PHASE_STOPPED) {
    if (self->inbox.length < MAX_INBOX) {
      GST_DEBUG_OBJECT (self, "not started yet, keeping datagram");
      g_queue_push_tail (&self->inbox, gst_buffer_ref (datagram));
    }
  } else if (gst_buffer_map (datagram, &map, GST_MAP_READ)) {
    receive_locked (self, map.data, map.size, &app_data, closed);
    gst_buffer_unmap (datagram, &map);
  }
  gst_gnutls_dtls_dispatch_unlock (self, NULL);

  return app_data;
}

GstFlowReturn
gst_gnutls_dtls_connection_send (GstGnutlsDtlsConnection * self,
    GstElement * encoder, GstBuffer * data, GError ** error)
{
  gsize size;

  g_mutex_lock (&self->lock);
  switch (self->phase) {
    case GST_GNUTLS_DTLS_PHASE_CONNECTED:{
      GstMapInfo map;
      int ret;

      if (!gst_buffer_map (data, &map, GST_MAP_READ))
        break;
      /* the record goes to the outbox, which this thread pushes below */
      ret = gnutls_record_send (self->session, map.data, map.size);
      gst_buffer_unmap (data, &map);
      if (G_UNLIKELY (ret < 0)) {
        if (ret == GNUTLS_E_LARGE_PACKET)
          g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_ENCODE,
              "Dropped a buffer of %" G_GSIZE_FORMAT " bytes: a DTLS record "
              "carries at most %u bytes with mtu %u; raise mtu or send "
              "smaller buffers", map.size,
              gnutls_dtls_get_data_mtu (self->session), self->mtu);
        else
          g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_ENCODE,
              "Could not encrypt %" G_GSIZE_FORMAT " bytes: %s", map.size,
              gnutls_strerror (ret));
      }
      break;
    }
    case GST_GNUTLS_DTLS_PHASE_NEW:
    case GST_GNUTLS_DTLS_PHASE_LISTENING:
    case GST_GNUTLS_DTLS_PHASE_HANDSHAKING:
      size = gst_buffer_get_size (data);
      if (pending_eos_locked (self)) {
        GST_LOG_OBJECT (self, "after EOS, dropping application data");
      } else if (self->pending_bytes + size > MAX_PENDING_BYTES) {
        g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_ENCODE,
            "Dropped %" G_GSIZE_FORMAT " bytes of application data: more "
            "than %u bytes are already waiting for the DTLS handshake", size,
            MAX_PENDING_BYTES);
      } else {
        g_queue_push_tail (&self->pending, gst_buffer_ref (data));
        self->pending_bytes += size;
      }
      break;
    default:
      GST_LOG_OBJECT (self, "connection over, dropping application data");
      break;
  }

  return gst_gnutls_dtls_dispatch_unlock (self, encoder);
}

/**
 * gst_gnutls_dtls_connection_finish:
 * @eos: (transfer full): the EOS event to push downstream of the encoder
 *
 * The application data is over: sends close_notify then pushes @eos. During
 * the handshake both wait for its end, so the data queued until then is
 * sent first and the handshake records still go out.
 */
void
gst_gnutls_dtls_connection_finish (GstGnutlsDtlsConnection * self,
    GstEvent * eos)
{
  g_mutex_lock (&self->lock);
  if (self->phase == GST_GNUTLS_DTLS_PHASE_NEW ||
      self->phase == GST_GNUTLS_DTLS_PHASE_LISTENING ||
      self->phase == GST_GNUTLS_DTLS_PHASE_HANDSHAKING) {
    GST_DEBUG_OBJECT (self, "EOS during the handshake, held until its end");
    if (pending_eos_locked (self))
      gst_event_unref (g_queue_pop_tail (&self->pending));
    g_queue_push_tail (&self->pending, eos);
  } else {
    close_locked (self);
    g_queue_push_tail (&self->outbox, eos);
  }
  g_mutex_unlock (&self->lock);

  gst_gnutls_dtls_dispatch (self);
}

static GstBuffer *
srtp_key_locked (GstGnutlsDtlsConnection * self,
    GstGnutlsDtlsConnectionRole role)
{
  const GValue *v;

  if (!self->srtp_caps[role])
    return NULL;
  v = gst_structure_get_value (gst_caps_get_structure (self->srtp_caps[role],
          0), "srtp-key");
  return gst_buffer_ref (gst_value_get_buffer (v));
}

gboolean
gst_gnutls_dtls_connection_get_srtp_keys (GstGnutlsDtlsConnection * self,
    GstBuffer ** local, GstBuffer ** remote, guint * cipher, guint * auth,
    const gchar ** profile)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = self->srtp_profile != NULL;
  if (local)
    *local = srtp_key_locked (self, GST_GNUTLS_DTLS_CONNECTION_ENCODER);
  if (remote)
    *remote = srtp_key_locked (self, GST_GNUTLS_DTLS_CONNECTION_DECODER);
  if (cipher)
    *cipher = ok ? self->srtp_profile->srtp_cipher : 0;
  if (auth)
    *auth = ok ? self->srtp_profile->srtp_auth : 0;
  if (profile)
    *profile = ok ? self->srtp_profile->name : NULL;
  g_mutex_unlock (&self->lock);
  return ok;
}

GstCaps *
gst_gnutls_dtls_connection_get_srtp_caps (GstGnutlsDtlsConnection * self,
    GstGnutlsDtlsConnectionRole role)
{
  GstCaps *caps;

  g_mutex_lock (&self->lock);
  caps = self->srtp_caps[role] ? gst_caps_ref (self->srtp_caps[role]) : NULL;
  g_mutex_unlock (&self->lock);
  return caps;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
gst_gnutls_dtls_connection_finalize (GObject * object)
{
  GstGnutlsDtlsConnection *self = GST_GNUTLS_DTLS_CONNECTION (object);

  if (self->id)
    gst_gnutls_dtls_registry_remove (self->id);
  reset_session_locked (self);
  g_queue_clear_full (&self->events,
      (GDestroyNotify) gst_gnutls_dtls_dispatch_event_free);
  g_clear_pointer (&self->certificate, gst_gnutls_dtls_certificate_unref);
  g_free (self->pem_error);
  g_free (self->peer_fingerprint);
  g_free (self->srtp_profiles);
  g_free (self->srtp_profiles_error);
  g_free (self->priority);
  g_free (self->id);
  g_weak_ref_clear (&self->elements[0]);
  g_weak_ref_clear (&self->elements[1]);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->dispatch_cond);

  G_OBJECT_CLASS (gst_gnutls_dtls_connection_parent_class)->finalize (object);
}

static void
gst_gnutls_dtls_connection_class_init (GstGnutlsDtlsConnectionClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  guint i;

  gobject_class->set_property = gst_gnutls_dtls_connection_set_property;
  gobject_class->get_property = gst_gnutls_dtls_connection_get_property;
  gobject_class->finalize = gst_gnutls_dtls_connection_finalize;

  for (i = 1; i < N_PROPS; i++)
    properties[i] = make_pspec (i, 0);
  g_object_class_install_properties (gobject_class, N_PROPS, properties);

  if (!gst_gnutls_dtls_connection_debug)
    GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_connection_debug,
        "gnutlsdtlsconnection", 0, "GnuTLS DTLS connection");

  gst_gnutls_dtls_pool_init ();
}

static void
gst_gnutls_dtls_connection_init (GstGnutlsDtlsConnection * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->dispatch_cond);
  g_weak_ref_init (&self->elements[0], NULL);
  g_weak_ref_init (&self->elements[1], NULL);

  self->is_client = DEFAULT_IS_CLIENT;
  self->certificate_type = DEFAULT_CERTIFICATE_TYPE;
  self->srtp_profiles = g_strdup (DEFAULT_SRTP_PROFILES);
  if (!gst_gnutls_dtls_srtp_offer_parse (DEFAULT_SRTP_PROFILES,
          &self->srtp_offer, NULL))
    g_assert_not_reached ();
  self->mtu = DEFAULT_MTU;
  self->handshake_timeout = DEFAULT_HANDSHAKE_TIMEOUT;
  self->retransmit_timeout = DEFAULT_RETRANSMIT_TIMEOUT;
  self->cookie_exchange = DEFAULT_COOKIE_EXCHANGE;
  self->priority = g_strdup (DEFAULT_PRIORITY);
  self->phase = GST_GNUTLS_DTLS_PHASE_NEW;

}
