#include "pipex/unique_fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pipex {

SystemError::SystemError(int error, const std::string& object)
    : std::system_error(error, std::generic_category(), object) {}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
}

void UniqueFd::reset(int fd) noexcept {
    // close() is not retried on EINTR: on Linux the fd is released even then, and a retry could
    // close an fd another thread has just been given.
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw SystemError(errno, "pipe");
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void try_resize_pipe(const Pipe& pipe, std::size_t bytes) noexcept {
    (void)::fcntl(pipe.write_end.get(), F_SETPIPE_SZ, static_cast<int>(bytes));
}

OpenResult open_file(const std::string& path, int flags, unsigned mode) {
    for (;;) {
        int fd = ::open(path.c_str(), flags | O_CLOEXEC, static_cast<mode_t>(mode));
        if (fd >= 0) return OpenResult{UniqueFd(fd), 0};
        if (errno != EINTR) return OpenResult{UniqueFd(), errno};
    }
}

UniqueFd duplicate_above_stdio(int fd) {
    int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) throw SystemError(errno, "fcntl(F_DUPFD_CLOEXEC)");
    return UniqueFd(copy);
}

int write_all(int fd, const void* data, std::size_t size) noexcept {
    const char* next = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t put = ::write(fd, next, size);
        if (put < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        next += put;
        size -= static_cast<std::size_t>(put);
    }
    return 0;
}

}  // namespace pipex
