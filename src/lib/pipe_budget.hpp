// Pipe sizes and the stream pipe (internal to the engine): how large a pipeline's pipes are made,
// and whether a here-document can be streamed with the fds that are left.
// With the default 64 KiB, a writer such as cat (128 KiB per write) and its reader take turns, one
// context switch per chunk; 256 KiB pipes let both run, and larger ones buy nothing more (the
// `cat` rows of docs/benchmarks.md measure what this gives against the shells). But every
// unprivileged user shares a budget of pipe memory (pipe-user-pages-soft, 64 MiB by default) beyond
// which the kernel gives new pipes a single page. So the enlarged pipes of one pipeline stay within
// 4 MiB, a sixteenth of that budget, and a long pipeline keeps the default size rather than
// starving itself or the user's other programs.
#pragma once

#include <cstddef>
#include <optional>

#include "pipex/base/pipe.hpp"

namespace pipex {

inline constexpr std::size_t kDefaultPipeBytes = 64 << 10;
inline constexpr std::size_t kLargestPipeBytes = 256 << 10;
inline constexpr std::size_t kPipelinePipeBudget = 4 << 20;

// The size for each of a pipeline's `pipes` stage pipes: the largest power of two up to
// kLargestPipeBytes that keeps them all within the budget. A pipe is enlarged only when that is
// more than the default; a long pipeline keeps the default size.
std::size_t pipe_size_for(std::size_t pipes);

// An input stream's pipe takes what the stage pipes leave of the budget, so that the stage
// pipes keep the size they would have without it. Its usual 256 KiB hold one whole write of the
// here-doc copier (here_doc.cpp).
std::size_t stream_pipe_size(std::size_t stage_pipes);

// Streaming holds the pipe's write end for the whole run: one fd more than a memfd. At the peak
// (a stage starting) pipex holds both its ends or the write end and the previous stage's pipe,
// plus the pipe to the next stage (OUTFILE is opened by the last stage's child, once it has
// closed all but its fds 0-2); `spare` is how many fds that takes beyond the stream pipe. When
// they are not all free now, there is no pipe (nullopt): the caller falls back to a memfd, so a
// tight RLIMIT_NOFILE costs speed, not the pipeline. Throws SystemError for failures other than
// running out of fds.
std::optional<Pipe> make_stream_pipe(std::size_t spare);

}  // namespace pipex
