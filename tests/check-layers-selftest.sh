#!/bin/sh
# Proves check-layers.sh bites: it must pass on a clean tree and fail on each
# kind of violation, each planted in a fresh temporary tree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/selftest-lib.sh"
check="$here/check-layers.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

plant() {  # plant TREE FILE LINE: a clean tree whose FILE also contains LINE
  mkdir -p "$work/$1/src/h1" "$work/$1/src/h2" "$work/$1/src/http" "$work/$1/src/net" \
           "$work/$1/include/paf" "$work/$1/platform/virtio"
  printf '#include "paf/http.h"\n#include "../http/fields.h"\n#include <llhttp.h>\n' \
    > "$work/$1/src/h1/ok.cpp"
  printf '#include "paf/platform.h"\n#include "paf/net.h"\n#include <lwip/tcp.h>\n' \
    > "$work/$1/src/net/ok.cpp"
  printf '#include "paf/platform.h"\n#include "virtio_ring.h"\n#include <string.h>\n' \
    > "$work/$1/platform/virtio/ok.c"
  mkdir -p "$(dirname "$work/$1/$2")"
  printf '%s\nint f();\n' "$3" > "$work/$1/$2"
}

plant clean src/h2/more.cpp '#include <nghttp2/nghttp2.h>'
"$check" "$work/clean" > /dev/null || { echo "FAIL: clean tree rejected"; exit 1; }

expect_each_caught "$check" \
    'src/h1/a.cpp|#include "paf/flow.h"' \
    'src/h2/b.h|  #  include "paf/tls.h"' \
    'src/http/c.cpp|#include "paf/runtime.h"' \
    'src/h2/d.cpp|#include "paf/net.h"' \
    'src/h1/e.cpp|#include "../tls/engine.h"' \
    'src/http/f.cpp|#include <mbedtls/ssl.h>' \
    'src/h1/g.cpp|#include <lwip/tcp.h>' \
    'src/net/h.cpp|#include "../../platform/posix/net.h"' \
    'src/loop/i.cpp|#include "paf/posix/socket_flow.h"' \
    'include/paf/j.h|#include "platform/virtio/kernel.h"' \
    'platform/virtio/k.c|#include "../../src/net/address.h"' \
    'platform/virtio/l.c|#include "paf/loop.h"' \
    'platform/virtio/m.h|#include "src/net/port/lwipopts.h"'
echo "check-layers catches all $caught planted violations and accepts a clean tree"
