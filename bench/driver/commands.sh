# shellcheck shell=bash
# How each launcher writes `< IN STAGE1 | ... | STAGEN > OUT`. Stages are plain words (no quoting
# needed by any workload). Each function sets COMMAND to bench-timer's tokens for one command:
# NAME [<FILE] [>FILE] PROGRAM [ARG...]. Sourced by run.sh.

EXECLINE_BIN=/usr/lib/execline/bin

# pipex, or the reference that is pipex before containment (setup.sh): the same command line.
pipex_program() { if [ "$1" = pipex-uncontained ]; then echo "$UNCONTAINED"; else echo "$PIPEX"; fi; }

# pipex-report: pipex with both reports on (report_cost.sh), the table sent to /dev/null, the
# JSON too: every stage's /proc/PID/io read, both reports made and written.
REPORT_OPTIONS=(--report --report-json /dev/null)

pipeline_command() {
    local tool=$1 input=$2 output=$3
    shift 3
    case $tool in
        pipex | pipex-uncontained) COMMAND=("$tool" "$(pipex_program "$tool")" "$input" "$@" "$output") ;;
        pipex-report) COMMAND=("$tool" "2>/dev/null" "$PIPEX" "${REPORT_OPTIONS[@]}" "$input" "$@" "$output") ;;
        dash | bash) COMMAND=("$tool" "/bin/$tool" -c "< $input $(join_stages "$@") > $output") ;;
        # A reference, not a peer: dash with the whole pipeline held on one core (see targets.sh).
        dash-1cpu) COMMAND=("$tool" "$(type -P taskset)" -c 0 /bin/dash -c "< $input $(join_stages "$@") > $output") ;;
        pipexec) pipexec_command "$input" "$output" "$@" ;;
        # A diagnostic: pipex with each stage held on a core of its own (stage N on core N-1, the
        # cores taken in turn when there are fewer), placed by hand with taskset.
        pipex-pinned) pinned_command "$input" "$output" "$@" ;;
        # A reference, not a peer: the least a launcher can do (bench/reference/least_launcher.cpp).
        least) least_command "$input" "$output" "$@" ;;
        execline) execline_command "$input" "$output" "$@" ;;
        *) die "unknown launcher: $tool" ;;
    esac
}

join_stages() {
    local joined=$1
    shift
    local stage
    for stage in "$@"; do joined+=" | $stage"; done
    printf '%s' "$joined"
}

# pipexec opens no file and does no PATH search: bench-timer opens IN and OUT for it (in the
# child, so inside the timed run), and each stage names its program by its full path.
pipexec_command() {
    local input=$1 output=$2
    shift 2
    COMMAND=(pipexec "<$input" ">$output" /usr/bin/pipexec --)
    local count=0 stage words
    for stage in "$@"; do
        count=$((count + 1))
        read -ra words <<<"$stage"
        words[0]=$(type -P "${words[0]}")
        COMMAND+=("[" "S$count" "${words[@]}" "]")
    done
    local i
    for ((i = 1; i < count; i++)); do COMMAND+=("{S$i:1>S$((i + 1)):0}"); done
}

pinned_command() {
    local input=$1 output=$2
    shift 2
    local stages=() cores taskset core=0 stage
    cores=$(nproc) taskset=$(type -P taskset)
    for stage in "$@"; do
        stages+=("$taskset -c $core $stage")
        core=$(((core + 1) % cores))
    done
    COMMAND=(pipex-pinned "$PIPEX" "$input" "${stages[@]}" "$output")
}

least_command() {
    local input=$1 output=$2
    shift 2
    COMMAND=(least "$LEAST" "$input" "$output")
    local stage
    for stage in "$@"; do COMMAND+=("$(type -P "$stage")"); done
}

# execline chains programs: redirfd opens a file and execs the rest, `pipeline { A } B...` starts
# A writing into a pipe and execs B... reading from it. A block is its words each prefixed by a
# space, ended by an empty word (execlineb's quoting, written out).
execline_command() {
    local input=$1 output=$2
    shift 2
    COMMAND=(execline "$EXECLINE_BIN/redirfd" -r 0 "$input" "$EXECLINE_BIN/redirfd" -w 1 "$output")
    local words
    while [ $# -gt 1 ]; do
        read -ra words <<<"$1"
        shift
        COMMAND+=("$EXECLINE_BIN/pipeline" "${words[@]/#/ }" "")
    done
    read -ra words <<<"$1"
    COMMAND+=("${words[@]}")
}

# The here-document workload exists only for pipex and the shells. Two diagnostics split
# pipex's time: pipex-read reads the here-document and runs stages that do not read it, and
# pipex-file runs the same pipeline on the same text given as INFILE.
heredoc_command() {
    local tool=$1 output=$2 stdin="<$DATA_DIR/heredoc.stdin"
    case $tool in
        pipex | pipex-uncontained)
            COMMAND=("$tool" "$stdin" "$(pipex_program "$tool")" here_doc "$HEREDOC_LIMITER" cat "wc -c" "$output") ;;
        pipex-report)
            COMMAND=("$tool" "$stdin" "2>/dev/null" "$PIPEX" "${REPORT_OPTIONS[@]}" here_doc "$HEREDOC_LIMITER" cat "wc -c" "$output") ;;
        pipex-read) COMMAND=("$tool" "$stdin" "$PIPEX" here_doc "$HEREDOC_LIMITER" /bin/true /bin/true "$output") ;;
        pipex-file) COMMAND=("$tool" "$PIPEX" "$DATA_DIR/heredoc.text" cat "wc -c" "$output") ;;
        dash | bash) COMMAND=("$tool" "/bin/$tool" "$DATA_DIR/heredoc.sh" "$output") ;;
    esac
}

# Starting and exiting alone, doing nothing: what each launcher costs before its first stage.
# /bin/true, a dynamically linked program that does nothing, shows what any process costs here.
startup_command() {
    case $1 in
        pipex | pipex-uncontained) COMMAND=("$1" "$(pipex_program "$1")" --version) ;;
        pipex-report) COMMAND=("$1" "2>/dev/null" "$PIPEX" "${REPORT_OPTIONS[@]}" --version) ;;
        dash | bash) COMMAND=("$1" "/bin/$1" -c :) ;;
        true) COMMAND=(true /bin/true) ;;
    esac
}
