/* GStreamer GnuTLS DTLS-SRTP suite: the fields of a DTLS connection, for
 * the files that make it up (gstgnutlsdtlsconnection.c and the dispatcher,
 * pool and registry beside it). Elements use gstgnutlsdtlsconnection.h.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_CONNECTION_PRIVATE_H__
#define __GST_GNUTLS_DTLS_CONNECTION_PRIVATE_H__

#include <gnutls/gnutls.h>

#include "gstgnutlsdtlsconnection.h"
#include "gstgnutlsdtlscertificate.h"
#include "gstgnutlsdtlsclienthello.h"
#include "gstgnutlsdtlsusesrtp.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_gnutls_dtls_connection_debug);

/* Where a connection is in its life. One variable holds it and one
 * function, set_phase_locked() in gstgnutlsdtlsconnection.c, moves it;
 * connection-state is derived from it (in brackets).
 *
 *   NEW --start--> LISTENING (server) --ClientHello with cookie--> HANDSHAKING
 *   NEW --start--> HANDSHAKING (client)
 *   HANDSHAKING --done--> CONNECTED
 *   CONNECTED --our close_notify--> CLOSING --the peer's--> CLOSED
 *   CONNECTED --the peer's close_notify--> PEER_CLOSED --ours--> CLOSED
 *   any but NEW --error, alert, timeout--> FAILED
 *   any but NEW and FAILED --stop--> STOPPED
 *   STOPPED or FAILED --start--> LISTENING or HANDSHAKING (a new session)
 */
typedef enum
{
  /* [new] the encoder has not started yet: what the decoder receives
   * waits for it (inbox) */
  GST_GNUTLS_DTLS_PHASE_NEW,
  /* [connecting] a server without a session: only ClientHello records are
   * taken, answered with cookies (gstgnutlsdtlsclienthello.c) */
  GST_GNUTLS_DTLS_PHASE_LISTENING,
  /* [connecting] the session exists and the handshake runs, with its
   * retransmission timer and deadline */
  GST_GNUTLS_DTLS_PHASE_HANDSHAKING,
  /* [connected] keys exported, application data flows both ways */
  GST_GNUTLS_DTLS_PHASE_CONNECTED,
  /* [closed] we sent close_notify; records are still read, to see the
   * peer's */
  GST_GNUTLS_DTLS_PHASE_CLOSING,
  /* [closed] the peer sent close_notify; ours goes out with the EOS of
   * gst_gnutls_dtls_connection_finish() */
  GST_GNUTLS_DTLS_PHASE_PEER_CLOSED,
  /* [closed] both sides sent close_notify */
  GST_GNUTLS_DTLS_PHASE_CLOSED,
  /* [failed] for good, until the encoder starts again; records dropped */
  GST_GNUTLS_DTLS_PHASE_FAILED,
  /* [closed] the encoder stopped: no session; as in NEW, what the decoder
   * receives waits for the next start */
  GST_GNUTLS_DTLS_PHASE_STOPPED,
} GstGnutlsDtlsPhase;

struct _GstGnutlsDtlsConnection
{
  GstObject parent;

  gchar *id;                    /* immutable */

  GMutex lock;                  /* protects everything below */

  /* configuration */
  gboolean is_client;
  GstGnutlsDtlsCertificateType certificate_type;
  GstGnutlsDtlsCertificate *certificate;        /* NULL until set or needed */
  gchar *pem_error;             /* why the pem set was refused */
  gchar *peer_fingerprint;      /* normalized, or NULL */
  gnutls_digest_algorithm_t peer_fingerprint_algo;
  gchar *srtp_profiles;
  GstGnutlsDtlsSrtpOffer srtp_offer;    /* srtp_profiles parsed */
  gchar *srtp_profiles_error;   /* why srtp_profiles was refused */
  guint mtu;
  guint handshake_timeout;      /* ms */
  guint retransmit_timeout;     /* ms */
  gboolean cookie_exchange;
  gchar *priority;

  /* session */
  GstGnutlsDtlsPhase phase;
  gnutls_session_t session;     /* from HANDSHAKING on, until a stop */
  gint64 deadline;              /* monotonic us, 0 = none */
  GstClockID timer;
  const guint8 *incoming;       /* datagram the pull function returns */
  gsize incoming_size;
  gchar *verify_error;          /* why the verify function refused */
  GstGnutlsDtlsClientHello client_hello;        /* being reassembled */
  gchar *peer_pem;

  GQueue inbox;                 /* GstBuffer received before start */
  GQueue outbox;                /* GstBuffer datagrams, and GstEvent to send
                                 * after them, not yet pushed */
  GQueue pending;               /* GstBuffer app data until connected, then
                                 * maybe the GstEvent EOS that ends it */
  gsize pending_bytes;
  GQueue events;                /* GstGnutlsDtlsConnectionEvent to deliver */
  /* Delivery runs in two lanes, each held by one thread at a time: records
   * for the encoder (a push that may block for ever), and the other events
   * (notifications and bus messages, which never block). Neither waits for
   * the other. */
  GThread *records_dispatcher;  /* the thread pushing records, or NULL */
  GThread *events_dispatcher;   /* the thread delivering events, or NULL */
  GCond dispatch_cond;          /* signalled when the records lane is free */
  guint dispatch_waiters;
  gint64 records_since;         /* monotonic us the current push began, 0
                                 * without one, or RECORDS_UNTIMED */
  gboolean warned_blocked;      /* the blocked-push warning was queued */

  /* negotiated: the profile, and the SRTP parameters of each direction
   * (what we send, indexed ENCODER, and what the peer sends, DECODER) */
  const GstGnutlsSrtpProfile *srtp_profile;
  GstCaps *srtp_caps[2];

  GWeakRef elements[2];
  /* the same elements, only compared with the encoder that sends
   * application data, which holds a reference to itself */
  gpointer attached[2];
  GstGnutlsDtlsConnectionNotify notify[2];
};

/* records_since of a push begun after the handshake: the clock is read at
 * the first check, if a new handshake comes while it still blocks */
#define GST_GNUTLS_DTLS_RECORDS_UNTIMED G_MININT64

/* connection-state as the elements see it, for a phase */
G_GNUC_INTERNAL
GstGnutlsDtlsConnectionState
gst_gnutls_dtls_connection_state_of_phase (GstGnutlsDtlsPhase phase);

/* A retransmission timer of the connection expired (gstgnutlsdtlspool.c) */
G_GNUC_INTERNAL
void gst_gnutls_dtls_connection_timer_expired_locked (GstGnutlsDtlsConnection *
    self);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_CONNECTION_PRIVATE_H__ */
