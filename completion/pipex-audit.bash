# bash completion for pipex-audit(1): its options, then the command it runs   -*- shell-script -*-
# shellcheck shell=bash
#
# Installed as share/bash-completion/completions/pipex-audit, loaded by bash-completion when
# pipex-audit is first completed; it may also be sourced by hand, with or without
# bash-completion. Once COMMAND is reached (after `--` or the first word that is not an option),
# completing is handed over to COMMAND's own completion when bash-completion is loaded.

# Sets cur, prev, words, cword and split in the caller, as bash-completion's `_init_completion
# -s` does, which is used when it is loaded. Without it: from COMP_WORDS and COMP_LINE, with the
# words that COMP_WORDBREAKS cut at '=' joined again, and `--name=value` split into prev=--name,
# cur=value. Returns non-zero when nothing is left to complete.
_pipex_audit__init()
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
_pipex_audit__files()
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

# Adds the words of $1 that start with $2 to COMPREPLY; no space after one ending in '='.
_pipex_audit__words()
{
    local word
    while IFS= read -r word; do
        COMPREPLY+=("$word")
    done < <(compgen -W "$1" -- "$2")
    [[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
    return 0
}

# An allow RULE's last condition: its name (fd=, kind=, path=, program=), or the value of a
# kind= (the kinds pipex-audit knows), path= (files) or program= (commands).
_pipex_audit__rule()
{
    local condition=${cur##*[[:blank:]]}
    condition=${condition#[\"\']}
    if [[ $condition != *=* ]]; then
        _pipex_audit__words "fd= kind= path= program=" "$condition"
        return 0
    fi
    local name=${condition%%=*} value=${condition#*=} prefix='' word
    # Readline replaces only what follows the last '=' when COMP_WORDBREAKS has it, as it does
    # by default; otherwise the whole condition is replaced.
    [[ ${COMP_WORDBREAKS-} == *=* ]] || prefix="$name="
    case $name in
        kind)
            while IFS= read -r word; do
                COMPREPLY+=("$prefix$word")
            done < <(compgen -W "pipe socket file device memfd anonymous-inode other" -- "$value")
            ;;
        path)
            local cur=$value
            _pipex_audit__files
            ;;
        program)
            while IFS= read -r word; do
                COMPREPLY+=("$prefix$word")
            done < <(compgen -c -- "$value")
            ;;
    esac
    return 0
}

_pipex_audit()
{
    local cur prev words cword split
    _pipex_audit__init || return

    # Where COMMAND starts, as an index in COMP_WORDS (which _command_offset counts in, and in
    # which `--json=FILE` is three words: --json, =, FILE). 0: still in the options.
    local i word start=0 value_of=
    for ((i = 1; i <= COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ $word == "=" || ${COMP_WORDS[i - 1]} == "=" ]]; then
            continue
        fi
        if [[ $value_of ]]; then
            value_of=
            continue
        fi
        case $word in
            --)
                if ((i < COMP_CWORD)); then
                    start=$((i + 1))
                    break
                fi
                ;;
            --json | -o | --report | --allow | --allow-file | --hang-after)
                # The next word is its value, unless it came as --name=value.
                [[ ${COMP_WORDS[i + 1]-} == "=" ]] || value_of=$word
                ;;
            -?*) ;;
            *)
                start=$i
                break
                ;;
        esac
    done

    if ((start > 0)); then
        if declare -F _command_offset >/dev/null 2>&1; then
            _command_offset "$start"
        elif ((start == COMP_CWORD)); then
            if [[ $cur == */* ]]; then
                _pipex_audit__files
            else
                while IFS= read -r word; do
                    COMPREPLY+=("$word")
                done < <(compgen -c -- "$cur")
            fi
        else
            _pipex_audit__files
        fi
        return 0
    fi

    case $prev in
        --json | -o | --report | --allow-file)
            _pipex_audit__files
            return 0
            ;;
        --allow)
            _pipex_audit__rule
            return 0
            ;;
        --hang-after)
            return 0 # a DURATION: 2, 0.5s, 300ms, 1m
            ;;
    esac
    [[ $split == true ]] && return 0

    # As `pipex-audit --help` lists them.
    _pipex_audit__words "--json --report -o --allow --allow-file --provenance --hang-after
        -q --quiet --status -h --help -V --version --" "$cur"
    return 0
} &&
    complete -F _pipex_audit pipex-audit

# ex: filetype=sh
