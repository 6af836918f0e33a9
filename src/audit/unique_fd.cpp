#include "unique_fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "system_error.hpp"

namespace audit {

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

PipeFds make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw SystemError(errno, "pipe");
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    return PipeFds{above_stdio(std::move(read_end)), above_stdio(std::move(write_end))};
}

UniqueFd above_stdio(UniqueFd fd) {
    if (!fd || fd.get() > 2) return fd;
    int moved = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
    if (moved < 0) throw SystemError(errno, "fcntl(F_DUPFD_CLOEXEC)");
    return UniqueFd(moved);
}

UniqueFd open_file(const std::string& path, int flags, mode_t mode) {
    return UniqueFd(retry_on_eintr([&] { return ::open(path.c_str(), flags | O_CLOEXEC, mode); }));
}

UniqueDir open_folder(const std::string& path) {
    UniqueFd fd = open_file(path, O_RDONLY | O_DIRECTORY);
    if (!fd) return UniqueDir();
    DIR* dir = ::fdopendir(fd.get());
    if (!dir) return UniqueDir();
    fd.release();  // the stream owns it now
    return UniqueDir(dir);
}

int write_all(int fd, std::string_view text) noexcept { return pipex::write_all(fd, text.data(), text.size()); }

}  // namespace audit
