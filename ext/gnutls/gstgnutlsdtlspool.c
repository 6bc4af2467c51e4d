/* GStreamer GnuTLS DTLS-SRTP suite: the threads the connections share: a
 * worker pool, and the retransmission timers on the system clock.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Retransmissions: after each handshake step a single-shot GstClockID is
 * scheduled on the system clock for gnutls_dtls_get_timeout(); its callback
 * (on the clock's own thread) only hands the connection to a small shared
 * thread pool, which steps the handshake again. GnuTLS decides by itself
 * whether a flight is due.
 *
 * The pool also delivers what a state change of the encoder queued (the
 * first flight of a client), so that the state change never pushes.
 *
 * A pad push may block for ever (a sink waiting to preroll, a full queue):
 * a worker whose push has not returned after PUSH_STALL_MS is replaced,
 * the pool growing by one thread until the push returns. The pool thus has
 * MAX_POOL_THREADS threads for work that runs, however many connections
 * are blocked downstream.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gnutls/dtls.h>

#include "gstgnutlsdtlspool.h"
#include "gstgnutlsdtlsconnectionprivate.h"
#include "gstgnutlsdtlsdispatch.h"

#define GST_CAT_DEFAULT gst_gnutls_dtls_connection_debug

#define MAX_POOL_THREADS 4
#define PUSH_STALL_MS 1000

static GThreadPool *pool;
static GstClock *timer_clock;
static GPrivate in_pool;        /* set on the pool's threads */
static GMutex pool_size_lock;
static gint pool_extra;         /* threads added for blocked pushes */

struct _GstGnutlsDtlsPushWatch
{
  GstClockID id;
  gint state;                   /* WATCH_* */
};

enum
{
  WATCH_RUNNING,
  WATCH_STALLED,                /* the pool got a thread for it */
  WATCH_DONE
};

static void
pool_grow (gint by)
{
  g_mutex_lock (&pool_size_lock);
  pool_extra += by;
  g_thread_pool_set_max_threads (pool, MAX_POOL_THREADS + pool_extra, NULL);
  g_mutex_unlock (&pool_size_lock);
}

static gboolean
push_stalled_cb (GstClock * clock, GstClockTime time, GstClockID id,
    gpointer user_data)
{
  GstGnutlsDtlsPushWatch *watch = user_data;

  /* on the clock thread */
  if (g_atomic_int_compare_and_exchange (&watch->state, WATCH_RUNNING,
          WATCH_STALLED)) {
    GST_DEBUG ("a pool worker has been pushing for %d ms: one more thread",
        PUSH_STALL_MS);
    pool_grow (1);
  }
  return TRUE;
}

GstGnutlsDtlsPushWatch *
gst_gnutls_dtls_pool_push_begin (void)
{
  GstGnutlsDtlsPushWatch *watch;

  if (!g_private_get (&in_pool))
    return NULL;
  watch = g_atomic_rc_box_new0 (GstGnutlsDtlsPushWatch);
  watch->id = gst_clock_new_single_shot_id (timer_clock,
      gst_clock_get_time (timer_clock) + PUSH_STALL_MS * GST_MSECOND);
  gst_clock_id_wait_async (watch->id, push_stalled_cb,
      g_atomic_rc_box_acquire (watch),
      (GDestroyNotify) g_atomic_rc_box_release);
  return watch;
}

void
gst_gnutls_dtls_pool_push_end (GstGnutlsDtlsPushWatch * watch)
{
  if (!watch)
    return;
  gst_clock_id_unschedule (watch->id);
  gst_clock_id_unref (watch->id);
  if (!g_atomic_int_compare_and_exchange (&watch->state, WATCH_RUNNING,
          WATCH_DONE))
    pool_grow (-1);
  g_atomic_rc_box_release (watch);
}

typedef enum
{
  JOB_TIMER,                    /* a retransmission timer expired */
  JOB_DISPATCH                  /* deliver what is queued */
} JobType;

typedef struct
{
  GstGnutlsDtlsConnection *conn;
  JobType type;
} Job;

static void
queue_job (GstGnutlsDtlsConnection * self, JobType type)
{
  Job *job = g_new (Job, 1);

  job->conn = gst_object_ref (self);
  job->type = type;
  g_thread_pool_push (pool, job, NULL);
}

static void
pool_worker (gpointer data, gpointer user_data)
{
  Job *job = data;
  GstGnutlsDtlsConnection *self = job->conn;

  g_private_set (&in_pool, GINT_TO_POINTER (1));
  g_mutex_lock (&self->lock);
  if (job->type == JOB_TIMER)
    gst_gnutls_dtls_connection_timer_expired_locked (self);
  g_mutex_unlock (&self->lock);

  gst_gnutls_dtls_dispatch (self);
  gst_object_unref (self);
  g_free (job);
}

/* A timer's connection, held weakly: the system clock keeps a cancelled
 * timer, and what it was given, until the time it was set for (its thread
 * only ever looks at the earliest entry), which may be the handshake
 * deadline, long after the connection closed. */
typedef struct
{
  GWeakRef conn;
} TimerTarget;

static void
timer_target_free (gpointer data)
{
  TimerTarget *target = data;

  g_weak_ref_clear (&target->conn);
  g_free (target);
}

static gboolean
timer_cb (GstClock * clock, GstClockTime time, GstClockID id,
    gpointer user_data)
{
  TimerTarget *target = user_data;
  GstGnutlsDtlsConnection *self = g_weak_ref_get (&target->conn);

  /* on the clock thread: hand over, never do the work here */
  if (self) {
    queue_job (self, JOB_TIMER);
    gst_object_unref (self);
  }
  return TRUE;
}

void
gst_gnutls_dtls_timer_cancel_locked (GstGnutlsDtlsConnection * self)
{
  if (self->timer) {
    gst_clock_id_unschedule (self->timer);
    gst_clock_id_unref (self->timer);
    self->timer = NULL;
  }
}

void
gst_gnutls_dtls_timer_schedule_locked (GstGnutlsDtlsConnection * self)
{
  TimerTarget *target;
  gint64 ms, left;

  gst_gnutls_dtls_timer_cancel_locked (self);

  /* a server waiting for its first ClientHello has only its deadline */
  left = (self->deadline - g_get_monotonic_time ()) / 1000;
  ms = self->session ? gnutls_dtls_get_timeout (self->session) : left;
  ms = CLAMP (MIN (ms, left), 1, G_MAXINT);

  self->timer = gst_clock_new_single_shot_id (timer_clock,
      gst_clock_get_time (timer_clock) + ms * GST_MSECOND);
  target = g_new0 (TimerTarget, 1);
  g_weak_ref_init (&target->conn, self);
  gst_clock_id_wait_async (self->timer, timer_cb, target, timer_target_free);
}

/* Once, before the first connection */
void
gst_gnutls_dtls_pool_init (void)
{
  timer_clock = gst_system_clock_obtain ();
  pool = g_thread_pool_new (pool_worker, NULL, MAX_POOL_THREADS, FALSE, NULL);
}

/* Delivers the connection's events from a pool worker */
void
gst_gnutls_dtls_pool_dispatch (GstGnutlsDtlsConnection * self)
{
  queue_job (self, JOB_DISPATCH);
}
