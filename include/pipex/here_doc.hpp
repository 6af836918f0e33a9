/// @file
/// Here-documents: the text a pipeline's first stage reads, copied from an input up to a limiter
/// line into a sink fd. A pipeline given PipelineBuilder::input_here_doc (pipeline.hpp) picks
/// one of two sinks by its input:
///
/// - A pipe to the first stage, written while the stages run (the input is not a terminal).
///   The text flows through at pipe speed and is never held whole. This cannot deadlock: the
///   writer blocks only while the first stage is alive and not reading, and the stages, whose
///   output never comes back to the caller, need nothing from it to go on. When the first stage
///   exits without reading everything, the write fails with EPIPE (SIGPIPE is ignored), and the
///   rest of the text is still read up to the limiter line, without being written, so that
///   exactly what bash would read is consumed.
/// - An anonymous in-memory file (memfd), filled before any stage starts. A memfd has no name in
///   any shared folder, no size limit but memory, and never blocks its writer. It is used when
///   the text must be read whole first: from a terminal, bash prompts for and reads the whole
///   here-document before running anything, and streaming would mix the prompts with the stages'
///   output; and when too few fds are left to stream.
#pragma once

#include <string_view>

#include "pipex/base/unique_fd.hpp"
#include "pipex/stream_control.hpp"

namespace pipex {

struct HereDocOptions {
    bool prompt = false;    ///< write "> " to fd 2 before each line is read
    StreamControl control;  ///< when to stop, how to wait for input (stream_control.hpp)
};

struct HereDocEnd {
    bool delimited_by_eof = false;  ///< input ended before a line equal to the limiter
    bool sink_closed = false;       ///< the sink's reader left (EPIPE); the rest was read, not kept
    bool stopped = false;           ///< options.control said so; input is left part-read
};

/// Copies `input` to `sink` until a line exactly equal to `limiter` (a final line equal to it
/// needs no newline). Every byte before that line is passed on, NUL bytes included; a last line
/// that input ends without a newline gets one, as bash adds it. Input past the limiter line is
/// given back with lseek when `input` is seekable, so a caller sharing that file loses nothing.
/// An input in non-blocking mode (a terminal or pipe shared with others) is waited for, its flags
/// left as they are. Throws SystemError when input cannot be read or the sink written (other than
/// EPIPE).
HereDocEnd copy_here_doc(int input, std::string_view limiter, int sink,
                         const HereDocOptions& options = {});

struct HereDoc {
    UniqueFd text;                  ///< memfd positioned at its start, close-on-exec
    bool delimited_by_eof = false;  ///< input ended before a line equal to the limiter
};

/// copy_here_doc into a new memfd, read whole before this returns. When `prompt` is true, "> " is
/// written to fd 2 before each line. Throws SystemError, also when memory runs out.
HereDoc read_here_doc(int input, std::string_view limiter, bool prompt);

/// A memfd holding `text`, positioned at its start, for feeding text to a pipeline.
UniqueFd make_text_fd(std::string_view text);

}  // namespace pipex
