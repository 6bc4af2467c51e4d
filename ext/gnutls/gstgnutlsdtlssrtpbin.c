/* GStreamer GnuTLS DTLS-SRTP suite: what the DTLS-SRTP encoder and decoder
 * bins share (manual keying, forwarding properties to the DTLS element).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlssrtpbin.h"
#include "gstgnutlsdtlsconnection.h"
#include "gstgnutlsdtlselements.h"

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_srtp_bin_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_srtp_bin_debug

enum
{
  PROP_0,
  PROP_CONNECTION_ID,
  PROP_KEY,
  PROP_SRTP_CIPHER,
  PROP_SRTP_AUTH,
  PROP_SRTCP_CIPHER,
  PROP_SRTCP_AUTH,
  PROP_STATS
};

typedef struct
{
  /* protected by OBJECT_LOCK */
  GstElement *dtls;
  GstElement *srtp;
  gchar *connection_id;
  GstGnutlsDtlsSrtpManualKey manual;
  gulong notify_id;
} GstGnutlsDtlsSrtpBinPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GstGnutlsDtlsSrtpBin,
    gst_gnutls_dtls_srtp_bin, GST_TYPE_BIN);

static void gst_gnutls_dtls_srtp_bin_finalize (GObject * object);
static void gst_gnutls_dtls_srtp_bin_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_gnutls_dtls_srtp_bin_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_gnutls_dtls_srtp_bin_change_state (GstElement
    * element, GstStateChange transition);

static GParamSpec *
manual_string_pspec (const gchar * name, const gchar * nick,
    const gchar * blurb)
{
  return g_param_spec_string (name, nick, blurb, NULL,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING);
}

static void
gst_gnutls_dtls_srtp_bin_class_init (GstGnutlsDtlsSrtpBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_srtp_bin_debug,
      GST_GNUTLS_NAME_PREFIX "dtlssrtpbin", 0,
      "GnuTLS DTLS-SRTP bins (common part)");

  gobject_class->finalize = gst_gnutls_dtls_srtp_bin_finalize;
  gobject_class->set_property = gst_gnutls_dtls_srtp_bin_set_property;
  gobject_class->get_property = gst_gnutls_dtls_srtp_bin_get_property;
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_srtp_bin_change_state);

  g_object_class_install_property (gobject_class, PROP_CONNECTION_ID,
      g_param_spec_string ("connection-id", "Connection id",
          "Identifier shared by the encoder and the decoder bin of one DTLS "
          "connection; unique in the process", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_KEY,
      g_param_spec_boxed ("key", "Key",
          "SRTP master key then salt (30 bytes for aes-128-icm). Setting it "
          "(with the cipher and auth properties) disables DTLS: the media is "
          "protected with this key", GST_TYPE_BUFFER,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_SRTP_CIPHER,
      manual_string_pspec ("srtp-cipher", "SRTP cipher",
          "With key: SRTP cipher, 'null', 'aes-128-icm', 'aes-256-icm', "
          "'aes-128-gcm' or 'aes-256-gcm' (default aes-128-icm); another "
          "name is refused and the element does not start"));
  g_object_class_install_property (gobject_class, PROP_SRTP_AUTH,
      manual_string_pspec ("srtp-auth", "SRTP authentication",
          "With key: SRTP authentication, 'null', 'hmac-sha1-32' or "
          "'hmac-sha1-80' (default hmac-sha1-80); another name is refused "
          "and the element does not start"));
  g_object_class_install_property (gobject_class, PROP_SRTCP_CIPHER,
      manual_string_pspec ("srtcp-cipher", "SRTCP cipher",
          "With key: SRTCP cipher, as srtp-cipher (default aes-128-icm)"));
  g_object_class_install_property (gobject_class, PROP_SRTCP_AUTH,
      manual_string_pspec ("srtcp-auth", "SRTCP authentication",
          "With key: SRTCP authentication, as srtp-auth (default "
          "hmac-sha1-80)"));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "The SRTP element's statistics (per-SSRC streams, packet, byte "
          "and drop counts) and srtp-profile, the SRTP profile in use "
          "(absent until the handshake negotiated one)", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_type_mark_as_plugin_api (GST_TYPE_GNUTLS_DTLS_SRTP_BIN, 0);
}

static void
gst_gnutls_dtls_srtp_bin_init (GstGnutlsDtlsSrtpBin * self)
{
}

void
gst_gnutls_dtls_srtp_manual_key_clear (GstGnutlsDtlsSrtpManualKey * manual)
{
  gst_clear_buffer (&manual->key);
  g_clear_pointer (&manual->srtp_cipher, g_free);
  g_clear_pointer (&manual->srtp_auth, g_free);
  g_clear_pointer (&manual->srtcp_cipher, g_free);
  g_clear_pointer (&manual->srtcp_auth, g_free);
}

static void
gst_gnutls_dtls_srtp_bin_finalize (GObject * object)
{
  GstGnutlsDtlsSrtpBin *self = GST_GNUTLS_DTLS_SRTP_BIN (object);
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);

  gst_gnutls_dtls_srtp_manual_key_clear (&priv->manual);
  g_free (priv->connection_id);
  gst_clear_object (&priv->dtls);
  gst_clear_object (&priv->srtp);

  G_OBJECT_CLASS (gst_gnutls_dtls_srtp_bin_parent_class)->finalize (object);
}

GstElement *
gst_gnutls_dtls_srtp_bin_add_child (GstGnutlsDtlsSrtpBin * self,
    const gchar * factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (e == NULL) {
    GST_WARNING_OBJECT (self, "element '%s' is missing (is the whole GnuTLS "
        "DTLS-SRTP suite installed?)", factory);
    return NULL;
  }
  gst_bin_add (GST_BIN (self), e);
  return e;
}

gpointer
gst_gnutls_dtls_srtp_bin_from_child (gpointer child)
{
  GstObject *parent = gst_object_get_parent (GST_OBJECT (child));

  if (parent && !GST_IS_GNUTLS_DTLS_SRTP_BIN (parent))
    gst_clear_object (&parent);
  return parent;
}

static void
on_dtls_notify (GstElement * dtls, GParamSpec * pspec, gpointer unused)
{
  GstGnutlsDtlsSrtpBin *self = gst_gnutls_dtls_srtp_bin_from_child (dtls);

  if (self == NULL)
    return;
  /* Re-emit the notifications of the properties the bin forwards (such
   * as connection-state, which webrtcbin watches on the bins). */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (self), pspec->name)
      && pspec->owner_type != GST_TYPE_OBJECT)
    g_object_notify (G_OBJECT (self), pspec->name);
  gst_object_unref (self);
}

void
gst_gnutls_dtls_srtp_bin_set_dtls_element (GstGnutlsDtlsSrtpBin * self,
    GstElement * dtls)
{
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);
  GstElement *old;
  gulong old_id;

  GST_OBJECT_LOCK (self);
  old = priv->dtls;
  old_id = priv->notify_id;
  priv->dtls = dtls ? gst_object_ref (dtls) : NULL;
  priv->notify_id = 0;
  if (dtls && priv->connection_id)
    g_object_set (dtls, "connection-id", priv->connection_id, NULL);
  GST_OBJECT_UNLOCK (self);

  if (old) {
    g_signal_handler_disconnect (old, old_id);
    gst_object_unref (old);
  }
  if (dtls) {
    gulong id = g_signal_connect (dtls, "notify",
        G_CALLBACK (on_dtls_notify), NULL);
    GST_OBJECT_LOCK (self);
    priv->notify_id = id;
    GST_OBJECT_UNLOCK (self);
  }
}

GstElement *
gst_gnutls_dtls_srtp_bin_get_dtls_element (GstGnutlsDtlsSrtpBin * self)
{
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);
  GstElement *dtls;

  GST_OBJECT_LOCK (self);
  dtls = priv->dtls ? gst_object_ref (priv->dtls) : NULL;
  GST_OBJECT_UNLOCK (self);
  return dtls;
}

gboolean
gst_gnutls_dtls_srtp_bin_get_manual (GstGnutlsDtlsSrtpBin * self,
    GstGnutlsDtlsSrtpManualKey * manual)
{
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);
  gboolean set;

  GST_OBJECT_LOCK (self);
  set = priv->manual.key != NULL;
  manual->key = set ? gst_buffer_ref (priv->manual.key) : NULL;
  manual->srtp_cipher = g_strdup (priv->manual.srtp_cipher ?
      priv->manual.srtp_cipher : "aes-128-icm");
  manual->srtp_auth = g_strdup (priv->manual.srtp_auth ?
      priv->manual.srtp_auth : "hmac-sha1-80");
  manual->srtcp_cipher = g_strdup (priv->manual.srtcp_cipher ?
      priv->manual.srtcp_cipher : "aes-128-icm");
  manual->srtcp_auth = g_strdup (priv->manual.srtcp_auth ?
      priv->manual.srtcp_auth : "hmac-sha1-80");
  GST_OBJECT_UNLOCK (self);
  return set;
}

gboolean
gst_gnutls_dtls_srtp_bin_forward_set (GstGnutlsDtlsSrtpBin * self,
    GParamSpec * pspec, const GValue * value)
{
  GstElement *dtls;

  if (!gst_gnutls_dtls_element_check_mutable (GST_ELEMENT (self), pspec, value))
    return TRUE;
  dtls = gst_gnutls_dtls_srtp_bin_get_dtls_element (self);
  if (dtls == NULL)
    return FALSE;
  g_object_set_property (G_OBJECT (dtls), pspec->name, value);
  gst_object_unref (dtls);
  return TRUE;
}

gboolean
gst_gnutls_dtls_srtp_bin_forward_get (GstGnutlsDtlsSrtpBin * self,
    GParamSpec * pspec, GValue * value)
{
  GstElement *dtls = gst_gnutls_dtls_srtp_bin_get_dtls_element (self);

  if (dtls == NULL) {
    g_param_value_set_default (pspec, value);
    return FALSE;
  }
  g_object_get_property (G_OBJECT (dtls), pspec->name, value);
  gst_object_unref (dtls);
  return TRUE;
}

void
gst_gnutls_dtls_srtp_bin_set_srtp_element (GstGnutlsDtlsSrtpBin * self,
    GstElement * srtp)
{
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);

  GST_OBJECT_LOCK (self);
  gst_object_replace ((GstObject **) & priv->srtp, GST_OBJECT (srtp));
  GST_OBJECT_UNLOCK (self);
}

static GstCaps *
manual_key_caps (const GstGnutlsDtlsSrtpManualKey * manual)
{
  return gst_caps_new_simple ("application/x-srtp",
      "srtp-key", GST_TYPE_BUFFER, manual->key,
      "srtp-cipher", G_TYPE_STRING, manual->srtp_cipher,
      "srtp-auth", G_TYPE_STRING, manual->srtp_auth,
      "srtcp-cipher", G_TYPE_STRING, manual->srtcp_cipher,
      "srtcp-auth", G_TYPE_STRING, manual->srtcp_auth, NULL);
}

/* The connection of the bin's connection-id, if it has one */
static GstGnutlsDtlsConnection *
get_connection (GstGnutlsDtlsSrtpBin * self)
{
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);
  GstGnutlsDtlsConnection *conn = NULL;
  gchar *id;

  GST_OBJECT_LOCK (self);
  id = g_strdup (priv->connection_id);
  GST_OBJECT_UNLOCK (self);
  if (id)
    conn = gst_gnutls_dtls_connection_get (id);
  g_free (id);
  return conn;
}

GstCaps *
gst_gnutls_dtls_srtp_bin_get_key_caps (GstGnutlsDtlsSrtpBin * self,
    GstGnutlsDtlsConnectionRole role)
{
  GstGnutlsDtlsSrtpManualKey manual;
  GstGnutlsDtlsConnection *conn;
  GstCaps *caps = NULL;

  if (gst_gnutls_dtls_srtp_bin_get_manual (self, &manual))
    caps = manual_key_caps (&manual);
  gst_gnutls_dtls_srtp_manual_key_clear (&manual);
  if (caps)
    return caps;

  conn = get_connection (self);
  if (conn) {
    caps = gst_gnutls_dtls_connection_get_srtp_caps (conn, role);
    gst_object_unref (conn);
  }
  return caps;
}

static GstStructure *
get_stats (GstGnutlsDtlsSrtpBin * self)
{
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);
  GstStructure *stats = NULL;
  GstGnutlsDtlsConnection *conn;
  GstElement *srtp;
  gchar *profile = NULL;

  GST_OBJECT_LOCK (self);
  srtp = priv->srtp ? gst_object_ref (priv->srtp) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (srtp) {
    g_object_get (srtp, "stats", &stats, NULL);
    gst_object_unref (srtp);
  }
  if (stats == NULL)
    stats = gst_structure_new_empty ("application/x-dtls-srtp-stats");

  conn = get_connection (self);
  if (conn) {
    g_object_get (conn, "srtp-profile", &profile, NULL);
    gst_object_unref (conn);
  }
  if (profile)
    gst_structure_set (stats, "srtp-profile", G_TYPE_STRING, profile, NULL);
  g_free (profile);
  if (GST_GNUTLS_DTLS_SRTP_BIN_GET_CLASS (self)->add_stats)
    GST_GNUTLS_DTLS_SRTP_BIN_GET_CLASS (self)->add_stats (self, stats);
  return stats;
}

/* The names srtpenc knows for @prop ("rtp-cipher" or "rtp-auth"): its
 * enum is the one list of SRTP ciphers and authentications. NULL if the
 * SRTP plugin is missing (the bin cannot start then anyway). */
static GEnumClass *
srtp_enum_class (const gchar * prop)
{
  GstElementFactory *factory;
  GstPluginFeature *loaded;
  GObjectClass *klass;
  GParamSpec *pspec;
  GEnumClass *e = NULL;

  factory = gst_element_factory_find (GST_GNUTLS_NAME_PREFIX "srtpenc");
  if (!factory)
    return NULL;
  loaded = gst_plugin_feature_load (GST_PLUGIN_FEATURE (factory));
  gst_object_unref (factory);
  if (!loaded)
    return NULL;
  klass = g_type_class_ref (gst_element_factory_get_element_type
      (GST_ELEMENT_FACTORY (loaded)));
  gst_object_unref (loaded);
  pspec = g_object_class_find_property (klass, prop);
  if (pspec && G_IS_PARAM_SPEC_ENUM (pspec))
    e = g_type_class_ref (pspec->value_type);
  g_type_class_unref (klass);
  return e;
}

/* An unknown cipher or authentication name is refused (the bin will not
 * start) rather than replaced by the default */
static void
validate_manual_name (GstGnutlsDtlsSrtpBin * self, GParamSpec * pspec,
    const gchar * value)
{
  gboolean cipher = g_str_has_suffix (pspec->name, "-cipher");
  GEnumClass *e;
  GString *known;
  guint i;

  if (value == NULL ||
      !(e = srtp_enum_class (cipher ? "rtp-cipher" : "rtp-auth"))) {
    gst_gnutls_dtls_element_accept_setting (GST_ELEMENT (self), pspec->name);
    return;
  }
  if (g_enum_get_value_by_nick (e, value)) {
    gst_gnutls_dtls_element_accept_setting (GST_ELEMENT (self), pspec->name);
  } else {
    known = g_string_new (NULL);
    for (i = 0; i < e->n_values; i++)
      g_string_append_printf (known, "%s%s", i ? ", " : "",
          e->values[i].value_nick);
    gst_gnutls_dtls_element_refuse_setting (GST_ELEMENT (self), pspec->name,
        "%s \"%s\" is not an SRTP %s; known: %s", pspec->name, value,
        cipher ? "cipher" : "authentication", known->str);
    g_string_free (known, TRUE);
  }
  g_type_class_unref (e);
}

static void
gst_gnutls_dtls_srtp_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsSrtpBin *self = GST_GNUTLS_DTLS_SRTP_BIN (object);
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);
  gchar **str = NULL;

  switch (prop_id) {
    case PROP_CONNECTION_ID:{
      GstElement *dtls;

      if (!gst_gnutls_dtls_element_check_mutable (GST_ELEMENT (self), pspec,
              value))
        return;
      GST_OBJECT_LOCK (self);
      g_free (priv->connection_id);
      priv->connection_id = g_value_dup_string (value);
      dtls = priv->dtls ? gst_object_ref (priv->dtls) : NULL;
      GST_OBJECT_UNLOCK (self);
      if (dtls) {
        g_object_set_property (G_OBJECT (dtls), "connection-id", value);
        gst_object_unref (dtls);
      }
      return;
    }
    case PROP_KEY:
      GST_OBJECT_LOCK (self);
      gst_clear_buffer (&priv->manual.key);
      priv->manual.key = g_value_dup_boxed (value);
      GST_OBJECT_UNLOCK (self);
      return;
    case PROP_SRTP_CIPHER:
      str = &priv->manual.srtp_cipher;
      break;
    case PROP_SRTP_AUTH:
      str = &priv->manual.srtp_auth;
      break;
    case PROP_SRTCP_CIPHER:
      str = &priv->manual.srtcp_cipher;
      break;
    case PROP_SRTCP_AUTH:
      str = &priv->manual.srtcp_auth;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
  }
  validate_manual_name (self, pspec, g_value_get_string (value));
  GST_OBJECT_LOCK (self);
  g_free (*str);
  *str = g_value_dup_string (value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_gnutls_dtls_srtp_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsSrtpBin *self = GST_GNUTLS_DTLS_SRTP_BIN (object);
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, get_stats (self));
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_CONNECTION_ID:
      g_value_set_string (value, priv->connection_id);
      break;
    case PROP_KEY:
      g_value_set_boxed (value, priv->manual.key);
      break;
    case PROP_SRTP_CIPHER:
      g_value_set_string (value, priv->manual.srtp_cipher);
      break;
    case PROP_SRTP_AUTH:
      g_value_set_string (value, priv->manual.srtp_auth);
      break;
    case PROP_SRTCP_CIPHER:
      g_value_set_string (value, priv->manual.srtcp_cipher);
      break;
    case PROP_SRTCP_AUTH:
      g_value_set_string (value, priv->manual.srtcp_auth);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static gboolean
deactivate_pad (GstElement * element, GstPad * pad, gpointer unused)
{
  gst_pad_set_active (pad, FALSE);
  return TRUE;
}

static GstStateChangeReturn
gst_gnutls_dtls_srtp_bin_change_state (GstElement * element,
    GstStateChange transition)
{
  GstGnutlsDtlsSrtpBin *self = GST_GNUTLS_DTLS_SRTP_BIN (element);
  GstGnutlsDtlsSrtpBinClass *klass = GST_GNUTLS_DTLS_SRTP_BIN_GET_CLASS (self);
  GstGnutlsDtlsSrtpBinPrivate *priv =
      gst_gnutls_dtls_srtp_bin_get_instance_private (self);

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    gboolean manual;
    GstElement *dtls;

    if (!gst_gnutls_dtls_element_check_settings (element))
      return GST_STATE_CHANGE_FAILURE;
    GST_OBJECT_LOCK (self);
    manual = priv->manual.key != NULL;
    dtls = priv->dtls;
    if (!manual && dtls && priv->connection_id == NULL) {
      GST_OBJECT_UNLOCK (self);
      GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
          ("Set the \"connection-id\" property (the same on the encoder "
              "and decoder bin of one connection), or \"key\" for manual "
              "SRTP keying without DTLS"), ("no connection-id"));
      return GST_STATE_CHANGE_FAILURE;
    }
    GST_OBJECT_UNLOCK (self);
    if (manual && dtls) {
      GST_INFO_OBJECT (self, "key set: manual SRTP keying, DTLS disabled");
      klass->remove_dtls_element (self);
      gst_gnutls_dtls_srtp_bin_set_dtls_element (self, NULL);
    }
  }
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    /* Packets go from the bin's sink pads to the SRTP elements' chain
     * functions without crossing their pads (gstgnutlssrtpdirect.h): stop
     * them at the bin's pads, waiting for the one in flight, before the
     * children stop (GstBin would deactivate its own pads after them). */
    gst_element_foreach_sink_pad (element, deactivate_pad, NULL);
  }

  return
      GST_ELEMENT_CLASS (gst_gnutls_dtls_srtp_bin_parent_class)->change_state
      (element, transition);
}
