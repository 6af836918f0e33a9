# shellcheck shell=bash
# The workloads of the benchmark issue. Each one names its results "WORKLOAD" in results.tsv
# and checks that every launcher produced the same, right output. Sourced by run.sh.

run_workloads() {
    RESULTS="$RAW_DIR/results.tsv"
    : >"$RESULTS"
    workload_small
    workload_startup
    workload_stage_sweep
    workload_throughput 2
    workload_throughput 3
    workload_heredoc
    workload_memory
    workload_unprivileged
    workload_audit
    workload_audit_build
}

# The pipeline the builder below writes for each launcher; @TOOL@ in P_OUTPUT becomes its name.
P_INPUT="" P_OUTPUT="" P_STAGES=()
build_pipeline() { pipeline_command "$1" "$P_INPUT" "${P_OUTPUT//@TOOL@/$1}" "${P_STAGES[@]}"; }

# launchers TOOL...: WORKLOAD_TOOLS for a workload where pipex runs in its plain form: pipex,
# then the reference without containment when there is one (setup.sh), pipex with its reports
# on (report_cost.sh), then the TOOLs.
launchers() {
    WORKLOAD_TOOLS=(pipex)
    [ -z "$UNCONTAINED" ] || WORKLOAD_TOOLS+=(pipex-uncontained)
    WORKLOAD_TOOLS+=(pipex-report "$@")
}

# The shells among the peers found, for the workloads that only they and pipex can run.
shell_peers() {
    local tool
    for tool in dash bash; do [[ " ${PEERS[*]} " == *" $tool "* ]] && printf '%s\n' "$tool"; done
    return 0
}

repeat_stage() {
    local count=$1 stage=$2 i
    P_STAGES=()
    for ((i = 0; i < count; i++)); do P_STAGES+=("$stage"); done
}

workload_small() {
    say "== pipex small cat cat out (start-up bound)"
    launchers "${PEERS[@]}"
    [ -z "$LEAST" ] || WORKLOAD_TOOLS+=(least)
    P_INPUT="$DATA_DIR/small.txt" P_OUTPUT="$DATA_DIR/small.@TOOL@" P_STAGES=(cat cat)
    MEASURE_RUNS=$STARTUP_RUNS measure small build_pipeline
    local tool
    for tool in "${WORKLOAD_TOOLS[@]}"; do
        cmp -s "$DATA_DIR/small.txt" "$DATA_DIR/small.$tool" || die "small: $tool's output differs from its input"
    done
}

# A diagnostic for the start-up workload (see analysis.sh), as cheap, so as many runs.
workload_startup() {
    say "== starting and exiting alone (diagnostic)"
    local shells
    mapfile -t shells < <(shell_peers)
    launchers "${shells[@]}" true
    MEASURE_RUNS=$STARTUP_RUNS measure startup startup_command
}

# Shells are given /bin/true, which they must exec, never their builtin true.
workload_stage_sweep() {
    launchers "${PEERS[@]}"
    local count
    for count in "${SWEEP_STAGES[@]}"; do
        say "== $count stages of /bin/true"
        P_INPUT=/dev/null P_OUTPUT=/dev/null
        repeat_stage "$count" /bin/true
        local runs=$SWEEP_RUNS
        [ "$count" -gt 10 ] || runs=$STARTUP_RUNS
        MEASURE_RUNS=$runs measure "true_$count" build_pipeline
    done
}

# dash-1cpu runs beside the peers as a reference: the peers' speed here depends on whether the
# scheduler keeps the cats on one core, and the reference shows that good case in every run.
workload_throughput() {
    local cats=$1
    say "== $BIG_MIB MiB through $cats cat to /dev/null"
    launchers "${PEERS[@]}"
    if [[ " ${PEERS[*]} " == *" dash "* ]] && type -P taskset >/dev/null; then WORKLOAD_TOOLS+=(dash-1cpu); fi
    # With more cats than cores, where the kernel puts them matters: the diagnostic pins them.
    if [ "$cats" -gt "$(nproc)" ] && type -P taskset >/dev/null; then WORKLOAD_TOOLS+=(pipex-pinned); fi
    P_INPUT="$DATA_DIR/big.bin" P_OUTPUT=/dev/null
    repeat_stage "$cats" cat
    MEASURE_RUNS=$LONG_RUNS measure "cat${cats}_big" build_pipeline
}

build_heredoc() { heredoc_command "$1" "$DATA_DIR/heredoc.$1"; }

# Only pipex and the shells have here-documents. Every run appends one count to its output
# (pipex-read's stages print nothing; pipex-file truncates its output).
workload_heredoc() {
    say "== $HEREDOC_MIB MiB here_doc through cat | wc -c"
    local tool shells expected=$((HEREDOC_MIB * 1048576))
    mapfile -t shells < <(shell_peers)
    launchers "${shells[@]}" pipex-read pipex-file
    MEASURE_RUNS=$LONG_RUNS measure heredoc build_heredoc
    for tool in "${WORKLOAD_TOOLS[@]}"; do
        [ "$tool" = pipex-read ] && continue
        [ "$(sort -u "$DATA_DIR/heredoc.$tool")" = "$expected" ] || die "heredoc: $tool did not count $expected bytes"
    done
}

# The launcher's own peak memory (bench-timer --own-peak), not its children's.
workload_memory() {
    say "== own peak memory, $MEMORY_STAGES stages of /bin/true"
    launchers "${PEERS[@]}"
    P_INPUT=/dev/null P_OUTPUT=/dev/null
    repeat_stage "$MEMORY_STAGES" /bin/true
    # A launcher's peak moves in steps of 64 KiB or more from run to run (the kernel maps code in
    # such blocks, and how many children are loading at once varies): the sweep's runs steady
    # the median.
    MEASURE_RUNS=$SWEEP_RUNS measure "memory_$MEMORY_STAGES" build_pipeline --own-peak
}

# As nobody, pipes count against the per-user pipe budget (fs.pipe-user-pages-soft): a
# launcher that enlarges pipes must not make a long pipeline slower than default pipes do.
workload_unprivileged() {
    local workload="unprivileged_cat_$UNPRIVILEGED_STAGES"
    say "== as nobody, $UNPRIVILEGED_MIB MiB through $UNPRIVILEGED_STAGES cat"
    if [ "$(id -u)" -ne 0 ]; then
        say "  skipped: only root can run the commands as nobody"
        return 0
    fi
    launchers "${PEERS[@]}"
    P_INPUT="$DATA_DIR/unprivileged.bin" P_OUTPUT=/dev/null
    repeat_stage "$UNPRIVILEGED_STAGES" cat
    # Pipex and the shells move the data through the same default pipes here (analysis.sh): twice
    # the runs, so that the run's noise moves the medians less.
    MEASURE_RUNS=$((RUNS * 2)) measure "$workload" build_pipeline --user 65534:65534
}

# pipex-audit's cost: the same pipeline of cat stages with and without it (it is built beside
# pipex). Not a peer comparison: the ratio is the audit's overhead.
audit_command() {
    local stages=()
    for ((i = 0; i < AUDIT_STAGES; i++)); do stages+=(cat); done
    case $1 in
        pipex) COMMAND=(pipex "$PIPEX" "$DATA_DIR/small.txt" "${stages[@]}" /dev/null) ;;
        pipex-audit) COMMAND=(pipex-audit "$PIPEX_AUDIT" -q -- "$PIPEX" "$DATA_DIR/small.txt" "${stages[@]}" /dev/null) ;;
        pipex-audit-provenance)
            COMMAND=(pipex-audit-provenance "$PIPEX_AUDIT" -q --provenance -- "$PIPEX" "$DATA_DIR/small.txt" "${stages[@]}" /dev/null) ;;
    esac
}

workload_audit() {
    PIPEX_AUDIT="$(dirname "$PIPEX")/pipex-audit"
    if [ ! -x "$PIPEX_AUDIT" ]; then say "== pipex-audit overhead: skipped, no $PIPEX_AUDIT"; return 0; fi
    say "== $AUDIT_STAGES stages of cat, alone and under pipex-audit"
    WORKLOAD_TOOLS=(pipex pipex-audit pipex-audit-provenance)
    measure "audit_$AUDIT_STAGES" audit_command
}

# A small C project the benchmark writes: AUDIT_BUILD_FILES sources, each compiled by its own
# gcc (cc1, as), then linked; `make -B` rebuilds it all on every run.
write_c_project() {
    local dir=$1 i objects=""
    mkdir -p "$dir"
    for ((i = 0; i < AUDIT_BUILD_FILES; i++)); do
        printf 'int f%d(int x) { return x * %d + 1; }
' "$i" "$i" >"$dir/f$i.c"
        objects+=" f$i.o"
    done
    printf 'int main(void) { return 0; }
' >"$dir/main.c"
    printf 'prog: main.o%s
	gcc -o $@ $^
%%.o: %%.c
	gcc -O1 -c -o $@ $<
' "$objects" >"$dir/Makefile"
}

build_command() {
    local dir="$DATA_DIR/cproject"
    case $1 in
        make) COMMAND=(make /usr/bin/make -s -B -j2 -C "$dir") ;;
        make-audited) COMMAND=(make-audited "$PIPEX_AUDIT" -q --status --provenance -- /usr/bin/make -s -B -j2 -C "$dir") ;;
    esac
}

# pipex-audit's cost on a real tree with provenance on: a build, where every compiler opens
# files (each open a stop of the filter) and starts processes.
workload_audit_build() {
    PIPEX_AUDIT="$(dirname "$PIPEX")/pipex-audit"
    if [ ! -x "$PIPEX_AUDIT" ] || ! type -P gcc make >/dev/null; then
        say "== a build under pipex-audit --provenance: skipped (needs pipex-audit, gcc and make)"
        return 0
    fi
    say "== make -j2 of $AUDIT_BUILD_FILES C files, alone and under pipex-audit --provenance"
    write_c_project "$DATA_DIR/cproject"
    WORKLOAD_TOOLS=(make make-audited)
    measure audit_build build_command
}
