/* What fuzz_dtls_wire.c and the seed writer agree on: the input format
 * and a fixed cookie secret, so that the corpus can hold a ClientHello
 * whose cookie is valid.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __FUZZ_WIRE_H__
#define __FUZZ_WIRE_H__

#include <string.h>
#include <glib.h>

#include "gstgnutlsdtlsclienthello.h"

/* The connection-id the cookies are bound to */
#define FUZZ_WIRE_CLIENT_ID "fuzz-wire"

/* The first byte of an input: its low two bits say how far the clock moves
 * before each datagram after the first */
#define FUZZ_WIRE_CLOCK_MASK 0x03

static inline gint64
fuzz_wire_clock_step (guint8 flags)
{
  static const gint64 steps[] = { 0, G_TIME_SPAN_SECOND,
    GST_GNUTLS_DTLS_COOKIE_LIFETIME, 3 * GST_GNUTLS_DTLS_COOKIE_LIFETIME
  };

  return steps[flags & FUZZ_WIRE_CLOCK_MASK];
}

/* Fixed keys, made at time 0; @secret was initialised once before */
static inline void
fuzz_wire_secret_reset (GstGnutlsDtlsCookieSecret * secret)
{
  memset (secret->keys[0], 0x5e, sizeof (secret->keys[0]));
  memset (secret->keys[1], 0xed, sizeof (secret->keys[1]));
  secret->rotated = 0;
}

#endif /* __FUZZ_WIRE_H__ */
