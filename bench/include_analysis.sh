#!/usr/bin/env bash
# include_analysis.sh [RELEASE_BUILD_DIR]: pump include analysis time per translation unit next to
# `gcc -M` per TU, over this repository's own src/ and tests/ C++ files with their real flags
# (they pull in the C++ standard library and gtest). Prints a markdown table of medians and
# writes it to bench/results/include_analysis.md (not committed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-release}
die() { echo "include_analysis.sh: $*" >&2; exit 1; }
command -v python3 >/dev/null || die "python3 is required"
command -v g++ >/dev/null || die "g++ is required"

if [[ ! -f $build/build.ninja ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$build" -j2 dcc_pump >/dev/null
driver=$build/include_analysis_driver
g++ -std=c++20 -O2 -I"$root/src" "$root/bench/include_analysis_driver.cpp" "$build/src/pump/libdcc_pump.a" \
  "$build/src/common/libdcc_common.a" $(pkg-config --libs lzo2) -o "$driver"

work=$(mktemp -d /tmp/include_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# One line per TU: directory, then the compile's words, tab-separated.
python3 - "$build/compile_commands.json" "$root" >"$work/commands.tsv" <<'PY'
import json, shlex, sys
entries = json.load(open(sys.argv[1]))
root = sys.argv[2]
for e in entries:
    f = e["file"]
    if not f.endswith(".cpp") or not (f.startswith(root + "/src/") or f.startswith(root + "/tests/")):
        continue
    words = e.get("arguments") or shlex.split(e["command"])
    print("\t".join([e["directory"]] + words))
PY
tus=$(wc -l <"$work/commands.tsv")
(( tus > 0 )) || die "no translation units found in $build/compile_commands.json"

"$driver" "$work/commands.tsv" >"$work/analysis.txt" 2>"$work/driver.err" || { cat "$work/driver.err" >&2; die "analysis failed"; }
cat "$work/driver.err" >&2

# gcc -M per TU: the same command, dependency output only.
python3 - "$work/commands.tsv" "$work/analysis.txt" "$root/bench/results/include_analysis.md" <<'PY'
import statistics, subprocess, sys, time
commands = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
analysis = [list(map(int, line.split())) for line in open(sys.argv[2])]
gcc_us = []
for fields in commands:
    directory, words = fields[0], fields[1:]
    argv, skip = [], False
    for w in words:
        if skip:
            skip = False
            continue
        if w in ("-o", "-MT", "-MF", "-MQ"):
            skip = True
            continue
        if w in ("-c", "-MD", "-MMD"):
            continue
        argv.append(w)
    argv += ["-M", "-o", "/dev/null"]
    start = time.perf_counter()
    subprocess.run(argv, cwd=directory, check=True)
    gcc_us.append((time.perf_counter() - start) * 1e6)
med = lambda xs: statistics.median(xs)
column = lambda i: [a[i] for a in analysis]
files = med(column(3))
rows = [
    ("`gcc -M` (one process per TU)", gcc_us),
    ("pump analysis, fresh analyzer per TU (cold caches)", column(0)),
    ("pump analysis, first pass through the build (shared analyzer)", column(1)),
    ("pump analysis, warm (every header analysed before)", column(2)),
]
gcc = med(gcc_us)
out = [f"Include analysis per TU over {len(commands)} TUs of this repository (median {files:.0f} files sent per TU)", "",
       "| what | median per TU | gcc -M / this (medians) | total, all TUs |", "|---|---:|---:|---:|"]
for name, xs in rows:
    out.append(f"| {name} | {med(xs) / 1000:.2f} ms | {gcc / med(xs):.1f}x | {sum(xs) / 1e6:.2f} s |")
text = "\n".join(out) + "\n"
print(text)
open(sys.argv[3], "w").write(text)
PY
