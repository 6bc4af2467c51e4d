/* libFuzzer target: a DTLS client (gnutlsdtlsenc is-client=true with its
 * gnutlsdtlsdec) fed arbitrary server flights in the middle of its
 * handshake: it has sent its ClientHello and everything that comes back
 * is the input.
 *
 * Input: a flags byte (FUZZ_DTLS_* in fuzz-dtls.h), then the datagrams
 * from the "server" as chunks (fuzz-common.h). The seeds are real server
 * flights (HelloVerifyRequest; ServerHello ... ServerHelloDone;
 * ChangeCipherSpec, Finished), which get as far as the signature over
 * the client's random, different on every run.
 *
 * A new connection per input, so each starts from a fresh ClientHello.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-dtls.h"

static void
start_client (FuzzDtlsSide * s, guint8 flags)
{
  GstBuffer *hello;

  fuzz_dtls_side_start (s, TRUE, flags);
  /* sent by the connection's worker thread: wait, so the input always
   * meets a client that is waiting for the server */
  hello = fuzz_dtls_side_wait_record (s, 10000);
  if (hello == NULL)
    g_error ("the DTLS client sent no ClientHello within 10 s");
  gst_buffer_unref (hello);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  FuzzDtlsSide s;

  fuzz_init_gstreamer (argc, argv, "dtls_client");
  fuzz_dtls_warm_up ();
  start_client (&s, 0);
  fuzz_dtls_side_stop (&s);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzReader r = { data, size };
  guint8 flags = fuzz_u8 (&r);
  const guint8 *chunk;
  gsize len;
  FuzzDtlsSide s;

  start_client (&s, flags);
  while (fuzz_chunk (&r, &chunk, &len))
    fuzz_dtls_side_receive (&s, chunk, len);
  fuzz_dtls_side_stop (&s);
  return 0;
}
