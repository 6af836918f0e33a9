// What an fd is (pipe, file, socket...) and how it is open, from /proc.
#include "audit/checks/fd_inspection.hpp"

#include <fcntl.h>

#include <cerrno>
#include <charconv>
#include <string_view>

#include "pipex/base/system_error.hpp"

namespace pipex::audit {
namespace {

FdKind kind_of(const std::string& target) {
    std::string_view t = target;
    if (t.starts_with("pipe:[")) return FdKind::Pipe;
    if (t.starts_with("socket:[")) return FdKind::Socket;
    if (t.starts_with("anon_inode:")) return FdKind::AnonymousInode;
    if (t.starts_with("/memfd:")) return FdKind::Memfd;
    if (t.starts_with("/dev/")) return FdKind::Device;
    if (t.starts_with("/")) return FdKind::File;
    return FdKind::Other;
}

FdAccess access_of(int flags) {
    if (flags < 0) return FdAccess::Unknown;
    switch (flags & O_ACCMODE) {
        case O_RDONLY:
            return FdAccess::Read;
        case O_WRONLY:
            return FdAccess::Write;
        default:
            return FdAccess::ReadWrite;
    }
}

}  // namespace

std::optional<unsigned long> pipe_inode(const std::string& target) {
    std::string_view t = target;
    if (!t.starts_with("pipe:[") || !t.ends_with("]")) return std::nullopt;
    t = t.substr(6, t.size() - 7);
    unsigned long inode = 0;
    auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), inode);
    if (error != std::errc() || end != t.data() + t.size()) return std::nullopt;
    return inode;
}

HeldFd describe_fd(const proc::OpenFd& open) {
    HeldFd held;
    held.fd = open.fd;
    held.target = open.target;
    held.kind = kind_of(open.target);
    held.pipe_inode = pipe_inode(open.target);
    held.access = access_of(open.flags);
    return held;
}

std::vector<HeldFd> fds_beyond_stdio(pid_t pid) {
    std::vector<HeldFd> held;
    for (const proc::OpenFd& open : proc::open_fds(pid, 3)) held.push_back(describe_fd(open));
    return held;
}

std::vector<HeldFd> inheritable_fds_beyond_stdio(pid_t pid) {
    std::vector<HeldFd> held;
    for (const proc::OpenFd& open : proc::open_fds(pid, 3))
        if (open.flags >= 0 && !(open.flags & O_CLOEXEC)) held.push_back(describe_fd(open));
    return held;
}

std::vector<HeldFd> ends_of_pipe(pid_t pid, unsigned long inode) {
    std::vector<HeldFd> ends;
    std::vector<proc::OpenFd> open_fds;
    try {
        open_fds = proc::open_fds(pid, 0);
    } catch (const SystemError& error) {
        // A process past the point of its exit where it gives up its memory is root's in
        // /proc: an unprivileged tracer may not look, and its fds are closing anyway.
        if (error.code().value() != EACCES) throw;
    }
    for (const proc::OpenFd& open : open_fds)
        if (pipe_inode(open.target) == inode) ends.push_back(describe_fd(open));
    return ends;
}

}  // namespace pipex::audit
