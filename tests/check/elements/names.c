/* Element names: the suite's own names (gnutls-prefixed by default, the
 * plain ones with -Dstandard-names=true), unique GType names, and an
 * application putting our elements under the standard names at run time
 * where the reference plugins are installed too.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

static const struct
{
  const gchar *name;            /* standard name */
  const gchar *type;            /* our GType name */
  gboolean needs_dtls;          /* in ext/gnutls */
} elements[] = {
  {"srtpenc", "GstGnutlsSrtpEnc", FALSE},
  {"srtpdec", "GstGnutlsSrtpDec", FALSE},
  {"dtlssrtpdemux", "GstGnutlsDtlsSrtpDemux", FALSE},
  {"dtlsenc", "GstGnutlsDtlsEnc", TRUE},
  {"dtlsdec", "GstGnutlsDtlsDec", TRUE},
  {"dtlssrtpenc", "GstGnutlsDtlsSrtpEnc", TRUE},
  {"dtlssrtpdec", "GstGnutlsDtlsSrtpDec", TRUE},
};

/* Our elements exist under the names this build registers. */
GST_START_TEST (test_registered_names)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (elements); i++) {
    gchar *name = g_strconcat (GST_GNUTLS_NAME_PREFIX, elements[i].name,
        NULL);
    GstElement *e = gst_element_factory_make (name, NULL);

    if (e == NULL && elements[i].needs_dtls && !HAVE_GNUTLS_DTLS) {
      g_free (name);
      continue;
    }
    fail_unless (e != NULL, "no element '%s'", name);
    fail_unless_equals_string (G_OBJECT_TYPE_NAME (e), elements[i].type);
    gst_object_unref (e);
    g_free (name);
  }
}

GST_END_TEST;

/* An application can make gst_element_factory_make ("srtpenc") (as
 * webrtcbin calls it) return ours even with gst-plugins-bad installed:
 * registering a feature replaces the one of the same name. */
GST_START_TEST (test_reregister_at_run_time)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (elements); i++) {
    gchar *ours = g_strconcat (GST_GNUTLS_NAME_PREFIX, elements[i].name,
        NULL);
    GstElementFactory *f = gst_element_factory_find (ours);
    GstPluginFeature *loaded;
    GstElement *e;

    if (f == NULL && elements[i].needs_dtls && !HAVE_GNUTLS_DTLS) {
      g_free (ours);
      continue;
    }
    fail_unless (f != NULL, "no element '%s'", ours);
    loaded = gst_plugin_feature_load (GST_PLUGIN_FEATURE (f));
    fail_unless (gst_element_register (NULL, elements[i].name,
            GST_RANK_PRIMARY,
            gst_element_factory_get_element_type (GST_ELEMENT_FACTORY
                (loaded))));
    e = gst_element_factory_make (elements[i].name, NULL);
    fail_unless (e != NULL);
    fail_unless_equals_string (G_OBJECT_TYPE_NAME (e), elements[i].type);
    gst_object_unref (e);
    gst_object_unref (loaded);
    gst_object_unref (f);
    g_free (ours);
  }
}

GST_END_TEST;

static Suite *
names_suite (void)
{
  Suite *s = suite_create ("names");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_registered_names);
  tcase_add_test (tc, test_reregister_at_run_time);
  return s;
}

GST_CHECK_MAIN (names);
