#!/usr/bin/env bash
# Interoperability with the Debian distcc 3.4 package, protocols 1 and 2, in both directions:
# our client with its daemon, its client with our daemon.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
[[ -x $STOCK_DISTCC && -x $STOCK_DISTCCD ]] || skip_test "Debian distcc 3.4 is not installed (apt-get install distcc)"

start_daemon ours --allow 127.0.0.1
start_stock_daemon theirs --allow 127.0.0.1
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
gcc -O2 -c main.c -o local_main.o
g++ -O2 -c shapes.cpp -o local_shapes.o

# interop CLIENT DAEMON_LOG HOSTS LABEL
interop() {
  local client=$1 daemon_log=$2 hosts=$3 label=$4 before after
  before=$(count_in "$daemon_log" "COMPILE_OK")
  DISTCC_HOSTS=$hosts "$client" gcc -O2 -c main.c -o "c_$label.o"
  DISTCC_HOSTS=$hosts "$client" g++ -O2 -c shapes.cpp -o "cxx_$label.o"
  check "$label: both jobs ran on the daemon" count_reaches "$daemon_log" COMPILE_OK $((before + 2))
  check "$label: C object identical to a local compile" cmp "c_$label.o" local_main.o
  check "$label: C++ object identical to a local compile" cmp "cxx_$label.o" local_shapes.o
}

interop "$DCC" "$theirs_LOG" "127.0.0.1:$theirs_PORT" "ours-to-3.4-v1"
interop "$DCC" "$theirs_LOG" "127.0.0.1:$theirs_PORT,lzo" "ours-to-3.4-v2"
interop "$STOCK_DISTCC" "$ours_LOG" "127.0.0.1:$ours_PORT" "3.4-to-ours-v1"
interop "$STOCK_DISTCC" "$ours_LOG" "127.0.0.1:$ours_PORT,lzo" "3.4-to-ours-v2"

# Options a stock client leaves in the server's command line (it strips -I but not these).
before=$(count_in "$ours_LOG" COMPILE_OK)
DISTCC_HOSTS="127.0.0.1:$ours_PORT,lzo" "$STOCK_DISTCC" gcc --sysroot=/ -iquote . -O2 -c util.c -o sysroot.o
gcc --sysroot=/ -iquote . -O2 -c util.c -o sysroot_local.o
check "3.4 client with --sysroot/-iquote: ran on our daemon" count_reaches "$ours_LOG" COMPILE_OK $((before + 1))
check "3.4 client with --sysroot/-iquote: same object" cmp sysroot.o sysroot_local.o

# A compile error through the stock client: the exit code and diagnostics still come through.
set +e
DISTCC_HOSTS="127.0.0.1:$ours_PORT,lzo" DISTCC_SKIP_LOCAL_RETRY=1 "$STOCK_DISTCC" gcc -c bad.c -o bad.o 2>err.txt
code=$?
set -e
check "3.4 client, our daemon: compile error exit code 1" test "$code" -eq 1
check "3.4 client, our daemon: diagnostics shown" grep -q undefined_variable err.txt
check "3.4 client, our daemon: compile error counted" grep -q COMPILE_ERROR "$ours_LOG"
check "no object for a failed compile" test ! -e bad.o

# With -g through the stock daemon our client's -fdirectives-only keeps the debug info columns.
DISTCC_HOSTS="127.0.0.1:$theirs_PORT,lzo" "$DCC" gcc -O2 -g -c util.c -o g_ours_theirs.o
gcc -O2 -g -c util.c -o g_local.o
check "ours-to-3.4 -g: code and debug info identical apart from the producer" same_code_and_debug_info g_ours_theirs.o g_local.o

finish
