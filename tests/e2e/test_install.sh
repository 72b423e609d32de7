#!/usr/bin/env bash
# Installing: `cmake --install --prefix /usr` into a staging root (DESTDIR), the staged tree
# checked file by file, the installed programs run from there (a compile through the staged
# daemon and client, also through Portage's /usr/lib/distcc/bin path), the service files checked
# by their own tools where present, and the .deb built by CPack inspected with dpkg-deb.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The build tree is the one holding the binaries under test.
BUILD_DIR=$(cd "$DCC_BIN" && pwd)
while [[ $BUILD_DIR != / && ! -f $BUILD_DIR/CMakeCache.txt ]]; do BUILD_DIR=$(dirname "$BUILD_DIR"); done
[[ -f $BUILD_DIR/CMakeCache.txt ]] || { fail "no CMakeCache.txt above $DCC_BIN"; finish; }
command -v cmake >/dev/null || skip_test "cmake is not installed"

STAGE=$TEST_DIR/stage
mkdir -p "$STAGE"
# DESTDIR keeps every absolute path (/etc/...) inside the staging root, even when run as root.
if ! DESTDIR=$STAGE cmake --install "$BUILD_DIR" --prefix /usr >"$TEST_DIR/install.out" 2>&1; then
  cat "$TEST_DIR/install.out"
  fail "cmake --install"
  finish
fi
pass "cmake --install --prefix /usr with DESTDIR"
check "nothing installed outside the staging root" test -z "$(grep -E '^-- (Installing|Up-to-date): ' "$TEST_DIR/install.out" | grep -v -F ": $STAGE/")"

# --- the staged tree -------------------------------------------------------------------------
programs=(distcc distccd)
for tool in "$DCC_TOOLS_BIN"/*; do
  [[ -f $tool && -x $tool ]] && programs+=("$(basename "$tool")")
done
for p in "${programs[@]}"; do
  check "program $p installed in /usr/bin" test -x "$STAGE/usr/bin/$p" -a -f "$STAGE/usr/bin/$p"
done

for page in "$SRC_DIR"/man/*.[18]; do
  name=$(basename "$page")
  staged=$STAGE/usr/share/man/man${name##*.}/$name
  check "man page $name installed" cmp -s "$page" "$staged"
  if command -v man >/dev/null; then
    # Rendered without a groff warning, with its NAME section.
    check "man page $name renders with man -l" bash -c "MANWIDTH=80 man -l '$staged' >'$TEST_DIR/man.out' 2>'$TEST_DIR/man.err' && ! grep -i warning '$TEST_DIR/man.err' && grep -q '^NAME' '$TEST_DIR/man.out'"
  fi
done

hosts=$STAGE/etc/distcc/hosts
check "/etc/distcc/hosts installed (prefix /usr keeps sysconfdir /etc)" test -f "$hosts"
check "/etc/distcc/hosts has comments only" test -z "$(grep -v -E '^[[:space:]]*(#|$)' "$hosts")"
M=$STAGE/usr/lib/distcc
check "masquerade directory /usr/lib/distcc" test -d "$M" -a ! -L "$M"
check "Portage's compat link /usr/lib/distcc/bin -> ." test "$(readlink "$M/bin")" == .

unit=$STAGE/usr/lib/systemd/system/distccd.service
check "systemd unit installed" test -f "$unit"
check "unit runs the installed daemon in the foreground" grep -q -x 'ExecStart=/usr/bin/distccd --no-detach --daemon --port 3632 -N 15 --allow $ALLOWED_SERVERS $DISTCCD_OPTS' "$unit"
check "unit runs as user distcc" grep -q -x 'User=distcc' "$unit"
check "unit reads /etc/default/distccd" grep -q -x 'EnvironmentFile=-/etc/default/distccd' "$unit"
dropin=$STAGE/etc/systemd/system/distccd.service.d/00gentoo.conf
check "Gentoo's drop-in sets ALLOWED_SERVERS" grep -q -x 'Environment="ALLOWED_SERVERS=127.0.0.1"' "$dropin"
check "/etc/default/distccd installed" test -f "$STAGE/etc/default/distccd"
initd=$STAGE/etc/init.d/distccd
check "OpenRC init script executable" test -x "$initd"
check "OpenRC init script is openrc-run" test "$(head -1 "$initd")" == '#!/sbin/openrc-run'
check "OpenRC init script parses (sh -n)" sh -n "$initd"
check "OpenRC init script runs the installed daemon" grep -q -F 'command="${DISTCCD_EXEC:-/usr/bin/distccd}"' "$initd"
check "OpenRC conf.d parses and sets DISTCCD_OPTS with --allow" \
  bash -c "sh -n '$STAGE/etc/conf.d/distccd' && . '$STAGE/etc/conf.d/distccd' && [[ \$DISTCCD_OPTS == *'--allow '* ]]"
xinetd=$STAGE/etc/xinetd.d/distccd
check "xinetd entry runs the installed daemon with --inetd" \
  bash -c "grep -q -E '^[[:space:]]*server[[:space:]]*= /usr/bin/distccd$' '$xinetd' && grep -q -E 'server_args[[:space:]]*= --inetd' '$xinetd'"
check "logrotate file rotates /var/log/distccd.log" grep -q '^/var/log/distccd.log {' "$STAGE/etc/logrotate.d/distccd"
if command -v logrotate >/dev/null; then
  check "logrotate accepts the file (-d: dry run)" logrotate -d -s "$TEST_DIR/logrotate.state" "$STAGE/etc/logrotate.d/distccd"
fi

# A second install keeps what the administrator edited and refreshes the rest.
echo "build1/8" >>"$hosts"
DESTDIR=$STAGE cmake --install "$BUILD_DIR" --prefix /usr >"$TEST_DIR/install2.out" 2>&1
check "reinstall keeps an edited /etc/distcc/hosts" grep -q -x 'build1/8' "$hosts"
sed -i '$d' "$hosts"

# --- the installed programs ------------------------------------------------------------------
check "installed distcc --version" bash -c "'$STAGE/usr/bin/distcc' --version | grep -q ."
check "installed distccd --version" bash -c "'$STAGE/usr/bin/distccd' --version | grep -q ."
# Each tool's --help from the staging root answers as the built one does (a GUI tool may need a
# display either way).
for p in "${programs[@]:2}"; do
  built_rc=0; "$DCC_TOOLS_BIN/$p" --help >"$TEST_DIR/built.out" 2>&1 || built_rc=$?
  staged_rc=0; "$STAGE/usr/bin/$p" --help >"$TEST_DIR/staged.out" 2>&1 || staged_rc=$?
  check "installed $p --help: exit $staged_rc as built, output" test "$staged_rc" -eq "$built_rc" -a -s "$TEST_DIR/staged.out"
done

DCCD=$STAGE/usr/bin/distccd
start_daemon staged --allow 127.0.0.1 || finish
cd "$TEST_DIR"
cp "$SRC_DIR/tests/e2e/sample/util.c" "$SRC_DIR/tests/e2e/sample/util.h" .
gcc -O2 -c util.c -o local.o
DISTCC_HOSTS="127.0.0.1:$staged_PORT" DISTCC_FALLBACK=0 "$STAGE/usr/bin/distcc" gcc -O2 -c util.c -o remote.o
check "staged distcc -> staged distccd: object identical to a local compile" same_object local.o remote.o
check "the staged daemon compiled it" count_reaches "$staged_LOG" COMPILE_OK 1
if [[ $(id -u) -eq 0 ]]; then
  # Started as root without --user, it runs jobs as distcc, else distccd, else nobody (as 3.4).
  check "started as root, the staged daemon dropped root" test "$(ps -o uid= -p "$staged_PID" | tr -d ' ')" != 0
  check "... and logged which user it runs as" grep -q -E "running as user (distcc|distccd|nobody|uid 65534)" "$staged_LOG"
fi

# Masquerade links made by the staged update-distcc-symlinks for this machine's compilers.
check "staged update-distcc-symlinks fills the staged masquerade dir" "$STAGE/usr/bin/update-distcc-symlinks" --masquerade-dir "$M"
check "gcc link made, pointing at the staged distcc" test "$(readlink -f "$M/gcc")" == "$(readlink -f "$STAGE/usr/bin/distcc")"
check "the bin link survives update-distcc-symlinks" test "$(readlink "$M/bin")" == .
check "a second run changes nothing (bin is not stale)" test -z "$("$STAGE/usr/bin/update-distcc-symlinks" --masquerade-dir "$M" --verbose)"
# Portage puts /usr/lib/distcc/bin first in PATH: gcc there is distcc, which must find the real
# gcc after it and not itself again through the bin -> . link.
rm -f masq.o
DISTCC_HOSTS="127.0.0.1:$staged_PORT" DISTCC_FALLBACK=0 PATH="$M/bin:$PATH" timeout 60 gcc -O2 -c util.c -o masq.o
check "gcc through /usr/lib/distcc/bin: object identical, no loop" same_object local.o masq.o
check "... and it was compiled by the staged daemon" count_reaches "$staged_LOG" COMPILE_OK 2
# Gentoo's tool wipes links of compilers missing from ROOT/usr/bin (no compiler in the stage).
DISTCC_CONFIG_ROOT=$STAGE "$STAGE/usr/bin/distcc-config" --update-masquerade
check "distcc-config --update-masquerade keeps the bin link" test "$(readlink "$M/bin")" == .
check "distcc-config --update-masquerade made no link named bin" test -z "$(find "$M" -mindepth 1 -name 'bin*' ! -name bin)"

# --- systemd ---------------------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
  # verify wants ExecStart's program to exist: a copy of the unit naming the staged daemon, with
  # its drop-in next to it.
  units=$TEST_DIR/units
  mkdir -p "$units/distccd.service.d"
  sed "s|/usr/bin/distccd|$STAGE/usr/bin/distccd|; s|/etc/default/distccd|$STAGE/etc/default/distccd|" "$unit" >"$units/distccd.service"
  cp "$dropin" "$units/distccd.service.d/"
  if SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$units/distccd.service" >"$TEST_DIR/verify.out" 2>&1; then
    check "systemd-analyze verify: no complaints" test ! -s "$TEST_DIR/verify.out"
  else
    cat "$TEST_DIR/verify.out"
    fail "systemd-analyze verify distccd.service"
  fi
else
  log "systemd-analyze not found: unit not verified"
fi

# --- the .deb --------------------------------------------------------------------------------
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
  if (cd "$BUILD_DIR" && cpack -G DEB -B "$TEST_DIR/deb") >"$TEST_DIR/cpack.out" 2>&1; then
    pass "cpack -G DEB"
  else
    cat "$TEST_DIR/cpack.out"
    fail "cpack -G DEB"
  fi
  deb=$(ls "$TEST_DIR"/deb/*.deb 2>/dev/null | head -1)
  check "one .deb built" test -f "$deb"
  dpkg-deb -I "$deb" >"$TEST_DIR/deb.info"
  # Paths only (and "-> target" for links): the columns after the date and time.
  dpkg-deb -c "$deb" | sed -E 's|^([^ ]+ +){5}\./|/|; s|/$||' >"$TEST_DIR/deb.list"
  check "package distcc-cpp" grep -q -x ' Package: distcc-cpp' "$TEST_DIR/deb.info"
  # dpkg-shlibdeps: the libraries the programs link (zlib is found at configure time but unused).
  depends=$(grep '^ Depends:' "$TEST_DIR/deb.info")
  for lib in liblzo2-2 libc6 libstdc++6 adduser; do
    check "depends on $lib" grep -q -E "[ ,]${lib//+/\\+}( |,|$)" <<<"$depends"
  done
  check "conflicts with and replaces Debian's distcc" bash -c "grep -q -x ' Conflicts: distcc' '$TEST_DIR/deb.info' && grep -q -x ' Replaces: distcc' '$TEST_DIR/deb.info'"
  for script in postinst prerm postrm conffiles triggers; do
    check "control has $script" grep -q -E "^ +[0-9]+ bytes, +[0-9]+ lines +\*? *$script" "$TEST_DIR/deb.info"
  done
  for p in "${programs[@]}"; do
    # A program installed as a link (distccmon-gnome -> distccmon-gui) is listed with its target.
    check ".deb holds /usr/bin/$p" grep -q -x -E "/usr/bin/$p( -> [^/]+)?" "$TEST_DIR/deb.list"
  done
  for page in "$SRC_DIR"/man/*.[18]; do
    name=$(basename "$page")
    check ".deb holds man page $name" grep -q -x "/usr/share/man/man${name##*.}/$name" "$TEST_DIR/deb.list"
  done
  check ".deb holds the unit" grep -q -x /usr/lib/systemd/system/distccd.service "$TEST_DIR/deb.list"
  check ".deb holds the bin link" grep -q -x '/usr/lib/distcc/bin -> .' "$TEST_DIR/deb.list"
  mkdir -p "$TEST_DIR/control"
  dpkg-deb -e "$deb" "$TEST_DIR/control"
  for f in /etc/distcc/hosts /etc/default/distccd /etc/systemd/system/distccd.service.d/00gentoo.conf \
           /etc/init.d/distccd /etc/conf.d/distccd /etc/xinetd.d/distccd /etc/logrotate.d/distccd; do
    check "conffile $f listed and in the package" bash -c "grep -q -x '$f' '$TEST_DIR/control/conffiles' && grep -q -x '$f' '$TEST_DIR/deb.list'"
  done
  for script in postinst prerm postrm; do
    check "maintainer script $script parses (sh -n)" sh -n "$TEST_DIR/control/$script"
  done
  check "postinst creates the user distcc" grep -q 'adduser --quiet --system --group .* distcc$' "$TEST_DIR/control/postinst"
  check "postinst runs the packaged update-distcc-symlinks" grep -q '"/usr/bin/update-distcc-symlinks" --masquerade-dir "$masquerade_dir"' "$TEST_DIR/control/postinst"
  # dpkg itself unpacks it into a throwaway root (--unpack runs no maintainer script; --log
  # keeps dpkg's log there too).
  R=$TEST_DIR/dpkgroot
  mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
  : >"$R/var/lib/dpkg/status"
  if dpkg --root="$R" --log="$R/dpkg.log" --force-not-root --unpack "$deb" >"$TEST_DIR/dpkg.out" 2>&1; then
    pass "dpkg --unpack into a throwaway root"
  else
    cat "$TEST_DIR/dpkg.out"
    fail "dpkg --unpack into a throwaway root"
  fi
  check "dpkg lists the conffiles" bash -c "dpkg --root='$R' -s distcc-cpp | grep -q -E '^ /etc/distcc/hosts ([0-9a-f]{32}|newconffile)$'"
  check "dpkg unpacked the daemon" test -x "$R/usr/bin/distccd"
  # The package's files unpacked (no maintainer script runs) equal the cmake --install tree.
  dpkg-deb -x "$deb" "$TEST_DIR/unpacked"
  check "the .deb's files are the staged install's" \
    diff <(cd "$TEST_DIR/unpacked" && find . ! -type d | sort) <(cd "$STAGE" && { find . ! -type d ! -path './usr/lib/distcc/*'; echo ./usr/lib/distcc/bin; } | sort)
else
  log "cpack or dpkg-deb not found: .deb not built"
fi

finish
