#!/usr/bin/python3
"""Attacks on a running paf server, one at a time, each beside a well-behaved
client. The attacker is this process; the well-behaved client is another
process (so that neither waits on the other's interpreter), which sends
GET / over one keep-alive HTTP/1.1 connection, one request after the other,
and times each. It runs quietly first (the baseline), then while the attack
runs. HTTP/2 frames and HPACK come from Debian's hyperframe and hpack.

Usage: attacks.py HOST HTTP_PORT HTTPS_PORT SERVER ATTACK
       attacks.py --list
The server is expected to run with a 2-second head and body timeout
(paf-server --header-timeout 2 --body-timeout 2, as check-attacks.sh starts
it; hello.elf header-timeout=2 body-timeout=2, as check-attacks-image.sh
boots it). SERVER says where its memory is read:
  PID        a hosted server's process: its resident memory (VmRSS);
  log:FILE   an image's serial console, where it writes "APP: heap: N KiB in
             use, high-water M KiB" every second (hello.elf heap-report=1):
             the growth is the high-water mark at the end less what was in
             use before the attack, so no peak between two samples is missed.

Prints what happened and one result line:
  ATTACK: ok|FAIL: what the attacked connections got; well-behaved client
  p50 X ms (quiet Y ms), p99 ...; server memory +Z MiB
and exits 0 (ok) or 1. What passes: every attacked connection gets the
answer the attack's entry says within its bound, the well-behaved client
never fails and its median latency stays within 2x the quiet one (or under
2 ms: below that, it is the machine's scheduling, not the server), and the
server's resident memory grows less than the entry's bound (not judged under
AddressSanitizer, whose quarantine keeps freed memory). Everything is
bounded in time: no attack runs for more than about 15 seconds.
"""
import json
import os
import re
import resource
import select
import socket
import ssl
import subprocess
import sys
import threading
import time

from hpack import Decoder, Encoder
from hyperframe.frame import (ContinuationFrame, DataFrame, Frame, GoAwayFrame, HeadersFrame,
                              PingFrame, RstStreamFrame, SettingsFrame)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
ENHANCE_YOUR_CALM, PROTOCOL_ERROR = 0xB, 0x1
ERRORS = {0x0: "NO_ERROR", 0x1: "PROTOCOL_ERROR", 0x2: "INTERNAL_ERROR", 0x6: "FRAME_SIZE_ERROR",
          0x9: "COMPRESSION_ERROR", 0xB: "ENHANCE_YOUR_CALM"}


# --- the well-behaved client (a process of its own) --------------------------

def good_client(host, port, seconds):
    """GET / over one keep-alive connection for `seconds`; prints JSON:
    latencies in ms and the errors seen."""
    latencies, errors = [], []
    end = time.monotonic() + seconds
    sock = None
    while time.monotonic() < end:
        try:
            if sock is None:
                sock = socket.create_connection((host, port), timeout=5)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            start = time.monotonic()
            sock.sendall(b"GET / HTTP/1.1\r\nHost: good\r\n\r\n")
            answer = b""
            while not (b"\r\n\r\n" in answer and answer.endswith(b"Hello World!")):
                chunk = sock.recv(4096)
                if not chunk:
                    raise ConnectionError("closed by the server")
                answer += chunk
            latencies.append((time.monotonic() - start) * 1000)
            time.sleep(0.002)
        except (OSError, ConnectionError) as error:
            errors.append(str(error))
            sock = None
            time.sleep(0.05)
    print(json.dumps({"latencies": latencies, "errors": errors[:5], "error_count": len(errors)}))


def start_good_client(host, port, seconds):
    return subprocess.Popen([sys.executable, __file__, "--good-client", host, str(port), str(seconds)],
                            stdout=subprocess.PIPE, text=True)


def finish_good_client(process):
    out, _ = process.communicate(timeout=60)
    return json.loads(out)


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


HEAP_LINE = re.compile(r": heap: (\d+) KiB in use, high-water (\d+) KiB")


def heap_kib(log):
    """The last heap line of an image's console: (in use, high-water) in KiB."""
    last = None
    with open(log, errors="replace") as console:
        for line in console:
            found = HEAP_LINE.search(line)
            if found:
                last = (int(found.group(1)), int(found.group(2)))
    if last is None:
        raise RuntimeError("no heap line on the console %s (heap-report=1?)" % log)
    return last


def memory_now_kib(server):
    """What the server uses now: a process's RSS, or an image's heap in use."""
    return heap_kib(server[4:])[0] if server.startswith("log:") else rss_kib(int(server))


def memory_peak_kib(server):
    """The most the server used: an image's heap high-water mark (after a
    second, so that the image's next line counts the attack's end), or a
    process's RSS now."""
    if server.startswith("log:"):
        time.sleep(1.2)
        return heap_kib(server[4:])[1]
    return rss_kib(int(server))


# --- helpers for attackers ----------------------------------------------------

def connect(host, port, tls=False, alpn=None, receive_buffer=None):
    """A connection; with `receive_buffer`, a small receive window (as a peer
    that reads nothing offers), so that the server's answers back up at once."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(5)
    sock.connect((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        if alpn:
            context.set_alpn_protocols(alpn)
        sock = context.wrap_socket(sock, server_hostname="localhost")
    return sock


def wait_closed(sock, seconds):
    """Reads until the server closes; returns (closed, bytes read, seconds)."""
    start = time.monotonic()
    data = b""
    sock.settimeout(0.2)
    while time.monotonic() - start < seconds:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, ssl.SSLError, OSError):
            return True, data, time.monotonic() - start
        if not chunk:
            return True, data, time.monotonic() - start
        data += chunk
    return False, data, time.monotonic() - start


class H2:
    """A raw HTTP/2 client connection (h2c by prior knowledge)."""

    def __init__(self, host, port):
        # A flood's answers must not vanish into the kernel's buffers.
        self.sock = connect(host, port, receive_buffer=4096)
        self.encoder = Encoder()
        self.buffer = b""
        self.sock.sendall(PREFACE + SettingsFrame(0).serialize())

    def send(self, *frames):
        self.sock.sendall(b"".join(frame.serialize() for frame in frames))

    def request_block(self, path="/", method="GET", extra=()):
        return self.encoder.encode([(":method", method), (":scheme", "http"), (":path", path),
                                    (":authority", "attack")] + list(extra))

    def frames_until_closed(self, seconds):
        """Frames until the server closes (or `seconds` pass): (frames, closed)."""
        frames, closed = [], False
        deadline = time.monotonic() + seconds
        self.sock.settimeout(0.2)
        while time.monotonic() < deadline:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            self.buffer += chunk
            while len(self.buffer) >= 9:
                frame, length = Frame.parse_frame_header(memoryview(self.buffer[:9]))
                if len(self.buffer) < 9 + length:
                    break
                frame.parse_body(memoryview(self.buffer[9:9 + length]))
                self.buffer = self.buffer[9 + length:]
                frames.append(frame)
        return frames, closed


def cut_for_flooding(code, closed):
    """A flooded server sends GOAWAY ENHANCE_YOUR_CALM and closes; when the
    flood's bytes are still unread on its side, closing resets the
    connection, and the GOAWAY may be lost on the way: a reset counts too."""
    return closed and code in (ENHANCE_YOUR_CALM, None)


def goaway_code(frames):
    for frame in frames:
        if isinstance(frame, GoAwayFrame):
            return frame.error_code
    return None


def flood(h2, frames_iter, batch=200):
    """Sends frames in batches until the server stops taking them."""
    sent = 0
    try:
        while True:
            chunk = []
            for _ in range(batch):
                frame = next(frames_iter, None)
                if frame is None:
                    break
                chunk.append(frame)
            if not chunk:
                break
            h2.send(*chunk)
            sent += len(chunk)
    except OSError:
        pass
    return sent


# --- the attacks ---------------------------------------------------------------
# Each returns (ok, description) and may use ctx: host, http, https.

def slowloris(ctx):
    """1,000 connections trickling a request head: each is answered 408 and
    closed once the head timeout (2 s) passes, not kept (a reset may drop
    the 408 on the client's side)."""
    count, sockets = 1000, []
    for _ in range(count):
        sock = connect(ctx["host"], ctx["http"])
        sock.sendall(b"GET / HTTP/1.1\r\nHost: slow\r\n")
        sockets.append(sock)
    start = time.monotonic()
    open_ = list(sockets)
    answered_408 = 0
    cut = 0
    # A header line every 0.5 s from each connection still open, for 6 s.
    while open_ and time.monotonic() - start < 6:
        still = []
        for sock in open_:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                still.append(sock)
            except OSError:
                cut += 1
        readable, _, _ = select.select(still, [], [], 0.5)
        for sock in readable:
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if data.startswith(b"HTTP/1.1 408"):
                answered_408 += 1
            if sock in still:
                still.remove(sock)
                cut += 1
        open_ = still
    elapsed = time.monotonic() - start
    for sock in sockets:
        sock.close()
    # The 408 goes out before the close; a client still sending then may
    # see the close as a reset, which drops the 408 on its side (as TCP
    # does). So: every connection cut, and most of them seeing the 408.
    ok = not open_ and answered_408 >= count // 2
    return ok, "%d of %d connections cut within %.1f s, %d answered 408" % (cut, count, elapsed,
                                                                           answered_408)


def slow_post(ctx):
    """200 connections sending a 1 MB body a byte every 3 s (slower than the
    2-second body timeout): each is answered 408 or closed within 2-4 s."""
    count, sockets = 200, []
    for _ in range(count):
        sock = connect(ctx["host"], ctx["http"])
        sock.sendall(b"POST / HTTP/1.1\r\nHost: slow\r\nContent-Length: 1000000\r\n\r\nx")
        sockets.append(sock)
    start = time.monotonic()
    cut_times = []
    for sock in sockets:
        closed, data, _ = wait_closed(sock, max(0.1, 5 - (time.monotonic() - start)))
        if closed:
            cut_times.append(time.monotonic() - start)
    for sock in sockets:
        sock.close()
    ok = len(cut_times) == count and max(cut_times) < 5
    return ok, "%d of %d connections cut, the last after %.1f s" % (
        len(cut_times), count, max(cut_times) if cut_times else float("nan"))


def slow_reader(ctx):
    """100 connections (50 plain, 50 TLS) asking for GET /large (1 MiB) and
    not reading: the server's memory stays bounded (checked by the caller)."""
    sockets = []
    for i in range(100):
        tls = i % 2 == 1
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect((ctx["host"], ctx["https"] if tls else ctx["http"]))
        if tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.set_alpn_protocols(["http/1.1"])
            sock = context.wrap_socket(sock, server_hostname="localhost")
        for _ in range(4):
            sock.sendall(b"GET /large HTTP/1.1\r\nHost: slow\r\n\r\n")
        sockets.append(sock)
    time.sleep(5)
    ctx["rss_during"] = memory_peak_kib(ctx["server"])
    for sock in sockets:
        sock.close()
    return True, "100 connections held 4 x 1 MiB each unread for 5 s"


def rapid_reset(ctx):
    """HEADERS then RST_STREAM, over and over on one connection (CVE-2023-44487):
    GOAWAY ENHANCE_YOUR_CALM (or a reset) and the connection closed within 2 s."""
    h2 = H2(ctx["host"], ctx["http"])
    block = h2.request_block()

    def frames():
        for stream in range(1, 2 * 20000, 2):
            yield HeadersFrame(stream, block, flags=["END_HEADERS", "END_STREAM"])
            yield RstStreamFrame(stream, error_code=0x8)
    start = time.monotonic()
    sent = flood(h2, frames())
    got, closed = h2.frames_until_closed(2)
    code = goaway_code(got)
    ok = cut_for_flooding(code, closed)
    return ok, "%d frames sent; GOAWAY %s, closed %s, %.1f s" % (
        sent, ERRORS.get(code, code), closed, time.monotonic() - start)


def continuation_flood(ctx):
    """HEADERS without END_HEADERS, then CONTINUATION frames without end
    (CVE-2024-27316 and kin): GOAWAY and closed within 2 s."""
    h2 = H2(ctx["host"], ctx["http"])
    block = h2.request_block()

    def frames():
        yield HeadersFrame(1, block, flags=["END_STREAM"])
        for _ in range(100000):
            yield ContinuationFrame(1, b"\x40\x01a\x01b")  # a literal x: y, again and again
    start = time.monotonic()
    sent = flood(h2, frames())
    got, closed = h2.frames_until_closed(2)
    code = goaway_code(got)
    ok = cut_for_flooding(code, closed) or (closed and code in (PROTOCOL_ERROR, 0x9))
    return ok, "%d frames sent; GOAWAY %s, closed %s, %.1f s" % (
        sent, ERRORS.get(code, code), closed, time.monotonic() - start)


def hpack_bomb(ctx):
    """A 4 KB header put in the dynamic table once, then referred to 4,000
    times in one block (16 MB decoded): refused at the header-list limit
    (RST_STREAM, a 431, or GOAWAY), never decoded into memory."""
    h2 = H2(ctx["host"], ctx["http"])
    big = [("x-bomb", "b" * 4000)]
    first = h2.encoder.encode([(":method", "GET"), (":scheme", "http"), (":path", "/"),
                               (":authority", "attack")] + big)
    h2.send(HeadersFrame(1, first, flags=["END_HEADERS", "END_STREAM"]))
    # Index 62 is the newest entry of the dynamic table: the bomb's header.
    bomb = h2.request_block() + b"\xbe" * 4000
    h2.send(HeadersFrame(3, bomb, flags=["END_HEADERS", "END_STREAM"]))
    got, closed = h2.frames_until_closed(2)
    refused = [f for f in got if isinstance(f, (RstStreamFrame, GoAwayFrame))]
    decoder, status = Decoder(), None
    for frame in got:
        if isinstance(frame, HeadersFrame):
            fields = dict(decoder.decode(frame.data))
            if frame.stream_id == 3:
                status = fields.get(":status")
    ok = bool(refused) or status == "431"
    what = ", ".join(type(f).__name__ + " " + ERRORS.get(f.error_code, str(f.error_code)) for f in refused)
    return ok, "stream 3: %s" % (what or ("answered %s" % status if status else "nothing"))


def _flood_of(make_frame, ctx, count=1000000):
    # A million: the answers (9 MB) must outgrow what the kernel's buffers
    # absorb before the server's own queue of answers can overflow.
    h2 = H2(ctx["host"], ctx["http"])
    start = time.monotonic()
    sent = flood(h2, (make_frame(i) for i in range(count)))
    got, closed = h2.frames_until_closed(2)
    code = goaway_code(got)
    return cut_for_flooding(code, closed), "%d frames sent; GOAWAY %s, closed %s, %.1f s" % (
        sent, ERRORS.get(code, code), closed, time.monotonic() - start)


def settings_flood(ctx):
    """SETTINGS frames, never reading the ACKs: cut (GOAWAY ENHANCE_YOUR_CALM)
    once the unsent ACKs pass H2Config::max_outbound_acks."""
    return _flood_of(lambda i: SettingsFrame(0, settings={0x3: 100}), ctx)


def ping_flood(ctx):
    """PING frames, never reading the answers: cut (GOAWAY ENHANCE_YOUR_CALM)
    once the unsent answers pass H2Config::max_outbound_acks."""
    return _flood_of(lambda i: PingFrame(0, opaque_data=i.to_bytes(8, "big")), ctx)


def empty_data_flood(ctx):
    """A POST whose body is empty DATA frames, by the hundred thousand: the
    connection is cut (GOAWAY ENHANCE_YOUR_CALM), not kept busy."""
    h2 = H2(ctx["host"], ctx["http"])
    h2.send(HeadersFrame(1, h2.request_block("/echo", "POST"), flags=["END_HEADERS"]))
    start = time.monotonic()
    sent = flood(h2, (DataFrame(1, b"") for _ in range(100000)))
    got, closed = h2.frames_until_closed(2)
    code = goaway_code(got)
    return cut_for_flooding(code, closed), "%d frames sent; GOAWAY %s, closed %s, %.1f s" % (
        sent, ERRORS.get(code, code), closed, time.monotonic() - start)


def stream_id_exhaustion(ctx):
    """The last stream ID a client has (2^31 - 1) is served; a stream opened
    after it, with a smaller ID, is a connection error (PROTOCOL_ERROR)."""
    h2 = H2(ctx["host"], ctx["http"])
    last = 2**31 - 1
    h2.send(HeadersFrame(last, h2.request_block(), flags=["END_HEADERS", "END_STREAM"]))
    got, served = [], False
    deadline = time.monotonic() + 3
    while not served and time.monotonic() < deadline:
        frames, closed = h2.frames_until_closed(0.3)
        got += frames
        served = any(f.stream_id == last and "END_STREAM" in f.flags for f in frames)
        if closed:
            break
    h2.send(HeadersFrame(5, h2.request_block(), flags=["END_HEADERS", "END_STREAM"]))
    got, closed = h2.frames_until_closed(2)
    code = goaway_code(got)
    return served and closed and code == PROTOCOL_ERROR, "last stream served %s; then GOAWAY %s, closed %s" % (
        served, ERRORS.get(code, code), closed)


def tls_handshake_flood(ctx):
    """Eight clients making full TLS handshakes (no resumption) as fast as
    they can for 5 s: every one completes, and the server serves on."""
    stop = time.monotonic() + 5
    counts, failures = [0] * 8, []

    def worker(i):
        while time.monotonic() < stop:
            try:
                sock = connect(ctx["host"], ctx["https"], tls=True, alpn=["h2", "http/1.1"])
                sock.close()
                counts[i] += 1
            except OSError as error:
                failures.append(str(error))
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return not failures, "%d handshakes in 5 s (%d failed%s)" % (
        sum(counts), len(failures), ": " + failures[0] if failures else "")


SMUGGLING = {
    "CL.TE": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
    "TE.CL": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
    "TE.TE xchunked": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
    "TE.TE space before colon": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    "TE.TE chunked, identity": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    "TE.TE two fields": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\n",
    "bare CR": b"GET / HTTP/1.1\r\nHost: a\rX-Smuggled: 1\r\n\r\n",
    "bare LF": b"GET / HTTP/1.1\nHost: a\nX: y\n\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
}


def smuggling(ctx):
    """Request smuggling variants, each followed by a second request on the
    same connection: each gets 400 and the connection closed; the second
    request is never answered."""
    results, ok = [], True
    for name, attack in SMUGGLING.items():
        sock = connect(ctx["host"], ctx["http"])
        sock.sendall(attack + b"GET /second HTTP/1.1\r\nHost: a\r\n\r\n")
        closed, data, _ = wait_closed(sock, 3)
        sock.close()
        statuses = [line.split(b" ")[1].decode() for line in data.split(b"\r\n")
                    if line.startswith(b"HTTP/1.1 ")]
        good = closed and statuses and statuses[0] == "400" and len(statuses) == 1
        ok = ok and good
        results.append("%s: %s%s" % (name, "/".join(statuses) or "no answer", "" if closed else " (left open)"))
    return ok, "; ".join(results)


ATTACKS = {
    # name: (function, memory bound in MiB)
    "slowloris": (slowloris, 64),
    "slow_post": (slow_post, 64),
    "slow_reader": (slow_reader, 64),
    "rapid_reset": (rapid_reset, 32),
    "continuation_flood": (continuation_flood, 32),
    "hpack_bomb": (hpack_bomb, 32),
    "settings_flood": (settings_flood, 32),
    "ping_flood": (ping_flood, 32),
    "empty_data_flood": (empty_data_flood, 32),
    "stream_id_exhaustion": (stream_id_exhaustion, 32),
    "tls_handshake_flood": (tls_handshake_flood, 32),
    "smuggling": (smuggling, 32),
}


def main():
    if sys.argv[1:2] == ["--good-client"]:
        return good_client(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    if sys.argv[1:2] == ["--list"]:
        print("\n".join(ATTACKS))
        return 0
    host, http, https, server, name = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    attack, memory_bound_mib = ATTACKS[name]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    ctx = {"host": host, "http": http, "https": https, "server": server}

    quiet = finish_good_client(start_good_client(host, http, 2))
    rss_before = memory_now_kib(server)
    loud_process = start_good_client(host, http, 6)
    time.sleep(0.3)
    try:
        ok, what = attack(ctx)
    except Exception as error:  # an attack that cannot even run is a failure
        ok, what = False, "the attack failed: %r" % error
    loud = finish_good_client(loud_process)
    rss_after = max(memory_peak_kib(server), ctx.get("rss_during", 0))
    grown_mib = (rss_after - rss_before) / 1024

    quiet_p50, loud_p50 = percentile(quiet["latencies"], 0.5), percentile(loud["latencies"], 0.5)
    latency_ok = loud["error_count"] == 0 and loud["latencies"] and loud_p50 <= max(2 * quiet_p50, 2.0)
    # Under AddressSanitizer freed memory waits in its quarantine: the
    # growth is reported, not judged (tests/attacks/CMakeLists.txt sets
    # PAF_ATTACKS_MEMORY so in a sanitizer build).
    memory_judged = os.environ.get("PAF_ATTACKS_MEMORY") != "not judged"
    memory_ok = grown_mib < memory_bound_mib or not memory_judged
    verdict = ok and latency_ok and memory_ok
    print("%s: %s: %s; well-behaved client: p50 %.2f ms (quiet %.2f ms), p99 %.2f ms (quiet %.2f ms), "
          "%d requests, %d errors%s; server memory %+.1f MiB (%s)" % (
              name, "ok" if verdict else "FAIL", what, loud_p50, quiet_p50,
              percentile(loud["latencies"], 0.99), percentile(quiet["latencies"], 0.99),
              len(loud["latencies"]), loud["error_count"],
              (": " + loud["errors"][0]) if loud["errors"] else "", grown_mib,
              "bound %d" % memory_bound_mib if memory_judged else "not judged: sanitizers"))
    if not ok:
        print("  the attacked connections did not get the expected answer")
    if not latency_ok:
        print("  the well-behaved client suffered")
    if not memory_ok:
        print("  the server's memory grew too much")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
