#!/usr/bin/env bash
# The client's own options and environment: --show-hosts/-j against distcc 3.4, host list
# precedence, TMPDIR/DISTCC_SAVE_TEMPS, UNCACHED_ERR_FD, response files, -march=native,
# compiler-name rewriting, masquerade with the recursion guard.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"

check "--help" bash -c "'$DCC' --help | grep -q DISTCC_HOSTS"
check "--version" bash -c "'$DCC' --version | grep -q 'protocols 1 and 2'"

if [[ -x $STOCK_DISTCC ]]; then
  for list in "a b c" "localhost/3 a:4000/7,lzo b/2:4001 @c/3 [::1]:3633/5,cpp,lzo" "x/3junk y,lzofoo --randomize" \
              "h1
# comment
h2:3633/9" "localhost localhost:3632"; do
    check "--show-hosts matches distcc 3.4 for '${list//$'\n'/ }'" \
      diff <(DISTCC_HOSTS=$list "$DCC" --show-hosts | sort) <(DISTCC_HOSTS=$list "$STOCK_DISTCC" --show-hosts 2>/dev/null | sort)
    check "-j matches distcc 3.4 for '${list//$'\n'/ }'" \
      test "$(DISTCC_HOSTS=$list "$DCC" -j)" = "$(DISTCC_HOSTS=$list "$STOCK_DISTCC" -j 2>/dev/null)"
  done
else
  log "Debian distcc not installed: --show-hosts comparison skipped"
fi

# Host list precedence: DISTCC_HOSTS, then $DISTCC_DIR/hosts.
echo "fromfile/5" >"$DISTCC_DIR/hosts"
check "hosts file used when DISTCC_HOSTS is unset" test "$("$DCC" --show-hosts)" = "fromfile/5"
check "DISTCC_HOSTS wins over the hosts file" test "$(DISTCC_HOSTS=fromenv "$DCC" --show-hosts)" = "fromenv"
rm "$DISTCC_DIR/hosts"

start_daemon d --allow 127.0.0.1
export DISTCC_HOSTS="127.0.0.1:$d_PORT,lzo"
ran_remotely() { count_reaches "$d_LOG" COMPILE_OK "$1"; }

# TMPDIR and DISTCC_SAVE_TEMPS.
mkdir -p "$TEST_DIR/mytmp"
TMPDIR=$TEST_DIR/mytmp DISTCC_SAVE_TEMPS=1 "$DCC" gcc -O2 -c util.c -o saved.o
check "DISTCC_SAVE_TEMPS=1 keeps the preprocessed file in TMPDIR" bash -c "ls '$TEST_DIR'/mytmp/distcc_*/cpp.i"
TMPDIR=$TEST_DIR/mytmp "$DCC" gcc -O2 -c util.c -o unsaved.o
check "without it nothing more is left" test "$(ls "$TEST_DIR/mytmp" | wc -l)" -eq 1
check "both ran remotely" ran_remotely 2

# UNCACHED_ERR_FD: our messages go there (ccache passes its real stderr this way).
DISTCC_HOSTS="127.0.0.1:$(free_port)" UNCACHED_ERR_FD=7 "$DCC" gcc -O2 -c util.c -o uef.o 7>fd7.txt 2>stderr.txt
check "UNCACHED_ERR_FD receives the warning" grep -q "running locally" fd7.txt
check "UNCACHED_ERR_FD: stderr stays clean" test ! -s stderr.txt

# Response files: readable ones are expanded and the job goes remote; unreadable ones run locally.
printf -- '-O2 -c util.c\n-o "resp.o"\n' >args.rsp
"$DCC" gcc @args.rsp
check "@file expanded: ran remotely" ran_remotely 3
gcc -O2 -c util.c -o resp_local.o
check "@file expanded: same object" cmp resp.o resp_local.o
set +e
DISTCC_VERBOSE=1 "$DCC" gcc -O2 -c util.c @missing.rsp -o miss.o 2>err.txt
set -e
check "unreadable @file: ran locally with the reason" bash -c "grep -q 'response file' err.txt && test $(count_in "$d_LOG" COMPILE_OK) -eq 3"

# -march=native is resolved locally and distributed; same object as a local compile.
"$DCC" gcc -O2 -march=native -c util.c -o native.o
gcc -O2 -march=native -c util.c -o native_local.o
check "-march=native: ran remotely" ran_remotely 4
check "-march=native: byte-identical to a local -march=native compile" cmp native.o native_local.o

# Compiler-name rewriting: gcc -> <triple>-gcc as the daemon sees it, unless disabled.
triple=$(gcc -dumpmachine)
"$DCC" gcc -O2 -c util.c -o rw.o
check "gcc rewritten to $triple-gcc" bash -c "tail -1 '$d_LOG' | grep -q ' $triple-gcc util.c'"
DISTCC_NO_REWRITE_CROSS=1 "$DCC" gcc -O2 -c util.c -o norw.o
check "DISTCC_NO_REWRITE_CROSS keeps gcc" bash -c "tail -1 '$d_LOG' | grep -q ' gcc util.c'"

# Masquerade directory first on PATH plus an explicit distcc call: the inner distcc (found as
# gcc) sees the recursion guard and runs the real compiler; no error, job ran remotely once.
mkdir -p masq
ln -s "$DCC" masq/gcc
ln -s "$DCC" "masq/$triple-gcc"
before=$(count_in "$d_LOG" COMPILE_OK)
PATH="$TEST_DIR/src/masq:$PATH" "$DCC" gcc -O2 -c util.c -o masq_explicit.o 2>err.txt
check "masquerade + explicit distcc: no recursion error" test ! -s err.txt
check "masquerade + explicit distcc: ran remotely once" count_reaches "$d_LOG" COMPILE_OK $((before + 1))
check "masquerade + explicit distcc: same object" cmp masq_explicit.o resp_local.o

finish
