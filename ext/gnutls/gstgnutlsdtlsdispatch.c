/* GStreamer GnuTLS DTLS-SRTP suite: the connection's event queue and its
 * dispatcher, which hands records, state changes, keys and errors to the
 * encoder and decoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Whatever must reach an element (records to push, state changes, keys,
 * errors) is queued while the connection's mutex is held and delivered by
 * gst_gnutls_dtls_dispatch() once it is released, in two lanes: records
 * for the encoder's src pad, and events. Each lane is held by one thread at
 * a time, so the elements see each in the order it happened; a thread that
 * finds a lane taken leaves what is queued there to the thread holding it
 * instead of waiting, so no lock is ever held, nor waited for, across a
 * push. (Encoders and decoders linked in a loop in one process would
 * deadlock otherwise, and a push blocked downstream would hold up the
 * connection's timeout and errors.)
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstgnutlsdtlsdispatch.h"
#include "gstgnutlsdtlsconnectionprivate.h"
#include "gstgnutlsdtlspool.h"

#define GST_CAT_DEFAULT gst_gnutls_dtls_connection_debug

void
gst_gnutls_dtls_dispatch_event_free (GstGnutlsDtlsConnectionEvent * ev)
{
  g_clear_error (&ev->error);
  if (ev->records)
    gst_buffer_list_unref (ev->records);
  if (ev->event)
    gst_event_unref (ev->event);
  g_free (ev);
}

void
gst_gnutls_dtls_dispatch_queue_locked (GstGnutlsDtlsConnection * self,
    GstGnutlsDtlsConnectionEventType type, GError * error)
{
  GstGnutlsDtlsConnectionEvent *ev = g_new0 (GstGnutlsDtlsConnectionEvent, 1);

  ev->type = type;
  ev->state = gst_gnutls_dtls_connection_state_of_phase (self->phase);
  ev->error = error;
  g_queue_push_tail (&self->events, ev);
}

static void
deliver (GstGnutlsDtlsConnection * self, GstGnutlsDtlsConnectionRole role,
    GstGnutlsDtlsConnectionNotify notify,
    const GstGnutlsDtlsConnectionEvent * ev)
{
  GstElement *element;

  if (!notify)
    return;
  element = g_weak_ref_get (&self->elements[role]);
  if (element) {
    notify (element, ev);
    gst_object_unref (element);
  }
}

/* Takes the records (or the event queued behind them) at the head of the
 * outbox into @ev. Called with the lock, when there are some. */
static void
take_records_locked (GstGnutlsDtlsConnection * self,
    GstGnutlsDtlsConnectionEvent * ev)
{
  GstMiniObject *head = g_queue_peek_head (&self->outbox);

  memset (ev, 0, sizeof (*ev));
  ev->type = GST_GNUTLS_DTLS_CONNECTION_EVENT_RECORDS;
  ev->state = gst_gnutls_dtls_connection_state_of_phase (self->phase);
  if (GST_IS_EVENT (head)) {
    ev->event = g_queue_pop_head (&self->outbox);
  } else if (self->outbox.length == 1) {
    /* the common case, spared a list */
    ev->buffer = g_queue_pop_head (&self->outbox);
  } else {
    ev->records = gst_buffer_list_new_sized (self->outbox.length);
    while ((head = g_queue_peek_head (&self->outbox)) && GST_IS_BUFFER (head))
      gst_buffer_list_add (ev->records, g_queue_pop_head (&self->outbox));
  }
}

static void
clear_records (GstGnutlsDtlsConnectionEvent * ev)
{
  if (ev->buffer)
    gst_buffer_unref (ev->buffer);
  if (ev->records)
    gst_buffer_list_unref (ev->records);
  if (ev->event)
    gst_event_unref (ev->event);
}

/* Pushes the records at the head of the outbox, holding the records lane.
 * @caller is the encoder when it sends application data itself (it holds a
 * reference for the duration of its chain function), else NULL. Called with
 * the lock, returns with it. */
static GstFlowReturn
push_records_locked (GstGnutlsDtlsConnection * self, GstElement * caller)
{
  GstGnutlsDtlsConnectionNotify notify;
  GstGnutlsDtlsConnectionEvent ev;
  GstGnutlsDtlsPushWatch *watch;
  GstFlowReturn ret = GST_FLOW_OK;
  GstElement *enc = NULL;

  self->records_dispatcher = g_thread_self ();
  /* only a push during the handshake can be reported as stuck (see
   * check_blocked_push_locked()): the clock is not read for every record of
   * application data */
  if (self->phase == GST_GNUTLS_DTLS_PHASE_LISTENING ||
      self->phase == GST_GNUTLS_DTLS_PHASE_HANDSHAKING)
    self->records_since = g_get_monotonic_time ();
  else
    self->records_since = GST_GNUTLS_DTLS_RECORDS_UNTIMED;
  take_records_locked (self, &ev);
  notify = self->notify[GST_GNUTLS_DTLS_CONNECTION_ENCODER];
  /* the attached encoder pushing its own data needs no weak reference */
  if (caller && caller != self->attached[GST_GNUTLS_DTLS_CONNECTION_ENCODER])
    caller = NULL;
  g_mutex_unlock (&self->lock);

  if (!caller)
    enc = g_weak_ref_get (&self->elements[GST_GNUTLS_DTLS_CONNECTION_ENCODER]);
  if (caller && notify) {
    ret = notify (caller, &ev);
  } else if (enc && notify) {
    /* a pool worker blocked here is replaced after a while */
    watch = gst_gnutls_dtls_pool_push_begin ();
    ret = notify (enc, &ev);
    gst_gnutls_dtls_pool_push_end (watch);
  }
  if (enc)
    gst_object_unref (enc);
  clear_records (&ev);

  g_mutex_lock (&self->lock);
  self->records_since = 0;
  self->records_dispatcher = NULL;
  if (self->dispatch_waiters)
    g_cond_broadcast (&self->dispatch_cond);
  return ret;
}

/* The next event that may be delivered now, taken out of the queue, or
 * NULL. The keys wait until the records queued before them (the flight
 * that completes the handshake) have left the encoder: keyed as soon as the
 * handshake completes, the SRTP encoder would otherwise send media ahead of
 * that flight whenever another thread holds the records lane, and the peer,
 * without its keys yet, would drop it. What follows the keys waits with
 * them, in order, except errors and warnings, which must get through even
 * when a push blocks for ever. Called with the lock. */
static GstGnutlsDtlsConnectionEvent *
take_event_locked (GstGnutlsDtlsConnection * self)
{
  GstGnutlsDtlsConnectionEvent *head;
  GList *l;

  if (self->events_dispatcher || g_queue_is_empty (&self->events))
    return NULL;
  head = g_queue_peek_head (&self->events);
  if (head->type != GST_GNUTLS_DTLS_CONNECTION_EVENT_KEYS ||
      (!self->records_dispatcher && g_queue_is_empty (&self->outbox)))
    return g_queue_pop_head (&self->events);

  for (l = self->events.head->next; l; l = l->next) {
    GstGnutlsDtlsConnectionEvent *ev = l->data;

    if (ev->type == GST_GNUTLS_DTLS_CONNECTION_EVENT_ERROR ||
        ev->type == GST_GNUTLS_DTLS_CONNECTION_EVENT_WARNING) {
      g_queue_delete_link (&self->events, l);
      return ev;
    }
  }
  return NULL;
}

/* Delivers @ev, holding the events lane. Called with the lock, returns with
 * it. */
static void
deliver_event_locked (GstGnutlsDtlsConnection * self,
    GstGnutlsDtlsConnectionEvent * ev)
{
  GstGnutlsDtlsConnectionNotify notify[2];
  GstElement *dec;

  self->events_dispatcher = g_thread_self ();
  notify[0] = self->notify[0];
  notify[1] = self->notify[1];
  g_mutex_unlock (&self->lock);

  switch (ev->type) {
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_ERROR:
      /* one error message on the bus, from the decoder if there is one */
      dec =
          g_weak_ref_get (&self->elements[GST_GNUTLS_DTLS_CONNECTION_DECODER]);
      if (dec && notify[GST_GNUTLS_DTLS_CONNECTION_DECODER]) {
        notify[GST_GNUTLS_DTLS_CONNECTION_DECODER] (dec, ev);
        gst_object_unref (dec);
      } else {
        if (dec)
          gst_object_unref (dec);
        deliver (self, GST_GNUTLS_DTLS_CONNECTION_ENCODER,
            notify[GST_GNUTLS_DTLS_CONNECTION_ENCODER], ev);
      }
      break;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_WARNING:
      deliver (self, GST_GNUTLS_DTLS_CONNECTION_ENCODER,
          notify[GST_GNUTLS_DTLS_CONNECTION_ENCODER], ev);
      break;
    default:
      deliver (self, GST_GNUTLS_DTLS_CONNECTION_ENCODER,
          notify[GST_GNUTLS_DTLS_CONNECTION_ENCODER], ev);
      deliver (self, GST_GNUTLS_DTLS_CONNECTION_DECODER,
          notify[GST_GNUTLS_DTLS_CONNECTION_DECODER], ev);
      break;
  }
  gst_gnutls_dtls_dispatch_event_free (ev);

  g_mutex_lock (&self->lock);
  self->events_dispatcher = NULL;
}

/* Delivers what is queued: records first (they were produced before the
 * events that follow), each lane unless another thread holds it, in which
 * case that thread delivers what is queued there. A thread whose push blocks
 * downstream thus holds up only its own connection: its records, and the
 * keys with what follows them until the records before the keys have left
 * (take_event_locked()); errors and warnings still get through.
 *
 * With @encoder (application data from that encoder's streaming thread) it
 * waits for the records lane and pushes itself, so that the encoder keeps
 * the backpressure of its downstream and learns what it answered: the
 * result is the first failure of this thread's pushes, or GST_FLOW_OK.
 * Only an element's own streaming thread waits: a thread shared by several
 * connections (a pool worker) never does.
 *
 * Called with the lock held, returns without it: the caller's changes and
 * their delivery take one lock. */
GstFlowReturn
gst_gnutls_dtls_dispatch_unlock (GstGnutlsDtlsConnection * self,
    GstElement * encoder)
{
  GThread *me = NULL;
  GstFlowReturn ret = GST_FLOW_OK;

  if (encoder && self->records_dispatcher) {
    me = g_thread_self ();
    while (self->records_dispatcher && self->records_dispatcher != me) {
      self->dispatch_waiters++;
      g_cond_wait (&self->dispatch_cond, &self->lock);
      self->dispatch_waiters--;
    }
  }
  for (;;) {
    GstGnutlsDtlsConnectionEvent *ev;

    /* the encoder cannot push before it starts */
    if (!self->records_dispatcher && !g_queue_is_empty (&self->outbox) &&
        self->phase != GST_GNUTLS_DTLS_PHASE_NEW &&
        self->phase != GST_GNUTLS_DTLS_PHASE_STOPPED) {
      GstFlowReturn r = push_records_locked (self, encoder);

      if (ret == GST_FLOW_OK)
        ret = r;
    } else if ((ev = take_event_locked (self))) {
      deliver_event_locked (self, ev);
    } else {
      break;
    }
  }
  g_mutex_unlock (&self->lock);
  return ret;
}

void
gst_gnutls_dtls_dispatch (GstGnutlsDtlsConnection * self)
{
  g_mutex_lock (&self->lock);
  gst_gnutls_dtls_dispatch_unlock (self, NULL);
}
