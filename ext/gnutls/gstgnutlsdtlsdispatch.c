/* GStreamer GnuTLS DTLS-SRTP suite: the connection's event queue and its
 * dispatcher, which hands records, state changes, keys and errors to the
 * encoder and decoder.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Whatever must reach an element (records to push, state changes, keys,
 * errors) is queued while the connection's mutex is held and delivered by
 * gst_gnutls_dtls_dispatch() once it is released. One thread at a time
 * delivers, so the elements see events in the order they happened; a thread
 * that finds another one delivering leaves its events to it instead of
 * waiting, so no lock is ever held, nor waited for, across a push. (Encoders
 * and decoders linked in a loop in one process would deadlock otherwise.)
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstgnutlsdtlsdispatch.h"
#include "gstgnutlsdtlsconnectionprivate.h"

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

/* The next thing to deliver, records first: they were produced before the
 * events that follow. Records are given in @records_ev, other events are
 * returned. Called with the lock. */
static GstGnutlsDtlsConnectionEvent *
next_event_locked (GstGnutlsDtlsConnection * self,
    GstGnutlsDtlsConnectionEvent * records_ev)
{
  GstMiniObject *head;

  /* the encoder cannot push before it starts */
  if (self->phase == GST_GNUTLS_DTLS_PHASE_NEW ||
      self->phase == GST_GNUTLS_DTLS_PHASE_STOPPED ||
      !(head = g_queue_peek_head (&self->outbox)))
    return g_queue_pop_head (&self->events);

  memset (records_ev, 0, sizeof (*records_ev));
  records_ev->type = GST_GNUTLS_DTLS_CONNECTION_EVENT_RECORDS;
  records_ev->state = gst_gnutls_dtls_connection_state_of_phase (self->phase);
  if (GST_IS_EVENT (head)) {
    records_ev->event = g_queue_pop_head (&self->outbox);
  } else if (self->outbox.length == 1) {
    /* the common case, spared a list */
    records_ev->buffer = g_queue_pop_head (&self->outbox);
  } else {
    records_ev->records = gst_buffer_list_new_sized (self->outbox.length);
    while ((head = g_queue_peek_head (&self->outbox)) && GST_IS_BUFFER (head))
      gst_buffer_list_add (records_ev->records,
          g_queue_pop_head (&self->outbox));
  }
  return records_ev;
}

/* Delivers what is queued, unless another thread is delivering: then it
 * will deliver ours too. With @wait (application data from the encoder's
 * streaming thread) it waits for that thread and delivers itself instead, so
 * the encoder keeps the backpressure of its downstream and the outbox does
 * not overflow. Waiting is safe there: the delivering thread never waits for
 * anything but downstream. */
void
gst_gnutls_dtls_dispatch_full (GstGnutlsDtlsConnection * self, gboolean wait)
{
  GstGnutlsDtlsConnectionEvent records_ev, *ev;
  GThread *me = g_thread_self ();

  g_mutex_lock (&self->lock);
  while (wait && self->dispatcher && self->dispatcher != me) {
    self->dispatch_waiters++;
    g_cond_wait (&self->dispatch_cond, &self->lock);
    self->dispatch_waiters--;
  }
  if (self->dispatcher) {
    g_mutex_unlock (&self->lock);
    return;
  }
  self->dispatcher = me;

  while ((ev = next_event_locked (self, &records_ev))) {
    GstGnutlsDtlsConnectionNotify notify[2];
    GstElement *dec;

    notify[0] = self->notify[0];
    notify[1] = self->notify[1];
    g_mutex_unlock (&self->lock);

    switch (ev->type) {
      case GST_GNUTLS_DTLS_CONNECTION_EVENT_RECORDS:
        deliver (self, GST_GNUTLS_DTLS_CONNECTION_ENCODER,
            notify[GST_GNUTLS_DTLS_CONNECTION_ENCODER], ev);
        break;
      case GST_GNUTLS_DTLS_CONNECTION_EVENT_ERROR:
        /* one error message on the bus, from the decoder if there is one */
        dec = g_weak_ref_get
            (&self->elements[GST_GNUTLS_DTLS_CONNECTION_DECODER]);
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
      default:
        deliver (self, GST_GNUTLS_DTLS_CONNECTION_ENCODER,
            notify[GST_GNUTLS_DTLS_CONNECTION_ENCODER], ev);
        deliver (self, GST_GNUTLS_DTLS_CONNECTION_DECODER,
            notify[GST_GNUTLS_DTLS_CONNECTION_DECODER], ev);
        break;
    }
    if (ev == &records_ev) {
      if (ev->buffer)
        gst_buffer_unref (ev->buffer);
      if (ev->records)
        gst_buffer_list_unref (ev->records);
      if (ev->event)
        gst_event_unref (ev->event);
    } else {
      gst_gnutls_dtls_dispatch_event_free (ev);
    }
    g_mutex_lock (&self->lock);
  }

  self->dispatcher = NULL;
  if (self->dispatch_waiters)
    g_cond_broadcast (&self->dispatch_cond);
  g_mutex_unlock (&self->lock);
}

void
gst_gnutls_dtls_dispatch (GstGnutlsDtlsConnection * self)
{
  gst_gnutls_dtls_dispatch_full (self, FALSE);
}
