#!/usr/bin/env bash
# Fallback, error and local-only behaviour of the client (distcc 3.4 §1.7), and where each job ran.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
# The same dead host is used by several checks below; backoff itself is test_host_choice's.
export DISTCC_BACKOFF_PERIOD=0
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
gcc -O2 -c util.c -o local_util.o

# 1. Nothing listening: the job compiles locally, with one warning naming the host and the cause.
dead_port=$(free_port)
DISTCC_HOSTS="127.0.0.1:$dead_port" "$DCC" gcc -O2 -c util.c -o fb.o 2>err.txt
check "dead host: local fallback succeeded" cmp fb.o local_util.o
check "dead host: one warning naming host and cause" \
  bash -c "test \$(grep -c . err.txt) -eq 1 && grep -q '127.0.0.1:$dead_port' err.txt && grep -q 'Connection refused' err.txt"
check "dead host: no temporary files beside the object" bash -c "! ls -a | grep -q '\.tmp'"

# 2. DISTCC_FALLBACK=0: fail with the distribution error instead.
set +e
DISTCC_FALLBACK=0 DISTCC_HOSTS="127.0.0.1:$dead_port" "$DCC" gcc -O2 -c util.c -o nofb.o 2>err.txt
code=$?
set -e
check "DISTCC_FALLBACK=0: exit 103 (connect failed)" test "$code" -eq 103
check "DISTCC_FALLBACK=0: says fallbacks are disabled" grep -q "fallbacks are disabled" err.txt
check "DISTCC_FALLBACK=0: no object" test ! -e nofb.o

# 3. Host lists that cannot be used.
DISTCC_HOSTS="box:12x" "$DCC" gcc -O2 -c util.c -o badspec.o 2>err.txt
check "bad host spec: compiled locally" cmp badspec.o local_util.o
check "bad host spec: error names the entry" grep -q 'box:12x' err.txt
DISTCC_HOSTS="" "$DCC" gcc -O2 -c util.c -o empty.o 2>err.txt
check "empty DISTCC_HOSTS: compiled locally with a warning" bash -c "cmp empty.o local_util.o && grep -q 'no hosts' err.txt"

set +e
DISTCC_FALLBACK=0 DISTCC_HOSTS="" "$DCC" gcc -O2 -c util.c -o nohosts.o 2>err.txt
code=$?
set -e
check "DISTCC_FALLBACK=0 and no hosts: exit 116 as 3.4" test "$code" -eq 116
check "DISTCC_FALLBACK=0 and no hosts: no object" test ! -e nohosts.o
DISTCC_SSH=$TEST_DIR/no-such-ssh DISTCC_HOSTS="@sshbox" "$DCC" gcc -O2 -c util.c -o ssh.o 2>err.txt
check "SSH host whose ssh cannot run: compiled locally with a warning" \
  bash -c "cmp ssh.o local_util.o && test \$(grep -c . err.txt) -eq 1 && grep -q 'no-such-ssh' err.txt"

start_daemon d --allow 127.0.0.1
export DISTCC_HOSTS="127.0.0.1:$d_PORT,lzo"
ok_before=$(count_in "$d_LOG" COMPILE_OK)

# 4. A real compile error: retried locally (user sees local diagnostics), exit code 1, host not blamed.
set +e
"$DCC" gcc -c bad.c -o bad.o 2>err.txt
code=$?
set -e
check "compile error: exit code 1" test "$code" -eq 1
check "compile error: diagnostics shown once" test "$(grep -c 'undefined_variable' err.txt)" -ge 1
check "compile error: retried locally as 3.4 does" grep -q "retrying locally" err.txt
check "compile error: the daemon saw it" grep -q COMPILE_ERROR "$d_LOG"
set +e
DISTCC_SKIP_LOCAL_RETRY=1 "$DCC" gcc -c bad.c -o bad.o 2>err.txt
code=$?
set -e
check "DISTCC_SKIP_LOCAL_RETRY: exit code 1" test "$code" -eq 1
check "DISTCC_SKIP_LOCAL_RETRY: remote diagnostics shown" grep -q undefined_variable err.txt
check "DISTCC_SKIP_LOCAL_RETRY: no local retry" bash -c "! grep -q 'retrying locally' err.txt"
echo OLD >keep.o
set +e
DISTCC_SKIP_LOCAL_RETRY=1 "$DCC" gcc -c bad.c -o keep.o 2>/dev/null
set -e
check "failed remote compile leaves an existing object untouched" test "$(cat keep.o)" = OLD

# 5. Commands that must run locally never reach the daemon, and say why with DISTCC_VERBOSE.
gcc -O2 -c main.c -o main.o
gcc -O2 -c util.c -o util.o
DISTCC_VERBOSE=1 "$DCC" gcc -o hello main.o util.o 2>err.txt
check "linking: ran locally" ./hello
check "linking: DISTCC_VERBOSE names the reason" grep -qi "compil" err.txt
"$DCC" gcc -E main.c >main.i
check "-E: preprocessed output on stdout" grep -q "hello from distcc" main.i
cp util.c conftest.c
"$DCC" gcc -c conftest.c -o conftest.o
check "conftest.c: compiled" test -s conftest.o
check "local-only jobs did not reach the daemon" test "$(count_in "$d_LOG" COMPILE_OK)" -eq "$ok_before"

# 6. Recursion guard and bad settings.
set +e
_DISTCC_SAFEGUARD=1 "$DCC" gcc -c util.c -o rec.o 2>err.txt
code=$?
DISTCC_IO_TIMEOUT=junk "$DCC" gcc -c util.c -o junk.o 2>/dev/null
junk_code=$?
"$DCC" 2>/dev/null
noargs_code=$?
set -e
check "recursion: exit 111" test "$code" -eq 111
check "recursion: message" grep -q "recursively" err.txt
check "DISTCC_IO_TIMEOUT=junk: exit 101" test "$junk_code" -eq 101
check "no arguments: exit 101" test "$noargs_code" -eq 101

# 7. DISTCC_LOG collects the messages instead of stderr.
DISTCC_LOG=$TEST_DIR/client.log DISTCC_HOSTS="127.0.0.1:$dead_port" "$DCC" gcc -O2 -c util.c -o logged.o 2>err.txt
check "DISTCC_LOG: warning went to the log file" grep -q "running locally" "$TEST_DIR/client.log"
check "DISTCC_LOG: stderr stays quiet" test ! -s err.txt

# 8. A server that stops answering costs at most DISTCC_IO_TIMEOUT; the daemon then kills the
#    orphaned compiler. The fake compiler sleeps only on the server side.
mkdir -p "$TEST_DIR/fakebin"
cat >"$TEST_DIR/fakebin/gcc-slow" <<'SH'
#!/bin/sh
if [ -n "$FAKE_SERVER_SIDE" ]; then sleep 31.25; fi
exec gcc "$@"
SH
chmod 755 "$TEST_DIR/fakebin/gcc-slow"
FAKE_SERVER_SIDE=1 DISTCCD_PATH="$TEST_DIR/fakebin:/usr/bin:/bin" start_daemon slow --allow 127.0.0.1 --enable-tcp-insecure
start=$SECONDS
PATH="$TEST_DIR/fakebin:$PATH" DISTCC_IO_TIMEOUT=2 DISTCC_HOSTS="127.0.0.1:$slow_PORT" \
  "$DCC" gcc-slow -O2 -c util.c -o slow.o 2>err.txt
check "hung server: fell back within the I/O timeout" test $((SECONDS - start)) -le 10
check "hung server: local result correct" cmp slow.o local_util.o
check "hung server: warning says it timed out" grep -q "timed out" err.txt
check "hung server: daemon noticed the client left" wait_for 10 grep -q CLI_DISCONN "$slow_LOG"
check "hung server: orphaned compiler killed" wait_for 10 bash -c "! pgrep -f 'sleep 31[.]25' >/dev/null"

finish
