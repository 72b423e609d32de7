#!/usr/bin/env bash
# Our client and our daemon on loopback: objects and .d files compared with local compiles,
# and every job checked to have really run on the daemon.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)

start_daemon d --allow 127.0.0.1 --allow ::1
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"

jobs_done() { count_in "$d_LOG" "COMPILE_OK"; }

# remote_compile EXPECTED_DELTA command...: runs a compile and checks that the daemon did it.
remote_compile() {
  local before after
  before=$(jobs_done)
  "$@"
  if ! count_reaches "$d_LOG" COMPILE_OK $((before + 1)); then
    log "expected the job to run remotely: $*"
    return 1
  fi
}

for hosts in "127.0.0.1:$d_PORT" "127.0.0.1:$d_PORT,lzo" "[::1]:$d_PORT/2,lzo"; do
  export DISTCC_HOSTS=$hosts
  tag=${hosts//[^a-z0-9]/_}

  check "C -O2 byte-identical ($hosts)" bash -c "
    $(declare -f remote_compile jobs_done count_in count_reaches wait_for log); d_LOG=$d_LOG
    remote_compile '$DCC' gcc -O2 -c main.c -o r_$tag.o && gcc -O2 -c main.c -o l_$tag.o && cmp r_$tag.o l_$tag.o"

  check "C++ -O2 byte-identical ($hosts)" bash -c "
    $(declare -f remote_compile jobs_done count_in count_reaches wait_for log); d_LOG=$d_LOG
    remote_compile '$DCC' g++ -O2 -c shapes.cpp -o rs_$tag.o && g++ -O2 -c shapes.cpp -o ls_$tag.o && cmp rs_$tag.o ls_$tag.o"
done
export DISTCC_HOSTS="127.0.0.1:$d_PORT,lzo"

# -g: code and data identical; decoded debug info identical except DW_AT_producer, which names
# -fdirectives-only (documented in README). Columns must match: that is what 3.4 gets wrong.
remote_compile "$DCC" gcc -O2 -g -c util.c -o rg.o
gcc -O2 -g -c util.c -o lg.o
check "C -O2 -g: code and debug info identical apart from the producer" same_code_and_debug_info rg.o lg.o
check "C -O2 -g: producer differs only by -fdirectives-only" \
  test "$(producer_of rg.o | sed 's/ -fdirectives-only//')" = "$(producer_of lg.o)"
check "C -O2 -g: DWARF columns identical" \
  diff <(readelf --debug-dump=info rg.o | grep -E 'decl_column|call_column') <(readelf --debug-dump=info lg.o | grep -E 'decl_column|call_column')
remote_compile "$DCC" g++ -O2 -g -c shapes.cpp -o rgs.o
g++ -O2 -g -c shapes.cpp -o lgs.o
check "C++ -O2 -g: code and debug info identical apart from the producer" same_code_and_debug_info rgs.o lgs.o
check "C++ -O2 -g: decoded line table identical" diff <(readelf --debug-dump=decodedline rgs.o) <(readelf --debug-dump=decodedline lgs.o)

# With -gno-record-gcc-switches nothing names the preprocessing mode: byte-identical with -g.
remote_compile "$DCC" gcc -O2 -g -gno-record-gcc-switches -c util.c -o rgn.o
gcc -O2 -g -gno-record-gcc-switches -c util.c -o lgn.o
check "C -O2 -g -gno-record-gcc-switches: byte-identical" cmp rgn.o lgn.o

# Dependency files, also with the object in another directory (3.4 puts that .d in the wrong place).
mkdir -p obj lobj
remote_compile "$DCC" gcc -O2 -MD -MF main.d.remote -c main.c -o obj/main.o
gcc -O2 -MD -MF main.d.local -c main.c -o lobj/main.o
check "-MD -MF: .d identical apart from the object dir" diff <(sed 's#obj/#X/#' main.d.remote) <(sed 's#lobj/#X/#' main.d.local)
remote_compile "$DCC" gcc -O2 -MMD -c util.c -o obj/util.o
gcc -O2 -MMD -c util.c -o lobj/util.o
check "-MMD without -MF: .d beside the object" test -f obj/util.d
check "-MMD without -MF: .d identical apart from the object dir" diff <(sed 's#obj/#X/#' obj/util.d) <(sed 's#lobj/#X/#' lobj/util.d)
check "-MMD: no stray .d in the source dir" test ! -e util.d
check "object in another dir byte-identical" cmp obj/util.o lobj/util.o
remote_compile "$DCC" gcc -O2 -MD -MT custom-target -MF dep_custom.d -c util.c -o obj/u2.o
gcc -O2 -MD -MT custom-target -MF dep_custom_l.d -c util.c -o lobj/u2.o
check "-MT kept" cmp dep_custom.d dep_custom_l.d

# DEPENDENCIES_OUTPUT (gcc's environment form of -MMD), with and without a target.
DEPENDENCIES_OUTPUT=env_remote.d remote_compile "$DCC" gcc -O2 -c util.c -o obj/u3.o
DEPENDENCIES_OUTPUT=env_local.d gcc -O2 -c util.c -o lobj/u3.o
check "DEPENDENCIES_OUTPUT: .d identical" cmp env_remote.d env_local.d
DEPENDENCIES_OUTPUT="env_remote_t.d tgt" remote_compile "$DCC" gcc -O2 -c util.c -o obj/u4.o
DEPENDENCIES_OUTPUT="env_local_t.d tgt" gcc -O2 -c util.c -o lobj/u4.o
check "DEPENDENCIES_OUTPUT with a target: .d identical" cmp env_remote_t.d env_local_t.d

# Implicit mode (cc inserted) and a default output name.
remote_compile "$DCC" -O2 -c util.c
cc -O2 -c util.c -o util_local.o
check "implicit mode: default -o util.o byte-identical" cmp util.o util_local.o

# Masquerade: a gcc symlink to distcc first on PATH.
mkdir -p masq
ln -s "$DCC" masq/gcc
ln -s "$DCC" masq/g++
remote_compile env PATH="$TEST_DIR/src/masq:$PATH" gcc -O2 -c main.c -o masq_main.o
check "masquerade: byte-identical" cmp masq_main.o l_127_0_0_1_${d_PORT}.o

# clang, where installed.
if command -v clang >/dev/null; then
  remote_compile "$DCC" clang -O2 -c util.c -o rc.o
  clang -O2 -c util.c -o lc.o
  check "clang -O2 byte-identical" cmp rc.o lc.o
else
  log "clang not installed: clang checks skipped"
fi

# A make -j4 build through distcc gives the same binaries' objects.
make -s clean
before=$(jobs_done)
check "make -j4 CC='distcc gcc'" make -s -j4 CC="$DCC gcc" CXX="$DCC g++"
check "make -j4: all 3 compiles ran remotely" count_reaches "$d_LOG" COMPILE_OK $((before + 3))
check "make -j4: program runs" ./hello
mkdir -p ../local && cp -r . ../local/ && (cd ../local && make -s clean && make -s CC=gcc CXX=g++)
for o in main.o util.o shapes.o; do check "make: $o identical to a local build" cmp "$o" "../local/$o"; done

# The job's own temporary files are gone afterwards (the daemon's header cache lives as long as it).
check "no client temp files left" bash -c "! ls '$TMPDIR' | grep -v '^distccd-headers-' | grep -q distcc"

finish
