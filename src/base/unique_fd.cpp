// Owners of fds and directory streams, and renumbering above the std fds.
#include "pipex/base/unique_fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "pipex/base/system_error.hpp"

namespace pipex {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
}

void UniqueFd::reset(int fd) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

UniqueDir& UniqueDir::operator=(UniqueDir&& other) noexcept {
    if (this != &other) {
        if (dir_) ::closedir(dir_);
        dir_ = std::exchange(other.dir_, nullptr);
    }
    return *this;
}

UniqueDir::~UniqueDir() {
    if (dir_) ::closedir(dir_);
}

UniqueFd duplicate_above_stdio(int fd) {
    int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) throw SystemError(errno, "fcntl(F_DUPFD_CLOEXEC)");
    return UniqueFd(copy);
}

UniqueFd move_above_stdio(UniqueFd fd) {
    if (!fd || fd.get() > 2) return fd;
    return duplicate_above_stdio(fd.get());
}

}  // namespace pipex
