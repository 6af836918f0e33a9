# shellcheck shell=bash
# The engine's micro-benchmarks (bench/micro, Google Benchmark), and reading their results.
# Sourced by run.sh.

MICRO_REPETITIONS=5

# Repetitions are interleaved at random across benchmarks, the library's way of alternating, so
# that the small-parent and big-parent cases see the same machine.
run_micro_benchmarks() {
    MICRO_CSV="$RAW_DIR/micro.csv"
    rm -f "$MICRO_CSV"
    if [ -z "$MICRO" ]; then
        say "== micro-benchmarks: not built (no libbenchmark-dev), skipped"
        return 0
    fi
    say "== micro-benchmarks (parent holding $BALLAST_MIB MiB in the big-parent cases)"
    local options=(--ballast_mib="$BALLAST_MIB" --benchmark_out="$MICRO_CSV" --benchmark_out_format=csv)
    if [ "$SMOKE" = 1 ]; then
        options+=(--benchmark_min_time=0.01)
    else
        options+=(--benchmark_repetitions="$MICRO_REPETITIONS" --benchmark_enable_random_interleaving=true
                  --benchmark_report_aggregates_only=true)
    fi
    bench_env "$MICRO" "${options[@]}" >"$RAW_DIR/micro.txt" 2>&1 ||
        die "micro-benchmarks failed (see $RAW_DIR/micro.txt)"
    micro_names | while read -r name; do
        printf '  %-48s %s\n' "$name" "$(micro_result "$name")" >&2
    done
}

# The benchmarks' names, sorted (interleaved repetitions run them in a random order); the
# parent sizes sort as numbers, so the small parent comes first.
micro_names() {
    [ -f "${MICRO_CSV:-}" ] || return 0
    awk -F, '/^"/ { name = $1; gsub(/"/, "", name); sub(/_(mean|median|stddev|cv)$/, "", name)
                   sub(/\/real_time$/, "", name); if (!seen[name]++) print name }' "$MICRO_CSV" |
        sort -t: -k1,1 -k2,2n
}

# micro_result NAME: "VALUE UNIT", the median of the repetitions (the only run when smoke).
micro_result() {
    [ -f "${MICRO_CSV:-}" ] || return 0
    awk -F, -v want="$1" '/^"/ {
        name = $1; gsub(/"/, "", name); aggregate = ""
        if (match(name, /_(mean|median|stddev|cv)$/)) { aggregate = substr(name, RSTART + 1); name = substr(name, 1, RSTART - 1) }
        sub(/\/real_time$/, "", name)
        if (name != want || (aggregate != "" && aggregate != "median")) next
        format = $3 < 100 ? "%.2f %s\n" : $3 < 10000 ? "%.1f %s\n" : "%.0f %s\n"
        printf format, $3, $5; exit }' "$MICRO_CSV"
}

# micro_ratio NAME_A NAME_B: A's median over B's (same unit in practice: both spawn benchmarks).
micro_ratio() {
    local a b
    a=$(micro_result "$1") b=$(micro_result "$2")
    [ -n "$a" ] && [ -n "$b" ] || return 0
    awk -v a="${a%% *}" -v b="${b%% *}" 'BEGIN { printf "%.2f\n", a / b }'
}
