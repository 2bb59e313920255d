#!/bin/sh
# Proves check-freestanding-sources.sh bites: it must pass on a clean tree and
# fail on each kind of violation, each planted in a fresh temporary tree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/selftest-lib.sh"
check="$here/check-freestanding-sources.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

plant() {  # plant TREE FILE LINE: a tree whose FILE contains LINE, among clean code
  mkdir -p "$work/$1/src/core" "$work/$1/include/paf"
  printf '#include <cstdint>\n#include "paf/result.h"\n' > "$work/$1/include/paf/ok.h"
  printf '%s\nint f();\n' "$3" > "$work/$1/$2"
}

plant clean src/core/ok.cpp '#include <span>'
printf '#include <errno.h>\n#include <string.h>\n' > "$work/clean/src/core/types.h"
"$check" "$work/clean" > /dev/null || { echo "FAIL: clean tree rejected"; exit 1; }

expect_each_caught "$check" \
    'src/core/a.cpp|#include <unistd.h>' \
    'src/core/b.cpp|  #  include <sys/socket.h>' \
    'include/paf/c.h|#include "pthread.h"' \
    'src/core/d.c|#include <netinet/in.h>' \
    'src/core/e.cpp|#include <thread>' \
    'src/core/f.cpp|#include <linux/if_tun.h>' \
    'src/core/g.h|#include <sys/types.h>'
echo "check-freestanding-sources catches all $caught planted violations and accepts a clean tree"
