// The pipes whose output goes to a caller's callback as it comes (internal to the engine): read
// whenever the supervisor waits, so that no stage ever waits for a reader that is not reading.
#pragma once

#include <poll.h>

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "pipex/base/unique_fd.hpp"

namespace pipex {

using OutputSink = std::function<void(std::string_view chunk)>;

class OutputDrains {
public:
    // `read_end` is a pipe's, its write end given to a stage; `sink` must outlive the run.
    void add(UniqueFd read_end, const OutputSink& sink);
    bool empty() const { return drains_.empty(); }

    // The entries to poll, appended to `entries`, in the order service() expects them.
    void add_poll_entries(std::vector<pollfd>& entries) const;
    // Reads once from each pipe `entries` (from add_poll_entries) found ready, and gives what
    // came to its sink; a pipe at its end is closed and dropped. What a sink throws passes on.
    void service(const pollfd* entries);
    // Reads what every pipe holds now, without waiting, then closes them all: for writers that
    // are kept running past the run.
    void take_what_is_there_and_close();

private:
    struct Drain {
        UniqueFd read_end;
        const OutputSink* sink;
    };
    enum class Read { Data, Nothing, End };
    // Reads once, and gives what came to the drain's sink.
    Read read_into_sink(Drain& drain);

    std::vector<Drain> drains_;
    std::vector<char> buffer_;
};

}  // namespace pipex
