#!/usr/bin/env bash
# Our pump-mode header cache end to end: our client and our daemon learn about each other from
# the XCAP trailer, after which headers go by SHA-256 and only the ones the daemon lacks are
# sent. Objects must stay byte-identical to a local build whatever the cache holds: warm, with
# every entry corrupted, after a header changed. Stock distcc 3.4 peers must see none of it: our
# client remembers nothing about a 3.4 daemon, and a host that was ours and is now 3.4 still gets
# the job (in plain protocol 3) without being backed off.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
PUMP=${DCC_TOOLS_BIN:?}/pump
[[ -x $PUMP && -x $DCC_TOOLS_BIN/distcc-include-server ]] || skip_test "pump is not built"
export LC_ALL=C

DAEMON_TMP=$TEST_DIR/daemon_tmp
mkdir -p "$DAEMON_TMP" && chmod 1777 "$DAEMON_TMP"
TMPDIR=$DAEMON_TMP start_daemon ours --allow 127.0.0.1 --jobs 4
export DISTCC_CLIENT_TMP=$TEST_DIR

# A project whose headers outweigh its sources, as in real code: 12 sources sharing 24 headers.
P=$TEST_DIR/proj
mkdir -p "$P/include/core" "$P/src" "$P/build" "$TEST_DIR/local"
for h in $(seq 1 24); do
  {
    echo "#pragma once"
    for f in $(seq 1 40); do echo "static inline int core${h}_function_$f(int value) { return value * $f + $h; }"; done
  } >"$P/include/core/h$h.h"
done
for s in $(seq 1 12); do
  {
    for h in $(seq 1 24); do echo "#include \"core/h$h.h\""; done
    echo "int unit$s(int v) { return core$(( (s % 24) + 1 ))_function_3(v) + $s; }"
  } >"$P/src/unit$s.c"
done
SOURCES=$(cd "$P/src" && ls unit*.c | sort -V)
cd "$P"
compile_all() {  # compile_all CC...: every source to build/NAME.o
  local s
  for s in $SOURCES; do "$@" -O2 -g -Iinclude -c "src/$s" -o "build/${s%.c}.o" || return 1; done
}
compile_all gcc
cp build/*.o "$TEST_DIR/local/"
same_as_local() {
  local s
  for s in $SOURCES; do cmp -s "build/${s%.c}.o" "$TEST_DIR/local/${s%.c}.o" || { echo "differs: ${s%.c}.o"; return 1; }; done
}
# bytes_sent LOG: total "N bytes sent" of the client log's compile lines.
bytes_sent() { sed -n 's/.* \([0-9]*\) bytes sent, .*/\1/p' "$1" | awk '{t += $1} END {print t + 0}'; }

export DISTCC_HOSTS="127.0.0.1:$ours_PORT/4,cpp,lzo"
eval "$(PATH=$DCC_TOOLS_BIN:$PATH "$PUMP" --startup)"
trap 'PATH=$DCC_TOOLS_BIN:$PATH "$PUMP" --shutdown >/dev/null 2>&1 || true; cleanup' EXIT
export DISTCC_VERBOSE=1
XCAP=$DISTCC_DIR/lock/xcap_tcp_127.0.0.1_${ours_PORT}_0

# --- First build: the first job is plain protocol 3 and teaches the client; the rest offer hashes.
rm -f build/*.o
compile_all "$DCC" gcc 2>first.log
check "first build: objects identical to local" same_as_local
check "the first job went as plain protocol 3" bash -c "grep -m1 'bytes sent' first.log | grep -q '(protocol 3)'"
check "the client remembered the daemon's header cache" test -e "$XCAP"
check "the later jobs offered hashes" \
  test "$(grep -c 'header cache: [0-9]* of 25 offered files were cached' first.log)" -eq 11
check "the daemon asked only for what it lacked (2nd job: the shared headers were not cached yet)" \
  grep -q "compile src/unit2.c .*header cache: 0 of 25 offered" first.log
check "3rd job: every header cached, only the source sent" \
  grep -q "compile src/unit3.c .*header cache: 24 of 25 offered" first.log
cache_dir=$(ls -d "$DAEMON_TMP"/distccd-headers-* 2>/dev/null | head -1)
check "the daemon's cache is a private directory in its TMPDIR" test -n "$cache_dir" -a "$(stat -c %a "$cache_dir")" = 700
check "the daemon logs what was cached" grep -q "protocol 3 job src/unit3.c: 25 files and 0 links received .*header cache: 24 of 25 offered files were cached" "$ours_LOG"

# --- A warm rebuild sends every file by hash.
rm -f build/*.o
compile_all "$DCC" gcc 2>warm.log
check "warm rebuild: objects identical to local" same_as_local
check "warm rebuild: every file was cached (but unit1.c, first sent as plain protocol 3)" \
  bash -c "test \$(grep -c 'header cache: 25 of 25 offered files were cached' warm.log) -eq 11 &&
           grep -q 'compile src/unit1.c .*header cache: 24 of 25 offered' warm.log"
plain_bytes=$(grep -m1 'bytes sent' first.log | sed -n 's/.* \([0-9]*\) bytes sent, .*/\1/p')
warm_bytes=$(( $(bytes_sent warm.log) / 12 ))
log "bytes sent per job: plain protocol 3 $plain_bytes, with a warm header cache $warm_bytes"
check "a warm job sends at least 8x fewer bytes than plain protocol 3" test $((warm_bytes * 8)) -le "$plain_bytes"

# --- Every entry corrupted on the daemon's disk: detected, re-sent, objects still right.
for entry in "$cache_dir"/*; do
  [[ $(basename "$entry") =~ ^[0-9a-f]{64}$ ]] && printf 'corrupt' | dd of="$entry" bs=1 seek=20 conv=notrunc status=none
done
rm -f build/*.o
compile_all "$DCC" gcc 2>corrupt.log
check "corrupted cache: objects identical to local" same_as_local
check "the daemon noticed the corrupt entries" grep -q "header cache entry [0-9a-f]* did not match its hash; removed it" "$ours_LOG"
check "the first job after the corruption re-sent its files" grep -q "compile src/unit1.c .*header cache: 0 of 25 offered" corrupt.log

# --- A header changes: its new contents have a new hash, the objects follow the change.
sed -i 's/return value \* 3 + 1;/return value * 3 + 1000;/' include/core/h1.h
compile_all gcc && cp build/*.o "$TEST_DIR/local/"
rm -f build/*.o
compile_all "$DCC" gcc 2>changed.log
check "changed header: objects identical to a local build of the new header" same_as_local
check "changed header: only it was sent again, once" \
  bash -c "grep -q 'compile src/unit1.c .*header cache: 24 of 25 offered' changed.log &&
           grep -q 'compile src/unit2.c .*header cache: 25 of 25 offered' changed.log"

# --- DISTCC_HEADER_CACHE=0 turns the offers off.
DISTCC_HEADER_CACHE=0 "$DCC" gcc -O2 -g -Iinclude -c src/unit1.c -o build/unit1.o 2>off.log
check "DISTCC_HEADER_CACHE=0: plain protocol 3" grep -q "(protocol 3)" off.log
check "DISTCC_HEADER_CACHE=0: object identical" cmp build/unit1.o "$TEST_DIR/local/unit1.o"

# --- A stock 3.4 daemon: nothing is remembered about it, and a host that was ours and is now
#     3.4 (the same address) gets its job in plain protocol 3, not a backoff.
start_stock_daemon theirs --allow 127.0.0.1
THEIR_XCAP=$DISTCC_DIR/lock/xcap_tcp_127.0.0.1_${theirs_PORT}_0
DISTCC_HOSTS="127.0.0.1:$theirs_PORT,cpp,lzo" "$DCC" gcc -O2 -Iinclude -c src/unit2.c -o stock.o 2>stock.log
check "3.4 daemon: compiled there as protocol 3" grep -q "compile src/unit2.c on 127.0.0.1:$theirs_PORT: .*(protocol 3)" stock.log
check "3.4 daemon: no capability remembered" test ! -e "$THEIR_XCAP"
gcc -O2 -Iinclude -c src/unit2.c -o stock_local.o
check "3.4 daemon: object identical" cmp stock.o stock_local.o
touch "$THEIR_XCAP"  # as if an earlier daemon of ours had been on that port
DISTCC_HOSTS="127.0.0.1:$theirs_PORT,cpp,lzo" "$DCC" gcc -O2 -Iinclude -c src/unit2.c -o stale.o 2>stale.log
check "host replaced by 3.4: the job still ran there, in plain protocol 3" \
  grep -q "compile src/unit2.c on 127.0.0.1:$theirs_PORT: .*(protocol 3)" stale.log
check "host replaced by 3.4: object identical" cmp stale.o stock_local.o
check "host replaced by 3.4: the capability was forgotten" test ! -e "$THEIR_XCAP"
check "host replaced by 3.4: not backed off" test ! -e "$DISTCC_DIR/lock/backoff_tcp_127.0.0.1_${theirs_PORT}_0"
check "host replaced by 3.4: no warning for the user" bash -c "! grep -q 'warning' stale.log"

# --- Our daemon with the cache off says so; the client then forgets and sends plain protocol 3.
TMPDIR=$DAEMON_TMP start_daemon nocache --allow 127.0.0.1 --header-cache-size 0
NOCACHE_XCAP=$DISTCC_DIR/lock/xcap_tcp_127.0.0.1_${nocache_PORT}_0
touch "$NOCACHE_XCAP"
DISTCC_HOSTS="127.0.0.1:$nocache_PORT,cpp,lzo" "$DCC" gcc -O2 -g -Iinclude -c src/unit3.c -o build/unit3.o 2>nocache.log
check "cache off: the offer was answered by asking for every file" grep -q "header cache: 0 of 25 offered" nocache.log
check "cache off: object identical" cmp build/unit3.o "$TEST_DIR/local/unit3.o"
check "cache off: the client forgot the capability" test ! -e "$NOCACHE_XCAP"
check "cache off: no cache directory for that daemon" \
  test "$(ls -d "$DAEMON_TMP"/distccd-headers-"$nocache_PID"-* 2>/dev/null | wc -l)" -eq 0

# --- The cache goes with the daemon.
kill -TERM "$ours_PID"
check "the daemon removed its cache when it stopped" wait_for 10 test ! -e "$cache_dir"
finish
