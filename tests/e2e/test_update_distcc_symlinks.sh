#!/usr/bin/env bash
# update-distcc-symlinks: the link set in a fake root (created, kept, stale ones removed, other
# files left alone), one-line errors, the link set on this machine compared with Debian's Perl
# script, and our daemon accepting a compiler only through a link the tool made.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
TOOL=$(cd "${DCC_TOOLS_BIN:?set DCC_TOOLS_BIN}" && pwd)/update-distcc-symlinks
[[ -x $TOOL ]] || { fail "no $TOOL"; finish; }

# links_to_distcc DIR: sorted names of the links in DIR whose target ends in /distcc.
links_to_distcc() {
  local f
  for f in "$1"/*; do
    if [[ -L $f && $(readlink "$f") == *distcc ]]; then basename "$f"; fi
  done | sort
}

# --- fake root -------------------------------------------------------------------------------
ROOT=$TEST_DIR/root
mkdir -p "$ROOT/usr/bin" "$ROOT/usr/lib/gcc/x86_64-linux-gnu/12" "$ROOT/usr/lib/llvm-14" "$ROOT/usr/lib/distcc"
for name in cc gcc gcc-12 g++-12 x86_64-linux-gnu-gcc x86_64-linux-gnu-gcc-12 clang clang-14 clang-format-14 ls distcc; do
  printf '#!/bin/sh\nexit 0\n' >"$ROOT/usr/bin/$name"
  chmod 755 "$ROOT/usr/bin/$name"
done
printf 'not executable\n' >"$ROOT/usr/bin/g++" && chmod 644 "$ROOT/usr/bin/g++"
M=$ROOT/usr/lib/distcc
ln -s ../../bin/distcc "$M/gcc-11"          # its compiler is gone: stale
ln -s ../../bin/nothing "$M/oldcc"          # dangling
ln -s ../../bin/ls "$M/mywrapper"          # somebody else's link: kept
printf 'admin file\n' >"$M/cc"              # a regular file: kept, no link made over it

check "runs in a fake root" "$TOOL" --root "$ROOT"
expected="clang
clang-14
g++-12
gcc
gcc-12
x86_64-linux-gnu-gcc
x86_64-linux-gnu-gcc-12"
check "the link set is the expected one" test "$(links_to_distcc "$M")" == "$expected"
check "links are Debian's relative ../../bin/distcc" test "$(readlink "$M/gcc")" == ../../bin/distcc
check "links resolve to the root's distcc" test "$(readlink -f "$M/gcc")" == "$(readlink -f "$ROOT/usr/bin/distcc")"
check "stale link removed" test ! -e "$M/gcc-11" -a ! -L "$M/gcc-11"
check "dangling link removed" test ! -L "$M/oldcc"
check "foreign link kept" test "$(readlink "$M/mywrapper")" == ../../bin/ls
check "regular file kept" grep -q 'admin file' "$M/cc"
check "no temporary names left" test -z "$(find "$M" -name '.*' -mindepth 1)"
check "second run changes nothing" test -z "$("$TOOL" --root "$ROOT" -v)"

rm "$ROOT/usr/bin/gcc-12"
out=$("$TOOL" --root "$ROOT" --verbose)
check "removed compiler loses its link" test ! -L "$M/gcc-12"
check "verbose names the removal" test "$out" == "Removing $M/gcc-12"

# --- errors ----------------------------------------------------------------------------------
printf 'x' >"$TEST_DIR/plainfile"
rc=0; err=$("$TOOL" --root "$ROOT" --masquerade-dir "$TEST_DIR/plainfile/sub" 2>&1) || rc=$?
check "masquerade dir under a file: exit 1" test "$rc" -eq 1
check "masquerade dir under a file: one line naming it" test "$(wc -l <<<"$err")" -eq 1 -a -n "$(grep -F "$TEST_DIR/plainfile/sub" <<<"$err")"
rc=0; err=$("$TOOL" --bin-dir "$TEST_DIR/missing" --masquerade-dir "$TEST_DIR/m2" 2>&1) || rc=$?
check "unreadable bin dir: one-line error, exit 1" test "$rc" -eq 1 -a "$err" == "update-distcc-symlinks: cannot read $TEST_DIR/missing: No such file or directory"
rc=0; err=$("$TOOL" --bogus 2>&1) || rc=$?
check "unknown option: exit 2" test "$rc" -eq 2 -a "$err" == "update-distcc-symlinks: unknown option --bogus (see --help)"
# An unwritable masquerade directory: mode 555 for a normal user; root writes anywhere, so for
# root the directory is mounted read-only in a private mount namespace.
mkdir -p "$TEST_DIR/ro"
if (($(id -u) != 0)); then
  chmod 555 "$TEST_DIR/ro"
  rc=0; err=$("$TOOL" --root "$ROOT" --masquerade-dir "$TEST_DIR/ro" 2>&1) || rc=$?
  why='Permission denied'
elif unshare -m true 2>/dev/null; then
  rc=0; err=$(unshare -m --propagation private bash -c "mount --bind '$TEST_DIR/ro' '$TEST_DIR/ro' &&
    mount -o remount,bind,ro '$TEST_DIR/ro' && exec '$TOOL' --root '$ROOT' --masquerade-dir '$TEST_DIR/ro'" 2>&1) || rc=$?
  why='Read-only file system'
else
  why=
  log "SKIP unwritable-dir check: root without unshare -m cannot make a directory unwritable"
fi
if [[ -n $why ]]; then
  check "unwritable dir: exit 1" test "$rc" -eq 1
  check "unwritable dir: one line naming the link and the cause" test "$(wc -l <<<"$err")" -eq 1 \
    -a -n "$(grep -F "cannot create link $TEST_DIR/ro/" <<<"$err" | grep -F "$why")"
  [[ $rc -eq 1 ]] || log "got: $err"
fi

# --- this machine vs Debian's Perl script -----------------------------------------------------
OURS=$TEST_DIR/ours
check "runs on this machine into a temporary dir" "$TOOL" --masquerade-dir "$OURS" --distcc /usr/bin/distcc
PERL_TOOL=/usr/sbin/update-distcc-symlinks
can_bind() { (($(id -u) == 0)) && unshare -m true 2>/dev/null; }
if [[ -x $PERL_TOOL ]] && can_bind && [[ -d /usr/lib/distcc ]]; then
  # The Perl script only knows /usr/lib/distcc: run it in a private mount namespace where an
  # empty directory is mounted there.
  THEIRS=$TEST_DIR/theirs && mkdir -p "$THEIRS"
  unshare -m --propagation private bash -c "mount --bind '$THEIRS' /usr/lib/distcc && '$PERL_TOOL'"
  reference="Debian's script run now"
elif [[ -d /usr/lib/distcc ]]; then
  THEIRS=/usr/lib/distcc
  reference="/usr/lib/distcc as the package left it"
fi
if [[ -n ${THEIRS:-} ]]; then
  missing=$(comm -13 <(links_to_distcc "$OURS") <(links_to_distcc "$THEIRS"))
  check "our set contains every link of $reference" test -z "$missing"
  [[ -z $missing ]] || log "missing: $missing"
  extra=$(comm -23 <(links_to_distcc "$OURS") <(links_to_distcc "$THEIRS"))
  [[ -z $extra ]] || log "we also link: $extra"
  check "at least one link made on this machine" test -n "$(links_to_distcc "$OURS")"
else
  log "SKIP: no Debian distcc here to compare with"
fi

# --- our daemon accepts a compiler through our link --------------------------------------------
# The daemon's allow-list is /usr/lib/distcc (compiled in); mount our directory there in a
# private mount namespace, start the daemon inside it, and compile through it.
if can_bind && [[ -d /usr/lib/distcc ]] && command -v gcc >/dev/null; then
  DM=$TEST_DIR/daemon_masq
  "$TOOL" --masquerade-dir "$DM" --distcc /usr/bin/distcc
  # A compiler without a link must be refused. The client rewrites g++ to its triple form, so
  # both names go.
  rm -f "$DM/g++" "$DM"/*-g++
  log=$TEST_DIR/d.log && : >"$log" && chmod 666 "$log"
  unshare -m --propagation private bash -c "mount --bind '$DM' /usr/lib/distcc && exec '$DCCD' --daemon --no-detach --port 0 --log-file '$log' --log-level info --allow 127.0.0.1" &
  PIDS+=($!)
  if wait_for 10 grep -q "listening on" "$log"; then
    port=$(sed -n 's/.*listening on .* port \([0-9]*\) with .*/\1/p' "$log" | head -1)
    cd "$TEST_DIR"
    printf 'int f(void) { return 1; }\n' >a.c
    export DISTCC_HOSTS="127.0.0.1:$port" DISTCC_SKIP_LOCAL_RETRY=1 DISTCC_FALLBACK=0
    check "daemon runs gcc (linked)" "$DCC" gcc -c a.c -o a.o
    check "the job ran on the daemon" count_reaches "$log" COMPILE_OK 1
    if "$DCC" g++ -x c -c a.c -o b.o 2>/dev/null; then fail "daemon ran g++ without a link"; else pass "daemon refuses g++ (no link)"; fi
    check "refusal logged" wait_for 5 grep -q 'not allowed' "$log"
    unset DISTCC_HOSTS DISTCC_SKIP_LOCAL_RETRY DISTCC_FALLBACK
  else
    fail "daemon in the private mount namespace did not start"; cat "$log"
  fi
else
  log "SKIP daemon check: needs root and unshare -m (the daemon's allow-list path is compiled in)"
fi

finish
