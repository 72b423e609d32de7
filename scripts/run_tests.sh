#!/usr/bin/env bash
# The whole test suite: unit and end-to-end tests, once in a normal build and once under
# AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install_deps.sh"

status=0
echo "=== normal build"
bash "$root/scripts/build.sh" "$root/build"
ctest --test-dir "$root/build" --output-on-failure -j2 || status=1

echo "=== ASan + UBSan build"
bash "$root/scripts/build.sh" "$root/build-asan" -DDCC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
# Every process (clients, daemons and their forked children) writes its sanitizer reports to
# files in one directory; any file there fails the run, whichever test produced it.
reports=$(mktemp -d /tmp/dcc-sanitizer.XXXXXX)
chmod 1777 "$reports"
export ASAN_OPTIONS="detect_leaks=1:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
ctest --test-dir "$root/build-asan" --output-on-failure -j2 || status=1
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports:"
  cat "$reports"/*
  status=1
fi
rm -rf "$reports"

echo "=== fuzzing: every libFuzzer target for 20 s (scripts/run_fuzz.sh; its own clang build)"
env -u ASAN_OPTIONS -u UBSAN_OPTIONS bash "$root/scripts/run_fuzz.sh" 20 "$root/build-fuzz" || status=1
exit $status
