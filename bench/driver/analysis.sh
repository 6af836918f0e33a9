# shellcheck shell=bash
# shellcheck disable=SC2016  # the backquotes in single quotes are markdown, not expansions
# "Where the time goes": the targets' misses explained with this run's own figures, from the
# diagnostics the suite runs beside the peers. Sourced by run.sh.
#
# The explanations name how the engine works today (posix_spawn, a memfd for the here-doc):
# whoever changes that changes the text here.

report_analysis() {
    echo "## Where the time goes"
    echo
    echo "Figures from this run; the diagnostics are in the workload tables below."
    echo
    analysis_startup
    analysis_stages
    analysis_heredoc
    echo
}

# calc FORMAT EXPRESSION [NAME=VALUE...]: awk arithmetic on the named values.
calc() {
    local format=$1 expression=$2
    shift 2
    local assignments=() pair
    for pair in "$@"; do assignments+=(-v "$pair"); done
    awk "${assignments[@]}" "BEGIN { printf \"$format\", $expression }"
}

blocked_us() { local value; value=$(micro_result "spawn_process_caller_blocked/parent_MiB:0"); echo "${value%% *}"; }

analysis_startup() {
    local mine best alone dash_alone true_alone blocked
    mine=$(result small pipex median) best=$(fastest small "${PEERS[@]}")
    alone=$(result startup pipex median) dash_alone=$(result startup dash median) true_alone=$(result startup true median)
    [ -n "$mine" ] && [ -n "$best" ] && [ -n "$alone" ] && [ -n "$dash_alone" ] && [ -n "$true_alone" ] || return 0
    blocked=$(blocked_us)
    printf -- '- **Start-up** (`pipex small cat cat out`: %.2f ms, %s %.2f ms): pipex starting and exiting\n' "$mine" "${best% *}" "${best#* }"
    printf '  alone (`pipex --version`) takes %.2f ms, `dash -c :` %.2f ms and `/bin/true` %.2f ms: ' "$alone" "$dash_alone" "$true_alone"
    if [ "$(calc '%d' 'a <= t * 1.1' a="$alone" t="$true_alone")" = 1 ]; then
        echo "pipex's own"
        echo "  start is already the cost of any process here. The rest is the two \`cat\`s, whose loading"
    else
        echo "pipex's own"
        echo "  start costs $(calc '%.2f' 'a - t' a="$alone" t="$true_alone") ms more than a do-nothing process. The rest is the two \`cat\`s, whose loading"
    fi
    echo "  pipex does not control, and the spawning: posix_spawn's CLONE_VFORK keeps pipex waiting until"
    if [ -n "$blocked" ]; then
        echo "  each child has exec'ed (${blocked} µs, \`spawn_process_caller_blocked\`), so the second \`cat\` starts"
    else
        echo "  each child has exec'ed, so the second \`cat\` starts"
    fi
    echo "  that much later, where a shell that forks goes on at once."
}

analysis_stages() {
    local count=${TRUE_TARGET_STAGES[0]} workload wall cpu dash_wall dash_cpu blocked
    workload="true_$count"
    wall=$(result "$workload" pipex median) cpu=$(result "$workload" pipex cpu)
    dash_wall=$(result "$workload" dash median) dash_cpu=$(result "$workload" dash cpu)
    [ -n "$wall" ] && [ -n "$dash_wall" ] || return 0
    blocked=$(blocked_us)
    printf -- '- **Many stages** (%s `/bin/true`): pipex takes %.1f ms of CPU and %.1f ms of wall time, dash\n' \
        "$count" "$cpu" "$wall"
    printf '  %.1f ms and %.1f ms: pipex keeps %s of the %s cores busy on average, dash %s.\n' \
        "$dash_cpu" "$dash_wall" "$(calc '%.2f' 'cpu / wall' cpu="$cpu" wall="$wall")" "$(nproc)" \
        "$(calc '%.2f' 'cpu / wall' cpu="$dash_cpu" wall="$dash_wall")"
    [ -n "$blocked" ] || return 0
    printf '  Each spawn keeps pipex waiting for the exec (%s µs): %s ms over %s stages, time in which\n' \
        "$blocked" "$(calc '%.1f' 'n * us / 1000' n="$count" us="$blocked")" "$count"
    echo "  pipex prepares no next stage while a forking shell would."
}

analysis_heredoc() {
    local mine read file shell target
    mine=$(result heredoc pipex median) read=$(result heredoc pipex-read median) file=$(result heredoc pipex-file median)
    shell=$(fastest heredoc dash bash)
    [ -n "$mine" ] && [ -n "$read" ] && [ -n "$file" ] && [ -n "$shell" ] || return 0
    target=$(calc '%.1f' 'shell * 0.15' shell="${shell#* }")
    printf -- '- **Here-document** (%.1f ms; 0.15× %s is %s ms): pipex streams the text through a pipe\n' "$mine" "${shell% *}" "$target"
    printf '  to the first stage while it runs. Reading it alone (`pipex-read`, whose first stage exits at\n'
    printf '  once) takes %.1f ms, the same pipeline fed from a file (`pipex-file`) %.1f ms: one after the\n' \
        "$read" "$file"
    printf '  other they would take %.1f ms; streaming overlaps them.\n' "$(calc '%.1f' 'r + f' r="$read" f="$file")"
}
