/// @file
/// Whole reads and writes on fds, through short counts and signals.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace pipex {

/// Writes all of data, retrying on EINTR and short writes. Returns 0 or the errno.
int write_all(int fd, const void* data, std::size_t size) noexcept;
int write_all(int fd, std::string_view text) noexcept;

/// One read(2) of at most `size` bytes, retried on EINTR: the count, 0 at end of file, -1 with
/// errno set on failure.
ssize_t read_some(int fd, void* buffer, std::size_t size) noexcept;

/// Everything a file holds from its start, read with pread (the fd's own offset is left where it
/// was). Throws SystemError naming `what`, and std::bad_alloc.
std::string read_whole_file(int fd, const std::string& what);

}  // namespace pipex
