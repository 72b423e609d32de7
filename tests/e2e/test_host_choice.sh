#!/usr/bin/env bash
# Host choice on loopback: slot lock files shared with distcc 3.4, backoff, retrying on another
# host, timeouts, ,down and localhost entries, state files read by the stock distccmon-text, and
# a Portage-style DISTCC_DIR used by an unprivileged user. (Several real hosts: test_netns_farm.)
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
gcc -O2 -c util.c -o local_util.o
gcc -O2 -c main.c -o local_main.o
LOCK=$DISTCC_DIR/lock

# A compiler that is slow only on the server side, to watch jobs while they run.
mkdir -p "$TEST_DIR/fakebin"
cat >"$TEST_DIR/fakebin/gcc-slow" <<'SH'
#!/bin/sh
if [ -n "$FAKE_SERVER_SIDE" ]; then sleep "${FAKE_SLEEP:-2}"; fi
exec gcc "$@"
SH
chmod 755 "$TEST_DIR/fakebin/gcc-slow"
start_daemon one --allow 127.0.0.1
# two may run the fake compilers too (fast: FAKE_SERVER_SIDE is unset there).
DISTCCD_PATH="$TEST_DIR/fakebin:/usr/bin:/bin" start_daemon two --allow 127.0.0.1 --enable-tcp-insecure
FAKE_SERVER_SIDE=1 FAKE_SLEEP=3 DISTCCD_PATH="$TEST_DIR/fakebin:/usr/bin:/bin" start_daemon slow --allow 127.0.0.1 --enable-tcp-insecure
dead_port=$(free_port)

# 1. Lock files carry 3.4's names; a slot held by another process (3.4 takes classic fcntl
#    locks; python's lockf is the same call) sends the job to the next host.
DISTCC_HOSTS="127.0.0.1:$one_PORT/1 127.0.0.1:$two_PORT/1" "$DCC" gcc -O2 -c util.c -o a.o
check "lock files: cpu_tcp_<host>_<port>_<slot>" test -e "$LOCK/cpu_tcp_127.0.0.1_${one_PORT}_0"
check "lock files: local preprocessing used cpu_localhost_0" test -e "$LOCK/cpu_localhost_0"
check "first free slot: the first host took the job" test "$(count_in "$one_LOG" COMPILE_OK)" -eq 1
python3 - "$LOCK/cpu_tcp_127.0.0.1_${one_PORT}_0" "$TEST_DIR/held" <<'PY' &
import fcntl, os, sys, time
f = open(sys.argv[1], "w")
fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
open(sys.argv[2], "w").close()
time.sleep(30)
PY
holder=$!
PIDS+=("$holder")
wait_for 10 test -e "$TEST_DIR/held"
DISTCC_HOSTS="127.0.0.1:$one_PORT/1 127.0.0.1:$two_PORT/1" "$DCC" gcc -O2 -c util.c -o b.o
check "slot held by a 3.4-style fcntl lock: job went to the second host" test "$(count_in "$two_LOG" COMPILE_OK)" -eq 1
check "slot held: object correct" cmp b.o local_util.o
kill "$holder"; wait "$holder" 2>/dev/null || true

# 2. Breadth-first: two concurrent slow jobs on two /2 hosts land on different hosts.
rm -f "$TEST_DIR/"*.done
DISTCC_HOSTS="127.0.0.1:$slow_PORT/2 127.0.0.1:$two_PORT/2" PATH="$TEST_DIR/fakebin:$PATH" \
  "$DCC" gcc-slow -O2 -c util.c -o c1.o &
c1=$!
wait_for 10 test -e "$LOCK/cpu_tcp_127.0.0.1_${slow_PORT}_0"
sleep 0.3
two_before=$(count_in "$two_LOG" COMPILE_OK)
DISTCC_HOSTS="127.0.0.1:$slow_PORT/2 127.0.0.1:$two_PORT/2" PATH="$TEST_DIR/fakebin:$PATH" \
  "$DCC" gcc-slow -O2 -c util.c -o c2.o
check "breadth first: second job took slot 0 of the second host" \
  test "$(count_in "$two_LOG" COMPILE_OK)" -eq $((two_before + 1))

# 3. While the slow job runs, the state file is there and the stock distccmon-text shows it.
if [[ -x /usr/bin/distccmon-text ]]; then
  mon=$(DISTCC_DIR=$DISTCC_DIR /usr/bin/distccmon-text)
  check "distccmon-text (3.4) shows our job: file, host and phase" \
    bash -c "grep -q 'util.c' <<<\"$mon\" && grep -q '127.0.0.1\[0\]' <<<\"$mon\" && grep -Eq 'Compile|Send|Receive' <<<\"$mon\""
fi
check "state file is binstate_<pid> of the running client" \
  bash -c "ls '$DISTCC_DIR/state' | grep -qx 'binstate_[0-9]*'"
wait "$c1"
check "slow job finished correctly" cmp c1.o local_util.o
check "state files removed when the jobs are done" bash -c "test -z \"\$(ls '$DISTCC_DIR/state')\""

# 4. A dead host first in the list: the job is retried on the next host (one warning), and the
#    dead host is backed off with 3.4's file name, so the next job does not try it at all.
two_before=$(count_in "$two_LOG" COMPILE_OK)
DISTCC_HOSTS="127.0.0.1:$dead_port 127.0.0.1:$two_PORT" "$DCC" gcc -O2 -c util.c -o d.o 2>err.txt
check "dead host: job retried on the next host" test "$(count_in "$two_LOG" COMPILE_OK)" -eq $((two_before + 1))
check "dead host: object correct" cmp d.o local_util.o
check "dead host: one warning naming both hosts" \
  bash -c "test \$(grep -c . err.txt) -eq 1 && grep -q 'trying 127.0.0.1:$two_PORT' err.txt"
check "dead host: backoff_tcp_<host>_<port>_0 written" test -e "$LOCK/backoff_tcp_127.0.0.1_${dead_port}_0"
DISTCC_VERBOSE=1 DISTCC_HOSTS="127.0.0.1:$dead_port 127.0.0.1:$two_PORT" "$DCC" gcc -O2 -c util.c -o e.o 2>err.txt
check "backed-off host is skipped by the next job" grep -q "skipping 127.0.0.1:$dead_port: backed off" err.txt
check "backed-off host: no second connection attempt" bash -c "! grep -q 'Connection refused' err.txt"
DISTCC_HOSTS="127.0.0.1:$dead_port" "$DCC" gcc -O2 -c util.c -o f.o 2>err.txt
check "only host backed off: local compile with a warning saying so" \
  bash -c "cmp f.o local_util.o && grep -q 'backed off' err.txt"
set +e
DISTCC_FALLBACK=0 DISTCC_HOSTS="127.0.0.1:$dead_port" "$DCC" gcc -O2 -c util.c -o g.o 2>err.txt
code=$?
set -e
check "only host backed off, DISTCC_FALLBACK=0: exit 116" test "$code" -eq 116
# distcc 3.4 reads our backoff file too: it compiles locally without connecting.
if [[ -x $STOCK_DISTCC ]]; then
  DISTCC_VERBOSE=1 DISTCC_HOSTS="127.0.0.1:$dead_port" "$STOCK_DISTCC" gcc -O2 -c util.c -o h.o 2>err.txt || true
  check "3.4 client honours our backoff file" \
    bash -c "cmp h.o local_util.o && grep -q 'remove 127.0.0.1:$dead_port from list' err.txt && ! grep -q 'connect to 127.0.0.1' err.txt"
fi
# A success removes the mark: a host that comes back is used again at once.
rm -f "$LOCK/backoff_tcp_127.0.0.1_${two_PORT}_0"
: >"$LOCK/backoff_tcp_127.0.0.1_${two_PORT}_0"
touch -d '-2 minutes' "$LOCK/backoff_tcp_127.0.0.1_${two_PORT}_0"
DISTCC_HOSTS="127.0.0.1:$two_PORT" "$DCC" gcc -O2 -c util.c -o i.o
check "a mark older than DISTCC_BACKOFF_PERIOD is ignored, and success removes it" \
  test ! -e "$LOCK/backoff_tcp_127.0.0.1_${two_PORT}_0"

# 5. DISTCC_BACKOFF_PERIOD=0: no files, and a dead host is tried once per job, not forever (3.4 bug).
rm -f "$LOCK"/backoff_*
start=$SECONDS
DISTCC_BACKOFF_PERIOD=0 DISTCC_HOSTS="127.0.0.1:$dead_port" "$DCC" gcc -O2 -c util.c -o j.o 2>err.txt
check "BACKOFF_PERIOD=0: dead host tried once, then local" \
  bash -c "cmp j.o local_util.o && test \$(grep -c 'Connection refused' err.txt) -eq 1 && test $((SECONDS - start)) -le 5"
check "BACKOFF_PERIOD=0: no backoff file" bash -c "! ls '$LOCK' | grep -q backoff_"

# 6. Failures that happened here do not back off the host: a missing header (local cpp fails)
#    and a real compile error (fails remotely and locally).
echo '#include "no_such_header.h"' >missing.c
printf 'int f(void) { return undeclared; }\n' >broken.c
DISTCC_HOSTS="127.0.0.1:$two_PORT" "$DCC" gcc -O2 -c missing.c -o missing.o 2>/dev/null || true
DISTCC_HOSTS="127.0.0.1:$two_PORT" "$DCC" gcc -O2 -c broken.c -o broken.o 2>/dev/null || true
check "local preprocessing failure and real compile errors: host not backed off" \
  test ! -e "$LOCK/backoff_tcp_127.0.0.1_${two_PORT}_0"

# 7. A host that accepts but never answers costs DISTCC_IO_TIMEOUT, then the job moves on.
python3 - "$TEST_DIR/hung.port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
PY
PIDS+=("$!")
wait_for 10 test -s "$TEST_DIR/hung.port"
hung_port=$(cat "$TEST_DIR/hung.port")
two_before=$(count_in "$two_LOG" COMPILE_OK)
start=$SECONDS
DISTCC_IO_TIMEOUT=2 DISTCC_HOSTS="127.0.0.1:$hung_port 127.0.0.1:$two_PORT" "$DCC" gcc -O2 -c util.c -o k.o 2>err.txt
elapsed=$((SECONDS - start))
check "silent host: cost at most the I/O timeout ($elapsed s)" test "$elapsed" -le 6
check "silent host: then the next host compiled it" \
  bash -c "cmp k.o local_util.o && test $(count_in "$two_LOG" COMPILE_OK) -eq $((two_before + 1))"

# 8. ,down hosts are never used; a list of only ,down hosts compiles locally at once (3.4 hangs).
start=$SECONDS
DISTCC_HOSTS="127.0.0.1:$one_PORT,down" "$DCC" gcc -O2 -c util.c -o l.o 2>err.txt
check ",down only: local at once" bash -c "cmp l.o local_util.o && test $((SECONDS - start)) -le 3"
# localhost in the list: the job runs here, holding a cpu_localhost slot.
one_before=$(count_in "$one_LOG" COMPILE_OK)
DISTCC_VERBOSE=1 DISTCC_HOSTS="localhost/1 127.0.0.1:$one_PORT" "$DCC" gcc -O2 -c util.c -o m.o 2>err.txt
check "localhost first in the list: compiled here" \
  bash -c "cmp m.o local_util.o && grep -q 'localhost is the chosen host' err.txt && test $(count_in "$one_LOG" COMPILE_OK) -eq $one_before"

# 9. /N holds across concurrent clients: 6 slow jobs on one /2 host never overlap more than 2.
#    Each job's server-side compiler records start and end; we count the overlap.
cat >"$TEST_DIR/fakebin/gcc-track" <<SH
#!/bin/sh
if [ -n "\$FAKE_SERVER_SIDE" ]; then
  echo "+ \$(date +%s.%N)" >>"$TEST_DIR/track.log"; sleep 0.7; echo "- \$(date +%s.%N)" >>"$TEST_DIR/track.log"
fi
exec gcc "\$@"
SH
chmod 755 "$TEST_DIR/fakebin/gcc-track"
: >"$TEST_DIR/track.log"; chmod 666 "$TEST_DIR/track.log"
jobs_pids=()
for i in 1 2 3 4 5 6; do
  DISTCC_HOSTS="127.0.0.1:$slow_PORT/2" PATH="$TEST_DIR/fakebin:$PATH" "$DCC" gcc-track -O2 -c util.c -o n$i.o &
  jobs_pids+=("$!")
done
wait "${jobs_pids[@]}"
max_overlap=$(sort -k2 -n "$TEST_DIR/track.log" | awk '{ n += ($1 == "+") ? 1 : -1; if (n > m) m = n } END { print m + 0 }')
check "/2 limit held by 6 concurrent clients (max overlap $max_overlap)" test "$max_overlap" -eq 2
check "/2 limit: all 6 ran remotely and correctly" \
  bash -c "test \$(grep -c '^+' '$TEST_DIR/track.log') -eq 6 && for i in 1 2 3 4 5 6; do cmp n\$i.o local_util.o || exit 1; done"

# 10. Portage: DISTCC_DIR=/var/tmp/portage/.distcc that does not exist yet, an unprivileged user.
portage_tmp=$TEST_DIR/var/tmp/portage
mkdir -p "$portage_tmp" && chmod 777 "$TEST_DIR/var" "$TEST_DIR/var/tmp" "$portage_tmp"
mkdir -p "$TEST_DIR/userwork" && cp util.c util.h "$TEST_DIR/userwork/" && chmod -R a+rwX "$TEST_DIR/userwork"
if [[ $(id -u) -eq 0 ]] && id nobody >/dev/null 2>&1; then
  one_before=$(count_in "$one_LOG" COMPILE_OK)
  (cd "$TEST_DIR/userwork" && umask 022 && setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env HOME=/nonexistent DISTCC_DIR="$portage_tmp/.distcc" DISTCC_HOSTS="127.0.0.1:$one_PORT" \
    "$DCC" gcc -O2 -c util.c -o util.o)
  check "Portage DISTCC_DIR as an unprivileged user: compiled remotely" \
    bash -c "cmp '$TEST_DIR/userwork/util.o' local_util.o && test $(count_in "$one_LOG" COMPILE_OK) -eq $((one_before + 1))"
  check "Portage DISTCC_DIR: created, owned by the user, not world-writable" \
    bash -c "test \$(stat -c %U '$portage_tmp/.distcc/lock') = nobody && test \$(stat -c %a '$portage_tmp/.distcc') = 755"
else
  log "note: Portage user check needs root and a 'nobody' user; skipped"
fi

# 11. Ctrl-C in the middle of a job: nothing is left behind (temp dir, .tmp beside the object,
#     state file), and the client dies of the signal as the compiler would.
mkdir -p "$TEST_DIR/int" && cp util.c util.h "$TEST_DIR/int/"
rm -rf "$TMPDIR"/* "$DISTCC_DIR/state"/*
(cd "$TEST_DIR/int" && DISTCC_HOSTS="127.0.0.1:$slow_PORT" PATH="$TEST_DIR/fakebin:$PATH" exec "$DCC" gcc-slow -O2 -c util.c -o util.o -MD) &
victim=$!
wait_for 10 bash -c "ls '$DISTCC_DIR/state' | grep -q binstate_"
sleep 0.3
kill -INT "$victim"
set +e
wait "$victim"
code=$?
set -e
check "interrupted client died of SIGINT (status $code)" test "$code" -eq 130
check "interrupted: no temp directory left in TMPDIR" bash -c "test -z \"\$(ls -A '$TMPDIR')\""
check "interrupted: no state file left" bash -c "test -z \"\$(ls -A '$DISTCC_DIR/state')\""
check "interrupted: nothing but the sources in the build directory" \
  bash -c "test \"\$(ls -A '$TEST_DIR/int' | tr '\n' ' ')\" = 'util.c util.h '"

finish
