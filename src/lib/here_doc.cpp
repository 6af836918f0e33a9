#include "pipex/here_doc.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace pipex {
namespace {

constexpr std::size_t kChunk = 1 << 20;

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

std::size_t read_some(int input, char* buffer, std::size_t size) {
    for (;;) {
        ssize_t got = ::read(input, buffer, size);
        if (got >= 0) return static_cast<std::size_t>(got);
        if (errno != EINTR) throw SystemError(errno, "here-document: read");
    }
}

// Splits input into lines without copying them one by one: whole runs of lines that are not the
// limiter go to the memfd with one write per read.
class HereDocReader {
public:
    HereDocReader(int input, std::string_view limiter, bool prompt)
        : input_(input), limiter_(limiter), prompt_(prompt),
          buffer_(std::max(kChunk, limiter.size() + 4096)), text_(make_memfd()) {}

    HereDoc read() {
        for (;;) {
            if (prompt_ && kept_ == 0 && line_is_candidate_) (void)write_all(2, "> ", 2);
            std::size_t got = read_some(input_, buffer_.data() + kept_, buffer_.size() - kept_);
            if (got == 0) return finish_at_eof();
            if (scan(kept_ + got)) return finish();
        }
    }

private:
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
                append(text_, data, line);
                give_back(end - newline - 1);
                return true;
            }
            line = newline + 1;
            line_is_candidate_ = true;
        }
        // The unfinished line is kept only while it could still turn out to be the limiter.
        std::size_t unfinished = end - line;
        if (line_is_candidate_ && unfinished <= limiter_.size()) {
            append(text_, data, line);
            std::memmove(data, data + line, unfinished);
            kept_ = unfinished;
        } else {
            append(text_, data, end);
            kept_ = 0;
            line_is_candidate_ = unfinished == 0;
        }
        return false;
    }

    HereDoc finish_at_eof() {
        if (kept_ > 0 && is_limiter(0, kept_)) return finish();
        append(text_, buffer_.data(), kept_);
        bool unfinished_line = kept_ > 0 || !line_is_candidate_;
        if (unfinished_line) append(text_, "\n", 1);
        HereDoc result = finish();
        result.delimited_by_eof = true;
        return result;
    }

    HereDoc finish() {
        rewind(text_);
        return HereDoc{std::move(text_), false};
    }

    void give_back(std::size_t unread) {
        if (unread > 0) (void)::lseek(input_, -static_cast<off_t>(unread), SEEK_CUR);
    }

    int input_;
    std::string_view limiter_;
    bool prompt_;
    std::vector<char> buffer_;
    UniqueFd text_;
    std::size_t kept_ = 0;           // bytes of an unfinished line at the start of buffer_
    bool line_is_candidate_ = true;  // false once the current line is known not to be the limiter
};

}  // namespace

HereDoc read_here_doc(int input, std::string_view limiter, bool prompt) {
    return HereDocReader(input, limiter, prompt).read();
}

UniqueFd make_text_fd(std::string_view text) {
    UniqueFd file = make_memfd();
    append(file, text.data(), text.size());
    rewind(file);
    return file;
}

}  // namespace pipex
