// Pipes, created close-on-exec and kept off the std fds.
#include "pipex/base/pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "pipex/base/system_error.hpp"

namespace pipex {

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw SystemError(errno, "pipe");
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    return Pipe{move_above_stdio(std::move(read_end)), move_above_stdio(std::move(write_end))};
}

void try_resize_pipe(const Pipe& pipe, std::size_t bytes) noexcept {
    (void)::fcntl(pipe.write_end.get(), F_SETPIPE_SZ, static_cast<int>(bytes));
}

}  // namespace pipex
