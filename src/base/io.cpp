// Whole writes and uninterrupted reads.
#include "pipex/base/io.hpp"

#include <unistd.h>

#include <cerrno>

#include "pipex/base/system_error.hpp"

namespace pipex {

int write_all(int fd, const void* data, std::size_t size) noexcept {
    const char* next = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t put = retry_on_eintr([&] { return ::write(fd, next, size); });
        if (put < 0) return errno;
        next += put;
        size -= static_cast<std::size_t>(put);
    }
    return 0;
}

int write_all(int fd, std::string_view text) noexcept {
    return write_all(fd, text.data(), text.size());
}

ssize_t read_some(int fd, void* buffer, std::size_t size) noexcept {
    return retry_on_eintr([&] { return ::read(fd, buffer, size); });
}

std::string read_whole_file(int fd, const std::string& what) {
    std::string content;
    std::size_t filled = 0;
    for (;;) {
        if (content.size() - filled < (64 << 10)) content.resize(content.size() * 2 + (64 << 10));
        const ssize_t got = retry_on_eintr([&] {
            return ::pread(fd, content.data() + filled, content.size() - filled,
                           static_cast<off_t>(filled));
        });
        if (got < 0) throw SystemError(errno, what);
        if (got == 0) break;
        filled += static_cast<std::size_t>(got);
    }
    content.resize(filled);
    return content;
}

}  // namespace pipex
