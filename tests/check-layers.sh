#!/bin/sh
# Fails when an include crosses the layers downwards-only rule (docs/ARCHITECTURE.md):
#  - a protocol engine (src/h1, src/h2, src/http) includes a flow, TLS, net or
#    runtime header (or a higher layer's that brings flows: alpn, service):
#    engines are sans-I/O, bytes in and bytes out;
#  - src/ or include/ includes anything of platform/ (a binding): the core
#    knows the platform through include/paf/platform.h only;
#  - platform/virtio includes anything of src/ (or any paf header but the
#    platform contract, paf/platform.h): a binding implements the contract
#    and knows nothing above it.
# Usage: check-layers.sh [ROOT]   (ROOT defaults to the repository)
set -eu
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}

inc='^[[:space:]]*#[[:space:]]*include[[:space:]]*'
sources() {  # sources DIR...: the C and C++ files under each existing DIR
  for dir in "$@"; do
    [ -d "$root/$dir" ] && printf '%s\n' "$root/$dir"
  done
}
found=0
report() {  # report WHY DIR... (pattern in $pattern): prints each offending line
  why=$1
  shift
  dirs=$(sources "$@")
  [ -n "$dirs" ] || return 0
  # shellcheck disable=SC2086  # one directory per word
  if matches=$(grep -rnE --include='*.h' --include='*.hpp' --include='*.c' --include='*.cc' \
                 --include='*.cpp' --include='*.S' "$pattern" $dirs); then
    printf '%s\n' "$matches" | sed "s|^$root/||; s|\$|   <- $why|" >&2
    found=1
  fi
}

# Flows, TLS, the network, the runtime, and the layers above that bring them.
engine_forbidden='paf/(flow|memory_flow|secure_flow|listener|tls|net|simulated_ethernet|platform_net_device|runtime|alpn|service)\.h|(\.\./)+(flow|tls|net|runtime|alpn|service)/|mbedtls/|psa/|lwip/|netif/'
pattern="$inc[<\"]($engine_forbidden)"
report "a protocol engine includes a flow, TLS, net or runtime header" src/h1 src/h2 src/http

pattern="$inc[<\"]((\.\./)*platform/|paf/(posix|virtio|libc)/)"
report "the core includes a platform binding" src include

pattern="$inc[<\"]((\.\./)+src/|src/|paf/(.*/)?[a-z_]+\.h)"
exempt=':[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]paf/platform\.h[>"]'
if dirs=$(sources platform/virtio) && [ -n "$dirs" ] &&
   matches=$(grep -rnE --include='*.h' --include='*.c' --include='*.S' "$pattern" "$dirs" |
             grep -vE "$exempt"); then
  printf '%s\n' "$matches" | sed "s|^$root/||; s|\$|   <- platform/virtio includes more than the platform contract|" >&2
  found=1
fi

if [ "$found" -ne 0 ]; then
  echo "check-layers: an include points up or across the layers (see docs/ARCHITECTURE.md)" >&2
  exit 1
fi
echo "check-layers: engines, the core and platform/virtio keep to their layers in $root"
