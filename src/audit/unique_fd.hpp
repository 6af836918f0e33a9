// Ownership of file descriptors and directory streams. Every fd pipex-audit opens is born
// close-on-exec and owned by one of these, so none can reach the program it traces: an audit
// that leaked fds into the tree it inspects would report its own leaks.
#pragma once

#include <dirent.h>
#include <sys/types.h>

#include <string>
#include <string_view>
#include <utility>

#include "pipex/unique_fd.hpp"

namespace audit {

// The engine's fd owner (include/pipex/unique_fd.hpp).
using pipex::UniqueFd;

class UniqueDir {
public:
    UniqueDir() = default;
    explicit UniqueDir(DIR* dir) noexcept : dir_(dir) {}
    UniqueDir(UniqueDir&& other) noexcept : dir_(std::exchange(other.dir_, nullptr)) {}
    UniqueDir& operator=(UniqueDir&& other) noexcept;
    UniqueDir(const UniqueDir&) = delete;
    UniqueDir& operator=(const UniqueDir&) = delete;
    ~UniqueDir();

    DIR* get() const noexcept { return dir_; }
    explicit operator bool() const noexcept { return dir_ != nullptr; }

private:
    DIR* dir_ = nullptr;
};

struct PipeFds {
    UniqueFd read_end;
    UniqueFd write_end;
};

// pipe2(O_CLOEXEC), both ends numbered 3 or more. Throws SystemError.
PipeFds make_pipe();

// The same file as `fd`, renumbered 3 or more if it was 0, 1 or 2 (close-on-exec). An fd that
// pipex-audit keeps must not sit where its caller left stdin, stdout or stderr closed: the
// report written to fd 2 would land in it. Throws SystemError.
UniqueFd above_stdio(UniqueFd fd);

// open(2) with O_CLOEXEC added, retried on EINTR. On failure the UniqueFd is empty and errno
// tells why, because for pipex-audit a missing file is often an answer (a process ended).
UniqueFd open_file(const std::string& path, int flags, mode_t mode = 0);

// A folder opened for reading its entries, close-on-exec. Empty with errno set on failure.
UniqueDir open_folder(const std::string& path);

// Writes all of text, retrying on EINTR and short writes. Returns 0 or the errno.
int write_all(int fd, std::string_view text) noexcept;

}  // namespace audit
