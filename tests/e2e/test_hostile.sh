#!/usr/bin/env bash
# A hostile client against our daemon: CVE-2004-2687 payloads, the -wrapper bypass, options that
# read or write files elsewhere, and malformed streams. Each must be refused and logged with the
# client address and the reason, must not run anything, write anything outside the job's temp dir
# or send back any server file, and the next honest client must be served normally.
#
# Memory per connection (src/common/protocol.h ProtocolLimits; one worker serves one connection at
# a time, so the daemon holds at most -j of these): arguments at most 4 MiB (ARGC up to 10000,
# each ARGV up to 128 KiB), a DOTI body up to 256 MiB on the wire plus up to 512 MiB decompressed,
# and nothing is allocated for a length until its bytes arrive, which must all happen within the
# I/O timeout (DISTCC_IO_TIMEOUT, 2 s here, 300 s by default) for the whole request. Pump-mode
# files are decompressed one at a time and go to disk (2 GiB per job). The streamed-argument
# cases below check the workers' peak RSS.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
export LC_ALL=C

# The daemon runs with a private working directory and TMPDIR, so anything a payload makes it or
# the compiler write relative to either shows up there; payloads aim at OUTSIDE (writable by the
# daemon's user, so a write would succeed) and at /tmp names starting with $MARK. SECRET_FILE is a
# server file no reply may contain.
IO_TIMEOUT=2
DAEMON_CWD=$TEST_DIR/daemon_cwd
DAEMON_TMP=$TEST_DIR/daemon_tmp
OUTSIDE=$TEST_DIR/outside
mkdir -p "$DAEMON_CWD" "$DAEMON_TMP" "$OUTSIDE"
chmod 1777 "$DAEMON_CWD" "$DAEMON_TMP" "$OUTSIDE"
MARK=dcc_hostile_$$_
SECRET="server-secret-$RANDOM$RANDOM-must-not-leave"
SECRET_FILE=$OUTSIDE/secret
echo "$SECRET" >"$SECRET_FILE"
chmod 644 "$SECRET_FILE"
STAMP=$TEST_DIR/stamp
LOG_MARK=$TEST_DIR/log_mark.log  # *.log: not taken for a file a payload wrote
cleanup_marked() { rm -rf /tmp/"$MARK"*; }
trap 'cleanup_marked; cleanup' EXIT

cd "$DAEMON_CWD"
TMPDIR=$DAEMON_TMP DISTCC_IO_TIMEOUT=$IO_TIMEOUT start_daemon d --allow 127.0.0.1 -j 2
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
PWNED=$TEST_DIR/pwned
gcc -O2 -c util.c -o local_util.o

source "$(dirname "${BASH_SOURCE[0]}")/wire_lib.sh"  # token, arg, v1_request
# send_raw NAME: sends stdin to the daemon, records what came back in reply_NAME. Marks the log
# and the file system first, so the checks below look only at what this connection caused.
send_raw() {
  local name=$1
  # (It runs on the right of a pipe, in a subshell: the mark goes to a file.)
  wc -l <"$d_LOG" >"$LOG_MARK"
  touch "$STAMP"
  exec 3<>"/dev/tcp/127.0.0.1/$d_PORT"
  cat >&3 2>/dev/null || true
  timeout 10 cat <&3 >"reply_$name" 2>/dev/null || true
  exec 3>&- 3<&- || true
}
logged_since_mark() { tail -n +$(($(cat "$LOG_MARK") + 1)) "$d_LOG" | grep -qE "$1"; }
# Files a payload could have written: anything new in the test dir (which holds the daemon's cwd
# and TMPDIR) but the test's own replies and logs, any new directory there, anything left in the
# daemon's cwd or TMPDIR (the job's temp dir must be gone), and any /tmp name the payloads chose
# (/tmp is shared with other tests, so only those are looked for there).
escaped_files() {
  find "$TEST_DIR" -newer "$STAMP" ! -type d ! -name '*.log' ! -name 'reply_*'
  find "$TEST_DIR" -mindepth 1 -newer "$STAMP" -type d ! -path "$DAEMON_TMP" ! -path "$TEST_DIR/src"
  find "$DAEMON_CWD" "$DAEMON_TMP" -mindepth 1 ! -path "$DAEMON_TMP/distccd-headers-*"  # the pump header cache lives with the daemon
  find /tmp -maxdepth 1 -name "$MARK*"
}
no_escaped_files() { test -z "$(escaped_files)"; }
nothing_escaped() {
  wait_for 5 no_escaped_files && return 0
  log "written outside the job's temp dir: $(escaped_files | tr '\n' ' ')"
  return 1
}
no_secret_in() { ! grep -qF "$SECRET" "$1"; }
honest_client_served() {
  local before after
  before=$(count_in "$d_LOG" COMPILE_OK)
  DISTCC_HOSTS="127.0.0.1:$d_PORT" "$DCC" gcc -O2 -c util.c -o honest.o 2>/dev/null
  count_reaches "$d_LOG" COMPILE_OK $((before + 1)) && cmp -s honest.o local_util.o
}
# refused NAME PATTERN: no reply bytes, a log line for this connection with the client address
# matching PATTERN, nothing run or written outside the job's temp dir, no server file sent back,
# and the next honest client is served.
refused() {
  local name=$1 pattern=$2
  check "$name: no reply" test ! -s "reply_$name"
  check "$name: logged with client address and reason" wait_for 5 logged_since_mark "client .*127\.0\.0\.1.*$pattern"
  check "$name: nothing was run" test ! -e "$PWNED"
  check "$name: nothing written outside the job's temp dir" nothing_escaped
  check "$name: next honest client served" honest_client_served
}
# served NAME: a harmless request (the daemon replaces the client's -o with its own temp file):
# compiled, its object sent back, nothing written where the client asked or anywhere else outside
# the job's temp dir, and that dir removed.
served() {
  local name=$1 version=${2:-1}
  check "$name: served with exit status 0" test "$(head -c 24 "reply_$name")" = "$(token DONE "$version")$(token STAT 0)"
  check "$name: the object came back" grep -qa "DOTO.*ELF" "reply_$name"
  check "$name: logged as compiled" wait_for 5 logged_since_mark "client: .*127\.0\.0\.1.* COMPILE_OK "
  check "$name: nothing written outside the job's temp dir, which is gone" nothing_escaped
  check "$name: no server file in the reply" no_secret_in "reply_$name"
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

# --- A NUL byte in the compiler name ("gcc\0x" would be "gcc" to a C string comparison).
{ token DIST 1; token ARGC 5; printf 'ARGV%08x' 5; printf 'gcc\0x'; arg -c; arg x.c; arg -o; arg x.o
  printf 'DOTI%08x%s' 4 'int;'; } | send_raw cve_nul
refused cve_nul "REJ_REFUSED compiler_not_allowed.*gcc.x00x.*control characters"

# --- Flag-based escapes with an allowed compiler (3.4 runs these).
v1_request gcc -c x.c -o x.o -wrapper "/bin/sh,-c,touch $PWNED" | send_raw wrapper
refused wrapper "wrapper"
v1_request gcc -c x.c -o x.o "-fplugin=$TEST_DIR/evil.so" | send_raw plugin
refused plugin "plugin"
v1_request gcc -c x.c -o x.o "-B$TEST_DIR/evilbin" | send_raw dash_b
refused dash_b "-B"
v1_request gcc -c x.c -o x.o "@$SECRET_FILE" | send_raw atfile
refused atfile "@"
v1_request gcc -c x.c -o x.o -aux-info "$PWNED" | send_raw auxinfo
refused auxinfo "aux-info"
v1_request gcc -c x.c -o x.o "-specs=$SECRET_FILE" | send_raw specs
refused specs "REJ_REFUSED .*specs"
v1_request gcc -c x.c -o x.o "--specs=$OUTSIDE/evil.specs" | send_raw specs_long
refused specs_long "REJ_REFUSED .*specs"
v1_request gcc -c x.c -o x.o -include "$SECRET_FILE" | send_raw include
refused include "REJ_REFUSED .*-include"

# --- Options that write files of their own (dumps, profiles, dependency files, intermediate and
#     extra outputs), aimed outside the job's temp dir or left to land beside its output. Each
#     entry: a name, the pattern its refusal must log, then the options. (The daemon applies the
#     client's rules first, which turn -Wp,-MD,FILE into -MD -MF FILE, as 3.4's do.)
while IFS='|' read -r name pattern options; do
  eval "opts=($options)"
  v1_request gcc -c x.c -o x.o "${opts[@]}" | send_raw "$name"
  refused "$name" "REJ_REFUSED .*$pattern"
done <<EOF_CASES
dump_tree|-fdump-tree-all|-fdump-tree-all
dump_tree_path|-fdump-tree-all=|"-fdump-tree-all=$OUTSIDE/dump"
dump_rtl_tmp|-fdump-rtl-final=|"-fdump-rtl-final=/tmp/${MARK}rtl"
dump_ipa|-fdump-ipa-all|-fdump-ipa-all
dump_da|"-da"|-da
opt_info|-fopt-info|"-fopt-info-all=$OUTSIDE/opt"
profile_generate|profil|"-fprofile-generate=$OUTSIDE/prof"
profile_arcs|profil|-fprofile-arcs
profile_dir|profil|"-fprofile-dir=/tmp/${MARK}prof"
profile_use|profil|"-fprofile-use=$SECRET_FILE"
test_coverage|profil|-ftest-coverage
coverage|profil|--coverage
dep_md|-MD|-MD
dep_mmd_mf|-MMD|-MMD -MF "$OUTSIDE/x.d"
dep_mf_joined|-MF|"-MF$OUTSIDE/x.d" -MD
dep_mf_relative|-MD|-MD -MF ../../outside/x.d
dep_wp|-MD|"-Wp,-MD,$OUTSIDE/x.d"
dep_wa|-Wa,|"-Wa,--MD,$OUTSIDE/x.d"
listing_wa|-Wa,|"-Wa,-adhln=$OUTSIDE/listing"
save_temps|save-temps|-save-temps
save_temps_obj|save-temps|-save-temps=obj
save_temps_cwd|save-temps|-save-temps=cwd
dumpdir|-dumpdir|-dumpdir "$OUTSIDE/"
dumpbase|-dumpbase|-dumpbase "/tmp/${MARK}base"
stack_usage|-fstack-usage|-fstack-usage
callgraph_info|-fcallgraph-info|-fcallgraph-info
callgraph_info_su|-fcallgraph-info|-fcallgraph-info=su,da
split_dwarf|split-dwarf|-gsplit-dwarf
sarif_file|sarif-file|-fdiagnostics-format=sarif-file
second_output|more than one output|-o "$OUTSIDE/second.o"
EOF_CASES

# --- -o outside the temp dir, as the only -o: harmless, because the daemon replaces the first -o
#     with its own temp file (as 3.4 does). The object must come back in the reply and appear
#     nowhere else. -frecord-gcc-switches only adds a section to the object.
v1_request gcc -c x.c -o "$OUTSIDE/abs.o" | send_raw output_absolute
served output_absolute
v1_request gcc -c x.c -o "/tmp/${MARK}abs.o" | send_raw output_tmp
served output_tmp
v1_request gcc -c x.c -o ../../outside/rel.o | send_raw output_relative
served output_relative
v1_request gcc -c x.c "-o$OUTSIDE/joined.o" | send_raw output_joined
served output_joined
v1_request gcc -c x.c -o x.o -frecord-gcc-switches | send_raw record_switches
served record_switches
check "record_switches: the switches are in the object" grep -qa "GCC.command.line" reply_record_switches

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
# DIST 0 is protocol 1 to distcc 3.4 (facts: it replies DONE00000000), so it is served, but only
# like protocol 1: its body is checked the same way.
for v in 4 9999; do
  token DIST "$v" | send_raw "dist_$v"
  refused "dist_$v" "unsupported protocol version $v"
done
token DIST 0 | send_raw dist_0_alone
refused dist_0_alone "REJ_BAD_REQ.*ARGC"
{ token DIST 0; v1_request sh -c "touch $PWNED" | tail -c +13; } | send_raw dist_0_shell
refused dist_0_shell "REJ_REFUSED"
{ token DIST 0; v1_request gcc -c x.c -o "$OUTSIDE/dist0.o" | tail -c +13; } | send_raw dist_0_honest
served dist_0_honest 0
{ token DIST 2; token ARGC 5; arg gcc; arg -c; arg x.c; arg -o; arg x.o; printf 'DOTI00000010'; head -c 16 /dev/urandom; } | send_raw corrupt_lzo
refused corrupt_lzo "LZO|DOTI"

# --- ARGC in the millions with real ARGV items streamed after it: refused at the count, before a
#     single item is read or stored; the sender's writes fail once the kernel's socket buffers
#     are full, long before its 45 MB are out. Then ARGC at the limit (10000) with items of the
#     largest size (128 KiB): refused when their total passes 4 MiB, after about 32 items.
# bytes_sent: what dd managed to write to the daemon before the connection broke.
bytes_sent() { sed -n 's/^\([0-9]*\) bytes.*/\1/p' "$TEST_DIR/dd_$1.log" | tail -1; }
send_counted() {
  local name=$1
  wc -l <"$d_LOG" >"$LOG_MARK"
  touch "$STAMP"
  exec 3<>"/dev/tcp/127.0.0.1/$d_PORT"
  # SIGPIPE ignored: dd must see the write error and report how much it wrote.
  (trap '' PIPE; exec dd bs=64k iflag=fullblock 2>"$TEST_DIR/dd_$name.log" >&3) || true
  timeout 10 cat <&3 >"reply_$name" 2>/dev/null || true
  exec 3>&- 3<&- || true
}
streamed=$((3000000 * 15))
# (The writer is cut off by design: the pipeline's status is not the test's.)
{ token DIST 1; token ARGC 3000000; yes ARGV00000003-O2 | tr -d '\n' | head -c $streamed; } 2>/dev/null |
  send_counted argc_stream || true
refused argc_stream "REJ_BAD_REQ protocol_error: ARGC 3000000 is outside 1..10000"
sent=$(bytes_sent argc_stream)
log "argc_stream: $sent of $((streamed + 24)) bytes written before the daemon closed the connection"
check "argc_stream: cut off long before the end" test "${sent:-$streamed}" -lt $((streamed / 2))
# 40 items, prepared beforehand so that they arrive well within the 2 s request deadline even on
# a loaded machine: a daemon without the total limit would wait for the other 9960 and log a
# deadline instead.
items=$TEST_DIR/items
for ((i = 0; i < 40; i++)); do printf 'ARGV%08x' 131072; head -c 131072 /dev/zero | tr '\0' x; done >"$items"
{ token DIST 1; token ARGC 10000; cat "$items"; } 2>/dev/null | send_raw argc_stream_at_limit || true
refused argc_stream_at_limit "REJ_BAD_REQ protocol_error: arguments exceed the limit of 4194304 bytes"
# A worker's peak memory (VmHWM, which only grows) stays near the 4 MiB argument limit.
if grep -q __asan_init "$DCCD"; then WORKER_BOUND_KIB=$((128 * 1024)); else WORKER_BOUND_KIB=$((32 * 1024)); fi
worker_peak_kib() {
  local c max=0 v
  for c in $(pgrep -P "$d_PID"); do
    v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$c/status")
    if ((v > max)); then max=$v; fi
  done
  echo "$max"
}
peak=$(worker_peak_kib)
log "workers' peak RSS after the streamed arguments: $((peak / 1024)) MiB"
check "workers' peak RSS stays under $((WORKER_BOUND_KIB / 1024)) MiB" test "$peak" -lt "$WORKER_BOUND_KIB"

# --- A client that connects and says nothing, and one that trickles a byte a second: each holds
#     its process for at most the daemon's I/O timeout (2 s here).
slow_dropped() { test "$(count_in "$d_LOG" "REJ_BAD_REQ.*(timed out|deadline passed)")" -gt "$1"; }
start=$SECONDS
slow_before=$(count_in "$d_LOG" "REJ_BAD_REQ.*(timed out|deadline passed)")
exec 4<>"/dev/tcp/127.0.0.1/$d_PORT"
check "silent client: dropped within the I/O timeout" wait_for 8 slow_dropped "$slow_before"
exec 4>&- 4<&-
slow_before=$(count_in "$d_LOG" "REJ_BAD_REQ.*(timed out|deadline passed)")
(exec 5<>"/dev/tcp/127.0.0.1/$d_PORT"; for c in D I S T 0 0 0 0 0 0 0 1; do printf '%s' "$c" >&5 2>/dev/null || exit 0; sleep 1; done) &
trickler=$!
PIDS+=("$trickler")
check "trickling client: dropped at the request deadline" wait_for 8 slow_dropped "$slow_before"
check "slow clients cost only seconds" test $((SECONDS - start)) -le 16
check "after slow clients: honest client served" honest_client_served

# --- Both job slots (-j 2) taken by a silent and a trickling client: an honest client waits in
#     the listen queue only until the I/O timeout frees a slot, and is served after both are
#     dropped.
slow_before=$(count_in "$d_LOG" "REJ_BAD_REQ.*(timed out|deadline passed)")
ok_before=$(count_in "$d_LOG" "COMPILE_OK")
start=$SECONDS
exec 6<>"/dev/tcp/127.0.0.1/$d_PORT"
(exec 7<>"/dev/tcp/127.0.0.1/$d_PORT"; for c in D I S T 0 0 0 0 0 0 0 1; do printf '%s' "$c" >&7 2>/dev/null || exit 0; sleep 0.5; done) &
PIDS+=("$!")
check "slots held: honest client served" honest_client_served
elapsed=$((SECONDS - start))
exec 6>&- 6<&-
log "slots held by slow clients: the honest client was served after $elapsed s (I/O timeout $IO_TIMEOUT s)"
check "slots held: served within the I/O timeout plus 10 s" test "$elapsed" -le $((IO_TIMEOUT + 10))
# The log order proves both slots were busy: one slow client was dropped before the job ran.
first_compile=$(grep -n -E "COMPILE_OK" "$d_LOG" | sed -n "$((ok_before + 1))p" | cut -d: -f1)
first_drop=$(grep -n -E "REJ_BAD_REQ.*(timed out|deadline passed)" "$d_LOG" | sed -n "$((slow_before + 1))p" | cut -d: -f1)
check "slots held: a slow client was dropped before the honest job ran" test -n "$first_drop" -a "${first_drop:-0}" -lt "${first_compile:-0}"
check "slots held: both slow clients were dropped" wait_for 8 slow_dropped $((slow_before + 1))

check "the daemon is still running" kill -0 "$d_PID"
check "no file was created by any payload" test ! -e "$PWNED"
finish
