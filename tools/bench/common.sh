# What the bench scripts share (sourced): free ports and waiting for a server.

# free_port [FROM]: a port nothing listens on, from FROM or a random one in a
# range unlikely to be in use.
free_port() {
  local port
  for ((port = ${1:-$((20000 + RANDOM % 20000))}; ; port++)); do
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}
# wait_listening PORT: up to 5 s.
wait_listening() {
  for _ in $(seq 50); do
    ss -Htln "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  echo "bench: nothing listens on port $1" >&2
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
