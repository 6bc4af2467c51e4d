#!/usr/bin/env python3
# One webrtcbin peer of the interop test (tests/webrtc/test_webrtcbin.py).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# --ours re-registers this project's elements under the standard names
# (dtlssrtpenc, ...) before webrtcbin exists, so webrtcbin builds its DTLS
# transport from them; --reference leaves Debian's gst-plugins-bad ones.
# Either way the peer checks which implementation webrtcbin really used.
#
# Signalling is JSON, one object per line: read from stdin, written to
# stdout (nothing else goes to stdout; logs go to stderr).
#   {"type": "sdp", "sdp-type": "offer"|"answer", "sdp": "..."}
#   {"type": "ice", "mlineindex": n, "candidate": "candidate:..."}
#   {"type": "quit"}                            driver -> peer
#   {"type": "report", ...}                     peer -> driver, when done
#   {"type": "error", "message": "..."}         peer -> driver, then exit 1
#
# Needs a python3 with PyGObject (Debian's python3 with python3-gi).

import argparse
import base64
import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import sys
import threading
import time

ROLE = "peer"
_out_lock = threading.Lock()


def log(fmt, *args):
    sys.stderr.write("[%s %7.3f] %s\n" % (ROLE, time.monotonic() - T0,
                                          fmt % args if args else fmt))
    sys.stderr.flush()


def send(msg):
    line = json.dumps(msg)
    with _out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def die(message):
    """Reports a fatal error to the driver and exits at once (from any
    thread: nothing of GStreamer is torn down)."""
    log("FATAL: %s", message)
    try:
        send({"type": "error", "message": message})
    finally:
        os._exit(1)


T0 = time.monotonic()


def _excepthook(etype, value, tb):
    # Also reached for exceptions in GObject callbacks (PyErr_Print).
    import traceback
    traceback.print_exception(etype, value, tb)
    die("uncaught %s: %s" % (etype.__name__, value))


sys.excepthook = _excepthook

# --- dependencies: fail (never skip) with the Debian package to install ---

try:
    import gi
except ImportError:
    die("Python module 'gi' not found: install the Debian package "
        "python3-gi and run the test with Debian's python3 (this is %s)"
        % sys.executable)

for _ns, _pkg in (("Gst", "gir1.2-gstreamer-1.0"),
                  ("GstSdp", "gir1.2-gst-plugins-base-1.0"),
                  ("GstWebRTC", "gir1.2-gst-plugins-bad-1.0")):
    try:
        gi.require_version(_ns, "1.0")
    except ValueError:
        die("GObject introspection data for %s 1.0 not found: install the "
            "Debian package %s" % (_ns, _pkg))

from gi.repository import (  # noqa: E402
    GLib, GObject, Gst, GstSdp, GstWebRTC)

# element -> Debian package that ships it
REQUIRED_ELEMENTS = (
    ("webrtcbin", "gstreamer1.0-plugins-bad"),
    ("sctpenc", "gstreamer1.0-plugins-bad"),
    ("sctpdec", "gstreamer1.0-plugins-bad"),
    ("nicesrc", "gstreamer1.0-nice"),
    ("nicesink", "gstreamer1.0-nice"),
    ("rtpbin", "gstreamer1.0-plugins-good"),
    ("rtpopuspay", "gstreamer1.0-plugins-good"),
    ("rtpopusdepay", "gstreamer1.0-plugins-good"),
    ("opusenc", "gstreamer1.0-plugins-base"),
    ("opusdec", "gstreamer1.0-plugins-base"),
    ("audiotestsrc", "gstreamer1.0-plugins-base"),
    ("audioconvert", "gstreamer1.0-plugins-base"),
    ("audioresample", "gstreamer1.0-plugins-base"),
    ("funnel", "libgstreamer1.0-0"),
    ("fakesink", "libgstreamer1.0-0"),
)

# standard name -> our GType; by default our factories are named
# "gnutls" + standard name (with -Dstandard-names=true, the standard name).
OURS = (
    ("dtlssrtpenc", "GstGnutlsDtlsSrtpEnc"),
    ("dtlssrtpdec", "GstGnutlsDtlsSrtpDec"),
    ("dtlsenc", "GstGnutlsDtlsEnc"),
    ("dtlsdec", "GstGnutlsDtlsDec"),
    ("srtpenc", "GstGnutlsSrtpEnc"),
    ("srtpdec", "GstGnutlsSrtpDec"),
    ("dtlssrtpdemux", "GstGnutlsDtlsSrtpDemux"),
)
OUR_PLUGINS = ("gnutlsdtls", "gnutlssrtp", "gnutlsdtlssrtpdemux")

# The DTLS-SRTP bins webrtcbin must end up with, per implementation.
EXPECTED_TYPES = {
    "ours": {"enc": "GstGnutlsDtlsSrtpEnc", "dec": "GstGnutlsDtlsSrtpDec"},
    "reference": {"enc": "GstDtlsSrtpEnc", "dec": "GstDtlsSrtpDec"},
}

PAYLOAD_TYPE = 97


def check_elements():
    missing = [(name, pkg) for name, pkg in REQUIRED_ELEMENTS
               if Gst.ElementFactory.find(name) is None]
    if missing:
        die("GStreamer elements missing: %s; install the Debian packages %s"
            % (", ".join(n for n, _ in missing),
               " ".join(sorted({p for _, p in missing}))))


def our_type(std, type_name):
    """The GType of our element for standard name @std, loading the plugin
    that provides it."""
    factory = Gst.ElementFactory.find("gnutls" + std)
    if factory is not None:
        return factory.load().get_element_type()
    # A -Dstandard-names=true build: the factory may be the reference's
    # (same name), so go by our plugins and GType names.
    for plugin in OUR_PLUGINS:
        Gst.Plugin.load_by_name(plugin)
    gtype = GObject.type_from_name(type_name)
    return gtype if gtype.name == type_name else None


def register_ours():
    """Replaces the standard names' factories in this process's registry by
    ones creating our types: gst_registry_add_feature drops the same-named
    feature, so webrtcbin's gst_element_factory_make ("dtlssrtpenc") now
    gets our bin."""
    for std, type_name in OURS:
        gtype = our_type(std, type_name)
        if gtype is None or gtype.name != type_name:
            die("element %s of this project not found: build it "
                "(ninja -C build) and put its plugin directories on "
                "GST_PLUGIN_PATH_1_0 (meson devenv -C build does)"
                % type_name)
        current = Gst.ElementFactory.find(std)
        if current is not None and current.get_element_type() == gtype:
            # A -Dstandard-names=true build that won the name. Registering
            # again would drop the factory our (already initialised) class
            # points to, and gst_element_get_factory () would then return
            # freed memory.
            log("%s is already ours (%s)", std, type_name)
            continue
        if not Gst.Element.register(None, std, Gst.Rank.PRIMARY, gtype):
            die("could not register %s under the name %s" % (type_name, std))
        now = Gst.ElementFactory.find(std)
        if now is None or now.get_element_type() != gtype:
            die("re-registering %s as %s did not take effect"
                % (type_name, std))
        log("registered %s as %s", type_name, std)


def check_reference():
    for std, _ in OURS:
        if std == "dtlssrtpdemux":
            continue
        factory = Gst.ElementFactory.find(std)
        if factory is None:
            die("reference element '%s' not found: install the Debian "
                "package gstreamer1.0-plugins-bad" % std)
        if factory.get_plugin_name() not in ("dtls", "srtp"):
            die("'%s' comes from plugin '%s', not from gst-plugins-bad's "
                "dtls/srtp" % (std, factory.get_plugin_name()))


def pem_to_sha256(pem):
    """SHA-256 of the DER of the first certificate in @pem, as an SDP
    fingerprint ("AB:CD:..."), or None."""
    if not pem:
        return None
    m = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----",
                  pem, re.S)
    if not m:
        return None
    der = base64.b64decode("".join(m.group(1).split()))
    return ":".join("%02X" % b for b in hashlib.sha256(der).digest())


def sdp_fingerprints(sdp):
    return sorted({m.upper() for m in re.findall(
        r"^a=fingerprint:sha-256 ([0-9A-Fa-f:]+)\s*$", sdp, re.M)})


def sdp_setup(sdp):
    return sorted(set(re.findall(r"^a=setup:(\w+)", sdp, re.M)))


def walk(element):
    """@element and everything inside it, through GstChildProxy (without
    python3-gst's overrides, GstIterator results are mishandled by gi)."""
    yield element
    if isinstance(element, Gst.Bin):
        for i in range(element.get_children_count()):
            child = element.get_child_by_index(i)
            if child is not None:
                yield from walk(child)


def _gobject_ref(obj):
    lib = ctypes.CDLL(ctypes.util.find_library("gobject-2.0")
                      or "libgobject-2.0.so.0")
    lib.g_object_ref.restype = ctypes.c_void_p
    lib.g_object_ref.argtypes = [ctypes.c_void_p]
    get_ptr = ctypes.pythonapi.PyCapsule_GetPointer
    get_ptr.restype = ctypes.c_void_p
    get_ptr.argtypes = [ctypes.py_object, ctypes.c_char_p]
    lib.g_object_ref(get_ptr(obj.__gpointer__, None))


class Peer:
    def __init__(self, args):
        self.args = args
        self.impl = "ours" if args.ours else "reference"
        self.offerer = args.offerer
        self.loop = GLib.MainLoop()
        self.lock = threading.Lock()
        self.rtp_received = 0       # RTP buffers out of webrtcbin
        self.decoded = 0            # audio buffers out of opusdec
        self.channel = None
        self.messages = []          # data channel messages received
        self.pong_sent = False
        self.local_sdp = None
        self.remote_sdp = None
        self.remote_set = False
        self.pending_candidates = []
        self.reported = False

        self.pipe = Gst.parse_launch(
            "webrtcbin name=webrtc bundle-policy=%s "
            "audiotestsrc is-live=true wave=sine freq=%d ! "
            "audio/x-raw,rate=48000,channels=1 ! audioconvert ! "
            "audioresample ! opusenc frame-size=20 ! "
            "rtpopuspay pt=%d ! "
            "application/x-rtp,media=audio,encoding-name=OPUS,payload=%d ! "
            "webrtc." % (args.bundle_policy, 440 if self.offerer else 660,
                         PAYLOAD_TYPE, PAYLOAD_TYPE))
        self.webrtc = self.pipe.get_by_name("webrtc")
        self.use_loopback()

        self.webrtc.connect("on-negotiation-needed",
                            self.on_negotiation_needed)
        self.webrtc.connect("on-ice-candidate", self.on_ice_candidate)
        self.webrtc.connect("pad-added", self.on_pad_added)
        self.webrtc.connect("on-data-channel", self.on_data_channel)
        self.webrtc.connect("notify::connection-state", self.on_pc_state)
        self.webrtc.connect("notify::ice-connection-state", self.on_ice_state)

        bus = self.pipe.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self.on_bus_error)
        bus.connect("message::warning", self.on_bus_warning)

    def use_loopback(self):
        """ICE on 127.0.0.1 only: libnice leaves loopback out when the host
        has another interface, unless it is given explicitly."""
        ice = self.webrtc.get_property("ice-agent")
        # webrtcbin 1.22 never sinks its GstWebRTCNice, so the wrapper just
        # took over webrtcbin's own (floating) reference; give it one back
        # or the agent dies with the wrapper.
        if ice.__grefcount__ == 1:
            _gobject_ref(ice)
        ice.set_property("ice-tcp", False)
        if not ice.emit("add-local-ip-address", "127.0.0.1"):
            die("webrtcbin's ICE agent refused 127.0.0.1")
        self.ice = ice

    # --- negotiation ---

    def on_negotiation_needed(self, webrtc):
        if not self.offerer:
            return
        log("negotiation needed: creating the offer")
        promise = Gst.Promise.new_with_change_func(self.on_offer_created, None)
        webrtc.emit("create-offer", None, promise)

    def on_offer_created(self, promise, _data):
        if promise.wait() != Gst.PromiseResult.REPLIED:
            die("create-offer did not reply")
        reply = promise.get_reply()
        offer = reply.get_value("offer") if reply else None
        if offer is None:
            die("create-offer failed: %s" % (reply.to_string() if reply
                                              else "no reply"))
        self.set_local(offer, "offer")

    def on_answer_created(self, promise, _data):
        if promise.wait() != Gst.PromiseResult.REPLIED:
            die("create-answer did not reply")
        reply = promise.get_reply()
        answer = reply.get_value("answer") if reply else None
        if answer is None:
            die("create-answer failed: %s" % (reply.to_string() if reply
                                               else "no reply"))
        self.set_local(answer, "answer")

    def set_local(self, desc, kind):
        text = desc.sdp.as_text()
        self.local_sdp = text
        promise = Gst.Promise.new()
        self.webrtc.emit("set-local-description", desc, promise)
        promise.interrupt()
        log("local %s set (fingerprint %s, setup %s)", kind,
            sdp_fingerprints(text), sdp_setup(text))
        send({"type": "sdp", "sdp-type": kind, "sdp": text})

    def on_remote_sdp(self, kind, text):
        res, msg = GstSdp.SDPMessage.new_from_text(text)
        if res != GstSdp.SDPResult.OK:
            die("cannot parse the remote %s" % kind)
        sdp_type = (GstWebRTC.WebRTCSDPType.OFFER if kind == "offer"
                    else GstWebRTC.WebRTCSDPType.ANSWER)
        desc = GstWebRTC.WebRTCSessionDescription.new(sdp_type, msg)
        self.remote_sdp = text
        log("remote %s received (fingerprint %s, setup %s)", kind,
            sdp_fingerprints(text), sdp_setup(text))
        promise = Gst.Promise.new_with_change_func(self.on_remote_set, kind)
        self.webrtc.emit("set-remote-description", desc, promise)

    def on_remote_set(self, promise, kind):
        promise.wait()
        reply = promise.get_reply()
        if reply is not None and reply.has_field("error"):
            die("set-remote-description (%s) failed: %s"
                % (kind, reply.to_string()))
        GLib.idle_add(self.flush_candidates)
        if kind == "offer":
            promise = Gst.Promise.new_with_change_func(
                self.on_answer_created, None)
            self.webrtc.emit("create-answer", None, promise)

    def flush_candidates(self):
        self.remote_set = True
        for mline, cand in self.pending_candidates:
            self.webrtc.emit("add-ice-candidate", mline, cand)
        self.pending_candidates = []
        return False

    def on_ice_candidate(self, webrtc, mlineindex, candidate):
        log("local candidate (m-line %d): %s", mlineindex, candidate)
        send({"type": "ice", "mlineindex": mlineindex,
              "candidate": candidate})

    def on_remote_candidate(self, mlineindex, candidate):
        if self.remote_set:
            self.webrtc.emit("add-ice-candidate", mlineindex, candidate)
        else:
            self.pending_candidates.append((mlineindex, candidate))

    def on_pc_state(self, webrtc, _pspec):
        state = webrtc.get_property("connection-state")
        log("peer connection state: %s", state.value_nick)
        if state == GstWebRTC.WebRTCPeerConnectionState.FAILED:
            die("peer connection failed")
        GLib.idle_add(self.maybe_report)

    def on_ice_state(self, webrtc, _pspec):
        log("ICE connection state: %s",
            webrtc.get_property("ice-connection-state").value_nick)

    # --- media ---

    def on_pad_added(self, webrtc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps()
        log("incoming stream on %s: %s", pad.get_name(),
            caps.to_string() if caps else "?")
        sink = Gst.parse_bin_from_description(
            "rtpopusdepay ! opusdec name=dec ! fakesink sync=false "
            "async=false", True)
        self.pipe.add(sink)
        sink.sync_state_with_parent()
        pad.add_probe(Gst.PadProbeType.BUFFER, self.count_rtp)
        sink.get_by_name("dec").get_static_pad("src").add_probe(
            Gst.PadProbeType.BUFFER, self.count_decoded)
        if pad.link(sink.get_static_pad("sink")) != Gst.PadLinkReturn.OK:
            die("cannot link %s to the Opus decoder" % pad.get_name())

    def count_rtp(self, pad, info):
        with self.lock:
            self.rtp_received += 1
        return Gst.PadProbeReturn.OK

    def count_decoded(self, pad, info):
        with self.lock:
            self.decoded += 1
            done = self.decoded == self.args.packets
        if done:
            log("%d audio buffers decoded", self.args.packets)
            GLib.idle_add(self.maybe_report)
        return Gst.PadProbeReturn.OK

    # --- data channel ---

    def create_channel(self):
        channel = self.webrtc.emit("create-data-channel", "interop", None)
        if channel is None:
            die("create-data-channel failed")
        self.setup_channel(channel)

    def on_data_channel(self, webrtc, channel):
        log("data channel '%s' opened by the peer", channel.props.label)
        self.setup_channel(channel)

    def setup_channel(self, channel):
        self.channel = channel
        channel.connect("on-open", self.on_channel_open)
        channel.connect("on-message-string", self.on_channel_message)
        channel.connect("on-error", lambda ch, err: die(
            "data channel error: %s" % err))

    def on_channel_open(self, channel):
        log("data channel open")
        if self.offerer:
            log("sending 'ping'")
            channel.emit("send-string", "ping")

    def on_channel_message(self, channel, text):
        log("data channel message: %r", text)
        with self.lock:
            self.messages.append(text)
        if not self.offerer and text == "ping":
            channel.emit("send-string", "pong")
            self.pong_sent = True
        GLib.idle_add(self.maybe_report)

    # --- verification ---

    def dtls_transports(self):
        """The DTLS transports of the audio and of the data channel: one
        with max-bundle, two with bundle-policy=none."""
        transports = []
        transceiver = self.webrtc.emit("get-transceiver", 0)
        if transceiver is not None:
            transports.append(transceiver.props.receiver.props.transport)
        sctp = self.webrtc.props.sctp_transport
        if sctp is not None:
            transports.append(sctp.props.transport)
        unique = []
        for t in transports:
            if t is not None and all(t is not u for u in unique):
                unique.append(t)
        return unique

    def dtls_elements(self):
        """Type names of the elements webrtcbin made from the factories
        "dtlssrtpenc" and "dtlssrtpdec" (whatever now answers to them)."""
        found = {"enc": [], "dec": []}
        for element in walk(self.webrtc):
            factory = element.get_factory()
            name = factory.get_name() if factory else None
            if name in ("dtlssrtpenc", "dtlssrtpdec"):
                found[name[-3:]].append(type(element).__gtype__.name)
        return found

    def maybe_report(self):
        if self.reported:
            return False
        with self.lock:
            decoded, rtp = self.decoded, self.rtp_received
            messages = list(self.messages)
        want = "pong" if self.offerer else "ping"
        if decoded < self.args.packets or want not in messages:
            return False
        if not self.offerer and not self.pong_sent:
            return False
        if (self.webrtc.get_property("connection-state")
                != GstWebRTC.WebRTCPeerConnectionState.CONNECTED):
            return False
        transports = self.dtls_transports()
        if not transports:
            die("webrtcbin has no DTLS transport")
        elements = self.dtls_elements()
        expected = EXPECTED_TYPES[self.impl]
        for kind in ("enc", "dec"):
            if (len(elements[kind]) != len(transports)
                    or set(elements[kind]) != {expected[kind]}):
                die("webrtcbin's DTLS-SRTP %s elements are %s, expected %d "
                    "%s" % (kind, elements[kind] or "none", len(transports),
                            expected[kind]))
        self.reported = True
        report = {
            "type": "report",
            "impl": self.impl,
            "role": "offerer" if self.offerer else "answerer",
            "transports": [{
                "name": t.get_name(),
                "dtls_client": t.props.client,
                "dtls_state": t.props.state.value_nick,
                "local_certificate_sha256": pem_to_sha256(
                    t.props.certificate),
                "remote_certificate_sha256": pem_to_sha256(
                    t.props.remote_certificate),
                "remote_certificate_pem": t.props.remote_certificate,
            } for t in transports],
            "element_types": elements,
            "rtp_received": rtp,
            "decoded": decoded,
            "messages": messages,
            "local_sdp_fingerprints": sdp_fingerprints(self.local_sdp or ""),
            "remote_sdp_fingerprints": sdp_fingerprints(self.remote_sdp
                                                        or ""),
        }
        dtls = ", ".join("%s %s as %s" % (
            t["name"], t["dtls_state"],
            "client" if t["dtls_client"] else "server")
            for t in report["transports"])
        log("done: %d RTP, %d decoded, messages %s, DTLS %s; reporting",
            rtp, decoded, messages, dtls)
        send(report)
        return False

    # --- plumbing ---

    def on_bus_error(self, bus, msg):
        err, dbg = msg.parse_error()
        die("error from %s: %s (%s)" % (msg.src.get_name(), err.message, dbg))

    def on_bus_warning(self, bus, msg):
        err, dbg = msg.parse_warning()
        log("warning from %s: %s (%s)", msg.src.get_name(), err.message, dbg)

    def handle(self, msg):
        kind = msg.get("type")
        if kind == "sdp":
            self.on_remote_sdp(msg["sdp-type"], msg["sdp"])
        elif kind == "ice":
            self.on_remote_candidate(msg["mlineindex"], msg["candidate"])
        elif kind == "quit":
            self.stop()
        else:
            die("unknown signalling message %r" % msg)
        return False

    def read_stdin(self):
        for line in sys.stdin:
            line = line.strip()
            if line:
                GLib.idle_add(self.handle, json.loads(line))
        log("signalling closed")
        GLib.idle_add(self.stop)

    def stop(self):
        # A shutdown that hangs must not hang the test.
        threading.Timer(5.0, lambda: die("shutdown took over 5 s")).start()
        self.pipe.set_state(Gst.State.NULL)
        self.loop.quit()
        return False

    def timeout(self):
        with self.lock:
            state = (self.rtp_received, self.decoded, self.messages)
        die("timed out after %d s: %d RTP buffers, %d decoded, data channel "
            "messages %s, peer connection %s" % (
                self.args.timeout, state[0], state[1], state[2],
                self.webrtc.get_property("connection-state").value_nick))

    def run(self):
        if self.pipe.set_state(Gst.State.READY) == \
                Gst.StateChangeReturn.FAILURE:
            die("pipeline cannot go to READY")
        if self.offerer:
            self.create_channel()
        if self.pipe.set_state(Gst.State.PLAYING) == \
                Gst.StateChangeReturn.FAILURE:
            die("pipeline cannot go to PLAYING")
        threading.Thread(target=self.read_stdin, daemon=True).start()
        GLib.timeout_add_seconds(self.args.timeout, self.timeout)
        self.loop.run()


def main():
    global ROLE
    parser = argparse.ArgumentParser(
        description="One webrtcbin peer of the interop test; signalling as "
        "JSON lines on stdin/stdout")
    impl = parser.add_mutually_exclusive_group(required=True)
    impl.add_argument("--ours", action="store_true",
                      help="our elements under the standard names")
    impl.add_argument("--reference", action="store_true",
                      help="gst-plugins-bad's dtls/srtp elements")
    role = parser.add_mutually_exclusive_group(required=True)
    role.add_argument("--offerer", action="store_true")
    role.add_argument("--answerer", action="store_true")
    parser.add_argument("--packets", type=int, default=50,
                        help="decoded audio buffers to wait for")
    parser.add_argument("--timeout", type=int, default=20)
    parser.add_argument("--bundle-policy", default="max-bundle",
                        choices=("max-bundle", "none"),
                        help="webrtcbin's bundle-policy (none: one DTLS "
                        "connection per m-line)")
    args = parser.parse_args()
    ROLE = "%s/%s" % ("ours" if args.ours else "ref",
                      "offerer" if args.offerer else "answerer")

    Gst.init(None)
    check_elements()
    if args.ours:
        register_ours()
    else:
        check_reference()
    Peer(args).run()
    log("exiting")
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: GObject wrappers finalised in random order
    # after the pipeline is gone only make noise.
    os._exit(0)


if __name__ == "__main__":
    main()
