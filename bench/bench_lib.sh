# Shell helpers shared by the benchmark scripts (sourced).

wait_for() {  # wait_for SECONDS command...
  local end=$((SECONDS + $1)); shift
  until "$@" 2>/dev/null; do
    ((SECONDS < end)) || return 1
    sleep 0.05
  done
}

free_port() {  # a TCP port nothing on 127.0.0.1 answers on
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return; fi
  done
}
