#!/usr/bin/env python3
"""Measurement half of host_choice.sh (standard library only); run it through the shell script.

Runs batches of C concurrent client processes ("lanes"), each running K jobs back to back, against
a host list of H loopback addresses that all reach one daemon per side, for ours and for distcc
3.4, interleaved. Per batch: wall time, client CPU (rusage of every client process from wait4,
which includes whatever the client waited for), and checks that every job exited 0, printed
nothing, ran on the daemon (COMPILE_OK count) and wrote the object a local compile writes.
Optionally one more untimed batch per (H, side) under strace counts lock operations per job.
"""

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import time

import bench_measure  # same directory: shared machine and load readers

# As small as a compile gets (no headers, -O0), so the client's own work is a large share.
TINY_C = r"""int answer(void) { return 42; }
"""

SIDES = ("ours", "theirs")
LABEL = {"ours": "ours", "theirs": "3.4"}
TRACED = "openat,open,fcntl,stat,newfstatat,statx,lstat,access,unlink,nanosleep,clock_nanosleep,select,pselect6,poll,ppoll,connect"


class BenchError(Exception):
    pass


class Side:
    def __init__(self, name, client, port, log, work):
        self.name = name
        self.client = client
        self.port = int(port)
        self.log = log
        self.distcc_dir = os.path.join(work, f"distcc_dir_{name}")
        os.makedirs(self.distcc_dir, exist_ok=True)

    def compile_ok_count(self):
        with open(self.log, errors="replace") as f:
            return len(re.findall(r"\bCOMPILE_OK\b", f.read()))

    def hosts(self, n_hosts, slots):
        return " ".join(f"127.0.0.{i}:{self.port}/{slots}" for i in range(1, n_hosts + 1))


def spawn(argv, env, stdout_path, stderr_path):
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    return os.posix_spawnp(argv[0], argv, env, file_actions=actions)


class Batch:
    """One batch: `clients` lanes x `jobs_per_client` jobs, all started at once."""

    def __init__(self, side, n_hosts, pause, args, work, source, reference, strace_dir=None):
        self.side = side
        self.n_hosts = n_hosts
        self.args = args
        self.source = source
        self.reference = reference
        self.strace_dir = strace_dir
        self.outdir = os.path.join(work, "out", side.name)
        os.makedirs(self.outdir, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DISTCC_")}
        env["DISTCC_DIR"] = side.distcc_dir
        env["DISTCC_HOSTS"] = side.hosts(n_hosts, args.slots)
        if pause != "default":
            env["DISTCC_PAUSE_TIME_MSEC"] = pause
        self.env = env
        self.running = {}  # pid -> (lane, k, start_ns)
        self.jobs = []     # (lane, k, latency_ns, cpu_ns, status)

    def _paths(self, lane, k):
        base = os.path.join(self.outdir, f"l{lane}_j{k}")
        return base + ".o", base + ".out", base + ".err", base + ".strace"

    def _start(self, lane, k):
        obj, out, err, trace = self._paths(lane, k)
        argv = [self.side.client, "gcc", "-O0", "-c", self.source, "-o", obj]
        if self.strace_dir:
            argv = ["strace", "-f", "-qq", "-o", trace, "-e", "trace=" + TRACED] + argv
        pid = spawn(argv, self.env, out, err)
        self.running[pid] = (lane, k, time.perf_counter_ns())

    def run(self):
        total = self.args.clients * self.args.jobs_per_client
        ok_before = self.side.compile_ok_count()
        t0 = time.perf_counter_ns()
        try:
            for lane in range(self.args.clients):
                self._start(lane, 0)
            while self.running:
                pid, status, ru = os.wait4(-1, 0)
                if pid not in self.running:
                    continue
                lane, k, start = self.running.pop(pid)
                now = time.perf_counter_ns()
                cpu = int((ru.ru_utime + ru.ru_stime) * 1e9)
                self.jobs.append((lane, k, now - start, cpu, status))
                if k + 1 < self.args.jobs_per_client:
                    self._start(lane, k + 1)
        finally:
            for pid in list(self.running):  # only after an error: our own children
                try:
                    os.kill(pid, 9)
                    os.waitpid(pid, 0)
                except OSError:
                    pass
        wall = time.perf_counter_ns() - t0
        self._verify(total, ok_before)
        cpu = sum(j[3] for j in self.jobs)
        return wall, cpu, total

    def _verify(self, total, ok_before):
        what = f"{LABEL[self.side.name]} with {self.n_hosts} hosts"
        with open(self.reference, "rb") as f:
            ref = f.read()
        for lane, k, _, _, status in self.jobs:
            obj, out, err, _ = self._paths(lane, k)
            with open(err, errors="replace") as f:
                err_text = f.read()
            if status != 0:
                raise BenchError(f"{what}: job {lane}/{k} failed (wait status {status}):\n{err_text}")
            if err_text.strip() and not self.strace_dir:
                raise BenchError(f"{what}: job {lane}/{k} printed on stderr (a fallback?):\n{err_text}")
            with open(obj, "rb") as f:
                if f.read() != ref:
                    raise BenchError(f"{what}: {obj} differs from the local compile {self.reference}")
            os.unlink(obj)
        end = time.monotonic() + 30
        while True:
            done = self.side.compile_ok_count() - ok_before
            if done >= total or time.monotonic() > end:
                break
            time.sleep(0.01)
        if done != total:
            raise BenchError(f"{what}: {total} jobs but {done} new COMPILE_OK lines in {self.side.log} "
                             f"(some jobs compiled locally?)")

    def strace_counts(self):
        """Per-job averages of lock-related system calls, from the strace files."""
        keys = ("lock_open", "lock_try", "lock_got", "backoff_check", "sleep", "connect")
        totals = dict.fromkeys(keys, 0)
        for lane, k, _, _, _ in self.jobs:
            trace = self._paths(lane, k)[3]
            lock_fds = {}  # (pid, fd) of lock files, to tell lock fcntls from other fcntls
            with open(trace, errors="replace") as f:
                for line in f:
                    m = re.match(r"(\d+)\s+(\w+)\((.*)", line)
                    if not m:
                        continue
                    pid, call, rest = m.groups()
                    if call in ("openat", "open") and "/lock/cpu_" in rest:
                        totals["lock_open"] += 1
                        r = re.search(r"= (\d+)\s*$", rest)
                        if r:
                            lock_fds[(pid, r.group(1))] = True
                    elif call == "fcntl" and re.search(r"F_(OFD_)?SETLKW?\b.*F_WRLCK", rest):
                        fd = rest.split(",", 1)[0].strip()
                        if (pid, fd) in lock_fds:
                            totals["lock_try"] += 1
                            if re.search(r"= 0\s*$", rest):
                                totals["lock_got"] += 1
                    elif call in ("stat", "newfstatat", "statx", "lstat", "access") and "/lock/backoff_" in rest:
                        totals["backoff_check"] += 1
                    elif call in ("nanosleep", "clock_nanosleep"):
                        totals["sleep"] += 1
                    elif call in ("select", "pselect6", "poll", "ppoll") and re.match(r"0, NULL|NULL, 0", rest):
                        totals["sleep"] += 1  # poll(NULL, 0, ms) style sleeps
                    elif call == "connect" and "AF_INET" in rest:
                        totals["connect"] += 1
            os.unlink(trace)
        n = len(self.jobs)
        return {key: value / n for key, value in totals.items()}


def read_loadavg():
    return bench_measure.read_loadavg(fields=3)


def fmt_ms(ns):
    ms = ns / 1e6
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


def build_report(args, samples, trace, loads, started, elapsed):
    model, ncpu, kernel, _gcc = bench_measure.machine_description()
    jobs = args.clients * args.jobs_per_client
    lines = ["# Host choice under lock contention: ours vs distcc 3.4", ""]
    lines.append(f"- date: {started}; machine: {model}, nproc {ncpu}, Linux {kernel}")
    lines.append(f"- load average (1/5/15 min) before / middle / after: {loads[0]} / {loads[1]} / {loads[2]}")
    lines.append(f"- {args.clients} concurrent clients x {args.jobs_per_client} jobs each = {jobs} jobs per batch; "
                 f"host list `127.0.0.1:PORT/{args.slots} ... 127.0.0.H:PORT/{args.slots}` (one daemon per side "
                 f"behind every address, -j {args.daemon_jobs}); {args.reps} interleaved batches per cell; "
                 f"{args.network}; {elapsed:.0f} s")
    lines.append(f"- job: `distcc gcc -O0 -c tiny.i -o OUT` (`tiny.i` is `int answer(void) {{ return 42; }}` preprocessed: no local cpp); every job "
                 f"checked: exit 0, silent, one COMPILE_OK each, object identical to a local compile")
    lines.append(f"- ours: {args.our_version}; 3.4: Debian /usr/bin/distcc and /usr/bin/distccd")
    lines.append("- wall/job: batch wall time / jobs in the batch; CPU/job: user+sys of the client processes "
                 "(wait4 rusage) / jobs. Medians over the batches; ratio = ours / 3.4; \"ours lower\": "
                 "batches (paired by repetition) where ours had the lower value")
    lines.append("")
    lines.append("| pause | hosts | wall/job ours ms | 3.4 ms | ratio | ours lower | CPU/job ours ms | 3.4 ms | ratio | ours lower |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    med = {}
    for pause in args.pauses:
        for h in args.hosts:
            row = [pause if pause == "default" else f"{pause} ms", str(h)]
            for metric in (0, 1):
                a = [s[metric] for s in samples[(pause, h, "ours")]]
                b = [s[metric] for s in samples[(pause, h, "theirs")]]
                ma, mb = statistics.median(a), statistics.median(b)
                med[(pause, h, "ours", metric)] = ma
                med[(pause, h, "theirs", metric)] = mb
                wins = sum(1 for x, y in zip(a, b) if x < y)
                row += [fmt_ms(ma), fmt_ms(mb), ratio(ma, mb), f"{wins}/{len(a)}"]
            lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    h0 = args.hosts[0]
    lines.append(f"Growth with the number of hosts: each side's median divided by its own median at {h0} host(s).")
    lines.append("")
    lines.append("| pause | hosts | wall growth ours | wall growth 3.4 | CPU growth ours | CPU growth 3.4 |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    for pause in args.pauses:
        for h in args.hosts:
            row = [pause if pause == "default" else f"{pause} ms", str(h)]
            for metric in (0, 1):
                for side in SIDES:
                    row.append(ratio(med[(pause, h, side, metric)], med[(pause, h0, side, metric)]))
            lines.append("| " + " | ".join(row) + " |")
    if trace:
        lines.append("")
        lines.append("System calls per job, from one extra untimed batch per cell under `strace -f` (pause "
                     f"{args.pauses[0]}; strace slows the clients, so waits are longer than in the timed runs):")
        lines.append("")
        lines.append("| hosts | side | lock-file opens | lock attempts (fcntl) | locks got | backoff-file checks | sleeps | connects |")
        lines.append("|---:|---|---:|---:|---:|---:|---:|---:|")
        for h in args.hosts:
            for side in SIDES:
                t = trace.get((h, side))
                if t:
                    lines.append(f"| {h} | {LABEL[side]} | {t['lock_open']:.1f} | {t['lock_try']:.1f} | "
                                 f"{t['lock_got']:.2f} | {t['backoff_check']:.1f} | {t['sleep']:.1f} | {t['connect']:.2f} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--ours", nargs=3, metavar=("CLIENT", "PORT", "LOG"), required=True)
    ap.add_argument("--theirs", nargs=3, metavar=("CLIENT", "PORT", "LOG"), required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--clients", type=int, default=40)
    ap.add_argument("--jobs-per-client", type=int, default=2)
    ap.add_argument("--hosts", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--slots", type=int, default=4)
    ap.add_argument("--pauses", nargs="+", default=["default", "10"])
    ap.add_argument("--daemon-jobs", type=int, default=40)
    ap.add_argument("--strace", type=int, default=1)
    ap.add_argument("--our-version", default="")
    ap.add_argument("--network", default="")
    ap.add_argument("--results", required=True)
    ap.add_argument("--csv", required=True)
    args = ap.parse_args()
    if any(h < 1 or h > 254 for h in args.hosts):
        raise BenchError("host counts must be 1..254 (127.0.0.1 ... 127.0.0.H)")
    for p in args.pauses:
        if p != "default" and not p.isdigit():
            raise BenchError(f"pause variant {p!r}: 'default' or milliseconds")

    sides = {"ours": Side("ours", *args.ours, args.work), "theirs": Side("theirs", *args.theirs, args.work)}
    srcdir = os.path.join(args.work, "src")
    os.makedirs(srcdir, exist_ok=True)
    with open(os.path.join(srcdir, "tiny.c"), "w") as f:
        f.write(TINY_C)
    source = os.path.join(srcdir, "tiny.i")
    reference = os.path.join(srcdir, "tiny.local.o")
    subprocess.run(["gcc", "-E", os.path.join(srcdir, "tiny.c"), "-o", source], check=True)
    subprocess.run(["gcc", "-O0", "-c", source, "-o", reference], check=True)

    started = time.strftime("%Y-%m-%d %H:%M %Z")
    loads = [read_loadavg()]
    t_start = time.monotonic()
    # Warm-up (unmeasured, verified): page cache, daemons' first jobs, lock files created.
    for side in SIDES:
        Batch(sides[side], max(args.hosts), args.pauses[0], args, args.work, source, reference).run()

    samples = {}
    rows = []
    cells = [(p, h) for p in args.pauses for h in args.hosts]
    for rep in range(args.reps):
        for i, (pause, h) in enumerate(cells):
            order = SIDES if (rep + i) % 2 == 0 else SIDES[::-1]
            for side in order:
                wall, cpu, n = Batch(sides[side], h, pause, args, args.work, source, reference).run()
                samples.setdefault((pause, h, side), []).append((wall / n, cpu / n))
                rows.append([rep, pause, h, side, n, wall, cpu])
        if rep == args.reps // 2:
            loads.append(read_loadavg())
        print(f"  repetition {rep + 1}/{args.reps} done ({time.monotonic() - t_start:.0f} s)", file=sys.stderr, flush=True)
    if len(loads) < 2:
        loads.append(loads[0])
    loads.append(read_loadavg())
    elapsed = time.monotonic() - t_start

    trace = {}
    if args.strace:
        for h in args.hosts:
            for side in SIDES:
                batch = Batch(sides[side], h, args.pauses[0], args, args.work, source, reference,
                              strace_dir=True)
                batch.run()
                trace[(h, side)] = batch.strace_counts()
        print(f"  strace batches done ({time.monotonic() - t_start:.0f} s)", file=sys.stderr, flush=True)

    with open(args.csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["repetition", "pause", "hosts", "side", "jobs", "wall_ns", "client_cpu_ns"])
        w.writerows(rows)
    text = build_report(args, samples, trace, loads, started, elapsed)
    print(text)
    with open(args.results, "w") as f:
        f.write(text)


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        print(f"host_choice: ERROR: {e}", file=sys.stderr)
        sys.exit(1)
