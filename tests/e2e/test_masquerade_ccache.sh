#!/usr/bin/env bash
# Masquerade mode (a directory of gcc/g++/cc links to distcc first on PATH, like
# /usr/lib/distcc/bin) and ccache in front of distcc (CCACHE_PREFIX=distcc), with make on the
# sample project: jobs run on the daemon, objects are identical to a local build, and a second
# ccache build is served from the cache without contacting the daemon.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
OBJECTS=(main.o util.o shapes.o)

start_daemon d --allow 127.0.0.1
export DISTCC_HOSTS="127.0.0.1:$d_PORT,lzo"
jobs_done() { count_in "$d_LOG" "COMPILE_OK"; }

cp -r "$SAMPLE" "$TEST_DIR/local"
make -s -C "$TEST_DIR/local" CC=gcc CXX=g++ >/dev/null

same_objects_as_local() {  # DIR
  local o
  for o in "${OBJECTS[@]}"; do
    cmp "$1/$o" "$TEST_DIR/local/$o" || return 1
  done
}

# 1. Masquerade: gcc, g++ and cc are links to our distcc in a directory first on PATH.
masq=$TEST_DIR/masq
mkdir -p "$masq"
for name in gcc g++ cc c++; do ln -s "$DCC" "$masq/$name"; done
cp -r "$SAMPLE" "$TEST_DIR/masq_build"
before=$(jobs_done)
PATH=$masq:$PATH make -s -C "$TEST_DIR/masq_build" CC=gcc CXX=g++ >"$TEST_DIR/masq.out" 2>&1 ||
  { cat "$TEST_DIR/masq.out"; fail "masquerade build failed"; }
check "masquerade: every compile ran on the daemon (${#OBJECTS[@]} jobs)" \
  count_reaches "$d_LOG" COMPILE_OK $((before + ${#OBJECTS[@]}))
check "masquerade: objects byte-identical to a local build" same_objects_as_local "$TEST_DIR/masq_build"
check "masquerade: programs linked and run" bash -c "'$TEST_DIR/masq_build/hello' >/dev/null && '$TEST_DIR/masq_build/shapes' >/dev/null"
check "masquerade: no warnings from distcc" bash -c "! grep -q distcc '$TEST_DIR/masq.out'"

# 2. ccache in front: CCACHE_PREFIX=distcc, with our distcc first on PATH under that name.
command -v ccache >/dev/null || skip_test "ccache is not installed (scripts/install_deps.sh installs it)"
prefix_dir=$TEST_DIR/prefix
mkdir -p "$prefix_dir"
ln -s "$DCC" "$prefix_dir/distcc"
export CCACHE_DIR=$TEST_DIR/ccache CCACHE_CONFIGPATH=$TEST_DIR/ccache.conf CCACHE_PREFIX=distcc
: >"$CCACHE_CONFIGPATH"
unset CCACHE_DISABLE CCACHE_RECACHE CCACHE_READONLY CCACHE_NODIRECT || true
cp -r "$SAMPLE" "$TEST_DIR/cc_build"

# ccstat NAME: one counter of `ccache --print-stats`.
ccstat() { ccache --print-stats | awk -v k="$1" '$1 == k { print $2 }'; }
hits() { echo $(($(ccstat direct_cache_hit) + $(ccstat preprocessed_cache_hit))); }

ccache -z >/dev/null
before=$(jobs_done)
PATH=$prefix_dir:$PATH make -s -C "$TEST_DIR/cc_build" CC="ccache gcc" CXX="ccache g++" >"$TEST_DIR/cc1.out" 2>&1 ||
  { cat "$TEST_DIR/cc1.out"; fail "first ccache build failed"; }
check "ccache, cold: every compile ran on the daemon" \
  count_reaches "$d_LOG" COMPILE_OK $((before + ${#OBJECTS[@]}))
check "ccache, cold: ${#OBJECTS[@]} misses, no hits" \
  test "$(ccstat cache_miss) $(hits)" = "${#OBJECTS[@]} 0"
check "ccache, cold: objects byte-identical to a local build" same_objects_as_local "$TEST_DIR/cc_build"

make -s -C "$TEST_DIR/cc_build" clean
ccache -z >/dev/null
before=$(jobs_done)
before_lines=$(grep -c . "$d_LOG")
PATH=$prefix_dir:$PATH make -s -C "$TEST_DIR/cc_build" CC="ccache gcc" CXX="ccache g++" >"$TEST_DIR/cc2.out" 2>&1 ||
  { cat "$TEST_DIR/cc2.out"; fail "second ccache build failed"; }
check "ccache, warm: ${#OBJECTS[@]} hits, no misses" \
  test "$(hits) $(ccstat cache_miss)" = "${#OBJECTS[@]} 0"
check "ccache, warm: objects byte-identical to a local build" same_objects_as_local "$TEST_DIR/cc_build"
# A job would be logged just after its reply; give a stray one time to show up before counting.
sleep 0.5
check "ccache, warm: the daemon saw no job at all" test "$(grep -c . "$d_LOG")" -eq "$before_lines"
check "ccache, warm: no COMPILE_OK added" test "$(jobs_done)" -eq "$before"

finish
