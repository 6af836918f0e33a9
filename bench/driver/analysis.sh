# shellcheck shell=bash
# shellcheck disable=SC2016  # the backquotes in single quotes are markdown, not expansions
# "Where the time goes": the targets' misses explained with this run's own figures, from the
# diagnostics the suite runs beside the peers. Sourced by run.sh.
#
# The explanations name how the engine works today (clone without waiting for the exec, a
# here-doc streamed through a pipe): whoever changes that changes the text here.

report_analysis() {
    echo "## Where the time goes"
    echo
    echo "Figures from this run; the diagnostics are in the workload tables below."
    echo
    analysis_startup
    analysis_stages
    analysis_three_cats
    analysis_heredoc
    analysis_unprivileged
    analysis_memory
    echo
}

# calc FORMAT EXPRESSION [NAME=VALUE...]: awk arithmetic on the named values.
calc() {
    local format=$1 expression=$2
    shift 2
    local assignments=() pair
    for pair in "$@"; do assignments+=(-v "$pair"); done
    awk "${assignments[@]}" "BEGIN { printf \"$format\", ($expression) }"  # (): a > would redirect
}

blocked_us() { local value; value=$(micro_result "start_process_caller_blocked/parent_MiB:0"); echo "${value%% *}"; }

analysis_startup() {
    local mine best alone dash_alone true_alone blocked least
    mine=$(result small pipex median) best=$(fastest small "${PEERS[@]}")
    alone=$(result startup pipex median) dash_alone=$(result startup dash median) true_alone=$(result startup true median)
    [ -n "$mine" ] && [ -n "$best" ] && [ -n "$alone" ] && [ -n "$dash_alone" ] && [ -n "$true_alone" ] || return 0
    blocked=$(blocked_us) least=$(result small least median)
    printf -- '- **Start-up** (`pipex small cat cat out`: %.2f ms, %s %.2f ms; 0.8× is %.2f ms):' \
        "$mine" "${best% *}" "${best#* }" "$(calc '%.2f' 'b * 0.8' b="${best#* }")"
    if [ -n "$least" ]; then
        echo " the least"
        echo "  a launcher can do here (\`least\`: bench/reference/least_launcher.cpp opens the files, makes"
        echo "  the pipe, forks and execs the two \`cat\`s and waits, nothing else, linked statically) takes"
        printf '  %.2f ms, %.2f× %s, and pipex %.2f× that.' "$least" \
            "$(calc '%.2f' 'l / b' l="$least" b="${best#* }")" "${best% *}" "$(calc '%.2f' 'm / l' m="$mine" l="$least")"
        if [ "$(calc '%d' 'l > b * 0.8' l="$least" b="${best#* }")" = 1 ]; then
            echo " The target is below what any launcher reaches on this"
            echo "  machine: the time is the two \`cat\`s loading and running, not their launcher."
        else
            echo
        fi
    else
        echo
    fi
    printf '  pipex starting and exiting alone (`pipex --version`) takes %.2f ms, `dash -c :` %.2f ms,\n' "$alone" "$dash_alone"
    printf '  `/bin/true` %.2f ms' "$true_alone"
    [ -z "$blocked" ] || printf '; creating a child keeps pipex %s µs (`start_process_caller_blocked`),\n  and the child execs on the other core meanwhile' "$blocked"
    echo "."
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
    printf '  Each child keeps pipex %s µs (%s ms over %s stages): it is created with clone(CLONE_VM), on a\n' \
        "$blocked" "$(calc '%.1f' 'n * us / 1000' n="$count" us="$blocked")" "$count"
    echo "  stack of its own, and execs while pipex creates the next, as a forking shell's children do,"
    echo "  but with nothing of pipex copied."
}

# Three cats on two cores: the diagnostic run with the cats pinned by hand (workloads.sh) shows
# what the best placement gives.
analysis_three_cats() {
    local mine cpu best pinned pinned_cpu good
    mine=$(result cat3_big pipex median) cpu=$(result cat3_big pipex cpu)
    best=$(fastest cat3_big "${PEERS[@]}")
    pinned=$(result cat3_big pipex-pinned median) pinned_cpu=$(result cat3_big pipex-pinned cpu)
    good=$(result cat3_big dash-1cpu median)
    [ -n "$mine" ] && [ -n "$best" ] && [ -n "$pinned" ] || return 0
    printf -- '- **Three cats** (%s MiB: pipex %.1f ms, %s %.1f ms; 1.5× needs %.1f ms): each `cat` copies\n' \
        "$BIG_MIB" "$mine" "${best% *}" "${best#* }" "$(calc '%.1f' 'b / 1.5' b="${best#* }")"
    printf '  every byte, and three single-threaded programs on %s cores means two of them share one. Held\n' "$(nproc)"
    echo "  by hand in the best placement (\`pipex-pinned\`: the first and last \`cat\` on core 0, the middle"
    printf '  one on core 1, with taskset), the pipeline takes %.1f ms (%.1f ms of CPU), %.2f× the fastest\n' \
        "$pinned" "$pinned_cpu" "$(calc '%.2f' 'b / p' b="${best#* }" p="$pinned")"
    printf "  peer's throughput; pipex, which leaves the placement to the kernel as every launcher here does,\n"
    printf '  %.2f× the pinned time (%.1f ms of CPU: %s of the cores busy).' \
        "$(calc '%.2f' 'm / p' m="$mine" p="$pinned")" "$cpu" "$(calc '%.2f' 'c / m' c="$cpu" m="$mine")"
    if [ "$(calc '%d' 'b / p < 1.5' b="${best#* }" p="$pinned")" = 1 ]; then
        echo " 1.5× is beyond two cores"
        echo "  running three programs that copy every byte."
    else
        echo
    fi
    [ -n "$good" ] || return 0
    # The peers are bimodal (above): the ratio of medians depends on their mode in this run.
    printf '  Against a peer in its good mode (dash held on one core, %.1f ms), the pinned pipeline gives\n' "$good"
    printf '  %.2f×' "$(calc '%.2f' 'g / p' g="$good" p="$pinned")"
    if [ "$(calc '%d' 'g / p < 1.5' g="$good" p="$pinned")" = 1 ]; then
        echo ": in runs where the peers' cats keep to one core, 1.5× is out of reach on two cores."
    else
        echo "."
    fi
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

# As nobody, the per-user pipe allowance decides the pipe size (pipeline.cpp's budget).
analysis_unprivileged() {
    local workload="unprivileged_cat_$UNPRIVILEGED_STAGES" mine cpu best best_cpu soft
    mine=$(result "$workload" pipex median) cpu=$(result "$workload" pipex cpu)
    best=$(fastest "$workload" "${PEERS[@]}")
    [ -n "$mine" ] && [ -n "$best" ] || return 0
    best_cpu=$(result "$workload" "${best% *}" cpu)
    soft=$(cat /proc/sys/fs/pipe-user-pages-soft 2>/dev/null || echo 16384)
    printf -- '- **As nobody** (%s `cat`: pipex %.1f ms, %s %.1f ms): %s pipes of the default 64 KiB take\n' \
        "$UNPRIVILEGED_STAGES" "$mine" "${best% *}" "${best#* }" "$UNPRIVILEGED_STAGES"
    printf "  %s%% of an unprivileged user's pipe allowance (%s MiB). " \
        "$(calc '%.0f' 'n * 16 * 100 / s' n="$UNPRIVILEGED_STAGES" s="$soft")" "$(calc '%.0f' 's * 4 / 1024' s="$soft")"
    if [ "$(calc '%d' '4096 / (n - 1) < 64' n="$UNPRIVILEGED_STAGES")" = 1 ]; then
        echo "pipex's 4 MiB budget per pipeline"
        echo "  leaves every pipe at the default size: pipex and the peers move the data through the same"
        printf '  pipes, with about the same CPU (pipex %.1f ms, %s %.1f ms); what differs is the spawning\n' \
            "$cpu" "${best% *}" "$best_cpu"
        echo "  and the run's noise (min–max in the workload table)."
    else
        echo "pipex enlarges its pipes within its"
        printf '  4 MiB budget per pipeline (CPU: pipex %.1f ms, %s %.1f ms).\n' "$cpu" "${best% *}" "$best_cpu"
    fi
}

# pipex's own peak is mostly its code (pipeline.cpp bounds the children loading at once).
analysis_memory() {
    local workload="memory_$MEMORY_STAGES" mine before dash
    mine=$(result "$workload" pipex peak) before=$(result "$workload" pipex-uncontained peak)
    dash=$(result "$workload" dash peak)
    [ -n "$mine" ] && [ "$mine" != - ] || return 0
    printf -- '- **Own peak memory** (%s stages: pipex %s KiB' "$MEMORY_STAGES" "$mine"
    [ -z "$before" ] || [ "$before" = - ] || printf ', before containment %s KiB' "$before"
    [ -z "$dash" ] || [ "$dash" = - ] || printf ', dash %s KiB' "$dash"
    echo '): most of it is pipex'"'"'s own'
    echo '  code, which the kernel maps in blocks of 64 KiB around each page touched; pipex is linked'
    echo '  without the functions it never calls. A child that has not exec'"'"'ed yet holds a stack in'
    echo '  pipex'"'"'s memory: pipex lets at most 8 load at once, where tens would pile up on two cores.'
}
