#!/usr/bin/env python3
"""echo-client.py PORT [BYTES]: sends BYTES (default 1 MiB) of deterministic
data to 127.0.0.1:PORT while reading the echo, closes its write side, and
checks that exactly the same bytes came back before the server closed. Prints
the throughput; exits 1 on any difference or after 60 s."""
import random
import selectors
import socket
import sys
import time

port = int(sys.argv[1])
size = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
data = random.Random(7).randbytes(size)

sock = socket.create_connection(("127.0.0.1", port), timeout=10)
sock.setblocking(False)
selector = selectors.DefaultSelector()
selector.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
sent, received = 0, bytearray()
start = time.monotonic()
deadline = start + 60
while time.monotonic() < deadline:
    for _, events in selector.select(timeout=1):
        if events & selectors.EVENT_WRITE and sent < size:
            sent += sock.send(data[sent:sent + 65536])
            if sent == size:
                sock.shutdown(socket.SHUT_WR)
                selector.modify(sock, selectors.EVENT_READ)
        if events & selectors.EVENT_READ:
            chunk = sock.recv(65536)
            if not chunk:
                deadline = 0  # the server closed: done
                break
            received += chunk
elapsed = time.monotonic() - start
sock.close()
if bytes(received) != data:
    sys.exit(f"echo-client: sent {sent} bytes, got {len(received)} back, "
             f"{'different' if len(received) == size else 'not all'}")
print(f"echo-client: {size} bytes echoed intact in {elapsed * 1000:.0f} ms "
      f"({size / elapsed / (1 << 20):.2f} MiB/s each way)")
