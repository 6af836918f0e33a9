#!/usr/bin/env bash
# pipex as a user installs it: `cmake --install` into a scratch prefix, then the programs, the
# man pages and completion found there, and two programs of someone else's built against the
# library, one with find_package(pipex), one with pkg-config.
#   bash tests/install/consumer_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "consumer_test: $*" >&2; exit 1; }

# The files a user looks for, where GNU's directory conventions put them.
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(find "$prefix" -name libpipex.a -printf '%h\n')
[ -n "$libdir" ] || fail "libpipex.a was not installed"
for file in bin/pipex bin/pipex-audit bin/pipex-check include/pipex/pipeline.hpp \
    include/pipex/base/unique_fd.hpp share/man/man1/pipex.1 share/man/man1/pipex-audit.1 \
    share/man/man1/pipex-check.1 share/man/man3/pipex.3 \
    share/bash-completion/completions/pipex share/bash-completion/completions/pipex-audit \
    share/bash-completion/completions/pipex-check share/doc/pipex/LICENSE; do
    [ -e "$prefix/$file" ] || fail "$file was not installed"
done
for file in "$libdir/libpipex-base.a" "$libdir/pkgconfig/pipex.pc" \
    "$libdir/cmake/pipex/pipexConfig.cmake" "$libdir/cmake/pipex/pipexConfigVersion.cmake"; do
    [ -e "$file" ] || fail "${file#"$prefix"/} was not installed"
done
version=$(sed -n 's/^project(pipex VERSION \([0-9.]*\).*/\1/p' "$here/../../CMakeLists.txt")
for program in pipex pipex-audit pipex-check; do
    first=$("$prefix/bin/$program" --version | head -n 1)
    [ "$first" = "$program $version" ] || fail "$program --version says '$first'"
done
[ "$(MANPATH=$prefix/share/man man -w pipex)" = "$prefix/share/man/man1/pipex.1" ] ||
    fail "man -w pipex does not find the installed page"
[ "$(MANPATH=$prefix/share/man man -w 3 pipex)" = "$prefix/share/man/man3/pipex.3" ] ||
    fail "man -w 3 pipex does not find the library's page"

# The program's answer: two distinct lines, and both stages ended well.
expect_consumer_output() {
    local out
    out=$("$1" 2>"$work/stderr")
    [ "$out" = 2 ] || fail "$2: printed '$out', not 2"
    [ "$(cat "$work/stderr")" = $'status 0\nstatus 0' ] || fail "$2: stderr: $(cat "$work/stderr")"
}

# find_package(pipex 1.0) finds it and links pipex::engine; 2.0 is refused.
cmake -S "$here/consumer" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
    >"$work/configure.log" || { cat "$work/configure.log"; fail "find_package(pipex 1.0) failed"; }
grep -q "found pipex $version" "$work/configure.log" || fail "pipex_VERSION is not $version"
cmake --build "$work/cmake-build" >"$work/build.log" ||
    { cat "$work/build.log"; fail "the find_package consumer does not build"; }
expect_consumer_output "$work/cmake-build/consumer" "find_package consumer"
if cmake -S "$here/consumer" -B "$work/cmake-wrong" -DCMAKE_PREFIX_PATH="$prefix" \
    -DPIPEX_WANTED=$(( ${version%%.*} + 1 )).0 >"$work/wrong.log" 2>&1; then
    fail "find_package accepted the next major version"
fi

# pkg-config gives the flags; C++20 is the compiler's to choose (the headers need it).
export PKG_CONFIG_PATH=$libdir/pkgconfig
[ "$(pkg-config --modversion pipex)" = "$version" ] || fail "pkg-config --modversion pipex"
# shellcheck disable=SC2046 # the flags are words
g++ -std=c++20 -o "$work/pc-consumer" "$here/consumer/consumer.cpp" \
    $(pkg-config --cflags --libs pipex) || fail "the pkg-config consumer does not build"
expect_consumer_output "$work/pc-consumer" "pkg-config consumer"
# As a subproject, pipex brings its library and programs, and nothing of its own build: no
# tests, benchmarks, examples or install rules, and no target whose name is not pipex's.
cmake -S "$here/consumer" -B "$work/subproject" -DPIPEX_SOURCE_DIR="$here/../.." \
    >"$work/subproject.log" || { cat "$work/subproject.log"; fail "pipex as a subproject fails"; }
targets=$(cmake --build "$work/subproject" --target help | sed -n 's/^\.\.\. \([^ ]*\).*/\1/p')
grep -qx pipex_engine <<<"$targets" || fail "the subproject has no pipex_engine target"
strays=$(grep -vxE 'all|clean|depend|edit_cache|rebuild_cache|consumer|pipex.*|consumer\.cpp\.[ois]|.*\.[ois]' \
    <<<"$targets" || true)
[ -z "$strays" ] || fail "as a subproject, pipex adds targets not named pipex...: $strays"
if own=$(grep -E 'test|bench|example' <<<"$targets"); then
    fail "as a subproject, pipex builds its tests, benchmarks or examples: ${own//$'\n'/ }"
fi
[ ! -e "$work/subproject/pipex/CTestTestfile.cmake" ] || fail "as a subproject, pipex adds tests"

echo "consumer_test: installed in $prefix and used by find_package and pkg-config: all good"
