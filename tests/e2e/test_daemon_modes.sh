#!/usr/bin/env bash
# distccd's modes and options: --inetd, --pid-file and detaching, --stats, --listen, --allow and
# the default access list, --job-lifetime, --help/--version.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
export LC_ALL=C
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
gcc -O2 -c util.c -o local_util.o

check "--help lists --allow and --job-lifetime" bash -c "'$DCCD' --help | grep -q -- --allow && '$DCCD' --help | grep -q -- --job-lifetime"
check "--version names the protocols" bash -c "'$DCCD' --version | grep -q 'protocols 1, 2 and 3'"
set +e
"$DCCD" --jobs abc 2>err.txt
code=$?
set -e
check "bad option value: exit 101 with the option named" bash -c "test $code -eq 101 && grep -q -- jobs err.txt"

# --inetd: one job on stdin/stdout.
source "$(dirname "${BASH_SOURCE[0]}")/wire_lib.sh"  # token, arg
gcc -E util.c -o util.i
{ token DIST 1; token ARGC 5; arg gcc; arg -c; arg util.c; arg -o; arg util.o; token DOTI "$(stat -c %s util.i)"; cat util.i; } >request.bin
"$DCCD" --inetd --log-file "$TEST_DIR/inetd.log" --log-level info <request.bin >reply.bin
check "--inetd: DONE and success status" bash -c "head -c 24 reply.bin | grep -q '^DONE00000001STAT00000000'"
check "--inetd: reply carries an object" grep -q -a DOTO reply.bin
check "--inetd: logged" grep -q "COMPILE_OK" "$TEST_DIR/inetd.log"

# Default access list: loopback and private networks, announced at start-up.
start_daemon open
check "no --allow: start-up says what is accepted" grep -q "no --allow option given" "$open_LOG"
DISTCC_HOSTS="127.0.0.1:$open_PORT" "$DCC" gcc -O2 -c util.c -o open.o
check "no --allow: loopback client served" grep -q COMPILE_OK "$open_LOG"

# --allow that does not cover the client: refused before anything is read.
start_daemon strict --allow 10.99.0.0/16
DISTCC_HOSTS="127.0.0.1:$strict_PORT" "$DCC" gcc -O2 -c util.c -o strict.o 2>err.txt
check "--allow: other network refused and logged" grep -q "denied by access list" "$strict_LOG"
check "--allow: client fell back locally" cmp strict.o local_util.o
check "--allow: client warned" grep -q "running locally" err.txt

# --listen binds only its address.
start_daemon bound --listen 127.0.0.1 --allow 127.0.0.0/8
check "--listen: 127.0.0.1 answers" bash -c "exec 3<>/dev/tcp/127.0.0.1/$bound_PORT"
check "--listen: 127.0.0.2 does not" bash -c "! (exec 3<>/dev/tcp/127.0.0.2/$bound_PORT) 2>/dev/null"

# --stats: 3.4's text page, counting the jobs.
stats_port=$(free_port)
start_daemon counted --allow 127.0.0.1 --stats --stats-port "$stats_port"
DISTCC_HOSTS="127.0.0.1:$counted_PORT" "$DCC" gcc -O2 -c util.c -o counted.o
wait_for 5 grep -q COMPILE_OK "$counted_LOG"
fetch_stats() { exec 3<>"/dev/tcp/127.0.0.1/$stats_port"; printf 'GET / HTTP/1.0\r\n\r\n' >&3; timeout 5 cat <&3; }
fetch_stats >stats.txt
check "--stats: HTTP page with <distccstats>" bash -c "grep -q '^HTTP/1.0 200' stats.txt && grep -q '<distccstats>' stats.txt"
check "--stats: one compile counted" grep -q "^dcc_compile_ok 1$" stats.txt
check "--stats: one accepted connection" grep -q "^dcc_tcp_accept 1$" stats.txt

# --job-lifetime: a compile that takes too long is killed; the client gets status 118 and
# retries locally.
mkdir -p "$TEST_DIR/fakebin"
cat >"$TEST_DIR/fakebin/gcc-sleepy" <<'SH'
#!/bin/sh
if [ -n "$FAKE_SERVER_SIDE" ]; then sleep 29.75; fi
exec gcc "$@"
SH
chmod 755 "$TEST_DIR/fakebin/gcc-sleepy"
FAKE_SERVER_SIDE=1 DISTCCD_PATH="$TEST_DIR/fakebin:/usr/bin:/bin" start_daemon lifetime --allow 127.0.0.1 --enable-tcp-insecure --job-lifetime 1
start=$SECONDS
PATH="$TEST_DIR/fakebin:$PATH" DISTCC_HOSTS="127.0.0.1:$lifetime_PORT" "$DCC" gcc-sleepy -O2 -c util.c -o sleepy.o 2>err.txt
check "--job-lifetime: job killed after about a second" test $((SECONDS - start)) -le 8
check "--job-lifetime: logged as COMPILE_TIMEOUT" grep -q COMPILE_TIMEOUT "$lifetime_LOG"
check "--job-lifetime: client retried locally" cmp sleepy.o local_util.o
check "--job-lifetime: compiler gone" wait_for 5 bash -c "! pgrep -f 'sleep 29[.]75' >/dev/null"

# SIGTERM while a job runs: the compiler (in its own process group) is killed too, the job's temp
# dir is removed, and the client falls back to a local compile.
cat >"$TEST_DIR/fakebin/gcc-stuck" <<'SH'
#!/bin/sh
if [ -n "$FAKE_SERVER_SIDE" ]; then sleep 28.25; fi
exec gcc "$@"
SH
chmod 755 "$TEST_DIR/fakebin/gcc-stuck"
FAKE_SERVER_SIDE=1 DISTCCD_PATH="$TEST_DIR/fakebin:/usr/bin:/bin" start_daemon stopping --allow 127.0.0.1 --enable-tcp-insecure
PATH="$TEST_DIR/fakebin:$PATH" DISTCC_HOSTS="127.0.0.1:$stopping_PORT" "$DCC" gcc-stuck -O2 -c util.c -o stuck.o 2>/dev/null &
client=$!
check "SIGTERM: the slow compile started" wait_for 10 pgrep -f 'sleep 28[.]25'
kill "$stopping_PID"
check "SIGTERM: daemon exited" wait_for 10 bash -c "! kill -0 $stopping_PID"
check "SIGTERM: no orphaned compiler" wait_for 10 bash -c "! pgrep -f 'sleep 28[.]25' >/dev/null"
check "SIGTERM: job temp dir removed" bash -c "! ls '$TMPDIR' | grep -q distccd_"
wait "$client" || true
check "SIGTERM: client fell back to a correct local compile" cmp stuck.o local_util.o

# Detaching with a pid file; SIGTERM removes it.
port=$(free_port)
"$DCCD" --daemon --port "$port" --allow 127.0.0.1 --pid-file "$TEST_DIR/d.pid" --log-file "$TEST_DIR/detached.log" --log-level info
check "detached: pid file written" wait_for 5 test -s "$TEST_DIR/d.pid"
pid=$(cat "$TEST_DIR/d.pid")
PIDS+=("$pid")
check "detached: process is running" kill -0 "$pid"
DISTCC_HOSTS="127.0.0.1:$port" "$DCC" gcc -O2 -c util.c -o detached.o
check "detached: served a job" wait_for 5 grep -q COMPILE_OK "$TEST_DIR/detached.log"
kill "$pid"
check "detached: exits on SIGTERM" wait_for 5 bash -c "! kill -0 $pid"
check "detached: pid file removed" test ! -e "$TEST_DIR/d.pid"

finish
