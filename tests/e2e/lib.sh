# Shared helpers for the end-to-end tests. Each test sources this, gets a private temp dir with
# every DISTCC_* variable cleared, starts the daemons it needs on ephemeral loopback ports, and
# has everything it started killed on exit.
set -euo pipefail

DCC=$(cd "${DCC_BIN:?set DCC_BIN to the directory holding distcc}" && pwd)/distcc
DCCD=$(cd "${DCCD_BIN:?set DCCD_BIN to the directory holding distccd}" && pwd)/distccd
STOCK_DISTCC=/usr/bin/distcc
STOCK_DISTCCD=/usr/bin/distccd

for var in $(env | sed -n 's/^\(DISTCC_[A-Z_]*\)=.*/\1/p; s/^\(_DISTCC_SAFEGUARD\)=.*/\1/p; s/^\(UNCACHED_ERR_FD\)=.*/\1/p'); do
  unset "$var"
done
unset CCACHE_PREFIX DEPENDENCIES_OUTPUT || true

TEST_DIR=$(mktemp -d /tmp/dcc_e2e.XXXXXX)
# Daemons drop root to an unprivileged user; it must be able to use this directory.
chmod 1777 "$TEST_DIR"
export HOME=$TEST_DIR
export DISTCC_DIR=$TEST_DIR/.distcc
mkdir -p "$DISTCC_DIR"
export TMPDIR=$TEST_DIR/tmp
mkdir -p "$TMPDIR" && chmod 1777 "$TMPDIR"
PIDS=()
FAILURES=0
PASSES=0

# Under the sanitizer build scripts/run_tests.sh sets log_path for every process. Here it is
# pointed into this test's own directory, so the reports of everything the test starts (daemon
# workers and the processes they fork included) fail this test by name in finish(); cleanup()
# still hands them on to run_tests.sh's directory, so none is lost if the test ends early.
SANITIZER_DIR=
SHARED_SANITIZER_DIR=
if [[ ${ASAN_OPTIONS-} == *log_path=* ]]; then
  SANITIZER_DIR=$TEST_DIR/sanitizer
  mkdir -p "$SANITIZER_DIR" && chmod 1777 "$SANITIZER_DIR"
  SHARED_SANITIZER_DIR=$(dirname "$(sed 's/.*log_path=\([^:]*\).*/\1/' <<<"$ASAN_OPTIONS")")
  ASAN_OPTIONS=$(sed "s|log_path=[^:]*|log_path=$SANITIZER_DIR/asan|" <<<"$ASAN_OPTIONS")
  export ASAN_OPTIONS
  if [[ ${UBSAN_OPTIONS-} == *log_path=* ]]; then
    UBSAN_OPTIONS=$(sed "s|log_path=[^:]*|log_path=$SANITIZER_DIR/ubsan|" <<<"$UBSAN_OPTIONS")
    export UBSAN_OPTIONS
  fi
fi
sanitizer_reports() { [[ -n $SANITIZER_DIR ]] && compgen -G "$SANITIZER_DIR/*" >/dev/null; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if sanitizer_reports && [[ -d $SHARED_SANITIZER_DIR ]]; then
    local report
    for report in "$SANITIZER_DIR"/*; do cp "$report" "$SHARED_SANITIZER_DIR/$(basename "$0").$(basename "$report")"; done
  fi
  if [[ ${KEEP_TEST_DIR:-0} != 1 ]]; then rm -rf "$TEST_DIR"; fi
}
trap cleanup EXIT

log() { echo "[$(basename "$0")] $*"; }
pass() { PASSES=$((PASSES + 1)); log "ok: $*"; }
fail() { FAILURES=$((FAILURES + 1)); log "FAIL: $*"; }
skip_test() { log "SKIP: $*"; exit 77; }

check() {  # check "description" command...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

finish() {
  # Daemon logs must not contain sanitizer reports.
  if grep -l -E "ERROR: (Address|Undefined|Leak)Sanitizer|runtime error:" "$TEST_DIR"/*.log 2>/dev/null; then
    fail "sanitizer report in a daemon log"
  fi
  if sanitizer_reports; then
    cat "$SANITIZER_DIR"/*
    fail "sanitizer reports from processes this test started (above)"
  fi
  echo "$PASSES passed, $FAILURES failed"
  [[ $FAILURES -eq 0 ]]
}

# wait_for SECONDS command...: polls until the command succeeds or the deadline passes.
wait_for() {
  local seconds=$1; shift
  local end=$((SECONDS + seconds))
  while ! "$@" 2>/dev/null; do
    if ((SECONDS >= end)); then return 1; fi
    sleep 0.05
  done
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return; fi
  done
}

# start_daemon NAME [extra distccd args...]: our daemon on an ephemeral port.
# Sets ${NAME}_PORT, ${NAME}_PID and ${NAME}_LOG.
start_daemon() {
  local name=$1; shift
  local logfile=$TEST_DIR/$name.log
  : >"$logfile"
  chmod 666 "$logfile"
  "$DCCD" --daemon --no-detach --port 0 --log-file "$logfile" --log-level info "$@" 2>>"$TEST_DIR/$name.stderr.log" &
  local pid=$!
  PIDS+=("$pid")
  if ! wait_for 10 grep -q "listening on" "$logfile"; then
    cat "$logfile"
    fail "daemon $name did not start"
    return 1
  fi
  local port
  port=$(sed -n 's/.*listening on .* port \([0-9]*\) with .*/\1/p' "$logfile" | head -1)
  printf -v "${name}_PORT" '%s' "$port"
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_LOG" '%s' "$logfile"
}

# start_stock_daemon NAME [extra args]: Debian's distcc 3.4 daemon on a free port.
start_stock_daemon() {
  local name=$1; shift
  [[ -x $STOCK_DISTCCD ]] || skip_test "Debian distcc 3.4 (package distcc) is not installed"
  local logfile=$TEST_DIR/$name.log port
  : >"$logfile"
  chmod 666 "$logfile"
  port=$(free_port)
  "$STOCK_DISTCCD" --daemon --no-detach --port "$port" --log-file "$logfile" --log-level debug "$@" 2>>"$TEST_DIR/$name.stderr.log" &
  local pid=$!
  PIDS+=("$pid")
  wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || { fail "stock daemon $name did not start"; return 1; }
  printf -v "${name}_PORT" '%s' "$port"
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_LOG" '%s' "$logfile"
}

# count_in FILE PATTERN: number of matching lines.
count_in() { grep -c -E "$2" "$1" 2>/dev/null || true; }

# count_reaches FILE PATTERN N: waits (a daemon logs a job just after sending its reply) until
# FILE has at least N matching lines, then succeeds only if it has exactly N.
count_reaches() {
  local file=$1 pattern=$2 n=$3
  wait_for 5 bash -c "test \$(grep -c -E '$pattern' '$file' 2>/dev/null || true) -ge $n" || true
  test "$(count_in "$file" "$pattern")" -eq "$n"
}

# Compare the parts of two objects that must match: every section's bytes, except that with -g
# the DWARF producer string (which names -fdirectives-only) and the .debug_str offsets it shifts
# may differ. Code and data sections must be byte-identical; decoded debug info must be
# identical apart from the producer line and string-table offsets.
same_object() {
  cmp -s "$1" "$2"
}

same_code_and_debug_info() {
  local a=$1 b=$2 s
  for s in $(readelf -SW "$a" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p' | grep -v -E '^\.(debug_str|debug_info|rela\.debug_info)$'); do
    if ! cmp -s <(objcopy -O binary --only-section="$s" "$a" /dev/stdout 2>/dev/null; readelf -x "$s" "$a" 2>/dev/null) \
                <(objcopy -O binary --only-section="$s" "$b" /dev/stdout 2>/dev/null; readelf -x "$s" "$b" 2>/dev/null); then
      log "section $s differs between $a and $b"
      return 1
    fi
  done
  if ! diff <(debug_info_without_producer "$a") <(debug_info_without_producer "$b") >/dev/null; then
    log "debug info differs between $a and $b beyond DW_AT_producer"
    diff <(debug_info_without_producer "$a") <(debug_info_without_producer "$b") | head -20
    return 1
  fi
}

debug_info_without_producer() {
  readelf --debug-dump=info "$1" | grep -v DW_AT_producer | sed -E 's/\(indirect (line )?string, offset: 0x[0-9a-f]+\)//; s/^ *<[0-9a-f]+>//'
}

producer_of() { readelf --debug-dump=info "$1" | grep -m1 DW_AT_producer | sed 's/.*: //'; }
