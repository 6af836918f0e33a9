/// @file
/// Control of a copy that runs for as long as its input keeps coming (an input stream, a
/// here-document): when to give it up, and how to wait for input without missing that moment.
/// One type for both pipeline.hpp, which hands it to an input stream's writer, and here_doc.hpp,
/// whose copier obeys it.
#pragma once

#include <functional>

namespace pipex {

struct StreamControl {
    /// True when the copy must end at once, its text unfinished: in a pipeline, once a signal was
    /// passed on to the stages (RunOptions). A copy asks it before each read and write and when
    /// one is interrupted by a signal (EINTR). Empty: never stop.
    std::function<bool()> stop;
    /// Waits until `fd` (the copy's own input) can be read without blocking, and returns true; or
    /// returns false as soon as stop() turns true. A signal that comes just before a blocking read
    /// would otherwise be seen only once that read returns, perhaps never; a pipeline's wait
    /// cannot miss it (ppoll with the forwarded signals unblocked only while waiting). A copy
    /// whose input is in non-blocking mode calls it again when a read finds nothing (EAGAIN).
    /// Empty: reads block as they will (a non-blocking input is waited for with poll), and a
    /// signal handled in the instant between the check of stop() and the read is seen only when
    /// the read returns (more input, end-of-file).
    std::function<bool(int fd)> wait_readable;
    /// Waits until `fd` (the copy's sink, in non-blocking mode) has room, and returns true; or
    /// returns false as soon as stop() turns true. A copy calls it when a write finds the sink full
    /// (EAGAIN); meanwhile a pipeline reads the outputs it gives to callbacks, which the stages
    /// may be waiting on. Empty: the copy waits with poll.
    std::function<bool(int fd)> wait_writable;
};

}  // namespace pipex
