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
