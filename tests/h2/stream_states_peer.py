#!/usr/bin/python3
"""An HTTP/2 client that breaks the stream-state rules of RFC 9113 §5.1 and
§6.1 the way a conformance tester does, over a real socket (TCP, or TLS with
ALPN h2), with each frame in its own write and, where the case says so, only
after the whole response was read. Frames and HPACK come from Debian's
hyperframe and hpack, a peer independent of nghttp2.

Usage: stream_states_peer.py HOST PORT (h2c|tls) CASE
Prints one line, "ok: ..." or "FAIL: ...", and exits 0 or 1. Every read has a
deadline; nothing waits longer than TIMEOUT seconds in all.
"""
import socket
import ssl
import sys
import time

from hpack import Encoder
from hyperframe.frame import (DataFrame, Frame, GoAwayFrame, HeadersFrame, RstStreamFrame,
                              SettingsFrame)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
TIMEOUT = 5.0
NO_ERROR, PROTOCOL_ERROR, CANCEL, STREAM_CLOSED = 0x0, 0x1, 0x8, 0x5
NAMES = {0x0: "NO_ERROR", 0x1: "PROTOCOL_ERROR", 0x5: "STREAM_CLOSED", 0x8: "CANCEL"}


class Peer:
    def __init__(self, host, port, transport):
        raw = socket.create_connection((host, port), timeout=TIMEOUT)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if transport == "tls":
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.set_alpn_protocols(["h2"])
            raw = context.wrap_socket(raw, server_hostname="localhost")
            if raw.selected_alpn_protocol() != "h2":
                raise RuntimeError("ALPN chose %r, not h2" % raw.selected_alpn_protocol())
        self.sock = raw
        self.deadline = time.monotonic() + TIMEOUT
        self.buffer = b""
        self.encoder = Encoder()
        self.closed = False

    def write(self, data):
        self.sock.sendall(data)

    def send(self, frame):
        self.write(frame.serialize())

    def handshake(self):
        self.write(PREFACE)
        self.send(SettingsFrame(0))
        # The server's SETTINGS first, then acknowledge it.
        frame = self.next_frame()
        if not isinstance(frame, SettingsFrame):
            raise RuntimeError("the server's first frame is %s, not SETTINGS" % frame)
        self.send(SettingsFrame(0, flags=["ACK"]))

    def get(self, stream):
        block = self.encoder.encode([(":method", "GET"), (":scheme", "https"), (":path", "/"),
                                     (":authority", "localhost")])
        self.send(HeadersFrame(stream, block, flags=["END_HEADERS", "END_STREAM"]))

    def trailer(self, stream):
        block = self.encoder.encode([("x-late", "1")])
        self.send(HeadersFrame(stream, block, flags=["END_HEADERS", "END_STREAM"]))

    def data(self, stream):
        self.send(DataFrame(stream, b"late", flags=["END_STREAM"]))

    def read_more(self):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer within %.0f s" % TIMEOUT)
        self.sock.settimeout(remaining)
        chunk = self.sock.recv(65536)
        if not chunk:
            self.closed = True
        self.buffer += chunk

    def next_frame(self):
        """The next frame, or None once the server closed the connection
        between frames. Bytes that are not a frame raise an error."""
        while len(self.buffer) < 9:
            if self.closed:
                if self.buffer:
                    raise RuntimeError("EOF inside a frame header: %r" % self.buffer)
                return None
            self.read_more()
        frame, length = Frame.parse_frame_header(memoryview(self.buffer[:9]))
        if length > 16384:
            raise RuntimeError("not a frame (length %d): %r" % (length, self.buffer[:32]))
        while len(self.buffer) < 9 + length:
            if self.closed:
                raise RuntimeError("EOF inside a frame: %r" % self.buffer[:32])
            self.read_more()
        frame.parse_body(memoryview(self.buffer[9:9 + length]))
        self.buffer = self.buffer[9 + length:]
        return frame

    def read_response(self, stream):
        """Frames until the response on `stream` ended."""
        while True:
            frame = self.next_frame()
            if frame is None:
                raise RuntimeError("closed before the response on stream %d ended" % stream)
            if isinstance(frame, GoAwayFrame):
                raise RuntimeError("GOAWAY %s before the response ended" % name(frame.error_code))
            if frame.stream_id == stream and "END_STREAM" in frame.flags:
                return

    def outcome(self):
        """What the server does next: ("rst", stream, code), ("goaway", code),
        ("closed",), or ("nothing",) when TIMEOUT passes with no error."""
        try:
            while True:
                frame = self.next_frame()
                if frame is None:
                    return ("closed",)
                if isinstance(frame, RstStreamFrame):
                    return ("rst", frame.stream_id, frame.error_code)
                if isinstance(frame, GoAwayFrame):
                    # A connection error ends with the connection closed (§5.4.1).
                    while self.next_frame() is not None:
                        pass
                    return ("goaway", frame.error_code)
        except (TimeoutError, socket.timeout):
            return ("nothing",)
        except ConnectionResetError:
            return ("closed",)


def name(code):
    return NAMES.get(code, hex(code))


def describe(outcome):
    if outcome[0] == "rst":
        return "RST_STREAM %s on stream %d" % (name(outcome[2]), outcome[1])
    if outcome[0] == "goaway":
        return "GOAWAY %s, then the connection closed" % name(outcome[1])
    return {"closed": "the connection closed", "nothing": "no error within %.0f s" % TIMEOUT}[outcome[0]]


# What each case accepts, as RFC 9113 asks.
def stream_error_on_1(outcome):  # §5.4.2, and §5.4.1 allows any stream error to end the connection
    return outcome in (("rst", 1, STREAM_CLOSED), ("goaway", STREAM_CLOSED))


def strictly_a_stream_error_on_1(outcome):
    return outcome == ("rst", 1, STREAM_CLOSED)


def connection_error(outcome):
    return outcome == ("goaway", STREAM_CLOSED)


def half_closed_remote(frame):
    def run(peer):
        peer.handshake()
        peer.get(1)
        frame(peer, 1)
        return peer.outcome(), lambda o: stream_error_on_1(o) or o == ("closed",)
    return run


def closed_after_reset(frame):
    def run(peer):
        peer.handshake()
        peer.get(1)
        peer.send(RstStreamFrame(1, error_code=CANCEL))
        frame(peer, 1)
        return peer.outcome(), strictly_a_stream_error_on_1
    return run


def closed_after_the_response(frame):
    def run(peer):
        peer.handshake()
        peer.get(1)
        peer.read_response(1)
        frame(peer, 1)
        return peer.outcome(), connection_error
    return run


def data_on_a_stream_not_open(peer):
    peer.handshake()
    peer.get(1)
    peer.data(1)
    return peer.outcome(), stream_error_on_1


CASES = {
    "half_closed_remote_data": half_closed_remote(Peer.data),
    "half_closed_remote_headers": half_closed_remote(Peer.trailer),
    "closed_after_reset_data": closed_after_reset(Peer.data),
    "closed_after_reset_headers": closed_after_reset(Peer.trailer),
    "closed_after_the_response_data": closed_after_the_response(Peer.data),
    "closed_after_the_response_headers": closed_after_the_response(Peer.trailer),
    "data_on_a_stream_not_open": data_on_a_stream_not_open,
}


def bad_preface(peer):
    """§3.4: a preface that begins as HTTP/2's and then differs. Frames until
    the connection closes: GOAWAY PROTOCOL_ERROR among them, or none at all."""
    peer.write(PREFACE[:18] + b"XX\r\n\r\n")
    frames = []
    while True:
        frame = peer.next_frame()
        if frame is None:
            break
        frames.append(frame)
    goaways = [f.error_code for f in frames if isinstance(f, GoAwayFrame)]
    return frames, goaways in ([], [PROTOCOL_ERROR])


def main():
    host, port, transport, case = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    label = "%s over %s" % (case, transport)
    try:
        peer = Peer(host, port, transport)
        if case == "bad_preface":
            frames, good = bad_preface(peer)
            seen = ", ".join(type(f).__name__ for f in frames) or "no frame"
            print("%s: %s: %s, then the connection closed" % ("ok" if good else "FAIL", label, seen))
            return 0 if good else 1
        outcome, accept = CASES[case](peer)
    except Exception as error:  # a broken answer is this test's failure, said in one line
        print("FAIL: %s: %s: %s" % (label, type(error).__name__, error))
        return 1
    good = accept(outcome)
    print("%s: %s: %s" % ("ok" if good else "FAIL", label, describe(outcome)))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
