# shellcheck shell=bash
# The targets of the benchmark issue, each checked against the results of this run. Prints the
# rows of a markdown table: | workload | target | pipex | compared with | ratio | met |.
# Sourced by run.sh.

target_rows() {
    local count
    time_target "\`pipex small cat cat out\` (start-up bound)" small "≤ 0.8× the fastest peer" 0.8 "${PEERS[@]}"
    for count in "${TRUE_TARGET_STAGES[@]}"; do
        time_target "$count stages of \`/bin/true\`" "true_$count" "≤ 1.0× the fastest peer" 1.0 "${PEERS[@]}"
    done
    throughput_target "$BIG_MIB MiB through \`cat\` \`cat\` to /dev/null" cat2_big 2.5
    throughput_target "$BIG_MIB MiB through \`cat\` \`cat\` \`cat\` to /dev/null" cat3_big 1.5
    time_target "$HEREDOC_MIB MiB here_doc through \`cat\` \`wc -c\`" heredoc "≤ 0.15× the fastest shell" 0.15 dash bash
    peak_target
    spawn_target
    time_target "as nobody, $UNPRIVILEGED_MIB MiB through $UNPRIVILEGED_STAGES \`cat\`" \
        "unprivileged_cat_$UNPRIVILEGED_STAGES" "≤ 1.0× the fastest peer (default pipes)" 1.0 "${PEERS[@]}"
    audit_rows
    containment_target
    report_cost_target
}

# pipex-audit's overhead: the audited run over pipex alone (target 1.05×), the same with
# --provenance (measured), and a build under --provenance over the build alone (target 1.5×).
AUDIT_LIMIT=1.05 AUDIT_BUILD_LIMIT=1.5

audit_rows() {
    local label="$AUDIT_STAGES stages of \`cat\` under pipex-audit" alone audited workload="audit_$AUDIT_STAGES"
    alone=$(result "$workload" pipex median)
    audited=$(result "$workload" pipex-audit median)
    if [ -z "$alone" ] || [ -z "$audited" ]; then
        not_measured "$label" "≤ $AUDIT_LIMIT× pipex alone"
    else
        printf '| %s | ≤ %s× pipex alone | %.2f ms | pipex alone %.2f ms ' "$label" "$AUDIT_LIMIT" "$audited" "$alone"
        ratio_cells "$(calc '%.6f' 'a / b' a="$audited" b="$alone")" "$AUDIT_LIMIT" le
    fi
    audited=$(result "$workload" pipex-audit-provenance median)
    if [ -n "$alone" ] && [ -n "$audited" ]; then
        # shellcheck disable=SC2016  # the backquotes are markdown
        printf '| %s with `--provenance` | measured, no target | %.2f ms | pipex alone %.2f ms | %s | — |\n' \
            "$label" "$audited" "$alone" "$(calc '%.2f×' 'a / b' a="$audited" b="$alone")"
    fi
    label="\`make -j2\` of $AUDIT_BUILD_FILES C files under \`pipex-audit --provenance\`"
    alone=$(result audit_build make median)
    audited=$(result audit_build make-audited median)
    if [ -z "$alone" ] || [ -z "$audited" ]; then
        not_measured "$label" "≤ $AUDIT_BUILD_LIMIT× the build alone"
        return 0
    fi
    printf '| %s | ≤ %s× the build alone | %.2f ms | alone %.2f ms ' "$label" "$AUDIT_BUILD_LIMIT" "$audited" "$alone"
    ratio_cells "$(calc '%.6f' 'a / b' a="$audited" b="$alone")" "$AUDIT_BUILD_LIMIT" le
}

# ratio_cells RATIO LIMIT le|ge [FORMAT]: "| ratio× | yes/no |", the ratio printed with FORMAT
# (default %.2f).
ratio_cells() {
    awk -v ratio="$1" -v limit="$2" -v way="$3" -v format="${4:-%.2f}" 'BEGIN {
        met = way == "le" ? ratio <= limit : ratio >= limit
        printf "| " format "× | %s |\n", ratio, met ? "yes" : "**no**" }'
}

not_measured() { echo "| $1 | $2 | not measured | | | |"; }

# pipex's median time over the fastest of the given launchers' (lower is better).
time_target() {
    local label=$1 workload=$2 target=$3 limit=$4
    shift 4
    local mine best
    mine=$(result "$workload" pipex median)
    best=$(fastest "$workload" "$@")
    if [ -z "$mine" ] || [ -z "$best" ]; then not_measured "$label" "$target"; return 0; fi
    printf '| %s | %s | %.2f ms | %s %.2f ms ' "$label" "$target" "$mine" "${best% *}" "${best#* }"
    ratio_cells "$(awk -v a="$mine" -v b="${best#* }" 'BEGIN { print a / b }')" "$limit" le
}

# Throughput is bytes over time, so pipex's throughput over the peer's is the peer's time over
# pipex's (higher is better).
throughput_target() {
    local label=$1 workload=$2 limit=$3 mine best
    mine=$(result "$workload" pipex median)
    best=$(fastest "$workload" "${PEERS[@]}")
    if [ -z "$mine" ] || [ -z "$best" ]; then not_measured "$label" "≥ $limit× the fastest peer's throughput"; return 0; fi
    printf '| %s | ≥ %s× the fastest peer'"'"'s throughput | %.1f ms, %s | %s %.1f ms, %s ' \
        "$label" "$limit" "$mine" "$(throughput "$mine")" "${best% *}" "${best#* }" "$(throughput "${best#* }")"
    ratio_cells "$(awk -v a="$mine" -v b="${best#* }" 'BEGIN { print b / a }')" "$limit" ge
}

# pipex against the reference that keeps dash's pipeline on one core (workloads.sh), and the
# fastest single runs: the medians of the peers depend on where the scheduler put their cats.
throughput_notes() {
    local workload
    for workload in cat2_big cat3_big; do
        awk -v workload="$workload" -v peers=" ${PEERS[*]} " -v what="$(workload_title "$workload")" -F'\t' '
            $1 != workload { next }
            $2 == "pipex" { mine = $3; mine_min = $4 }
            $2 == "dash-1cpu" { pinned = $3 }
            index(peers, " " $2 " ") && (best == "" || $4 + 0 < best + 0) { best = $4; tool = $2 }
            END {
                if (mine == "" || best == "") exit
                printf "- %s: ", what
                if (pinned != "") printf "dash on one core %.1f ms, pipex %.2f× its throughput; ", pinned, pinned / mine
                printf "fastest runs: pipex %.1f ms, %s %.1f ms (%.2f×).\n", mine_min, tool, best, best / mine_min
            }' "$RESULTS"
    done
}

throughput() { awk -v ms="$1" -v mib="$BIG_MIB" 'BEGIN { printf "%.2f GiB/s", mib / 1024 / (ms / 1000) }'; }

peak_target() {
    local workload="memory_$MEMORY_STAGES" label="pipex's own peak memory, $MEMORY_STAGES stages" mine theirs
    mine=$(result "$workload" pipex peak)
    theirs=$(result "$workload" dash peak)
    if [ -z "$mine" ] || [ -z "$theirs" ] || [ "$mine" = - ]; then not_measured "$label" "≤ dash's"; return 0; fi
    printf '| %s | ≤ dash'"'"'s | %s KiB | dash %s KiB ' "$label" "$mine" "$theirs"
    ratio_cells "$(awk -v a="$mine" -v b="$theirs" 'BEGIN { print a / b }')" 1.0 le
}

spawn_target() {
    local label="library spawn cost (\`spawn_process\`), parent holding $BALLAST_MIB MiB"
    local target="≤ 1.2× the cost from a small parent" big small ratio
    big=$(micro_result "spawn_process/parent_MiB:$BALLAST_MIB")
    small=$(micro_result "spawn_process/parent_MiB:0")
    ratio=$(micro_ratio "spawn_process/parent_MiB:$BALLAST_MIB" "spawn_process/parent_MiB:0")
    if [ -z "$ratio" ]; then not_measured "$label" "$target"; return 0; fi
    printf '| %s | %s | %s | small parent %s ' "$label" "$target" "$big" "$small"
    ratio_cells "$ratio" 1.2 le
}
