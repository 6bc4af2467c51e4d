/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef __GST_GNUTLS_DTLS_CONNECTION_H__
#define __GST_GNUTLS_DTLS_CONNECTION_H__

#include <gst/gst.h>

#include "gstgnutlsdtlsenums.h"
#include "gstgnutlsdtlsenumtypes.h"

G_BEGIN_DECLS

#define GST_TYPE_GNUTLS_DTLS_CONNECTION (gst_gnutls_dtls_connection_get_type ())
G_DECLARE_FINAL_TYPE (GstGnutlsDtlsConnection, gst_gnutls_dtls_connection,
    GST, GNUTLS_DTLS_CONNECTION, GstObject)

/**
 * GstGnutlsDtlsConnection:
 *
 * One DTLS association, shared by the encoder and the decoder that use the
 * same `connection-id`. It owns the GnuTLS session, drives the handshake and
 * exports the SRTP keys.
 *
 * Configuration is done with GObject properties (the elements forward
 * theirs, see gst_gnutls_dtls_connection_install_properties()):
 * `is-client`, `pem`, `certificate-type`, `peer-fingerprint`,
 * `srtp-profiles`, `mtu`, `handshake-timeout`, `retransmit-timeout`,
 * `cookie-exchange`, `priority`; and read-only `fingerprint`, `peer-pem`,
 * `connection-state`, `srtp-cipher`, `srtp-auth`, `srtp-profile`.
 *
 * Threading: every function may be called from any thread. Elements are
 * told about what happened through their #GstGnutlsDtlsConnectionNotify
 * callback, never while the connection's lock is held, in the order the
 * events happened, by one thread at a time; not necessarily by the thread
 * that caused them (it leaves them to the thread already delivering).
 */

/**
 * GstGnutlsDtlsConnectionRole:
 *
 * The element a connection is talking to.
 */
typedef enum
{
  GST_GNUTLS_DTLS_CONNECTION_ENCODER,
  GST_GNUTLS_DTLS_CONNECTION_DECODER
} GstGnutlsDtlsConnectionRole;

typedef enum
{
  /* connection-state changed; event->state is the new one */
  GST_GNUTLS_DTLS_CONNECTION_EVENT_STATE,
  /* the SRTP keys are available (gst_gnutls_dtls_connection_get_srtp_caps) */
  GST_GNUTLS_DTLS_CONNECTION_EVENT_KEYS,
  /* fatal error, event->error says why; only sent to one element (the
   * decoder if there is one) so the bus gets one message */
  GST_GNUTLS_DTLS_CONNECTION_EVENT_ERROR,
  /* DTLS datagrams to push, event->buffer (one) or event->records
   * (several), or an event to push after them, event->event (the EOS of
   * gst_gnutls_dtls_connection_finish()); encoder only, after
   * gst_gnutls_dtls_connection_start() */
  GST_GNUTLS_DTLS_CONNECTION_EVENT_RECORDS,
  /* something the user should know, event->error says what; encoder
   * only (the encoder's downstream holds the handshake) */
  GST_GNUTLS_DTLS_CONNECTION_EVENT_WARNING,
} GstGnutlsDtlsConnectionEventType;

typedef struct
{
  GstGnutlsDtlsConnectionEventType type;
  GstGnutlsDtlsConnectionState state;
  GError *error;
  GstBuffer *buffer;
  GstBufferList *records;
  GstEvent *event;
} GstGnutlsDtlsConnectionEvent;

/* Returns what pushing the records gave (GST_FLOW_OK for other events) */
typedef GstFlowReturn (*GstGnutlsDtlsConnectionNotify) (GstElement * element,
    const GstGnutlsDtlsConnectionEvent * event);

/* Registry: the connection of @connection_id, created when needed. The
 * registry only holds weak references. */
G_GNUC_INTERNAL
GstGnutlsDtlsConnection *
gst_gnutls_dtls_connection_get (const gchar * connection_id);

/* Returns NULL, or (a reference to) the element already attached in @role */
G_GNUC_INTERNAL
GstElement *gst_gnutls_dtls_connection_attach (GstGnutlsDtlsConnection * self,
                                        GstGnutlsDtlsConnectionRole role,
                                        GstElement * element,
                                        GstGnutlsDtlsConnectionNotify notify);
G_GNUC_INTERNAL
void gst_gnutls_dtls_connection_detach (GstGnutlsDtlsConnection * self,
                                        GstGnutlsDtlsConnectionRole role,
                                        GstElement * element);

/* The encoder can send records: start the handshake (if not yet started) and
 * flush what is waiting. */
G_GNUC_INTERNAL
void gst_gnutls_dtls_connection_start (GstGnutlsDtlsConnection * self);
/* The encoder stopped: no more records are sent, the session is dropped and
 * a later start makes a fresh handshake. */
G_GNUC_INTERNAL
void gst_gnutls_dtls_connection_stop (GstGnutlsDtlsConnection * self);

/* Feed one datagram received from the peer. Returns the application data it
 * carried, if any: a GstBuffer for one record of it (the usual case), a
 * GstBufferList for several; sets @closed when the peer sent close_notify. */
G_GNUC_INTERNAL
GstMiniObject *
gst_gnutls_dtls_connection_receive (GstGnutlsDtlsConnection * self,
    GstBuffer * datagram, gboolean * closed);
/* Send application data from @encoder's streaming thread; queued (bounded)
 * until the handshake completes. The records are pushed by this thread
 * (after those another thread is pushing), which returns what downstream of
 * the encoder answered to them; @error is set when @data was dropped (too
 * big for a record, or too much waiting for the handshake). */
G_GNUC_INTERNAL
GstFlowReturn gst_gnutls_dtls_connection_send (GstGnutlsDtlsConnection * self,
                                               GstElement * encoder,
                                               GstBuffer * data,
                                               GError ** error);
/* EOS on the encoder: close_notify then @eos, after the handshake if one is
 * running */
G_GNUC_INTERNAL
void gst_gnutls_dtls_connection_finish (GstGnutlsDtlsConnection * self,
                                        GstEvent * eos);

/**
 * gst_gnutls_dtls_connection_get_srtp_caps:
 * @role: %GST_GNUTLS_DTLS_CONNECTION_ENCODER for the SRTP parameters we
 *   protect with, %GST_GNUTLS_DTLS_CONNECTION_DECODER for the peer's
 *
 * Returns: (transfer full) (nullable): once the handshake negotiated an SRTP
 * profile, everything that keys one direction as one value:
 * `application/x-srtp` caps with `srtp-key` (master key then salt),
 * `srtp-cipher`, `srtp-auth`, `srtcp-cipher`, `srtcp-auth` (the nicks of
 * srtpenc's enums) and `srtp-profile` (its name, such as
 * "SRTP_AEAD_AES_128_GCM"). srtpenc's srtp-params takes them as they are,
 * and they are what srtpdec's request-key wants.
 */
GstCaps *gst_gnutls_dtls_connection_get_srtp_caps (GstGnutlsDtlsConnection *
    self, GstGnutlsDtlsConnectionRole role);

/**
 * gst_gnutls_dtls_connection_get_srtp_keys:
 * @local: (out) (optional): key then salt we encrypt with (encoder-key)
 * @remote: (out) (optional): key then salt the peer encrypts with
 *   (decoder-key)
 * @cipher: (out) (optional): srtpenc's rtp-cipher value
 * @auth: (out) (optional): srtpenc's rtp-auth value
 * @profile: (out) (optional): the negotiated `use_srtp` profile name, e.g.
 *   "SRTP_AES128_CM_HMAC_SHA1_80" (static string)
 *
 * The parts of gst_gnutls_dtls_connection_get_srtp_caps() that the
 * reference's properties (encoder-key, srtp-cipher...) show.
 *
 * Returns: %TRUE once the keys are known (an SRTP profile negotiated).
 */
G_GNUC_INTERNAL
gboolean gst_gnutls_dtls_connection_get_srtp_keys (GstGnutlsDtlsConnection *
    self, GstBuffer ** local, GstBuffer ** remote, guint * cipher,
    guint * auth, const gchar ** profile);

/* Properties an element forwards to its connection: installs, on @klass,
 * fresh copies of the connection properties @names (NULL-terminated) with
 * ids first_prop_id, first_prop_id + 1, ... */
G_GNUC_INTERNAL
void gst_gnutls_dtls_connection_install_properties (GObjectClass * klass,
                                                    guint first_prop_id,
                                                    const gchar * const *names);

G_END_DECLS

#endif /* __GST_GNUTLS_DTLS_CONNECTION_H__ */
