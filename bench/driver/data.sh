# shellcheck shell=bash
# The inputs of the workloads, made fresh in a private folder and removed at exit. Sourced by
# run.sh.

HEREDOC_LIMITER=EOF

prepare_data() {
    DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pipex-bench.XXXXXX")
    trap 'rm -rf "$DATA_DIR"' EXIT
    # The unprivileged workload's user must reach the inputs.
    chmod 755 "$DATA_DIR"
    printf 'line %s of a small file\n' $(seq 1 20) >"$DATA_DIR/small.txt"
    # cat does not look at the bytes, so zeros (quick to make) do; the file is read from the
    # page cache once the warm-up has run.
    head -c "${BIG_MIB}M" /dev/zero >"$DATA_DIR/big.bin"
    head -c "${UNPRIVILEGED_MIB}M" /dev/zero >"$DATA_DIR/unprivileged.bin"
    make_heredoc_inputs
    chmod 644 "$DATA_DIR"/*
}

# 64-byte lines (63 characters and a newline), so the text is exactly HEREDOC_MIB MiB and
# `wc -c` must print HEREDOC_MIB * 1048576 with every launcher.
make_heredoc_inputs() {
    local line
    line=$(printf '%063d' 0 | tr 0 x)
    yes "$line" | head -c "${HEREDOC_MIB}M" >"$DATA_DIR/heredoc.text" || true
    # pipex reads the here-document on its stdin, up to the limiter line.
    { cat "$DATA_DIR/heredoc.text"; echo "$HEREDOC_LIMITER"; } >"$DATA_DIR/heredoc.stdin"
    # A shell reads it from its script; the output file is the script's $1.
    { echo "cat << '$HEREDOC_LIMITER' | wc -c >> \"\$1\""; cat "$DATA_DIR/heredoc.stdin"; } \
        >"$DATA_DIR/heredoc.sh"
    # heredoc.text stays: the same pipeline fed from it as a file is one of the diagnostics.
}
