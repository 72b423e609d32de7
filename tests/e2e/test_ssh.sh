#!/usr/bin/env bash
# The SSH transport against a real OpenSSH server on loopback: `user@host:/cmd` and `@host`
# hosts, protocols 1 and 2, DISTCC_SSH with arguments on every job of a parallel make, a
# malformed DISTCC_SSH and an unreachable sshd (local fallback), and interoperability with the
# Debian distcc 3.4 client and daemon over ssh. No distccd listens on TCP anywhere in this test.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)

SSHD=/usr/sbin/sshd
[[ -x $SSHD ]] || skip_test "OpenSSH server ($SSHD) is not installed (apt-get install openssh-server)"
command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || skip_test "ssh or ssh-keygen is not installed"
# sshd refuses to start without its privilege separation directory; only root can create it.
if [[ ! -d /run/sshd ]]; then
  mkdir -p -m 0755 /run/sshd 2>/dev/null || skip_test "/run/sshd is missing and cannot be created (not root)"
fi
ME=$(id -un)

# ---- An sshd of our own: keys, config and log in the test dir, on a free loopback port.
SSH_DIR=$TEST_DIR/ssh
mkdir -p "$SSH_DIR" "$TEST_DIR/bin"
ssh-keygen -q -N '' -t ed25519 -f "$SSH_DIR/host_key"
ssh-keygen -q -N '' -t ed25519 -f "$SSH_DIR/user_key"
cp "$SSH_DIR/user_key.pub" "$SSH_DIR/authorized_keys"
SSH_PORT=$(free_port)
# SetEnv puts the test's bin directory first on the remote PATH, for the `@host` form that runs
# plain "distccd".
cat >"$SSH_DIR/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $SSH_PORT
HostKey $SSH_DIR/host_key
AuthorizedKeysFile $SSH_DIR/authorized_keys
PidFile $SSH_DIR/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
SetEnv PATH=$TEST_DIR/bin:/usr/local/bin:/usr/bin:/bin
LogLevel VERBOSE
EOF
"$SSHD" -D -e -f "$SSH_DIR/sshd_config" 2>>"$TEST_DIR/sshd.stderr.log" &
PIDS+=("$!")
if ! wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SSH_PORT"; then
  cat "$TEST_DIR/sshd.stderr.log"
  skip_test "sshd did not start (log above)"
fi

SSH_OPTS="-p $SSH_PORT -i $SSH_DIR/user_key -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
export DISTCC_SSH="ssh $SSH_OPTS"
# sshd itself works (if not, every check below would only test the fallback).
if ! ssh $SSH_OPTS "$ME@127.0.0.1" true; then
  cat "$TEST_DIR/sshd.stderr.log"
  fail "cannot log in to the test sshd"
  finish
fi

# ---- Remote commands: wrappers, because a host spec's command cannot contain spaces or commas.
# Each one names its own log, so the log proves which daemon served the job, and over ssh.
OURS_LOG=$TEST_DIR/ours.log
THEIRS_LOG=$TEST_DIR/theirs.log
: >"$OURS_LOG"; : >"$THEIRS_LOG"; chmod 666 "$OURS_LOG" "$THEIRS_LOG"
cat >"$TEST_DIR/bin/ours-distccd" <<EOF
#!/bin/sh
exec "$DCCD" --log-file "$OURS_LOG" --log-level info "\$@"
EOF
cat >"$TEST_DIR/bin/theirs-distccd" <<EOF
#!/bin/sh
exec "$STOCK_DISTCCD" --log-file "$THEIRS_LOG" --log-level debug "\$@"
EOF
cp "$TEST_DIR/bin/ours-distccd" "$TEST_DIR/bin/distccd"  # what `@host` runs, found on the PATH
chmod 755 "$TEST_DIR/bin/"*

cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
gcc -O2 -c main.c -o local_main.o
gcc -O2 -c util.c -o local_util.o
g++ -O2 -c shapes.cpp -o local_shapes.o

# over_ssh CLIENT DAEMON_LOG HOSTS LABEL: two jobs through CLIENT, both must run on the daemon.
over_ssh() {
  local client=$1 daemon_log=$2 hosts=$3 label=$4 before
  before=$(count_in "$daemon_log" COMPILE_OK)
  DISTCC_HOSTS=$hosts DISTCC_LOG=$TEST_DIR/client_$label.txt "$client" gcc -O2 -c main.c -o "c_$label.o" 2>"err_$label.txt"
  DISTCC_HOSTS=$hosts DISTCC_LOG=$TEST_DIR/client_$label.txt "$client" g++ -O2 -c shapes.cpp -o "cxx_$label.o" 2>>"err_$label.txt"
  check "$label: both jobs ran on the daemon at the other end of ssh" count_reaches "$daemon_log" COMPILE_OK $((before + 2))
  check "$label: C object identical to a local compile" cmp "c_$label.o" local_main.o
  check "$label: C++ object identical to a local compile" cmp "cxx_$label.o" local_shapes.o
  # The stock daemon reports dropping root on stderr before it opens its log; ssh passes that on.
  check "$label: nothing else on stderr" \
    bash -c "! grep -v -E '^distccd\[[0-9]+\] \(dcc_discard_root\)' 'err_$label.txt'"
}

over_ssh "$DCC" "$OURS_LOG" "$ME@127.0.0.1:$TEST_DIR/bin/ours-distccd" "user-at-host-v1"
check "user-at-host-v1: the client log names the ssh connection" \
  grep -q "on ssh:$ME@127.0.0.1" "$TEST_DIR/client_user-at-host-v1.txt"
over_ssh "$DCC" "$OURS_LOG" "$ME@127.0.0.1/2:$TEST_DIR/bin/ours-distccd,lzo" "user-at-host-v2"
over_ssh "$DCC" "$OURS_LOG" "@127.0.0.1,lzo" "at-host-path-v2"
check "at-host-path-v2: the client log names the ssh connection without a user" \
  grep -q "on ssh:127.0.0.1:" "$TEST_DIR/client_at-host-path-v2.txt"
check "our daemon served the jobs over a pipe, not a TCP peer" grep -q "(pipe)" "$OURS_LOG"
check "no ssh child left behind" test -z "$(pgrep -f "^ssh .*$SSH_DIR/user_key" || true)"

# ---- The daemon itself as the remote command, without a log file: it logs to syslog, and nothing
# but the protocol may reach its stdout (the ssh channel).
DISTCC_HOSTS="$ME@127.0.0.1:$DCCD,lzo" DISTCC_LOG=$TEST_DIR/client_plain.txt "$DCC" gcc -O2 -c util.c -o plain.o 2>err_plain.txt
check "distccd --inetd with default logging: the job ran over ssh" \
  grep -q "compile util.c on ssh:$ME@127.0.0.1:" "$TEST_DIR/client_plain.txt"
check "distccd --inetd with default logging: same object, nothing on stderr" \
  bash -c "cmp plain.o local_util.o && test ! -s err_plain.txt"

# ---- DISTCC_SSH on every job of a parallel make (3.4 bug #434 lost it after the first use).
before=$(count_in "$OURS_LOG" COMPILE_OK)
DISTCC_HOSTS="$ME@127.0.0.1:$TEST_DIR/bin/ours-distccd,lzo" make -j2 CC="$DCC gcc" CXX="$DCC g++" >make.txt 2>&1 \
  || { cat make.txt; fail "make through ssh failed"; }
check "make -j2: all three compiles went over ssh" count_reaches "$OURS_LOG" COMPILE_OK $((before + 3))
check "make -j2: objects identical to local compiles" \
  bash -c "cmp main.o local_main.o && cmp util.o local_util.o && cmp shapes.o local_shapes.o"
check "make -j2: programs linked" test -x hello -a -x shapes

# ---- A malformed DISTCC_SSH: one line naming the variable and the cause, local compile, exit 0.
before=$(count_in "$OURS_LOG" COMPILE_OK)
set +e
DISTCC_SSH="ssh -p '$SSH_PORT" DISTCC_HOSTS="$ME@127.0.0.1:$TEST_DIR/bin/ours-distccd" "$DCC" gcc -O2 -c util.c -o badssh.o 2>err.txt
code=$?
set -e
check "bad DISTCC_SSH: exit 0" test "$code" -eq 0
check "bad DISTCC_SSH: compiled locally, same object" cmp badssh.o local_util.o
check "bad DISTCC_SSH: one line naming the variable and the cause" \
  bash -c "test \$(grep -c . err.txt) -eq 1 && grep -q 'DISTCC_SSH=.*unterminated single quote' err.txt"
check "bad DISTCC_SSH: nothing reached the daemon" test "$(count_in "$OURS_LOG" COMPILE_OK)" -eq "$before"
check "bad DISTCC_SSH: our mistake, so the host is not backed off" test ! -e "$DISTCC_DIR/lock/backoff_ssh_127.0.0.1_0"
check "ssh hosts have 3.4's slot lock file cpu_ssh_<host>_<slot>" test -e "$DISTCC_DIR/lock/cpu_ssh_127.0.0.1_0"

# ---- ssh cannot connect: ssh's own message, our warning, local compile, exit 0.
dead_port=$(free_port)
set +e
DISTCC_SSH="ssh -p $dead_port -o BatchMode=yes -o ConnectTimeout=5" DISTCC_HOSTS="$ME@127.0.0.1" \
  "$DCC" gcc -O2 -c util.c -o deadssh.o 2>err.txt
code=$?
set -e
check "ssh to a closed port: exit 0" test "$code" -eq 0
check "ssh to a closed port: compiled locally, same object" cmp deadssh.o local_util.o
check "ssh to a closed port: a warning naming the host and that ssh failed" \
  grep -q "failed to distribute to $ME@127.0.0.1.*ssh failed (exit code 255" err.txt
check "ssh to a closed port: ssh's own message is shown" grep -q "Connection refused" err.txt
check "ssh to a closed port: host backed off as backoff_ssh_<host>_0" test -e "$DISTCC_DIR/lock/backoff_ssh_127.0.0.1_0"
# The failures below are about messages; keep the host in play for them.
rm -f "$DISTCC_DIR/lock/backoff_ssh_127.0.0.1_0"
export DISTCC_BACKOFF_PERIOD=0

# ---- The remote command does not exist: the remote shell says so, ssh exits with 127.
DISTCC_HOSTS="$ME@127.0.0.1:$TEST_DIR/no-such-distccd" "$DCC" gcc -O2 -c util.c -o nocmd.o 2>err.txt
check "missing remote command: compiled locally, same object" cmp nocmd.o local_util.o
check "missing remote command: the warning gives the remote exit code" \
  grep -q "failed to distribute.*the remote command exited with code 127" err.txt

# ---- The ssh program itself is missing.
DISTCC_SSH="$TEST_DIR/no-such-ssh" DISTCC_HOSTS="@127.0.0.1" "$DCC" gcc -O2 -c util.c -o nossh.o 2>err.txt
check "missing ssh program: compiled locally with a warning naming it" \
  bash -c "cmp nossh.o local_util.o && grep -q 'no-such-ssh' err.txt"

# ---- Interoperability with Debian's distcc 3.4 over ssh, both directions.
if [[ -x $STOCK_DISTCC && -x $STOCK_DISTCCD ]]; then
  over_ssh "$STOCK_DISTCC" "$OURS_LOG" "$ME@127.0.0.1:$TEST_DIR/bin/ours-distccd" "3.4-to-ours-v1"
  over_ssh "$STOCK_DISTCC" "$OURS_LOG" "$ME@127.0.0.1:$TEST_DIR/bin/ours-distccd,lzo" "3.4-to-ours-v2"
  over_ssh "$DCC" "$THEIRS_LOG" "$ME@127.0.0.1:$TEST_DIR/bin/theirs-distccd" "ours-to-3.4-v1"
  over_ssh "$DCC" "$THEIRS_LOG" "$ME@127.0.0.1:$TEST_DIR/bin/theirs-distccd,lzo" "ours-to-3.4-v2"
else
  log "Debian distcc 3.4 is not installed: interoperability over ssh not checked"
fi

# Errors in the daemon logs would mean a job half-failed even though the objects matched.
check "our daemon logged no errors" bash -c "! grep -E 'ERROR|CRITICAL' '$OURS_LOG'"
check "no TCP distccd was involved" bash -c "! grep -q 'listening on' '$OURS_LOG'"
finish
