#!/usr/bin/env bash
# Host-choice cost under lock contention, ours next to Debian's distcc 3.4 in the same run:
# 40 concurrent clients (K jobs each, back to back) against host lists of 1, 10 and 100 hosts
# (127.0.0.1 ... 127.0.0.H, same port, /4 each: H distinct hosts and lock files to the client, one
# real daemon per side behind all of them). Every job must run remotely (COMPILE_OK count) and
# give the object a local compile gives. Prints a markdown table and writes it to
# bench/results/host_choice.md (raw per-batch numbers in bench/results/host_choice.csv).
# See bench/README.md, "Host choice".
#
# Environment:
#   BENCH_REPS=5          repetitions of every (variant, H, side) batch, interleaved
#   BENCH_CLIENTS=40      concurrent client processes
#   BENCH_JOBS_PER_CLIENT=2  jobs each client runs back to back
#   BENCH_HOSTS="1 10 100"   host counts
#   BENCH_SLOTS=4         /N of every host
#   BENCH_PAUSES="default 10"  DISTCC_PAUSE_TIME_MSEC variants ("default": unset)
#   BENCH_DAEMON_JOBS=40  -j for both daemons
#   BENCH_STRACE=1        one extra untimed batch per (H, side) under strace to count lock
#                         operations per job (0: skip)
#   BENCH_BIN_DIR=DIR     our build (default: <repo>/build), holding src/client/distcc and
#                         src/daemon/distccd
#   BENCH_NETNS=1         run everything in a private network namespace (unshare -n, root):
#                         loopback only, no port clashes; 0: use the machine's loopback
#   BENCH_KEEP=1          keep the temp dir (daemon logs) after the run
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)

die() { echo "host_choice: $*" >&2; exit 1; }

# A private network namespace holds nothing but lo: the daemons can listen on 0.0.0.0 (so
# 127.0.0.2 ... reach them) without being reachable from anywhere else, and no port clashes with
# other programs. The namespace dies with the last process in it.
if [[ ${BENCH_NETNS:-1} != 0 && -z ${_HOST_CHOICE_IN_NETNS:-} ]]; then
  if unshare -n true 2>/dev/null; then
    export _HOST_CHOICE_IN_NETNS=1
    exec unshare -n bash "${BASH_SOURCE[0]}" "$@"
  fi
  echo "host_choice: cannot create a network namespace (not root?); using the machine's loopback" >&2
fi
NETNS_NOTE="machine's network namespace (daemons listen on 0.0.0.0, --allow 127.0.0.0/8)"
if [[ -n ${_HOST_CHOICE_IN_NETNS:-} ]]; then
  ip link set lo up 2>/dev/null || die "cannot bring up lo in the private network namespace"
  NETNS_NOTE="private network namespace (unshare -n), only lo"
  unset _HOST_CHOICE_IN_NETNS
fi

BIN_DIR=${BENCH_BIN_DIR:-$REPO/build}
OUR_DISTCC=$BIN_DIR/src/client/distcc
OUR_DISTCCD=$BIN_DIR/src/daemon/distccd
STOCK_DISTCC=/usr/bin/distcc
STOCK_DISTCCD=/usr/bin/distccd
DAEMON_JOBS=${BENCH_DAEMON_JOBS:-40}

source "$BENCH/bench_lib.sh"
require_tools "bash scripts/build.sh build-rel -DCMAKE_BUILD_TYPE=Release and set BENCH_BIN_DIR=$REPO/build-rel"
if [[ ${BENCH_STRACE:-1} != 0 ]] && ! command -v strace >/dev/null; then
  echo "host_choice: strace not found; skipping the lock-operation counts" >&2
  export BENCH_STRACE=0
fi

# A clean distcc environment: nothing from the caller's DISTCC_* settings leaks in.
for var in $(env | sed -n 's/^\(DISTCC_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(_DISTCC_SAFEGUARD\)=.*/\1/p; s/^\(UNCACHED_ERR_FD\)=.*/\1/p'); do
  unset "$var"
done
unset CCACHE_PREFIX DEPENDENCIES_OUTPUT SUNPRO_DEPENDENCIES || true

WORK=$(mktemp -d /tmp/dcc_hostchoice.XXXXXX)
chmod 1777 "$WORK"  # both daemons drop root to an unprivileged user
export HOME=$WORK
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR" && chmod 1777 "$TMPDIR"

DAEMON_PIDS=()
cleanup() {
  local pid
  for pid in "${DAEMON_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${DAEMON_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# launch NAME CMD...: runs CMD in its own session (3.4's daemon signals its whole process group
# when terminated); sets LAUNCHED_PID to the daemon's pid.
launch() {
  local name=$1; shift
  local pidfile=$WORK/$name.pid
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' bash "$pidfile" "$@" &
  DAEMON_PIDS+=("$!")
  wait_for 5 test -s "$pidfile" || die "$name did not start"
  LAUNCHED_PID=$(cat "$pidfile")
  [[ $LAUNCHED_PID == "$!" ]] || DAEMON_PIDS+=("$LAUNCHED_PID")
}

# Both daemons listen on every address (in the private namespace: only lo) and accept the
# whole 127.0.0.0/8, so 127.0.0.1 ... 127.0.0.100 all reach the same daemon.
OURS_LOG=$WORK/ours.log
: >"$OURS_LOG" && chmod 666 "$OURS_LOG"
launch ours "$OUR_DISTCCD" --daemon --no-detach --port 0 --listen 0.0.0.0 --log-file "$OURS_LOG" --log-level info \
  --allow 127.0.0.0/8 -j "$DAEMON_JOBS"
OURS_PID=$LAUNCHED_PID
wait_for 10 grep -q "listening on" "$OURS_LOG" || { cat "$OURS_LOG" >&2; die "our daemon did not start"; }
OURS_PORT=$(sed -n 's/.*listening on .* port \([0-9]*\).*/\1/p' "$OURS_LOG" | head -1)
[[ -n $OURS_PORT ]] || { cat "$OURS_LOG" >&2; die "cannot read our daemon's port from its log"; }

THEIRS_LOG=$WORK/theirs.log
: >"$THEIRS_LOG" && chmod 666 "$THEIRS_LOG"
THEIRS_PORT=$(free_port)
launch theirs "$STOCK_DISTCCD" --daemon --no-detach --port "$THEIRS_PORT" --listen 0.0.0.0 --log-file "$THEIRS_LOG" \
  --log-level info --allow 127.0.0.0/8 -j "$DAEMON_JOBS"
THEIRS_PID=$LAUNCHED_PID
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$THEIRS_PORT" || { cat "$THEIRS_LOG" >&2; die "stock daemon did not start"; }

OUR_VERSION="commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "?"), binaries from $BIN_DIR"
echo "host_choice: ours on port $OURS_PORT (pid $OURS_PID), 3.4 on port $THEIRS_PORT (pid $THEIRS_PID), $NETNS_NOTE" >&2

mkdir -p "$BENCH/results"
python3 "$BENCH/host_choice.py" \
  --work "$WORK" \
  --ours "$OUR_DISTCC" "$OURS_PORT" "$OURS_LOG" \
  --theirs "$STOCK_DISTCC" "$THEIRS_PORT" "$THEIRS_LOG" \
  --reps "${BENCH_REPS:-5}" --clients "${BENCH_CLIENTS:-40}" --jobs-per-client "${BENCH_JOBS_PER_CLIENT:-2}" \
  --hosts ${BENCH_HOSTS:-1 10 100} --slots "${BENCH_SLOTS:-4}" --pauses ${BENCH_PAUSES:-default 10} \
  --daemon-jobs "$DAEMON_JOBS" --strace "${BENCH_STRACE:-1}" \
  --our-version "$OUR_VERSION" --network "$NETNS_NOTE" \
  --results "$BENCH/results/host_choice.md" --csv "$BENCH/results/host_choice.csv"
