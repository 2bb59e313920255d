#!/usr/bin/env python3
"""keep-alive-client.py PORT CLIENTS REQUESTS: CLIENTS threads, each sending
REQUESTS `GET /` on one persistent HTTP/1.1 connection to 127.0.0.1:PORT and
checking every answer (200, "Hello World!") and that the connection stayed
the same. Prints the totals; exits 1 on any error."""
import http.client
import sys
import threading
import time

port, clients, requests = (int(arg) for arg in sys.argv[1:4])
errors = []


def client(index):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.connect()
        sock = connection.sock
        for n in range(requests):
            connection.request("GET", "/")
            response = connection.getresponse()
            body = response.read()
            if response.status != 200 or body != b"Hello World!":
                errors.append(f"client {index} request {n}: {response.status} {body[:40]!r}")
            if connection.sock is not sock:
                errors.append(f"client {index} request {n}: the connection was not kept alive")
                sock = connection.sock
    except Exception as error:  # any failure is the test's failure, with its reason
        errors.append(f"client {index}: {error!r}")
    finally:
        connection.close()


start = time.monotonic()
threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - start
print(f"{clients * requests} requests from {clients} clients in {elapsed:.2f} s, {len(errors)} errors")
for error in errors[:10]:
    print(error)
sys.exit(1 if errors else 0)
