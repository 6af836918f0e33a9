// The callback outputs: pipes read whenever the run waits, their bytes handed on as they come.
#include "output_drains.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "pipex/base/system_error.hpp"

namespace pipex {
namespace {

// As much as a default pipe holds: one read empties it.
constexpr std::size_t kChunkBytes = 64 * 1024;

}  // namespace

void OutputDrains::add(UniqueFd read_end, const OutputSink& sink) {
    drains_.push_back(Drain{std::move(read_end), &sink});
}

void OutputDrains::add_poll_entries(std::vector<pollfd>& entries) const {
    for (const Drain& drain : drains_) entries.push_back(pollfd{drain.read_end.get(), POLLIN, 0});
}

OutputDrains::Read OutputDrains::read_into_sink(Drain& drain) {
    buffer_.resize(kChunkBytes);
    ssize_t got;
    do {
        got = ::read(drain.read_end.get(), buffer_.data(), buffer_.size());
    } while (got < 0 && errno == EINTR);
    if (got < 0 && errno == EAGAIN) return Read::Nothing;
    if (got < 0) throw SystemError(errno, "output pipe");
    if (got == 0) return Read::End;
    (*drain.sink)(std::string_view(buffer_.data(), static_cast<std::size_t>(got)));
    return Read::Data;
}

void OutputDrains::service(const pollfd* entries) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < drains_.size(); ++i) {
        if (entries[i].revents != 0 && read_into_sink(drains_[i]) == Read::End) continue;
        if (kept != i) drains_[kept] = std::move(drains_[i]);
        ++kept;
    }
    drains_.erase(drains_.begin() + static_cast<std::ptrdiff_t>(kept), drains_.end());
}

void OutputDrains::take_what_is_there_and_close() {
    for (Drain& drain : drains_) {
        if (::fcntl(drain.read_end.get(), F_SETFL, O_NONBLOCK) != 0)
            throw SystemError(errno, "output pipe");
        while (read_into_sink(drain) == Read::Data) {
        }
    }
    drains_.clear();
}

}  // namespace pipex
