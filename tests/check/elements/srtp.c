/* gnutlssrtpenc / gnutlssrtpdec against each other, with real libsrtp2.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "srtp-common.h"

#define ENC GST_GNUTLS_NAME_PREFIX "srtpenc"
#define DEC GST_GNUTLS_NAME_PREFIX "srtpdec"

typedef struct
{
  GstElement *enc, *dec;
  GstHarness *enc_rtp, *enc_rtcp, *dec_rtp, *dec_rtcp;
} Pair;

static GstElement *
make_enc (guint cipher, guint auth, GstBuffer * key)
{
  GstElement *enc = gst_element_factory_make (ENC, NULL);

  fail_unless (enc != NULL, "element %s not found", ENC);
  gst_util_set_object_arg (G_OBJECT (enc), "rtp-cipher", cipher_names[cipher]);
  gst_util_set_object_arg (G_OBJECT (enc), "rtcp-cipher", cipher_names[cipher]);
  gst_util_set_object_arg (G_OBJECT (enc), "rtp-auth", auth_names[auth]);
  gst_util_set_object_arg (G_OBJECT (enc), "rtcp-auth", auth_names[auth]);
  if (key)
    g_object_set (enc, "key", key, NULL);
  return enc;
}

/* Encoder and decoder harnesses for RTP and RTCP; the decoder learns the
 * key from the encoder's output caps. */
static void
pair_setup (Pair * p, guint cipher, guint auth, guint8 seed)
{
  GstBuffer *key = key_len_for (cipher, auth) ?
      make_key (key_len_for (cipher, auth), seed) : NULL;

  memset (p, 0, sizeof (*p));
  p->enc = make_enc (cipher, auth, key);
  gst_clear_buffer (&key);
  p->enc_rtp = enc_harness (p->enc, FALSE);
  p->enc_rtcp = enc_harness (p->enc, TRUE);
  gst_harness_set_src_caps (p->enc_rtp, rtp_caps (TEST_SSRC));
  gst_harness_set_src_caps_str (p->enc_rtcp, "application/x-rtcp");

  p->dec = gst_element_factory_make (DEC, NULL);
  fail_unless (p->dec != NULL);
  p->dec_rtp = dec_harness_for (p->dec, p->enc_rtp, FALSE);
  p->dec_rtcp = dec_harness_for (p->dec, p->enc_rtcp, TRUE);
}

static void
pair_teardown (Pair * p)
{
  gst_harness_teardown (p->enc_rtcp);
  gst_harness_teardown (p->enc_rtp);
  gst_harness_teardown (p->dec_rtcp);
  gst_harness_teardown (p->dec_rtp);
  gst_object_unref (p->enc);
  gst_object_unref (p->dec);
}

/* Sends @n packets through encoder and decoder, singly or as lists of 8,
 * and checks each one comes out identical, and encrypted in between when
 * the cipher is not null. */
static void
check_roundtrip (Pair * p, gboolean rtcp, guint cipher, guint auth,
    guint n, gboolean lists, guint16 first_seq)
{
  GstHarness *he = rtcp ? p->enc_rtcp : p->enc_rtp;
  GstHarness *hd = rtcp ? p->dec_rtcp : p->dec_rtp;
  GPtrArray *originals = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_buffer_unref);
  guint i, tag = cipher >= 3 ? 16 : auth == 2 ? 10 : auth == 1 ? 4 : 0;
  GstBufferList *list = NULL;

  for (i = 0; i < n; i++) {
    GstBuffer *b = rtcp ? make_rtcp (TEST_SSRC, (guint32) i) :
        make_rtp (TEST_SSRC, (guint16) (first_seq + i), 100 + i % 50, i & 1);
    g_ptr_array_add (originals, gst_buffer_copy (b));
    if (!lists) {
      fail_unless_equals_int (gst_harness_push (he, b), GST_FLOW_OK);
    } else {
      if (list == NULL)
        list = gst_buffer_list_new ();
      gst_buffer_list_add (list, b);
      if (gst_buffer_list_length (list) == 8 || i == n - 1) {
        fail_unless_equals_int (gst_pad_push_list (he->srcpad, list),
            GST_FLOW_OK);
        list = NULL;
      }
    }
  }

  fail_unless_equals_int (gst_harness_buffers_in_queue (he), n);
  for (i = 0; i < n; i++) {
    GstBuffer *enc = gst_harness_pull (he);
    GstBuffer *orig = g_ptr_array_index (originals, i);
    GstBuffer *dec;
    gsize osize = gst_buffer_get_size (orig);

    /* SRTCP adds the 4-byte E+index word; ciphers add their tag. */
    fail_unless_equals_int (gst_buffer_get_size (enc),
        osize + tag + (rtcp ? 4 : 0));
    if (cipher != 0) {
      GstMapInfo me, mo;
      guint hdr = rtcp ? 8 : 12;

      gst_buffer_map (enc, &me, GST_MAP_READ);
      gst_buffer_map (orig, &mo, GST_MAP_READ);
      fail_unless (memcmp (me.data, mo.data, hdr) == 0, "header changed");
      fail_if (memcmp (me.data + hdr, mo.data + hdr, osize - hdr) == 0,
          "payload %u not encrypted", i);
      gst_buffer_unmap (enc, &me);
      gst_buffer_unmap (orig, &mo);
    }
    fail_unless_equals_int (gst_harness_push (hd, enc), GST_FLOW_OK);
    dec = gst_harness_pull (hd);
    fail_unless (dec != NULL);
    fail_unless (buffers_equal (dec, orig), "packet %u differs", i);
    gst_buffer_unref (dec);
  }
  g_ptr_array_unref (originals);
}

static void
roundtrip_combo (guint combo, gboolean lists)
{
  guint cipher = combo / 3, auth = combo % 3;
  Pair p;

  GST_INFO ("cipher %s auth %s lists %d", cipher_names[cipher],
      auth_names[auth], lists);
  pair_setup (&p, cipher, auth, 1);
  check_roundtrip (&p, FALSE, cipher, auth, 40, lists, 1000);
  check_roundtrip (&p, TRUE, cipher, auth, 10, lists, 0);
  fail_unless_equals_int (stats_u64 (p.dec, "rtp-packets"), 40);
  fail_unless_equals_int (stats_u64 (p.dec, "rtcp-packets"), 10);
  fail_unless_equals_int (stats_u64 (p.dec, "drops"), 0);
  fail_unless_equals_int (stats_u64 (p.enc, "rtp-packets"), 40);
  pair_teardown (&p);
}

GST_START_TEST (test_roundtrip_single)
{
  roundtrip_combo (__i__, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_roundtrip_lists)
{
  roundtrip_combo (__i__, TRUE);
}

GST_END_TEST;

/* Lists must go through in place: the same memory comes out. */
GST_START_TEST (test_in_place)
{
  Pair p;
  GstBuffer *in, *out;
  GstMapInfo map;
  gpointer data;

  pair_setup (&p, CIPHER_AES_128_ICM, AUTH_HMAC_SHA1_80, 3);
  in = make_rtp (TEST_SSRC, 1, 200, TRUE);
  gst_buffer_map (in, &map, GST_MAP_READ);
  data = map.data;
  gst_buffer_unmap (in, &map);
  fail_unless_equals_int (gst_harness_push (p.enc_rtp, in), GST_FLOW_OK);
  out = gst_harness_pull (p.enc_rtp);
  gst_buffer_map (out, &map, GST_MAP_READ);
  fail_unless (map.data == data, "protect copied a buffer that had room");
  gst_buffer_unmap (out, &map);
  fail_unless_equals_int (gst_harness_push (p.dec_rtp, out), GST_FLOW_OK);
  out = gst_harness_pull (p.dec_rtp);
  gst_buffer_map (out, &map, GST_MAP_READ);
  fail_unless (map.data == data, "unprotect copied a writable buffer");
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);
  pair_teardown (&p);
}

GST_END_TEST;

/* Ways a packet reaches an element while something else still holds its
 * bytes: the element must leave those bytes as they were. */
enum
{
  HELD_REF,                     /* the buffer itself, with a second ref */
  HELD_COPY,                    /* a shallow copy shares its memory */
  HELD_REGION,                  /* a region of a bigger buffer */
  HELD_READONLY,                /* read-only memory (a wrapped array) */
  HELD_N
};

/* Returns what to push for @packet held as @how; *@holder gets what
 * holds the bytes, and *@expect a deep copy of the bytes it must keep. */
static GstBuffer *
hold (GstBuffer * packet, guint how, GstBuffer ** holder, GstBuffer ** expect)
{
  GstBuffer *push = NULL;

  switch (how) {
    case HELD_REF:
      *holder = gst_buffer_ref (packet);
      push = packet;
      break;
    case HELD_COPY:
      *holder = packet;
      push = gst_buffer_copy (packet);
      break;
    case HELD_REGION:{
      GstBuffer *big = gst_buffer_new_allocate (NULL, 8, NULL);

      gst_buffer_memset (big, 0, 0xee, 8);
      big = gst_buffer_append (big, gst_buffer_copy_deep (packet));
      big = gst_buffer_append (big, gst_buffer_new_allocate (NULL, 64, NULL));
      gst_buffer_memset (big, 8 + gst_buffer_get_size (packet), 0xdd, 64);
      *holder = gst_buffer_copy_deep (big);     /* one memory */
      gst_buffer_unref (big);
      push = gst_buffer_copy_region (*holder, GST_BUFFER_COPY_MEMORY, 8,
          gst_buffer_get_size (packet));
      gst_buffer_unref (packet);
      break;
    }
    case HELD_READONLY:{
      GstMapInfo map;
      guint8 *data;

      gst_buffer_map (packet, &map, GST_MAP_READ);
      data = g_memdup2 (map.data, map.size + 64);
      push = gst_buffer_new ();
      gst_buffer_append_memory (push,
          gst_memory_new_wrapped (GST_MEMORY_FLAG_READONLY, data,
              map.size + 64, 0, map.size, data, g_free));
      gst_buffer_unmap (packet, &map);
      *holder = gst_buffer_ref (push);
      gst_buffer_unref (packet);
      break;
    }
    default:
      g_assert_not_reached ();
  }
  *expect = gst_buffer_copy_deep (*holder);
  return push;
}

/* Pushes the @n packets of @bufs (taking them) into @h, one by one or as
 * one list, each push accepted */
static void
push_packets (GstHarness * h, GstBuffer ** bufs, guint n, gboolean lists)
{
  GstBufferList *list = gst_buffer_list_new ();
  guint i;

  for (i = 0; i < n; i++) {
    if (lists) {
      gst_buffer_list_add (list, bufs[i]);
    } else {
      fail_unless_equals_int (gst_harness_push (h, bufs[i]), GST_FLOW_OK);
    }
  }
  if (lists) {
    fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
  } else {
    gst_buffer_list_unref (list);
  }
}

/* Packets whose bytes someone else still holds are encrypted and
 * decrypted right, singly and in lists, and those bytes stay as they
 * were: the elements work in place only in memory that is theirs. */
GST_START_TEST (test_held_input_untouched)
{
  guint how, lists, n = 6;

  for (how = 0; how < HELD_N; how++) {
    for (lists = 0; lists < 2; lists++) {
      GstBuffer *holders[6], *expects[6], *origs[6], *encs[6], *push[6];
      Pair p;
      guint i;

      GST_INFO ("held %u, lists %u", how, lists);
      pair_setup (&p, CIPHER_AES_128_ICM, AUTH_HMAC_SHA1_80, 11);
      /* Encoder: plain RTP held elsewhere (with room, so only the holding
       * can keep it from working in place). */
      for (i = 0; i < n; i++) {
        GstBuffer *b = make_rtp (TEST_SSRC, 300 + i, 120, TRUE);

        origs[i] = gst_buffer_copy_deep (b);
        push[i] = hold (b, how, &holders[i], &expects[i]);
      }
      push_packets (p.enc_rtp, push, n, lists);
      for (i = 0; i < n; i++) {
        encs[i] = gst_harness_pull (p.enc_rtp);
        fail_unless (encs[i] != NULL);
        fail_unless (buffers_equal (holders[i], expects[i]),
            "encoder wrote into held bytes (way %u, packet %u)", how, i);
        gst_buffer_unref (holders[i]);
        gst_buffer_unref (expects[i]);
      }

      /* Decoder: SRTP held elsewhere. */
      for (i = 0; i < n; i++)
        push[i] = hold (encs[i], how, &holders[i], &expects[i]);
      push_packets (p.dec_rtp, push, n, lists);
      for (i = 0; i < n; i++) {
        GstBuffer *dec = gst_harness_pull (p.dec_rtp);

        fail_unless (dec != NULL);
        fail_unless (buffers_equal (dec, origs[i]),
            "packet %u decrypted wrong (way %u)", i, how);
        fail_unless (buffers_equal (holders[i], expects[i]),
            "decoder wrote into held bytes (way %u, packet %u)", how, i);
        gst_buffer_unref (dec);
        gst_buffer_unref (holders[i]);
        gst_buffer_unref (expects[i]);
        gst_buffer_unref (origs[i]);
      }
      fail_unless_equals_int (stats_u64 (p.dec, "drops"), 0);
      pair_teardown (&p);
    }
  }
}

GST_END_TEST;

static GstBuffer *
protect_one (Pair * p, guint16 seq)
{
  fail_unless_equals_int (gst_harness_push (p->enc_rtp,
          make_rtp (TEST_SSRC, seq, 160, FALSE)), GST_FLOW_OK);
  return gst_harness_pull (p->enc_rtp);
}

GST_START_TEST (test_corrupted_rejected)
{
  guint ciphers[] = { 1, 3 };
  guint c;

  for (c = 0; c < G_N_ELEMENTS (ciphers); c++) {
    Pair p;
    guint pos;

    pair_setup (&p, ciphers[c], AUTH_HMAC_SHA1_80, 5);
    /* One flipped bit anywhere (header, payload or tag) is caught. */
    for (pos = 0; pos < 12 + 160 + 10; pos += 17) {
      GstBuffer *b = protect_one (&p, 100 + pos);
      GstMapInfo map;

      b = gst_buffer_make_writable (b);
      gst_buffer_map (b, &map, GST_MAP_WRITE);
      if (pos >= map.size)
        pos = map.size - 1;
      map.data[pos] ^= 0x01;
      gst_buffer_unmap (b, &map);
      fail_unless_equals_int (gst_harness_push (p.dec_rtp, b), GST_FLOW_OK);
      fail_unless_equals_int (gst_harness_buffers_in_queue (p.dec_rtp), 0);
    }
    fail_unless (stats_u64 (p.dec, "drop-auth") +
        stats_u64 (p.dec, "drop-invalid") + stats_u64 (p.dec, "drop-no-key")
        == stats_u64 (p.dec, "drops"));
    fail_unless (stats_u64 (p.dec, "drops") >= 10);
    fail_unless_equals_int (stats_u64 (p.dec, "rtp-packets"), 0);
    /* A good packet still goes through afterwards. */
    fail_unless_equals_int (gst_harness_push (p.dec_rtp,
            protect_one (&p, 5000)), GST_FLOW_OK);
    fail_unless_equals_int (gst_harness_buffers_in_queue (p.dec_rtp), 1);
    pair_teardown (&p);
  }
}

GST_END_TEST;

GST_START_TEST (test_replay_rejected)
{
  Pair p;
  GstBuffer *b, *copy;

  pair_setup (&p, CIPHER_AES_128_ICM, AUTH_HMAC_SHA1_80, 7);
  b = protect_one (&p, 10);
  copy = gst_buffer_copy_deep (b);
  fail_unless_equals_int (gst_harness_push (p.dec_rtp, b), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (p.dec_rtp), 1);
  fail_unless_equals_int (gst_harness_push (p.dec_rtp, copy), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (p.dec_rtp), 1);
  fail_unless_equals_int (stats_u64 (p.dec, "drop-replay"), 1);
  fail_unless_equals_int (stats_u64 (p.dec, "recv-drop-count"), 1);
  pair_teardown (&p);
}

GST_END_TEST;

GST_START_TEST (test_wrong_key_rejected)
{
  Pair p;
  GstElement *dec;
  GstHarness *h;
  GstBuffer *key = make_key (30, 99);
  GstCaps *caps;
  guint i;

  pair_setup (&p, CIPHER_AES_128_ICM, AUTH_HMAC_SHA1_80, 1);
  dec = gst_element_factory_make (DEC, NULL);
  h = gst_harness_new_with_element (dec, "rtp_sink", "rtp_src");
  caps = gst_caps_new_simple ("application/x-srtp", "ssrc", G_TYPE_UINT,
      TEST_SSRC, "srtp-key", GST_TYPE_BUFFER, key, "srtp-cipher",
      G_TYPE_STRING, "aes-128-icm", "srtp-auth", G_TYPE_STRING,
      "hmac-sha1-80", "srtcp-cipher", G_TYPE_STRING, "aes-128-icm",
      "srtcp-auth", G_TYPE_STRING, "hmac-sha1-80", NULL);
  gst_harness_set_src_caps (h, caps);
  for (i = 0; i < 5; i++)
    fail_unless_equals_int (gst_harness_push (h, protect_one (&p, i)),
        GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless_equals_int (stats_u64 (dec, "drop-auth"), 5);
  gst_harness_teardown (h);
  gst_object_unref (dec);
  gst_buffer_unref (key);
  pair_teardown (&p);
}

GST_END_TEST;

GST_START_TEST (test_bad_input)
{
  GstElement *dec = gst_element_factory_make (DEC, NULL);
  GstHarness *h = gst_harness_new_with_element (dec, "rtp_sink", "rtp_src");
  GstHarness *hc = gst_harness_new_with_element (dec, "rtcp_sink", "rtcp_src");
  GRand *rand = g_rand_new_with_seed (42);
  GstBuffer *key = make_key (30, 1);
  guint i, sent = 0;

  gst_harness_set_src_caps (h, gst_caps_new_simple ("application/x-srtp",
          "srtp-key", GST_TYPE_BUFFER, key, "srtp-cipher", G_TYPE_STRING,
          "aes-128-icm", "srtp-auth", G_TYPE_STRING, "hmac-sha1-80",
          "srtcp-cipher", G_TYPE_STRING, "aes-128-icm", "srtcp-auth",
          G_TYPE_STRING, "hmac-sha1-80", NULL));
  gst_harness_set_src_caps_str (hc, "application/x-srtcp");

  /* Empty, truncated and random packets of every small size, RTP-looking
   * or not, on both pads. */
  for (i = 0; i < 400; i++) {
    gsize len = i < 40 ? i : (gsize) g_rand_int_range (rand, 0, 1500);
    GstBuffer *b = gst_buffer_new_allocate (NULL, len, NULL);
    GstMapInfo map;
    gsize j;

    gst_buffer_map (b, &map, GST_MAP_WRITE);
    for (j = 0; j < len; j++)
      map.data[j] = g_rand_int (rand);
    if (len > 0 && (i & 1))
      map.data[0] = 0x80;
    gst_buffer_unmap (b, &map);
    fail_unless_equals_int (gst_harness_push (i & 2 ? hc : h, b), GST_FLOW_OK);
    sent++;
  }
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless_equals_int (gst_harness_buffers_in_queue (hc), 0);
  fail_unless_equals_int (stats_u64 (dec, "drops"), sent);
  fail_unless (stats_u64 (dec, "drop-invalid") > 0);
  fail_unless (stats_u64 (dec, "drop-auth") > 0);

  g_rand_free (rand);
  gst_buffer_unref (key);
  gst_harness_teardown (hc);
  gst_harness_teardown (h);
  gst_object_unref (dec);
}

GST_END_TEST;

static GstCaps *
request_key_cb (GstElement * dec, guint ssrc, gpointer user_data)
{
  guint *calls = user_data;
  GstBuffer *key;
  GstCaps *caps;

  (*calls)++;
  if (*calls < 3)
    return NULL;                /* no key the first two times */
  key = make_key (30, 11);
  caps = gst_caps_new_simple ("application/x-srtp",
      "srtp-key", GST_TYPE_BUFFER, key, "srtp-cipher", G_TYPE_STRING,
      "aes-128-icm", "srtp-auth", G_TYPE_STRING, "hmac-sha1-80",
      "srtcp-cipher", G_TYPE_STRING, "aes-128-icm", "srtcp-auth",
      G_TYPE_STRING, "hmac-sha1-80", NULL);
  gst_buffer_unref (key);
  return caps;
}

GST_START_TEST (test_request_key)
{
  GstBuffer *key = make_key (30, 11);
  GstElement *enc = make_enc (1, 2, key);
  GstElement *dec = gst_element_factory_make (DEC, NULL);
  GstHarness *he = enc_harness (enc, FALSE);
  GstHarness *hd = gst_harness_new_with_element (dec, "rtp_sink", "rtp_src");
  guint calls = 0, i;

  g_signal_connect (dec, "request-key", G_CALLBACK (request_key_cb), &calls);
  gst_harness_set_src_caps (he, rtp_caps (TEST_SSRC));
  gst_harness_set_src_caps_str (hd, "application/x-srtp");
  for (i = 0; i < 5; i++) {
    gst_harness_push (he, make_rtp (TEST_SSRC, i, 80, FALSE));
    fail_unless_equals_int (gst_harness_push (hd, gst_harness_pull (he)),
        GST_FLOW_OK);
  }
  /* Two packets dropped (no key), then the key came, then no more asks. */
  fail_unless_equals_int (calls, 3);
  fail_unless_equals_int (gst_harness_buffers_in_queue (hd), 3);
  fail_unless_equals_int (stats_u64 (dec, "drop-no-key"), 2);

  /* remove-key forgets the stream: the next packet asks again. */
  g_signal_emit_by_name (dec, "remove-key", TEST_SSRC);
  gst_harness_push (he, make_rtp (TEST_SSRC, 10, 80, FALSE));
  gst_harness_push (hd, gst_harness_pull (he));
  fail_unless_equals_int (calls, 4);
  fail_unless_equals_int (gst_harness_buffers_in_queue (hd), 4);
  g_signal_emit_by_name (dec, "clear-keys");
  gst_harness_push (he, make_rtp (TEST_SSRC, 11, 80, FALSE));
  gst_harness_push (hd, gst_harness_pull (he));
  fail_unless_equals_int (calls, 5);

  gst_buffer_unref (key);
  gst_harness_teardown (he);
  gst_harness_teardown (hd);
  gst_object_unref (enc);
  gst_object_unref (dec);
}

GST_END_TEST;

/* The key changes mid-stream: the encoder sends new caps before the first
 * packet under the new key, the decoder follows, nothing is lost, and the
 * rollover counter carries on across a sequence number wrap. */
GST_START_TEST (test_key_rollover_and_roc)
{
  Pair p;
  GstBuffer *key2 = make_key (30, 77);
  GstStructure *s;
  const GValue *streams;
  guint roc = 0, i;
  guint16 seq = 65000;

  pair_setup (&p, CIPHER_AES_128_ICM, AUTH_HMAC_SHA1_80, 1);
  for (i = 0; i < 1000; i++, seq++) {
    GstBuffer *b, *out;

    if (i == 400)
      g_object_set (p.enc, "key", key2, NULL);
    b = make_rtp (TEST_SSRC, seq, 64, FALSE);
    gst_harness_push (p.enc_rtp, gst_buffer_ref (b));
    /* Forward caps changes (new key) the encoder pushed. */
    {
      GstEvent *ev;
      while ((ev = gst_harness_try_pull_event (p.enc_rtp))) {
        if (GST_EVENT_TYPE (ev) == GST_EVENT_CAPS)
          gst_harness_push_event (p.dec_rtp, ev);
        else
          gst_event_unref (ev);
      }
    }
    fail_unless_equals_int (gst_harness_push (p.dec_rtp,
            gst_harness_pull (p.enc_rtp)), GST_FLOW_OK);
    out = gst_harness_try_pull (p.dec_rtp);
    fail_unless (out != NULL, "packet %u (seq %u) lost", i, seq);
    fail_unless (buffers_equal (out, b));
    gst_buffer_unref (out);
    gst_buffer_unref (b);
  }
  fail_unless_equals_int (stats_u64 (p.dec, "drops"), 0);

  g_object_get (p.enc, "stats", &s, NULL);
  streams = gst_structure_get_value (s, "streams");
  fail_unless_equals_int (gst_value_array_get_size (streams), 1);
  fail_unless (gst_structure_get_uint (gst_value_get_structure
          (gst_value_array_get_value (streams, 0)), "roc", &roc));
  fail_unless_equals_int (roc, 1);
  gst_structure_free (s);

  gst_buffer_unref (key2);
  pair_teardown (&p);
}

GST_END_TEST;

/* Two keys told apart by MKI: the decoder holds both, the sender switches
 * from one to the other without any caps change. */
GST_START_TEST (test_mki_two_keys)
{
  GstBuffer *k1 = make_key (30, 1), *k2 = make_key (30, 2);
  GstBuffer *m1 = make_key (4, 0x10), *m2 = make_key (4, 0x20);
  GstElement *enc = make_enc (1, 2, k1);
  GstElement *dec = gst_element_factory_make (DEC, NULL);
  GstHarness *he, *hd;
  guint i;

  g_object_set (enc, "mki", m1, NULL);
  he = enc_harness (enc, FALSE);
  hd = gst_harness_new_with_element (dec, "rtp_sink", "rtp_src");
  gst_harness_set_src_caps (he, rtp_caps (TEST_SSRC));
  gst_harness_set_src_caps (hd, gst_caps_new_simple ("application/x-srtp",
          "ssrc", G_TYPE_UINT, TEST_SSRC,
          "srtp-key", GST_TYPE_BUFFER, k1, "mki", GST_TYPE_BUFFER, m1,
          "srtp-key2", GST_TYPE_BUFFER, k2, "mki2", GST_TYPE_BUFFER, m2,
          "srtp-cipher", G_TYPE_STRING, "aes-128-icm",
          "srtp-auth", G_TYPE_STRING, "hmac-sha1-80",
          "srtcp-cipher", G_TYPE_STRING, "aes-128-icm",
          "srtcp-auth", G_TYPE_STRING, "hmac-sha1-80", NULL));

  for (i = 0; i < 20; i++) {
    GstBuffer *b = make_rtp (TEST_SSRC, i, 100, FALSE), *enc_b, *out;

    if (i == 10)
      g_object_set (enc, "key", k2, "mki", m2, NULL);
    gst_harness_push (he, gst_buffer_ref (b));
    enc_b = gst_harness_pull (he);
    /* The MKI (4 bytes) sits before the 10-byte tag. */
    fail_unless_equals_int (gst_buffer_get_size (enc_b), 112 + 4 + 10);
    gst_harness_push (hd, enc_b);
    out = gst_harness_try_pull (hd);
    fail_unless (out != NULL, "packet %u lost", i);
    fail_unless (buffers_equal (out, b));
    gst_buffer_unref (out);
    gst_buffer_unref (b);
  }

  gst_buffer_unref (k1);
  gst_buffer_unref (k2);
  gst_buffer_unref (m1);
  gst_buffer_unref (m2);
  gst_harness_teardown (he);
  gst_harness_teardown (hd);
  gst_object_unref (enc);
  gst_object_unref (dec);
}

GST_END_TEST;

/* RTCP multiplexed on the RTP pad (RFC 5761) leaves on rtcp_src. */
GST_START_TEST (test_rtcp_mux)
{
  Pair p;
  GstBuffer *orig, *out;

  pair_setup (&p, CIPHER_AES_128_ICM, AUTH_HMAC_SHA1_80, 4);
  orig = make_rtcp (TEST_SSRC, 42);
  gst_harness_push (p.enc_rtcp, gst_buffer_ref (orig));
  /* Into the RTP pad, interleaved with RTP. */
  gst_harness_push (p.dec_rtp, gst_harness_pull (p.enc_rtcp));
  gst_harness_push (p.dec_rtp, protect_one (&p, 1));
  fail_unless_equals_int (gst_harness_buffers_in_queue (p.dec_rtp), 1);
  out = gst_harness_pull (p.dec_rtcp);
  fail_unless (buffers_equal (out, orig));
  gst_buffer_unref (out);
  gst_buffer_unref (orig);
  fail_unless_equals_int (stats_u64 (p.dec, "rtcp-packets"), 1);
  pair_teardown (&p);
}

GST_END_TEST;

/* RTCP multiplexed on the RTP pad starts a stream of its own on rtcp_src,
 * named after the RTP stream and in its group */
GST_START_TEST (test_rtcp_mux_stream_start)
{
  Pair p;
  GstHarness *rtp, *rtcp;
  GstEvent *in, *out;
  const gchar *in_id, *out_id;
  guint in_group, out_group;
  gchar *expected;

  pair_setup (&p, CIPHER_AES_128_ICM, AUTH_HMAC_SHA1_80, 4);
  gst_harness_teardown (p.dec_rtp);
  gst_harness_teardown (p.dec_rtcp);
  rtp = dec_harness_for (p.dec, p.enc_rtp, FALSE);
  p.dec_rtp = rtp;
  in = gst_event_new_stream_start ("upstream-rtp");
  gst_event_set_group_id (in, gst_util_group_id_next ());
  gst_harness_push_event (rtp, in);
  /* nothing upstream on rtcp_sink: rtcp_src sees only the muxed RTCP */
  rtcp = gst_harness_new_with_element (p.dec, NULL, "rtcp_src");
  p.dec_rtcp = rtcp;

  gst_harness_push (p.enc_rtcp, make_rtcp (TEST_SSRC, 42));
  gst_harness_push (rtp, gst_harness_pull (p.enc_rtcp));
  gst_buffer_unref (gst_harness_pull (rtcp));

  in = gst_pad_get_sticky_event (rtp->srcpad, GST_EVENT_STREAM_START, 0);
  out = gst_pad_get_sticky_event (rtcp->sinkpad, GST_EVENT_STREAM_START, 0);
  fail_unless (in && out);
  gst_event_parse_stream_start (in, &in_id);
  gst_event_parse_stream_start (out, &out_id);
  expected = g_strconcat (in_id, "/rtcp", NULL);
  fail_unless_equals_string (out_id, expected);
  fail_unless (gst_event_parse_group_id (in, &in_group));
  fail_unless (gst_event_parse_group_id (out, &out_group));
  fail_unless_equals_int (out_group, in_group);
  g_free (expected);
  gst_event_unref (in);
  gst_event_unref (out);
  pair_teardown (&p);
}

GST_END_TEST;

GST_START_TEST (test_random_key)
{
  GstElement *enc = make_enc (2, 2, NULL);
  GstElement *dec = gst_element_factory_make (DEC, NULL);
  GstHarness *he, *hd;
  GstBuffer *key = NULL, *b, *out;

  g_object_set (enc, "random-key", TRUE, NULL);
  he = enc_harness (enc, FALSE);
  gst_harness_set_src_caps (he, rtp_caps (TEST_SSRC));
  g_object_get (enc, "key", &key, NULL);
  fail_unless (key != NULL);
  fail_unless_equals_int (gst_buffer_get_size (key), 46);
  gst_buffer_unref (key);

  hd = dec_harness_for (dec, he, FALSE);
  b = make_rtp (TEST_SSRC, 1, 100, FALSE);
  gst_harness_push (he, gst_buffer_ref (b));
  gst_harness_push (hd, gst_harness_pull (he));
  out = gst_harness_pull (hd);
  fail_unless (buffers_equal (out, b));
  gst_buffer_unref (out);
  gst_buffer_unref (b);
  gst_harness_teardown (he);
  gst_harness_teardown (hd);
  gst_object_unref (enc);
  gst_object_unref (dec);
}

GST_END_TEST;

/* No key: nothing leaves the encoder, in the clear or otherwise. */
GST_START_TEST (test_no_key_drops)
{
  GstElement *enc = make_enc (1, 2, NULL);
  GstHarness *he = enc_harness (enc, FALSE);
  GstBuffer *key = make_key (30, 3);
  guint i;

  gst_harness_set_src_caps (he, rtp_caps (TEST_SSRC));
  for (i = 0; i < 5; i++)
    fail_unless_equals_int (gst_harness_push (he, make_rtp (TEST_SSRC, i, 50,
                FALSE)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (he), 0);
  fail_unless_equals_int (stats_u64 (enc, "drop-no-key"), 5);
  /* Once a key is set, packets flow. */
  g_object_set (enc, "key", key, NULL);
  gst_harness_push (he, make_rtp (TEST_SSRC, 9, 50, FALSE));
  fail_unless_equals_int (gst_harness_buffers_in_queue (he), 1);
  gst_buffer_unref (key);
  gst_harness_teardown (he);
  gst_object_unref (enc);
}

GST_END_TEST;

/* A key of the wrong length is refused with a message naming the sizes. */
GST_START_TEST (test_bad_key_length)
{
  GstBuffer *key = make_key (20, 1);
  GstElement *enc = make_enc (1, 2, key);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (enc, bus);
  fail_unless_equals_int (gst_element_set_state (enc, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "20 bytes") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "30 bytes") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_state (enc, GST_STATE_NULL);
  gst_element_set_bus (enc, NULL);
  gst_object_unref (bus);
  gst_object_unref (enc);
  gst_buffer_unref (key);
}

GST_END_TEST;

/* Several SSRCs through one pad: each gets its own stream. */
GST_START_TEST (test_multiple_ssrcs)
{
  Pair p;
  guint i;
  GstStructure *s;

  pair_setup (&p, CIPHER_AES_128_ICM, AUTH_HMAC_SHA1_80, 8);
  for (i = 0; i < 30; i++) {
    GstBuffer *b = make_rtp (TEST_SSRC + i % 3, i / 3, 60, FALSE), *out;

    gst_harness_push (p.enc_rtp, gst_buffer_ref (b));
    gst_harness_push (p.dec_rtp, gst_harness_pull (p.enc_rtp));
    out = gst_harness_try_pull (p.dec_rtp);
    fail_unless (out != NULL);
    fail_unless (buffers_equal (out, b));
    gst_buffer_unref (out);
    gst_buffer_unref (b);
  }
  g_object_get (p.dec, "stats", &s, NULL);
  fail_unless_equals_int (gst_value_array_get_size (gst_structure_get_value
          (s, "streams")), 3);
  gst_structure_free (s);
  pair_teardown (&p);
}

GST_END_TEST;

/* The same sequence number twice: refused unless allow-repeat-tx. */
GST_START_TEST (test_allow_repeat_tx)
{
  gboolean allow;

  for (allow = FALSE; allow <= TRUE; allow++) {
    Pair p;

    pair_setup (&p, CIPHER_AES_128_ICM, AUTH_HMAC_SHA1_80, 9);
    g_object_set (p.enc, "allow-repeat-tx", allow, NULL);
    gst_harness_push (p.enc_rtp, make_rtp (TEST_SSRC, 5, 40, FALSE));
    gst_harness_push (p.enc_rtp, make_rtp (TEST_SSRC, 5, 40, FALSE));
    fail_unless_equals_int (gst_harness_buffers_in_queue (p.enc_rtp),
        allow ? 2 : 1);
    fail_unless_equals_int (stats_u64 (p.enc, "drop-replay"), allow ? 0 : 1);
    pair_teardown (&p);
  }
}

GST_END_TEST;

static Suite *
srtp_suite (void)
{
  Suite *s = suite_create ("gnutlssrtp");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_roundtrip_single, 0, 15);
  tcase_add_loop_test (tc, test_roundtrip_lists, 0, 15);
  tcase_add_test (tc, test_in_place);
  tcase_add_test (tc, test_held_input_untouched);
  tcase_add_test (tc, test_corrupted_rejected);
  tcase_add_test (tc, test_replay_rejected);
  tcase_add_test (tc, test_wrong_key_rejected);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_request_key);
  tcase_add_test (tc, test_key_rollover_and_roc);
  tcase_add_test (tc, test_mki_two_keys);
  tcase_add_test (tc, test_rtcp_mux);
  tcase_add_test (tc, test_rtcp_mux_stream_start);
  tcase_add_test (tc, test_random_key);
  tcase_add_test (tc, test_no_key_drops);
  tcase_add_test (tc, test_bad_key_length);
  tcase_add_test (tc, test_multiple_ssrcs);
  tcase_add_test (tc, test_allow_repeat_tx);
  return s;
}

GST_CHECK_MAIN (srtp);
