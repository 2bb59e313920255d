#!/usr/bin/env bash
# AES-GCM side by side: paf's two implementations (tools/bench/gcm_speed.cpp:
# 16 KiB records, a key set per record) and OpenSSL's EVP AES-GCM as
# `openssl speed` measures it on the same record size, each pinned to CPU 0.
#
#   tools/bench/gcm.sh BUILD_DIR
set -euo pipefail
build=${1:-build/host}
speed=$build/tools/paf-gcm-speed
[[ -x $speed ]] || { echo "bench: $speed not built" >&2; exit 1; }
command -v openssl >/dev/null || { echo "bench: openssl missing" >&2; exit 1; }

echo "AES-GCM on 16 KiB records, one core (GB/s of CPU time; openssl speed: of elapsed time)"
printf '%-22s %9s %9s\n' implementation AES-128 AES-256
declare -A rate
while read -r name bits bytes_per_second; do
  rate[$name,$bits]=$(awk -v r="$bytes_per_second" 'BEGIN { printf "%.2f", r / 1e9 }')
done < <(taskset -c 0 "$speed")
# openssl speed prints thousands of bytes per second, last column the size asked.
for bits in 128 256; do
  k=$(taskset -c 0 openssl speed -elapsed -seconds 3 -bytes 16384 -evp "aes-$bits-gcm" 2>/dev/null |
        awk -v b="$bits" '$1 == "AES-" b "-GCM" { sub(/k$/, "", $2); print $2 }')
  rate[openssl-evp,$bits]=$(awk -v k="$k" 'BEGIN { printf "%.2f", k * 1000 / 1e9 }')
done
for name in openssl-asm bearssl openssl-evp; do
  [[ -n ${rate[$name,128]:-} ]] || continue
  label=$([[ $name == openssl-evp ]] && echo "OpenSSL EVP (peer)" || echo "paf $name")
  printf '%-22s %9s %9s\n' "$label" "${rate[$name,128]}" "${rate[$name,256]}"
done
for name in openssl-asm bearssl; do
  [[ -n ${rate[$name,128]:-} ]] || continue
  awk -v n="$name" -v a="${rate[$name,128]}" -v b="${rate[openssl-evp,128]}" \
      -v c="${rate[$name,256]}" -v d="${rate[openssl-evp,256]}" \
      'BEGIN { printf "paf %-12s vs OpenSSL EVP: AES-128 x%.2f, AES-256 x%.2f\n", n, a / b, c / d }'
done
