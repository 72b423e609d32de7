# Load generator shared by tests/e2e/test_load.sh and bench/load.sh (sourced after lib.sh or
# bench_lib.sh, which provide wait_for). Honest clients are our `distcc` running real gcc in a
# loop, each on its own small source and output; hostile clients speak the protocol over bash's
# /dev/tcp and misbehave in every way tests/e2e/test_hostile.sh checks one at a time. A sampler
# watches the daemon's process tree through /proc while they run.
#
# The caller sets DCC (our client) and LOAD_DIR (a writable directory) before calling these.

# load_make_sources N: N small distinct C sources src_I.c in $LOAD_DIR and their local objects
# ref_I.o (compiled there with the same relative names as the distributed jobs, so the objects
# must be byte-identical).
load_make_sources() {
  local n=$1 i
  for ((i = 0; i < n; i++)); do
    cat >"$LOAD_DIR/src_$i.c" <<EOF
#include <stdio.h>
#include <string.h>
struct item_$i { char name[32]; int weight; };
static int score(const struct item_$i *it) { return (int)strlen(it->name) * it->weight + $i; }
int client_$i(int n) {
  struct item_$i items[4] = {{"alpha", 1}, {"beta", 2}, {"gamma", $i}, {"delta", n}};
  int total = 0;
  for (int k = 0; k < 4; ++k) total += score(&items[k]);
  printf("client $i: %d\n", total);
  return total;
}
EOF
  done
  (cd "$LOAD_DIR" && seq 0 $((n - 1)) | xargs -P 2 -I{} gcc -O2 -c src_{}.c -o ref_{}.o)
}

# load_honest_client I HOSTS END: compiles src_I.c through distcc on HOSTS until the epoch second
# END, comparing every object with ref_I.o. Writes "jobs wrong failed fallbacks" to result_I.
# A fallback is a job the client compiled locally after all (it says so on stderr).
load_honest_client() {
  local i=$1 hosts=$2 end=$3 jobs=0 wrong=0 failed=0 fallbacks=0
  cd "$LOAD_DIR"
  while ((EPOCHSECONDS < end)); do
    if DISTCC_HOSTS=$hosts "$DCC" gcc -O2 -c "src_$i.c" -o "out_$i.o" 2>"err_$i"; then
      cmp -s "out_$i.o" "ref_$i.o" || wrong=$((wrong + 1))
    else
      failed=$((failed + 1))
    fi
    if grep -qE 'running locally|compiling locally|retrying locally' "err_$i"; then fallbacks=$((fallbacks + 1)); fi
    cat "err_$i" >>"stderr_$i"
    rm -f "out_$i.o"
    jobs=$((jobs + 1))
  done
  echo "$jobs $wrong $failed $fallbacks" >"result_$i"
}

# --- Hostile payloads (each one connection's bytes; see test_hostile.sh for why each matters).
source "$(dirname "${BASH_SOURCE[0]}")/wire_lib.sh"
# Kinds of hostile connection the daemon refuses at once, in the order a hostile client cycles
# through them. The slow kinds, silent and trickle, hold a worker until the daemon's I/O timeout.
LOAD_HOSTILE_KINDS=(cve_sh wrapper plugin specs dump_file dep_file profile random http dist_9999
                    argc_huge argc_stream nul_compiler incbin corrupt_lzo truncated)

# load_hostile_payload KIND PWNED: writes KIND's bytes to stdout (silent and trickle: none).
load_hostile_payload() {
  local kind=$1 pwned=$2
  case $kind in
    cve_sh) v1_request sh -c "touch $pwned" ;;
    wrapper) v1_request gcc -c x.c -o x.o -wrapper "/bin/sh,-c,touch $pwned" ;;
    plugin) v1_request gcc -c x.c -o x.o "-fplugin=$pwned.so" ;;
    specs) v1_request gcc -c x.c -o x.o "-specs=$pwned.specs" ;;
    dump_file) v1_request gcc -c x.c -o x.o "-fdump-tree-all=$pwned" ;;
    dep_file) v1_request gcc -c x.c -o x.o -MMD -MF "$pwned" ;;
    profile) v1_request gcc -c x.c -o x.o "-fprofile-generate=$pwned" ;;
    random) head -c 4096 /dev/urandom ;;
    http) printf 'GET / HTTP/1.0\r\nHost: x\r\n\r\n' ;;
    dist_9999) token DIST 9999 ;;
    argc_huge) token DIST 1; token ARGC 4294967295 ;;
    argc_stream)
      # Three million real arguments: the daemon must stop reading at its limit, not buffer them.
      token DIST 1; token ARGC 3000000
      yes ARGV00000003-O2 | tr -d '\n' | head -c $((3000000 * 15)) ;;
    nul_compiler)
      token DIST 1; token ARGC 5; printf 'ARGV%08x' 5; printf 'gcc\0x'
      arg -c; arg x.c; arg -o; arg x.o; printf 'DOTI%08x%s' 4 'int;' ;;
    incbin)
      local s='int main(void) { __asm__(".incbin \"/etc/passwd\""); return 0; }'
      token DIST 1; token ARGC 5; arg gcc; arg -c; arg x.c; arg -o; arg x.o
      printf 'DOTI%08x%s' "${#s}" "$s" ;;
    corrupt_lzo)
      token DIST 2; token ARGC 5; arg gcc; arg -c; arg x.c; arg -o; arg x.o
      printf 'DOTI00000010'; head -c 16 /dev/urandom ;;
    truncated)
      token DIST 1; token ARGC 5; arg gcc; arg -c; arg x.c; arg -o; arg x.o
      printf 'DOTI00000100short' ;;
    silent | trickle) ;;
  esac
}

# load_hostile_connection PORT KIND PWNED TIMEOUT: one hostile connection. Silent and trickling
# ones wait (at most TIMEOUT seconds) until the daemon closes them; a trickling client sends
# "DIST00000001ARGC" a byte every half second. The others send their bytes (for at most 2 s) and
# wait 2 s for the daemon to close, then close their end and move on: behind a queue of honest jobs
# the daemon may accept the connection later, and must still read it and refuse it.
load_hostile_connection() {
  local port=$1 kind=$2 pwned=$3 timeout=$4 fd c
  exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 0
  if [[ $kind == trickle ]]; then
    local rc
    for c in D I S T 0 0 0 0 0 0 0 1 A R G C; do
      printf '%s' "$c" >&"$fd" 2>/dev/null || break
      # Waits half a second for the daemon: end of stream (it closed) ends the trickle early.
      rc=0
      read -r -N 1 -t 0.5 -u "$fd" _ 2>/dev/null || rc=$?
      ((rc > 128)) || break
    done
  elif [[ $kind != silent ]]; then
    load_hostile_payload "$kind" "$pwned" 2>/dev/null | timeout 2 cat >&"$fd" 2>/dev/null || true
    timeout=2
  fi
  timeout "$timeout" cat <&"$fd" >/dev/null 2>&1 || true
  exec {fd}>&-
}

# load_hostile_client I PORT END PWNED TIMEOUT: until END, client 0 keeps a silent connection open
# and client 1 a trickling one (so one worker each is always held until the I/O timeout); the
# others cycle through the fast kinds, each starting at a different one. Writes the number of
# connections per kind to hostile_I.
load_hostile_client() {
  local i=$1 port=$2 end=$3 pwned=$4 timeout=$5 n=0 kind
  local -A made=()
  # A write to a connection the daemon already closed must fail, not kill this client.
  trap '' PIPE
  cd "$LOAD_DIR"
  while ((EPOCHSECONDS < end)); do
    case $i in
      0) kind=silent ;;
      1) kind=trickle ;;
      *) kind=${LOAD_HOSTILE_KINDS[$(((i + n) % ${#LOAD_HOSTILE_KINDS[@]}))]} ;;
    esac
    load_hostile_connection "$port" "$kind" "$pwned" "$timeout"
    made[$kind]=$((${made[$kind]:-0} + 1))
    n=$((n + 1))
  done
  for kind in "${!made[@]}"; do echo "$kind ${made[$kind]}"; done >"hostile_$i"
}

# load_sum FILES... : sums the columns of the result_* files ("jobs wrong failed fallbacks").
load_sum() {
  awk '{ for (c = 1; c <= NF; c++) s[c] += $c } END { printf "%d %d %d %d\n", s[1], s[2], s[3], s[4] }' "$@"
}

# load_sampler_start PID OUT: samples the process tree under PID every 0.2 s until
# load_sampler_stop; OUT then holds key=value lines:
#   samples, parent_hwm_kib (the daemon parent's VmHWM), worker_hwm_kib (largest VmHWM of a
#   process with the daemon's name below it: pre-forked workers), daemon_rss_kib (largest sum of
#   VmRSS over the daemon's own processes at one moment), tree_rss_kib (the same with the compilers
#   they run), max_processes, max_zombies (seen at one moment; reaping takes a moment, so only
#   the count after the run is asserted).
LOAD_SAMPLER_PID=
load_sampler_start() {
  local pid=$1 out=$2
  rm -f "$out.stop" "$out.ready"
  python3 - "$pid" "$out" <<'PY' &
import os, sys, time
root, out = int(sys.argv[1]), sys.argv[2]

def table():
    procs = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/status") as f:
                fields = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
        except OSError:
            continue
        kib = lambda k: int(fields.get(k, "0 kB").split()[0])
        procs[int(d)] = (int(fields["PPid"]), fields["Name"], fields["State"][0], kib("VmRSS"), kib("VmHWM"))
    return procs

def tree(procs):
    children = {}
    for pid, p in procs.items():
        children.setdefault(p[0], []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return [pid for pid in found if pid in procs]

peak = dict(samples=0, parent_hwm_kib=0, worker_hwm_kib=0, daemon_rss_kib=0, tree_rss_kib=0,
            max_processes=0, max_zombies=0)
while not os.path.exists(out + ".stop"):
    procs = table()
    if root not in procs:
        break
    pids = tree(procs)
    name = procs[root][1]
    own = [p for p in pids if procs[p][1] == name]
    peak["samples"] += 1
    peak["parent_hwm_kib"] = max(peak["parent_hwm_kib"], procs[root][4])
    peak["worker_hwm_kib"] = max([peak["worker_hwm_kib"]] + [procs[p][4] for p in own if p != root])
    peak["daemon_rss_kib"] = max(peak["daemon_rss_kib"], sum(procs[p][3] for p in own))
    peak["tree_rss_kib"] = max(peak["tree_rss_kib"], sum(procs[p][3] for p in pids))
    peak["max_processes"] = max(peak["max_processes"], len(pids))
    peak["max_zombies"] = max(peak["max_zombies"], sum(procs[p][2] == "Z" for p in pids))
    if peak["samples"] == 1:
        open(out + ".ready", "w").close()
    time.sleep(0.2)
with open(out, "w") as f:
    f.writelines(f"{k}={v}\n" for k, v in peak.items())
PY
  LOAD_SAMPLER_PID=$!
  # Python may take seconds to start on a loaded machine: the load starts after its first sample.
  wait_for 60 test -e "$out.ready" || true
}
load_sampler_stop() {
  local out=$1
  touch "$out.stop"
  wait "$LOAD_SAMPLER_PID" || true
  LOAD_SAMPLER_PID=
}
# load_value FILE KEY: a key=value line's value.
load_value() { sed -n "s/^$2=//p" "$1"; }

# load_tree_state PID: "processes zombies" below PID (PID included) right now.
load_tree_state() {
  ps -e -o pid=,ppid=,stat= | awk -v root="$1" '
    { parent[$1] = $2; state[$1] = substr($3, 1, 1) }
    END {
      for (p in parent) {
        for (q = p; q != "" && q != 0 && q != 1; q = parent[q]) if (q == root) { n++; if (state[p] == "Z") z++; break }
      }
      printf "%d %d\n", n, z
    }'
}
# load_fd_count PID: open file descriptors of PID.
load_fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
# load_worker_fds PID: the largest fd count among PID's children with PID's name (its workers).
load_worker_fds() {
  local name max=0 c n
  name=$(cat "/proc/$1/comm")
  for c in $(pgrep -P "$1" -x "$name"); do
    n=$(load_fd_count "$c")
    if ((n > max)); then max=$n; fi
  done
  echo "$max"
}
