/* gnutlsdtlssrtpenc/dec where the SRTP plugin is not installed (this test
 * runs with a plugin path without it): the bins still have their pads, so
 * an application (or webrtcbin) can link them, and refuse to start with an
 * error that says what is missing.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <string.h>

#define ENC_BIN GST_GNUTLS_NAME_PREFIX "dtlssrtpenc"
#define DEC_BIN GST_GNUTLS_NAME_PREFIX "dtlssrtpdec"
#define SRTPENC GST_GNUTLS_NAME_PREFIX "srtpenc"

static void
assert_has_pad (GstElement * e, const gchar * name, GstPadDirection dir)
{
  GstPad *pad = gst_element_get_static_pad (e, name);

  fail_unless (pad != NULL, "%s has no %s pad", GST_ELEMENT_NAME (e), name);
  fail_unless_equals_int (GST_PAD_DIRECTION (pad), dir);
  gst_object_unref (pad);
}

GST_START_TEST (test_pads_without_srtp_plugin)
{
  GstElement *enc, *dec;
  GstPad *rtp, *rtcp, *data, *data_src;

  /* the point of the test: the SRTP elements are not there */
  fail_unless (gst_element_factory_find (SRTPENC) == NULL,
      "%s is on the plugin path of this test; it must not be", SRTPENC);

  enc = gst_element_factory_make (ENC_BIN, NULL);
  dec = gst_element_factory_make (DEC_BIN, NULL);
  fail_unless (enc && dec, "the DTLS-SRTP bins themselves must exist");

  /* the DTLS settings still answer (webrtcbin reads pem to make its
   * offer before it starts the bins) */
  {
    gchar *pem = NULL;

    g_object_set (enc, "connection-id", "pads", "is-client", TRUE, NULL);
    g_object_set (dec, "connection-id", "pads", NULL);
    g_object_get (dec, "pem", &pem, NULL);
    fail_unless (pem && g_str_has_prefix (pem, "-----BEGIN CERTIFICATE"));
    g_free (pem);
  }

  assert_has_pad (enc, "src", GST_PAD_SRC);
  assert_has_pad (dec, "sink", GST_PAD_SINK);
  assert_has_pad (dec, "rtp_src", GST_PAD_SRC);
  assert_has_pad (dec, "rtcp_src", GST_PAD_SRC);

  /* request pads as webrtcbin asks for them */
  rtp = gst_element_request_pad_simple (enc, "rtp_sink_0");
  rtcp = gst_element_request_pad_simple (enc, "rtcp_sink_0");
  data = gst_element_request_pad_simple (enc, "data_sink");
  data_src = gst_element_request_pad_simple (dec, "data_src");
  fail_unless (rtp && rtcp && data && data_src);
  fail_unless_equals_string (GST_PAD_NAME (rtp), "rtp_sink_0");
  fail_unless_equals_string (GST_PAD_NAME (rtcp), "rtcp_sink_0");
  fail_unless_equals_string (GST_PAD_NAME (data), "data_sink");
  gst_element_release_request_pad (enc, rtp);
  gst_element_release_request_pad (enc, rtcp);
  gst_element_release_request_pad (enc, data);
  gst_element_release_request_pad (dec, data_src);
  gst_object_unref (rtp);
  gst_object_unref (rtcp);
  gst_object_unref (data);
  gst_object_unref (data_src);

  gst_object_unref (enc);
  gst_object_unref (dec);
}

GST_END_TEST;

/* Linked in a pipeline as usual, the bins fail the state change with a
 * "missing plugin" error */
GST_START_TEST (test_start_fails_clearly)
{
  /* core elements only: with -Dstandard-names=true the test has no others */
  const gchar *descriptions[] = {
    "fakesrc ! " DEC_BIN " connection-id=m ! fakesink",
    "fakesrc ! capsfilter caps=application/x-rtp ! " ENC_BIN
        " connection-id=m ! fakesink",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (descriptions); i++) {
    GError *error = NULL;
    GstElement *pipeline = gst_parse_launch (descriptions[i], &error);
    GstBus *bus;
    GstMessage *m;

    fail_unless (pipeline != NULL && error == NULL, "%s: %s",
        descriptions[i], error ? error->message : "");
    fail_unless_equals_int (gst_element_set_state (pipeline,
            GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
    bus = gst_element_get_bus (pipeline);
    m = gst_bus_timed_pop_filtered (bus, GST_SECOND, GST_MESSAGE_ERROR);
    fail_unless (m != NULL, "no error for %s", descriptions[i]);
    gst_message_parse_error (m, &error, NULL);
    fail_unless (error->domain == GST_CORE_ERROR &&
        error->code == GST_CORE_ERROR_MISSING_PLUGIN, "error: %s",
        error->message);
    fail_unless (strstr (error->message, "missing") != NULL, "error: %s",
        error->message);
    GST_INFO ("%s: %s", descriptions[i], error->message);
    g_clear_error (&error);
    gst_message_unref (m);
    gst_object_unref (bus);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (pipeline);
  }
}

GST_END_TEST;

static Suite *
dtlssrtp_missing_suite (void)
{
  Suite *s = suite_create ("dtlssrtp_missing");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_pads_without_srtp_plugin);
  tcase_add_test (tc, test_start_fails_clearly);
  return s;
}

GST_CHECK_MAIN (dtlssrtp_missing);
