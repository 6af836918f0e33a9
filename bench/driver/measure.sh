# shellcheck shell=bash
# Running bench-timer on one workload for every launcher at once, so that their runs alternate,
# and collecting its summaries. Sourced by run.sh.

# Every command gets the same small environment: no locale to load, the same PATH to search
# (and the sanitizers' options, when a sanitized build is smoke-tested).
BENCH_PATH=/usr/local/bin:/usr/bin:/bin

bench_env() {
    local variables=(PATH="$BENCH_PATH" LC_ALL=C) name
    for name in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
        [ -n "${!name:-}" ] && variables+=("$name=${!name}")
    done
    env -i "${variables[@]}" "$@"
}

# measure WORKLOAD BUILDER [BENCH-TIMER OPTION...]
# BUILDER is called with each name of WORKLOAD_TOOLS and sets COMMAND (see commands.sh).
# MEASURE_RUNS, when set, replaces RUNS for this workload.
# Appends "WORKLOAD TOOL MEDIAN_MS MIN_MS MAX_MS RUNS PEAK_KIB CPU_MS" lines to results.tsv.
measure() {
    local workload=$1 builder=$2
    shift 2
    local tokens=() tool
    for tool in "${WORKLOAD_TOOLS[@]}"; do
        "$builder" "$tool"
        [ ${#tokens[@]} -eq 0 ] || tokens+=("::")
        tokens+=("${COMMAND[@]}")
    done
    bench_env "$TIMER" --runs "${MEASURE_RUNS:-$RUNS}" --warmup "$WARMUP" "$@" -- \
        "${tokens[@]}" >"$RAW_DIR/$workload.tsv" ||
        die "$workload: a command failed (runs so far in $RAW_DIR/$workload.tsv)"
    awk -v workload="$workload" -F'\t' -v OFS='\t' \
        '$1 == "summary" { print workload, $2, $3, $4, $5, $6, $7, $8 }' \
        "$RAW_DIR/$workload.tsv" >>"$RESULTS"
    show_summaries "$workload"
}

show_summaries() {
    awk -v workload="$1" -F'\t' '$1 == workload {
        peak = $7 == "-" ? "" : sprintf("   own peak %6d KiB", $7)
        printf "  %-17s %10.2f ms   (%.2f - %.2f)   cpu %8.2f ms%s\n", $2, $3, $4, $5, $8, peak
    }' "$RESULTS" >&2
}

# result WORKLOAD TOOL COLUMN: one number from results.tsv (median, min, max, runs, peak, cpu).
result() {
    local column
    case $3 in median) column=3 ;; min) column=4 ;; max) column=5 ;; runs) column=6 ;; peak) column=7 ;; cpu) column=8 ;; esac
    awk -v workload="$1" -v tool="$2" -v column="$column" -F'\t' \
        '$1 == workload && $2 == tool { print $column; exit }' "$RESULTS"
}

# fastest WORKLOAD TOOL...: "TOOL MEDIAN" of the lowest median among the tools measured.
fastest() {
    local workload=$1
    shift
    local tools=" $* "
    awk -v workload="$workload" -v tools="$tools" -F'\t' '
        $1 == workload && index(tools, " " $2 " ") && (best == "" || $3 + 0 < best + 0) { best = $3; name = $2 }
        END { if (name != "") print name, best }' "$RESULTS"
}
