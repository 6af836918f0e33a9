# shellcheck shell=bash
# What the suite needs on the machine, and building what it measures. Sourced by run.sh.

# The peers, the plotter and Google Benchmark come from Debian's packages.
BENCH_PACKAGES=(pipexec execline gnuplot-nox libbenchmark-dev dash bash util-linux)

install_missing_packages() {
    bash "$REPO_DIR/scripts/install-deps.sh" "${BENCH_PACKAGES[@]}"
}

# The same build as `make` (default build type, warnings as errors), in a folder of its own.
build_suite() {
    say "bench: building pipex and the benchmarks in $BUILD_DIR"
    configure_build "$REPO_DIR" "$BUILD_DIR"
    local targets=(pipex pipex-audit bench-timer bench-least-launcher)
    if grep -q '^benchmark_DIR:PATH=/' "$BUILD_DIR/CMakeCache.txt"; then targets+=(pipex-micro-bench); fi
    cmake --build "$BUILD_DIR" -j "$(nproc)" --target "${targets[@]}"
    PIPEX="$BUILD_DIR/pipex" TIMER="$BUILD_DIR/bench/bench-timer"
    [ "$MICRO_GIVEN" = 1 ] || MICRO="$BUILD_DIR/bench/pipex-micro-bench"
}

# configure_build SOURCE BUILD: build_suite's configuration, which the reference shares.
configure_build() {
    local generator=()
    if [ ! -f "$2/CMakeCache.txt" ] && command -v ninja >/dev/null; then generator=(-G Ninja); fi
    cmake -S "$1" -B "$2" "${generator[@]}" -DPIPEX_WERROR=ON \
        -DPIPEX_BUILD_TESTS=OFF -DPIPEX_BUILD_BENCHMARKS=ON >/dev/null
}

# The reference for the cost of containment (pipex-uncontained): the engine before containment,
# the last commit before it, whose pipex waits for its stages in order with blocking waitpid (no
# subreaper, no supervisor loop, nothing ended after the stages). Built as build_suite builds
# pipex, in a folder of the bench build, and linked as pipex is linked today (glibc shared,
# libstdc++ inside), where that commit linked it fully static: the two differ by containment
# alone.
UNCONTAINED_COMMIT=68cd163

# Sets UNCONTAINED to the reference's pipex, or leaves it empty and says why in UNCONTAINED_SKIPPED:
# --uncontained gives it; a full run builds it, the smoke test (CI) does not.
find_uncontained() {
    UNCONTAINED_SKIPPED="" UNCONTAINED_GIVEN=0
    if [ -n "$UNCONTAINED" ]; then
        UNCONTAINED_GIVEN=1
        [ -x "$UNCONTAINED" ] || die "pipex-uncontained not found at '$UNCONTAINED'"
    elif [ "$SMOKE" = 1 ]; then
        UNCONTAINED_SKIPPED="a smoke run does not build it (--uncontained PATH gives one)"
    elif ! git -C "$REPO_DIR" rev-parse -q --verify "$UNCONTAINED_COMMIT^{commit}" >/dev/null 2>&1; then
        UNCONTAINED_SKIPPED="commit $UNCONTAINED_COMMIT is not in the repository (a shallow clone?)"
    else
        build_uncontained
    fi
    if [ -n "$UNCONTAINED" ]; then
        UNCONTAINED=$(realpath "$UNCONTAINED")
    else
        say "bench: pipex-uncontained skipped: $UNCONTAINED_SKIPPED"
    fi
}

# The commit's tree is taken with git archive (no worktree left behind) and kept with the commit
# it came from: a later run finds it there and only brings the build up to date.
build_uncontained() {
    local dir="$BUILD_DIR/pipex-uncontained" commit
    commit=$(git -C "$REPO_DIR" rev-parse "$UNCONTAINED_COMMIT^{commit}")
    say "bench: building pipex-uncontained (commit $UNCONTAINED_COMMIT) in $dir"
    if [ "$(cat "$dir/commit" 2>/dev/null)" != "$commit" ]; then
        rm -rf "$dir"
        mkdir -p "$dir/source"
        git -C "$REPO_DIR" archive "$commit" | tar -x -C "$dir/source"
        echo "$commit" >"$dir/commit"
    fi
    sed -i 's/target_link_options(pipex PRIVATE -static)/target_link_options(pipex PRIVATE -static-libstdc++ -static-libgcc -Wl,--gc-sections)/' \
        "$dir/source/CMakeLists.txt"
    grep -q 'target_link_options(pipex PRIVATE -static-libstdc++' "$dir/source/CMakeLists.txt" ||
        die "pipex-uncontained: commit $UNCONTAINED_COMMIT's link options are not the expected ones"
    configure_build "$dir/source" "$dir/build"
    cmake --build "$dir/build" -j "$(nproc)" --target pipex
    UNCONTAINED="$dir/build/pipex"
}

check_tools() {
    [ -x "$PIPEX" ] || die "pipex not found at '$PIPEX'"
    [ -x "$TIMER" ] || die "bench-timer not found at '$TIMER'"
    PIPEX=$(realpath "$PIPEX") TIMER=$(realpath "$TIMER")
    # Built beside bench-timer; without it the start-up workload has no floor reference.
    LEAST="$(dirname "$TIMER")/bench-least-launcher"
    [ -x "$LEAST" ] || LEAST=""
    if [ -n "$MICRO" ] && [ ! -x "$MICRO" ]; then
        [ "$SMOKE" = 1 ] || die "micro-benchmarks not built ($MICRO): is libbenchmark-dev installed?"
        MICRO=""
    fi
    # Raw runs stay out of docs/: next to the smoke report, or in the build folder.
    if [ "$SMOKE" = 1 ]; then RAW_DIR="$OUT_DIR/raw"; else RAW_DIR="$BUILD_DIR/bench-results"; fi
    mkdir -p "$OUT_DIR" "$RAW_DIR"
    OUT_DIR=$(realpath "$OUT_DIR") RAW_DIR=$(realpath "$RAW_DIR")
}

# A peer that is missing fails a full run (its results would be silently incomplete) and is
# skipped by the smoke test, which must not need the network.
find_peers() {
    PEERS=()
    local peer
    for peer in dash bash pipexec execline; do
        if peer_installed "$peer"; then
            PEERS+=("$peer")
        elif [ "$SMOKE" = 1 ]; then
            say "bench: $peer is not installed: skipped in this smoke run"
        else
            die "$peer is not installed (apt-get install -y pipexec execline)"
        fi
    done
    TOOLS=(pipex "${PEERS[@]}")
}

peer_installed() {
    case $1 in
        dash) [ -x /bin/dash ] ;;
        bash) [ -x /bin/bash ] ;;
        pipexec) [ -x /usr/bin/pipexec ] ;;
        execline) [ -x "$EXECLINE_BIN/pipeline" ] && [ -x "$EXECLINE_BIN/redirfd" ] ;;
    esac
}
