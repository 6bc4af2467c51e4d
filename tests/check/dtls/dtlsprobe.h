/* GStreamer GnuTLS DTLS-SRTP suite
 * Copyright (C) 2026 The gst-gnutls-dtls-srtp authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What the hostile-peer and soak tests observe from outside the plugin,
 * without any hook in it:
 *
 * - GnuTLS sessions: this file defines gnutls_init() and gnutls_deinit(),
 *   which forward to GnuTLS's. The test program exports them (see
 *   meson.build, --export-dynamic-symbol), so the plugin, loaded later,
 *   binds to them: every session the plugin creates or frees is counted,
 *   by role.
 * - Connection objects: a GstTracer hooked on object-created and
 *   object-destroyed counts the live GstGnutlsDtlsConnection objects.
 * - The process: threads (/proc/self/task), file descriptors
 *   (/proc/self/fd), resident memory (/proc/self/statm) and heap in use
 *   (mallinfo2).
 *
 * Include it in one file per test program, and call dtls_probe_init()
 * before any element is created. */

#ifndef __DTLS_PROBE_H__
#define __DTLS_PROBE_H__

#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>
#include <gst/gst.h>
#include <gst/gsttracer.h>
#include <gnutls/gnutls.h>

/* ---- GnuTLS sessions ---- */

static gint probe_server_sessions;      /* created with GNUTLS_SERVER */
static gint probe_client_sessions;      /* created with GNUTLS_CLIENT */
static gint probe_live_sessions;        /* created and not yet freed */

/* -fvisibility=hidden would keep them from being exported */
#define PROBE_EXPORT __attribute__ ((visibility ("default")))

typedef int (*ProbeInitFunc) (gnutls_session_t *, unsigned int);
typedef void (*ProbeDeinitFunc) (gnutls_session_t);

static gpointer
probe_real (const gchar * name)
{
  gpointer f = dlsym (RTLD_NEXT, name);

  if (!f)
    g_error ("%s not found after the test program: is it linked to GnuTLS?",
        name);
  return f;
}

PROBE_EXPORT int
gnutls_init (gnutls_session_t * session, unsigned int flags)
{
  static ProbeInitFunc real;
  int ret;

  if (!real)
    real = (ProbeInitFunc) probe_real ("gnutls_init");
  ret = real (session, flags);
  if (ret == 0) {
    g_atomic_int_inc (&probe_live_sessions);
    g_atomic_int_inc ((flags & GNUTLS_SERVER) ? &probe_server_sessions :
        &probe_client_sessions);
  }
  return ret;
}

PROBE_EXPORT void
gnutls_deinit (gnutls_session_t session)
{
  static ProbeDeinitFunc real;

  if (!real)
    real = (ProbeDeinitFunc) probe_real ("gnutls_deinit");
  if (session)
    g_atomic_int_add (&probe_live_sessions, -1);
  real (session);
}

/* ---- connection objects ---- */

typedef struct
{
  GstTracer parent;
} ProbeTracer;

typedef struct
{
  GstTracerClass parent_class;
} ProbeTracerClass;

static GType probe_tracer_get_type (void);
G_DEFINE_TYPE (ProbeTracer, probe_tracer, GST_TYPE_TRACER);

static gint probe_connections_created;
static gint probe_live_connections;

static gboolean
probe_is_connection (GstObject * object)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (object), "GstGnutlsDtlsConnection");
}

static void
probe_object_created (GObject * tracer, GstClockTime ts, GstObject * object)
{
  if (probe_is_connection (object)) {
    g_atomic_int_inc (&probe_connections_created);
    g_atomic_int_inc (&probe_live_connections);
  }
}

static void
probe_object_destroyed (GObject * tracer, GstClockTime ts, GstObject * object)
{
  if (probe_is_connection (object))
    g_atomic_int_add (&probe_live_connections, -1);
}

static void
probe_tracer_class_init (ProbeTracerClass * klass)
{
}

static void
probe_tracer_init (ProbeTracer * self)
{
  gst_tracing_register_hook (GST_TRACER (self), "object-created",
      G_CALLBACK (probe_object_created));
  gst_tracing_register_hook (GST_TRACER (self), "object-destroyed",
      G_CALLBACK (probe_object_destroyed));
}

/* Before any element exists (tracers are not added thread-safely) */
static inline void
dtls_probe_init (void)
{
  static GstTracer *tracer;

  if (!tracer)
    tracer = gst_object_ref_sink (g_object_new (probe_tracer_get_type (),
            NULL));
  /* the session counters forward to GnuTLS: fail now if they cannot */
  probe_real ("gnutls_init");
  probe_real ("gnutls_deinit");
}

/* Waits up to @timeout_ms for the live connection objects and GnuTLS
 * sessions to drop to the given counts (the last references may be held
 * for a moment by a timer or a job of the shared pool). */
static inline gboolean
dtls_probe_wait_live (gint connections, gint sessions, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  for (;;) {
    if (g_atomic_int_get (&probe_live_connections) == connections &&
        g_atomic_int_get (&probe_live_sessions) == sessions)
      return TRUE;
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (2000);
  }
}

/* ---- the process ---- */

static inline guint
probe_count_dir (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (!dir)
    g_error ("cannot read %s", path);
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

static inline guint
dtls_probe_threads (void)
{
  return probe_count_dir ("/proc/self/task");
}

/* the descriptor GDir reads /proc/self/fd through is not counted */
static inline guint
dtls_probe_fds (void)
{
  return probe_count_dir ("/proc/self/fd") - 1;
}

/* Resident set, in KiB */
static inline gsize
dtls_probe_rss_kib (void)
{
  gchar *text = NULL;
  gsize rss = 0;

  if (g_file_get_contents ("/proc/self/statm", &text, NULL, NULL)) {
    gchar **f = g_strsplit (text, " ", 3);

    if (f[0] && f[1])
      rss = g_ascii_strtoull (f[1], NULL, 10) * (sysconf (_SC_PAGESIZE) / 1024);
    g_strfreev (f);
  }
  g_free (text);
  return rss;
}

/* Bytes allocated with malloc and not yet freed (all arenas) */
static inline gsize
dtls_probe_heap (void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  struct mallinfo2 mi = mallinfo2 ();

  return mi.uordblks + mi.hblkhd;
#else
  return 0;
#endif
}

#endif /* __DTLS_PROBE_H__ */
