#!/usr/bin/env bash
# The network to a host cut in the middle of a job: two hosts in network namespaces, the first
# one's link taken down
#   1. while its compiler runs (the reply never arrives), and
#   2. while the client is sending a 3 MB request (the link is rate-limited so the cut lands in
#      the middle of the transfer, seen in the socket's acknowledged bytes).
# The client must give up on the host after its I/O timeout and build on the second host, with
# an object identical to a local compile; the cut daemon must give up the job after its own
# timeout and serve again once the link is back. Needs root; skips with a reason otherwise.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
source "$(dirname "${DCC_E2E_LIB:-$0}")/netns_lib.sh"
source "$(dirname "${DCC_E2E_LIB:-$0}")/faults_lib.sh"
[[ $(id -u) -eq 0 ]] || skip_test "network namespaces need root"
command -v ip >/dev/null || skip_test "no ip command (package iproute2)"
command -v tc >/dev/null || skip_test "no tc command (package iproute2)"
faults_setup
netns_setup 2
trap 'fault_kill_leftovers; netns_cleanup; cleanup' EXIT
cd "$TEST_DIR/src"
export DISTCC_BACKOFF_PERIOD=0 DISTCC_IO_TIMEOUT=3

for i in 1 2; do
  mkdir -p "$TEST_DIR/dtmp$i" && chmod 1777 "$TEST_DIR/dtmp$i"
  FAULT_DIR=$FAULT_DIR DISTCC_CMDLIST=$FAULT_CMDLIST DISTCCD_PATH="$FAKEBIN:/usr/bin:/bin" TMPDIR=$TEST_DIR/dtmp$i \
    DISTCC_IO_TIMEOUT=5 netns_start_daemon "n$i" "$i" "" --allow "$NETNS_CIDR" -j 2
done
H1=${NS_ADDR[1]}:$n1_PORT
H2=${NS_ADDR[2]}:$n2_PORT
HOSTS="$H1/1 $H2/1"
link() { ip -n "${NS_NAME[1]}" link set eth0 "$1"; }
link_back() {
  link up
  wait_for 10 netns_answers "${NS_ADDR[1]}"
}
# serves_here ADDR_PORT LOG OUT: a build through that host alone runs there.
serves_here() {
  local before
  before=$(ok_count "$2")
  fault_mode pass
  DISTCC_HOSTS="$1/1" "$DCC" gcc-fault -O2 -c util.c -o "$3" 2>/dev/null && cmp -s "$3" local_util.o &&
    count_reaches "$2" COMPILE_OK $((before + 1))
}

# --- 1. Cut while the first host compiles.
fault_mode hold
fault_reset_pids
start=$SECONDS
DISTCC_HOSTS=$HOSTS "$DCC" gcc-fault -O2 -c util.c -o c1.o 2>c1.err &
client=$!
check "the job reached the compiler on the server" fault_wait_ready 1
link down
: >"$FAULT_DIR/release"  # the compile finishes; its reply cannot reach the client
rc=0; wait "$client" || rc=$?
log "cut while compiling: the build took $((SECONDS - start))s (client I/O timeout 3 s)"
check "cut while compiling: the client succeeded" test "$rc" -eq 0
check "cut while compiling: object identical to a local compile" cmp c1.o local_util.o
check "cut while compiling: the client gave up on the host after its timeout" grep -q -E "$H1.*(timed out|timeout)" c1.err
check "cut while compiling: built on the second host" count_reaches "$n2_LOG" 'COMPILE_OK .* util.c' 1
check "cut while compiling: done within 20 s" test $((SECONDS - start)) -le 20
link_back
check "cut while compiling: the first host serves again" serves_here "$H1" "$n1_LOG" c1b.o
check "cut while compiling: no job temp dir left on the first host" wait_for 10 no_dirs_left "$TEST_DIR/dtmp1"

# --- 2. Cut in the middle of sending a 3 MB request.
python3 - >big.c <<'PY'
print('#include "util.h"')
print("const char blob[] =")
for i in range(30000):
    print(f'  "{i:08d} the quick brown fox jumps over the lazy dog, again and again and again"')
print(";")
print("int blob_at(int i) { return blob[i]; }")
PY
gcc -O2 -c big.c -o local_big.o
fault_mode pass
tc qdisc add dev "$NETNS_ROOT_IF" root tbf rate 4mbit burst 32kb latency 2s
acked() {  # bytes the first host has acknowledged on the client's connection
  ss -tinH dst "${NS_ADDR[1]}" 2>/dev/null | grep -o 'bytes_acked:[0-9]*' | cut -d: -f2 | sort -n | tail -1
}
more_than() { test "$(count_in "$1" "$2")" -gt "$3"; }
acked_past() { local n; n=$(acked); [[ -n $n && $n -ge $1 ]]; }
start=$SECONDS
incomplete_before=$(count_in "$n1_LOG" incomplete_request)
DISTCC_HOSTS=$HOSTS "$DCC" gcc-fault -O2 -c big.c -o b1.o 2>b1.err &
client=$!
check "cut while sending: the transfer started" wait_for 20 acked_past 300000
log "cut while sending: cut after $(acked) bytes were acknowledged"
link down
tc qdisc del dev "$NETNS_ROOT_IF" root
rc=0; wait "$client" || rc=$?
log "cut while sending: the build took $((SECONDS - start))s"
check "cut while sending: the client succeeded" test "$rc" -eq 0
check "cut while sending: object identical to a local compile" cmp b1.o local_big.o
check "cut while sending: the client gave up on the host after its timeout" grep -q -E "$H1.*(timed out|timeout)" b1.err
check "cut while sending: built on the second host" count_reaches "$n2_LOG" 'COMPILE_OK .* big.c' 1
check "cut while sending: the first host gave up the request after its own timeout" \
  wait_for 15 more_than "$n1_LOG" incomplete_request "$incomplete_before"
check "cut while sending: no job temp dir left on the first host" no_dirs_left "$TEST_DIR/dtmp1"
link_back
check "cut while sending: the first host serves again" serves_here "$H1" "$n1_LOG" b1b.o

finish
