#!/usr/bin/env bash
# distcc-config (Gentoo's helper) in a staging root (DISTCC_CONFIG_ROOT): hosts, env.d settings,
# env-update, masquerade links, --install, Gentoo's invalid-option message.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
TOOL=$(cd "${DCC_TOOLS_BIN:?set DCC_TOOLS_BIN}" && pwd)/distcc-config
[[ -x $TOOL ]] || { fail "no $TOOL"; finish; }

ROOT=$TEST_DIR/root
export DISTCC_CONFIG_ROOT=$ROOT
mkdir -p "$ROOT/usr/bin" "$ROOT/usr/sbin" "$ROOT/usr/lib/gcc/x86_64-pc-linux-gnu/13"
for name in gcc g++ cc c++ gcc-13 x86_64-pc-linux-gnu-gcc x86_64-pc-linux-gnu-g++ x86_64-pc-linux-gnu-gcc-13 distcc; do
  printf '#!/bin/sh\nexit 0\n' >"$ROOT/usr/bin/$name" && chmod 755 "$ROOT/usr/bin/$name"
done
# A fake env-update records that it ran and which ROOT it was given.
printf '#!/bin/sh\necho "ROOT=$ROOT" >>"%s"\n' "$TEST_DIR/env-update.calls" >"$ROOT/usr/sbin/env-update"
chmod 755 "$ROOT/usr/sbin/env-update"

if (($(id -u) == 0)); then HOSTS_FILE=$ROOT/etc/distcc/hosts; else HOSTS_FILE=$HOME/.distcc/hosts; fi

# --- hosts -------------------------------------------------------------------------------------
rc=0; out=$("$TOOL" --get-hosts 2>&1) || rc=$?
check "--get-hosts without any list: exit 1 and Gentoo's hint" test "$rc" -eq 1 -a -n "$(grep -F 'Setup your hosts with --set-hosts' <<<"$out")"
check "--set-hosts" "$TOOL" --set-hosts "localhost/2 10.0.0.1/4,lzo"
check "hosts file written where it belongs" test "$(cat "$HOSTS_FILE")" == "localhost/2 10.0.0.1/4,lzo"
check "--get-hosts prints the list" test "$("$TOOL" --get-hosts)" == "localhost/2 10.0.0.1/4,lzo"
check "--get-hosts prefers DISTCC_HOSTS" test "$(DISTCC_HOSTS=envhost "$TOOL" --get-hosts)" == envhost
rc=0; err=$("$TOOL" --set-hosts "box:12x" 2>&1) || rc=$?
check "malformed list refused with exit 1" test "$rc" -eq 1
check "malformed list: the parser's one-line error" test "$(wc -l <<<"$err")" -eq 1 -a -n "$(grep -F 'port is not a number' <<<"$err")"
check "malformed list leaves the file alone" test "$(cat "$HOSTS_FILE")" == "localhost/2 10.0.0.1/4,lzo"
check "--set-hosts with --randomize first" "$TOOL" --set-hosts "--randomize a b/2"
check "no temporary files left beside the hosts file" test "$(ls -A "$(dirname "$HOSTS_FILE")")" == hosts

# --- env.d --------------------------------------------------------------------------------------
ENVD=$ROOT/etc/env.d/02distcc
check "--set-verbose 1" "$TOOL" --set-verbose 1
check "--get-verbose" test "$("$TOOL" --get-verbose)" == 1
check "env.d line" grep -qx 'DISTCC_VERBOSE="1"' "$ENVD"
check "env-update ran with the staging ROOT" grep -qx "ROOT=$ROOT" "$TEST_DIR/env-update.calls"
check "--set-log" "$TOOL" --set-log /var/log/distcc.log
check "--get-log" test "$("$TOOL" --get-log)" == /var/log/distcc.log
check "--set-verbose 0 replaces the line" "$TOOL" --set-verbose 0
check "one DISTCC_VERBOSE line" test "$(grep -c DISTCC_VERBOSE "$ENVD")" -eq 1
check "--set-env" "$TOOL" --set-env DISTCC_FALLBACK 0
check "--get-env VAR" test "$("$TOOL" --get-env DISTCC_FALLBACK)" == 0
check "--get-env prints the file" test "$("$TOOL" --get-env)" == "$(cat "$ENVD")"
check "env.d content" test "$(cat "$ENVD")" == 'DISTCC_VERBOSE="0"
DISTCC_LOG="/var/log/distcc.log"
DISTCC_FALLBACK="0"'
rc=0; err=$("$TOOL" --set-env 'BAD-NAME' x 2>&1) || rc=$?
check "bad variable name refused" test "$rc" -eq 1 -a "$err" == 'distcc-config: invalid variable name "BAD-NAME"'
check "env-update ran once per change" test "$(wc -l <"$TEST_DIR/env-update.calls")" -eq 4

# --- options ------------------------------------------------------------------------------------
rc=0; out=$("$TOOL" --x 2>/dev/null) || rc=$?
check "invalid option: Gentoo's message on stdout, exit 1" test "$rc" -eq 1 -a "$out" == "!!! Error: --x is an invalid option."
rc=0; out=$("$TOOL" --set-verbose 2 2>/dev/null) || rc=$?
check "--set-verbose 2 refused" test "$rc" -eq 1
check "--help" bash -c "'$TOOL' --help | grep -q -- --update-masquerade-with-crossdev"

# --- masquerade ---------------------------------------------------------------------------------
M=$ROOT/usr/lib/distcc
names() { (cd "$M" && for f in *; do if [[ -L $f ]]; then echo "$f"; fi; done) | sort | tr '\n' ' '; }
check "--update-masquerade" "$TOOL" --update-masquerade
check "every installed compiler linked" test "$(names)" == "c++ cc g++ gcc gcc-13 x86_64-pc-linux-gnu-g++ x86_64-pc-linux-gnu-gcc x86_64-pc-linux-gnu-gcc-13 "
check "links are Gentoo's absolute /usr/bin/distcc" test "$(readlink "$M/gcc")" == /usr/bin/distcc
check "--update-masquerade-with-crossdev" "$TOOL" --update-masquerade-with-crossdev
check "only triple-prefixed names left" test "$(names)" == "x86_64-pc-linux-gnu-g++ x86_64-pc-linux-gnu-gcc x86_64-pc-linux-gnu-gcc-13 "

# --- install ------------------------------------------------------------------------------------
rm -rf "$M" "$HOSTS_FILE"
check "--install" "$TOOL" --install
check "--install makes the links" test -L "$M/gcc"
check "--install makes an empty hosts file" test -f "$HOSTS_FILE" -a ! -s "$HOSTS_FILE"
echo "keep me" >"$HOSTS_FILE"
check "--install again" "$TOOL" --install
check "--install keeps an existing hosts file" grep -qx "keep me" "$HOSTS_FILE"

finish
