#!/usr/bin/env python3
"""Opens N idle connections to a server and holds them until stdin closes.

  idle-connections.py MODE HOST PORT N
MODE: h2c       clear text, the HTTP/2 preface and an empty SETTINGS frame
      tls-h2    TLS with ALPN h2, then the same preface and SETTINGS
      tls-http1 TLS with ALPN http/1.1, no request
Prints "ready" once every connection is set up (and, for h2, the server's
SETTINGS came back, so the server has made its HTTP/2 connection), then waits
for stdin to close: the caller measures the server in between.
"""
import socket
import ssl
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"


def main():
    mode, host, port, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    held = []
    for _ in range(count):
        sock = socket.create_connection((host, port), timeout=10)
        if mode.startswith("tls"):
            context.set_alpn_protocols(["h2"] if mode == "tls-h2" else ["http/1.1"])
            sock = context.wrap_socket(sock, server_hostname="localhost")
        if mode in ("h2c", "tls-h2"):
            sock.sendall(PREFACE)
            if not sock.recv(9):  # the server's SETTINGS frame header
                sys.exit("idle-connections: the server closed a connection")
        held.append(sock)
    time.sleep(0.5)  # the server finishes what the last connections sent
    print("ready", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
