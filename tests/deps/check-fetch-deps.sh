#!/usr/bin/env bash
# tools/fetch-deps: idempotent, works offline from a folder of archive files,
# extracts only the files a manifest line names, and refuses a version outside
# the manifest's accepted series.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fetch=$root/tools/fetch-deps
downloads=$root/third_party/downloads
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. A second run over an up-to-date tree does nothing.
out=$("$fetch" 2>&1) || fail "fetch-deps failed: $out"
[[ $out == *"up to date"* ]] || fail "second run did work: $out"

# 2. Offline: the archive files alone rebuild the same tree and lock.
PAF_DEPS_DIR=$downloads PAF_THIRD_PARTY=$work/tp "$fetch" >"$work/offline.log" 2>&1 ||
  fail "offline fetch failed: $(cat "$work/offline.log")"
diff <(grep -v '^#' "$root/third_party/deps.lock") <(grep -v '^#' "$work/tp/deps.lock") ||
  fail "offline lock differs from the online one"
for f in lwip/src/core/tcp.c mbedtls/library/ssl_tls13_server.c nghttp2/lib/nghttp2_session.c \
         llhttp/src/llhttp.c bearssl/src/aead/gcm.c openssl/crypto/modes/asm/aesni-gcm-x86_64.pl \
         uriparser/src/UriParse.c c-ares/src/lib/ares_process.c cjson/cJSON.c; do
  [[ -f $work/tp/$f ]] || fail "offline tree lacks $f"
done
# Of a package with [files] in the manifest, those files only.
extracted=$(cd "$work/tp/openssl" && find . -type f ! -name .paf-extracted | sort | sed 's#^\./##' | paste -sd,)
listed=$(awk '$1 == "openssl" { print $7 }' "$root/tools/deps.manifest" | tr , '\n' | sort | paste -sd,)
[[ $extracted == "$listed" ]] || fail "openssl: extracted '$extracted', the manifest lists '$listed'"
# Idempotent offline too.
PAF_DEPS_DIR=$downloads PAF_THIRD_PARTY=$work/tp "$fetch" 2>&1 | grep -q "up to date" ||
  fail "offline second run did work"

# 3. A version outside the accepted series is refused with a clear message.
sed 's/^lwip\( *source *lwip *trixie *\)2\.2\. *2\.2\.1/lwip\19.9. 9.9.0/' "$root/tools/deps.manifest" >"$work/manifest"
grep -q '9\.9\.' "$work/manifest" || fail "test manifest not rewritten"
if PAF_DEPS_MANIFEST=$work/manifest PAF_DEPS_DIR=$downloads PAF_THIRD_PARTY=$work/tp2 \
   "$fetch" >"$work/bad.log" 2>&1; then
  fail "a version outside the series was accepted"
fi
grep -q "outside the accepted series 9.9" "$work/bad.log" || fail "unclear refusal: $(cat "$work/bad.log")"
# 4. A manifest that gains a package extracts it and leaves the others alone
#    (their sources keep their times, so nothing built from them is rebuilt).
grep -v '^c-ares ' "$root/tools/deps.manifest" >"$work/manifest-less"
PAF_DEPS_MANIFEST=$work/manifest-less PAF_DEPS_DIR=$downloads PAF_THIRD_PARTY=$work/tp3 \
  "$fetch" >"$work/less.log" 2>&1 || fail "fetch without c-ares failed: $(cat "$work/less.log")"
[[ ! -e $work/tp3/c-ares ]] || fail "c-ares extracted though not in the manifest"
touch -d '2000-01-01' "$work/tp3/lwip/src/core/tcp.c"
PAF_DEPS_DIR=$downloads PAF_THIRD_PARTY=$work/tp3 "$fetch" >"$work/gain.log" 2>&1 ||
  fail "fetch gaining c-ares failed: $(cat "$work/gain.log")"
[[ -f $work/tp3/c-ares/src/lib/ares_process.c ]] || fail "c-ares not extracted once in the manifest"
[[ $(stat -c %Y "$work/tp3/lwip/src/core/tcp.c") == "$(date -d 2000-01-01 +%s)" ]] ||
  fail "lwip was extracted again when the manifest gained c-ares"
echo "fetch-deps: idempotent, offline, version and incremental checks pass"
