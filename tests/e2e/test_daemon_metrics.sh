#!/usr/bin/env bash
# distccd --stats: the Prometheus page (GET /metrics) scraped during a build, its counters after
# jobs that succeed, fail and are refused for each reason, strict exposition-format checks; 3.4's
# text page on "/" and for a bare connection; and the daemon's log: one 3.4-style summary line per
# job, one line saying why for every refusal, --log-level and --log-stderr.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
export LC_ALL=C
command -v python3 >/dev/null || skip_test "python3 is needed for the HTTP client and the format checker"
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
gcc -O2 -c util.c -o local_util.o

# scrape.py PORT PATH [SOURCE_ADDRESS]: the whole HTTP response ("" as PATH: connect and send
# nothing, as a bare `nc` would). check.py FILE: strict text-format 0.0.4 check of a /metrics
# response; prints every sample as "name{labels} value", one per line.
cat >"$TEST_DIR/scrape.py" <<'PY'
import socket, sys
port, path = int(sys.argv[1]), sys.argv[2]
s = socket.socket()
if len(sys.argv) > 3:
    s.bind((sys.argv[3], 0))
s.settimeout(10)
s.connect(("127.0.0.1", port))
if path:
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test\r\n\r\n".encode())
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode())
PY
cat >"$TEST_DIR/check.py" <<'PY'
import re, sys
raw = open(sys.argv[1], newline="").read()
head, sep, body = raw.partition("\r\n\r\n")
errors = []
if not sep:
    sys.exit("no end of HTTP header")
headers = head.split("\r\n")
if headers[0] != "HTTP/1.0 200 OK":
    errors.append(f"status line {headers[0]!r}")
if "Content-Type: text/plain; version=0.0.4" not in headers[1:]:
    errors.append(f"content type missing in {headers!r}")
length = [h for h in headers if h.startswith("Content-Length: ")]
if not length or int(length[0].split(": ")[1]) != len(body.encode()):
    errors.append("Content-Length does not match the body")
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
VALUE = r"[-+]?(?:[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|Inf|NaN)"
help_re = re.compile(rf"# HELP ({NAME}) (.+)")
type_re = re.compile(rf"# TYPE ({NAME}) (counter|gauge|histogram|summary|untyped)")
sample_re = re.compile(rf"({NAME})(\{{{LABEL}(?:,{LABEL})*\}})? ({VALUE})")
families, series, current, ctype = {}, {}, None, None
if not body.endswith("\n"):
    errors.append("body does not end with a newline")
for n, line in enumerate(body.split("\n")[:-1], 1):
    if m := help_re.fullmatch(line):
        if m[1] in families:
            errors.append(f"line {n}: family {m[1]} twice")
        current, ctype = m[1], None
        families[current] = {"help": m[2], "type": None}
    elif m := type_re.fullmatch(line):
        if m[1] != current or families[current]["type"]:
            errors.append(f"line {n}: TYPE without its HELP: {line}")
        else:
            ctype = families[current]["type"] = m[2]
    elif m := sample_re.fullmatch(line):
        name, labels = m[1], m[2] or ""
        allowed = {current} | ({current + s for s in ("_bucket", "_sum", "_count")} if ctype == "histogram" else set())
        if current is None or ctype is None or name not in allowed:
            errors.append(f"line {n}: sample {name} outside its family ({current})")
        key = name + labels
        if key in series:
            errors.append(f"line {n}: series {key} twice")
        series[key] = float(m[3])
    else:
        errors.append(f"line {n}: not exposition format: {line!r}")
for name, f in families.items():
    if not name.startswith("distccd_"):
        errors.append(f"{name}: not prefixed distccd_")
    if (f["type"] == "counter") != name.endswith("_total"):
        errors.append(f"{name}: a {f['type']} {'must' if f['type'] == 'counter' else 'must not'} end in _total")
    if f["type"] == "histogram":
        buckets = [(k, v) for k, v in series.items() if k.startswith(name + "_bucket{")]
        les = [float(re.search(r'le="([^"]*)"', k)[1].replace("+Inf", "inf")) for k, _ in buckets]
        counts = [v for _, v in buckets]
        if les != sorted(les) or les[-1] != float("inf"):
            errors.append(f"{name}: le bounds not ascending to +Inf: {les}")
        if counts != sorted(counts):
            errors.append(f"{name}: buckets not cumulative: {counts}")
        if counts[-1] != series.get(name + "_count"):
            errors.append(f"{name}: +Inf bucket {counts[-1]} != _count {series.get(name + '_count')}")
        if name + "_sum" not in series:
            errors.append(f"{name}: no _sum")
if errors:
    sys.exit("\n".join(errors))
for key, value in series.items():
    print(key, repr(value) if value != int(value) else int(value))
PY

# metric FILE 'name{labels}': one value of a checked scrape.
metric() { awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print "missing" }' "$1"; }
scrape_metrics() {  # scrape_metrics OUT: scrape /metrics, check it strictly, samples into OUT
  python3 "$TEST_DIR/scrape.py" "$stats_port" /metrics >"$1.http" && python3 "$TEST_DIR/check.py" "$1.http" >"$1"
}

# The compiler the daemon allows (DISTCC_CMDLIST names only it): on the server it waits until the
# test releases it, so jobs are running when the page is scraped, and records how long it ran.
mkdir -p "$TEST_DIR/fakebin"
cat >"$TEST_DIR/fakebin/gcc-slow" <<'SH'
#!/bin/sh
if [ -n "$FAKE_SERVER_SIDE" ]; then
  start=$(date +%s.%N)
  n=0
  while [ ! -e "$RELEASE" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done
  gcc "$@"; rc=$?
  echo "$start $(date +%s.%N)" >>"$DURATIONS"
  exit $rc
fi
exec gcc "$@"
SH
chmod 755 "$TEST_DIR/fakebin/gcc-slow"
echo "$TEST_DIR/fakebin/gcc-slow" >"$TEST_DIR/cmdlist"
export PATH="$TEST_DIR/fakebin:$PATH"

stats_port=$(free_port)
RELEASE=$TEST_DIR/release DURATIONS=$TEST_DIR/durations FAKE_SERVER_SIDE=1 DISTCC_CMDLIST=$TEST_DIR/cmdlist \
  start_daemon m --allow 127.0.0.1 -j 3 --stats --stats-port "$stats_port"
export DISTCC_HOSTS="127.0.0.1:$m_PORT/8"

scrape_metrics idle.txt
check "/metrics: idle page parses strictly" test -s idle.txt
check "/metrics: idle: nothing accepted, 3 slots" bash -c "[[ $(metric idle.txt distccd_jobs_accepted_total) == 0 && $(metric idle.txt distccd_job_slots) == 3 ]]"

# Five concurrent jobs on three slots: three run, two wait in the listen backlog.
clients=()
for i in 1 2 3 4 5; do
  "$DCC" gcc-slow -O2 -c util.c -o "slow$i.o" 2>"slow$i.err" &
  clients+=($!)
  PIDS+=($!)
done
busy() { scrape_metrics busy.txt && [[ $(metric busy.txt distccd_jobs_running) == 3 && $(metric busy.txt distccd_queued_connections) == 2 ]]; }
check "/metrics during the build: 3 jobs running, 2 connections queued" wait_for 30 busy
check "/metrics during the build: parses strictly, 3 accepted, none finished" \
  bash -c "[[ $(metric busy.txt distccd_jobs_accepted_total) == 3 && $(metric busy.txt 'distccd_jobs_finished_total{result=\"ok\"}') == 0 ]]"
python3 "$TEST_DIR/scrape.py" "$stats_port" / >busy34.txt
check "3.4 page during the build: dcc_tcp_accept 3, nothing compiled yet" \
  bash -c "grep -q '^dcc_tcp_accept 3$' busy34.txt && grep -q '^dcc_compile_ok 0$' busy34.txt"
touch "$TEST_DIR/release"
failed=0
for pid in "${clients[@]}"; do wait "$pid" || failed=$((failed + 1)); done
check "all five slow jobs succeeded" test "$failed" -eq 0
check "all five objects are right" bash -c 'for i in 1 2 3 4 5; do cmp -s slow$i.o local_util.o || exit 1; done'
check "all five ran on the daemon" count_reaches "$m_LOG" 'info: client: .* COMPILE_OK exit:0 sig:0 core:0 ret:0 time:[0-9]+ms gcc-slow util.c$' 5

# A failing compile, then refusals: a compiler the daemon does not allow, an unsafe argument and
# garbage (raw requests), and a client outside --allow (loopback 127.0.0.3).
"$DCC" gcc-slow -c bad.c -o bad.o 2>bad.err || true
check "failing compile: logged once, exit:1" count_reaches "$m_LOG" 'info: client: .* COMPILE_ERROR exit:1 sig:0 core:0 ret:0 time:[0-9]+ms gcc-slow bad.c$' 1
"$DCC" gcc -O2 -c util.c -o plain.o 2>plain.err
check "disallowed compiler: the client compiled locally" cmp plain.o local_util.o
source "$(dirname "${BASH_SOURCE[0]}")/wire_lib.sh"  # token, arg
gcc -E util.c -o util.i
{ token DIST 1; token ARGC 6; arg gcc-slow; arg -c; arg util.c; arg -o; arg util.o; arg -B/tmp/evil/; token DOTI "$(stat -c %s util.i)"; cat util.i; } >unsafe.bin
send_raw() { python3 - "$m_PORT" "$1" "${2:-127.0.0.1}" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET)
s.bind((sys.argv[3], 0))
s.settimeout(10)
s.connect(("127.0.0.1", int(sys.argv[1])))
try:  # a refused client may find the connection already closed or reset
    s.sendall(open(sys.argv[2], "rb").read())
    s.shutdown(socket.SHUT_WR)
    print(len(s.recv(100)))
except (ConnectionResetError, BrokenPipeError, OSError) as e:
    if e.errno not in (104, 32, 107):
        raise
    print(0)
PY
}
check "unsafe argument: no reply" test "$(send_raw unsafe.bin)" = 0
printf 'HELLO DISTCCD, ARE YOU THERE?\n' >garbage.bin
check "garbage: no reply" test "$(send_raw garbage.bin)" = 0
check "outside --allow: no reply" test "$(send_raw garbage.bin 127.0.0.3)" = 0
check "refusal logged: compiler not allowed, naming it" \
  wait_for 5 grep -q -E 'Warning: client .*: REJ_REFUSED compiler_not_allowed \(x86_64-linux-gnu-gcc util.c\): .*x86_64-linux-gnu-gcc.*DISTCC_CMDLIST' "$m_LOG"
check "refusal logged: the unsafe argument named" wait_for 5 grep -q -E 'REJ_REFUSED unsafe_argument \(gcc-slow util.c\): .*-B/tmp/evil/' "$m_LOG"
check "refusal logged: protocol error showing what arrived" wait_for 5 grep -q -E 'REJ_BAD_REQ protocol_error: .*HELLO DIS' "$m_LOG"
check "refusal logged: access list, naming the client" wait_for 5 grep -q -E 'connection from client .*127\.0\.0\.3.* denied by access list' "$m_LOG"
check "every accepted job has exactly one summary line" count_reaches "$m_LOG" 'info: client: ' 9
check "summary lines carry ret: (113, 101, 109 for the refusals)" bash -c \
  "grep -q -E 'REJ_REFUSED exit:0 sig:0 core:0 ret:113 time:[0-9]+ms x86_64-linux-gnu-gcc util.c$' '$m_LOG' &&
   grep -q -E 'REJ_REFUSED exit:0 sig:0 core:0 ret:101 time:[0-9]+ms gcc-slow util.c$' '$m_LOG' &&
   grep -q -E 'REJ_BAD_REQ exit:0 sig:0 core:0 ret:109 time:[0-9]+ms$' '$m_LOG'"

settled() { scrape_metrics after.txt && [[ $(metric after.txt distccd_jobs_running) == 0 && $(metric after.txt 'distccd_jobs_refused_total{reason="access_denied"}') == 1 ]]; }
check "/metrics after the jobs: parses strictly" wait_for 10 settled
m() { metric after.txt "$1"; }
check "accepted: 5 slow + failing + 3 refused = 9" test "$(m distccd_jobs_accepted_total)" = 9
check "finished: ok 5, compile_error 1, others 0" bash -c "[[ '$(m 'distccd_jobs_finished_total{result="ok"}') $(m 'distccd_jobs_finished_total{result="compile_error"}') $(m 'distccd_jobs_finished_total{result="timeout"}') $(m 'distccd_jobs_finished_total{result="client_gone"}') $(m 'distccd_jobs_finished_total{result="other"}')' == '5 1 0 0 0' ]]"
for reason in access_denied compiler_not_allowed unsafe_argument protocol_error; do
  check "refused for $reason: 1" test "$(m "distccd_jobs_refused_total{reason=\"$reason\"}")" = 1
done
for reason in incomplete_request not_distributable compiler_not_found unsafe_source; do
  check "refused for $reason: 0" test "$(m "distccd_jobs_refused_total{reason=\"$reason\"}")" = 0
done
python3 - after.txt "$TEST_DIR/durations" "$(stat -c %s local_util.o)" >sums.txt 2>&1 <<'PY' || true
import sys
v = {}
for line in open(sys.argv[1]):
    k, x = line.rsplit(" ", 1)
    v[k] = float(x)
finished = sum(x for k, x in v.items() if k.startswith("distccd_jobs_finished_total{"))
refused = sum(x for k, x in v.items() if k.startswith("distccd_jobs_refused_total{") and "access_denied" not in k)
problems = []
if v["distccd_jobs_accepted_total"] != v["distccd_jobs_running"] + finished + refused:
    problems.append(f"accepted {v['distccd_jobs_accepted_total']} != running + finished {finished} + refused {refused}")
h = "distccd_compile_duration_seconds"
ran = v['distccd_jobs_finished_total{result="ok"}'] + v['distccd_jobs_finished_total{result="compile_error"}'] + v['distccd_jobs_finished_total{result="timeout"}']
if v[h + "_count"] != ran:
    problems.append(f"histogram count {v[h + '_count']} != jobs whose compiler ran {ran}")
# The daemon times the compiler from spawn to exit: at least what the wrapper itself measured.
wrapped = [float(b) - float(a) for a, b in (l.split() for l in open(sys.argv[2]))]
if len(wrapped) != ran:
    problems.append(f"{len(wrapped)} wrapper runs, {ran} compiles")
if not sum(wrapped) <= v[h + "_sum"] <= sum(wrapped) + 2.0 * len(wrapped):
    problems.append(f"histogram sum {v[h + '_sum']} vs wrapper total {sum(wrapped)}")
if v[h + '_bucket{le="+Inf"}'] != v[h + "_count"]:
    problems.append("+Inf bucket != count")
if not v["distccd_received_bytes_total"] > 5 * 100 or not v["distccd_sent_bytes_total"] >= 5 * int(sys.argv[3]):
    problems.append(f"bytes in {v['distccd_received_bytes_total']} out {v['distccd_sent_bytes_total']}")
print("\n".join(problems) or "ok")
PY
check "counters add up: accepted = running + finished + refused; histogram count, sum and bytes" grep -qx ok sums.txt || cat sums.txt

# 3.4's page: on "/", on any other path, and for a bare connection that sends nothing.
python3 "$TEST_DIR/scrape.py" "$stats_port" / >root.txt
python3 "$TEST_DIR/scrape.py" "$stats_port" /stats >other.txt
python3 "$TEST_DIR/scrape.py" "$stats_port" "" >bare.txt
for page in root.txt other.txt bare.txt; do
  check "3.4 page ($page): header and every 3.4 field in order" python3 - "$page" <<'PY'
import sys
text = open(sys.argv[1], newline="").read()
head, _, body = text.partition("\r\n\r\n")
assert head.startswith("HTTP/1.0 200 OK") and "Content-Type: text/plain\r\n" in head + "\r\n", head
lines = body.split("\n")
assert lines[0].startswith("argv ") and lines[1] == "<distccstats>" and lines[-2] == "</distccstats>", body
names = [l.split(" ")[0] for l in lines[2:-2]]
want = ("dcc_tcp_accept dcc_rej_bad_req dcc_rej_overload dcc_compile_ok dcc_compile_error dcc_compile_timeout "
        "dcc_cli_disconnect dcc_other dcc_longest_job dcc_longest_job_compiler dcc_longest_job_time_msecs "
        "dcc_max_kids dcc_avg_kids1 dcc_avg_kids2 dcc_avg_kids3 dcc_current_load dcc_load1 dcc_load2 dcc_load3 "
        "dcc_num_compiles1 dcc_num_compiles2 dcc_num_compiles3 dcc_num_procstate_D dcc_max_RSS dcc_max_RSS_name "
        "dcc_io_rate dcc_free_space").split()
assert names == want, names
PY
  check "3.4 page ($page): the jobs counted" bash -c "grep -q '^dcc_tcp_accept 9$' $page && grep -q '^dcc_compile_ok 5$' $page &&
    grep -q '^dcc_compile_error 1$' $page && grep -q '^dcc_rej_bad_req 4$' $page && grep -q '^dcc_max_kids 3$' $page &&
    grep -q '^dcc_longest_job util.c$' $page && grep -q '^dcc_longest_job_compiler gcc-slow$' $page &&
    grep -q -E '^dcc_free_space [0-9]+ MB$' $page && grep -q '^dcc_num_compiles1 6$' $page"
done
# Debian's distccd 3.4 prints the same fields in the same order.
if [[ -x $STOCK_DISTCCD ]]; then
  stock_stats=$(free_port)
  start_stock_daemon stock --allow 127.0.0.1 --stats --stats-port "$stock_stats"
  wait_for 10 python3 "$TEST_DIR/scrape.py" "$stock_stats" / >stock34.txt
  fields() { sed -n '/<distccstats>/,/<\/distccstats>/p' "$1" | awk '{ print $1 }'; }
  check "3.4 page: the same field names, in the same order, as Debian's distccd 3.4" diff <(fields stock34.txt) <(fields root.txt)
fi

# Logging options.
"$DCCD" --daemon --no-detach --port 0 --log-stderr --log-file "$TEST_DIR/unused.log" --log-level info --allow 127.0.0.1 \
  --lifetime 30 2>"$TEST_DIR/stderr_only.log" &
PIDS+=($!)
stderr_pid=$!
check "--log-stderr wins over --log-file (as 3.4)" wait_for 10 grep -q "listening on" "$TEST_DIR/stderr_only.log"
check "--log-stderr: the log file is not even created" test ! -e "$TEST_DIR/unused.log"
check "--log-stderr: lines are distccd[PID] LEVEL: text" grep -q -E "^distccd\[$stderr_pid\] notice: listening on" "$TEST_DIR/stderr_only.log"
kill "$stderr_pid"
start_daemon quiet --allow 127.0.0.1 --log-level notice
DISTCC_HOSTS="127.0.0.1:$quiet_PORT" "$DCC" gcc -O2 -c util.c -o quiet.o
# (its job's temp dir is gone; the pump header cache stays while the daemon runs)
check "--log-level notice: the job ran there" bash -c "cmp quiet.o local_util.o && [[ \$(ls '$TMPDIR' | grep -v '^distccd-headers-') == '' ]]"
m_PORT=$quiet_PORT send_raw garbage.bin >/dev/null
check "--log-level notice: refusals still say why" wait_for 5 grep -q 'Warning: client .*: REJ_BAD_REQ protocol_error' "$quiet_LOG"
check "--log-level notice: no per-job info lines" bash -c "! grep -q 'info: client:' '$quiet_LOG'"

finish
