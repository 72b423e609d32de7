# Raw distcc protocol items in bash, for clients that misbehave on purpose (test_hostile.sh and
# the hostile mix of load_lib.sh). Sourced.
token() { printf '%s%08x' "$1" "$2"; }
arg() { printf 'ARGV%08x%s' "${#1}" "$1"; }
# v1_request ARG...: a complete protocol-1 request with a tiny preprocessed source.
v1_request() {
  local source='int foo(void) { return 0; }' a
  token DIST 1
  token ARGC $#
  for a in "$@"; do arg "$a"; done
  printf 'DOTI%08x%s' "${#source}" "$source"
}
