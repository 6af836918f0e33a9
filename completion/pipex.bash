# bash completion for pipex(1): its options, here_doc, files and commands   -*- shell-script -*-
# shellcheck shell=bash
#
# Installed as share/bash-completion/completions/pipex, loaded by bash-completion when pipex is
# first completed; it may also be sourced by hand, with or without bash-completion.

# Sets cur, prev, words, cword and split in the caller, as bash-completion's `_init_completion
# -s` does, which is used when it is loaded. Without it: from COMP_WORDS and COMP_LINE, with the
# words that COMP_WORDBREAKS cut at '=' joined again, and `--name=value` split into prev=--name,
# cur=value. Returns non-zero when nothing is left to complete.
_pipex__init()
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
_pipex__files()
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

# Adds the command names that start with $cur to COMPREPLY (files for a path). A CMD is one
# argument, often quoted: only its first word is completed, and only while it is the only one.
_pipex__commands()
{
    local name start=${cur#[\"\']}
    [[ $start == *[[:blank:]]* ]] && return 0
    if [[ $start == */* ]]; then
        _pipex__files
        return
    fi
    while IFS= read -r name; do
        COMPREPLY+=("$name")
    done < <(compgen -c -- "$start")
}

# Adds the words of $1 that start with $cur to COMPREPLY; no space after one ending in '='.
_pipex__words()
{
    local word
    while IFS= read -r word; do
        COMPREPLY+=("$word")
    done < <(compgen -W "$1" -- "$cur")
    [[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
    return 0
}

_pipex()
{
    local cur prev words cword split
    _pipex__init || return

    # The value of an option: `--timeout=5s`, or `--timeout 5s`.
    local option=
    if [[ $split == true ]]; then
        option=$prev
    fi

    # Walk the words before the cursor: options first, then the operands.
    local i word in_options=1 operands=()
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        if [[ $in_options ]]; then
            case $word in
                --)
                    in_options=
                    continue
                    ;;
                --kill-after | --wait-delay | --timeout | --report-json)
                    if ((i + 1 == cword)); then
                        option=$word
                    fi
                    i=$((i + 1))
                    continue
                    ;;
                -?*)
                    continue
                    ;;
            esac
            in_options=
        fi
        operands+=("$word")
    done

    case $option in
        --kill-after | --wait-delay | --timeout)
            return 0 # a DURATION: 500ms, 2s, 1.5m, 1h, 1d
            ;;
        --report-json)
            _pipex__files
            return 0
            ;;
    esac

    if [[ $in_options && $cur == -* ]]; then
        # As `pipex --help` lists them; those ending in '=' take a value.
        _pipex__words "--kill-after= --keep-descendants --wait-delay= --timeout= --pipefail
            --report --report-json= -h --help -V --version --"
        return 0
    fi

    # INFILE (or here_doc), then LIMITER, then the commands; from the third command of the file
    # form (the second of the here_doc form) on, the word may also be OUTFILE.
    local n=${#operands[@]}
    if ((n == 0)); then
        _pipex__words "here_doc"
        _pipex__files
    elif [[ ${operands[0]} == here_doc ]]; then
        if ((n == 1)); then
            return 0 # LIMITER
        fi
        _pipex__commands
        ((n >= 3)) && _pipex__files
    else
        _pipex__commands
        ((n >= 3)) && _pipex__files
    fi
    return 0
} &&
    complete -F _pipex pipex

# ex: filetype=sh
