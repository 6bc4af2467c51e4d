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

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_gnutls_dtls_connection_debug);

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
  guint mtu;
  guint handshake_timeout;      /* ms */
  guint retransmit_timeout;     /* ms */
  gboolean cookie_exchange;
  gchar *priority;

  /* session */
  GstGnutlsDtlsConnectionState state;
  gboolean started;             /* the encoder can send */
  gnutls_session_t session;
  gboolean handshake_done;
  gboolean sent_close;          /* our close_notify */
  gboolean received_close;      /* the peer's close_notify */
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
  GQueue pending;               /* GstBuffer app data until connected */
  GstEvent *pending_eos;        /* EOS received before the handshake ended */
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
  gint64 records_since;         /* monotonic us the current push began */
  gboolean warned_blocked;      /* the blocked-push warning was queued */
  GstFlowReturn enc_flow;       /* what the encoder's last push returned */

  /* negotiated */
  GstBuffer *local_key;
  GstBuffer *remote_key;
  guint srtp_cipher;
  guint srtp_auth;
  const gchar *srtp_profile;

  GWeakRef elements[2];
  GstGnutlsDtlsConnectionNotify notify[2];
};

/* A retransmission timer of the connection expired (gstgnutlsdtlspool.c) */
G_GNUC_INTERNAL
void gst_gnutls_dtls_connection_timer_expired_locked (GstGnutlsDtlsConnection *
    self);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_CONNECTION_PRIVATE_H__ */
