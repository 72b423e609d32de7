#!/usr/bin/env python3
"""Driver of bench/pump_build.sh: compiles every translation unit of a CMake build's
compile_commands.json locally, through our daemon in plain mode, in pump mode without and with
our header cache (first build into an empty cache, then a rebuild), JOBS at a time, and reports
wall time, bytes sent per TU and how many pump objects equal the local ones.
Arguments: COMPILE_COMMANDS OUT_DIR DISTCC PORT JOBS ROUNDS (environment prepared by the script)."""
import concurrent.futures
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

commands_file, out_dir, distcc, port, jobs, rounds = sys.argv[1:7]
jobs, rounds = int(jobs), int(rounds)
entries = json.load(open(commands_file))
entries = entries[: int(os.environ.get("PUMP_BENCH_LIMIT", len(entries)))]  # a quick try


def job_argv(entry, index, mode):
    argv = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    out, skip = [], False
    for i, a in enumerate(argv):
        if skip:
            skip = False
            continue
        if a in ("-MT", "-MF", "-MQ"):
            skip = True
            continue
        if a == "-MD":
            continue
        if a == "-o":
            out += ["-o", f"{out_dir}/{mode}/{index}.o"]
            skip = True
            continue
        out.append(a)
    return out if mode == "local" else [distcc] + out


def run_mode(mode):
    os.makedirs(f"{out_dir}/{mode}", exist_ok=True)
    env = dict(os.environ)
    pump = mode.startswith("pump")
    if mode != "local":
        env["DISTCC_HOSTS"] = f"127.0.0.1:{port}/{jobs * 2}," + ("cpp,lzo" if pump else "lzo")
        env["DISTCC_HEADER_CACHE"] = "0" if mode == "pump" else "1"
        env["DISTCC_VERBOSE"] = "1"  # a job the daemon refuses compiles here: counted, not fatal
    if not pump:
        env.pop("INCLUDE_SERVER_PORT", None)

    def one(pair):
        index, entry = pair
        r = subprocess.run(job_argv(entry, index, mode), cwd=entry["directory"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        sent = [int(m) for m in re.findall(r"compile .* on .*: (\d+) bytes sent", r.stderr)]
        proto = re.findall(r"received \(protocol (\d)", r.stderr)
        return r.returncode, sum(sent), proto[-1] if proto else None, r.stderr

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(one, enumerate(entries)))
    wall = time.perf_counter() - start
    failed = [err for code, _, _, err in results if code != 0]
    return wall, [r[:3] for r in results], failed


# "pump": the header cache off (DISTCC_HEADER_CACHE=0; the daemon's cache stays empty).
# "pump+cache first": a first build, the daemon's cache empty at its start (round 1 only: later
# rounds find it full). "pump+cache rebuild": the same TUs again, every file already cached.
MODES = ("local", "plain", "pump", "pump+cache first", "pump+cache rebuild")
walls = {mode: [] for mode in MODES}
last = {}
for round_number in range(rounds):
    for mode in MODES:
        if mode == "pump+cache first" and round_number > 0:
            continue
        wall, results, failed = run_mode(mode)
        if failed:
            sys.exit(f"{len(failed)} {mode} compiles failed; the first said:\n{failed[0][-2000:]}")
        walls[mode].append(wall)
        last[mode] = results

def identical(mode):
    return sum(1 for i in range(len(entries))
               if open(f"{out_dir}/{mode}/{i}.o", "rb").read() == open(f"{out_dir}/local/{i}.o", "rb").read())


print(f"{len(entries)} translation units, {jobs} at a time, {rounds} round(s), medians\n")
print("| mode | wall s | jobs as protocol | compiled here | bytes sent per TU (median) | bytes sent, all TUs |")
print("|---|---:|---|---:|---:|---:|")
for mode in MODES:
    res = last[mode]
    protos = {}
    for _, _, p in res:
        protos[p] = protos.get(p, 0) + 1
    per_tu = [b for _, b, _ in res]
    shown = ", ".join(f"v{p}: {n}" for p, n in sorted(protos.items(), key=str) if p) or "-"
    here = protos.get(None, 0) if mode != "local" else len(res)
    remote = [b for _, b, p in res if p]
    print(f"| {mode} | {statistics.median(walls[mode]):.1f} | {shown} | {here} | "
          f"{statistics.median(remote) if remote else 0:.0f} | {sum(per_tu)} |")
print()
for mode in MODES[2:]:
    print(f"{mode} objects byte-identical to local: {identical(mode)} of {len(entries)}")
