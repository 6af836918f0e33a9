# shellcheck shell=bash
# Command-line options of bench/run.sh and the sizes they imply. Sourced by run.sh.

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

parse_options() {
    SMOKE=0 RUNS=7 WARMUP=1 PIPEX="" TIMER="" MICRO="" MICRO_GIVEN=0 UNCONTAINED=""
    BUILD_DIR="$REPO_DIR/build-bench" OUT_DIR="$REPO_DIR/docs"
    while [ $# -gt 0 ]; do
        case $1 in
            --smoke) SMOKE=1 ;;
            --runs) RUNS=$2; shift ;;
            --warmup) WARMUP=$2; shift ;;
            --build) BUILD_DIR=$2; shift ;;
            --out) OUT_DIR=$2; shift ;;
            --pipex) PIPEX=$2; shift ;;
            --timer) TIMER=$2; shift ;;
            --micro) MICRO=$2; MICRO_GIVEN=1; shift ;;
            --uncontained) UNCONTAINED=$2; shift ;;
            -h|--help) sed -n '2,13p' "$BENCH_DIR/run.sh"; exit 0 ;;
            *) die "unknown option: $1 (see --help)" ;;
        esac
        shift
    done
    if [ "$SMOKE" = 1 ]; then RUNS=1 WARMUP=0; fi
    # The workloads of a few milliseconds (start-up, 2 and 10 stages): fifteen times the runs
    # cost a second or two and steady their medians, which one scheduling hiccup moves by
    # several percent (the cost tables compare them to 3%).
    STARTUP_RUNS=$((RUNS * 15))
    # The stage sweep's pipelines last 1 to 200 ms, and on a virtual machine their spread is
    # +-20%: three times the runs keep its medians, the spawn targets' ratios, from moving with it;
    # so for the here-document and the bimodal throughput runs, twice.
    SWEEP_RUNS=$((RUNS * 3)) LONG_RUNS=$((RUNS * 2))
    choose_sizes
}

# The published sizes, or tiny ones for the smoke test: the same workloads, each run once.
choose_sizes() {
    if [ "$SMOKE" = 1 ]; then
        SWEEP_STAGES=(2 10 20) TRUE_TARGET_STAGES=(10 20) MEMORY_STAGES=10
        BIG_MIB=4 HEREDOC_MIB=1 UNPRIVILEGED_STAGES=20 UNPRIVILEGED_MIB=1 BALLAST_MIB=16 AUDIT_STAGES=10 AUDIT_BUILD_FILES=2
    else
        SWEEP_STAGES=(2 10 50 100 200 500) TRUE_TARGET_STAGES=(100 500) MEMORY_STAGES=100
        BIG_MIB=1024 HEREDOC_MIB=100 UNPRIVILEGED_STAGES=500 UNPRIVILEGED_MIB=8 BALLAST_MIB=1024 AUDIT_STAGES=100 AUDIT_BUILD_FILES=16
    fi
}

describe_run() {
    local mode="full"
    [ "$SMOKE" = 1 ] && mode="smoke (tiny sizes, results mean nothing)"
    printf '%s run, %s measured runs after %s warm-up per command, peers: %s; pipex-uncontained: %s' \
        "$mode" "$RUNS" "$WARMUP" "${PEERS[*]}" "${UNCONTAINED:-skipped}"
}
