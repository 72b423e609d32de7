#!/usr/bin/env python3
"""Measurement half of compare_with_distcc34.sh (standard library only).

The shell script sets up the private environment and starts both daemons; this program runs the
interleaved jobs, checks that every one of them ran remotely and produced the same object as a
local compile, and prints/writes the comparison table. Run it through the shell script.
"""

import argparse
import csv
import os
import platform
import re
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")

HELLO_C = r"""#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 0;
}
"""

CXX_HEADERS = r"""#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct Item {
  std::string name;
  int weight;
};

int main() {
  std::vector<std::unique_ptr<Item>> items;
  for (int i = 0; i < 10; ++i) items.push_back(std::make_unique<Item>(Item{"item" + std::to_string(i), (i * 7) % 10}));
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a->weight < b->weight; });
  std::map<std::string, int> index;
  for (const auto& item : items) index[item->name] += item->weight;
  for (const auto& [name, weight] : index) std::cout << name << ' ' << weight << '\n';
  return 0;
}
"""

# name, file, compiler driver, contents
WORKLOADS = [
    ("hello.c", "hello.c", "gcc", HELLO_C),
    ("cxx_headers.cpp", "cxx_headers.cpp", "g++", CXX_HEADERS),
]
PROTOCOLS = [(1, ""), (2, ",lzo")]


class BenchError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Daemon-side CPU accounting
# ---------------------------------------------------------------------------------------------

def read_stat(pid):
    """(state, ppid, utime+stime+cutime+cstime in ticks) of a process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    rest = text[text.rindex(")") + 2:].split()
    # rest[0] is field 3 (state); utime..cstime are fields 14..17.
    return rest[0], int(rest[1]), sum(int(x) for x in rest[11:15])


class Daemon:
    """One running daemon: its port, log, and the CPU used by its whole process tree.

    With a cgroup (v2 'cpu.stat', always present even without the cpu controller) the CPU is
    exact: usage_usec covers every process that ever ran in the group, including the forked job
    servers and the compilers they ran, whether they are still alive or not. Without one we sum
    utime+stime+cutime+cstime over the live process tree from /proc/<pid>/stat: a reaped child's
    time (compilers, and our fork-per-job servers) is in its parent's cutime/cstime, but the
    values are in clock ticks (10 ms), so single-job numbers are quantised.
    """

    def __init__(self, name, pid, port, log, cgroup):
        self.name = name
        self.pid = pid
        self.port = port
        self.log = log
        self.cgroup = cgroup or None
        self.log_offset = 0
        self.idle_workers = None

    def processes(self):
        """[(pid, state, depth)] of the daemon's process tree (depth 0 = the daemon itself)."""
        table = {}
        if self.cgroup:
            with open(os.path.join(self.cgroup, "cgroup.procs")) as f:
                pids = [int(x) for x in f.read().split()]
        else:
            pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        for pid in pids:
            st = read_stat(pid)
            if st:
                table[pid] = st
        out = []
        for pid, (state, ppid, _) in table.items():
            depth, cur = 0, pid
            while cur != self.pid and cur in table and depth < 64:
                cur = table[cur][1]
                depth += 1
            if cur == self.pid:
                out.append((pid, state, depth, table[pid][2]))
        return out

    def cpu_ns(self):
        if self.cgroup:
            with open(os.path.join(self.cgroup, "cpu.stat")) as f:
                for line in f:
                    key, value = line.split()
                    if key == "usage_usec":
                        return int(value) * 1000
            raise BenchError(f"no usage_usec in {self.cgroup}/cpu.stat")
        return sum(p[3] for p in self.processes()) * 1_000_000_000 // CLK_TCK

    def _idle_shape(self):
        """Number of direct children if the tree looks idle, else None."""
        procs = self.processes()
        if not any(p[2] == 0 for p in procs):
            raise BenchError(f"daemon {self.name} (pid {self.pid}) is gone; see {self.log}")
        if any(p[2] >= 2 or p[1] not in "SI" for p in procs):
            return None  # a compiler still runs, or something is running/exiting/unreaped
        return sum(1 for p in procs if p[2] == 1)

    def wait_idle(self, timeout=30.0, stable_polls=2):
        """Waits until the tree is back to its idle shape (the job's server has finished, exited
        and been reaped, or for 3.4's preforked workers: gone back to sleep in accept()), seen
        stable_polls times in a row 5 ms apart. The first call learns the idle shape."""
        end = time.monotonic() + timeout
        seen, last = 0, None
        while time.monotonic() < end:
            shape = self._idle_shape()
            ok = shape is not None and (shape == self.idle_workers if self.idle_workers is not None else shape == last)
            seen = seen + 1 if ok else 0
            last = shape
            if seen >= stable_polls:
                if self.idle_workers is None:
                    self.idle_workers = shape
                return
            time.sleep(0.005)
        raise BenchError(f"daemon {self.name} did not become idle within {timeout} s: {self.processes()}")

    def new_log_text(self):
        with open(self.log, errors="replace") as f:
            f.seek(self.log_offset)
            text = f.read()
            self.log_offset = f.tell()
        return text


# ---------------------------------------------------------------------------------------------
# Running one job
# ---------------------------------------------------------------------------------------------

def run_job(client, compiler, source, output, host, env, daemon, reference, timeout=120.0):
    """Runs one client invocation; returns (wall_ns, client_cpu_ns, daemon_cpu_ns).

    Raises BenchError unless the job ran on the daemon (exactly one new COMPILE_OK line in its
    log) and the object is byte-identical to the local reference."""
    if os.path.exists(output):
        os.unlink(output)
    daemon.wait_idle()
    daemon.new_log_text()  # skip whatever is already there
    job_env = dict(env, DISTCC_HOSTS=host)
    argv = [client, compiler, "-O2", "-c", source, "-o", output]

    d0 = daemon.cpu_ns()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter_ns()
    proc = subprocess.run(argv, env=job_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)
    t1 = time.perf_counter_ns()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The daemon may still be logging, cleaning up and reaping after the client got its reply:
    # that work belongs to this job, so wait for the log line and the idle tree before reading.
    end = time.monotonic() + 30
    log_text = ""
    while True:
        log_text += daemon.new_log_text()
        if re.search(r"\bCOMPILE_OK\b", log_text) or time.monotonic() > end:
            break
        time.sleep(0.002)
    daemon.wait_idle()
    d1 = daemon.cpu_ns()
    log_text += daemon.new_log_text()

    what = f"{' '.join(argv)} with DISTCC_HOSTS={host}"
    if proc.returncode != 0:
        raise BenchError(f"{what} failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')}")
    ok_lines = len(re.findall(r"\bCOMPILE_OK\b", log_text))
    if ok_lines != 1:
        raise BenchError(f"{what}: expected 1 COMPILE_OK in {daemon.log}, found {ok_lines} "
                         f"(the job fell back to a local compile?)\nclient stderr:\n"
                         f"{proc.stderr.decode(errors='replace')}\nnew daemon log:\n{log_text}")
    with open(output, "rb") as a, open(reference, "rb") as b:
        if a.read() != b.read():
            raise BenchError(f"{what}: {output} differs from the local compile {reference}")
    client_cpu = ((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)) * 1e9
    return t1 - t0, int(client_cpu), d1 - d0


class CountingRelay:
    """A one-connection TCP relay on loopback that counts the bytes in each direction."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.sent = 0       # client -> daemon
        self.received = 0   # daemon -> client
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _pump(self, src, dst, attr):
        while True:
            try:
                data = src.recv(1 << 16)
            except OSError:
                data = b""
            if not data:
                break
            setattr(self, attr, getattr(self, attr) + len(data))
            try:
                dst.sendall(data)
            except OSError:
                break
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _serve(self):
        client, _ = self.listener.accept()
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        down = threading.Thread(target=self._pump, args=(upstream, client, "received"))
        down.start()
        self._pump(client, upstream, "sent")
        down.join()
        client.close()
        upstream.close()
        self.listener.close()

    def join(self):
        self.thread.join(timeout=30)


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------

def fmt_ms(ns):
    ms = ns / 1e6
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def read_loadavg(fields=1):
    """The first `fields` load averages (1, 5, 15 minutes) as text."""
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:fields])
    except OSError:
        return "?"


def machine_description():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    gcc = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.splitlines()
    return model, os.cpu_count(), platform.release(), gcc[0] if gcc else "gcc ?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--our-client", required=True)
    ap.add_argument("--stock-client", required=True)
    ap.add_argument("--ours", nargs=4, metavar=("PID", "PORT", "LOG", "CGROUP"), required=True)
    ap.add_argument("--theirs", nargs=4, metavar=("PID", "PORT", "LOG", "CGROUP"), required=True)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--jobs", type=int, required=True)
    ap.add_argument("--nice", default="default")
    ap.add_argument("--our-version", default="")
    ap.add_argument("--results", required=True, help="markdown file to write")
    ap.add_argument("--csv", required=True, help="per-job raw data")
    args = ap.parse_args()

    daemons = {
        "ours": Daemon("ours", int(args.ours[0]), int(args.ours[1]), args.ours[2], args.ours[3]),
        "theirs": Daemon("theirs", int(args.theirs[0]), int(args.theirs[1]), args.theirs[2], args.theirs[3]),
    }
    clients = {"ours": args.our_client, "theirs": args.stock_client}
    env = dict(os.environ)
    srcdir = os.path.join(args.work, "src")
    outdir = os.path.join(args.work, "out")
    os.makedirs(srcdir, exist_ok=True)
    os.makedirs(outdir, exist_ok=True)

    # Local references.
    refs = {}
    for name, fname, compiler, text in WORKLOADS:
        path = os.path.join(srcdir, fname)
        with open(path, "w") as f:
            f.write(text)
        refs[name] = os.path.join(outdir, f"{fname}.local.o")
        subprocess.run([compiler, "-O2", "-c", path, "-o", refs[name]], check=True)

    for d in daemons.values():
        d.wait_idle(stable_polls=40)  # also records how many idle workers the tree has (3.4 preforks)

    load_before = read_loadavg()
    samples = {}  # (workload, proto, pair) -> list of (wall, client, daemon)
    rows = []
    t_start = time.monotonic()
    for name, fname, compiler, _ in WORKLOADS:
        src = os.path.join(srcdir, fname)
        for proto, suffix in PROTOCOLS:
            for pair in ("ours", "theirs"):
                samples[(name, proto, pair)] = []
            total = args.warmup + args.runs
            for i in range(total):
                # ABAB... with the first of each pair alternating (ours,theirs / theirs,ours), so
                # neither side systematically runs right after the other.
                order = ("ours", "theirs") if i % 2 == 0 else ("theirs", "ours")
                for pair in order:
                    d = daemons[pair]
                    out = os.path.join(outdir, f"{fname}.p{proto}.{pair}.{i}.o")
                    wall, ccpu, dcpu = run_job(clients[pair], compiler, src, out, f"127.0.0.1:{d.port}{suffix}",
                                               env, d, refs[name])
                    warm = i < args.warmup
                    rows.append([name, proto, pair, i, int(warm), wall, ccpu, dcpu])
                    if not warm:
                        samples[(name, proto, pair)].append((wall, ccpu, dcpu))
                    os.unlink(out)
            print(f"  {name} protocol {proto}: {args.runs} x 2 jobs done "
                  f"({time.monotonic() - t_start:.0f} s elapsed)", file=sys.stderr, flush=True)

    # Bytes on the wire: one extra (untimed) job per cell through a counting relay.
    wire = {}
    for name, fname, compiler, _ in WORKLOADS:
        src = os.path.join(srcdir, fname)
        for proto, suffix in PROTOCOLS:
            for pair in ("ours", "theirs"):
                d = daemons[pair]
                relay = CountingRelay(d.port)
                out = os.path.join(outdir, f"{fname}.p{proto}.{pair}.wire.o")
                run_job(clients[pair], compiler, src, out, f"127.0.0.1:{relay.port}{suffix}", env, d, refs[name])
                relay.join()
                wire[(name, proto, pair)] = (relay.sent, relay.received)
                os.unlink(out)

    with open(args.csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["workload", "protocol", "pair", "iteration", "warmup", "wall_ns", "client_cpu_ns", "daemon_cpu_ns"])
        w.writerows(rows)

    load_after = read_loadavg()
    model, ncpu, kernel, gcc = machine_description()
    cpu_method = ("cgroup v2 cpu.stat usage_usec of a private cgroup per daemon (exact, includes the job "
                  "servers and compilers)" if daemons["ours"].cgroup else
                  "/proc/<pid>/stat utime+stime+cutime+cstime summed over the daemon's process tree "
                  f"(clock ticks of {1000 // CLK_TCK} ms: single jobs are quantised)")
    lines = []
    lines.append("# distcc clone vs distcc 3.4: loopback benchmark")
    lines.append("")
    lines.append(f"- machine: {model}, nproc {ncpu}, Linux {kernel}, {gcc}")
    lines.append(f"- runs: N={args.runs} measured jobs per cell and side (+{args.warmup} warm-up), "
                 f"interleaved ours/theirs; daemons -j {args.jobs}, nice {args.nice}")
    lines.append(f"- load average (1 min) before / after the timed jobs: {load_before} / {load_after} "
                 f"(other load on the machine inflates both sides' times; the interleaving keeps the ratios fair)")
    lines.append(f"- ours: {args.our_version}; theirs: Debian distcc 3.4 (/usr/bin/distcc, /usr/bin/distccd)")
    lines.append("- every job checked: one COMPILE_OK in the daemon log and an object byte-identical to a local `-O2 -c`")
    lines.append(f"- wall: client start to exit; client CPU: user+sys of the client and the children it waited for "
                 f"(its local preprocessor); daemon CPU: {cpu_method}")
    lines.append("")
    lines.append("| workload | protocol | metric | median ours | median theirs | ratio ours/theirs | ours lower in |")
    lines.append("|---|---|---|---:|---:|---:|---:|")
    metrics = [("wall ms", lambda s: s[0]), ("client CPU ms", lambda s: s[1]), ("daemon CPU ms", lambda s: s[2]),
               ("total CPU ms", lambda s: s[1] + s[2])]
    for name, _, _, _ in WORKLOADS:
        for proto, _ in PROTOCOLS:
            ours = samples[(name, proto, "ours")]
            theirs = samples[(name, proto, "theirs")]
            for label, get in metrics:
                a = [get(s) for s in ours]
                b = [get(s) for s in theirs]
                ma, mb = statistics.median(a), statistics.median(b)
                ratio = f"{ma / mb:.2f}" if mb > 0 else "n/a"
                wins = sum(1 for x, y in zip(a, b) if x < y)
                lines.append(f"| {name} | {proto} | {label} | {fmt_ms(ma)} | {fmt_ms(mb)} | {ratio} | {wins}/{len(a)} |")
    lines.append("")
    lines.append("Bytes on the wire per job (one extra untimed job per cell through a counting TCP relay):")
    lines.append("")
    lines.append("| workload | protocol | ours sent | ours received | theirs sent | theirs received | ratio sent |")
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    for name, _, _, _ in WORKLOADS:
        for proto, _ in PROTOCOLS:
            os_, or_ = wire[(name, proto, "ours")]
            ts, tr = wire[(name, proto, "theirs")]
            lines.append(f"| {name} | {proto} | {os_} | {or_} | {ts} | {tr} | {os_ / ts:.2f} |")
    lines.append("")
    lines.append("ratio < 1: ours is faster / cheaper. \"ours lower in\": in how many of the N interleaved "
                 "pairs (ours run i vs theirs run i) ours had the lower value.")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.results, "w") as f:
        f.write(text)


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        print(f"compare_with_distcc34: ERROR: {e}", file=sys.stderr)
        sys.exit(1)
