/* Helpers shared by the libFuzzer targets: one-time GStreamer set-up that
 * loads only this build's plugins, and a reader for the inputs, which are
 * all made of small length-prefixed chunks.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __FUZZ_COMMON_H__
#define __FUZZ_COMMON_H__

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/check/gstharness.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

/* Sanitizer settings built into the targets, so that running one by hand
 * reports what scripts/fuzz.sh reports (ASAN_OPTIONS, UBSAN_OPTIONS and
 * LSAN_OPTIONS still override them). FUZZ_SOURCE_DIR is fuzz/ in the
 * source tree. Undefined behaviour must stop the run: by default UBSan
 * prints and goes on, and libFuzzer would not notice. */
#define FUZZ_EXPORT __attribute__ ((used, visibility ("default")))
FUZZ_EXPORT const char *__ubsan_default_options (void);
FUZZ_EXPORT const char *__lsan_default_options (void);

const char *
__ubsan_default_options (void)
{
  return "halt_on_error=1:print_stacktrace=1:suppressions="
      FUZZ_SOURCE_DIR "/ubsan.supp";
}

const char *
__lsan_default_options (void)
{
  return "suppressions=" FUZZ_SOURCE_DIR "/lsan.supp";
}

/* The warning of a property value the elements refuse when it is set
 * (gst_gnutls_dtls_element_refuse_setting): the inputs set properties
 * from fuzzed bytes, and refusing them is the expected answer. */
static gboolean
fuzz_is_refused_setting (const GLogField * fields, gsize n_fields)
{
  gsize i;

  for (i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
        strstr (fields[i].value, "the element will not start until"))
      return TRUE;
  return FALSE;
}

/* A g_critical or g_warning means some code was handed something it
 * should never see: make it a crash the fuzzer reports. (GLib's own fatal
 * handling raises SIGTRAP, which libFuzzer does not catch: no report, no
 * crash input.) */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags level, const GLogField * fields,
    gsize n_fields, gpointer user_data)
{
  GLogWriterOutput ret;

  if ((level & G_LOG_LEVEL_WARNING) && fuzz_is_refused_setting (fields,
          n_fields))
    return G_LOG_WRITER_HANDLED;
  ret = g_log_writer_default (level, fields, n_fields, user_data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return ret;
}

/* GLib's slice allocator (GLib < 2.76) keeps GstBuffers, events, list
 * nodes... in its own magazines: LeakSanitizer would not see one leak,
 * libFuzzer not count the allocation, and a leak would only show as the
 * process running out of memory. G_SLICE=always-malloc makes each a plain
 * malloc; GLib reads it once, at start-up, so the target starts again with
 * it when it is not set. */
static inline void
fuzz_restart_with_malloc (char ***argv)
{
  if (g_strcmp0 (g_getenv ("G_SLICE"), "always-malloc") != 0) {
    g_setenv ("G_SLICE", "always-malloc", TRUE);
    execv ("/proc/self/exe", *argv);
    g_printerr ("fuzz: could not restart with G_SLICE=always-malloc\n");
    abort ();
  }
}

/* For targets of GLib-only code: call first, with LLVMFuzzerInitialize's
 * arguments */
static inline void
fuzz_init_glib (int *argc, char ***argv)
{
  fuzz_restart_with_malloc (argv);
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* Call first, with main's (or LLVMFuzzerInitialize's) arguments.
 * FUZZ_PLUGIN_PATH (the build directories of our plugins) and
 * FUZZ_REGISTRY_DIR come from fuzz/meson.build. */
static inline void
fuzz_init_gstreamer (int *argc, char ***argv, const gchar * target)
{
  gchar *registry;

  fuzz_restart_with_malloc (argv);

  /* Only our plugins, from this (instrumented) build: no system plugins,
   * and no gst-plugin-scanner child, which is not built with ASan and
   * could not load them. */
  g_setenv ("GST_PLUGIN_PATH_1_0", FUZZ_PLUGIN_PATH, TRUE);
  g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", "", TRUE);
  g_setenv ("GST_REGISTRY_FORK", "no", TRUE);
  registry = g_strdup_printf ("%s/registry-%s.bin", FUZZ_REGISTRY_DIR, target);
  g_setenv ("GST_REGISTRY", registry, FALSE);
  g_free (registry);

  /* The registry is brought up to date by a child process first. Scanning
   * loads every plugin, and after that clang 14's LeakSanitizer crashes
   * ("Tracer caught signal 11", "LeakSanitizer has encountered a fatal
   * error") while walking the dynamic TLS of this glibc: when the registry
   * is current, only the plugins in use are loaded, and it works. */
  if (fork () == 0) {
    gst_init (NULL, NULL);
    _exit (0);
  }
  wait (NULL);

  /* Our debug logs are formatted and thrown away, so that the code in
   * their arguments and their formats (caps, buffers, strings that may be
   * NULL) runs too. GST_DEBUG set by hand prints them instead. (Through
   * GStreamer's own log function: replacing it would leak its old list of
   * log functions, by design.) */
  if (g_getenv ("GST_DEBUG") == NULL) {
    g_setenv ("GST_DEBUG", "gnutls*:9", TRUE);
    g_setenv ("GST_DEBUG_FILE", "/dev/null", TRUE);
  }

  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  gst_init (NULL, NULL);
}

static inline GstElement *
fuzz_make_element (const gchar * factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (e == NULL) {
    g_printerr ("fuzz: no element '%s' in %s\n", factory, FUZZ_PLUGIN_PATH);
    abort ();
  }
  return e;
}

/* A buffer holding a copy of @len bytes (an empty buffer for 0) */
static inline GstBuffer *
fuzz_buffer_new (const guint8 * data, gsize len)
{
  return len ? gst_buffer_new_memdup (data, len) : gst_buffer_new ();
}

/* The input, consumed from the front. */
typedef struct
{
  const guint8 *data;
  gsize size;
} FuzzReader;

static inline guint8
fuzz_u8 (FuzzReader * r)
{
  guint8 v = 0;

  if (r->size > 0) {
    v = r->data[0];
    r->data++;
    r->size--;
  }
  return v;
}

static inline guint16
fuzz_u16 (FuzzReader * r)
{
  guint16 hi = fuzz_u8 (r);

  return (hi << 8) | fuzz_u8 (r);
}

static inline guint32
fuzz_u32 (FuzzReader * r)
{
  guint32 hi = fuzz_u16 (r);

  return (hi << 16) | fuzz_u16 (r);
}

/* A chunk: 16-bit big-endian length, then that many bytes (fewer at the
 * end of the input). FALSE when the input is used up. */
static inline gboolean
fuzz_chunk (FuzzReader * r, const guint8 ** chunk, gsize * len)
{
  gsize n;

  if (r->size < 2)
    return FALSE;
  n = fuzz_u16 (r);
  n = MIN (n, r->size);
  *chunk = r->data;
  *len = n;
  r->data += n;
  r->size -= n;
  return TRUE;
}

/* Appends a chunk in the format fuzz_chunk reads (for the seed writer). */
static inline void
fuzz_append_chunk (GByteArray * out, const guint8 * data, gsize len)
{
  guint8 hdr[2];

  g_assert (len <= G_MAXUINT16);
  hdr[0] = len >> 8;
  hdr[1] = len & 0xff;
  g_byte_array_append (out, hdr, 2);
  g_byte_array_append (out, data, len);
}

/* Frees everything a harness collected. */
static inline void
fuzz_drain (GstHarness * h)
{
  GstBuffer *b;
  GstEvent *e;

  while ((b = gst_harness_try_pull (h)))
    gst_buffer_unref (b);
  while ((e = gst_harness_try_pull_event (h)))
    gst_event_unref (e);
  while ((e = gst_harness_try_pull_upstream_event (h)))
    gst_event_unref (e);
}

#endif
