/// @file
/// File descriptor ownership. Every fd a pipex program creates is born close-on-exec and owned by
/// a UniqueFd, so none can leak into a child by accident: children receive exactly the fds the
/// spawn sequence hands them as 0, 1 and 2.
#pragma once

#include <dirent.h>

#include <utility>

namespace pipex {

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept;
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    int release() noexcept { return std::exchange(fd_, -1); }
    /// Closes the fd held, if any. close(2) is not retried on EINTR: Linux releases the fd even
    /// then, and a retry could close an fd another thread has just been given.
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

/// A directory stream (opendir), for reading a folder's entries.
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

/// A close-on-exec duplicate of `fd` numbered 3 or above (F_DUPFD_CLOEXEC). Throws SystemError.
UniqueFd duplicate_above_stdio(int fd);

/// `fd` itself when it is numbered 3 or above, else a duplicate that is: an fd a program keeps
/// must not sit where its caller left stdin, stdout or stderr closed, or what the program writes
/// to fd 2 would land in it. Throws SystemError.
UniqueFd move_above_stdio(UniqueFd fd);

}  // namespace pipex
