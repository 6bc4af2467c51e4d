/* Writes the seed corpora of the fuzz targets from real runs of our
 * elements: SRTP/SRTCP packets protected by gnutlssrtpenc, and the
 * datagrams of real in-process DTLS handshakes between gnutlsdtlsenc/dec
 * pairs, and of a bare GnuTLS client (tests/check/dtls/dtlshello.h) for
 * fuzz_dtls_wire. Run by `ninja -C build-fuzz fuzz-seeds`, which rewrites
 * fuzz/corpus/; the result is committed.
 *
 *   gen-seeds OUTDIR
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-dtls.h"
#include "fuzz-srtp.h"
#include "fuzz-wire.h"
#include "dtlshello.h"

#include <glib/gstdio.h>

#define SRTP_ENC GST_GNUTLS_NAME_PREFIX "srtpenc"
#define SSRC 0x5eed0001u

static const gchar *outdir;

static void
write_seed (const gchar * target, const gchar * name, GByteArray * data)
{
  gchar *dir = g_build_filename (outdir, target, NULL);
  gchar *path = g_build_filename (dir, name, NULL);
  GError *error = NULL;

  g_mkdir_with_parents (dir, 0755);
  if (!g_file_set_contents (path, (const gchar *) data->data, data->len,
          &error))
    g_error ("%s", error->message);
  g_print ("%s: %u bytes\n", path, data->len);
  g_free (path);
  g_free (dir);
}

static void
append_u8 (GByteArray * a, guint8 v)
{
  g_byte_array_append (a, &v, 1);
}

static void
append_u32 (GByteArray * a, guint32 v)
{
  guint8 b[4];

  GST_WRITE_UINT32_BE (b, v);
  g_byte_array_append (a, b, 4);
}

static void
append_buffer_chunk (GByteArray * a, GstBuffer * buf)
{
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_READ);
  fuzz_append_chunk (a, map.data, map.size);
  gst_buffer_unmap (buf, &map);
}

/* ------------------------------------------------------------------------ */
/* SRTP                                                                     */

static GstBuffer *
make_rtp (guint16 seq, guint payload_len)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 12 + payload_len, NULL);
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  map.data[0] = 0x80;
  map.data[1] = 96;
  GST_WRITE_UINT16_BE (map.data + 2, seq);
  GST_WRITE_UINT32_BE (map.data + 4, seq * 160u);
  GST_WRITE_UINT32_BE (map.data + 8, SSRC);
  for (i = 0; i < payload_len; i++)
    map.data[12 + i] = (guint8) (seq * 3 + i);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* A sender report without report blocks, then an SDES with a CNAME: the
 * compound packet an RTP session sends. */
static GstBuffer *
make_rtcp (guint32 n)
{
  static const guint8 cname[] = "fuzz@example";
  guint8 d[28 + 8 + 16];
  guint i;

  memset (d, 0, sizeof (d));
  d[0] = 0x80;
  d[1] = 200;                   /* SR */
  GST_WRITE_UINT16_BE (d + 2, 6);
  GST_WRITE_UINT32_BE (d + 4, SSRC);
  GST_WRITE_UINT32_BE (d + 8, 0xe0000000u + n);
  GST_WRITE_UINT32_BE (d + 16, n * 160);
  GST_WRITE_UINT32_BE (d + 20, n);
  GST_WRITE_UINT32_BE (d + 24, n * 172);
  d[28] = 0x81;
  d[29] = 202;                  /* SDES, one chunk */
  GST_WRITE_UINT16_BE (d + 30, 5);
  GST_WRITE_UINT32_BE (d + 32, SSRC);
  d[36] = 1;                    /* CNAME */
  d[37] = sizeof (cname) - 1;
  for (i = 0; i < sizeof (cname) - 1; i++)
    d[38 + i] = cname[i];
  return gst_buffer_new_memdup (d, sizeof (d));
}

typedef struct
{
  GstElement *enc;
  GstHarness *rtp, *rtcp;
} SrtpEnc;

static void
srtp_enc_start (SrtpEnc * e, guint8 config, guint mki_len)
{
  const FuzzSrtpProfile *p = &fuzz_srtp_profiles[config & 7];
  GstBuffer *key = fuzz_srtp_key (0, p->key_len);

  e->enc = fuzz_make_element (SRTP_ENC);
  g_object_set (e->enc, "key", key, NULL);
  gst_buffer_unref (key);
  gst_util_set_object_arg (G_OBJECT (e->enc), "rtp-cipher", p->cipher);
  gst_util_set_object_arg (G_OBJECT (e->enc), "rtp-auth", p->auth);
  gst_util_set_object_arg (G_OBJECT (e->enc), "rtcp-cipher", p->cipher);
  gst_util_set_object_arg (G_OBJECT (e->enc), "rtcp-auth",
      (config & FUZZ_SRTCP_AUTH_80) ? "hmac-sha1-80" : p->auth);
  if (config & FUZZ_SRTP_MKI) {
    GstBuffer *mki = fuzz_srtp_mki (0, mki_len);

    g_object_set (e->enc, "mki", mki, NULL);
    gst_buffer_unref (mki);
  }
  e->rtp = gst_harness_new_with_element (e->enc, "rtp_sink_0", "rtp_src_0");
  gst_harness_set_src_caps_str (e->rtp, "application/x-rtp, payload=(int)96,"
      " clock-rate=(int)8000, encoding-name=(string)L16");
  e->rtcp = gst_harness_new_with_element (e->enc, "rtcp_sink_0", "rtcp_src_0");
  gst_harness_set_src_caps_str (e->rtcp, "application/x-rtcp");
}

static GstBuffer *
srtp_protect (GstHarness * h, GstBuffer * in)
{
  GstBuffer *out;

  if (gst_harness_push (h, in) != GST_FLOW_OK ||
      !(out = gst_harness_try_pull (h)))
    g_error ("gnutlssrtpenc did not protect the packet");
  return out;
}

static void
srtp_enc_stop (SrtpEnc * e)
{
  gst_harness_teardown (e->rtcp);
  gst_harness_teardown (e->rtp);
  gst_object_unref (e->enc);
}

/* Appends a command of the fuzz_srtpdec format */
static void
append_command (GByteArray * a, guint8 type, GstBuffer * buf)
{
  append_u8 (a, type);
  append_buffer_chunk (a, buf);
}

/* One seed per profile: RTP, SRTCP on rtcp_sink, SRTCP multiplexed on
 * rtp_sink, a list, a replayed packet, then the stats. */
static void
write_srtp_seed (const gchar * name, guint8 config, guint8 mki_byte)
{
  GByteArray *a = g_byte_array_new ();
  GstBuffer *p[6];
  GByteArray *list = g_byte_array_new ();
  SrtpEnc e;
  guint i;

  srtp_enc_start (&e, config, 1 + (mki_byte & 3));
  for (i = 0; i < 4; i++)
    p[i] = srtp_protect (e.rtp, make_rtp (100 + i, 40 + 20 * i));
  p[4] = srtp_protect (e.rtcp, make_rtcp (1));
  p[5] = srtp_protect (e.rtcp, make_rtcp (2));
  srtp_enc_stop (&e);

  append_u8 (a, config);
  append_u32 (a, SSRC);
  append_u8 (a, 0);             /* roc */
  append_u8 (a, mki_byte);
  append_u8 (a, 0);             /* replay window 64 */
  append_command (a, 0, p[0]);
  append_command (a, 1, p[4]);
  append_command (a, 0, p[5]);  /* muxed */
  append_buffer_chunk (list, p[1]);
  append_buffer_chunk (list, p[2]);
  append_u8 (a, 2);
  fuzz_append_chunk (a, list->data, list->len);
  append_command (a, 0x10, p[3]);       /* two memories */
  append_command (a, 0x40, p[0]);       /* replay, not writable */
  append_u8 (a, 7);
  fuzz_append_chunk (a, NULL, 0);
  write_seed ("srtpdec", name, a);

  for (i = 0; i < G_N_ELEMENTS (p); i++)
    gst_buffer_unref (p[i]);
  g_byte_array_unref (list);
  g_byte_array_unref (a);
}

/* Keys coming from the request-key answer and from a caps update */
static void
write_srtp_rekey_seed (void)
{
  GByteArray *a = g_byte_array_new ();
  guint8 config = 0 | FUZZ_SRTP_NO_SSRC | FUZZ_SRTP_ANSWER_KEY;
  guint8 caps_cmd[8] = { 1, 0, 0, 0, 0, 0, 0, 0 };
  /* fuzz_srtp_caps_from_bytes: ssrc, srtp-key, ciphers, auths */
  static const guint8 fields[] = {
    (FUZZ_FIELD_UINT << 5) | 0, 0x5e, 0xed, 0x00, 0x01,
    (FUZZ_FIELD_KEY << 5) | 2, 0, 30,
    (FUZZ_FIELD_NICK << 5) | 3, 1,
    (FUZZ_FIELD_NICK << 5) | 4, 6,
    (FUZZ_FIELD_NICK << 5) | 5, 1,
    (FUZZ_FIELD_NICK << 5) | 6, 6,
  };
  GstBuffer *p[2];
  SrtpEnc e;

  srtp_enc_start (&e, 0, 1);
  p[0] = srtp_protect (e.rtp, make_rtp (7, 60));
  p[1] = srtp_protect (e.rtp, make_rtp (8, 60));
  srtp_enc_stop (&e);

  append_u8 (a, config);
  append_u32 (a, 0);
  append_u8 (a, 0);
  append_u8 (a, 0);
  append_u8 (a, 1);
  append_command (a, 0, p[0]);
  /* a new key (profile 1) for the SSRC: the next packet fails */
  GST_WRITE_UINT32_BE (caps_cmd + 1, SSRC);
  append_u8 (a, 4);
  fuzz_append_chunk (a, caps_cmd, sizeof (caps_cmd));
  append_command (a, 0x20, p[1]);
  /* the right key again, as a caps string */
  /* the right key again, field by field */
  append_u8 (a, 5);
  fuzz_append_chunk (a, fields, sizeof (fields));
  append_command (a, 0, p[1]);
  append_u8 (a, 6);
  fuzz_append_chunk (a, (const guint8 *) "\0\x5e\xed\0\x01", 5);
  append_u8 (a, 6);
  fuzz_append_chunk (a, (const guint8 *) "\1", 1);
  write_seed ("srtpdec", "rekey", a);


  gst_buffer_unref (p[0]);
  gst_buffer_unref (p[1]);
  g_byte_array_unref (a);
}

/* ------------------------------------------------------------------------ */
/* DTLS                                                                     */

typedef struct
{
  GPtrArray *from_client, *from_server; /* GstBuffer, in order */
} Handshake;

static guint
carry (FuzzDtlsSide * from, FuzzDtlsSide * to, GPtrArray * log)
{
  GstBuffer *buf;
  guint n = 0;

  while ((buf = gst_harness_try_pull (from->enc))) {
    g_ptr_array_add (log, gst_buffer_ref (buf));
    gst_harness_push (to->dec, buf);
    n++;
  }
  return n;
}

static gint
side_state (FuzzDtlsSide * s)
{
  gint state;

  g_object_get (s->enc_el, "connection-state", &state, NULL);
  return state;
}

/* A real handshake between a client and a server of ours, configured by
 * @flags as the fuzz targets would be; every datagram is logged. */
static void
capture_handshake (guint8 flags, Handshake * hs)
{
  FuzzDtlsSide client, server;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  hs->from_client = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  hs->from_server = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  fuzz_dtls_side_start (&server, FALSE, flags);
  fuzz_dtls_side_start (&client, TRUE, flags);
  while (g_get_monotonic_time () < end) {
    guint moved = carry (&client, &server, hs->from_client);

    moved += carry (&server, &client, hs->from_server);
    if (!moved && side_state (&client) == 4 && side_state (&server) == 4)
      break;
    if (!moved)
      g_usleep (1000);
  }
  if (side_state (&client) != 4 || side_state (&server) != 4)
    g_error ("the DTLS handshake did not complete (flags 0x%02x)", flags);
  fuzz_dtls_side_stop (&client);
  fuzz_dtls_side_stop (&server);
}

static void
handshake_clear (Handshake * hs)
{
  g_ptr_array_unref (hs->from_client);
  g_ptr_array_unref (hs->from_server);
}

/* flags, then datagrams [first, last) of @log */
static void
write_dtls_seed (const gchar * target, const gchar * name, guint8 flags,
    GPtrArray * log, guint first, guint last)
{
  GByteArray *a = g_byte_array_new ();
  guint i;

  append_u8 (a, flags);
  for (i = first; i < MIN (last, log->len); i++)
    append_buffer_chunk (a, g_ptr_array_index (log, i));
  write_seed (target, name, a);
  g_byte_array_unref (a);
}

/* ------------------------------------------------------------------------ */
/* Demux                                                                    */

/* A STUN Binding Request (RFC 5389) as ICE sends it, without the
 * integrity and fingerprint attributes we cannot compute here. */
static void
append_stun (GByteArray * a)
{
  static const guint8 stun[] = {
    0x00, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,     /* request, cookie */
    0x66, 0x75, 0x7a, 0x7a, 0x2d, 0x74, 0x72, 0x61, 0x6e, 0x73, 0x2d, 0x31,
    0x00, 0x24, 0x00, 0x04, 0x6e, 0x7f, 0x1e, 0xff,     /* PRIORITY */
    0x80, 0x2a, 0x00, 0x04, 0x12, 0x34, 0x56, 0x78,     /* ICE-CONTROLLING */
  };

  fuzz_append_chunk (a, stun, sizeof (stun));
}

static void
write_demux_seeds (Handshake * hs)
{
  GByteArray *a;
  SrtpEnc e;
  GstBuffer *rtp, *rtcp;
  static const guint8 turn[] = { 0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4 };
  static const guint8 zrtp[] = { 0x10, 0x00, 0x50, 0x5a };
  guint8 flags;
  guint i;

  srtp_enc_start (&e, 0, 1);
  rtp = srtp_protect (e.rtp, make_rtp (1, 160));
  rtcp = srtp_protect (e.rtcp, make_rtcp (1));
  srtp_enc_stop (&e);

  /* one datagram of each kind, pushed one by one, then as a list */
  for (flags = 0; flags < 2; flags++) {
    a = g_byte_array_new ();
    append_u8 (a, flags | 2);
    append_buffer_chunk (a, g_ptr_array_index (hs->from_client, 0));
    append_buffer_chunk (a, rtp);
    append_buffer_chunk (a, rtcp);
    append_stun (a);
    fuzz_append_chunk (a, turn, sizeof (turn));
    fuzz_append_chunk (a, zrtp, sizeof (zrtp));
    fuzz_append_chunk (a, NULL, 0);
    write_seed ("demux", flags ? "mixed-list" : "mixed", a);
    g_byte_array_unref (a);
  }
  /* a whole handshake, server side */
  a = g_byte_array_new ();
  append_u8 (a, 6);
  for (i = 0; i < hs->from_server->len; i++)
    append_buffer_chunk (a, g_ptr_array_index (hs->from_server, i));
  write_seed ("demux", "server-flights", a);
  g_byte_array_unref (a);

  gst_buffer_unref (rtp);
  gst_buffer_unref (rtcp);
}

/* ------------------------------------------------------------------------ */
/* Record framing and ClientHello gate                                      */

static void
append_array_chunk (GByteArray * a, GByteArray * chunk)
{
  fuzz_append_chunk (a, chunk->data, chunk->len);
}

static void
write_wire_log_seed (const gchar * name, guint8 flags, GPtrArray * log)
{
  write_dtls_seed ("dtls_wire", name, flags, log, 0, G_MAXUINT);
}

static void
write_wire_seeds (Handshake * cookie, Handshake * plain, Handshake * small)
{
  GstGnutlsDtlsCookieSecret secret;
  gnutls_dtls_prestate_st prestate;
  DtlsHelloClient c;
  GByteArray *hello1, *hello2, *hvr, *a, *f, *datagram;
  guint len;

  /* a real client's ClientHello, and the one it sends with the cookie of
   * the target's fixed secret */
  gst_gnutls_dtls_cookie_secret_init (&secret, 0);
  fuzz_wire_secret_reset (&secret);
  if (!dtls_hello_client_init (&c))
    g_error ("could not set up a GnuTLS client");
  hello1 = dtls_hello_client_step (&c, NULL, 0);
  hvr = g_byte_array_new ();
  if (gst_gnutls_dtls_cookie_check (&secret, 0, FUZZ_WIRE_CLIENT_ID,
          hello1->data, hello1->len, &prestate, hvr) !=
      GST_GNUTLS_DTLS_COOKIE_REQUESTED)
    g_error ("no HelloVerifyRequest for a first ClientHello");
  hello2 = dtls_hello_client_step (&c, hvr->data, hvr->len);
  if (gst_gnutls_dtls_cookie_check (&secret, 0, FUZZ_WIRE_CLIENT_ID,
          hello2->data, hello2->len, &prestate, hvr) !=
      GST_GNUTLS_DTLS_COOKIE_VALID)
    g_error ("the client's cookie is not valid");

  a = g_byte_array_new ();
  append_u8 (a, 0);
  append_array_chunk (a, hello1);
  append_array_chunk (a, hello2);
  write_seed ("dtls_wire", "cookie-exchange", a);
  /* three cookie lifetimes between the two: expired */
  a->data[0] = 3;
  write_seed ("dtls_wire", "cookie-expired", a);
  g_byte_array_unref (a);

  /* the second ClientHello in fragments: the second half, then in one
   * datagram the first third and an overlapping piece */
  len = hello2->len - 25;
  a = g_byte_array_new ();
  append_u8 (a, 0);
  f = dtls_hello_fragment (hello2, len / 2, len - len / 2);
  append_array_chunk (a, f);
  g_byte_array_unref (f);
  datagram = dtls_hello_fragment (hello2, 0, len / 3);
  f = dtls_hello_fragment (hello2, len / 4, len / 2 - len / 4);
  g_byte_array_append (datagram, f->data, f->len);
  g_byte_array_unref (f);
  append_array_chunk (a, datagram);
  write_seed ("dtls_wire", "cookie-fragmented", a);
  g_byte_array_unref (datagram);
  g_byte_array_unref (a);

  g_byte_array_unref (hello1);
  g_byte_array_unref (hello2);
  g_byte_array_unref (hvr);
  dtls_hello_client_clear (&c);
  gst_gnutls_dtls_cookie_secret_clear (&secret);

  /* the datagrams of our elements' handshakes: several records each */
  write_dtls_seed ("dtls_wire", "client-hello", 0, cookie->from_client, 0, 1);
  write_wire_log_seed ("client-flights", 1, plain->from_client);
  write_wire_log_seed ("server-flights", 1, plain->from_server);
  write_wire_log_seed ("client-flights-small-mtu", 0, small->from_client);
  write_wire_log_seed ("server-flights-small-mtu", 0, small->from_server);
}

int
main (int argc, char **argv)
{
  Handshake cookie, plain, small;
  static const struct
  {
    const gchar *name;
    guint8 config, mki;
  } srtp_seeds[] = {
    {"aes128-hmac80", 0, 0},
    {"aes128-hmac32", 1 | FUZZ_SRTCP_AUTH_80, 0},
    {"aes256-hmac80", 2, 0},
    {"aes128-gcm", 3, 0},
    {"aes256-gcm", 4, 0},
    {"null-hmac80", 5, 0},
    {"null-null", 6, 0},
    {"aes128-noauth", 7, 0},
    {"aes128-hmac80-mki", 0 | FUZZ_SRTP_MKI, 3},
    {"aes128-hmac80-any-ssrc-roc", 0 | FUZZ_SRTP_NO_SSRC | FUZZ_SRTP_ROC, 0},
  };
  guint i;

  if (argc != 2) {
    g_printerr ("usage: %s OUTDIR\n", argv[0]);
    return 2;
  }
  outdir = argv[1];
  fuzz_init_gstreamer (&argc, &argv, "gen-seeds");

  for (i = 0; i < G_N_ELEMENTS (srtp_seeds); i++)
    write_srtp_seed (srtp_seeds[i].name, srtp_seeds[i].config,
        srtp_seeds[i].mki);
  write_srtp_rekey_seed ();

  capture_handshake (FUZZ_DTLS_COOKIE, &cookie);
  capture_handshake (0, &plain);
  capture_handshake (FUZZ_DTLS_SMALL_MTU, &small);

  /* server: ClientHello, ClientHello with cookie, the client's flight */
  write_dtls_seed ("dtls_server", "cookie-handshake", FUZZ_DTLS_COOKIE,
      cookie.from_client, 0, G_MAXUINT);
  /* 0x40: the target puts its own server's cookie in (fuzz_dtls_server.c) */
  write_dtls_seed ("dtls_server", "cookie-handshake-echo",
      FUZZ_DTLS_COOKIE | 0x40, cookie.from_client, 0, G_MAXUINT);
  write_dtls_seed ("dtls_server", "client-hello", FUZZ_DTLS_COOKIE,
      cookie.from_client, 0, 1);
  write_dtls_seed ("dtls_server", "handshake", 0, plain.from_client, 0,
      G_MAXUINT);
  write_dtls_seed ("dtls_server", "handshake-small-mtu", FUZZ_DTLS_SMALL_MTU,
      small.from_client, 0, G_MAXUINT);
  /* client: HelloVerifyRequest, the server's flights */
  write_dtls_seed ("dtls_client", "hello-verify-request", 0,
      cookie.from_server, 0, 1);
  write_dtls_seed ("dtls_client", "cookie-handshake", 0, cookie.from_server,
      0, G_MAXUINT);
  write_dtls_seed ("dtls_client", "handshake", 0, plain.from_server, 0,
      G_MAXUINT);
  write_dtls_seed ("dtls_client", "handshake-small-mtu", FUZZ_DTLS_SMALL_MTU,
      small.from_server, 0, G_MAXUINT);

  write_demux_seeds (&cookie);
  write_wire_seeds (&cookie, &plain, &small);

  handshake_clear (&cookie);
  handshake_clear (&plain);
  handshake_clear (&small);
  return 0;
}
