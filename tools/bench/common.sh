# What the bench scripts share (sourced): free ports and waiting for a server.

# free_port [FROM]: a port nothing listens on, from FROM or a random one in a
# range unlikely to be in use: below Linux's ephemeral ports (32768 and up),
# which the load generators' connections take as their own.
free_port() {
  local port
  for ((port = ${1:-$((20000 + RANDOM % 12000))}; ; port++)); do
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}
# wait_listening PORT [WHAT]: up to 5 s.
wait_listening() {
  for _ in $(seq 50); do
    ss -Htln "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  if [[ -n ${2:-} ]]; then
    echo "bench: $2 does not listen on port $1" >&2
  else
    echo "bench: nothing listens on port $1" >&2
  fi
  return 1
}

# descendants PID: the processes PID started, and theirs.
descendants() {
  local child
  for child in $(pgrep -P "$1"); do
    echo "$child"
    descendants "$child"
  done
}
# cpu_ticks PID...: clock ticks (getconf CLK_TCK a second) of user and system
# time used so far by these processes and their descendants, all threads.
cpu_ticks() {
  local total=0 pid stat fields
  for pid in "$@"; do
    for pid in "$pid" $(descendants "$pid"); do
      stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
      read -r -a fields <<<"${stat##*) }"  # after the command name: state is field 3
      total=$((total + fields[11] + fields[12]))  # fields 14 and 15: utime, stime
    done
  done
  echo "$total"
}
# running PID: the process exists and has not exited (a zombie has, though
# it is not reaped yet: it was started by the caller's shell, not ours).
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [[ ${stat##*) } != Z* ]]
}
# cpu_shares SKIP CLIENT_PID SERVER_PID...: once SKIP seconds have passed,
# samples the CPU of the servers (with their descendants) and of the client
# while the client runs; prints each one's share of a core over that time,
# "server client" (0.00-1.00 each). Returns when the client has exited; the
# caller, its parent, reaps it.
cpu_shares() {
  local skip=$1 client=$2 i ticks now
  shift 2
  sleep "$skip"
  local server0 client0 time0 server1 client1 time1
  server0=$(cpu_ticks "$@") client0=$(cpu_ticks "$client") time0=$(date +%s.%N)
  server1=$server0 client1=$client0 time1=$time0
  # A client's ticks go with it: the last sample is the last taken while it lived.
  for ((i = 0; i < 2400; i++)); do  # at most 10 minutes
    sleep 0.25
    ticks=$(cpu_ticks "$client")
    running "$client" || break
    now=$(date +%s.%N)
    server1=$(cpu_ticks "$@") client1=$ticks time1=$now
  done
  awk -v hz="$(getconf CLK_TCK)" -v s="$((server1 - server0))" -v c="$((client1 - client0))" \
      -v t0="$time0" -v t1="$time1" 'BEGIN {
    wall = (t1 - t0 > 0 ? t1 - t0 : 1)
    printf "%.2f %.2f\n", s / hz / wall, c / hz / wall }'
}

# generator_rate KIND COMMAND...: runs the load generator COMMAND on CPU 1
# and prints "REQ_PER_S CPU_SECONDS WALL_SECONDS": the req/s it reports (read
# from its output as KIND says: paf-stress with --json, h2load or wrk) and
# the CPU it used itself (user + system time, os.wait4).
generator_rate() {
  local kind=$1
  shift
  python3 - "$kind" "$@" <<'PY'
import os, re, subprocess, sys, time
kind, command = sys.argv[1], sys.argv[2:]
start = time.monotonic()
child = subprocess.Popen(["taskset", "-c", "1"] + command, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
out = child.stdout.read()
_, status, usage = os.wait4(child.pid, 0)
wall = time.monotonic() - start
if kind == "paf-stress":
    import json
    rate = json.loads(out)["requests_per_second"]
elif kind == "h2load":
    rate = float(re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out).group(1))
else:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
print(f"{rate:.0f} {usage.ru_utime + usage.ru_stime:.3f} {wall:.3f}")
PY
}
# median_round LINES ROUNDS: of generator_rate's lines, the one with the
# median req/s, as "REQ_PER_S SHARE_OF_A_CORE REQ_PER_S_PER_CORE".
median_round() {
  printf '%s' "$1" | sort -n | sed -n "$((($2 + 1) / 2))p" |
    awk '{ share = $2 / $3; printf "%.0f %.2f %.0f\n", $1, share, (share > 0 ? $1 / share : 0) }'
}

# generator_label NAME: how stress.sh and image.sh name their four runs
# (h2load, paf-stress-h2, wrk, paf-stress-h1) in their tables.
generator_label() {
  case $1 in
    h2load) echo "h2load -c32 -m10 (h2c)" ;;
    paf-stress-h2) echo "paf-stress -c32 -m10 (h2c)" ;;
    wrk) echo "wrk -c32 (HTTP/1.1)" ;;
    paf-stress-h1) echo "paf-stress -c32 (HTTP/1.1)" ;;
    *) echo "$1" ;;
  esac
}

# write_h2o_conf FILE WORK PLAIN_PORT TLS_PORT|- CERT KEY PATH=FILE...: one
# worker, no access log, its pid and error log in WORK; serves clear text on
# PLAIN_PORT and TLS on TLS_PORT (none for -), each PATH with its FILE (the
# most specific PATH first: h2o takes the first that matches).
write_h2o_conf() {
  local file=$1 work=$2 plain=$3 tls=$4 cert=$5 key=$6 route
  shift 6
  {
    printf 'user: %s\nnum-threads: 1\npid-file: %s/h2o.pid\nerror-log: %s/h2o-error.log\n' \
      "$(id -un)" "$work" "$work"
    printf 'listen:\n  host: 127.0.0.1\n  port: %s\n' "$plain"
    if [[ $tls != - ]]; then
      printf 'listen:\n  host: 127.0.0.1\n  port: %s\n  ssl:\n' "$tls"
      printf '    certificate-file: %s\n    key-file: %s\n' "$cert" "$key"
    fi
    printf 'hosts:\n  default:\n    paths:\n'
    for route in "$@"; do printf '      %s:\n        file.file: %s\n' "${route%%=*}" "${route#*=}"; done
  } >"$file"
}
