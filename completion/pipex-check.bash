# bash completion for pipex-check(1): its options, case names, and the pipex to test   -*- shell-script -*-
# shellcheck shell=bash
#
# Installed as share/bash-completion/completions/pipex-check, loaded by bash-completion when
# pipex-check is first completed; it may also be sourced by hand, with or without
# bash-completion.

# Sets cur, prev, words, cword and split in the caller, as bash-completion's `_init_completion
# -s` does, which is used when it is loaded. Without it: from COMP_WORDS and COMP_LINE, with the
# words that COMP_WORDBREAKS cut at '=' joined again, and `--name=value` split into prev=--name,
# cur=value. Returns non-zero when nothing is left to complete.
_pipex_check__init()
{
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -s
        return
    fi
    local i word line=${COMP_LINE-} glued
    COMPREPLY=()
    words=()
    cword=0
    split=false
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        word=${COMP_WORDS[i]}
        # Glued to the word before it: no blank between them on the line (or, with no line to
        # tell, when one of them is '=').
        glued=
        if [[ -n ${COMP_LINE-} ]]; then
            if [[ $line == [[:blank:]]* ]]; then
                line=${line#"${line%%[![:blank:]]*}"}
            elif ((i > 0)) && [[ -n $word ]]; then
                glued=1
            fi
            line=${line#"$word"}
        elif ((i > 0)) && [[ $word == "=" || ${COMP_WORDS[i - 1]} == "=" ]]; then
            glued=1
        fi
        if [[ $glued && ${#words[@]} -gt 0 ]] &&
            [[ $word == "=" || ${words[${#words[@]} - 1]} == *= ]]; then
            words[${#words[@]} - 1]+=$word
        else
            words+=("$word")
        fi
        ((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
    done
    ((COMP_CWORD >= ${#COMP_WORDS[@]})) && { words+=(""); cword=$((${#words[@]} - 1)); }
    cur=${words[cword]-}
    prev=
    ((cword > 0)) && prev=${words[cword - 1]}
    if [[ $cur == --?*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
        split=true
    fi
    return 0
}

# Adds the file names that start with $cur to COMPREPLY.
_pipex_check__files()
{
    if declare -F _filedir >/dev/null 2>&1; then
        _filedir
        return
    fi
    local name
    compopt -o filenames 2>/dev/null
    while IFS= read -r name; do
        COMPREPLY+=("$name")
    done < <(compgen -f -- "$cur")
}

# Adds the words of $1 that start with $cur to COMPREPLY.
_pipex_check__words()
{
    local word
    while IFS= read -r word; do
        COMPREPLY+=("$word")
    done < <(compgen -W "$1" -- "$cur")
    return 0
}

# The case names (GROUP/NAME) and groups (GROUP/) that -k PATTERN may select, from the
# pipex-check being completed (`pipex-check --list`), when it can be run.
_pipex_check__cases()
{
    local program=${words[0]} name names=''
    [[ $program == */* ]] || program=$(type -P -- "$program" 2>/dev/null)
    [[ -n $program && -x $program ]] || return 0
    while read -r name _; do
        [[ $name == */* ]] || continue
        [[ " $names " == *" ${name%%/*}/ "* ]] || names+=" ${name%%/*}/"
        names+=" $name"
    done < <("$program" --list 2>/dev/null)
    _pipex_check__words "$names"
    # A group alone: its case names may follow.
    ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == */ ]] && compopt -o nospace 2>/dev/null
    return 0
}

_pipex_check()
{
    # prev is set by the initialisation; the walk below finds option values itself.
    # shellcheck disable=SC2034
    local cur prev words cword split
    _pipex_check__init || return

    # Options may come anywhere; `--` ends them. The word before the cursor decides whether
    # the cursor is on an option's value; a program already given leaves only options.
    local i word options_end='' program_given='' value_of=''
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        if [[ $value_of ]]; then
            value_of=''
            continue
        fi
        if [[ $options_end ]]; then
            program_given=1
            continue
        fi
        case $word in
            --) options_end=1 ;;
            -k | --json | --timeout | -j | --jobs) value_of=$word ;;
            -?*) ;;
            *) program_given=1 ;;
        esac
    done

    # --name=value: the value is completed as the word after --name would be.
    [[ $split == true ]] && value_of=$prev
    if [[ $value_of ]]; then
        case $value_of in
            -k) _pipex_check__cases ;;
            --json) _pipex_check__files ;;
            -j | --jobs)
                local jobs n
                jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null) || jobs=1
                [[ $jobs =~ ^[0-9]+$ ]] || jobs=1
                _pipex_check__words "$(for ((n = 1; n <= jobs; n++)); do printf '%s ' "$n"; done)"
                ;;
            --timeout) ;; # a DURATION: 5, 2.5s, 500ms
        esac
        return 0
    fi
    if [[ ! $options_end && $cur == -* ]]; then
        # As `pipex-check --help` lists them.
        _pipex_check__words "-k --list --json --timeout -j --jobs -v --verbose -h --help
            --version --"
        return 0
    fi
    # PATH/TO/pipex: the program to test.
    [[ $program_given ]] || _pipex_check__files
    return 0
} &&
    complete -F _pipex_check pipex-check

# ex: filetype=sh
