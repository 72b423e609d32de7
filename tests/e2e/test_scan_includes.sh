#!/usr/bin/env bash
# distcc --scan-includes: the files pump mode would send for a small multi-directory project,
# compared with what gcc -MM reports (real paths), plus the extras over-approximation must add.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"

command -v gcc >/dev/null || skip_test "gcc is not installed"
command -v g++ >/dev/null || skip_test "g++ is not installed"

P=$TEST_DIR/proj
mkdir -p "$P/src" "$P/real_include/lib" "$P/wrap" "$P/config" "$P/src/detail"
cat >"$P/src/main.c" <<'C'
#include <stdio.h>
#include "util.h"
#include <lib/api.h>
#include CONFIG_HEADER
#include "detail/../local.h"
#if 0
#include "unused.h"
#endif
int main(void) { return api() + util() + LOCAL + CONFIG_VALUE; }
C
cat >"$P/src/util.h" <<'C'
#pragma once
#include <stdlib.h>
#include <wrap.h>
static inline int util(void) { return WRAPPED; }
C
cat >"$P/src/local.h" <<'C'
#define LOCAL 1
C
echo '/* never compiled: only in a dead #if branch */' >"$P/src/unused.h"
cat >"$P/wrap/wrap.h" <<'C'
#include_next <wrap.h>
C
cat >"$P/real_include/wrap.h" <<'C'
#define WRAPPED 2
C
cat >"$P/real_include/lib/api.h" <<'C'
#include "api_detail.h"
static inline int api(void) { return API_DETAIL; }
C
echo '#define API_DETAIL 3' >"$P/real_include/lib/api_detail.h"
echo '#define CONFIG_VALUE 4' >"$P/config/config_linux.h"
ln -s real_include "$P/include"
cat >"$P/src/vec.cc" <<'C'
#include <vector>
#include <string>
#include "util.h"
std::vector<std::string> names() { return {"x"}; }
C

cd "$P"
FLAGS=(-Iwrap -Iinclude -Iconfig '-DCONFIG_HEADER="config_linux.h"')

# gcc's own answer: the non-system headers it reads, as real paths, plus the source.
gcc_set() {  # gcc_set COMPILER SOURCE
  "$1" "${FLAGS[@]}" -MM "$2" | sed -e 's/\\$//' | tr ' ' '\n' | grep -v -e ':$' -e '^$' |
    while read -r f; do realpath "$f"; done | sort -u
}
scan_files() { sed -n 's/^FILE  *//p' "$1" | sort -u; }
scan_to() { local out=$1; shift; "$DCC" --scan-includes "$@" >"$out"; }  # stdout of check stays clean
only_report_lines() { ! grep -v -E '^(FILE      |SYMLINK   |DIRECTORY |SYSTEMDIR )/' "$1"; }

check "scan of a C source succeeds" scan_to "$TEST_DIR/c.out" gcc "${FLAGS[@]}" -c src/main.c -o main.o
cat "$TEST_DIR/c.out"
expected_c=$( (gcc_set gcc src/main.c; realpath src/unused.h) | sort -u)
check "C: FILE set is gcc -MM's plus the dead-branch header" [ "$(scan_files "$TEST_DIR/c.out")" == "$expected_c" ]
check "every line is CATEGORY path" only_report_lines "$TEST_DIR/c.out"
check "the symlinked include dir is a SYMLINK" grep -qx "SYMLINK   $P/include" "$TEST_DIR/c.out"
check "the .. step needs src/detail" grep -qx "DIRECTORY $P/src/detail" "$TEST_DIR/c.out"
check "the compiler's /usr/include is a SYSTEMDIR" grep -qx "SYSTEMDIR /usr/include" "$TEST_DIR/c.out"
check "no system header is sent" bash -c "! grep -q '^FILE *$(gcc -print-file-name=include)\|^FILE */usr/include/' '$TEST_DIR/c.out'"
check "the scan writes no object" test ! -e main.o

check "scan of a C++ source succeeds" scan_to "$TEST_DIR/cc.out" g++ "${FLAGS[@]}" -std=c++17 -c src/vec.cc
check "C++: FILE set equals gcc -MM's (libstdc++ not sent)" [ "$(scan_files "$TEST_DIR/cc.out")" == "$(gcc_set g++ src/vec.cc)" ]
check "C++: the libstdc++ directory is a SYSTEMDIR" grep -q "^SYSTEMDIR /usr/include/c++/" "$TEST_DIR/cc.out"

check "implicit compiler (distcc --scan-includes -c x.c)" scan_to "$TEST_DIR/implicit.out" "${FLAGS[@]}" -c src/main.c
check "implicit compiler gives the same files" [ "$(scan_files "$TEST_DIR/implicit.out")" == "$expected_c" ]

if "$DCC" --scan-includes gcc -iprefix /x -c src/main.c >"$TEST_DIR/giveup.out" 2>"$TEST_DIR/giveup.err"; then
  fail "an unsupported option must make the scan give up"
else
  check "giving up names the reason" grep -q "pump: -iprefix is not supported" "$TEST_DIR/giveup.err"
  check "giving up prints no list" test ! -s "$TEST_DIR/giveup.out"
fi
check "a missing source is an error" bash -c "! '$DCC' --scan-includes gcc -c nowhere.c 2>/dev/null"
finish
