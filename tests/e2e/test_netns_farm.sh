#!/usr/bin/env bash
# A real farm: three hosts in their own network namespaces, each running our distccd, and a
# `make -j` of a generated C/C++ project in the root namespace.
#   a. jobs spread over every host and never more than /N at once on any host (measured on the
#      servers by a wrapper compiler that records when each compile starts and ends);
#   b. a host killed in the middle of a build: the build still succeeds with identical objects,
#      the host is backed off, and the next build does not contact it although it is back;
#   c. --allow by the real source address (clients in different namespaces) and --listen ADDR.
# Needs root (network namespaces); skips with a reason otherwise.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
source "$(dirname "${DCC_E2E_LIB:-$0}")/netns_lib.sh"

netns_setup 3

# --- The project: 12 C files, 12 C++ files with some templates, and a main that uses them all.
SRC=$TEST_DIR/project
mkdir -p "$SRC"
gen_c() {  # N
  cat >"$SRC/c$1.c" <<EOF
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint32_t key; double weight; char name[24]; } item_$1;

static int by_key_$1(const void *a, const void *b) {
  const item_$1 *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return strcmp(x->name, y->name);
}

static uint32_t fnv_$1(const char *s) {
  uint32_t h = 2166136261u;
  while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
  return h;
}

int c_$1(int seed) {
  item_$1 items[96];
  for (int i = 0; i < 96; ++i) {
    items[i].key = (uint32_t)(seed * 2654435761u + i * ${1#0}u * 40503u) % 1000u;
    items[i].weight = (double)(i % 7) / (1.0 + i);
    snprintf(items[i].name, sizeof items[i].name, "n%d_%d", ${1#0}, i);
  }
  qsort(items, 96, sizeof items[0], by_key_$1);
  uint32_t h = 0;
  double w = 0;
  for (int i = 0; i < 96; ++i) {
    h = (h << 5 | h >> 27) ^ (fnv_$1(items[i].name) + items[i].key);
    w += items[i].weight * (i & 1 ? -1 : 1);
  }
  return (int)((h ^ (uint32_t)(w * 1000)) % 100000u);
}
EOF
}
gen_cpp() {  # N
  cat >"$SRC/p$1.cpp" <<EOF
#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace p$1 {
template <int D> struct Fib { static constexpr long value = Fib<D - 1>::value + Fib<D - 2>::value; };
template <> struct Fib<1> { static constexpr long value = 1; };
template <> struct Fib<0> { static constexpr long value = 0; };

template <typename T, typename Op>
T fold(const std::vector<T>& v, T init, Op op) { return std::accumulate(v.begin(), v.end(), init, op); }

template <typename K, typename V>
std::vector<std::pair<K, V>> by_size(const std::map<K, V>& m) {
  std::vector<std::pair<K, V>> out(m.begin(), m.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  return out;
}
}  // namespace p$1

extern "C" int p_$1(int seed) {
  using namespace p$1;
  std::map<std::string, std::vector<long>> m;
  for (int i = 0; i < 60; ++i) m["k" + std::to_string((seed + i * ${1#0}) % 13)].push_back(long(i) * seed);
  long total = Fib<${1#0} + 20>::value % 1000;
  for (const auto& [k, vs] : by_size(m)) {
    total += fold(vs, 0L, [](long a, long b) { return a ^ (b * 31); });
    total ^= long(std::hash<std::string>{}(k) % 97);
  }
  return int(total % 100000);
}
EOF
}
NUMS=(01 02 03 04 05 06 07 08 09 10 11 12)
{
  echo '#include <cstdio>'
  for n in "${NUMS[@]}"; do echo "extern \"C\" int c_$n(int); extern \"C\" int p_$n(int);"; done
  echo 'int main() { long sum = 0;'
  for n in "${NUMS[@]}"; do echo "  sum += c_$n(${n#0}) + p_$n(${n#0});"; done
  echo '  std::printf("%ld\n", sum); }'
} >"$SRC/main.cpp"
for n in "${NUMS[@]}"; do gen_c "$n"; gen_cpp "$n"; done
cat >"$SRC/Makefile" <<'EOF'
CFLAGS = -O2
CXXFLAGS = -O2 -std=c++17
OBJS = $(patsubst %.c,%.o,$(wildcard *.c)) $(patsubst %.cpp,%.o,$(wildcard *.cpp))
prog: $(OBJS)
	g++ -o $@ $(OBJS)
%.o: %.c
	$(CC) $(CFLAGS) -c $< -o $@
%.o: %.cpp
	$(CXX) $(CXXFLAGS) -c $< -o $@
clean:
	rm -f *.o prog
EOF
N_JOBS=$(ls "$SRC"/*.c "$SRC"/*.cpp | wc -l)
N_C=$(ls "$SRC"/*.c | wc -l)
C_OBJECTS=$(cd "$SRC" && ls *.c | sed 's/\.c$/.o/')
OBJECTS=$(cd "$SRC" && ls *.c *.cpp | sed 's/\.c\(pp\)\?$/.o/')
SOURCE_FILES=$(cd "$SRC" && ls)

cp -r "$SRC" "$TEST_DIR/local"
make -s -C "$TEST_DIR/local" -j2 CC=gcc CXX=g++ >/dev/null
EXPECTED_OUTPUT=$("$TEST_DIR/local/prog")

same_objects_as_local() {  # DIR [OBJECT...] (default: all)
  local dir=$1 o
  shift
  (($#)) || set -- $OBJECTS
  for o in "$@"; do cmp -s "$dir/$o" "$TEST_DIR/local/$o" || { log "$o differs from the local build"; return 1; }; done
}

# Exactly the sources, the Makefile, the objects and the program: nothing partial or temporary.
only_expected_files() {  # DIR
  diff <(cd "$1" && ls -A | sort) <(printf '%s\n' $SOURCE_FILES $OBJECTS prog | sort)
}

# --- Wrapper compilers: the daemon runs the compiler by the name the client sends (allowed by the
# links in /usr/lib/distcc) from its PATH; a directory of same-named scripts first on each daemon's
# PATH records when each compile starts and ends, then runs the real compiler. The short sleep
# stands in for a heavier compile so that overlapping jobs are easy to see.
TIMING=$TEST_DIR/timing
mkdir -p "$TIMING" && chmod 1777 "$TIMING"
triplet=$(gcc -dumpmachine)
make_wrappers() {  # I
  local dir=$TEST_DIR/wrap$1 name real
  mkdir -p "$dir"
  : >"$TIMING/h$1" && chmod 666 "$TIMING/h$1"
  for name in gcc g++ cc c++ "$triplet-gcc" "$triplet-g++"; do
    real=$(command -v "$name") || continue
    cat >"$dir/$name" <<EOF
#!/bin/sh
echo "S \$(date +%s%N)" >>"$TIMING/h$1"
sleep 0.3
"$real" "\$@"
rc=\$?
echo "E \$(date +%s%N)" >>"$TIMING/h$1"
exit \$rc
EOF
    chmod 755 "$dir/$name"
  done
  chmod 755 "$dir"
}

# Highest number of compiles running at the same moment in a timing file (an end and a start at
# the same nanosecond count as not overlapping).
max_overlap() {
  sort -k2,2n -k1,1 "$1" | awk '$1 == "S" { if (++c > m) m = c } $1 == "E" { c-- } END { print m + 0 }'
}
starts() { grep -c '^S' "$1" || true; }
jobs_on() {  # LOG...: COMPILE_OK lines in all of them
  local n=0 f
  for f in "$@"; do n=$((n + $(count_in "$f" COMPILE_OK))); done
  echo "$n"
}
jobs_on_at_least() { local n=$1; shift; test "$(jobs_on "$@")" -ge "$n"; }
starts_above() { test "$(starts "$1")" -gt "$2"; }

LIMITS=(x 2 2 3)
DAEMON_JOBS=5
for i in 1 2 3; do
  make_wrappers "$i"
  netns_start_daemon "h$i" "$i" "$TEST_DIR/wrap$i" --allow "$NETNS_CIDR" -j "$DAEMON_JOBS"
done
hosts_spec() {
  echo "${NS_ADDR[1]}:$h1_PORT/${LIMITS[1]} ${NS_ADDR[2]}:$h2_PORT/${LIMITS[2]} ${NS_ADDR[3]}:$h3_PORT/${LIMITS[3]},lzo"
}
export DISTCC_HOSTS
DISTCC_HOSTS=$(hosts_spec)
log "hosts: $DISTCC_HOSTS"

# ==== a. Spreading and per-host limits.
check "a: each daemon's -j ($DAEMON_JOBS) is above the host's /N, so any limit seen is the client's" \
  bash -c "for f in '$h1_LOG' '$h2_LOG' '$h3_LOG'; do grep -q 'with $DAEMON_JOBS job slots' \"\$f\" || exit 1; done; test $DAEMON_JOBS -gt 3"
cp -r "$SRC" "$TEST_DIR/build_a"
export DISTCC_DIR=$TEST_DIR/distcc_a
mkdir -p "$DISTCC_DIR"
if make -C "$TEST_DIR/build_a" -j10 CC="$DCC gcc" CXX="$DCC g++" >"$TEST_DIR/a.out" 2>&1; then
  pass "a: make -j10 succeeded"
else
  cat "$TEST_DIR/a.out"; fail "a: make -j10 failed"
fi
check "a: objects byte-identical to a local build" same_objects_as_local "$TEST_DIR/build_a"
check "a: the program gives the local build's output" test "$("$TEST_DIR/build_a/prog")" = "$EXPECTED_OUTPUT"
# (a daemon logs a job just after its reply)
wait_for 5 jobs_on_at_least "$N_JOBS" "$h1_LOG" "$h2_LOG" "$h3_LOG" || true
total=0
for i in 1 2 3; do
  log_var=h${i}_LOG
  jobs=$(count_in "${!log_var}" COMPILE_OK)
  total=$((total + jobs))
  overlap=$(max_overlap "$TIMING/h$i")
  log "host $i (${NS_ADDR[$i]}/${LIMITS[$i]}): $jobs jobs, at most $overlap at once"
  check "a: host $i ran jobs" test "$jobs" -ge 1
  check "a: host $i: the wrapper saw every job the daemon logged" test "$(starts "$TIMING/h$i")" -eq "$jobs"
  check "a: host $i never ran more than ${LIMITS[$i]} jobs at once (saw $overlap)" test "$overlap" -le "${LIMITS[$i]}"
  eval "overlap_$i=$overlap"
done
check "a: all $N_JOBS compiles ran remotely (daemons logged $total)" test "$total" -eq "$N_JOBS"
# The measurement must be able to see concurrency, or the limit checks above prove nothing.
check "a: jobs did overlap: some host was filled to its limit" \
  bash -c "test $overlap_1 -eq ${LIMITS[1]} || test $overlap_2 -eq ${LIMITS[2]} || test $overlap_3 -eq ${LIMITS[3]}"
check "a: no distcc warnings" bash -c "! grep -q 'distcc\[' '$TEST_DIR/a.out'"

# ==== b. A host dies in the middle of a build.
export DISTCC_DIR=$TEST_DIR/distcc_b DISTCC_BACKOFF_PERIOD=600
mkdir -p "$DISTCC_DIR"
cp -r "$SRC" "$TEST_DIR/build_b"
victim=1
victim_starts=$(starts "$TIMING/h$victim")
make -C "$TEST_DIR/build_b" -j10 CC="$DCC gcc" CXX="$DCC g++" >"$TEST_DIR/b.out" 2>&1 &
make_pid=$!
if wait_for 60 starts_above "$TIMING/h$victim" "$victim_starts"; then
  pass "b: host $victim got a job before it died"
else
  fail "b: host $victim got no job in 60 s"
fi
netns_kill_all "$victim"
log "b: killed every process on host $victim (${NS_ADDR[$victim]})"
if wait "$make_pid"; then pass "b: the build succeeded"; else cat "$TEST_DIR/b.out"; fail "b: the build failed"; fi
check "b: objects byte-identical to a local build" same_objects_as_local "$TEST_DIR/build_b"
check "b: the program gives the local build's output" test "$("$TEST_DIR/build_b/prog")" = "$EXPECTED_OUTPUT"
check "b: no partial or temporary files beside the objects" only_expected_files "$TEST_DIR/build_b"
victim_port_var=h${victim}_PORT
backoff=$DISTCC_DIR/lock/backoff_tcp_${NS_ADDR[$victim]}_${!victim_port_var}_0
check "b: backoff file $(basename "$backoff") exists" test -f "$backoff"

# The host comes back on the same address and port, but within DISTCC_BACKOFF_PERIOD the client
# must not contact it: its new daemon logs nothing and its wrapper sees no compile.
NETNS_PORT=${!victim_port_var} netns_start_daemon "h${victim}b" "$victim" "$TEST_DIR/wrap$victim" --allow "$NETNS_CIDR" -j "$DAEMON_JOBS" ||
  true
# Only the C files this time (cheap): the first job alone would go to the revived host, the first in
# the list, if the client ignored the backoff.
make -s -C "$TEST_DIR/build_b" clean
victim_starts=$(starts "$TIMING/h$victim")
others_before=$(jobs_on "$h2_LOG" "$h3_LOG")
if make -C "$TEST_DIR/build_b" -j10 CC="$DCC gcc" CXX="$DCC g++" $C_OBJECTS >"$TEST_DIR/b2.out" 2>&1; then
  pass "b: the build after the failure succeeded"
else
  cat "$TEST_DIR/b2.out"; fail "b: the build after the failure failed"
fi
check "b: objects byte-identical to a local build (second build)" same_objects_as_local "$TEST_DIR/build_b" $C_OBJECTS
wait_for 5 jobs_on_at_least $((others_before + N_C)) "$h2_LOG" "$h3_LOG" || true
check "b: within the backoff period the revived host got no connection" \
  test "$(grep -c 'client' "$TEST_DIR/h${victim}b.log" || true)" -eq 0
check "b: ... and ran no compile" test "$(starts "$TIMING/h$victim")" -eq "$victim_starts"
check "b: the other hosts ran all $N_C compiles" \
  test "$(jobs_on "$h2_LOG" "$h3_LOG")" -eq $((others_before + N_C))
unset DISTCC_BACKOFF_PERIOD

# ==== c. --allow by source address, --listen ADDR.
acl_host=3
second_addr=$NETNS_NET.$((100 + acl_host))
ip -n "${NS_NAME[$acl_host]}" addr add "$second_addr/24" dev eth0
netns_start_daemon acl "$acl_host" "" --listen "${NS_ADDR[$acl_host]}" --allow "${NS_ADDR[1]}/32" -j 2
acl_target=${NS_ADDR[$acl_host]}:$acl_PORT
cd "$TEST_DIR/local"
client_in() {  # I OUTPUT HOSTS: compiles c01.c inside namespace I
  in_ns "$1" env DISTCC_DIR="$TEST_DIR/distcc_c$1" DISTCC_HOSTS="$3" "$DCC" gcc -O2 -c c01.c -o "$TEST_DIR/$2" 2>"$TEST_DIR/$2.err"
}
mkdir -p "$TEST_DIR/distcc_c1" "$TEST_DIR/distcc_c2"

client_in 1 allowed.o "$acl_target" || true
check "c: client in ${NS_NAME[1]} (${NS_ADDR[1]}, allowed): job ran on the daemon" \
  count_reaches "$acl_LOG" "client: ${NS_ADDR[1]}:[0-9]+ COMPILE_OK" 1
check "c: allowed client: object identical, no warning" \
  bash -c "cmp '$TEST_DIR/allowed.o' c01.o && ! test -s '$TEST_DIR/allowed.o.err'"

client_in 2 refused.o "$acl_target" || true
check "c: client in ${NS_NAME[2]} (${NS_ADDR[2]}): the daemon logs the refusal with that address" \
  wait_for 5 grep -q -E "connection from client ${NS_ADDR[2]//./\\.}:[0-9]+ denied by access list" "$acl_LOG"
check "c: refused client compiled locally: object identical" cmp "$TEST_DIR/refused.o" c01.o
check "c: refused client warned, naming the host" grep -q -F "$acl_target" "$TEST_DIR/refused.o.err"
check "c: the refused job did not run on the daemon" test "$(count_in "$acl_LOG" COMPILE_OK)" -eq 1

check "c: --listen ${NS_ADDR[$acl_host]}: the socket is bound to that address only" \
  bash -c "test \"\$(ip netns exec '${NS_NAME[$acl_host]}' ss -Hltn 'sport = :$acl_PORT' | awk '{print \$4}')\" = '$acl_target'"
refused_connect() {  # I ADDR PORT: a connection from namespace I is refused
  local out
  out=$(in_ns "$1" timeout 5 bash -c "exec 3<>/dev/tcp/$2/$3" 2>&1) && return 1
  [[ $out == *"Connection refused"* ]]
}
check "c: --listen: a connection to $second_addr (same host, other address) is refused" \
  refused_connect 1 "$second_addr" "$acl_PORT"
client_in 1 other_addr.o "$second_addr:$acl_PORT" || true
check "c: --listen: a client using the other address falls back locally with 'Connection refused'" \
  bash -c "cmp '$TEST_DIR/other_addr.o' c01.o && grep -q 'Connection refused' '$TEST_DIR/other_addr.o.err'"

finish
