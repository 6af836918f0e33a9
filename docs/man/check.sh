# docs/man/check.sh: checks the man pages and the bash completion files against the built programs.
# shellcheck shell=bash
#
# usage: bash docs/man/check.sh BUILD_DIR
#
# BUILD_DIR holds the built pipex, pipex-audit and pipex-check. Three parts:
#   (a) every page of docs/man renders with no warning: groff -man -ww -z (also for the utf8
#       device, and through man --warnings at 80 columns when man is installed);
#   (b) every option that a program's --help lists (each --long one it prints, and each -x of
#       its option lines) is in that program's page, written with escaped hyphens (\-\-name);
#   (c) completing `PROGRAM --` with completion/PROGRAM.bash offers every long option of its --help:
#       in a bash without bash-completion (the files fall back to compgen), and again with
#       /usr/share/bash-completion/bash_completion loaded when it is installed.
# Prints what fails on stderr, then a closing line; exits 0 when everything passed, 1 when
# something failed, 2 for a usage error or a tool that is missing.
set -euo pipefail

if (($# != 1)); then
    echo "usage: bash docs/man/check.sh BUILD_DIR" >&2
    exit 2
fi
build_dir=$1
man_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
completion_dir=$(cd "$man_dir/../.." && pwd)/completion
bash_completion=${PIPEX_BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
programs=(pipex pipex-audit pipex-check)

for tool in groff bash; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "check.sh: $tool is missing (Debian: groff-base for groff)" >&2
        exit 2
    fi
done
for program in "${programs[@]}"; do
    if [[ ! -x $build_dir/$program ]]; then
        echo "check.sh: $build_dir/$program: not an executable (build it first)" >&2
        exit 2
    fi
done

passed=0
failed=0
pass() { passed=$((passed + 1)); }
# fail HEADLINE [DETAILS]: the headline, then the details indented.
fail() {
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$1" >&2
    if (($# > 1)); then
        local line
        while IFS= read -r line; do
            printf '      %s\n' "$line"
        done <<<"$2" >&2
    fi
}

# --- (a) every page renders without a warning -------------------------------------------------

shopt -s nullglob
pages=("$man_dir"/*.[1-9])
shopt -u nullglob
if ((${#pages[@]} == 0)); then
    fail "no man page in $man_dir"
fi
for page in "${pages[@]}"; do
    name=${page##*/}
    warnings=$(
        groff -man -ww -z "$page" 2>&1 | sed 's/^/groff: /' || true
        groff -man -ww -z -Tutf8 "$page" 2>&1 | sed 's/^/groff -Tutf8: /' || true
        if command -v man >/dev/null 2>&1; then
            LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
                man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null |
                sed 's/^/man: /' || true
        fi
    )
    if [[ -n $warnings ]]; then
        fail "$name: rendering printed warnings" "$warnings"
    else
        pass
    fi
done

# --- what each program's --help lists ----------------------------------------------------------

# Every --long option the help prints, anywhere in it, one a line.
long_options() {
    grep -oE -- '(^|[^A-Za-z0-9-])--[A-Za-z][A-Za-z0-9-]*' <<<"$1" | sed 's/^[^-]*--/--/' |
        sort -u
}
# Every -x option of the help's option lines ("  -o, --report FILE", "  -k PATTERN"), one a line.
short_options() {
    grep -E -- '^[[:space:]]+-[A-Za-z]([,[:space:]]|$)' <<<"$1" |
        sed -E 's/^[[:space:]]+(-[A-Za-z]).*/\1/' | sort -u
}

declare -A help_of
for program in "${programs[@]}"; do
    if ! help_of[$program]=$("$build_dir/$program" --help); then
        fail "$program --help failed"
        continue
    fi
    if [[ -z $(long_options "${help_of[$program]}") ]]; then
        fail "$program --help lists no --option"
    fi
done

# --- (b) every option of --help is in the program's page ---------------------------------------

# Whether the page source has OPTION, its hyphens written \-, as a whole option: `\-h` is not
# found in `\-\-help`, nor `\-\-report` in `\-\-report\-json`.
page_mentions() {
    local source=$1 option=$2 escaped
    escaped=${option//-/'\\-'}
    grep -qE -- "(^|[^-])${escaped}(\$|[^A-Za-z0-9\\\\]|\\\\[^-]|\\\\-[^A-Za-z0-9]|\\\\-\$)" \
        "$source"
}

for program in "${programs[@]}"; do
    [[ -n ${help_of[$program]-} ]] || continue
    page=$man_dir/$program.1
    if [[ ! -f $page ]]; then
        fail "$program: no page $page"
        continue
    fi
    while IFS= read -r option; do
        [[ -n $option ]] || continue
        if page_mentions "$page" "$option"; then
            pass
        else
            fail "$program.1 does not mention $option (written ${option//-/\\-}), which $program --help lists"
        fi
    done < <(long_options "${help_of[$program]}"; short_options "${help_of[$program]}")
done

# --- (c) completing `PROGRAM --` offers every long option of --help ----------------------------

# Prints, one a line, what completion/PROGRAM.bash offers for `PROGRAM --`, in a bash of its own
# (no startup files, no BASH_ENV), with bash-completion loaded first when $2 names it.
completions_of() {
    local program=$1 helpers=$2
    # The script is expanded by the inner bash, from its own arguments.
    # shellcheck disable=SC2016
    env -u BASH_ENV bash --norc --noprofile -c '
        program=$1 file=$2 helpers=$3
        if [[ -n $helpers ]]; then
            source "$helpers" || exit 3
        fi
        source "$file" || exit 3
        spec=$(complete -p "$program" 2>/dev/null) || { echo "no complete -F for $program" >&2; exit 3; }
        function=${spec#* -F }
        function=${function%% *}
        COMP_WORDS=("$program" --)
        COMP_CWORD=1
        COMP_LINE="$program --"
        COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        "$function" "$program" -- "$program" 2>/dev/null
        printf "%s\n" "${COMPREPLY[@]}"
    ' check-completion "$program" "$completion_dir/$program.bash" "$helpers"
}

modes=("without bash-completion:")
if [[ -r $bash_completion ]]; then
    modes+=("with bash-completion:$bash_completion")
else
    echo "check.sh: $bash_completion is missing: completions checked without bash-completion only" >&2
fi

for program in "${programs[@]}"; do
    [[ -n ${help_of[$program]-} ]] || continue
    if [[ ! -f $completion_dir/$program.bash ]]; then
        fail "no completion file $completion_dir/$program.bash"
        continue
    fi
    for mode in "${modes[@]}"; do
        label=${mode%%:*}
        helpers=${mode#*:}
        if ! offered=$(completions_of "$program" "$helpers"); then
            fail "completion/$program.bash ($label): completing '$program --' failed"
            continue
        fi
        missing=()
        while IFS= read -r option; do
            # An option that takes a value may be offered as --name=.
            grep -qxF -e "$option" -e "$option=" <<<"$offered" || missing+=("$option")
        done < <(long_options "${help_of[$program]}")
        if ((${#missing[@]} > 0)); then
            fail "completion/$program.bash ($label): '$program --' does not offer ${missing[*]}"
        else
            pass
        fi
    done
done

echo "man-and-completion: $passed passed, $failed failed"
((failed == 0))
