#!/usr/bin/env bash
# Checks the manual pages against the programs:
#   - each page renders with `groff -ww -man -Tutf8` without a single warning;
#   - every option listed by each program's `--help` (lines starting with white space and then
#     '-') appears in its page (the PAGES list below pairs programs with pages);
#   - every exit code 100..120 of src/common/exit_code.h appears in distcc.1 together with its
#     name, on one line of the rendered page.
#
# Usage: check_man_pages.sh DISTCC DISTCCD MAN_DIR TOOLS_BIN_DIR
# The source tree is MAN_DIR/.. (exit_code.h is read from there). Installs nothing: without groff
# the test is skipped (exit 77).
set -uo pipefail

if (($# != 4)); then
  echo "usage: $0 DISTCC DISTCCD MAN_DIR TOOLS_BIN_DIR" >&2
  exit 2
fi
DISTCC=$1
DISTCCD=$2
MAN_DIR=$(cd "$3" && pwd) || exit 2
TOOLS=$4

# "program : page", one pair a line.
PAGES=(
  "$DISTCC : distcc.1"
  "$DISTCCD : distccd.1"
  "$TOOLS/update-distcc-symlinks : update-distcc-symlinks.8"
  "$TOOLS/distcc-config : distcc-config.1"
  "$TOOLS/lsdistcc : lsdistcc.1"
  "$TOOLS/distccmon-text : distccmon-text.1"
  "$TOOLS/distccmon-gui : distccmon-gui.1"
  "$TOOLS/pump : pump.1"
  "$TOOLS/distcc-include-server : distcc-include-server.1"
)
# Built only where GTK 3 is found: without the binary its page is still rendered, its options
# are not checked.
OPTIONAL_PROGRAMS=(distccmon-gui)
EXIT_CODE_H=$MAN_DIR/../src/common/exit_code.h

if ! command -v groff >/dev/null 2>&1; then
  echo "SKIP: groff not installed"
  exit 77
fi

PASSES=0
FAILURES=0
pass() { PASSES=$((PASSES + 1)); echo "ok: $*"; }
fail() { FAILURES=$((FAILURES + 1)); echo "FAIL: $*"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dcc_man.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT

# render PAGE: plain text for searching. A very long line and no hyphenation keep every option on
# one line; groff's hyphen (U+2010) and minus (U+2212) are mapped back to ASCII '-'.
render() {
  groff -man -Tutf8 -rLL=400n -rHY=0 -P-cbou "$1" 2>/dev/null | sed 's/\xe2\x80\x90/-/g; s/\xe2\x88\x92/-/g'
}

# options_of HELP_TEXT_FILE: every option named in the left column of --help output.
#   "  -P, --pid-file FILE        write ..."  ->  -P  --pid-file
options_of() {
  grep -E '^[[:space:]]+-' "$1" |
    sed -E 's/^[[:space:]]+//; s/ {2,}.*//' |
    tr ',' '\n' |
    awk '{ print $1 }' |
    grep -E '^-' |
    sort -u
}

for pair in "${PAGES[@]}"; do
  page=${pair##* : }
  path=$MAN_DIR/$page
  if [[ ! -f $path ]]; then
    fail "$page: missing"
    continue
  fi
  groff -ww -man -Tutf8 "$path" >"$WORK/$page.out" 2>"$WORK/$page.warnings"
  status=$?
  if ((status == 0)) && [[ ! -s $WORK/$page.warnings ]]; then
    pass "$page renders without warnings"
  else
    fail "$page: groff -ww exited $status with:"
    sed 's/^/    /' "$WORK/$page.warnings"
  fi
  render "$path" >"$WORK/$page.txt"
done

# Options from --help, each looked up as a whole word in the rendered page.
check_options() {  # check_options PROGRAM PAGE
  local program=$1 page=$2 name help options opt
  name=$(basename "$program")
  if [[ ! -x $program ]] && [[ " ${OPTIONAL_PROGRAMS[*]} " == *" $name "* ]]; then
    echo "skip: $name not built, options of $page not checked"
    return
  fi
  help=$WORK/$name.help
  if ! "$program" --help >"$help" 2>&1; then
    fail "$name --help exited non-zero"
    return
  fi
  options=$(options_of "$help")
  if [[ -z $options ]]; then
    fail "$name --help lists no options"
    return
  fi
  for opt in $options; do
    if grep -qwF -e "$opt" "$WORK/$page.txt"; then
      pass "$page documents $opt"
    else
      fail "$page does not mention $opt (listed by $name --help)"
    fi
  done
}
for pair in "${PAGES[@]}"; do
  check_options "${pair%% : *}" "${pair##* : }"
done

# Exit codes: "  name = 1NN," in the enum; the page must show NNN and NAME on one line.
if [[ ! -f $EXIT_CODE_H ]]; then
  fail "cannot find $EXIT_CODE_H"
else
  declare -A code_name=()
  while read -r name value; do
    code_name[$value]=${name^^}
  done < <(sed -nE 's/^[[:space:]]*([a-z_]+)[[:space:]]*=[[:space:]]*(1[0-9][0-9])[[:space:]]*,?.*/\1 \2/p' "$EXIT_CODE_H")
  for code in $(seq 100 120); do
    name=${code_name[$code]:-}
    if [[ -z $name ]]; then
      fail "exit code $code not found in exit_code.h"
      continue
    fi
    if grep -E "(^|[^0-9])$code([^0-9]|\$)" "$WORK/distcc.1.txt" | grep -qwF -e "$name"; then
      pass "distcc.1 lists exit code $code $name"
    else
      fail "distcc.1 does not list exit code $code with its name $name"
    fi
  done
  for code in "${!code_name[@]}"; do
    if ((code < 100 || code > 120)); then fail "exit_code.h has code $code outside 100..120; update this test"; fi
  done
fi

echo "$PASSES passed, $FAILURES failed"
((FAILURES == 0))
