#!/usr/bin/env bash
# The benchmark suite: pipex against bash, dash, pipexec and execline's pipeline on the same
# pipelines in the same run, plus the engine's micro-benchmarks; writes docs/benchmarks.md and
# docs/benchmarks.png. `make bench` runs it; see docs/benchmarks.md for what each part measures.
#
#   bash bench/run.sh [--runs N] [--warmup N] [--build DIR] [--out DIR] [--uncontained PATH]
#   bash bench/run.sh --smoke --pipex PATH --timer PATH [--micro PATH] [--uncontained PATH] --out DIR
#
# Without --pipex it installs what is missing (peers, gnuplot, Google Benchmark; apt-get) and
# builds pipex and the benchmarks in DIR (default build-bench). A full run also builds pipex as
# it was before containment in DIR (the reference pipex-uncontained), unless --uncontained
# gives one; --smoke (CI, ctest) measures it only when given. --smoke runs every workload once, small, in
# seconds, without network: peers that are not installed are skipped.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")

for part in options setup data commands measure workloads micro machine targets containment report_cost analysis report plot; do
    # shellcheck source=/dev/null
    source "$BENCH_DIR/driver/$part.sh"
done

main() {
    parse_options "$@"
    if [ -z "$PIPEX" ]; then
        install_missing_packages
        build_suite
    fi
    check_tools
    find_peers
    find_uncontained
    prepare_data
    say "bench: $(describe_run)"
    MACHINE_LOAD_BEFORE=$(load_average)
    run_workloads
    run_micro_benchmarks
    MACHINE_LOAD_AFTER=$(load_average)
    draw_plot
    write_report
    say "== targets"
    target_rows | sed 's/^/  /' >&2
    say "bench: results in $OUT_DIR/benchmarks.md (raw runs in $RAW_DIR)"
}

main "$@"
