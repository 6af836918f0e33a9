#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 30)
# from the seed corpus in tests/fuzz/corpus. Any crash, leak or sanitizer report fails the run.
set -euo pipefail
seconds=${1:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_BUILD:-$root/build-fuzz}
mkdir -p "$out"
flags=(-std=c++20 -g -O1 -D_GNU_SOURCE -I"$root/include" -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=all)
for target in command_words here_doc; do
    clang++ "${flags[@]}" "$root/tests/fuzz/fuzz_$target.cpp" "$root/src/lib/command_words.cpp" \
        "$root/src/lib/here_doc.cpp" "$root"/src/base/*.cpp -o "$out/fuzz_$target"
    work="$out/corpus_$target"
    mkdir -p "$work"
    echo "fuzz: $target for ${seconds}s"
    log="$out/fuzz_$target.log"
    if ! "$out/fuzz_$target" -max_total_time="$seconds" -max_len=4096 \
        -artifact_prefix="$out/crash_$target-" "$work" "$root/tests/fuzz/corpus/$target" >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "fuzz: $target FAILED (log: $log)"
        exit 1
    fi
    grep -E '^#[0-9]+ +DONE' "$log" || tail -n 3 "$log"
done
echo "fuzz: no crash, leak or sanitizer report"
