#!/usr/bin/env bash
# distccmon-gui for real: under Xvfb, while our client runs three slow compiles on our daemon,
# its window shows one row per busy slot with the Compile (and earlier Connect) colours of the history
# strip; with no jobs it shows none of them. The screenshot taken during the build is kept
# (path printed as "screenshot: PATH"). Also: the distccmon-gnome name, --display, no display.
source "${DCC_E2E_LIB:-$(dirname "$0")/lib.sh}"
TOOLS=$(cd "${DCC_TOOLS_BIN:?set DCC_TOOLS_BIN to the directory holding the tool binaries}" && pwd)
GUI=$TOOLS/distccmon-gui
GNOME=$TOOLS/distccmon-gnome
TEXT=$TOOLS/distccmon-text
[[ -x $GUI ]] || skip_test "$GUI not built (gtk+-3.0 was not found when the build was configured)"
for tool in Xvfb xwininfo xwd convert python3; do
  command -v "$tool" >/dev/null || skip_test "$tool not installed (scripts/install_deps.sh installs it)"
done
ARTIFACTS=${DCC_ARTIFACT_DIR:-$(cd "$TOOLS/../../.." && pwd)/artifacts}
mkdir -p "$ARTIFACTS"
# The strip colours (src/tools/monitor/phase_strip.cpp; its unit test pins them).
COMPILE_RGB="46 125 50"
CONNECT_RGB="123 31 162"

# 1. The command line, without any display.
check "--help lists the options" bash -c "'$GUI' --help | grep -q -- '--interval'"
check "--version names the program it was run as" bash -c "'$GNOME' --version | grep -q '^distccmon-gnome '"
status=0
env -u DISPLAY "$GUI" --interval fast >/dev/null 2>"$TEST_DIR/bad.err" || status=$?
check "bad --interval: exit 1, one line naming it" \
  bash -c "test $status -eq 1 && test \$(wc -l <'$TEST_DIR/bad.err') -eq 1 && grep -q \"'fast'\" '$TEST_DIR/bad.err'"
status=0
env -u DISPLAY timeout 20 "$GUI" >/dev/null 2>"$TEST_DIR/nodisplay.err" || status=$?
check "no display: exit 1 with one line saying so" \
  bash -c "test $status -eq 1 && grep -q 'cannot open a display: DISPLAY is not set' '$TEST_DIR/nodisplay.err' && test \$(wc -l <'$TEST_DIR/nodisplay.err') -eq 1"
status=0
env -u DISPLAY timeout 20 "$GUI" --display :98765 >/dev/null 2>"$TEST_DIR/baddisplay.err" || status=$?
check "--display naming no server: exit 1, one line naming it" \
  bash -c "test $status -eq 1 && grep -q \"cannot open display ':98765'\" '$TEST_DIR/baddisplay.err' && test \$(wc -l <'$TEST_DIR/baddisplay.err') -eq 1"

# 2. A private X server: Xvfb picks a free display number itself and writes it when ready.
Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3>"$TEST_DIR/display" 2>"$TEST_DIR/xvfb.err" &
PIDS+=("$!")
wait_for 20 test -s "$TEST_DIR/display" || { cat "$TEST_DIR/xvfb.err"; fail "Xvfb did not start"; finish; exit 1; }
DISPLAY_NAME=:$(head -1 "$TEST_DIR/display")
log "Xvfb on $DISPLAY_NAME"
unset DISPLAY

# screenshot FILE: the whole screen as PNG.
screenshot() { xwd -root -silent -display "$DISPLAY_NAME" | convert xwd:- "png:$1"; }
# window_up: the monitor's window is mapped on our display.
window_up() { xwininfo -display "$DISPLAY_NAME" -root -tree | grep -q '"distcc Monitor - '; }
# colours FILE: "COMPILE_PIXELS CONNECT_PIXELS COMPILE_BANDS", the bands being separate runs of
# screen lines holding the Compile colour: one per row of the list whose strip shows Compile.
colours() {
  convert "$1" ppm:- | python3 -c '
import sys
data = sys.stdin.buffer.read()
fields, at = [], 0
while len(fields) < 4:
    while data[at:at + 1].isspace(): at += 1
    if data[at:at + 1] == b"#":  # a comment runs to the end of its line
        at = data.index(b"\n", at)
        continue
    start = at
    while not data[at:at + 1].isspace(): at += 1
    fields.append(data[start:at])
at += 1
assert fields[0] == b"P6" and fields[3] == b"255", fields
width, height = int(fields[1]), int(fields[2])
compile_rgb = bytes(int(v) for v in sys.argv[1].split())
connect_rgb = bytes(int(v) for v in sys.argv[2].split())
compile_pixels = connect_pixels = bands = 0
previous = False
for y in range(height):
    line = data[at + y * width * 3: at + (y + 1) * width * 3]
    pixels = [line[i:i + 3] for i in range(0, len(line), 3)]
    n = pixels.count(compile_rgb)
    compile_pixels += n
    connect_pixels += pixels.count(connect_rgb)
    if n and not previous: bands += 1
    previous = n > 0
print(compile_pixels, connect_pixels, bands)
' "$COMPILE_RGB" "$CONNECT_RGB"
}

# 3. No jobs: the window opens (through --display, as distccmon-gnome) and shows no phase colour.
mkdir -p "$DISTCC_DIR/state"
"$GNOME" --display "$DISPLAY_NAME" --interval 0.5 2>"$TEST_DIR/gui.err" &
GUI_PID=$!
PIDS+=("$GUI_PID")
check "the window opens (started as distccmon-gnome with --display)" wait_for 20 window_up
screenshot "$TEST_DIR/idle.png"
read -r idle_compile idle_connect idle_bands < <(colours "$TEST_DIR/idle.png")
check "no jobs: neither the Compile nor the Connect colour on screen ($idle_compile, $idle_connect pixels)" \
  test "$idle_compile" -eq 0 -a "$idle_connect" -eq 0

# 4. Three jobs at once on one daemon with three slots: the client's preprocessor takes 1.5 s
#    (the client is in Connect meanwhile: it connects while cpp runs, as 3.4 does) and the
#    server compiles for 8 s, so the strips show both phases.
SAMPLE=$(cd "$(dirname "$0")/sample" && pwd)
cp -r "$SAMPLE" "$TEST_DIR/src"
cd "$TEST_DIR/src"
cp util.c second.c
cp util.c third.c
mkdir -p "$TEST_DIR/fakebin"
cat >"$TEST_DIR/fakebin/gcc-slow" <<'SH'
#!/bin/sh
if [ -n "$FAKE_SERVER_SIDE" ]; then sleep 8; else
  for arg; do if [ "$arg" = -E ]; then sleep 1.5; fi; done
fi
exec gcc "$@"
SH
chmod 755 "$TEST_DIR/fakebin/gcc-slow"
FAKE_SERVER_SIDE=1 DISTCCD_PATH="$TEST_DIR/fakebin:/usr/bin:/bin" \
  start_daemon slow --allow 127.0.0.1 --enable-tcp-insecure -j 3
export DISTCC_HOSTS="127.0.0.1:$slow_PORT/3"
jobs_pids=()
for file in util.c second.c third.c; do
  PATH="$TEST_DIR/fakebin:$PATH" "$DCC" gcc-slow -O2 -c "$file" -o "${file%.c}.o" &
  jobs_pids+=("$!")
  PIDS+=("$!")
done
# distccmon-text reads the same files: once it lists three compiles, so must the window.
compiling() { test "$("$TEXT" | grep -c ' Compile ')" -eq 3; }
check "three jobs reach the Compile phase (distccmon-text)" wait_for 20 compiling
"$TEXT" | sed 's/^/    /'
# Within a few refreshes (0.5 s each; waited for with a deadline) the strips must show three
# rows in Compile, each at least four samples (12 pixels high) long. Samples stay in the strip
# after the job, so a slow machine only makes this take longer.
shot_ok() {
  screenshot "$TEST_DIR/busy.png"
  read -r busy_compile busy_connect busy_bands < <(colours "$TEST_DIR/busy.png")
  ((busy_bands == 3 && busy_compile >= 3 * 4 * 12))
}
wait_for 30 shot_ok || true
read -r busy_compile busy_connect busy_bands < <(colours "$TEST_DIR/busy.png")
cp "$TEST_DIR/busy.png" "$ARTIFACTS/distccmon-gui.png"
log "screenshot: $ARTIFACTS/distccmon-gui.png"
check "jobs running: the Compile colour on screen, four samples or more a row ($busy_compile pixels)" test "$busy_compile" -ge $((3 * 4 * 12))
check "jobs running: three rows show Compile in their strips ($busy_bands)" test "$busy_bands" -eq 3
check "jobs running: the Connect phase left its colour in the strips ($busy_connect pixels)" test "$busy_connect" -gt 0
check "the monitor is still running" kill -0 "$GUI_PID"

statuses=()
for pid in "${jobs_pids[@]}"; do
  status=0
  wait "$pid" || status=$?
  statuses+=("$status")
done
check "all three compiles succeeded (${statuses[*]})" \
  bash -c "test '${statuses[*]}' = '0 0 0' && test -s util.o && test -s second.o && test -s third.o"
check "all three ran on the daemon" count_reaches "$slow_LOG" COMPILE_OK 3
check "the monitor printed no warnings" test ! -s "$TEST_DIR/gui.err"
cat "$TEST_DIR/gui.err"
finish
