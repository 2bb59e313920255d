#!/usr/bin/env bash
# run-posix-test.sh [OPTIONS] PROGRAM: runs a platform contract test linked with
# platform/posix (paf_posix_main) and checks how it ended, as run-qemu-test.sh
# does for the same test booted on platform/virtio; the options mean the same.
#   --status N        expected exit status (default 0)
#   --append CMDLINE  the command line (split into arguments at spaces);
#                     @HOST_TIME@ becomes the host's time in seconds since the epoch
#   --expect REGEX    a line of the output must match (repeatable)
#   --min-seconds S   the run must take at least S seconds
#   --timeout S       the program's life (default 60 s)
#   --fw-cfg NAME=FILE  a configuration item (paf_config_read(NAME)): FILE is
#                     copied to $PAF_CONFIG_DIR/NAME (repeatable)
set -uo pipefail

die() {
  echo "run-posix-test: $*" >&2
  exit 1
}

expected_status=0 append= min_seconds=0 limit=60
expects=() items=()
while (($# > 1)); do
  case $1 in
    --status) expected_status=$2 ;;
    --append) append=$2 ;;
    --expect) expects+=("$2") ;;
    --min-seconds) min_seconds=$2 ;;
    --timeout) limit=$2 ;;
    --fw-cfg) [[ $2 == ?*=?* ]] || die "--fw-cfg wants NAME=FILE"
              [[ -f ${2#*=} ]] || die "--fw-cfg: no file ${2#*=}"
              items+=("$2") ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
(($# == 1)) || die "usage: $0 [--status N] [--append CMDLINE] [--expect REGEX]... [--min-seconds S] [--timeout S] [--fw-cfg NAME=FILE]... PROGRAM"
program=$1
[[ -x $program ]] || die "no program $program"
append=${append//@HOST_TIME@/$(date +%s)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/config"
for item in "${items[@]}"; do
  name=${item%%=*}
  mkdir -p "$(dirname "$work/config/$name")"
  cp "${item#*=}" "$work/config/$name"
done

started=$(date +%s%N)
# shellcheck disable=SC2086  # the command line is split into words, as a kernel's
PAF_CONFIG_DIR="$work/config" timeout --signal=KILL "$limit" "$program" $append </dev/null >"$work/log" 2>&1
status=$?
elapsed_ms=$((($(date +%s%N) - started) / 1000000))

echo "--- output of $program (${append:+cmdline \"$append\", }${elapsed_ms} ms) ---"
cat "$work/log"
echo "--- end of output ---"
((status != 137)) || die "killed after ${limit} s (the program hung)"
((status == expected_status)) || die "exit status $status; expected $expected_status"
for regex in "${expects[@]}"; do
  grep -Eq -- "$regex" "$work/log" || die "no line of the output matches: $regex"
done
((elapsed_ms >= min_seconds * 1000)) ||
  die "ran ${elapsed_ms} ms, expected at least ${min_seconds} s"
echo "run-posix-test: passed (status $status)"
