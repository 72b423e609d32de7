#!/usr/bin/env bash
# The client interrupted in the middle of a job: SIGINT while the server compiles, SIGTERM while
# it preprocesses locally (the preprocessor is left running, as when only distcc gets the signal,
# and finishes after the client is gone). Each time: the client dies of the signal, no object, no
# .d, no temp file beside them or in its private TMPDIR, no state file, every slot lock released,
# no backoff mark, the server's compiler is stopped, and the next build runs remotely at once.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
source "$(dirname "${DCC_E2E_LIB:-$0}")/faults_lib.sh"
faults_setup
cd "$TEST_DIR/src"
DTMP=$TEST_DIR/dtmp
CTMP=$TEST_DIR/ctmp
mkdir -p "$DTMP" "$CTMP" && chmod 1777 "$DTMP"
LOCK=$DISTCC_DIR/lock
fault_daemon d "$DTMP" -j 2
export DISTCC_HOSTS="127.0.0.1:$d_PORT/1"
REMOTE_SLOT=$LOCK/cpu_tcp_127.0.0.1_${d_PORT}_0
gcc -O2 -c util.c -o ref.o -MD  # the reference .d names ref.o; compared with that name swapped

# slot_free FILE: can another process take the lock now? (fcntl locks conflict with our OFD locks)
slot_free() {
  python3 - "$1" <<'PY'
import fcntl, sys
with open(sys.argv[1], "w") as f:
    try:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(1)
PY
}
slot_held() { ! slot_free "$1"; }
nothing_left() {  # nothing_left NAME: no NAME.o, NAME.d, temp file in src or entry in $CTMP
  local name=$1 stray
  stray=$(ls -A | grep -E "^$name\.|\.tmp|tmp\." || true)
  [[ -z $stray && -z $(ls -A "$CTMP") ]] || { log "left behind: $stray $(ls -A "$CTMP")"; return 1; }
}
no_state_file() { test ! -e "$DISTCC_DIR/state/binstate_$1"; }
no_backoff() { ! ls "$LOCK" | grep -q backoff; }
# The next build runs on the server at once: remote, within 10 s (a held slot would make it wait).
next_build_remote() {  # next_build_remote NAME
  local before start rc=0
  before=$(ok_count "$d_LOG")
  fault_mode pass
  start=$SECONDS
  TMPDIR=$CTMP timeout 20 "$DCC" gcc-fault -O2 -c util.c -o "$1.o" -MD 2>"err_$1.txt" || rc=$?
  log "next build: exit $rc after $((SECONDS - start))s"
  [[ $rc -eq 0 ]] && ((SECONDS - start <= 10)) && cmp -s "$1.o" local_util.o &&
    diff <(sed "s/^$1\.o:/ref.o:/" "$1.d") ref.d >/dev/null && count_reaches "$d_LOG" COMPILE_OK $((before + 1))
}

# --- 1. SIGINT while the server compiles.
fault_mode hold
fault_reset_pids
TMPDIR=$CTMP "$DCC" gcc-fault -O2 -c util.c -o i1.o -MD 2>err_i1.txt &
client=$!
check "the job reached the compiler on the server" fault_wait_ready 1
compiler=$(first_fault_pid)
check "SIGINT: the remote slot is held while the job runs" slot_held "$REMOTE_SLOT"
kill -INT "$client"
rc=0; wait "$client" || rc=$?
check "SIGINT: the client died of SIGINT (exit 130)" test "$rc" -eq 130
check "SIGINT: no object, .d or temp file left" nothing_left i1
check "SIGINT: no state file left" no_state_file "$client"
check "SIGINT: the remote slot is free" slot_free "$REMOTE_SLOT"
check "SIGINT: the local preprocessing slot is free" slot_free "$LOCK/cpu_localhost_0"
check "SIGINT: the host is not backed off" no_backoff
check "SIGINT: the daemon saw the client go" wait_for 5 grep -q "CLI_DISCONN .* gcc-fault util.c" "$d_LOG"
check "SIGINT: the server's compiler was stopped" wait_for 5 bash -c "! pgrep -g $compiler >/dev/null"
check "SIGINT: no job temp dir left on the server" wait_for 5 no_dirs_left "$DTMP"
check "SIGINT: the next build runs remotely at once" next_build_remote n1

# --- 2. SIGTERM while preprocessing locally; the preprocessor outlives the client.
export FAULT_CLIENT_DIR=$TEST_DIR/cfault
mkdir -p "$FAULT_CLIENT_DIR"
fault_mode pass
TMPDIR=$CTMP "$DCC" gcc-fault -O2 -c util.c -o t1.o -MD 2>err_t1.txt &
client=$!
wait_for 20 bash -c "ls '$FAULT_CLIENT_DIR' | grep -q ready"
cpp=$(tail -1 "$FAULT_CLIENT_DIR/pids")
kill -TERM "$client"
rc=0; wait "$client" || rc=$?
check "SIGTERM: the client died of SIGTERM (exit 143)" test "$rc" -eq 143
# The orphaned preprocessor now runs to its end (gcc -E writing the .d where it was told to).
: >"$FAULT_CLIENT_DIR/release"
check "SIGTERM: the preprocessor ended" wait_for 20 bash -c "! kill -0 $cpp 2>/dev/null"
unset FAULT_CLIENT_DIR
check "SIGTERM: no object, .d or temp file left" nothing_left t1
check "SIGTERM: no state file left" no_state_file "$client"
check "SIGTERM: the remote slot is free" slot_free "$REMOTE_SLOT"
check "SIGTERM: the local preprocessing slot is free" slot_free "$LOCK/cpu_localhost_0"
check "SIGTERM: the host is not backed off" no_backoff
check "SIGTERM: the next build runs remotely at once" next_build_remote n2

finish
