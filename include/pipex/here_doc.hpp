// Here-documents: the text a pipeline's first stage reads, held in an anonymous in-memory file
// (memfd). A memfd has no name in any shared folder, has no size limit but memory, and can never
// block its writer the way a pipe does once 64 KiB wait unread, so there is no deadlock at any
// size.
#pragma once

#include <string_view>

#include "pipex/unique_fd.hpp"

namespace pipex {

struct HereDoc {
    UniqueFd text;                  // memfd positioned at its start, close-on-exec
    bool delimited_by_eof = false;  // input ended before a line equal to the limiter
};

// Reads `input` until a line exactly equal to `limiter` (a final line equal to it needs no
// newline). Every byte before that line is kept, NUL bytes included; a last line that input ends
// without a newline gets one, as bash adds it. When `prompt` is true, "> " is written to fd 2
// before each line. Input past the limiter line is given back with lseek when `input` is
// seekable, so a caller sharing that file loses nothing.
// Throws SystemError when input cannot be read or memory runs out.
HereDoc read_here_doc(int input, std::string_view limiter, bool prompt);

// A memfd holding `text`, positioned at its start, for feeding text to a pipeline.
UniqueFd make_text_fd(std::string_view text);

}  // namespace pipex
