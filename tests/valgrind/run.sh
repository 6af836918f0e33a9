#!/usr/bin/env bash
# Runs representative pipex invocations under valgrind, following the children too, and fails
# unless pipex reports no memory error, no leak and nothing still in use at exit (nor does any
# child of it that exits before its exec), and ends holding no fd beyond 0, 1, 2 (and valgrind's
# own log file). The children's own reports are not judged: they are other people's
# programs (GNU sort, for one, does not free everything), and what they inherit is checked by
# the fd tests of the suite.
# Usage: run.sh PIPEX_BINARY
set -uo pipefail
pipex=$(realpath "$1")

# Start clean: fds this script inherited would show up in every report as "inherited".
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
done

work=$(mktemp -d /tmp/pipex-valgrind-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
printf 'one\ntwo\nthree\n' > in
mkdir folder
failures=0

check() {  # check NAME STDIN PIPEX_ARGS...
    local name=$1 input=$2
    shift 2
    rm -rf logs && mkdir logs
    printf '%b' "$input" | valgrind --track-fds=yes --trace-children=yes --leak-check=full \
        --errors-for-leak-kinds=definite,indirect,possible --log-file="logs/%p.log" \
        "$pipex" "$@" >/dev/null 2>&1
    local main_log problems=""
    main_log=$(grep -l "Command: $pipex" logs/*.log | head -n 1)
    [ -n "$main_log" ] || problems+=" no-valgrind-log-for-pipex"
    if [ -n "$main_log" ]; then
        grep -q "ERROR SUMMARY: 0 errors" "$main_log" || problems+=" memory-errors"
        grep -qE "(definitely|indirectly|possibly) lost: [1-9]" "$main_log" && problems+=" leak"
        # Every fd pipex still holds at exit, other than 0-2 and valgrind's own log.
        local extra
        extra=$(grep -E "Open (file descriptor|AF_UNIX socket) [0-9]+" "$main_log" |
            grep -vE "descriptor [012]:|$(basename "$main_log")" || true)
        [ -z "$extra" ] || problems+=" fds-open-at-exit:[$extra]"
    fi
    # Nothing still reachable either (testers show every kind), in pipex or in a child that
    # exits as a copy of pipex, before any exec (a failed one), and so reports pipex's memory.
    local copy
    while read -r copy; do
        grep -q "in use at exit: 0 bytes" "$copy" || problems+=" memory-in-use-at-exit:$(basename "$copy")"
    done < <(grep -l "Command: $pipex" logs/*.log)
    if [ -n "$problems" ]; then
        echo "FAIL $name:$problems"
        cat "${main_log:-/dev/null}" | grep -E "==[0-9]+== +(at|by|Open|Invalid|Conditional|[0-9,]+ bytes)" | head -n 30
        failures=$((failures + 1))
    else
        echo "ok   $name ($(ls logs | wc -l) processes traced)"
    fi
}

check "file form"             ""                    in "grep o" "sort -r" "wc -l" out
check "infile missing"        ""                    missing cat "wc -l" out
check "outfile is a folder"   ""                    in cat cat folder
check "command not found"     ""                    in nosuch-cmd cat out
check "not executable"        ""                    in ./in cat out
check "a folder as command"   ""                    in cat ./folder out
check "missing program path"  ""                    in /no/such/cat cat out
check "no-shebang script"     ""                    in cat "sh -c 'printf \"echo hi\\n\" > s; chmod +x s'" out
check "here_doc"              "a\nb\nEND\nafter\n"  here_doc END cat "wc -c" out
check "here_doc at eof"       "a\nb"                here_doc END cat cat out
check "unterminated quote"    ""                    in "cat 'x" cat out
check "too few arguments"     ""                    in cat out
check "help"                  ""                    --help

echo "valgrind: $failures failing case(s)"
[ "$failures" -eq 0 ]
