#!/usr/bin/env python3
# webrtcbin interop test: a call between two webrtcbin peers in two
# processes, one on this project's elements (re-registered under the
# standard names), the other on Debian's gst-plugins-bad reference,
# negotiated by relaying SDP and ICE candidates between them (no signalling
# server), ICE by libnice on 127.0.0.1.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Both role assignments run: ours as offerer (DTLS server, the answer says
# a=setup:active) and ours as answerer (DTLS client). Each asserts:
#   - each side used the DTLS-SRTP bins it should (checked by the peers);
#   - audio both ways: each side decodes at least --packets Opus buffers;
#   - the data channel: the offerer's "ping" reaches the answerer, whose
#     "pong" comes back;
#   - each side's SDP a=fingerprint is the SHA-256 of the certificate the
#     other side received in the handshake (remote-certificate), both ways,
#     and of the certificate the side itself uses.
# Missing dependencies fail the test with the Debian package to install.
#
# Usage: python3 test_webrtcbin.py [--packets N] [--timeout S]
#            [--calls ours-offerer,ours-answerer] [--control] [--logdir D]
#   meson test webrtcbin_interop sets up the environment; by hand, run it
#   under meson devenv -C build. Each peer's log (stderr, GST_DEBUG output
#   included) is kept in --logdir as webrtc-<call>.<peer>.log. --control
#   runs the reference on both sides, to tell our bugs from the test's.

import argparse
import json
import os
import re
import selectors
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "peer.py")
# the peers run with this interpreter, the one meson chose for PyGObject
PYTHON = sys.executable


# name -> (our peer's role, webrtcbin bundle-policy). bundle-policy=none is
# not run: with webrtcbin 1.22 the data channel's own DTLS transport never
# starts its handshake, reference against reference too (--control).
CALLS = {
    "ours-offerer": ("offerer", "max-bundle"),
    "ours-answerer": ("answerer", "max-bundle"),
}


class Failure(Exception):
    pass


def sdp_fingerprints(sdp):
    return sorted({m.upper() for m in re.findall(
        r"^a=fingerprint:sha-256 ([0-9A-Fa-f:]+)\s*$", sdp, re.M)})


def sdp_setup(sdp):
    return sorted(set(re.findall(r"^a=setup:(\w+)", sdp, re.M)))


class PeerProcess:
    def __init__(self, name, impl, role, bundle, args, env):
        self.name = name
        self.impl = impl
        self.role = role
        self.stderr_path = os.path.join(args.logdir, "webrtc-%s.log" % name)
        self.stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(
            [PYTHON, PEER, "--" + impl, "--" + role,
             "--packets", str(args.packets),
             "--timeout", str(args.timeout), "--bundle-policy", bundle],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.stderr, env=env)
        self.buf = b""
        self.report = None
        self.sdp = None
        self.candidates = 0

    def send(self, msg):
        try:
            self.proc.stdin.write((json.dumps(msg) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def log_tail(self, lines=40):
        self.stderr.flush()
        with open(self.stderr_path) as f:
            tail = f.read().splitlines()[-lines:]
        return "\n".join("    " + line for line in tail)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def peer_env(impl):
    env = dict(os.environ)
    # Each process gets its own registry file (they start at the same time).
    reg = env.get("GST_REGISTRY")
    if reg:
        env["GST_REGISTRY"] = "%s.%s" % (reg, impl)
    return env


def run_call(args, call, ours_role, bundle):
    ref_role = "answerer" if ours_role == "offerer" else "offerer"
    # --control: the reference on both sides, to tell our bugs from
    # webrtcbin's
    ours_impl = "reference" if args.control else "ours"
    peers = {
        "ours": PeerProcess("%s.ours-%s" % (call, ours_role), ours_impl,
                            ours_role, bundle, args, peer_env("ours")),
        "reference": PeerProcess("%s.reference-%s" % (call, ref_role),
                                 "reference", ref_role, bundle, args,
                                 peer_env("reference")),
    }
    other = {"ours": "reference", "reference": "ours"}
    sel = selectors.DefaultSelector()
    for key, p in peers.items():
        sel.register(p.proc.stdout.fileno(), selectors.EVENT_READ, key)
    deadline = time.monotonic() + args.timeout + 5
    start = time.monotonic()
    try:
        while not all(p.report for p in peers.values()):
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("no result after %d s" % (args.timeout + 5))
            for skey, _ in sel.select(timeout=min(left, 1.0)):
                key = skey.data
                p = peers[key]
                chunk = os.read(skey.fd, 65536)
                if not chunk:
                    sel.unregister(skey.fd)
                    if not p.report:
                        raise Failure("the %s peer exited (status %s) "
                                      "without a result"
                                      % (p.name, p.proc.wait()))
                    continue
                p.buf += chunk
                while b"\n" in p.buf:
                    line, p.buf = p.buf.split(b"\n", 1)
                    if not line.strip():
                        continue
                    try:
                        msg = json.loads(line)
                    except ValueError:
                        raise Failure("the %s peer wrote a non-JSON line: %r"
                                      % (p.name, line))
                    handle(msg, p, peers[other[key]])
        elapsed = time.monotonic() - start
        for p in peers.values():
            p.send({"type": "quit"})
        for p in peers.values():
            try:
                status = p.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                raise Failure("the %s peer did not exit after quit" % p.name)
            if status != 0:
                raise Failure("the %s peer exited with status %d"
                              % (p.name, status))
        check(peers["ours"], peers["reference"])
        return peers, elapsed
    except Failure as e:
        msg = str(e)
        for p in peers.values():
            if p.proc.poll() is None:
                p.kill()
            msg += "\n  --- %s peer log (%s), last lines:\n%s" % (
                p.name, p.stderr_path, p.log_tail())
        raise Failure(msg)
    finally:
        for p in peers.values():
            p.kill()
            p.stderr.close()


def handle(msg, p, other):
    kind = msg.get("type")
    if kind == "error":
        raise Failure("the %s peer failed: %s" % (p.name, msg["message"]))
    if kind == "sdp":
        p.sdp = msg["sdp"]
        other.send(msg)
    elif kind == "ice":
        # Only loopback candidates are expected (and allowed) here.
        if " 127.0.0.1 " not in msg["candidate"]:
            return
        p.candidates += 1
        other.send(msg)
    elif kind == "report":
        p.report = msg
    else:
        raise Failure("the %s peer sent an unknown message %r" % (p.name, msg))


def check(ours, ref):
    errors = []
    for a, b in ((ours, ref), (ref, ours)):
        r = a.report
        if a.sdp is None:
            errors.append("%s sent no SDP" % a.name)
            continue
        fps = sdp_fingerprints(a.sdp)
        if not fps:
            errors.append("%s's SDP has no a=fingerprint:sha-256" % a.name)
            continue
        # The certificates a uses are the ones its SDP announces ...
        own = sorted({t["local_certificate_sha256"] for t in r["transports"]})
        if own != fps:
            errors.append("%s's SDP fingerprints %s are not the sha-256 of "
                          "its own certificates %s" % (a.name, fps, own))
        # ... and what b received in the handshake is what a announced.
        for t in b.report["transports"]:
            seen = t["remote_certificate_sha256"]
            if seen is None:
                errors.append("%s's %s has no remote-certificate (PEM "
                              "certificate): %r" % (
                                  b.name, t["name"],
                                  t["remote_certificate_pem"]))
            elif seen not in fps:
                errors.append("the certificate %s received on %s (sha-256 "
                              "%s) is not the one %s's SDP announces (%s)"
                              % (b.name, t["name"], seen, a.name, fps))
        if r["remote_sdp_fingerprints"] != sdp_fingerprints(b.sdp):
            errors.append("%s did not get %s's SDP intact" % (a.name, b.name))
        if r["decoded"] < ARGS.packets:
            errors.append("%s decoded only %d audio buffers"
                          % (a.name, r["decoded"]))
        want = "pong" if r["role"] == "offerer" else "ping"
        if want not in r["messages"]:
            errors.append("%s never received %r on the data channel"
                          % (a.name, want))
        # The DTLS roles follow a=setup: the answerer is active (client).
        expect_client = r["role"] == "answerer"
        for t in r["transports"]:
            if t["dtls_state"] != "connected":
                errors.append("%s's %s is %s" % (a.name, t["name"],
                                                 t["dtls_state"]))
            if t["dtls_client"] != expect_client:
                errors.append("%s's %s is DTLS %s, expected %s (setup %s)"
                              % (a.name, t["name"],
                                 "client" if t["dtls_client"] else "server",
                                 "client" if expect_client else "server",
                                 sdp_setup(a.sdp)))
    if errors:
        raise Failure("\n  ".join(["checks failed:"] + errors))


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--packets", type=int, default=50,
                        help="decoded audio buffers each side must get")
    parser.add_argument("--timeout", type=int, default=12,
                        help="seconds per call")
    parser.add_argument("--calls", default=",".join(CALLS),
                        help="calls to run, comma-separated, among %s"
                        % ", ".join(CALLS))
    parser.add_argument("--control", action="store_true",
                        help="run the reference on both sides (to check "
                        "the test itself)")
    parser.add_argument("--logdir", default=os.environ.get(
        "WEBRTC_TEST_LOGDIR", tempfile.gettempdir()),
                        help="where each peer's stderr log is written")
    ARGS = args = parser.parse_args()

    failed = False
    for call in args.calls.split(","):
        if call not in CALLS:
            parser.error("unknown call %r" % call)
        role, bundle = CALLS[call]
        title = "ours as %s (DTLS %s) <-> reference, bundle-policy=%s" % (
            role, "server" if role == "offerer" else "client", bundle)
        try:
            peers, elapsed = run_call(args, call, role, bundle)
        except Failure as e:
            print("FAIL: %s: %s" % (title, e))
            failed = True
            continue
        print("PASS: %s: %.1f s" % (title, elapsed))
        for p in peers.values():
            r = p.report
            print("  %-10s %-8s %s/%s: %d RTP in, %d decoded, data channel "
                  "got %s, %d local candidate(s)" % (
                      p.impl, r["role"], r["element_types"]["enc"][0],
                      r["element_types"]["dec"][0], r["rtp_received"],
                      r["decoded"], r["messages"], p.candidates))
            for t in r["transports"]:
                print("  %-10s %s: DTLS %s, received certificate sha-256 %s"
                      % ("", t["name"],
                         "client" if t["dtls_client"] else "server",
                         t["remote_certificate_sha256"]))
            print("  %-10s its a=fingerprint sha-256 %s"
                  % ("", " ".join(sdp_fingerprints(p.sdp))))
    print("FAILED" if failed else "all calls passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
