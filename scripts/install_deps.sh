#!/usr/bin/env bash
# Installs what building and testing need, from Debian packages. Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config   # toolchain
  liblzo2-dev zlib1g-dev                          # LZO1X-1 as distcc 3.4 uses it; zlib
  libgtest-dev googletest                         # unit tests
  distcc                                          # the distcc 3.4 peer for interoperability tests
  clang                                           # second compiler for the e2e tests
  libclang-rt-dev llvm                            # fuzzing: libFuzzer runtime (clang's version); llvm-symbolizer
  binutils procps groff-base                      # readelf/objcopy, pgrep, man page checks
  openssh-server openssh-client                   # SSH transport tests (sshd on loopback)
  iproute2 ccache                                 # network-namespace farm tests; ccache in front
  python3                                         # small helpers in e2e tests (locks, silent servers)
  libgtk-3-dev xvfb x11-apps x11-utils imagemagick  # distccmon-gui; its test: Xvfb, xwd, xwininfo, convert
  man-db systemd                                  # install test: man -l, systemd-analyze verify
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# distccd only runs compilers with a link in /usr/lib/distcc. Debian's package makes them when it
# is configured, which may be before other compilers of the same apt run are: refresh them.
if command -v update-distcc-symlinks >/dev/null; then update-distcc-symlinks >/dev/null 2>&1 || true; fi
# The Debian package may start its own daemon on port 3632; our tests use their own ports, but a
# stray system daemon is not ours to keep running.
if command -v service >/dev/null && [ -x /etc/init.d/distcc ]; then service distcc stop >/dev/null 2>&1 || true; fi
