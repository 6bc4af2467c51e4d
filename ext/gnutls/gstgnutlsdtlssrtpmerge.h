/* GStreamer GnuTLS DTLS-SRTP suite: the encoder bin's output, several
 * streams merged onto one pad without a funnel element.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_DTLS_SRTP_MERGE_H__
#define __GST_GNUTLS_DTLS_SRTP_MERGE_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/*
 * The src pad of a bin (a pad of the bin itself, not a ghost pad) and
 * inputs that the bin's children push into: pads owned by the src pad, as
 * a ghost pad owns its internal pad. What an input receives goes out of the src pad,
 * serialised by its stream lock. A buffer crosses two pads between a child
 * and the bin's peer instead of the three of a funnel behind a ghost pad.
 *
 * Downstream events: stream-start, caps and segment are sent once, from the
 * first input that has them (as a funnel with forward-sticky-events=false),
 * EOS once every input had EOS, flushes as they come. Upstream events go to
 * every input; queries to the other side.
 */
typedef struct _GstGnutlsDtlsSrtpMerge GstGnutlsDtlsSrtpMerge;

G_GNUC_INTERNAL GstGnutlsDtlsSrtpMerge *gst_gnutls_dtls_srtp_merge_new (
    GstElement * bin, GstPadTemplate * src_template);
G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_merge_free (
    GstGnutlsDtlsSrtpMerge * merge);

/* The src pad, for the bin to add (not a reference) */
G_GNUC_INTERNAL GstPad *gst_gnutls_dtls_srtp_merge_get_src (
    GstGnutlsDtlsSrtpMerge * merge);

/* A new input, linked to @child_src; NULL if it cannot be linked. Not a
 * reference. */
G_GNUC_INTERNAL GstPad *gst_gnutls_dtls_srtp_merge_add_input (
    GstGnutlsDtlsSrtpMerge * merge, GstPad * child_src);
/* Unlinks @input and forgets it: the others no longer wait for its EOS */
G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_merge_remove_input (
    GstGnutlsDtlsSrtpMerge * merge, GstPad * input);

/* Inputs and src pad active (READY to PAUSED, before the children start)
 * or not (PAUSED to READY, after they stopped) */
/* What a push on the child's src pad linked to @input (a pad that
 * gst_gnutls_dtls_srtp_merge_add_input() returned) would do, without the
 * crossing: for the SRTP encoder's direct output (gstgnutlssrtpdirect.h) */
G_GNUC_INTERNAL GstFlowReturn gst_gnutls_dtls_srtp_merge_push (
    gpointer input, GstBuffer * buf);
G_GNUC_INTERNAL GstFlowReturn gst_gnutls_dtls_srtp_merge_push_list (
    gpointer input, GstBufferList * list);

G_GNUC_INTERNAL void gst_gnutls_dtls_srtp_merge_set_active (
    GstGnutlsDtlsSrtpMerge * merge, gboolean active);

G_END_DECLS

#endif
