#!/usr/bin/env bash
# Installs Debian packages when they are missing: the ones building and testing pipex needs, or
# the ones named as arguments (bench/run.sh names its peers). Safe to run again: it does nothing
# when everything is there.
#   bash scripts/install-deps.sh [PACKAGE...]
set -euo pipefail

# strace shows what children do; clang and its runtime build the fuzz targets; valgrind checks
# pipex for leaks and fds; clang-format checks the code's layout; nlohmann-json reads
# pipex-audit's JSON back in its tests; pkg-config, man-db and dpkg-dev (dpkg-shlibdeps) check
# the installed files and the .deb; doxygen builds the API reference (make docs), which the
# tests build too, a warning being an error.
packages=(g++ cmake make libgtest-dev libgmock-dev libbenchmark-dev util-linux bash dash coreutils
          procps strace clang libclang-rt-14-dev valgrind clang-format nlohmann-json3-dev
          pkg-config man-db dpkg-dev doxygen)
[ $# -eq 0 ] || packages=("$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "install-deps: missing packages: ${missing[*]}" >&2
        echo "install-deps: installing them needs root (there is no sudo): as root, run" >&2
        echo "  apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale (a fresh machine): update only when needed.
$sudo apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null ||
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null; }
