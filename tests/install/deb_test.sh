#!/usr/bin/env bash
# The .deb as a user gets it: built by cpack, installed with apt-get on this machine, used
# (pipex --version, man pipex, pkg-config), then removed, leaving nothing behind. It changes
# the machine, so it runs only as root, and never where a package named pipex is installed.
# Exit 77: skipped, with the reason on stdout.
#   bash tests/install/deb_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
skip() { echo "deb_test: skipped: $*"; exit 77; }
fail() { echo "deb_test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
{ command -v apt-get && command -v dpkg-deb && command -v cpack; } >/dev/null ||
    skip "it needs apt-get, dpkg-deb and cpack"
if dpkg-query -W -f='${Status}' pipex 2>/dev/null | grep -q "install ok installed"; then
    skip "a package named pipex is installed here already; it is left alone"
fi
work=$(mktemp -d)
installed=false
cleanup() {
    if $installed; then apt-get remove -y -qq pipex </dev/null >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log" 2>&1) ||
    { cat "$work/cpack.log"; fail "cpack failed"; }
debs=("$work"/pipex_*.deb)
[ -f "${debs[0]}" ] || fail "cpack made no pipex_*.deb"
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
contents=$(dpkg-deb -c "$deb")
for file in ./usr/bin/pipex ./usr/bin/pipex-audit ./usr/bin/pipex-check \
    ./usr/share/man/man1/pipex.1 ./usr/share/man/man3/pipex.3 \
    ./usr/share/bash-completion/completions/pipex ./usr/include/pipex/pipeline.hpp; do
    grep -q " $file\$" <<<"$contents" || fail "the package lacks $file"
done
depends=$(dpkg-deb -f "$deb" Depends)
grep -q libc6 <<<"$depends" || fail "Depends does not name libc6: $depends"

export DEBIAN_FRONTEND=noninteractive
installed=true
apt-get install -y -qq "$deb" </dev/null >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log"; fail "apt-get install failed"; }
[ "$(/usr/bin/pipex --version | head -n 1)" = "pipex $version" ] ||
    fail "pipex --version: $(/usr/bin/pipex --version)"
[ "$(man -w pipex)" = /usr/share/man/man1/pipex.1 ] || fail "man -w pipex: $(man -w pipex 2>&1)"
man pipex 2>/dev/null | grep -q "here_doc" || fail "man pipex does not show the page"
[ "$(pkg-config --modversion pipex)" = "$version" ] || fail "pkg-config does not find pipex"
echo hello >"$work/in"
/usr/bin/pipex "$work/in" cat "tr a-z A-Z" "$work/out"
[ "$(cat "$work/out")" = HELLO ] || fail "the installed pipex ran the pipeline wrong"

apt-get remove -y -qq pipex </dev/null >"$work/remove.log" 2>&1 ||
    { cat "$work/remove.log"; fail "apt-get remove failed"; }
installed=false
for file in /usr/bin/pipex /usr/share/man/man1/pipex.1 /usr/include/pipex; do
    [ ! -e "$file" ] || fail "$file is still there after apt-get remove"
done
echo "deb_test: $(basename "$deb") built, installed, used and removed: all good"
