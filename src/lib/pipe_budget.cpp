// Sizing a pipeline's pipes within its budget, and the stream pipe's fd check.
#include "pipe_budget.hpp"

#include <cerrno>
#include <vector>

#include "pipex/base/system_error.hpp"

namespace pipex {
namespace {

bool out_of_fds(int error) { return error == EMFILE || error == ENFILE; }

}  // namespace

std::size_t pipe_size_for(std::size_t pipes) {
    if (pipes == 0) return kDefaultPipeBytes;
    std::size_t share = kPipelinePipeBudget / pipes;
    std::size_t size = kLargestPipeBytes;
    while (size > share) size /= 2;  // the kernel rounds sizes up to a power of two of pages
    return size;
}

std::size_t stream_pipe_size(std::size_t stage_pipes) {
    std::size_t stage_bytes = pipe_size_for(stage_pipes);
    std::size_t used = stage_bytes > kDefaultPipeBytes ? stage_pipes * stage_bytes : 0;
    std::size_t size = kLargestPipeBytes;
    while (size > kDefaultPipeBytes && used + size > kPipelinePipeBudget) size /= 2;
    return size;
}

std::optional<Pipe> make_stream_pipe(std::size_t spare) {
    try {
        Pipe pipe = make_pipe();
        std::vector<UniqueFd> probes;  // closed on return: only their room was wanted
        for (std::size_t i = 0; i < spare; ++i)
            probes.push_back(duplicate_above_stdio(pipe.read_end.get()));
        return pipe;
    } catch (const SystemError& error) {
        if (out_of_fds(error.code().value())) return std::nullopt;
        throw;
    }
}

}  // namespace pipex
