#!/usr/bin/env bash
# Our daemon serving protocol 3 (pump mode): the stock distcc 3.4 client sends the source and
# headers (fed through its INCLUDE_SERVER_STUB test hook, since 3.4's Python include server no
# longer starts on current Python), our daemon mirrors them under a per-job root and compiles
# there; objects and .d files must equal a local compile's. Then hostile protocol-3 requests
# (traversal, symlink escapes, oversized counts, a 4 GiB file, a header-cache upload that is not
# what was offered) must be refused without writing or caching anything
# outside the job's root, and the daemon must go on serving honest clients.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
[[ -x $STOCK_DISTCC ]] || skip_test "Debian distcc 3.4 is not installed (apt-get install distcc)"
source "$(dirname "${BASH_SOURCE[0]}")/pump_lib.sh"

DAEMON_TMP=$TEST_DIR/daemon_tmp
mkdir -p "$DAEMON_TMP" && chmod 1777 "$DAEMON_TMP"
TMPDIR=$DAEMON_TMP start_daemon ours --allow 127.0.0.1

make_pump_project "$TEST_DIR/proj"
P=$TEST_DIR/proj

HOSTS="127.0.0.1:$ours_PORT,cpp,lzo"
cd "$P"
pump_34() {  # pump_34 "stub file list" compiler args...
  local stub=$1; shift
  DISTCC_HOSTS=$HOSTS INCLUDE_SERVER_PORT=$TEST_DIR/no_socket INCLUDE_SERVER_STUB=$stub DISTCC_FALLBACK=0 \
    "$STOCK_DISTCC" "$@" 2>>"$TEST_DIR/client.stderr"
}

C_STUB=$(stub_files "$P/hello.c" "$P/inc/h.h" "$P/lib/lib.h" "$P/linked" "$P/real/r.h")
before=$(count_in "$ours_LOG" COMPILE_OK)
check "3.4 pump client, C -g -O2 -MD: compiled" pump_34 "$C_STUB" gcc -g -O2 -I"$P/lib" -c hello.c -o hello.o -MD
gcc -g -O2 -I"$P/lib" -c hello.c -o local_hello.o -MD -MF local_hello.d
check "C: the job ran on our daemon" count_reaches "$ours_LOG" COMPILE_OK $((before + 1))
check "C: the daemon log shows it arrived as protocol 3 with its files" \
  grep -q -E "protocol 3 job hello.c: 4 files and 1 links received" "$ours_LOG"
check "C -g (DWARF 5): object byte-identical to a local compile" cmp hello.o local_hello.o
check "C: .d identical to a local compile's" cmp hello.d <(sed 's/^local_hello\.o:/hello.o:/' local_hello.d)
check "C: no server path in the object" bash -c "! grep -q -a distccd_ hello.o"

CXX_STUB=$(stub_files "$P/shapes.cpp" "$P/inc/h.h")
before=$(count_in "$ours_LOG" COMPILE_OK)
check "3.4 pump client, C++ -g: compiled" pump_34 "$CXX_STUB" g++ -g -O2 -c shapes.cpp -o shapes.o
g++ -g -O2 -c shapes.cpp -o local_shapes.o
check "C++: the job ran on our daemon" count_reaches "$ours_LOG" COMPILE_OK $((before + 1))
check "C++ -g: object byte-identical to a local compile" cmp shapes.o local_shapes.o

BAD_STUB=$(stub_files "$P/bad.c" "$P/inc/h.h")
set +e
DISTCC_SKIP_LOCAL_RETRY=1 pump_34 "$BAD_STUB" gcc -c bad.c -o bad.o 2>bad.err
code=$?
set -e
check "compile error: exit code 1" test "$code" -eq 1
check "compile error: diagnostics reach the client" grep -q undefined_variable "$TEST_DIR/client.stderr"
check "compile error: diagnostics name no server path" bash -c "! grep -q distccd_ '$TEST_DIR/client.stderr'"
check "compile error: no object" test ! -e bad.o

# ---- hostile protocol-3 requests -------------------------------------------------------------
# send_v3 NAME_OF_CASE: crafts a request in python (LINK and empty FILE bodies need no LZO).
send_v3() {
  python3 - "$ours_PORT" "$1" "$TEST_DIR" "$LZO_PACK" <<'PY'
import hashlib, socket, subprocess, sys
port, case, test_dir, lzo_pack = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def lzo(data): return subprocess.run([lzo_pack], input=data, capture_output=True, check=True).stdout
def item(tok, body=b""):
    if isinstance(body, str): body = body.encode()
    return tok.encode() + b"%08x" % len(body) + body
def num(tok, n): return tok.encode() + b"%08x" % n
argv = ["gcc", "-c", "x.c", "-o", "x.o"]
head = num("DIST", 3) + item("CDIR", "/p") + num("ARGC", len(argv)) + b"".join(item("ARGV", a) for a in argv)
up = "../" * 40
entries = {
    "dotdot": [("NAME", "/../../.." + test_dir + "/escape_dotdot"), ("FILE", "")],
    "through_link": [("NAME", "/p/evil"), ("LINK", up + test_dir.lstrip("/")),
                     ("NAME", "/p/evil/escape_link"), ("FILE", "")],
    "link_out": [("NAME", "/p/out"), ("LINK", up + "etc")],
    "two_links": [("NAME", "/a/up"), ("LINK", ".."), ("NAME", "/a/out"), ("LINK", "up/../..")],
    "nul": [("NAME", "/p/a\0b"), ("FILE", "")],
    "long": [("NAME", "/p/" + "x" * 5000), ("FILE", "")],
    "relative": [("NAME", "p/x.c"), ("FILE", "")],
}
if case == "nfil_huge":
    body = head + num("NFIL", 0xffffffff)
elif case == "file_huge":  # a FILE claiming 4 GiB: refused at its header, before any body
    body = head + num("NFIL", 1) + item("NAME", "/p/big.h") + num("FILE", 0xffffffff)
elif case == "forged_upload":  # our header-cache protocol: the upload is not what was offered
    offered, sent = lzo(b"int offered;\n" * 20), lzo(b"int swapped;\n" * 20)
    manifest = head[12:] + num("NFIL", 1) + item("NAME", "/p/x.h") + num("FHSH", 32) + hashlib.sha256(offered).digest()
    body = num("DIST", 0x103) + num("MANI", len(lzo(manifest))) + lzo(manifest) + num("FILE", len(sent)) + sent
elif case == "many_files":
    body = head + num("NFIL", 60000) + b"".join(item("NAME", "/p/f%d" % i) + item("FILE") for i in range(60000))
else:
    e = entries[case]
    body = head + num("NFIL", len(e) // 2) + b"".join(item(t, v) for t, v in e)
s = socket.create_connection(("127.0.0.1", port))
try:
    s.sendall(body)
    s.shutdown(socket.SHUT_WR)
    reply = s.recv(100)
    if case == "forged_upload" and reply.startswith(b"NEED00000001FIDX00000000"):
        # The daemon asked for the offered file (it is not cached); what matters is what follows.
        reply = reply[24:] + s.recv(100)
except OSError:
    reply = b""
sys.exit(0 if reply == b"" else 1)  # a refusal closes without a reply
PY
}

honest_job_after() {
  local before
  before=$(count_in "$ours_LOG" COMPILE_OK)
  pump_34 "$CXX_STUB" g++ -g -O2 -c shapes.cpp -o shapes_again.o && count_reaches "$ours_LOG" COMPILE_OK $((before + 1)) &&
    cmp shapes_again.o local_shapes.o
}

hostile() {  # hostile CASE LOG_PATTERN
  local case=$1 pattern=$2
  check "hostile $case: connection closed without a reply" send_v3 "$case"
  check "hostile $case: refusal logged with the client address and why" \
    wait_for 5 grep -q -E "client \[::ffff:127\.0\.0\.1\]:[0-9]+: REJ_[A-Z_]+ [a-z_]+.*$pattern" "$ours_LOG"
  check "hostile $case: the next honest client is served" honest_job_after
}

hostile dotdot 'escape_dotdot.: contains .\.\..'
hostile through_link '/p/evil/escape_link.: passes through the symlink .evil.'
hostile link_out 'link ./p/out.: points outside the job.s root, to /etc'
hostile two_links 'link ./a/out.: points outside the job.s root'
hostile nul 'contains a NUL byte'
hostile long 'NAME of 5003 bytes exceeds the limit of 4096'
hostile relative 'not an absolute path'
hostile nfil_huge 'NFIL 4294967295 exceeds the limit of 50000 files'
hostile many_files 'NFIL 60000 exceeds the limit'
hostile file_huge 'FILE /p/big.h: 4294967295 bytes exceed the limit'
hostile forged_upload 'FILE /p/x.h does not match the SHA-256 [0-9a-f]{64} the client offered'
check "forged upload: nothing was cached" \
  bash -c "test -z \"\$(find '$DAEMON_TMP'/distccd-headers-* -type f ! -name '.evicting' 2>/dev/null)\""
check "nothing was written outside the job roots" bash -c "test ! -e '$TEST_DIR/escape_dotdot' && test ! -e '$TEST_DIR/escape_link'"
check "every job's temp dir was removed (the header cache stays while the daemon runs)" \
  bash -c "test -z \"\$(ls -A '$DAEMON_TMP' | grep -v '^distccd-headers-')\""
check "our daemon is still running" kill -0 "$ours_PID"

finish
