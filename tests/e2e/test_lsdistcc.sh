#!/usr/bin/env bash
# lsdistcc against real daemons on loopback: our distccd, Debian's 3.4 distccd, one of ours that
# refuses every job (its --allow excludes loopback), and a port nobody listens on. Checks what is
# listed (with -p only the daemons that really compile), -x/-l/-P/-n output, exit codes, the total
# timeout, and that each line has exactly the shape the stock /usr/bin/lsdistcc prints.
# Hosts are always given explicitly: no DNS lookups of distcc%d names.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
LS=$(cd "${DCC_TOOLS_BIN:?set DCC_TOOLS_BIN to the directory holding lsdistcc}" && pwd)/lsdistcc
STOCK_LS=/usr/bin/lsdistcc
[[ -x $LS ]] || { fail "no lsdistcc in $DCC_TOOLS_BIN"; finish; }

start_daemon ours --allow 127.0.0.1
start_stock_daemon theirs --allow 127.0.0.1
start_daemon refusing --allow 10.255.255.0/24
DEAD=$(free_port)
OURS=127.0.0.1:$ours_PORT
THEIRS=127.0.0.1:$theirs_PORT
REFUSING=127.0.0.1:$refusing_PORT
cd "$TEST_DIR"

# run_ls OUTFILE ARGS...: runs our lsdistcc, output sorted (lines come in the order probes end);
# sets RC.
run_ls() {
  local out=$1; shift
  set +e
  "$LS" "$@" >"$out.raw" 2>"$out.err"
  RC=$?
  set -e
  sort "$out.raw" >"$out"
}
lines() { printf '%s\n' "$@" | sort; }

# Plain connect check: every listening daemon is up, the dead port is not listed.
run_ls plain.out "$OURS" "$THEIRS" 127.0.0.1:"$DEAD"
check "connect check lists both live daemons and not the dead port" \
  diff <(lines "$OURS" "$THEIRS") plain.out
check "connect check: exit 0" test "$RC" -eq 0

run_ls down.out -x "$OURS" 127.0.0.1:"$DEAD" "$THEIRS"
check "-x marks the dead port ,down" diff <(lines "$OURS" "$THEIRS" "127.0.0.1:$DEAD,down") down.out

run_ls latency.out -l "$OURS" "$THEIRS"
check "-l appends a latency in ms to each line" \
  test "$(grep -cE '^127\.0\.0\.1:[0-9]+ [0-9]+$' latency.out)" -eq 2

run_ls numeric.out -n -P2 "localhost:$ours_PORT"
if grep -q '^127\.0\.0\.1' <(getent ahostsv4 localhost 2>/dev/null); then
  check "-n prints the address, -P2 appends ,lzo" diff <(lines "$OURS,lzo") numeric.out
fi

# Test compile (-p): only daemons that really compile are listed. -k is generous because a cold
# compiler on a loaded test machine can take longer than 3.4's 1.5 s.
for proto in 1 2 3; do
  suffix=("" "" ",lzo" ",lzo,cpp")
  before_ours=$(count_in "$ours_LOG" COMPILE_OK)
  before_theirs=$(count_in "$theirs_LOG" COMPILE_OK)
  run_ls compile$proto.out -pgcc -P$proto -k30000 "$OURS" "$THEIRS" "$REFUSING" 127.0.0.1:"$DEAD"
  check "-P$proto -pgcc lists the daemons that compile, not the refusing one" \
    diff <(lines "$OURS${suffix[$proto]}" "$THEIRS${suffix[$proto]}") compile$proto.out
  check "-P$proto -pgcc: our daemon really compiled" count_reaches "$ours_LOG" COMPILE_OK $((before_ours + 1))
  check "-P$proto -pgcc: the 3.4 daemon really compiled" count_reaches "$theirs_LOG" COMPILE_OK $((before_theirs + 1))
  check "-P$proto -pgcc: exit 0" test "$RC" -eq 0
done

run_ls refused.out -x -pgcc -k30000 "$REFUSING"
check "refusing daemon is down with -p" diff <(lines "$REFUSING,down") refused.out
check "refusing daemon with -p: exit 1" test "$RC" -eq 1
run_ls nocc.out -pno-such-compiler-xyz -k30000 "$OURS" "$THEIRS"
check "a compiler no daemon runs: nothing listed" test ! -s nocc.out
check "a compiler no daemon runs: exit 1" test "$RC" -eq 1

run_ls dead.out -x 127.0.0.1:"$DEAD"
check "only a dead host: listed ,down with -x" diff <(lines "127.0.0.1:$DEAD,down") dead.out
check "only a dead host: exit 1 (3.4 says 0 here)" test "$RC" -eq 1
run_ls unresolvable.out -x no-such-host.invalid
check "an unresolvable host is not listed, even with -x" test ! -s unresolvable.out
check "an unresolvable host: exit 1" test "$RC" -eq 1

# The total time limit (-t) ends the scan even if a server never answers the test job.
if command -v python3 >/dev/null; then
  SILENT_PORT=$(free_port)
  python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $SILENT_PORT)); s.listen(8); time.sleep(60)" &
  PIDS+=($!)
  wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SILENT_PORT"
  start=$SECONDS
  run_ls silent.out -t1 -pgcc -k60000 "127.0.0.1:$SILENT_PORT"
  check "-t1 stops waiting for a server that never answers the test job" test $((SECONDS - start)) -le 3
  check "-t1: the silent server is not listed" test ! -s silent.out
  check "-t1: exit 1" test "$RC" -eq 1
fi

# Command line errors: usage and exit 1, as 3.4; --help exits 0.
run_ls bad.out -q "$OURS"
check "unknown option: exit 1" test "$RC" -eq 1
check "unknown option: usage on stderr" grep -q '^Usage: lsdistcc' bad.out.err
run_ls help.out --help
check "--help: exit 0 with usage" test "$RC" -eq 0 -a -s help.out

# Same arguments, same output as the stock tool (it takes the port from -r only). Latencies
# differ, so numbers after the space are replaced.
if [[ -x $STOCK_LS ]]; then
  shape() { sed -E 's/ [0-9]+$/ N/' | sort; }
  for args in "" "-x" "-P2" "-P3 -x" "-l" "-n -l" "-x -pgcc -k30000" "-P2 -pgcc -k30000"; do
    for port in "$ours_PORT" "$theirs_PORT" "$refusing_PORT" "$DEAD"; do
      set +e
      # shellcheck disable=SC2086
      "$STOCK_LS" -r"$port" $args 127.0.0.1 | shape >stock.out
      # shellcheck disable=SC2086
      "$LS" -r"$port" $args 127.0.0.1 | shape >mine.out
      set -e
      check "same output as stock lsdistcc for '-r<port> $args 127.0.0.1' (port $port)" \
        diff stock.out mine.out
    done
  done
else
  log "stock $STOCK_LS not installed: output comparison skipped"
fi

finish
