/* GStreamer GnuTLS DTLS-SRTP suite: what gnutlsdtlsenc and gnutlsdtlsdec
 * share (the link to their connection and its settings).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * An encoder and a decoder find their connection by `connection-id`. The
 * connection holds the settings (is-client, pem, mtu...): while an element
 * has none yet, what is set on it waits in `pending` and moves to the
 * connection when the element gets one, so properties can be set in any
 * order. Either way a setting lives in one place at a time, and reading a
 * property returns the value in effect. An element moved to another
 * connection-id (in NULL or READY) finds that connection's settings; its
 * old connection keeps its own.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstgnutlsdtlsbase.h"
#include "gstgnutlsdtlscertificate.h"
#include "gstgnutlsdtlselements.h"

GST_DEBUG_CATEGORY_STATIC (gst_gnutls_dtls_base_debug);
#define GST_CAT_DEFAULT gst_gnutls_dtls_base_debug

enum
{
  PROP_0,
  PROP_CONNECTION_ID,
  PROP_KEY,                     /* encoder-key or decoder-key */
  PROP_FORWARDED                /* first of the connection's properties */
};

enum
{
  SIGNAL_ON_KEY_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Where a forwarded property appears */
#define ON_ENCODER (1 << 0)
#define ON_DECODER (1 << 1)
#define ON_BOTH (ON_ENCODER | ON_DECODER)
#define NOT_ON_BINS (1 << 2)

/* The connection properties the elements forward, and which elements have
 * them: gnutlsdtlsenc and gnutlssrtpdtlsenc forward those ON_ENCODER,
 * gnutlsdtlsdec and gnutlsdtlssrtpdec those ON_DECODER. */
static const struct
{
  const gchar *name;
  guint where;
} forwarded[] = {
  {"is-client", ON_ENCODER},
  {"pem", ON_DECODER},
  {"peer-pem", ON_DECODER},
  {"connection-state", ON_BOTH},
  {"fingerprint", ON_BOTH},
  {"peer-fingerprint", ON_BOTH},
  {"certificate-type", ON_BOTH},
  {"srtp-profiles", ON_BOTH},
  {"mtu", ON_BOTH},
  {"handshake-timeout", ON_BOTH},
  {"retransmit-timeout", ON_BOTH},
  {"cookie-exchange", ON_BOTH},
  {"priority", ON_BOTH},
  {"srtp-profile", ON_BOTH},
  /* the bins have manual-keying properties of these names */
  {"srtp-cipher", ON_BOTH | NOT_ON_BINS},
  {"srtp-auth", ON_BOTH | NOT_ON_BINS},
};

typedef struct
{
  /* protected by OBJECT_LOCK */
  gchar *connection_id;
  GstGnutlsDtlsConnection *connection;  /* NULL until there is one */
  GstStructure *pending;        /* forwarded settings waiting for it */
} GstGnutlsDtlsBasePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GstGnutlsDtlsBase, gst_gnutls_dtls_base,
    GST_TYPE_ELEMENT);

#define GET_PRIV(self) \
    ((GstGnutlsDtlsBasePrivate *) \
        gst_gnutls_dtls_base_get_instance_private (self))

void
gst_gnutls_dtls_base_install_forwarded (GObjectClass * klass,
    guint first_prop_id, GstGnutlsDtlsConnectionRole role, gboolean bin)
{
  const gchar *names[G_N_ELEMENTS (forwarded) + 1];
  guint want = role == GST_GNUTLS_DTLS_CONNECTION_ENCODER ? ON_ENCODER :
      ON_DECODER;
  guint i, n = 0;

  for (i = 0; i < G_N_ELEMENTS (forwarded); i++) {
    if (!(forwarded[i].where & want))
      continue;
    if (bin && (forwarded[i].where & NOT_ON_BINS))
      continue;
    names[n++] = forwarded[i].name;
  }
  names[n] = NULL;
  gst_gnutls_dtls_connection_install_properties (klass, first_prop_id, names);
}

GstGnutlsDtlsConnection *
gst_gnutls_dtls_base_get_connection (GstGnutlsDtlsBase * self)
{
  GstGnutlsDtlsBasePrivate *priv = GET_PRIV (self);
  GstGnutlsDtlsConnection *conn;

  GST_OBJECT_LOCK (self);
  conn = priv->connection ? gst_object_ref (priv->connection) : NULL;
  GST_OBJECT_UNLOCK (self);
  return conn;
}

static void
post_error (GstGnutlsDtlsBase * self, const GError * error)
{
  GstGnutlsDtlsBasePrivate *priv = GET_PRIV (self);
  gchar *id;

  GST_OBJECT_LOCK (self);
  id = g_strdup (priv->connection_id);
  GST_OBJECT_UNLOCK (self);

  switch (error->code) {
    case GST_RESOURCE_ERROR_SETTINGS:
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", error->message),
          ("DTLS connection-id \"%s\"", id));
      break;
    case GST_RESOURCE_ERROR_NOT_AUTHORIZED:
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED, ("%s",
              error->message), ("DTLS connection-id \"%s\"", id));
      break;
    case GST_RESOURCE_ERROR_READ:
      GST_ELEMENT_ERROR (self, RESOURCE, READ, ("%s", error->message),
          ("DTLS connection-id \"%s\"", id));
      break;
    default:
      GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("%s", error->message),
          ("DTLS connection-id \"%s\"", id));
      break;
  }
  g_free (id);
}

static const gchar *
key_property_name (GstGnutlsDtlsConnectionRole role)
{
  return role == GST_GNUTLS_DTLS_CONNECTION_ENCODER ? "encoder-key" :
      "decoder-key";
}

/* What the connection tells the element, never with its lock held */
static GstFlowReturn
on_connection_event (GstElement * element,
    const GstGnutlsDtlsConnectionEvent * ev)
{
  GstGnutlsDtlsBase *self = GST_GNUTLS_DTLS_BASE (element);
  GstGnutlsDtlsBaseClass *klass = GST_GNUTLS_DTLS_BASE_GET_CLASS (self);

  switch (ev->type) {
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_RECORDS:
      return klass->records ? klass->records (self, ev) : GST_FLOW_OK;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_WARNING:
      GST_ELEMENT_WARNING (self, RESOURCE, WRITE, ("%s", ev->error->message),
          (NULL));
      break;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_STATE:
      g_object_notify (G_OBJECT (self), "connection-state");
      break;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_KEYS:
      g_object_notify (G_OBJECT (self), key_property_name (klass->role));
      g_signal_emit (self, signals[SIGNAL_ON_KEY_RECEIVED], 0);
      break;
    case GST_GNUTLS_DTLS_CONNECTION_EVENT_ERROR:
      post_error (self, ev->error);
      break;
  }
  return GST_FLOW_OK;
}

static gboolean
add_setting (GQuark field, const GValue * value, gpointer conn)
{
  g_object_set_property (conn, g_quark_to_string (field), value);
  return TRUE;
}

/* Attaches the element to the connection of @connection_id (created if
 * needed), moving the settings waiting for one there, and detaches it from
 * the previous one (whose settings stay with it). Returns NULL, or the
 * element that already holds the same role on that connection; the element
 * then has no connection but keeps the id (and its settings) and tries
 * again when it starts. */
static GstElement *
set_connection_id (GstGnutlsDtlsBase * self, const gchar * connection_id)
{
  GstGnutlsDtlsBaseClass *klass = GST_GNUTLS_DTLS_BASE_GET_CLASS (self);
  GstGnutlsDtlsBasePrivate *priv = GET_PRIV (self);
  GstGnutlsDtlsConnection *old, *conn = NULL;
  GstElement *holder = NULL;
  GstStructure *settings;

  if (connection_id && *connection_id) {
    conn = gst_gnutls_dtls_connection_get (connection_id);
    holder = gst_gnutls_dtls_connection_attach (conn, klass->role,
        GST_ELEMENT (self), on_connection_event);
    if (holder) {
      GST_INFO_OBJECT (self, "connection-id \"%s\" is held by %"
          GST_PTR_FORMAT, connection_id, holder);
      gst_clear_object (&conn);
    }
  }

  GST_OBJECT_LOCK (self);
  old = priv->connection;
  priv->connection = conn;
  if (connection_id != priv->connection_id) {
    g_free (priv->connection_id);
    priv->connection_id = connection_id && *connection_id ?
        g_strdup (connection_id) : NULL;
  }
  /* settings waiting for a connection move to it */
  settings = NULL;
  if (conn && gst_structure_n_fields (priv->pending) > 0) {
    settings = priv->pending;
    priv->pending = gst_structure_new_empty ("settings");
  }
  GST_OBJECT_UNLOCK (self);
  if (settings) {
    gst_structure_foreach (settings, add_setting, conn);
    gst_structure_free (settings);
  }

  if (old) {
    /* the same id again keeps the element attached */
    if (old != conn)
      gst_gnutls_dtls_connection_detach (old, klass->role, GST_ELEMENT (self));
    gst_object_unref (old);
  }
  return holder;
}

/* A value that can never work is refused when set (and the element will
 * not start until it is replaced); see gstgnutlsdtlselement.c */
static void
validate_forwarded (GstGnutlsDtlsBase * self, GParamSpec * pspec,
    const GValue * value)
{
  GstElement *element = GST_ELEMENT (self);
  const gchar *str;
  GError *err = NULL;

  if (g_str_equal (pspec->name, "peer-fingerprint")) {
    str = g_value_get_string (value);
    if (str && *str && !gst_gnutls_dtls_fingerprint_check (str, &err)) {
      gst_gnutls_dtls_element_refuse_setting (element, pspec->name,
          "peer-fingerprint %s", err->message);
      g_error_free (err);
      return;
    }
  } else if (g_str_equal (pspec->name, "pem")) {
    GstGnutlsDtlsCertificate *cert;

    str = g_value_get_string (value);
    if (str && *str) {
      cert = gst_gnutls_dtls_certificate_new_from_pem (str, &err);
      if (!cert) {
        gst_gnutls_dtls_element_refuse_setting (element, pspec->name,
            "Invalid pem: %s", err->message);
        g_error_free (err);
        return;
      }
      gst_gnutls_dtls_certificate_unref (cert);
    }
  }
  gst_gnutls_dtls_element_accept_setting (element, pspec->name);
}

static void
set_forwarded (GstGnutlsDtlsBase * self, GParamSpec * pspec,
    const GValue * value)
{
  GstGnutlsDtlsBasePrivate *priv = GET_PRIV (self);
  GstGnutlsDtlsConnection *conn;

  if (!gst_gnutls_dtls_element_check_mutable (GST_ELEMENT (self), pspec, value))
    return;
  /* an invalid value is still stored: the connection then refuses to
   * handshake rather than fall back to a default */
  validate_forwarded (self, pspec, value);

  GST_OBJECT_LOCK (self);
  conn = priv->connection ? gst_object_ref (priv->connection) : NULL;
  if (!conn)
    gst_structure_set_value (priv->pending, pspec->name, value);
  GST_OBJECT_UNLOCK (self);

  if (conn) {
    g_object_set_property (G_OBJECT (conn), pspec->name, value);
    gst_object_unref (conn);
  }
  /* a new certificate: tell those watching (gst-launch-1.0 -v prints it) */
  if (g_str_equal (pspec->name, "pem"))
    g_object_notify (G_OBJECT (self), "fingerprint");
}

static void
get_forwarded (GstGnutlsDtlsBase * self, GParamSpec * pspec, GValue * value)
{
  GstGnutlsDtlsBasePrivate *priv = GET_PRIV (self);
  GstGnutlsDtlsConnection *conn;
  const GValue *v;

  conn = gst_gnutls_dtls_base_get_connection (self);
  if (conn) {
    g_object_get_property (G_OBJECT (conn), pspec->name, value);
    gst_object_unref (conn);
    return;
  }

  GST_OBJECT_LOCK (self);
  v = gst_structure_get_value (priv->pending, pspec->name);
  if (v)
    g_value_copy (v, value);
  else
    g_param_value_set_default (pspec, value);
  GST_OBJECT_UNLOCK (self);

  if (v && g_str_equal (pspec->name, "pem")) {
    /* as the connection would: the certificate only, never the key, and
     * nothing for a pem that cannot be used */
    const gchar *pem = g_value_get_string (value);
    GstGnutlsDtlsCertificate *cert = pem && *pem ?
        gst_gnutls_dtls_certificate_new_from_pem (pem, NULL) : NULL;

    g_value_set_string (value, cert ?
        gst_gnutls_dtls_certificate_get_pem (cert) : NULL);
    if (cert)
      gst_gnutls_dtls_certificate_unref (cert);
  }
}

static void
gst_gnutls_dtls_base_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsBase *self = GST_GNUTLS_DTLS_BASE (object);

  switch (prop_id) {
    case PROP_CONNECTION_ID:{
      GstElement *holder;

      if (!gst_gnutls_dtls_element_check_mutable (GST_ELEMENT (self), pspec,
              value))
        break;
      holder = set_connection_id (self, g_value_get_string (value));
      if (holder)
        gst_object_unref (holder);
      break;
    }
    default:
      if (prop_id >= PROP_FORWARDED)
        set_forwarded (self, pspec, value);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_gnutls_dtls_base_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstGnutlsDtlsBase *self = GST_GNUTLS_DTLS_BASE (object);
  GstGnutlsDtlsBasePrivate *priv = GET_PRIV (self);

  switch (prop_id) {
    case PROP_CONNECTION_ID:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, priv->connection_id);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_KEY:{
      GstGnutlsDtlsConnection *conn =
          gst_gnutls_dtls_base_get_connection (self);
      gboolean encoder =
          GST_GNUTLS_DTLS_BASE_GET_CLASS (self)->role ==
          GST_GNUTLS_DTLS_CONNECTION_ENCODER;
      GstBuffer *key = NULL;

      if (conn) {
        gst_gnutls_dtls_connection_get_srtp_keys (conn, encoder ? &key : NULL,
            encoder ? NULL : &key, NULL, NULL, NULL);
        gst_object_unref (conn);
      }
      g_value_take_boxed (value, key);
      break;
    }
    default:
      if (prop_id >= PROP_FORWARDED)
        get_forwarded (self, pspec, value);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

/* Makes sure the element has its connection, retrying a connection-id
 * that another element held when it was set; posts an error otherwise. */
static gboolean
ensure_connection (GstGnutlsDtlsBase * self)
{
  GstGnutlsDtlsBasePrivate *priv = GET_PRIV (self);
  GstGnutlsDtlsConnection *conn;
  GstElement *holder;
  gchar *id, *path;

  conn = gst_gnutls_dtls_base_get_connection (self);
  if (conn) {
    gst_object_unref (conn);
    return TRUE;
  }

  GST_OBJECT_LOCK (self);
  id = g_strdup (priv->connection_id);
  GST_OBJECT_UNLOCK (self);
  if (!id) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Set the connection-id property: it pairs the encoder and the "
            "decoder of one DTLS connection"), (NULL));
    return FALSE;
  }

  holder = set_connection_id (self, id);
  if (!holder) {
    g_free (id);
    return TRUE;
  }
  path = gst_object_get_path_string (GST_OBJECT (holder));
  GST_ELEMENT_ERROR (self, RESOURCE, BUSY,
      ("connection-id \"%s\" is already used by another %s (%s): each DTLS "
          "connection needs its own connection-id, shared only by its "
          "encoder and its decoder", id,
          GST_GNUTLS_DTLS_BASE_GET_CLASS (self)->role ==
          GST_GNUTLS_DTLS_CONNECTION_ENCODER ? "encoder" : "decoder", path),
      (NULL));
  g_free (path);
  g_free (id);
  gst_object_unref (holder);
  return FALSE;
}

static GstStateChangeReturn
gst_gnutls_dtls_base_change_state (GstElement * element,
    GstStateChange transition)
{
  GstGnutlsDtlsBase *self = GST_GNUTLS_DTLS_BASE (element);

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    if (!gst_gnutls_dtls_element_check_settings (element) ||
        !ensure_connection (self))
      return GST_STATE_CHANGE_FAILURE;
    /* Our certificate is settled from here on: let those watching read
     * its fingerprint (gst-launch-1.0 -v prints it; reading makes the
     * certificate if none was set) */
    g_object_notify (G_OBJECT (self), "fingerprint");
  }

  return GST_ELEMENT_CLASS (gst_gnutls_dtls_base_parent_class)->change_state
      (element, transition);
}

static void
gst_gnutls_dtls_base_finalize (GObject * object)
{
  GstGnutlsDtlsBase *self = GST_GNUTLS_DTLS_BASE (object);
  GstGnutlsDtlsBasePrivate *priv = GET_PRIV (self);

  if (priv->connection) {
    gst_gnutls_dtls_connection_detach (priv->connection,
        GST_GNUTLS_DTLS_BASE_GET_CLASS (self)->role, GST_ELEMENT (self));
    gst_clear_object (&priv->connection);
  }
  g_free (priv->connection_id);
  gst_structure_free (priv->pending);

  G_OBJECT_CLASS (gst_gnutls_dtls_base_parent_class)->finalize (object);
}

void
gst_gnutls_dtls_base_class_install_properties (GstGnutlsDtlsBaseClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  gboolean encoder = klass->role == GST_GNUTLS_DTLS_CONNECTION_ENCODER;

  /* GObject asks the class that installs a property to handle it */
  gobject_class->set_property = gst_gnutls_dtls_base_set_property;
  gobject_class->get_property = gst_gnutls_dtls_base_get_property;

  g_object_class_install_property (gobject_class, PROP_CONNECTION_ID,
      g_param_spec_string ("connection-id", "Connection id",
          "Identifier shared by the encoder and the decoder of one DTLS "
          "connection; unique in the process", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  if (encoder)
    g_object_class_install_property (gobject_class, PROP_KEY,
        g_param_spec_boxed ("encoder-key", "Encoder key",
            "SRTP master key then master salt to protect what we send "
            "(30 bytes for AES-128), NULL until the handshake completes",
            GST_TYPE_BUFFER, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  else
    g_object_class_install_property (gobject_class, PROP_KEY,
        g_param_spec_boxed ("decoder-key", "Decoder key",
            "SRTP master key then master salt the peer protects what it "
            "sends with (30 bytes for AES-128), NULL until the handshake "
            "completes", GST_TYPE_BUFFER,
            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  gst_gnutls_dtls_base_install_forwarded (gobject_class, PROP_FORWARDED,
      klass->role, FALSE);
}

static void
gst_gnutls_dtls_base_class_init (GstGnutlsDtlsBaseClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_gnutls_dtls_base_debug,
      GST_GNUTLS_NAME_PREFIX "dtlsbase", 0,
      "GnuTLS DTLS encoder and decoder (common part)");

  gobject_class->finalize = gst_gnutls_dtls_base_finalize;
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_gnutls_dtls_base_change_state);

  /**
   * GstGnutlsDtlsBase::on-key-received:
   *
   * The SRTP keys are known: read `encoder-key` (on the encoder) or
   * `decoder-key` (on the decoder), `srtp-cipher` and `srtp-auth`.
   * Emitted before connection-state becomes connected, from a streaming or
   * timer thread.
   */
  signals[SIGNAL_ON_KEY_RECEIVED] = g_signal_new ("on-key-received",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);

  gst_type_mark_as_plugin_api (GST_TYPE_GNUTLS_DTLS_BASE, 0);
}

static void
gst_gnutls_dtls_base_init (GstGnutlsDtlsBase * self)
{
  GstGnutlsDtlsBasePrivate *priv = GET_PRIV (self);

  priv->pending = gst_structure_new_empty ("settings");
}
