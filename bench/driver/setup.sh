# shellcheck shell=bash
# What the suite needs on the machine, and building what it measures. Sourced by run.sh.

# The peers, the plotter and Google Benchmark come from Debian's packages.
BENCH_PACKAGES=(pipexec execline gnuplot-nox libbenchmark-dev dash bash util-linux)

install_missing_packages() {
    bash "$REPO_DIR/scripts/install-deps.sh" "${BENCH_PACKAGES[@]}"
}

# The same build as `make` (default build type, warnings as errors), in a folder of its own.
build_suite() {
    local generator=()
    if [ ! -f "$BUILD_DIR/CMakeCache.txt" ] && command -v ninja >/dev/null; then generator=(-G Ninja); fi
    say "bench: building pipex and the benchmarks in $BUILD_DIR"
    cmake -S "$REPO_DIR" -B "$BUILD_DIR" "${generator[@]}" -DPIPEX_WERROR=ON \
        -DPIPEX_BUILD_TESTS=OFF -DPIPEX_BUILD_BENCHMARKS=ON >/dev/null
    local targets=(pipex pipex-audit bench-timer bench-least-launcher)
    if grep -q '^benchmark_DIR:PATH=/' "$BUILD_DIR/CMakeCache.txt"; then targets+=(pipex-micro-bench); fi
    cmake --build "$BUILD_DIR" -j "$(nproc)" --target "${targets[@]}"
    PIPEX="$BUILD_DIR/pipex" TIMER="$BUILD_DIR/bench/bench-timer"
    [ "$MICRO_GIVEN" = 1 ] || MICRO="$BUILD_DIR/bench/pipex-micro-bench"
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
