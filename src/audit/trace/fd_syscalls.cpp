// The fd system calls: the seccomp filter that stops them and the meaning of each.
#include "audit/trace/fd_syscalls.hpp"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>

namespace pipex::audit {
namespace {

#if defined(__x86_64__)
constexpr unsigned kArchitecture = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kArchitecture = AUDIT_ARCH_AARCH64;
#else
constexpr unsigned kArchitecture = 0;
#endif

// A call that makes an fd, and where its close-on-exec request is: an fd asked with the flag
// can never leak by this call, so the filter lets it run without a stop (the dynamic loader's
// opens, most opens of a modern program). kNoFlag: the call has no such flag, it always stops.
constexpr int kNoFlag = -1;

struct Known {
    long number;
    const char* name;
    FdEffect effect;
    int flag_argument = kNoFlag;
    unsigned flag = 0;
};

// Every call that makes an fd, as this architecture numbers them (the legacy ones only exist on
// some architectures). fcntl and ioctl are filtered by command below. pidfd_open is not here: its
// fds are always close-on-exec.
constexpr Known kKnown[] = {
#ifdef SYS_open
    {SYS_open, "open", FdEffect::NewFd, 1, O_CLOEXEC},
#endif
#ifdef SYS_creat
    {SYS_creat, "creat", FdEffect::NewFd},
#endif
    {SYS_openat, "openat", FdEffect::NewFd, 2, O_CLOEXEC},
#ifdef SYS_openat2
    {SYS_openat2, "openat2",
     FdEffect::NewFd},  // its flags are in memory, out of the filter's reach
#endif
#ifdef SYS_pipe
    {SYS_pipe, "pipe", FdEffect::TwoNewFds},
#endif
    {SYS_pipe2, "pipe2", FdEffect::TwoNewFds, 1, O_CLOEXEC},
    {SYS_socket, "socket", FdEffect::NewFd, 1, SOCK_CLOEXEC},
    {SYS_socketpair, "socketpair", FdEffect::TwoNewFds, 1, SOCK_CLOEXEC},
    {SYS_accept, "accept", FdEffect::NewFd},
    {SYS_accept4, "accept4", FdEffect::NewFd, 3, SOCK_CLOEXEC},
    {SYS_dup, "dup", FdEffect::CopyFd},
#ifdef SYS_dup2
    {SYS_dup2, "dup2", FdEffect::CopyFd},
#endif
    {SYS_dup3, "dup3", FdEffect::CopyFd, 2, O_CLOEXEC},
    {SYS_memfd_create, "memfd_create", FdEffect::NewFd, 1, MFD_CLOEXEC},
#ifdef SYS_eventfd
    {SYS_eventfd, "eventfd", FdEffect::NewFd},
#endif
    {SYS_eventfd2, "eventfd2", FdEffect::NewFd, 1, EFD_CLOEXEC},
#ifdef SYS_epoll_create
    {SYS_epoll_create, "epoll_create", FdEffect::NewFd},
#endif
    {SYS_epoll_create1, "epoll_create1", FdEffect::NewFd, 0, EPOLL_CLOEXEC},
#ifdef SYS_signalfd
    {SYS_signalfd, "signalfd", FdEffect::NewFd},
#endif
    {SYS_signalfd4, "signalfd4", FdEffect::NewFd, 3, SFD_CLOEXEC},
    {SYS_timerfd_create, "timerfd_create", FdEffect::NewFd, 1, TFD_CLOEXEC},
#ifdef SYS_inotify_init
    {SYS_inotify_init, "inotify_init", FdEffect::NewFd},
#endif
    {SYS_inotify_init1, "inotify_init1", FdEffect::NewFd, 0, IN_CLOEXEC},
};

// The fcntl and ioctl commands worth a stop; any other runs untouched.
constexpr std::array kFcntlCommands = {F_DUPFD, F_SETFD};
constexpr std::array kIoctlCommands = {static_cast<int>(FIOCLEX), static_cast<int>(FIONCLEX)};

sock_filter statement(unsigned short code, unsigned value) { return BPF_STMT(code, value); }

sock_filter jump_if_equal(unsigned value, unsigned char if_true, unsigned char if_false) {
    return BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, if_true, if_false);
}

constexpr unsigned kNumber = offsetof(seccomp_data, nr);
constexpr unsigned kArch = offsetof(seccomp_data, arch);

// The low half of args[index] (little-endian): flags and commands are ints, or unsigned longs
// whose values all fit in 32 bits.
constexpr unsigned argument(int index) {
    return static_cast<unsigned>(offsetof(seccomp_data, args) +
                                 static_cast<std::size_t>(index) * sizeof(__u64));
}
constexpr unsigned kSecondArgument = argument(1);

// One fd maker: when the number matches, stop it, unless it asks for close-on-exec. The number
// is still loaded after a mismatch (the argument is loaded only on a match, which returns).
void add_fd_maker(std::vector<sock_filter>& program, const Known& known) {
    const bool by_flag = known.flag_argument != kNoFlag;
    program.push_back(jump_if_equal(static_cast<unsigned>(known.number), 0, by_flag ? 4 : 1));
    if (by_flag) {
        program.push_back(statement(BPF_LD | BPF_W | BPF_ABS, argument(known.flag_argument)));
        program.push_back(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, known.flag, 0, 1));
        program.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    }
    program.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
}

// A call with command filtering: when the number matches, load args[1] and stop only for the
// listed commands. Appended as: number test, load, one test per command, allow, trace.
template <std::size_t N>
void add_by_command(std::vector<sock_filter>& program, long number,
                    const std::array<int, N>& commands) {
    program.push_back(jump_if_equal(static_cast<unsigned>(number), 0, N + 3));
    program.push_back(statement(BPF_LD | BPF_W | BPF_ABS, kSecondArgument));
    for (std::size_t i = 0; i < N; ++i)
        program.push_back(jump_if_equal(static_cast<unsigned>(commands[i]),
                                        static_cast<unsigned char>(N - i), 0));
    program.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    program.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
}

}  // namespace

FdSyscall describe_fd_syscall(long number, const std::uint64_t (&args)[6]) {
    for (const Known& known : kKnown)
        if (known.number == number) return {known.name, known.effect};
    const auto command = static_cast<int>(args[1]);
    if (number == SYS_fcntl) {
        if (command == F_DUPFD) return {"fcntl(F_DUPFD)", FdEffect::CopyFd};
        if (command == F_SETFD) return {"fcntl(F_SETFD)", FdEffect::FlagsChange};
    }
    if (number == SYS_ioctl) {
        if (command == static_cast<int>(FIOCLEX)) return {"ioctl(FIOCLEX)", FdEffect::FlagsChange};
        if (command == static_cast<int>(FIONCLEX))
            return {"ioctl(FIONCLEX)", FdEffect::FlagsChange};
    }
    return {"?", FdEffect::None};
}

FdSyscallFilter fd_syscall_filter() {
    if (kArchitecture == 0) return {{}, "this architecture is not one pipex-audit knows"};
    std::vector<sock_filter> program;
    // A call made with another architecture's numbers (i386 code on x86_64) is let through.
    program.push_back(statement(BPF_LD | BPF_W | BPF_ABS, kArch));
    program.push_back(jump_if_equal(kArchitecture, 1, 0));
    program.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    program.push_back(statement(BPF_LD | BPF_W | BPF_ABS, kNumber));
    for (const Known& known : kKnown) add_fd_maker(program, known);
    // Not an fd maker: fcntl and ioctl by command (the number is still loaded), else allowed.
    add_by_command(program, SYS_fcntl, kFcntlCommands);
    program.push_back(statement(BPF_LD | BPF_W | BPF_ABS, kNumber));
    add_by_command(program, SYS_ioctl, kIoctlCommands);
    program.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    return {std::move(program), {}};
}

int install_fd_syscall_filter(const std::vector<sock_filter>& program) noexcept {
    sock_fprog filter{static_cast<unsigned short>(program.size()),
                      const_cast<sock_filter*>(program.data())};
    // CAP_SYS_ADMIN may install a filter without no_new_privs, which would stop set-user-ID
    // programs from gaining their privileges; anyone else needs it (and, traced by an
    // unprivileged tracer, such programs run without their privileges anyway).
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter) == 0) return 0;
    if (errno != EACCES) return errno;
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter) == 0) return 0;
    return errno;
}

}  // namespace pipex::audit
