# A compiler that misbehaves on demand, for the fault tests; source after lib.sh.
#
#   faults_setup            makes $FAKEBIN/gcc-fault, $FAULT_DIR, the daemon's allow-list file
#                           $FAULT_CMDLIST and local reference objects in $TEST_DIR/src
#   fault_mode MODE         what the next server-side runs do (see the script below)
#   fault_ready_count       how many runs have reached their fault point
#   fault_wait_ready N      waits until N runs have
#   fault_group_alive PID   is anything left of the run PID (it leads its own process group)?
#   fault_none_alive        no run of the fault compiler is left anywhere
#
# gcc-fault runs gcc unchanged unless FAULT_DIR is set in its environment, which the tests set only
# for the daemons: then it reads $FAULT_DIR/mode, records its pid in $FAULT_DIR/pids and, at its
# fault point, creates $FAULT_DIR/ready.<pid>, so a test waits for the middle of a job instead of
# sleeping. Every wait in it has a cap, so a run the daemon fails to kill still ends by itself.
# On the client side FAULT_CLIENT_DIR makes it hold a local preprocessing run (-E) the same way.

FAKEBIN=$TEST_DIR/fakebin
FAULT_DIR=$TEST_DIR/fault
FAULT_CMDLIST=$TEST_DIR/cmdlist

faults_setup() {
  mkdir -p "$FAKEBIN" "$FAULT_DIR"
  chmod 1777 "$FAULT_DIR"  # the daemon runs jobs as an unprivileged user
  cat >"$FAKEBIN/gcc-fault" <<'SH'
#!/bin/sh
# Client side: hold a local preprocessing run if asked, else plain gcc.
if [ -z "$FAULT_DIR" ]; then
  case " $* " in
    *" -E "*)
      if [ -n "$FAULT_CLIENT_DIR" ]; then
        echo $$ >>"$FAULT_CLIENT_DIR/pids"
        : >"$FAULT_CLIENT_DIR/ready.$$"
        n=0
        while [ ! -e "$FAULT_CLIENT_DIR/release" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done
      fi ;;
  esac
  exec gcc "$@"
fi
mode=$(cat "$FAULT_DIR/mode" 2>/dev/null || echo pass)
echo $$ >>"$FAULT_DIR/pids"
case $mode in
  hold)  # until the test creates $FAULT_DIR/release (at most 60 s), then compile
    : >"$FAULT_DIR/ready.$$"
    n=0
    while [ ! -e "$FAULT_DIR/release" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done
    exec gcc "$@" ;;
  hang)  # deaf to SIGTERM (its sleeps inherit that), never compiles; gives up after 120 s
    trap '' TERM
    : >"$FAULT_DIR/ready.$$"
    n=0
    while [ $n -lt 2400 ]; do sleep 0.05; n=$((n + 1)); done
    exit 1 ;;
  spew)  # 100 MiB of warnings on stderr, then a successful compile
    : >"$FAULT_DIR/ready.$$"
    yes 'util.c:1:1: warning: injected fault: one hundred mebibytes of diagnostics follow' | head -c 104857600 >&2
    exec gcc "$@" ;;
  *) exec gcc "$@" ;;
esac
SH
  chmod 755 "$FAKEBIN/gcc-fault"
  echo "$FAKEBIN/gcc-fault" >"$FAULT_CMDLIST"
  export PATH="$FAKEBIN:$PATH"
  cp -r "$(cd "$(dirname "${DCC_E2E_LIB:-$0}")/sample" && pwd)" "$TEST_DIR/src"
  (cd "$TEST_DIR/src" && gcc -O2 -c util.c -o local_util.o && gcc -O2 -c main.c -o local_main.o)
  trap 'fault_kill_leftovers; cleanup' EXIT
}

fault_mode() {
  echo "$1" >"$FAULT_DIR/mode.tmp" && mv "$FAULT_DIR/mode.tmp" "$FAULT_DIR/mode"
  rm -f "$FAULT_DIR"/ready.* "$FAULT_DIR/release"
}

fault_ready_count() { find "$FAULT_DIR" -maxdepth 1 -name 'ready.*' | wc -l; }
fault_ready_at_least() { test "$(fault_ready_count)" -ge "$1"; }
fault_wait_ready() { wait_for "${2:-20}" fault_ready_at_least "$1"; }
# Forgets the runs recorded so far (the file must stay writable for the daemon's user).
fault_reset_pids() { : >"$FAULT_DIR/pids" && chmod 666 "$FAULT_DIR/pids"; }
fault_pids() { cat "$FAULT_DIR/pids" 2>/dev/null || true; }
fault_group_alive() { pgrep -g "$1" >/dev/null 2>&1; }
fault_none_alive() {
  local pid
  for pid in $(fault_pids); do
    if fault_group_alive "$pid"; then
      log "still running in the group of fault compiler $pid: $(pgrep -a -g "$pid" | tr '\n' ';')"
      return 1
    fi
  done
}

# Whatever a failed check left behind must not outlive the test.
fault_kill_leftovers() {
  local pid
  for pid in $(fault_pids) $(cat "${FAULT_CLIENT_DIR:-/nonexistent}/pids" 2>/dev/null); do
    kill -KILL -- "-$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# daemon_workers PID: the daemon's worker processes.
daemon_workers() { pgrep -P "$1" 2>/dev/null || true; }

# distccd_dirs ROOT: the daemon's job temp dirs under ROOT.
distccd_dirs() { find "$1" -maxdepth 1 -name 'distccd_*' 2>/dev/null | wc -l; }

# fault_daemon NAME TMPDIR [distccd args...]: a daemon that runs gcc-fault with FAULT_DIR set.
fault_daemon() {
  local name=$1 tmp=$2
  shift 2
  FAULT_DIR=$FAULT_DIR DISTCC_CMDLIST=$FAULT_CMDLIST DISTCCD_PATH="$FAKEBIN:/usr/bin:/bin" TMPDIR=$tmp \
    DISTCC_IO_TIMEOUT=10 start_daemon "$name" --allow 127.0.0.1 "$@"
}
ok_count() { count_in "$1" 'COMPILE_OK'; }
# A normal compile through HOST must run there: the daemon's COMPILE_OK count grows by one.
serves_again() {  # serves_again LOG PORT OUT
  local before
  before=$(ok_count "$1")
  fault_mode pass
  DISTCC_HOSTS="127.0.0.1:$2/1" "$DCC" gcc-fault -O2 -c util.c -o "$3" 2>/dev/null &&
    cmp -s "$3" local_util.o && count_reaches "$1" COMPILE_OK $((before + 1))
}
no_dirs_left() { test "$(distccd_dirs "$1")" -eq 0; }
first_fault_pid() { fault_pids | tail -1; }
parent_of() { ps -o ppid= -p "$1" | tr -d ' '; }
