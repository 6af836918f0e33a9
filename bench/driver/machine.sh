# shellcheck shell=bash
# What the results were measured on: they are only meaningful with it. Sourced by run.sh.

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

package_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }

# Markdown list items describing the machine and the software measured.
describe_machine() {
    local cpu commit
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    commit=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ -n "$(git -C "$REPO_DIR" status --porcelain -- src include CMakeLists.txt 2>/dev/null)" ]; then
        commit+=" with uncommitted changes to the engine"
    fi
    local kind="bare metal"
    grep -qw hypervisor /proc/cpuinfo && kind="a virtual machine (the CPU reports a hypervisor)"
    echo "- CPU: ${cpu:-unknown}, $(nproc) cores online ($(nproc --all) in all), $kind"
    echo "- Memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "- Kernel: $(uname -sr); $(getconf GNU_LIBC_VERSION) (Debian libc6 $(package_version libc6))"
    echo "- Load average (1, 5, 15 min): $MACHINE_LOAD_BEFORE before the runs, $MACHINE_LOAD_AFTER after"
    echo "- pipex: commit $commit, built by $(c++ --version | head -n 1) as \`make\` builds it"
    echo "- Peers: bash $(package_version bash), dash $(package_version dash)," \
         "pipexec $(package_version pipexec), execline $(package_version execline)"
    echo "- Pipes: default 64 KiB; fs.pipe-max-size $(cat /proc/sys/fs/pipe-max-size)," \
         "fs.pipe-user-pages-soft $(cat /proc/sys/fs/pipe-user-pages-soft)"
}
