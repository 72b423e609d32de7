#!/usr/bin/env bash
# run_fuzz.sh [SECONDS_PER_TARGET] [BUILD_DIR]: builds the libFuzzer targets in fuzz/ with clang
# (a separate build dir, default build-fuzz; only the fuzz targets, no tests) and runs each one
# for SECONDS_PER_TARGET (default 30), one after another, starting from the committed seeds in
# fuzz/corpus/<target> plus whatever earlier runs in the same build dir found. Prints per target
# the executions, exec/s and the coverage reached (libFuzzer's cov: edges and ft: features).
# Exits non-zero if any target crashed, leaked, ran out of memory or timed out; the input that
# did it is kept in BUILD_DIR/artifacts and its path printed (rerun: BUILD_DIR/fuzz/<target> FILE).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
dir=${2:-$root/build-fuzz}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# -O2 -g without -DNDEBUG: assertions stay on, so a broken invariant is a crash the fuzzer reports.
CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -G Ninja -DDCC_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g" "${launcher[@]}" >/dev/null
cmake --build "$dir" --target fuzz_all

# A small ASan quarantine: the protocol targets allocate a 64 KiB read buffer per input, and with
# the default 256 MiB quarantine every allocation touches fresh pages, halving the exec rate.
# Freed memory is still poisoned; only reuse comes sooner.
export ASAN_OPTIONS="quarantine_size_mb=16:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
# The include analyzer target writes its file tree under $TMPDIR.
export TMPDIR="$dir/tmp"
mkdir -p "$TMPDIR" "$dir/artifacts" "$dir/logs"

failed=()
printf '%-24s %12s %8s %7s %7s  %s\n' target executions exec/s cov ft result
for binary in "$dir"/fuzz/fuzz_*; do
  target=$(basename "$binary")
  name=${target#fuzz_}
  corpus="$dir/corpus/$name"
  mkdir -p "$corpus"
  cp -n "$root/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null || true
  log="$dir/logs/$target.log"
  status=0
  # -timeout: one input running 25 s is a hang (the include analyzer target has honest inputs that
  # take seconds under ASan on a loaded machine); -rss_limit_mb also limits single allocations.
  "$binary" -max_total_time="$seconds" -print_final_stats=1 -timeout=25 -rss_limit_mb=2048 \
    -artifact_prefix="$dir/artifacts/$target-" "$corpus" >"$log" 2>&1 || status=$?
  # A target that fails early has no progress lines: missing values print as "?".
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -1 | cut -d' ' -f2)
  ft=$( (grep -o 'ft: [0-9]*' "$log" || true) | tail -1 | cut -d' ' -f2)
  result=ok
  if ((status != 0)); then
    result="FAILED (exit $status)"
    failed+=("$target")
  fi
  printf '%-24s %12s %8s %7s %7s  %s\n' "$target" "${executions:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$result"
  if ((status != 0)); then
    (grep -E '^==[0-9]+== ?ERROR|runtime error|^SUMMARY|Test unit written to|ALARM|out-of-memory|deadly signal' "$log" || true) |
      head -20 | sed 's/^/    /'
    echo "    full log: $log"
  fi
done
if ((${#failed[@]})); then
  echo "fuzzing failed: ${failed[*]}"
  exit 1
fi
echo "fuzzing: all targets ran ${seconds} s without a failure"
