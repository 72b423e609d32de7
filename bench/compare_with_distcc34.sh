#!/usr/bin/env bash
# Benchmarks our distcc/distccd against Debian's distcc 3.4 on loopback, in one run:
# both daemons side by side (same -j, same TMPDIR, private temp dir, every DISTCC_* variable
# cleared), two workloads x protocols 1 and 2, N interleaved jobs per side, each checked to have
# run remotely and to give the same object as a local compile. Prints a markdown table and writes
# it to bench/results/latest.md (raw per-job numbers in bench/results/latest.csv).
#
# Environment:
#   BENCH_RUNS=15        measured jobs per workload x protocol x side
#   BENCH_WARMUP=1       unmeasured (but still verified) jobs before those
#   BENCH_JOBS=2         -j for both daemons
#   BENCH_BIN_DIR=DIR    directory with our build (default: <repo>/build), holding
#                        src/client/distcc and src/daemon/distccd
#   BENCH_CGROUP=0       do not use a private cgroup v2 for exact daemon CPU; fall back to
#                        /proc/<pid>/stat sums (10 ms clock ticks)
#   BENCH_KEEP=1         keep the temp dir (daemon logs) after the run
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)
RUNS=${BENCH_RUNS:-15}
WARMUP=${BENCH_WARMUP:-1}
JOBS=${BENCH_JOBS:-2}

die() { echo "compare_with_distcc34: $*" >&2; exit 1; }

source "$BENCH/bench_lib.sh"
find_binaries "$REPO"
require_tools "cmake -S $REPO -B $REPO/build -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build $REPO/build (or set BENCH_BIN_DIR)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"

clear_distcc_environment

WORK=$(mktemp -d /tmp/dcc_bench.XXXXXX)
# Both daemons drop root to an unprivileged user; they must be able to use this directory.
chmod 1777 "$WORK"
export HOME=$WORK
export DISTCC_DIR=$WORK/.distcc
mkdir -p "$DISTCC_DIR"
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR" && chmod 1777 "$TMPDIR"

DAEMON_PIDS=()
CGROUPS=()
cleanup() {
  local pid cg
  for pid in "${DAEMON_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${DAEMON_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for cg in "${CGROUPS[@]}"; do
    # Anything the daemons forked that is somehow still there (we started all of it).
    for pid in $(cat "$cg/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$cg" 2>/dev/null && break; sleep 0.1; done
  done
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private cgroup v2 per daemon gives exact CPU for the daemon and everything it forks.
CG_ROOT=
if [[ ${BENCH_CGROUP:-1} != 0 ]]; then
  for dir in /sys/fs/cgroup/unified /sys/fs/cgroup; do
    if [[ -f $dir/cgroup.procs && -f $dir/cpu.stat && -w $dir ]]; then CG_ROOT=$dir; break; fi
  done
fi
make_cgroup() {  # make_cgroup NAME: prints the new cgroup's path, or nothing
  [[ -n $CG_ROOT ]] || return 0
  local cg=$CG_ROOT/dcc_bench_$$_$1
  if mkdir "$cg" 2>/dev/null; then echo "$cg"; fi
}

# launch NAME CGROUP CMD...: runs CMD in the background in its own session (3.4's daemon signals
# its whole process group when it is terminated), inside CGROUP if there is one. Sets LAUNCHED_PID
# to the daemon's own pid (the shell below execs it).
launch() {
  local name=$1 cg=$2; shift 2
  local pidfile=$WORK/$name.pid
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ > "$1"; if [[ -n $2 ]]; then echo $$ > "$2/cgroup.procs" || exit 97; fi; shift 2; exec "$@"' \
    bash "$pidfile" "$cg" "$@" &
  DAEMON_PIDS+=("$!")
  wait_for 5 test -s "$pidfile" || die "$name did not start"
  LAUNCHED_PID=$(cat "$pidfile")
  [[ $LAUNCHED_PID == "$!" ]] || DAEMON_PIDS+=("$LAUNCHED_PID")
}


# --- our daemon: ephemeral port, read back from its log
OURS_LOG=$WORK/ours.log
: >"$OURS_LOG" && chmod 666 "$OURS_LOG"
OURS_CG=$(make_cgroup ours)
[[ -n $OURS_CG ]] && CGROUPS+=("$OURS_CG")
launch ours "$OURS_CG" "$OUR_DISTCCD" --daemon --no-detach --port 0 --log-file "$OURS_LOG" --log-level info \
  --allow 127.0.0.1 -j "$JOBS"
OURS_PID=$LAUNCHED_PID
wait_for 10 grep -q "listening on" "$OURS_LOG" || { cat "$OURS_LOG" >&2; die "our daemon did not start"; }
OURS_PORT=$(sed -n 's/.*listening on .* port \([0-9]*\).*/\1/p' "$OURS_LOG" | head -1)

# --- the stock daemon: explicit free port
THEIRS_LOG=$WORK/theirs.log
: >"$THEIRS_LOG" && chmod 666 "$THEIRS_LOG"
THEIRS_CG=$(make_cgroup theirs)
[[ -n $THEIRS_CG ]] && CGROUPS+=("$THEIRS_CG")
THEIRS_PORT=$(free_port)
launch theirs "$THEIRS_CG" "$STOCK_DISTCCD" --daemon --no-detach --port "$THEIRS_PORT" --log-file "$THEIRS_LOG" \
  --log-level info --allow 127.0.0.1 -j "$JOBS"
THEIRS_PID=$LAUNCHED_PID
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$THEIRS_PORT" || { cat "$THEIRS_LOG" >&2; die "stock daemon did not start"; }

OUR_VERSION="commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "?"), binaries from $BIN_DIR"
echo "compare_with_distcc34: ours on port $OURS_PORT (pid $OURS_PID), 3.4 on port $THEIRS_PORT (pid $THEIRS_PID)," \
  "N=$RUNS, daemon CPU via ${OURS_CG:+cgroup}${OURS_CG:-/proc}" >&2

mkdir -p "$BENCH/results"
python3 "$BENCH/bench_measure.py" \
  --work "$WORK" \
  --our-client "$OUR_DISTCC" --stock-client "$STOCK_DISTCC" \
  --ours "$OURS_PID" "$OURS_PORT" "$OURS_LOG" "${OURS_CG:-}" \
  --theirs "$THEIRS_PID" "$THEIRS_PORT" "$THEIRS_LOG" "${THEIRS_CG:-}" \
  --runs "$RUNS" --warmup "$WARMUP" --jobs "$JOBS" --nice "5 (both daemons' default)" \
  --our-version "$OUR_VERSION" \
  --results "$BENCH/results/latest.md" --csv "$BENCH/results/latest.csv"
