# Sourced by the scripts that test a running paf-server: a temporary folder,
# check(), starting paf-server on free ports and stopping it by PID. Every
# wait is bounded; the server is killed on exit whatever happens.
work=$(mktemp -d)
pid=
failures=0
harness_cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  rm -rf "$work"
}
trap harness_cleanup EXIT

check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then echo "ok: $name"; else echo "FAIL: $name"; failures=$((failures + 1)); fi
}

# start_paf_server SERVER ARGS...: @PORT@ and @PORT2@ in ARGS become two
# consecutive free ports (a few tried in turn, each for 5 s at most). Sets
# `port` (and `port2`) once paf-server says it listens on the last of them.
start_paf_server() {
  local server=$1 attempt try last arg args
  shift
  port= port2=
  for attempt in 1 2 3 4 5 6 7 8; do
    try=$((20000 + ($$ * 7 + attempt * 1013) % 20000))
    last=$try args=()
    for arg in "$@"; do
      [[ $arg == *@PORT2@* ]] && last=$((try + 1))
      arg=${arg//@PORT2@/$((try + 1))}
      args+=("${arg//@PORT@/$try}")
    done
    "$server" "${args[@]}" >"$work/out" 2>"$work/err" &
    pid=$!
    for _ in $(seq 50); do
      grep -q "paf-server: listening on .*://127.0.0.1:$last" "$work/out" && { port=$try port2=$((try + 1)); return 0; }
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
  done
  echo "FAIL: paf-server did not start"; cat "$work/err"
  exit 1
}

# stop_paf_server: SIGTERM, then paf-server's exit status (124 if it did not
# exit within 10 s).
stop_paf_server() {
  local status=124
  kill -TERM "$pid"
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; status=$?; break; fi
    sleep 0.1
  done
  pid=
  return "$status"
}
