#!/usr/bin/env bash
# distccmon-text: the same bytes as distcc 3.4's for crafted state directories (several records,
# Done records, a stale file, a dead pid, garbage, wrong magic and size, names without NUL),
# deleting the same files; a live job of our client and one of the stock 3.4 client shown side
# by side; repeating with a DELAY; the command line's exit codes.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
MON=$(cd "${DCC_TOOLS_BIN:?set DCC_TOOLS_BIN to the directory holding the tool binaries}" && pwd)/distccmon-text
STOCK_MON=/usr/bin/distccmon-text
[[ -x $MON ]] || { fail "no $MON"; finish; exit 1; }
have_stock_mon=0
if [[ -x $STOCK_MON ]]; then have_stock_mon=1; else log "stock $STOCK_MON missing: comparisons with 3.4 are skipped"; fi
PID_MAX=$(cat /proc/sys/kernel/pid_max)

# craft STATE_DIR LIVE_PID: a state directory exercising every reader rule. Run twice with the
# same arguments it creates the same names in the same order, so readdir order (which breaks
# ties in 3.4's sort) is the same in both copies.
craft() {
  python3 - "$1" "$2" "$PID_MAX" <<'PY'
import os, struct, sys, time
d, live, dead = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(d, exist_ok=True)
def rec(pid, phase, file, host, slot, size=296, magic=0x44494800):
    return struct.pack('=QQQ128s128siIQ', size, magic, pid, file, host, slot, phase & 0xffffffff, 0)
def put(name, data, age=0):
    path = os.path.join(d, name)
    with open(path, 'wb') as f: f.write(data)
    if age: t = time.time() - age; os.utime(path, (t, t))
put('binstate_101', rec(live, 5, b'alpha.c', b'hostb', 1))
put('binstate_102', rec(live, 4, b'beta.cpp', b'hosta', 2))
put('binstate_103', rec(live, 3, b'gamma.c', b'hosta', 0))
put('binstate_104', rec(live, 2, b'tie-first.c', b'hostc', 1))
put('binstate_105', rec(live, 6, b'tie-second.c', b'hostc', 1))
put('binstate_106', rec(live, 1, b'blocked.c', b'localhost', 0))
put('binstate_107', rec(live, 0, b'startup.c', b'localhost', 3))
put('binstate_108', rec(live, 7, b'done.c', b'hosta', 1))               # Done: never shown
put('binstate_109', rec(dead, 5, b'dead.c', b'hosta', 0))              # pid gone: dropped
put('binstate_110', rec(dead, 7, b'dead-done.c', b'hosta', 0))         # Done, pid gone
put('binstate_111', rec(live, 9, b'phase9.c', b'hostd', 0))            # unknown phase: Compile
put('binstate_112', rec(live, -1, b'phase-1.c', b'hostd', 1))
put('binstate_113', rec(live, 5, b'f' * 128, b'h' * 128, 2))            # no NUL anywhere
put('binstate_114', rec(live, 5, b'a-very-long-source-file-name-indeed.cc', b'build-server-17.example.org', -4))
put('binstate_115', rec(live, 5, b'stale.c', b'hosta', 0), age=3600)   # deleted
put('binstate_116', b'garbage that is no record', age=3600)             # deleted too
put('binstate_117', rec(live, 5, b'magic.c', b'hosta', 0, magic=0x12345678))
put('binstate_118', rec(live, 5, b'size.c', b'hosta', 0, size=300))
put('binstate_119', rec(live, 5, b'short.c', b'hosta', 0)[:200])
put('binstate_120', b'')
put('binstate_121', rec(live, 5, b'long.c', b'hoste', 0) + b'trailing bytes are ignored')
put('tmp_binstate_122', rec(live, 5, b'temp-name.c', b'hosta', 0))     # not a binstate_ name
put('binstate_123', rec(live, 5, b'old-tmp.c', b'hosta', 0))
put('other', b'x', age=3600)                                           # not ours to delete
PY
}

# 1. Crafted directories: stdout and the files left behind are the same as with 3.4.
craft "$TEST_DIR/ours/state" $$
craft "$TEST_DIR/stock/state" $$
status=0
DISTCC_DIR=$TEST_DIR/ours "$MON" >"$TEST_DIR/ours.out" 2>"$TEST_DIR/ours.err" || status=$?
check "crafted dir: exit 0" test $status -eq 0
check "crafted dir: stale and garbage files older than 60 s deleted, the rest kept" \
  bash -c "! ls '$TEST_DIR/ours/state' | grep -qx -e binstate_115 -e binstate_116 && test -e '$TEST_DIR/ours/state/binstate_109' && test -e '$TEST_DIR/ours/state/other'"
check "crafted dir: Done, dead, bad and foreign records not shown" \
  bash -c "! grep -E 'done.c|dead|stale|magic|size.c|short|temp-name' '$TEST_DIR/ours.out'"
check "crafted dir: warnings name the wrong magic and the wrong size" \
  bash -c "grep -q 'wrong magic number: .*binstate_117' '$TEST_DIR/ours.err' && grep -q 'wrong structure size.*binstate_118' '$TEST_DIR/ours.err'"
expected=$(printf '%6ld  %-10.10s  %-30.30s %24.24s[%d]\n' $$ Compile alpha.c hostb 1)
check "crafted dir: 3.4's line format" grep -qxF -e "$expected" "$TEST_DIR/ours.out"
hosts=$(awk 'NF { printf "%s ", $NF }' "$TEST_DIR/ours.out")
check "crafted dir: sorted by host, then slot (strcmp order, names cut at 24)" test "$hosts" = \
  "build-server-17.example.[-4] hhhhhhhhhhhhhhhhhhhhhhhh[2] hosta[0] hosta[0] hosta[2] hostb[1] hostc[1] hostc[1] hostd[0] hostd[1] hoste[0] localhost[0] localhost[3] "
if ((have_stock_mon)); then
  # next = 0 in every crafted record: 3.4 frees a rejected record through its next pointer.
  DISTCC_DIR=$TEST_DIR/stock "$STOCK_MON" >"$TEST_DIR/stock.out" 2>/dev/null || true
  check "crafted dir: output byte-identical to 3.4's" cmp "$TEST_DIR/ours.out" "$TEST_DIR/stock.out"
  cmp -s "$TEST_DIR/ours.out" "$TEST_DIR/stock.out" || diff "$TEST_DIR/ours.out" "$TEST_DIR/stock.out" || true
  check "crafted dir: 3.4 and we left the same files" diff <(ls -A "$TEST_DIR/ours/state") <(ls -A "$TEST_DIR/stock/state")
fi

# An empty directory: one blank line, as 3.4 prints.
mkdir -p "$TEST_DIR/empty/state"
check "empty state dir: a blank line" bash -c "test \"\$(DISTCC_DIR='$TEST_DIR/empty' '$MON' | od -An -c | tr -d ' ')\" = '\\n'"

# 2. Command line and errors: 3.4's exit codes.
for bad in abc 2s -1 "1 2"; do
  # shellcheck disable=SC2086  # "1 2" is two arguments on purpose
  status=0
  DISTCC_DIR=$TEST_DIR/empty "$MON" $bad >"$TEST_DIR/bad.out" 2>"$TEST_DIR/bad.err" || status=$?
  check "bad command line '$bad': exit 1 like 3.4, one line on stderr, nothing on stdout" \
    bash -c "test $status -eq 1 && test \$(wc -l <'$TEST_DIR/bad.err') -eq 1 && test ! -s '$TEST_DIR/bad.out'"
done
check "--help exits 0 and shows the usage" bash -c "'$MON' --help | grep -q 'distccmon-text \\[DELAY\\]'"
check "--version exits 0" bash -c "'$MON' --version | grep -q distccmon-text"
touch "$TEST_DIR/notadir"
status=0
DISTCC_DIR=$TEST_DIR/notadir "$MON" >/dev/null 2>"$TEST_DIR/notadir.err" || status=$?
check "state dir that cannot be read: exit 107 like 3.4, one line naming it" \
  bash -c "test $status -eq 107 && grep -q 'notadir/state' '$TEST_DIR/notadir.err' && test \$(wc -l <'$TEST_DIR/notadir.err') -eq 1"
status=0
DISTCC_DIR=$TEST_DIR/missing "$MON" >"$TEST_DIR/missing.out" || status=$?
check "missing state dir: no jobs, exit 0, nothing created" \
  bash -c "test $status -eq 0 && test \"\$(cat '$TEST_DIR/missing.out')\" = '' && test ! -e '$TEST_DIR/missing'"

# 3. DELAY repeats: about five blocks in one second at 0.2 s, each with the live record.
mkdir -p "$TEST_DIR/repeat/state"
python3 - "$TEST_DIR/repeat/state/binstate_1" $$ <<'PY'
import struct, sys
open(sys.argv[1], 'wb').write(struct.pack('=QQQ128s128siIQ', 296, 0x44494800, int(sys.argv[2]), b'r.c', b'h', 0, 5, 0))
PY
DISTCC_DIR=$TEST_DIR/repeat timeout 1 "$MON" 0.2 >"$TEST_DIR/repeat.out" || true
blocks=$(grep -c '^$' "$TEST_DIR/repeat.out" || true)
jobs=$(grep -c 'r\.c' "$TEST_DIR/repeat.out" || true)
check "DELAY 0.2 for 1 s: 3 to 6 blocks ($blocks), each showing the job ($jobs)" \
  bash -c "(($blocks >= 3 && $blocks <= 6 && $jobs == $blocks))"

# 4. Live jobs: our client and the stock 3.4 client compile on one slow daemon with one
#    DISTCC_DIR; our monitor shows both, each with its pid, phase, file and host[slot].
[[ -x $STOCK_DISTCC ]] || { log "stock $STOCK_DISTCC missing: live 3.4 job skipped"; finish; exit; }
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
mkdir -p "$TEST_DIR/fakebin"
cat >"$TEST_DIR/fakebin/gcc-slow" <<'SH'
#!/bin/sh
if [ -n "$FAKE_SERVER_SIDE" ]; then sleep "${FAKE_SLEEP:-2}"; fi
exec gcc "$@"
SH
chmod 755 "$TEST_DIR/fakebin/gcc-slow"
FAKE_SERVER_SIDE=1 FAKE_SLEEP=6 DISTCCD_PATH="$TEST_DIR/fakebin:/usr/bin:/bin" \
  start_daemon slow --allow 127.0.0.1 --enable-tcp-insecure
export DISTCC_HOSTS="127.0.0.1:$slow_PORT/2"
PATH="$TEST_DIR/fakebin:$PATH" "$DCC" gcc-slow -O2 -c util.c -o ours.o &
ours=$!
PIDS+=("$ours")
ours_line=$(printf '%6ld  %-10.10s  %-30.30s %24.24s[%d]' "$ours" Compile util.c 127.0.0.1 0)
wait_for 10 bash -c "'$MON' | grep -qxF -e '$ours_line'" || true
check "live: our monitor shows our client's job" bash -c "'$MON' | grep -qxF -e '$ours_line'"
PATH="$TEST_DIR/fakebin:$PATH" "$STOCK_DISTCC" gcc-slow -O2 -c main.c -o stock.o &
stock=$!
PIDS+=("$stock")
stock_line=$(printf '%6ld  %-10.10s  %-30.30s %24.24s[%d]' "$stock" Compile main.c 127.0.0.1 1)
wait_for 10 bash -c "'$MON' | grep -qxF -e '$stock_line'" || true
"$MON" >"$TEST_DIR/live.out"
check "live: our monitor shows both jobs, ours on slot 0, 3.4's on slot 1" \
  bash -c "grep -qxF -e '$ours_line' '$TEST_DIR/live.out' && grep -qxF -e '$stock_line' '$TEST_DIR/live.out'"
if ((have_stock_mon)); then
  # Both jobs sit in Compile while the server sleeps, so both monitors see the same moment.
  check "live: the same bytes as 3.4's monitor" cmp "$TEST_DIR/live.out" <("$STOCK_MON")
fi
ours_status=0 stock_status=0
wait "$ours" || ours_status=$?
wait "$stock" || stock_status=$?
check "live: both compiles succeeded" bash -c "test $ours_status -eq 0 && test $stock_status -eq 0 && test -s ours.o && test -s stock.o"
check "live: both remote (the daemon logged two compiles)" count_reaches "$slow_LOG" COMPILE_OK 2
check "live: no jobs left afterwards" bash -c "test \"\$('$MON')\" = ''"
finish
