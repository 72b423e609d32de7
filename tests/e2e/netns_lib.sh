# Network namespaces for multi-host end-to-end tests; source after lib.sh.
#
#   netns_setup N            N "hosts": namespaces with their own address, plus the root namespace,
#                            all on one private /24 (a bridge inside a test-owned hub namespace)
#   netns_start_daemon NAME I PATHDIR [distccd args...]
#                            our distccd in namespace I on NS_ADDR[I]'s network, PATHDIR (if not
#                            empty) first on its PATH, on port $NETNS_PORT if set (else a free
#                            one); sets ${NAME}_PORT, ${NAME}_PID, ${NAME}_LOG
#   netns_kill_all I         SIGKILL to every process in namespace I (a host dying)
#   in_ns I command...       runs a command inside namespace I
#
# After netns_setup: NS_NAME[i], NS_ADDR[i] for i=1..N, NETNS_ROOT_ADDR (the root namespace's
# address on that network), NETNS_NET (e.g. 10.213.7) and NETNS_CIDR (e.g. 10.213.7.0/24).
#
# Layout: root --veth-- hub(bridge) --veth-- host1, host2, ... Traffic between hosts stays on the
# hub's bridge, so the root namespace needs no forwarding and its firewall is not involved; the root
# namespace gets a single interface (dce<pid>) whose only route is the test's /24. Nothing routes
# beyond that /24, so every packet the tests send goes to a namespace the test made.
#
# Everything is named after the test's PID (dcce2e<pid>_*), so parallel runs do not collide, and
# netns_cleanup (chained before lib.sh's cleanup on EXIT) kills every process in the namespaces
# and deletes them, which also deletes every veth. Namespaces left by a run that was SIGKILLed
# (its PID is gone) are removed by the next run.

NETNS_PREFIX=dcce2e
NETNS_ID=$$
NETNS_HUB=${NETNS_PREFIX}${NETNS_ID}_hub
NETNS_ROOT_IF=dce${NETNS_ID}
NS_NAME=()
NS_ADDR=()
NETNS_CREATED=()

netns_require() {
  [[ $(id -u) -eq 0 ]] || skip_test "network namespaces need root"
  command -v ip >/dev/null || skip_test "no ip command (package iproute2)"
  local probe=${NETNS_PREFIX}${NETNS_ID}_probe
  ip netns add "$probe" 2>/dev/null || skip_test "cannot create network namespaces here (ip netns add failed)"
  if ! ip -n "$probe" link add probe0 type veth peer name probe1 2>/dev/null ||
     ! ip -n "$probe" link add probebr type bridge 2>/dev/null; then
    ip netns del "$probe" 2>/dev/null || true
    skip_test "no veth or bridge support in network namespaces"
  fi
  ip netns del "$probe"
}

# Kills every process in namespace NS (SIGTERM, then SIGKILL for whatever is left).
netns_kill_ns() {
  local ns=$1 pids
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [[ -z $pids ]] && return 0
  kill $pids 2>/dev/null || true
  local end=$((SECONDS + 3))
  while [[ -n $(ip netns pids "$ns" 2>/dev/null) ]] && ((SECONDS < end)); do sleep 0.05; done
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [[ -n $pids ]] && kill -9 $pids 2>/dev/null || true
  end=$((SECONDS + 3))
  while [[ -n $(ip netns pids "$ns" 2>/dev/null) ]] && ((SECONDS < end)); do sleep 0.05; done
}

netns_cleanup() {
  local ns
  for ns in "${NETNS_CREATED[@]}"; do netns_kill_ns "$ns"; done
  for ns in "${NETNS_CREATED[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  # Deleting the hub destroys the peer of the root interface, and with it the interface; this
  # catches the case where the hub was never made.
  ip link del "$NETNS_ROOT_IF" 2>/dev/null || true
}

# Namespaces of earlier runs whose test process is gone (killed by a timeout, for instance).
netns_remove_stale() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${NETNS_PREFIX}[0-9]*_" || true); do
    pid=${ns#"$NETNS_PREFIX"}
    pid=${pid%%_*}
    [[ $pid == "$NETNS_ID" ]] && continue
    if ! kill -0 "$pid" 2>/dev/null; then
      netns_kill_ns "$ns"
      ip netns del "$ns" 2>/dev/null || true
      ip link del "dce$pid" 2>/dev/null || true
    fi
  done
}

# A /24 in 10.213.0.0/16 that has no address and no route here (the default route aside).
netns_pick_subnet() {
  local z
  for z in $(seq 1 254); do
    local net=10.213.$z
    [[ -n $(ip -4 -o addr show to "$net.0/24" 2>/dev/null) ]] && continue
    [[ -n $(ip -4 route show root "$net.0/24" 2>/dev/null) ]] && continue
    [[ -n $(ip -4 route show match "$net.1" 2>/dev/null | grep -v '^default') ]] && continue
    echo "$net"
    return 0
  done
  return 1
}

in_ns() {
  local i=$1; shift
  ip netns exec "${NS_NAME[$i]}" "$@"
}

netns_add() {
  ip netns add "$1"
  NETNS_CREATED+=("$1")
  ip -n "$1" link set lo up
}

netns_setup() {
  local n=$1 i
  netns_require
  trap 'netns_cleanup; cleanup' EXIT
  trap 'exit 143' TERM INT HUP
  # Choosing the subnet and taking it (the root address) is atomic among concurrent runs.
  local lock_fd
  exec {lock_fd}>/tmp/dcc-e2e-netns.lock
  flock "$lock_fd"
  netns_remove_stale
  NETNS_NET=$(netns_pick_subnet) || { exec {lock_fd}>&-; skip_test "no free /24 in 10.213.0.0/16"; }
  NETNS_CIDR=$NETNS_NET.0/24
  NETNS_ROOT_ADDR=$NETNS_NET.1
  netns_add "$NETNS_HUB"
  ip -n "$NETNS_HUB" link add br0 type bridge
  ip -n "$NETNS_HUB" link set br0 up
  ip link add "$NETNS_ROOT_IF" type veth peer name root netns "$NETNS_HUB"
  ip -n "$NETNS_HUB" link set root master br0 up
  ip addr add "$NETNS_ROOT_ADDR/24" dev "$NETNS_ROOT_IF"
  ip link set "$NETNS_ROOT_IF" up
  exec {lock_fd}>&-
  for ((i = 1; i <= n; i++)); do
    NS_NAME[$i]=${NETNS_PREFIX}${NETNS_ID}_h$i
    NS_ADDR[$i]=$NETNS_NET.$((10 + i))
    netns_add "${NS_NAME[$i]}"
    ip -n "$NETNS_HUB" link add "h$i" type veth peer name eth0 netns "${NS_NAME[$i]}"
    ip -n "$NETNS_HUB" link set "h$i" master br0 up
    ip -n "${NS_NAME[$i]}" addr add "${NS_ADDR[$i]}/24" dev eth0
    ip -n "${NS_NAME[$i]}" link set eth0 up
  done
  # Links come up asynchronously; wait until every host answers from the root namespace.
  for ((i = 1; i <= n; i++)); do
    wait_for 10 netns_answers "${NS_ADDR[$i]}" ||
      { fail "namespace ${NS_NAME[$i]} (${NS_ADDR[$i]}) unreachable"; return 1; }
  done
}

# Does ADDR answer? A connection to port 1, where nothing listens, is refused at once by a live
# host and times out if the packets go nowhere (no ping needed).
netns_answers() {
  local out
  out=$(timeout 2 bash -c "exec 3<>/dev/tcp/$1/1" 2>&1) || true
  [[ $out == *"Connection refused"* ]]
}

# Is something listening on PORT inside namespace I? (asks the kernel; makes no connection)
netns_listening() {
  local i=$1 port=$2
  [[ -n $(ip netns exec "${NS_NAME[$i]}" ss -Hltn "sport = :$port") ]]
}

netns_start_daemon() {
  local name=$1 i=$2 pathdir=$3
  shift 3
  local logfile=$TEST_DIR/$name.log port
  : >"$logfile"
  chmod 666 "$logfile"
  port=${NETNS_PORT:-$(free_port)}
  local path=$PATH
  [[ -n $pathdir ]] && path=$pathdir:$PATH
  ip netns exec "${NS_NAME[$i]}" env PATH="$path" \
    "$DCCD" --daemon --no-detach --port "$port" --log-file "$logfile" --log-level info "$@" \
    2>>"$TEST_DIR/$name.stderr.log" &
  local pid=$!
  # netns_cleanup (or netns_kill_all) ends it; disowned, bash does not report its death.
  disown "$pid"
  if ! wait_for 10 grep -q "listening on" "$logfile" || ! wait_for 5 netns_listening "$i" "$port"; then
    cat "$logfile" "$TEST_DIR/$name.stderr.log"
    fail "daemon $name in ${NS_NAME[$i]} did not start"
    return 1
  fi
  printf -v "${name}_PORT" '%s' "$port"
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_LOG" '%s' "$logfile"
}

netns_empty() { [[ -z $(ip netns pids "$1" 2>/dev/null) ]]; }

netns_kill_all() {
  local ns=${NS_NAME[$1]} pids
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [[ -n $pids ]] && kill -9 $pids 2>/dev/null || true
  wait_for 5 netns_empty "$ns" || { fail "processes in $ns survived SIGKILL"; return 0; }
}
