#!/usr/bin/env bash
# `cmake --install` of the hosted build, then an outside application built
# against it twice: with find_package(paf) and with pkg-config.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" || fail "install failed"
for f in lib/libpaf.a lib/libpaf_mbedtls.a include/paf/result.h lib/cmake/paf/pafConfig.cmake \
         lib/pkgconfig/paf.pc include/paf/third_party/mbedtls/ssl.h; do
  [[ -e $work/prefix/$f ]] || fail "not installed: $f"
done

cmake -S "$here/consumer" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  >"$work/configure.log" 2>&1 || fail "find_package(paf) failed: $(cat "$work/configure.log")"
cmake --build "$work/cmake-build" >"$work/build.log" 2>&1 || fail "consumer build failed: $(cat "$work/build.log")"
out=$("$work/cmake-build/consumer")
[[ $out == "paf "*"mbedtls 3.6."*"nghttp2 1."*"llhttp "*"lwip 2.2."* ]] || fail "unexpected output: $out"

flags=$(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs paf) || fail "pkg-config paf"
# eval: as a Makefile's $(shell pkg-config ...) would, so the quoted define survives.
eval "g++ -std=c++2b '$here/consumer/main.cpp' -o '$work/pc-consumer' $flags" || fail "pkg-config build failed"
[[ $("$work/pc-consumer") == "$out" ]] || fail "pkg-config build prints something else"
# The public headers show the contract only: an application including them,
# with nothing but the installed include/ on its path, reads no dependency's
# header (compiled with -M: the dependency list names every file read).
include="$work/prefix/include"
all_headers="$work/all_headers.cpp"
cat "$here/consumer/contract.cpp" >"$all_headers"
for h in "$include"/paf/*.h "$include"/paf/detail/*.h; do
  echo "#include \"${h#"$include"/}\"" >>"$all_headers"
done
read_files=$(g++ -std=c++2b -M -I"$include" "$all_headers") || fail "the public headers do not compile alone"
if grep -Eo '[^ ]*(third_party|mbedtls|lwip|nghttp2|llhttp|psa/)[^ ]*' <<<"$read_files"; then
  fail "a public header reads a dependency's header (above)"
fi
g++ -std=c++2b -c -I"$include" "$here/consumer/contract.cpp" -o "$work/contract.o" \
  || fail "an application of paf/service.h does not compile against the installed headers"
# Nor does find_package export the dependencies' include paths with paf::paf.
grep -q 'third_party' <(grep -A3 'set_target_properties(paf::paf ' "$work/prefix/lib/cmake/paf/pafTargets.cmake") \
  && fail "paf::paf exports the dependencies' include paths"

echo "installed paf works with find_package and pkg-config: $out"
