#!/usr/bin/env bash
# Sets everything up on a fresh Debian machine and shows a job running remotely: builds distcc
# and distccd, starts distccd on loopback, compiles a small program through it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install_deps.sh"
bash "$root/scripts/build.sh" "$root/build"
bin=$root/build/src

# distccd runs only compilers that have a link in a masquerade directory (/usr/lib/distcc); the
# Debian distcc package installed above creates them.
work=$(mktemp -d /tmp/distcc-quickstart.XXXXXX)
chmod 1777 "$work"
trap 'kill $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/daemon/distccd" --daemon --no-detach --allow 127.0.0.1 --port 0 --log-file "$work/distccd.log" --log-level info &
daemon=$!
for _ in $(seq 100); do grep -q "listening on" "$work/distccd.log" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*listening on .* port \([0-9]*\) with .*/\1/p' "$work/distccd.log" | head -1)
echo "distccd is listening on port $port"

cp -r "$root/tests/e2e/sample/." "$work/"
cd "$work"
export DISTCC_HOSTS="127.0.0.1:$port,lzo"
echo "+ make -j4 CC='distcc gcc' CXX='distcc g++'   (DISTCC_HOSTS=$DISTCC_HOSTS)"
make -s -j4 CC="$bin/client/distcc gcc" CXX="$bin/client/distcc g++"
./hello
echo
echo "The daemon's log shows where each compile ran:"
grep COMPILE_OK "$work/distccd.log"
jobs=$(grep -c COMPILE_OK "$work/distccd.log")
echo "$jobs of 3 compiles ran on distccd."
[[ $jobs -eq 3 ]]
