#!/usr/bin/env bash
# Fails, naming the files, when a C++ source strays from .clang-format; `make format` fixes them.
#   bash scripts/check-format.sh [--fix]
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find src include tests bench examples -name '*.[ch]pp')
if [ "${1:-}" = "--fix" ]; then
    clang-format -i "${files[@]}"
    exit 0
fi
strays=()
for file in "${files[@]}"; do
    clang-format --dry-run --Werror "$file" >/dev/null 2>&1 || strays+=("$file")
done
if [ ${#strays[@]} -gt 0 ]; then
    echo "check-format: not formatted as .clang-format says (run 'make format'):" >&2
    printf '  %s\n' "${strays[@]}" >&2
    exit 1
fi
echo "check-format: ${#files[@]} files formatted as .clang-format says"
