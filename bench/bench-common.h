/* GStreamer GnuTLS DTLS-SRTP suite: what the SRTP benchmarks share.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Generated RTP packets and the check of what comes out, the bare
 * libsrtp2 loop every element path is compared with, the source pad, pool
 * and checking sink pad that drive an element path synchronously, and the
 * slice measurement that keeps the noise of a shared machine out (see
 * bench_measure()). Also a trial run in a child process, so that a path
 * that crashes shows up as a failed row instead of ending the benchmark.
 */
#ifndef __BENCH_COMMON_H__
#define __BENCH_COMMON_H__

#include <gst/gst.h>
#include <srtp2/srtp.h>
#include <string.h>

G_BEGIN_DECLS

#define BENCH_RTP_HEADER_LEN 12
#define BENCH_SSRC 0x5eed5eedu
#define BENCH_BATCH 32          /* packets per list, and per time check */
/* What libsrtp2 may append in place (the element needs the same room). */
#define BENCH_TRAILER_ROOM (SRTP_MAX_TRAILER_LEN + 4)
/* Every packet's size is checked and every packet counted, but only every
 * BENCH_CHECK_EVERY-th packet's number and contents: enough that a broken
 * element cannot look fast, cheap enough not to be what is measured. */
#define BENCH_CHECK_EVERY 16
/* Slices per round, taken in turn with the other paths' slices, and the
 * quantile of the slice rates that rates a path (see bench_measure). */
#define BENCH_SLICES 32
#define BENCH_RATE_QUANTILE 0.9

/* The packets of one measurement configuration. Packet n has sequence
 * number n mod 2^16, timestamp 160 n and n in the first payload bytes, so
 * the receiving end can tell loss, reordering and stale data apart. */
typedef struct
{
  guint packet_len;
  guint8 *templ;
} BenchGenerator;

typedef struct
{
  const BenchGenerator *gen;
  guint32 expected;             /* number of the next packet */
  guint64 received;
  guint64 bad;                  /* wrong size or contents */
  guint64 in_place;             /* outputs that are the input pool buffer */
  guint8 *scratch;              /* for the expected contents */
  gchar *first_error;
} BenchChecker;

typedef struct _BenchPath BenchPath;

/* One way of getting packets from the generator to the checker, measured
 * against the others. The programs embed it first in their own path
 * structures. */
struct _BenchPath
{
  const gchar *config;          /* for --verbose: "PROFILE SIZE" */
  const gchar *label;           /* and the path's name */
  const BenchGenerator *gen;
  guint32 next;                 /* number of the next packet to send */
  BenchChecker check;
  gboolean usable;              /* FALSE once it failed or was skipped */
  gchar *failure;
  gdouble rate;                 /* packets per CPU-second, when measured */
  gdouble other_cpu;            /* CPU time of other threads per second of
                                 * this one's, over the measured slices */

  /* BENCH_BATCH packets through the path; FALSE (and failure set) when
   * something went wrong */
  gboolean (*batch) (BenchPath * p);
  /* errors the path posted since the last call, as one string, or NULL;
   * optional */
  gchar *(*pop_errors) (BenchPath * p);
  /* when set, decrypted packets go here instead of to the checker (for a
   * call still being set up) */
  void (*divert) (BenchPath * p, GstBuffer * buf);

  /* the bare libsrtp2 loop */
  srtp_t tx, rx;
  guint8 *work;

  /* elements between two pads of ours */
  GstPad *src, *sink;           /* unparented */
  GstBufferPool *pool;
  gboolean lists;
  /* packets allocated exactly as 1.22's RTP payloaders do
   * (gst_rtp_buffer_new_allocate: no room after the packet, default
   * alignment) instead of from the pool */
  gboolean exact;
};

gdouble bench_cpu_now (void);
const gchar *bench_cpu_model (void);

void bench_generator_init (BenchGenerator * gen, guint payload_len);
void bench_generator_clear (BenchGenerator * gen);

static inline void
bench_generator_write (const BenchGenerator * gen, guint8 * dst, guint32 n)
{
  /* A fresh copy per packet, as a real source hands over new packets. */
  memcpy (dst, gen->templ, gen->packet_len);
  GST_WRITE_UINT16_BE (dst + 2, n & 0xffff);
  GST_WRITE_UINT32_BE (dst + 4, n * 160);
  GST_WRITE_UINT32_BE (dst + BENCH_RTP_HEADER_LEN, n);
}

void bench_checker_init (BenchChecker * c, const BenchGenerator * gen);
void bench_checker_clear (BenchChecker * c);
void bench_checker_fail (BenchChecker * c, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);

/* Whether the next packet's contents are checked (see BENCH_CHECK_EVERY). */
static inline gboolean
bench_checker_wants_data (const BenchChecker * c)
{
  return c->expected % BENCH_CHECK_EVERY == 0;
}

/* One decrypted packet as it left the decoder: its size always, its
 * contents (@data) when bench_checker_wants_data() said so. Losses show
 * up in the count and in the number of the next checked packet. */
static inline void
bench_checker_packet (BenchChecker * c, const guint8 * data, gsize len)
{
  guint32 n;

  c->received++;
  n = c->expected++;
  if (G_UNLIKELY (len != c->gen->packet_len)) {
    c->bad++;
    bench_checker_fail (c, "packet %u came out as %" G_GSIZE_FORMAT " bytes "
        "instead of %u", n, len, c->gen->packet_len);
    return;
  }
  if (data == NULL)
    return;
  if (G_UNLIKELY (GST_READ_UINT32_BE (data + BENCH_RTP_HEADER_LEN) != n)) {
    c->bad++;
    bench_checker_fail (c, "packet %u came out as packet %u (loss, "
        "reordering or garbage)", n,
        GST_READ_UINT32_BE (data + BENCH_RTP_HEADER_LEN));
    return;
  }
  bench_generator_write (c->gen, c->scratch, n);
  if (memcmp (data, c->scratch, len) != 0) {
    c->bad++;
    bench_checker_fail (c, "packet %u does not decrypt to the original", n);
  }
}

/* Whether @data (@len bytes) is a packet of @gen, intact: for packets
 * taken out of order. Its number in @n. */
gboolean bench_generator_verify (const BenchGenerator * gen,
    const guint8 * data, gsize len, guint32 * n);

void bench_path_init (BenchPath * p, const BenchGenerator * gen,
    const gchar * config, const gchar * label);
void bench_path_clear (BenchPath * p);

/* The bare loop: protect then unprotect each packet in place, one
 * outbound and one inbound session, @key as the master key and salt. */
gboolean bench_bare_setup (BenchPath * p, srtp_profile_t profile,
    const guint8 * key, gchar ** error);

/* The source pad, the checking sink pad and the buffer pool (with the room
 * and alignment an in-place encoder needs), and p->batch pushing from the
 * pool. Link p->src and p->sink, start the elements, then call
 * bench_pads_start(); bench_pads_stop() before stopping the elements. */
gboolean bench_pads_new (BenchPath * p, gchar ** error);
/* Activates the pads and sends stream-start, RTP caps and a segment:
 * FALSE if refused. */
gboolean bench_pads_start (BenchPath * p, const gchar * stream_id);
void bench_pads_stop (BenchPath * p);
/* The "no SRTP" floor: p->src linked straight to p->sink, packets made and
 * checked as for the element paths. */
gboolean bench_floor_setup (BenchPath * p, gchar ** error);
/* A packet from the pool (or allocated exactly, with p->exact), written by
 * the generator with number @n. */
GstFlowReturn bench_pads_packet (BenchPath * p, guint32 n, GstBuffer ** buf);

/* Errors posted on @pipeline's bus since the last call, as one string, or
 * NULL. */
gchar *bench_pop_bus_errors (GstElement * pipeline);

/* GLib criticals and warnings (GStreamer's refcount assertions among them)
 * mean a path misbehaved even if its packets looked right: the first one
 * is kept here until a path claims it. */
extern gchar *bench_log_trouble;
void bench_log_handler (const gchar * domain, GLogLevelFlags level,
    const gchar * message, gpointer user_data);

/* Measures every usable path in @rounds x BENCH_SLICES slices of
 * @seconds / BENCH_SLICES each; see bench-common.c. */
void bench_measure (BenchPath ** paths, guint n_paths, guint rounds,
    gdouble seconds, gboolean verbose);

/* Runs @trial in a child process, quiet, that ends after @timeout seconds:
 * TRUE if it returned TRUE. Otherwise *@why says what happened, with
 * what @trial put in *msg (or "failed") and the first GLib warning it
 * logged. When no child can be started, TRUE: measure anyway. */
gboolean bench_trial_run (gboolean (*trial) (gpointer data, gchar ** msg),
    gpointer data, guint timeout, gchar ** why);

G_END_DECLS

#endif /* __BENCH_COMMON_H__ */
