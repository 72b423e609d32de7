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

# require_tools BUILD_HINT: both sides' programs and the helpers every benchmark needs; BUILD_HINT
# says how to build ours. Uses the caller's die and OUR_/STOCK_ variables.
require_tools() {
  local b
  for b in "$OUR_DISTCC" "$OUR_DISTCCD"; do
    [[ -x $b ]] || die "$b not found; build first: $1"
  done
  for b in "$STOCK_DISTCC" "$STOCK_DISTCCD"; do
    [[ -x $b ]] || die "$b not found: install Debian's distcc 3.4 package (apt-get install distcc)"
  done
  command -v python3 >/dev/null || die "python3 is required"
  command -v setsid >/dev/null || die "setsid (util-linux) is required"
}
