# shellcheck shell=bash
# shellcheck disable=SC2016  # the backquotes in single quotes are markdown, not expansions
# The cost of containment: pipex against pipex-uncontained, the same engine before containment
# (setup.sh), on every workload both ran in this run. Containment is always on, so it must be
# free: pipex within 3% of the reference everywhere. Sourced by run.sh.

CONTAINMENT_LIMIT=1.03

# paired_ratio WORKLOAD TOOL REFERENCE FIELD: the median over the rounds of TOOL's run over
# REFERENCE's run in the same round (FIELD 4: the time, 5: the own peak). A round runs every
# command once, back to back, so each ratio compares two runs made in the same state of the
# machine: the slow drifts of a virtual machine (a neighbour's load, the host's frequency) cancel
# out, where a ratio of two medians keeps them.
paired_ratio() {
    awk -v tool="$2" -v reference="$3" -v field="$4" -F'\t' '
        $1 == "run" && $2 == tool { mine[$3] = $field }
        $1 == "run" && $2 == reference { theirs[$3] = $field }
        END {
            n = 0
            for (round in mine) if ((round in theirs) && theirs[round] > 0) ratios[++n] = mine[round] / theirs[round]
            for (i = 2; i <= n; i++) for (j = i; j > 1 && ratios[j - 1] > ratios[j]; j--) {
                t = ratios[j]; ratios[j] = ratios[j - 1]; ratios[j - 1] = t
            }
            if (n > 0) printf "%.6f", n % 2 ? ratios[(n + 1) / 2] : (ratios[n / 2] + ratios[n / 2 + 1]) / 2
        }' "$RAW_DIR/$1.tsv"
}

# cost_pairs TOOL REFERENCE: "LABEL<tab>TOOL's<tab>REFERENCE's<tab>UNIT<tab>RATIO" for every
# workload both ran: the median times and the paired ratio, and for the memory workload its own
# peak memory too (its times are traced, so slower). The cost of containment and the cost of the
# report (report_cost.sh) both read it.
cost_pairs() {
    local tool=$1 reference=$2 workload label mine theirs
    for workload in $(cut -f1 "$RESULTS" | uniq); do
        mine=$(result "$workload" "$tool" median) theirs=$(result "$workload" "$reference" median)
        if [ -z "$mine" ] || [ -z "$theirs" ]; then continue; fi
        label=$(workload_title "$workload")
        if [[ $workload == memory_* ]]; then
            label="${workload#memory_} stages of \`/bin/true\`"
            printf '%s, traced\t%s\t%s\tms\t%s\n' "$label" "$mine" "$theirs" \
                "$(paired_ratio "$workload" "$tool" "$reference" 4)"
            mine=$(result "$workload" "$tool" peak) theirs=$(result "$workload" "$reference" peak)
            [[ $mine$theirs == *-* ]] || printf '%s: own peak memory\t%s\t%s\tKiB\t%s\n' "$label" \
                "$mine" "$theirs" "$(paired_ratio "$workload" "$tool" "$reference" 5)"
        else
            printf '%s\t%s\t%s\tms\t%s\n' "${label% (*}" "$mine" "$theirs" \
                "$(paired_ratio "$workload" "$tool" "$reference" 4)"
        fi
    done
}

amount() { if [ "$2" = KiB ]; then echo "$1 KiB"; else printf '%.2f ms' "$1"; fi; }

# cost_target LABEL TARGET LIMIT TOOL REFERENCE REFERENCE_WORDS: the row of the targets table, on
# the workload where TOOL costs the most against REFERENCE.
cost_target() {
    local label=$1 target=$2 limit=$3 tool=$4 reference=$5 words=$6
    local worst what mine theirs unit ratio
    worst=$(cost_pairs "$tool" "$reference" | awk -F'\t' 'NR == 1 || $5 + 0 > max { max = $5 + 0; row = $0 } END { print row }')
    if [ -z "$worst" ]; then not_measured "$label" "$target"; return 0; fi
    IFS=$'\t' read -r what mine theirs unit ratio <<<"$worst"
    printf '| %s | %s | %s (the costliest: %s) | %s %s ' \
        "$label" "$target" "$(amount "$mine" "$unit")" "$what" "$words" "$(amount "$theirs" "$unit")"
    ratio_cells "$ratio" "$limit" le %.3f
}

# cost_table TOOL REFERENCE LIMIT HEADING: one row per workload both ran.
cost_table() {
    local tool=$1 reference=$2 limit=$3 heading=$4 label mine theirs unit ratio
    echo "$heading"
    echo "| --- | --- | --- | --- | --- |"
    while IFS=$'\t' read -r label mine theirs unit ratio; do
        printf '| %s | %s | %s ' "$label" "$(amount "$mine" "$unit")" "$(amount "$theirs" "$unit")"
        ratio_cells "$ratio" "$limit" le %.3f
    done < <(cost_pairs "$tool" "$reference")
    echo
}

containment_target() {
    cost_target "containment's cost, every workload pipex runs alone" \
        "≤ $CONTAINMENT_LIMIT× pipex without containment" "$CONTAINMENT_LIMIT" pipex pipex-uncontained \
        "without containment"
}

report_containment() {
    echo "## Cost of containment"
    echo
    echo "pipex is a child subreaper for its run and one loop reaps every child as it ends"
    echo "(src/lib/supervisor.cpp). That is always on, so it must be free: within 3% of the same engine"
    printf 'without it on every workload. `pipex-uncontained` is pipex built from commit %s, the last\n' "$UNCONTAINED_COMMIT"
    echo "before containment (it waits for its stages in order with blocking \`waitpid\`), as \`make\`"
    echo "builds it; it runs beside pipex, alternated with it, with the same command line, in every"
    echo "workload where pipex runs in its plain form. A reference, not a peer. The ratio is the median,"
    echo "over the rounds of this run, of pipex's time over the reference's in the same round (each"
    echo "round runs every command once, back to back): below 1, pipex is faster."
    echo
    if [ -z "$UNCONTAINED" ]; then
        echo "Not measured in this run: $UNCONTAINED_SKIPPED."
        echo
        return 0
    fi
    if [ "$UNCONTAINED_GIVEN" = 1 ]; then
        echo "In this run the reference was the program given with \`--uncontained\`."
        echo
    fi
    cost_table pipex pipex-uncontained "$CONTAINMENT_LIMIT" \
        "| workload | pipex | pipex without containment | ratio | within 3%? |"
}
