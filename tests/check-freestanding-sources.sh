#!/bin/sh
# Fails if any file under ROOT/src, ROOT/include or ROOT/unikernel includes a
# header only an operating system provides (or a standard header that needs
# one): paf's core and the unikernel applications must build unchanged for
# bare metal, where none of them exists.
# Usage: check-freestanding-sources.sh [ROOT]   (ROOT defaults to the repository)
set -eu
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}

# POSIX/Linux headers, then C++ headers that need threads, files or clocks.
# (C headers such as errno.h, time.h and string.h stay allowed: paf's own libc
# supplies them in the freestanding build.)
os_headers='unistd\.h|sys/.*|pthread\.h|netinet/.*|arpa/.*|fcntl\.h|poll\.h|signal\.h|csignal|dlfcn\.h|netdb\.h|linux/.*|asm/.*|sched\.h|semaphore\.h|termios\.h|dirent\.h|syslog\.h|spawn\.h|ifaddrs\.h'
hosted_cxx='thread|mutex|shared_mutex|condition_variable|future|chrono|iostream|fstream|filesystem|stop_token|semaphore|latch|barrier'
pattern="^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($os_headers|$hosted_cxx)[>\"]"

found=0
for dir in "$root/src" "$root/include" "$root/unikernel"; do
  [ -d "$dir" ] || continue
  if matches=$(grep -rnE --include='*.h' --include='*.hpp' --include='*.c' --include='*.cc' \
                 --include='*.cpp' --include='*.S' "$pattern" "$dir"); then
    printf '%s\n' "$matches" | sed "s|^$root/||; s|\$|   <- OS header in freestanding code|" >&2
    found=1
  fi
done
if [ "$found" -ne 0 ]; then
  echo "check-freestanding-sources: src/, include/ and unikernel/ must not include OS headers" >&2
  exit 1
fi
echo "check-freestanding-sources: $root/src, $root/include and $root/unikernel are freestanding"
