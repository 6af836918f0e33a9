// File descriptor ownership. Every fd the engine creates is born close-on-exec and owned by a
// UniqueFd, so no fd can leak into a child by accident: children receive exactly the fds the
// spawn sequence hands them as 0, 1 and 2.
#pragma once

#include <string>
#include <system_error>
#include <utility>

namespace pipex {

// A failed system call, with the object it concerned: what() reads "OBJECT: REASON", ready to
// follow "pipex: ".
class SystemError : public std::system_error {
public:
    SystemError(int error, const std::string& object);
};

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
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

struct Pipe {
    UniqueFd read_end;
    UniqueFd write_end;
};

// pipe2(O_CLOEXEC). Throws SystemError ("pipe: Too many open files").
Pipe make_pipe();

// Asks for a pipe buffer of `bytes` (F_SETPIPE_SZ). Best effort: the kernel refuses sizes past
// /proc/sys/fs/pipe-max-size and, for a user over the per-user pipe budget, any growth; the pipe
// then keeps the size it has, which is always correct, only slower.
void try_resize_pipe(const Pipe& pipe, std::size_t bytes) noexcept;

// open(2) with O_CLOEXEC added, retried on EINTR. Returns the errno instead of throwing, because
// an unopenable INFILE or OUTFILE is an ordinary outcome of a pipeline, not an exception.
struct OpenResult {
    UniqueFd fd;
    int error = 0;
};
OpenResult open_file(const std::string& path, int flags, unsigned mode = 0666);

// A close-on-exec duplicate numbered 3 or above (F_DUPFD_CLOEXEC). Throws SystemError.
UniqueFd duplicate_above_stdio(int fd);

// Writes all of data, retrying on EINTR and short writes. Returns 0 or the errno.
int write_all(int fd, const void* data, std::size_t size) noexcept;

}  // namespace pipex
