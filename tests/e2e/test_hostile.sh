#!/usr/bin/env bash
# A hostile client against our daemon: CVE-2004-2687 payloads, the -wrapper bypass, and malformed
# streams. Each must be refused and logged with the client address and the reason, must not run
# anything or write anything, and the next honest client must be served normally.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
export LC_ALL=C

DISTCC_IO_TIMEOUT=2 start_daemon d --allow 127.0.0.1 -j 2
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
PWNED=$TEST_DIR/pwned
gcc -O2 -c util.c -o local_util.o

token() { printf '%s%08x' "$1" "$2"; }
arg() { printf 'ARGV%08x%s' "${#1}" "$1"; }
# v1_request ARG...: a complete protocol-1 request with a tiny preprocessed source.
v1_request() {
  local source='int foo(void) { return 0; }'
  token DIST 1
  token ARGC $#
  for a in "$@"; do arg "$a"; done
  printf 'DOTI%08x%s' "${#source}" "$source"
}
# send_raw NAME: sends stdin to the daemon, records what came back in reply_NAME.
send_raw() {
  local name=$1
  exec 3<>"/dev/tcp/127.0.0.1/$d_PORT"
  cat >&3 || true
  timeout 10 cat <&3 >"reply_$name" 2>/dev/null || true
  exec 3>&- 3<&- || true
}
honest_client_served() {
  local before after
  before=$(count_in "$d_LOG" COMPILE_OK)
  DISTCC_HOSTS="127.0.0.1:$d_PORT" "$DCC" gcc -O2 -c util.c -o honest.o 2>/dev/null
  count_reaches "$d_LOG" COMPILE_OK $((before + 1)) && cmp -s honest.o local_util.o
}
# refused NAME PATTERN: no reply bytes, a log line with the client address matching PATTERN,
# nothing written outside the job's temp dir, and the next honest client is served.
refused() {
  local name=$1 pattern=$2
  check "$name: no reply" test ! -s "reply_$name"
  check "$name: logged with client address and reason" wait_for 5 grep -qE "client .*127\.0\.0\.1.*$pattern" "$d_LOG"
  check "$name: nothing was run" test ! -e "$PWNED"
  check "$name: next honest client served" honest_client_served
}

# --- CVE-2004-2687: the compiler is a shell.
v1_request sh -c "touch $PWNED" | send_raw cve_sh
refused cve_sh "REJ_"
v1_request /bin/sh -c x.c -o x.o | send_raw cve_binsh
refused cve_binsh "not allowed"
v1_request sh -c x.c -o x.o | send_raw cve_sh_named
refused cve_sh_named "not allowed"
v1_request "/tmp/../bin/sh" -c x.c -o x.o | send_raw cve_relative
refused cve_relative "is a path"
v1_request "../../bin/sh" -c x.c -o x.o | send_raw cve_dotdot
refused cve_dotdot "is a path"
v1_request "gcc -c x.c; touch $PWNED" -c x.c -o x.o | send_raw cve_spaces
refused cve_spaces "spaces or control"
v1_request "/opt/evil/gcc" -c x.c -o x.o | send_raw abs_path
refused abs_path "is a path"

# --- Flag-based escapes with an allowed compiler (3.4 runs these).
v1_request gcc -c x.c -o x.o -wrapper "/bin/sh,-c,touch $PWNED" | send_raw wrapper
refused wrapper "wrapper"
v1_request gcc -c x.c -o x.o "-fplugin=$TEST_DIR/evil.so" | send_raw plugin
refused plugin "plugin"
v1_request gcc -c x.c -o x.o "-B$TEST_DIR/evilbin" | send_raw dash_b
refused dash_b "-B"
v1_request gcc -c x.c -o x.o "@$TEST_DIR/args" | send_raw atfile
refused atfile "@"
v1_request gcc -c x.c -o x.o -aux-info "$PWNED" | send_raw auxinfo
refused auxinfo "aux-info"

# --- A source that would read a server file into the reply.
incbin_source='int main(void) { __asm__(".incbin \"/etc/passwd\""); return 0; }'
{ token DIST 1; token ARGC 5; arg gcc; arg -c; arg x.c; arg -o; arg x.o; printf 'DOTI%08x%s' "${#incbin_source}" "$incbin_source"; } | send_raw incbin
refused incbin "incbin"

# --- Malformed streams.
printf 'GET / HTTP/1.0\r\nHost: x\r\n\r\n' | send_raw http
refused http "REJ_BAD_REQ.*protocol derailment"
head -c 4096 /dev/urandom | send_raw random
refused random "REJ_BAD_REQ"
{ token DIST 1; token ARGC 4294967295; } | send_raw argc_huge
refused argc_huge "ARGC 4294967295"
{ token DIST 1; token ARGC 5; arg gcc; arg -c; arg x.c; arg -o; arg x.o; token DOTI 4294967295; } | send_raw doti_huge
refused doti_huge "DOTI"
{ token DIST 1; token ARGC 5; arg gcc; arg -c; arg x.c; arg -o; arg x.o; printf 'DOTI00000100short'; } | send_raw truncated
refused truncated "closed after|timed out|deadline"
for v in 4 9999; do
  token DIST "$v" | send_raw "dist_$v"
  refused "dist_$v" "unsupported protocol version $v"
done
{ token DIST 2; token ARGC 5; arg gcc; arg -c; arg x.c; arg -o; arg x.o; printf 'DOTI00000010'; head -c 16 /dev/urandom; } | send_raw corrupt_lzo
refused corrupt_lzo "LZO|DOTI"

# --- A client that connects and says nothing, and one that trickles a byte a second: each holds
#     its process for at most the daemon's I/O timeout (2 s here).
start=$SECONDS
exec 4<>"/dev/tcp/127.0.0.1/$d_PORT"
check "silent client: dropped within the I/O timeout" wait_for 8 grep -qE "REJ_BAD_REQ.*(timed out|deadline)" "$d_LOG"
exec 4>&- 4<&-
slow_before=$(count_in "$d_LOG" "REJ_BAD_REQ.*(timed out|deadline passed)")
(exec 5<>"/dev/tcp/127.0.0.1/$d_PORT"; for c in D I S T 0 0 0 0 0 0 0 1; do printf '%s' "$c" >&5 2>/dev/null || exit 0; sleep 1; done) &
trickler=$!
PIDS+=("$trickler")
trickle_dropped() { test "$(count_in "$d_LOG" "REJ_BAD_REQ.*(timed out|deadline passed)")" -gt "$slow_before"; }
check "trickling client: dropped at the request deadline" wait_for 8 trickle_dropped
check "slow clients cost only seconds" test $((SECONDS - start)) -le 16
check "after slow clients: honest client served" honest_client_served

check "the daemon is still running" kill -0 "$d_PID"
check "no file was created by any payload" test ! -e "$PWNED"
finish
