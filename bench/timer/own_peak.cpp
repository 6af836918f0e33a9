// A launcher's own peak memory, read while it runs.
#include "own_peak.hpp"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <cerrno>
#include <fstream>
#include <string>
#include <system_error>

#include "child.hpp"

namespace bench {
namespace {

long read_peak_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            long kib = -1;
            status >> kib;
            return kib;
        }
        status.ignore(1 << 12, '\n');
    }
    return -1;
}

void resume(pid_t pid, int signal) {
    if (::ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void*>(static_cast<long>(signal))) < 0)
        throw std::system_error(errno, std::generic_category(), "ptrace(PTRACE_CONT)");
}

}  // namespace

TracedEnd follow_until_exit(pid_t pid) {
    TracedEnd end;
    int status = wait_for(pid);  // the child's own SIGSTOP, before its exec
    long options = PTRACE_O_EXITKILL | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC;
    if (::ptrace(PTRACE_SETOPTIONS, pid, nullptr, reinterpret_cast<void*>(options)) < 0)
        throw std::system_error(errno, std::generic_category(), "ptrace(PTRACE_SETOPTIONS)");
    resume(pid, 0);
    for (;;) {
        status = wait_for(pid);
        if (!WIFSTOPPED(status)) break;
        int event = status >> 16;
        if (event == PTRACE_EVENT_EXIT) end.own_peak_kib = read_peak_kib(pid);
        // An event stop delivers nothing; a signal stop must pass its signal on (SIGCHLD, ...).
        resume(pid, event != 0 ? 0 : WSTOPSIG(status));
    }
    end.wait_status = status;
    return end;
}

}  // namespace bench
