#!/usr/bin/env bash
# Our client in pump mode (protocol 3), given the include server's answer through
# INCLUDE_SERVER_STUB (distcc 3.4's test hook; our own include server is still to come): against
# our daemon and against the stock 3.4 daemon, objects and .d files equal a local compile's.
# When pump mode is unavailable (no include server, or it gives up) the job is preprocessed here
# and still goes to the same host in plain mode, saying why; with DISTCC_FALLBACK=0 that is an error.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
source "$(dirname "${BASH_SOURCE[0]}")/pump_lib.sh"

start_daemon ours --allow 127.0.0.1
make_pump_project "$TEST_DIR/proj"
P=$TEST_DIR/proj
cd "$P"
gcc -g -O2 -I"$P/lib" -c hello.c -o local_hello.o -MD -MF local_hello.d
gcc -O2 -I"$P/lib" -c hello.c -o local_hello_nog.o
g++ -g -O2 -c shapes.cpp -o local_shapes.o

C_STUB=$(stub_files "$P/hello.c" "$P/inc/h.h" "$P/lib/lib.h" "$P/linked" "$P/real/r.h")
CXX_STUB=$(stub_files "$P/shapes.cpp" "$P/inc/h.h")
pump() {  # pump HOSTS "stub" compiler args...
  local hosts=$1 stub=$2; shift 2
  DISTCC_HOSTS=$hosts INCLUDE_SERVER_STUB=$stub DISTCC_FALLBACK=0 DISTCC_VERBOSE=1 "$DCC" "$@" 2>>client.log
}

OURS="127.0.0.1:$ours_PORT,cpp,lzo"
before=$(count_in "$ours_LOG" COMPILE_OK)
check "C -g -MD through our daemon" pump "$OURS" "$C_STUB" gcc -g -O2 -I"$P/lib" -c hello.c -o hello.o -MD
check "C: ran on our daemon" count_reaches "$ours_LOG" COMPILE_OK $((before + 1))
check "C: sent as protocol 3" grep -q -E "compile hello.c on 127.0.0.1:$ours_PORT: .* received \(protocol 3\)" client.log
check "C -g: object byte-identical to a local compile" cmp hello.o local_hello.o
check "C: .d identical to a local compile's" cmp hello.d <(sed 's/^local_hello\.o:/hello.o:/' local_hello.d)
check "C++ -g through our daemon" pump "$OURS" "$CXX_STUB" g++ -g -O2 -c shapes.cpp -o shapes.o
check "C++ -g: object byte-identical" cmp shapes.o local_shapes.o

if [[ -x $STOCK_DISTCCD ]]; then
  start_stock_daemon theirs --allow 127.0.0.1
  THEIRS="127.0.0.1:$theirs_PORT,cpp,lzo"
  check "C through the 3.4 daemon in pump mode" pump "$THEIRS" "$C_STUB" gcc -O2 -I"$P/lib" -c hello.c -o hello_34.o
  check "3.4 daemon: received protocol 3" wait_for 5 grep -q "protover 3\|protocol.*3\|CDIR" "$theirs_LOG"
  check "3.4 daemon: object identical without -g (3.4 leaves its root in DWARF 5)" cmp hello_34.o local_hello_nog.o
else
  log "Debian distcc 3.4 not installed: the 3.4-daemon half is not run"
fi

# No include server: plain mode on the same host, with the reason.
before=$(count_in "$ours_LOG" COMPILE_OK)
DISTCC_HOSTS=$OURS INCLUDE_SERVER_PORT=$TEST_DIR/no_socket "$DCC" gcc -g -O2 -I"$P/lib" -c hello.c -o plain.o 2>plain.err
check "no include server: still compiled on the host" count_reaches "$ours_LOG" COMPILE_OK $((before + 1))
check "no include server: the warning says why" grep -q "pump mode is unavailable for hello.c, preprocessing locally: cannot reach the include server" plain.err
set +e
DISTCC_HOSTS=$OURS INCLUDE_SERVER_PORT=$TEST_DIR/no_socket DISTCC_FALLBACK=0 "$DCC" gcc -O2 -c hello.c -I"$P/lib" -o nofallback.o 2>nofallback.err
code=$?
set -e
check "no include server, DISTCC_FALLBACK=0: an error" test "$code" -ne 0
check "no include server, DISTCC_FALLBACK=0: no object" test ! -e nofallback.o
check "no include server, DISTCC_FALLBACK=0: the message says why" grep -q "pump mode is unavailable" nofallback.err

# An include server that gives up (answers no files): plain mode, said only with DISTCC_VERBOSE.
python3 - "$TEST_DIR/is.sock" <<'PY' &
import os, socket, sys
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(4)
for _ in range(2):
    c, _ = s.accept()
    c.settimeout(0.5)
    try:
        while c.recv(4096):  # the whole query, until the client waits for the answer
            pass
    except socket.timeout:
        pass
    c.sendall(b"ARGC00000000")
    c.close()
PY
PIDS+=($!)
wait_for 5 test -S "$TEST_DIR/is.sock"
DISTCC_HOSTS=$OURS INCLUDE_SERVER_PORT=$TEST_DIR/is.sock DISTCC_VERBOSE=1 "$DCC" gcc -O2 -I"$P/lib" -c hello.c -o gaveup.o 2>gaveup.err
check "include server gave up: compiled" cmp gaveup.o local_hello_nog.o
check "include server gave up: DISTCC_VERBOSE says why" grep -q "the include server gave up on this command" gaveup.err
DISTCC_HOSTS=$OURS INCLUDE_SERVER_PORT=$TEST_DIR/is.sock "$DCC" gcc -O2 -I"$P/lib" -c hello.c -o gaveup2.o 2>gaveup2.err
check "include server gave up: silent without DISTCC_VERBOSE" test ! -s gaveup2.err

finish
