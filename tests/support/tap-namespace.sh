# Sourced by the tests that put an application on a TAP interface (paf on
# platform/posix, or an image under QEMU's -netdev tap) in a network
# namespace of its own, where dnsmasq serves the link: DHCP, DNS names and
# router advertisements (SLAAC). The caller sets `work` (a temporary folder),
# defines die MESSAGE and skip MESSAGE (which exit), and calls
# tap_namespace_cleanup on exit. Every wait is bounded; dnsmasq is stopped by
# its PID and the namespace deleted.
ns=paf-tap-$$
tap=paftap0
dnsmasq_pid=

tap_namespace_cleanup() {
  [ -n "$dnsmasq_pid" ] && kill -KILL "$dnsmasq_pid" 2>/dev/null && wait "$dnsmasq_pid" 2>/dev/null
  dnsmasq_pid=
  ip netns delete "$ns" 2>/dev/null
}

# Not for processes in the background: their PID must be the process's own
# (ip netns exec execs it), not a subshell's.
in_ns() { ip netns exec "$ns" "$@"; }

# wait_for SECONDS FILE PATTERN [PID]: until FILE has a line matching PATTERN;
# fails early if PID is gone.
wait_for() {
  local tries=$(($1 * 10))
  for _ in $(seq "$tries"); do
    grep -qE "$3" "$2" 2>/dev/null && return 0
    [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null && { grep -qE "$3" "$2" 2>/dev/null; return; }
    sleep 0.1
  done
  return 1
}

# tap_namespace_up IPV4_PREFIX IPV6_PREFIX (10.77.0 fd00:77): the namespace
# and, in it, the TAP interface with the router's addresses IPV4_PREFIX.1/24
# and IPV6_PREFIX::1/64. Skips when the host has no TAP or no namespaces.
tap_namespace_up() {
  [ -c /dev/net/tun ] || skip "no /dev/net/tun on this host"
  ip netns add "$ns" 2>"$work/netns.err" || skip "cannot create a network namespace: $(cat "$work/netns.err")"
  in_ns ip link set lo up || die "lo up"
  in_ns ip tuntap add dev "$tap" mode tap || die "cannot create TAP interface $tap"
  # The link comes up (carrier) only when the application opens the TAP: skip
  # the kernel's duplicate detection of its link-local address then, else the
  # router advertisements answering the first solicitations cannot be sent.
  in_ns sysctl -qw net.ipv6.conf."$tap".accept_dad=0 || die "sysctl accept_dad"
  in_ns ip addr add "$1.1/24" dev "$tap" || die "IPv4 address"
  in_ns ip -6 addr add "$2::1/64" dev "$tap" nodad || die "IPv6 address"
  in_ns ip link set "$tap" up || die "link up"
}

# start_dnsmasq IPV4_PREFIX [NAME=ADDRESS]...: DHCP (IPV4_PREFIX.50-99), DNS
# (each NAME answered with its ADDRESS) and router advertisements of the
# TAP's IPv6 prefix with the autonomous flag (ra-only: SLAAC, no DHCPv6).
# Its log is $work/dnsmasq.log. --no-ping: no one else is on this link, so no
# 3-second check that an address is free before offering it.
start_dnsmasq() {
  local prefix=$1 names=() pair
  shift
  for pair in "$@"; do names+=(--address="/${pair%%=*}/${pair#*=}"); done
  command -v dnsmasq >/dev/null || die "dnsmasq is missing (tools/install-build-deps installs it)"
  ip netns exec "$ns" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root --group=root \
    --interface="$tap" --bind-interfaces --no-resolv --no-hosts --leasefile-ro --no-ping \
    --dhcp-range="$prefix.50,$prefix.99,255.255.255.0,1h" \
    --enable-ra --dhcp-range=::,constructor:"$tap",ra-only,64,1h \
    "${names[@]}" --log-dhcp --log-queries --log-facility="$work/dnsmasq.log" &
  dnsmasq_pid=$!
  sleep 0.1
  [ "$(cat /proc/$dnsmasq_pid/comm 2>/dev/null)" = dnsmasq ] || die "dnsmasq is not process $dnsmasq_pid"
  wait_for 10 "$work/dnsmasq.log" "DHCP, IP range $prefix.50" "$dnsmasq_pid" || die "dnsmasq did not start"
}
