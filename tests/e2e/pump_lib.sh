# Helpers for the pump-mode tests: a small project with the include patterns pump mode must get
# right, and distcc 3.4's INCLUDE_SERVER_STUB layout of it. Sourced after lib.sh.
LZO_PACK=${DCC_TEST_TOOLS:?set DCC_TEST_TOOLS to the directory holding lzo_pack}/lzo_pack

# make_pump_project DIR: a quoted include, an absolute -I directory (DIR/lib, rebased on the
# server), an include directory reached through a symlink (sent as LINK), C and C++ sources and
# one with a compile error.
make_pump_project() {
  local P=$1
  mkdir -p "$P/inc" "$P/lib" "$P/real"
  ln -s real "$P/linked"
  cat >"$P/hello.c" <<'SRC'
#include <stdio.h>
#include "inc/h.h"
#include <lib.h>
#include "linked/r.h"
int main(void) { printf("%s %d\n", __FILE__, H + LIB + R); return 0; }
SRC
  echo '#define H 1' >"$P/inc/h.h"
  echo '#define LIB 2' >"$P/lib/lib.h"
  echo '#define R 3' >"$P/real/r.h"
  cat >"$P/shapes.cpp" <<'SRC'
#include <string>
#include "inc/h.h"
struct Shape { virtual ~Shape() = default; virtual std::string name() const { return "shape" + std::to_string(H); } };
std::string describe(const Shape& s) { return s.name(); }
SRC
  printf '#include "inc/h.h"\nint broken(void) { return H + undefined_variable; }\n' >"$P/bad.c"
}

# stub_files FILE...: prints an INCLUDE_SERVER_STUB value naming FILEs inside an include-server
# "client root" of exactly three path components ($TEST_DIR/cr), holding LZO copies
# (<root><path>.lzo) and symlinks, as 3.4's include server lays them out.
CLIENT_ROOT=$TEST_DIR/cr
stub_files() {
  local list="" f
  for f in "$@"; do
    mkdir -p "$CLIENT_ROOT$(dirname "$f")"
    if [[ -L $f ]]; then
      ln -sfn "$(readlink "$f")" "$CLIENT_ROOT$f"
      list+=" $CLIENT_ROOT$f"
    else
      "$LZO_PACK" <"$f" >"$CLIENT_ROOT$f.lzo"
      list+=" $CLIENT_ROOT$f.lzo"
    fi
  done
  echo "$list"
}
