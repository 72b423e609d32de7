#!/usr/bin/env bash
# Faults on the server side, each in the middle of a job (a compiler that waits for the test):
#   1. the worker serving a job SIGKILLed; 2. the whole daemon SIGKILLed and restarted on its port;
#   3. the compiler killed by a signal; 4. a compiler that hangs (deaf to SIGTERM) past
#   --job-lifetime; 5. a compiler printing 100 MiB of diagnostics; 6. the temp dir full (a small
#   tmpfs, root only) or unwritable; 7. SIGHUP and SIGTERM to the daemon while jobs run.
# Every build must end with an object byte-identical to a local compile, no compiler left running,
# no job temp dir left (except where said), and a daemon that serves the next job.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
source "$(dirname "${DCC_E2E_LIB:-$0}")/faults_lib.sh"
faults_setup
cd "$TEST_DIR/src"
# A failed host must not be skipped by the next check's build.
export DISTCC_BACKOFF_PERIOD=0
DTMP=$TEST_DIR/dtmp
mkdir -p "$DTMP" && chmod 1777 "$DTMP"


# --- 1. The worker serving the job is SIGKILLed.
fault_daemon d1 "$DTMP" -j 2
fault_reset_pids
fault_mode hold
DISTCC_HOSTS="127.0.0.1:$d1_PORT/1" "$DCC" gcc-fault -O2 -c util.c -o k1.o 2>k1.err &
client=$!
check "the job reached the compiler on the server" fault_wait_ready 1
compiler=$(first_fault_pid)
worker=$(parent_of "$compiler")
check "worker killed: the compiler runs in a worker of the daemon" bash -c "pgrep -P $d1_PID | grep -qx '$worker'"
kill -KILL "$worker"
rc=0; wait "$client" || rc=$?
check "worker killed: the client succeeded" test "$rc" -eq 0
check "worker killed: object identical to a local compile" cmp k1.o local_util.o
check "worker killed: the client says the host failed" grep -q "127.0.0.1:$d1_PORT" k1.err
check "worker killed: the daemon logged the worker's death" wait_for 5 grep -q "worker $worker died of signal 9" "$d1_LOG"
check "worker killed: its compiler did not outlive it" wait_for 5 bash -c "! pgrep -g $compiler >/dev/null"
check "worker killed: the daemon removed the job's temp dir" wait_for 5 no_dirs_left "$DTMP"
check "worker killed: and said so" grep -q "removed 1 job temp dir(s) left by worker $worker" "$d1_LOG"
worker_count_is() { test "$(daemon_workers "$1" | wc -l)" -eq "$2"; }
check "worker killed: a new worker replaced it" wait_for 5 worker_count_is "$d1_PID" 2
check "worker killed: the daemon serves the next job" serves_again "$d1_LOG" "$d1_PORT" k1b.o

# --- 2. The whole daemon SIGKILLed in the middle of a job, then restarted on the same port.
fault_daemon d2 "$DTMP" -j 2
port=$d2_PORT
fault_mode hold
fault_reset_pids
DISTCC_HOSTS="127.0.0.1:$port/1" "$DCC" gcc-fault -O2 -c util.c -o k2.o 2>k2.err &
client=$!
check "the job reached the compiler on the server" fault_wait_ready 1
compiler=$(first_fault_pid)
workers=$(daemon_workers "$d2_PID")
kill -KILL "$d2_PID"
wait "$d2_PID" 2>/dev/null || true
rc=0; wait "$client" || rc=$?
check "daemon killed: the client succeeded" test "$rc" -eq 0
check "daemon killed: object identical to a local compile" cmp k2.o local_util.o
check "daemon killed: the client says the host failed" grep -q "127.0.0.1:$port" k2.err
all_gone() { local p; for p in "$@"; do if kill -0 "$p" 2>/dev/null; then return 1; fi; done; }
check "daemon killed: its workers exit" wait_for 10 all_gone $workers
check "daemon killed: no compiler left running" wait_for 5 bash -c "! pgrep -g $compiler >/dev/null"
check "daemon killed: no job temp dir left" wait_for 5 no_dirs_left "$DTMP"
fault_daemon d2b "$DTMP" -j 2 --port "$port"
check "daemon killed: restarted on the same port" test "$d2b_PORT" = "$port"
check "daemon killed: the restarted daemon serves" serves_again "$d2b_LOG" "$port" k2b.o
kill "$d2b_PID"; wait "$d2b_PID" 2>/dev/null || true

# --- 3. The compiler on the server killed by a signal.
fault_mode hold
fault_reset_pids
DISTCC_HOSTS="127.0.0.1:$d1_PORT/1" "$DCC" gcc-fault -O2 -c util.c -o s1.o 2>s1.err &
client=$!
check "the job reached the compiler on the server" fault_wait_ready 1
compiler=$(first_fault_pid)
kill -SEGV "$compiler"
rc=0; wait "$client" || rc=$?
check "compiler killed: the client succeeded" test "$rc" -eq 0
check "compiler killed: object identical to a local compile" cmp s1.o local_util.o
check "compiler killed: the daemon logged sig:11" wait_for 5 grep -q "COMPILE_ERROR exit:0 sig:11 .* gcc-fault util.c" "$d1_LOG"
check "compiler killed: the client names the signal" grep -q "killed by signal 11" s1.err
check "compiler killed: no job temp dir left" wait_for 5 no_dirs_left "$DTMP"
check "compiler killed: the daemon serves the next job" serves_again "$d1_LOG" "$d1_PORT" s1b.o

# --- 4. A compiler that hangs, deaf to SIGTERM, past --job-lifetime 2.
fault_daemon d4 "$DTMP" -j 2 --job-lifetime 2
fault_mode hang
fault_reset_pids
start=$SECONDS
rc=0
DISTCC_IO_TIMEOUT=30 DISTCC_HOSTS="127.0.0.1:$d4_PORT/1" "$DCC" gcc-fault -O2 -c util.c -o h1.o 2>h1.err || rc=$?
took=$((SECONDS - start))
compiler=$(first_fault_pid)
log "hanging compiler: build took ${took}s with --job-lifetime 2"
check "hanging compiler: the client succeeded" test "$rc" -eq 0
check "hanging compiler: object identical to a local compile" cmp h1.o local_util.o
check "hanging compiler: the job ended soon after its lifetime" test "$took" -le 10
check "hanging compiler: the daemon logged the lifetime" grep -q "exceeded the job lifetime of 2 s and was killed" "$d4_LOG"
check "hanging compiler: logged as COMPILE_TIMEOUT" grep -q "COMPILE_TIMEOUT .* gcc-fault util.c" "$d4_LOG"
check "hanging compiler: it is gone" wait_for 5 bash -c "! pgrep -g $compiler >/dev/null"
check "hanging compiler: no job temp dir left" wait_for 5 no_dirs_left "$DTMP"
check "hanging compiler: the daemon serves the next job" serves_again "$d4_LOG" "$d4_PORT" h1b.o

# --- 5. 100 MiB of diagnostics (and a successful compile).
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
fault_mode spew
fault_reset_pids
# Every worker's peak RSS before: the job's worker must not grow by the size of the diagnostics.
declare -A before_hwm
for w in $(daemon_workers "$d1_PID"); do before_hwm[$w]=$(hwm_kib "$w"); done
ok_before=$(ok_count "$d1_LOG")
rc=0
DISTCC_HOSTS="127.0.0.1:$d1_PORT/1" "$DCC" gcc-fault -O2 -c util.c -o w1.o 2>w1.err || rc=$?
compiler=$(first_fault_pid)
check "100 MiB of diagnostics: the client succeeded" test "$rc" -eq 0
check "100 MiB of diagnostics: object identical to a local compile" cmp w1.o local_util.o
check "100 MiB of diagnostics: compiled remotely" count_reaches "$d1_LOG" COMPILE_OK $((ok_before + 1))
size=$(stat -c %s w1.err)
log "100 MiB of diagnostics: the client printed $size bytes of them"
check "100 MiB of diagnostics: the client got the start of them" grep -q -m1 "injected fault" w1.err
check "100 MiB of diagnostics: cut to at most 8 MiB" test "$size" -le $((8 * 1024 * 1024 + 4096))
check "100 MiB of diagnostics: the client is told they were cut" grep -q "distccd: compiler output cut here: 100663296 more bytes" w1.err
growth=0
for w in "${!before_hwm[@]}"; do
  [[ -e /proc/$w/status ]] || continue
  g=$(($(hwm_kib "$w") - before_hwm[$w]))
  ((g > growth)) && growth=$g
done
log "100 MiB of diagnostics: the serving worker's peak RSS grew by $((growth / 1024)) MiB"
check "100 MiB of diagnostics: the worker's memory stayed bounded (< 40 MiB growth)" test "$growth" -lt $((40 * 1024))
check "100 MiB of diagnostics: no job temp dir left" wait_for 5 no_dirs_left "$DTMP"

# --- 6. The temp dir full or unwritable.
if [[ $(id -u) -eq 0 ]]; then
  SMALL=$TEST_DIR/small
  mkdir -p "$SMALL"
  mount -t tmpfs -o size=1m,mode=1777 dcc-faults "$SMALL"
  trap 'umount "$SMALL" 2>/dev/null || true; fault_kill_leftovers; cleanup' EXIT
  fault_daemon d6 "$SMALL" -j 2
  # a. Completely full: the job's input cannot be written.
  dd if=/dev/zero of="$SMALL/fill" bs=64k 2>/dev/null || true
  fault_mode pass
  rc=0
  DISTCC_HOSTS="127.0.0.1:$d6_PORT/1" "$DCC" gcc-fault -O2 -c util.c -o f1.o 2>f1.err || rc=$?
  check "temp dir full: the client succeeded" test "$rc" -eq 0
  check "temp dir full: object identical to a local compile" cmp f1.o local_util.o
  check "temp dir full: the client fell back, naming the host" grep -q "127.0.0.1:$d6_PORT" f1.err
  check "temp dir full: the daemon logged why" wait_for 5 grep -q -E "ERROR: client .* OTHER \(gcc-fault util.c\): .*No space left on device" "$d6_LOG"
  check "temp dir full: no job temp dir left" no_dirs_left "$SMALL"
  # b. Room for the input, not for the object (2 MiB of data in a 1 MiB tmpfs): the compiler fails.
  rm -f "$SMALL/fill"
  echo 'char big[2 << 20] = {1}; int get(int i) { return big[i]; }' >big.c
  gcc -O2 -c big.c -o local_big.o
  rc=0
  DISTCC_HOSTS="127.0.0.1:$d6_PORT/1" "$DCC" gcc-fault -O2 -c big.c -o f2.o 2>f2.err || rc=$?
  check "temp dir full during the compile: the client succeeded" test "$rc" -eq 0
  check "temp dir full during the compile: object identical to a local compile" cmp f2.o local_big.o
  check "temp dir full during the compile: the daemon logged a failed compile" wait_for 5 grep -q "COMPILE_ERROR exit:1 .* gcc-fault big.c" "$d6_LOG"
  check "temp dir full during the compile: retried locally" grep -q "retrying locally" f2.err
  check "temp dir full during the compile: no job temp dir left" no_dirs_left "$SMALL"
  check "temp dir full: the daemon serves once there is room" serves_again "$d6_LOG" "$d6_PORT" f3.o
else
  log "temp dir full: skipped (mounting a tmpfs needs root)"
fi
# c. Unwritable (mode 0555; a daemon started as root runs jobs as an unprivileged user).
RO=$TEST_DIR/ro
mkdir -p "$RO" && chmod 0555 "$RO"
fault_daemon d7 "$RO" -j 2
rc=0
DISTCC_HOSTS="127.0.0.1:$d7_PORT/1" "$DCC" gcc-fault -O2 -c util.c -o u1.o 2>u1.err || rc=$?
check "temp dir unwritable: the client succeeded" test "$rc" -eq 0
check "temp dir unwritable: object identical to a local compile" cmp u1.o local_util.o
check "temp dir unwritable: the daemon logged why" wait_for 5 grep -q -E "ERROR: client .* OTHER \(gcc-fault util.c\): cannot create a temporary directory in $RO: Permission denied" "$d7_LOG"
chmod 1777 "$RO"
check "temp dir unwritable: the daemon serves once it is writable" serves_again "$d7_LOG" "$d7_PORT" u2.o

# --- 7. SIGHUP, then SIGTERM, to a daemon running two jobs (the second time with compilers that
#        ignore SIGTERM): the jobs fail cleanly, the clients fall back, nothing is left running.
for sig in HUP TERM; do
  mode=hold
  [[ $sig == TERM ]] && mode=hang
  fault_daemon "s$sig" "$DTMP" -j 3
  pid_var=s${sig}_PID port_var=s${sig}_PORT log_var=s${sig}_LOG
  dpid=${!pid_var} dport=${!port_var} dlog=${!log_var}
  fault_mode "$mode"
  fault_reset_pids
  c1=0 c2=0
  DISTCC_HOSTS="127.0.0.1:$dport/2" "$DCC" gcc-fault -O2 -c util.c -o "t${sig}1.o" 2>"t${sig}1.err" &
  c1=$!
  DISTCC_HOSTS="127.0.0.1:$dport/2" "$DCC" gcc-fault -O2 -c main.c -o "t${sig}2.o" 2>"t${sig}2.err" &
  c2=$!
  check "both jobs reached the compiler on the server" fault_wait_ready 2
  start=$SECONDS
  kill "-$sig" "$dpid"
  rc=0; wait "$dpid" || rc=$?
  log "SIG$sig: the daemon exited with $rc after $((SECONDS - start))s"
  check "SIG$sig: the daemon exited within 10 s" test $((SECONDS - start)) -le 10
  r1=0; wait "$c1" || r1=$?
  r2=0; wait "$c2" || r2=$?
  check "SIG$sig: both clients succeeded" test "$r1$r2" = 00
  check "SIG$sig: objects identical to a local compile" bash -c "cmp t${sig}1.o local_util.o && cmp t${sig}2.o local_main.o"
  check "SIG$sig: the daemon logged the signal" grep -q "terminating on signal" "$dlog"
  check "SIG$sig: no compiler left running" fault_none_alive
  check "SIG$sig: no job temp dir left" no_dirs_left "$DTMP"
done

finish
