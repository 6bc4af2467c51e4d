#!/usr/bin/env python3
"""A DTLS-SRTP call in Python (PyGObject): two sides in one pipeline, each
checking the other's certificate fingerprint, audio both ways.

Run from the build tree with:  meson devenv -C build python3 \\
    ../examples/python/dtls-srtp-call.py
Needs a python3 with PyGObject: Debian's python3-gi and
gir1.2-gstreamer-1.0, with Debian's python3 (a python3 of one's own, such
as a venv's or pyenv's, may not see them).
"""
import sys

try:
    import gi
    gi.require_version("Gst", "1.0")
    from gi.repository import Gst
except (ImportError, ValueError) as e:
    sys.exit("PyGObject with GStreamer is missing (%s): apt-get install "
             "python3-gi gir1.2-gstreamer-1.0, and use Debian's python3 "
             "(this is %s)" % (e, sys.executable))

SIDE = ("audiotestsrc is-live=true num-buffers=50 samplesperbuffer=160 "
        "! alawenc ! rtppcmapay ! gnutlsdtlssrtpenc name=enc_{me} "
        "connection-id={me} is-client={client} "
        "! gnutlsdtlssrtpdec name=dec_{peer} connection-id={peer} "
        "! fakesink name=out_{peer} async=false ")


def main():
    Gst.init(None)
    pipeline = Gst.parse_launch(SIDE.format(me="a", peer="b", client="true") +
                                SIDE.format(me="b", peer="a", client="false"))
    get = pipeline.get_by_name

    # What an SDP offer/answer would carry: each side's fingerprint.
    fp_a = get("dec_a").get_property("fingerprint")
    fp_b = get("dec_b").get_property("fingerprint")
    print("A:", fp_a)
    print("B:", fp_b)
    get("dec_a").set_property("peer-fingerprint", fp_b)
    get("dec_b").set_property("peer-fingerprint", fp_a)

    received = {"a": 0, "b": 0}

    def count(pad, info, side):
        received[side] += 1
        return Gst.PadProbeReturn.OK

    for side in ("a", "b"):
        get("out_" + side).get_static_pad("sink").add_probe(
            Gst.PadProbeType.BUFFER, count, side)
        get("enc_" + side).connect(
            "notify::connection-state",
            lambda enc, _p, s=side: print(
                "%s: %s" % (s.upper(), enc.get_property("connection-state")
                            .value_nick)))

    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(
        10 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    ok = msg is not None and msg.type == Gst.MessageType.EOS
    if msg and msg.type == Gst.MessageType.ERROR:
        print("error:", msg.parse_error()[0].message)
    states = [get("enc_" + s).get_property("connection-state").value_nick
              for s in ("a", "b")]
    pipeline.set_state(Gst.State.NULL)

    print("decrypted RTP packets: A got %(a)d, B got %(b)d" % received)
    ok = ok and states == ["connected", "connected"] and \
        received["a"] > 0 and received["b"] > 0
    print("call OK" if ok else "call FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
