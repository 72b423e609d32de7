#!/usr/bin/env bash
# Load benchmark: our distccd and Debian's distcc 3.4 daemon (/usr/bin/distccd) under the same
# load, one after the other in one run: CLIENTS concurrent honest clients (our distcc, real gcc, a
# small source and output file each, the host given as 127.0.0.1:PORT/64 so jobs queue at the
# daemon) for LOAD_SECONDS each, against -j JOBS. The load generator and the /proc sampler are
# tests/e2e/load_lib.sh, as in tests/e2e/test_load.sh. Only honest clients: the hostile mix of
# test_load.sh would make a stock 3.4 daemon run the payloads (-wrapper, CVE-2004-2687).
#
# Reports per daemon: jobs/s (COMPILE_OK lines in its log), honest jobs, fallbacks and wrong
# objects (every object is compared with a local compile), peak memory (VmHWM of the parent and
# of the largest worker, and the largest sum of VmRSS over the daemon's own processes at one
# moment, compilers excluded), the parent's open fds before and after, and the processes and
# zombies left after the run; then ratios ours/3.4. Prints a markdown table and writes it to
# bench/results/load.md (not committed).
#
# Environment:
#   LOAD_SECONDS=30     duration per daemon
#   LOAD_CLIENTS=64     concurrent clients
#   BENCH_JOBS=4        -j for both daemons
#   BENCH_BIN_DIR=DIR   our build (default: <repo>/build), holding src/client/distcc and
#                       src/daemon/distccd
#   BENCH_KEEP=1        keep the temp dir (daemon logs, client stderr) after the run
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)
DURATION=${LOAD_SECONDS:-30}
CLIENTS=${LOAD_CLIENTS:-64}
JOBS=${BENCH_JOBS:-4}

die() { echo "load: $*" >&2; exit 1; }

source "$BENCH/bench_lib.sh"
find_binaries "$REPO"
require_tools "cmake -S $REPO -B $REPO/build -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build $REPO/build (or set BENCH_BIN_DIR)"
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "LOAD_SECONDS must be a positive integer"
[[ $CLIENTS =~ ^[1-9][0-9]*$ ]] || die "LOAD_CLIENTS must be a positive integer"

clear_distcc_environment

WORK=$(mktemp -d /tmp/dcc_load.XXXXXX)
chmod 1777 "$WORK"  # both daemons drop root to an unprivileged user
export HOME=$WORK
export DISTCC_DIR=$WORK/.distcc
mkdir -p "$DISTCC_DIR"
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR" && chmod 1777 "$TMPDIR"
export LC_ALL=C
shopt -s nullglob

DAEMON_PIDS=()
CLIENT_PIDS=()
cleanup() {
  local pid
  for pid in "${CLIENT_PIDS[@]}" "${DAEMON_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${CLIENT_PIDS[@]}" "${DAEMON_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DCC=$OUR_DISTCC
LOAD_DIR=$WORK/load
mkdir -p "$LOAD_DIR"
source "$REPO/tests/e2e/load_lib.sh"
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load: $CLIENTS clients, $DURATION s per daemon, -j $JOBS; compiling the reference objects" >&2
load_make_sources "$CLIENTS"

# run_side NAME PORT DAEMON_COMMAND...: starts the daemon in its own session (3.4 signals its
# process group when stopped), runs the load, stops it; writes key=value lines to $WORK/NAME.result.
run_side() {
  local name=$1 port=$2; shift 2
  local dlog=$WORK/$name.log pidfile=$WORK/$name.pid
  : >"$dlog" && chmod 666 "$dlog"
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' bash "$pidfile" "$@" --log-file "$dlog" 2>>"$WORK/$name.stderr" &
  DAEMON_PIDS+=("$!")
  wait_for 5 test -s "$pidfile" || die "$name did not start"
  local pid
  pid=$(cat "$pidfile")
  if [[ $port == 0 ]]; then
    wait_for 10 grep -q "listening on" "$dlog" || die "$name did not start listening"
    port=$(sed -n 's/.*listening on .* port \([0-9]*\) with .*/\1/p' "$dlog" | head -1)
  fi
  wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || die "$name does not accept connections on $port"
  wait_for 10 test "$(pgrep -c -P "$pid")" -ge "$JOBS" || true
  local fds_before
  fds_before=$(load_fd_count "$pid")
  rm -f "$LOAD_DIR"/result_* "$LOAD_DIR"/stderr_*
  load_sampler_start "$pid" "$WORK/$name.sample"
  echo "load: $name on port $port (pid $pid) for $DURATION s" >&2

  local end=$((EPOCHSECONDS + DURATION)) i hosts clients=()
  for ((i = 0; i < CLIENTS; i++)); do
    hosts="127.0.0.1:$port/64"
    if ((i % 2)); then hosts+=",lzo"; fi
    load_honest_client "$i" "$hosts" "$end" &
    clients+=("$!")
  done
  CLIENT_PIDS=("${clients[@]}")
  wait "${clients[@]}" || true
  CLIENT_PIDS=()
  local finished=$EPOCHSECONDS
  settled() { test "$(load_tree_state "$pid")" = "$((JOBS + 1)) 0"; }
  wait_for 30 settled || echo "load: $name did not settle to $((JOBS + 1)) processes: $(load_tree_state "$pid")" >&2
  load_sampler_stop "$WORK/$name.sample"
  local jobs wrong failed fallbacks remote
  read -r jobs wrong failed fallbacks < <(load_sum /dev/null "$LOAD_DIR"/result_*)
  remote=$(grep -c -E "client: [^ ]+ COMPILE_OK " "$dlog" || true)
  {
    echo "jobs=$jobs"
    echo "wrong=$wrong"
    echo "failed=$failed"
    echo "fallbacks=$fallbacks"
    echo "remote=$remote"
    echo "tail_s=$((finished - end))"
    echo "fds_before=$fds_before"
    echo "fds_after=$(load_fd_count "$pid")"
    echo "state_after=$(load_tree_state "$pid" | tr ' ' /)"
    cat "$WORK/$name.sample"
  } >"$WORK/$name.result"
  kill "$pid" 2>/dev/null || true
  wait_for 10 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
}

run_side ours 0 "$OUR_DISTCCD" --daemon --no-detach --port 0 --log-level info --allow 127.0.0.1 -j "$JOBS"
stock_port=$(free_port)
run_side theirs "$stock_port" "$STOCK_DISTCCD" --daemon --no-detach --port "$stock_port" --log-level info \
  --allow 127.0.0.1 -j "$JOBS"

value() { load_value "$WORK/$1.result" "$2"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
per_s() { awk -v n="$1" -v s="$DURATION" 'BEGIN { printf "%.2f", n / s }'; }
row() {  # row LABEL KEY [mib]: ours, 3.4, ours/3.4
  local ours theirs
  ours=$(value ours "$2")
  theirs=$(value theirs "$2")
  if [[ ${3:-} == mib ]]; then
    echo "| $1 | $(mib "$ours") | $(mib "$theirs") | $(ratio "$ours" "$theirs") |"
  else
    echo "| $1 | $ours | $theirs | $(ratio "$ours" "$theirs") |"
  fi
}
mkdir -p "$BENCH/results"
{
  echo "# Load: $CLIENTS clients for $DURATION s, -j $JOBS, our client against each daemon"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average before: $LOADAVG_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg);" \
    "ours: commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "?") from $BIN_DIR"
  echo
  echo "| | ours | 3.4 | ours/3.4 |"
  echo "|---|---:|---:|---:|"
  echo "| jobs/s (COMPILE_OK in the log) | $(per_s "$(value ours remote)") | $(per_s "$(value theirs remote)") | $(ratio "$(value ours remote)" "$(value theirs remote)") |"
  row "honest jobs finished" jobs
  row "fallbacks to a local compile" fallbacks
  row "objects differing from the local compile" wrong
  row "seconds the last queued jobs took after the end" tail_s
  row "peak RSS, parent (VmHWM, MiB)" parent_hwm_kib mib
  row "peak RSS, largest worker (VmHWM, MiB)" worker_hwm_kib mib
  row "peak RSS, daemon processes together (MiB)" daemon_rss_kib mib
  row "peak RSS, with their compilers (MiB)" tree_rss_kib mib
  row "parent fds before" fds_before
  row "parent fds after" fds_after
  echo "| processes/zombies after | $(value ours state_after) | $(value theirs state_after) | |"
} | tee "$BENCH/results/load.md"
