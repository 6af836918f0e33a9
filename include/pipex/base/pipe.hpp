/// @file
/// Pipes: both ends owned, close-on-exec, never numbered 0, 1 or 2.
#pragma once

#include <cstddef>

#include "pipex/base/unique_fd.hpp"

namespace pipex {

struct Pipe {
    UniqueFd read_end;
    UniqueFd write_end;
};

/// pipe2(O_CLOEXEC), each end moved above 2 if it landed on a closed std fd. Throws SystemError
/// ("pipe: Too many open files").
Pipe make_pipe();

/// Asks for a pipe buffer of `bytes` (F_SETPIPE_SZ). Best effort: the kernel refuses sizes past
/// /proc/sys/fs/pipe-max-size and, for a user over the per-user pipe budget, any growth; the pipe
/// then keeps the size it has, which is always correct, only slower.
void try_resize_pipe(const Pipe& pipe, std::size_t bytes) noexcept;

}  // namespace pipex
