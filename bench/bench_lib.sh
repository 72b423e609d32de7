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

# find_binaries REPO: our programs (in $BENCH_BIN_DIR, default REPO/build) and Debian's 3.4 ones.
find_binaries() {
  BIN_DIR=${BENCH_BIN_DIR:-$1/build}
  OUR_DISTCC=$BIN_DIR/src/client/distcc
  OUR_DISTCCD=$BIN_DIR/src/daemon/distccd
  STOCK_DISTCC=/usr/bin/distcc
  STOCK_DISTCCD=/usr/bin/distccd
}

# A clean distcc environment: nothing from the caller's DISTCC_* settings leaks in.
clear_distcc_environment() {
  local var
  for var in $(env | sed -n 's/^\(DISTCC_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(_DISTCC_SAFEGUARD\)=.*/\1/p; s/^\(UNCACHED_ERR_FD\)=.*/\1/p'); do
    unset "$var"
  done
  unset CCACHE_PREFIX DEPENDENCIES_OUTPUT SUNPRO_DEPENDENCIES || true
}
