// The here-document copier: input up to the limiter line into a pipe or a memfd.
#include "pipex/here_doc.hpp"

#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "pipex/base/io.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex {
namespace {

// One read and one write per chunk, of the size of an enlarged pipe (pipeline.cpp), so that a
// write into the stream pipe fits whole: a larger chunk would wake the writer several times per
// write. docs/benchmarks.md (the here-document row) measures the result.
constexpr std::size_t kChunk = 256 << 10;

UniqueFd make_memfd() {
    int fd = ::memfd_create("pipex-here-doc", MFD_CLOEXEC);
    if (fd < 0) throw SystemError(errno, "here-document: memfd_create");
    return UniqueFd(fd);
}

void append(const UniqueFd& file, const char* data, std::size_t size) {
    if (int error = write_all(file.get(), data, size)) throw SystemError(error, "here-document");
}

void rewind(const UniqueFd& file) {
    if (::lseek(file.get(), 0, SEEK_SET) < 0) throw SystemError(errno, "here-document");
}

// Splits input into lines without copying them one by one: whole runs of lines that are not the
// limiter go to the sink with one write per read.
class HereDocCopier {
public:
    HereDocCopier(int input, std::string_view limiter, int sink, const HereDocOptions& options)
        : input_(input),
          limiter_(limiter),
          sink_(sink),
          options_(options),
          buffer_(std::max(kChunk, limiter.size() + 4096)) {}

    HereDocEnd copy() {
        for (;;) {
            if (options_.prompt && kept_ == 0 && line_is_candidate_) (void)write_all(2, "> ", 2);
            std::size_t got = 0;
            if (!read_some(buffer_.data() + kept_, buffer_.size() - kept_, got)) break;
            if (got == 0) {
                finish_at_eof();
                break;
            }
            if (scan(kept_ + got) || end_.stopped) break;
        }
        return end_;
    }

private:
    bool should_stop() {
        if (!end_.stopped && options_.control.stop && options_.control.stop()) end_.stopped = true;
        return end_.stopped;
    }

    // Returns false when stopped before anything was read.
    bool read_some(char* buffer, std::size_t size, std::size_t& got) {
        while (!should_stop()) {
            const auto& wait_readable = options_.control.wait_readable;
            if (wait_readable && !wait_readable(input_)) {
                end_.stopped = true;
                break;
            }
            ssize_t n = ::read(input_, buffer, size);
            if (n >= 0) {
                got = static_cast<std::size_t>(n);
                return true;
            }
            // An input in non-blocking mode (a terminal, a pipe) shares its flags with whoever
            // else holds it: they are not changed, the wait is done here. wait_readable, when
            // there is one, is the wait again at the top of the loop.
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!wait_readable) wait_for_input();
            } else if (errno != EINTR) {
                throw SystemError(errno, "here-document: read");
            }
        }
        return false;
    }

    // Returns when input can be read, or ends in an error or a hangup that the read will report,
    // or a signal interrupted the wait (for should_stop() to see it).
    void wait_for_input() const {
        pollfd entry{input_, POLLIN, 0};
        if (::poll(&entry, 1, -1) < 0 && errno != EINTR)
            throw SystemError(errno, "here-document: poll");
    }

    // A sink in non-blocking mode is full: the pipeline's wait, which reads the stages' outputs
    // meanwhile, when there is one.
    void wait_for_room() const {
        const auto& wait_writable = options_.control.wait_writable;
        if (wait_writable) {
            (void)wait_writable(sink_);  // false: stopping, which append() checks next
            return;
        }
        pollfd entry{sink_, POLLOUT, 0};
        if (::poll(&entry, 1, -1) < 0 && errno != EINTR)
            throw SystemError(errno, "here-document: poll");
    }

    // Once the sink's reader is gone, or the copy stopped, nothing more is written.
    void append(const char* data, std::size_t size) {
        while (size > 0 && !end_.sink_closed && !should_stop()) {
            ssize_t put = ::write(sink_, data, size);
            if (put >= 0) {
                data += put;
                size -= static_cast<std::size_t>(put);
            } else if (errno == EPIPE) {
                end_.sink_closed = true;
            } else if (errno == EAGAIN) {
                wait_for_room();
            } else if (errno != EINTR) {
                throw SystemError(errno, "here-document");
            }
        }
    }

    bool is_limiter(std::size_t begin, std::size_t end) const {
        return line_is_candidate_ && end - begin == limiter_.size() &&
               std::memcmp(buffer_.data() + begin, limiter_.data(), limiter_.size()) == 0;
    }

    // Returns true when the limiter line was found in buffer_[0, end).
    bool scan(std::size_t end) {
        char* data = buffer_.data();
        std::size_t line = 0;
        while (void* found = std::memchr(data + line, '\n', end - line)) {
            std::size_t newline = static_cast<std::size_t>(static_cast<char*>(found) - data);
            if (is_limiter(line, newline)) {
                append(data, line);
                give_back(end - newline - 1);
                return true;
            }
            line = newline + 1;
            line_is_candidate_ = true;
        }
        // The unfinished line is kept only while it could still turn out to be the limiter.
        std::size_t unfinished = end - line;
        if (line_is_candidate_ && unfinished <= limiter_.size()) {
            append(data, line);
            std::memmove(data, data + line, unfinished);
            kept_ = unfinished;
        } else {
            append(data, end);
            kept_ = 0;
            line_is_candidate_ = unfinished == 0;
        }
        return false;
    }

    void finish_at_eof() {
        if (kept_ > 0 && is_limiter(0, kept_)) return;
        append(buffer_.data(), kept_);
        bool unfinished_line = kept_ > 0 || !line_is_candidate_;
        if (unfinished_line) append("\n", 1);
        end_.delimited_by_eof = true;
    }

    void give_back(std::size_t unread) {
        if (unread > 0) (void)::lseek(input_, -static_cast<off_t>(unread), SEEK_CUR);
    }

    int input_;
    std::string_view limiter_;
    int sink_;
    const HereDocOptions& options_;
    std::vector<char> buffer_;
    HereDocEnd end_;
    std::size_t kept_ = 0;           // bytes of an unfinished line at the start of buffer_
    bool line_is_candidate_ = true;  // false once the current line is known not to be the limiter
};

}  // namespace

HereDocEnd copy_here_doc(int input, std::string_view limiter, int sink,
                         const HereDocOptions& options) {
    return HereDocCopier(input, limiter, sink, options).copy();
}

HereDoc read_here_doc(int input, std::string_view limiter, bool prompt) {
    UniqueFd text = make_memfd();
    HereDocEnd end = copy_here_doc(input, limiter, text.get(), HereDocOptions{prompt, {}});
    rewind(text);
    return HereDoc{std::move(text), end.delimited_by_eof};
}

UniqueFd make_text_fd(std::string_view text) {
    UniqueFd file = make_memfd();
    append(file, text.data(), text.size());
    rewind(file);
    return file;
}

}  // namespace pipex
