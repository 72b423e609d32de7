#!/usr/bin/env bash
# bench/pump_build.sh [BUILD_DIR] [JOBS] [ROUNDS]: a whole build's translation units (the
# compile_commands.json of BUILD_DIR, by default this repo's own build) compiled locally, through
# our daemon on loopback in plain mode (,lzo) and in pump mode (,cpp,lzo under our include
# server). Reports wall time, bytes sent per TU, and how many pump objects are byte-identical to
# the local ones. distcc 3.4's pump mode does not run on current Python, so there is no 3.4 column.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$here/bench_lib.sh"
die() { echo "pump_build: $*" >&2; exit 1; }

build=${1:-$root/build}
jobs=${2:-4}
rounds=${3:-1}
[[ -f $build/compile_commands.json ]] || die "$build/compile_commands.json not found (configure with scripts/build.sh first)"
DISTCC=$build/src/client/distcc
DISTCCD=$build/src/daemon/distccd
PUMP=$build/src/tools/bin/pump
for b in "$DISTCC" "$DISTCCD" "$PUMP"; do [[ -x $b ]] || die "$b not built"; done

work=$(mktemp -d /tmp/pump_bench.XXXXXX)
chmod 1777 "$work"
daemon_pid=
cleanup() {
  [[ -n ${INCLUDE_SERVER_PID-} ]] && "$PUMP" --shutdown >/dev/null 2>&1 || true
  [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null || true
  [[ ${PUMP_BENCH_KEEP:-0} == 1 ]] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # so that cleanup runs
for var in $(env | sed -n 's/^\(DISTCC_[A-Z_]*\)=.*/\1/p'); do unset "$var"; done
export DISTCC_DIR=$work/.distcc TMPDIR=$work/tmp
mkdir -p "$DISTCC_DIR" "$TMPDIR" && chmod 1777 "$TMPDIR"

"$DISTCCD" --daemon --no-detach --port 0 --allow 127.0.0.1 --jobs "$jobs" --log-file "$work/d.log" --log-level notice &
daemon_pid=$!
wait_for 10 grep -q "listening on" "$work/d.log" || { cat "$work/d.log"; die "daemon did not start"; }
port=$(sed -n 's/.*listening on .* port \([0-9]*\) with .*/\1/p' "$work/d.log" | head -1)

export DISTCC_HOSTS="127.0.0.1:$port,cpp,lzo"
eval "$("$PUMP" --startup)"
python3 "$here/pump_build.py" "$build/compile_commands.json" "$work/out" "$DISTCC" "$port" "$jobs" "$rounds"
