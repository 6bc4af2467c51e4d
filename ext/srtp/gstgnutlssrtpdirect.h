/* GStreamer GnuTLS DTLS-SRTP suite: the SRTP elements' direct entry
 * points, for the DTLS-SRTP bins that hold them.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_GNUTLS_SRTP_DIRECT_H__
#define __GST_GNUTLS_SRTP_DIRECT_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/*
 * A packet through the encoder bin and the decoder bin would cross seven
 * pads: each crossing (gst_pad_push with its probes, flushing checks,
 * stream lock and reference counting) costs about as much as a third of
 * an AES-GCM round trip. The bins own both ends of the pads inside them,
 * so they let packets skip those crossings: they call the SRTP element's
 * chain function directly, and the SRTP element hands its output to a
 * function of the bin instead of its src pad. Events and queries still
 * travel through the pads, in the same streaming thread as the buffers, so
 * their order is kept.
 *
 * gnutlssrtpenc and gnutlssrtpdec live in another plugin than the bins, so
 * nothing links them: the bin asks an element's sink pad for this table
 * with a custom query (GST_GNUTLS_SRTP_DIRECT_QUERY), answered with a
 * pointer to the element's static table. An element of another version,
 * or none, answers nothing and the bin keeps the pads.
 *
 * The bin that installs an output with set_output() guarantees that
 * @user_data stays valid until it removes the output again (NULL
 * functions), and that no chain is running when it does (it deactivates
 * the pad that leads to the chain first).
 */

#define GST_GNUTLS_SRTP_DIRECT_QUERY "GstGnutlsSrtpDirect"
#define GST_GNUTLS_SRTP_DIRECT_VERSION 2

typedef GstFlowReturn (*GstGnutlsSrtpDirectPush) (gpointer user_data,
    GstBuffer * buf);
typedef GstFlowReturn (*GstGnutlsSrtpDirectPushList) (gpointer user_data,
    GstBufferList * list);

typedef struct
{
  guint version;                /* GST_GNUTLS_SRTP_DIRECT_VERSION */
  /* what a push on @sinkpad would do, without the crossing */
  GstFlowReturn (*chain) (GstPad * sinkpad, GstBuffer * buf);
  GstFlowReturn (*chain_list) (GstPad * sinkpad, GstBufferList * list);
  /* what leaves @srcpad goes to @push/@push_list instead (NULL: back to
   * the pad); the flow return of @push is the chain's */
  void (*set_output) (GstPad * srcpad, GstGnutlsSrtpDirectPush push,
      GstGnutlsSrtpDirectPushList push_list, gpointer user_data);
  /* the decoder only (NULL in the encoder's table): chain and chain_list
   * for input that may hold other protocols (RFC 7983). A packet whose
   * first byte is not RTP's (128-191), an empty one included, is neither
   * decrypted nor counted as a drop: it comes back in *@other (or is
   * added to *@others, created when needed) for the caller to send on.
   * The decoder maps each packet once for both, where telling the packets
   * apart first would map them twice. */
  GstFlowReturn (*chain_demux) (GstPad * sinkpad, GstBuffer * buf,
      GstBuffer ** other);
  GstFlowReturn (*chain_list_demux) (GstPad * sinkpad, GstBufferList * list,
      GstBufferList ** others);
} GstGnutlsSrtpDirect;

/* In the element's sink pad query function: TRUE if @query asked for the
 * table (and now has it) */
static inline gboolean
gst_gnutls_srtp_direct_answer (GstQuery * query,
    const GstGnutlsSrtpDirect * table)
{
  const GstStructure *s;

  if (GST_QUERY_TYPE (query) != GST_QUERY_CUSTOM)
    return FALSE;
  s = gst_query_get_structure (query);
  if (s == NULL || !gst_structure_has_name (s, GST_GNUTLS_SRTP_DIRECT_QUERY))
    return FALSE;
  gst_structure_set (gst_query_writable_structure (query), "table",
      G_TYPE_POINTER, table, NULL);
  return TRUE;
}

/* In the bin: the table of the element @sinkpad belongs to, or NULL */
static inline const GstGnutlsSrtpDirect *
gst_gnutls_srtp_direct_find (GstPad * sinkpad)
{
  GstQuery *query = gst_query_new_custom (GST_QUERY_CUSTOM,
      gst_structure_new_empty (GST_GNUTLS_SRTP_DIRECT_QUERY));
  const GstGnutlsSrtpDirect *table = NULL;
  gpointer p = NULL;

  if (gst_pad_query (sinkpad, query) &&
      gst_structure_get (gst_query_get_structure (query), "table",
          G_TYPE_POINTER, &p, NULL) && p != NULL &&
      ((const GstGnutlsSrtpDirect *) p)->version ==
      GST_GNUTLS_SRTP_DIRECT_VERSION)
    table = p;
  gst_query_unref (query);
  return table;
}

G_END_DECLS

#endif
