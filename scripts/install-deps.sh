#!/usr/bin/env bash
# Installs what building and testing pipex needs, from Debian's packages, when it is missing.
# Safe to run again: it does nothing when everything is there.
set -euo pipefail

# strace shows what children do; clang and its runtime build the fuzz targets; valgrind checks
# pipex for leaks and fds.
packages=(g++ cmake make libgtest-dev libgmock-dev libbenchmark-dev util-linux bash dash coreutils procps strace
          clang libclang-rt-14-dev valgrind)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" </dev/null
