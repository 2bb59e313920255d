#!/usr/bin/env python3
# Reads paf-stress's plain report on stdin and prints the figures the tests
# compare, one "name value" a line: requests, answered, histogram (the sum of
# the drawn buckets' counts), errors (from "Got N error(s)", else 0), each
# status code as status:CODE, each error kind as error:KIND, each connection
# protocol as connections:PROTOCOL (spaces as _).
import re
import sys

figures = {"histogram": 0, "errors": 0}
section = None
for line in sys.stdin.read().splitlines():
    if line and not line.startswith(" "):
        section = line.rstrip(":")
        m = re.match(r"Got (\d+) error\(s\)$", line)
        if m:
            figures["errors"] = int(m.group(1))
        continue
    m = re.match(r"\s+Requests:\s+(\d+), (\d+) answered$", line)
    if m:
        figures["requests"], figures["answered"] = int(m.group(1)), int(m.group(2))
    elif section and section.startswith("Histogram"):
        m = re.match(r"\s+\[\s*[\d.e+-]+,\s*[\d.e+-]+\)\+?\s+ms\s+(\d+)", line)
        if m:
            figures["histogram"] += int(m.group(1))
    elif section == "Status codes":
        m = re.match(r"\s+\[(\d+)\] (\d+)$", line)
        if m:
            figures["status:" + m.group(1)] = int(m.group(2))
    elif section == "Errors":
        m = re.match(r"\s+(\w+): (\d+) ", line)
        if m:
            figures["error:" + m.group(1)] = int(m.group(2))
    elif section == "Connections":
        m = re.match(r"\s+(.+): (\d+)$", line)
        if m:
            figures["connections:" + m.group(1).replace(" ", "_")] = int(m.group(2))
for name, value in figures.items():
    print(name, value)
