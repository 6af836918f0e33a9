// libFuzzer target: the here-doc reader against a plain line-by-line reference. The input's first
// line is the limiter, the rest is what stdin would hold.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pipex/here_doc.hpp"

namespace {

struct Expected {
    std::string text;
    bool delimited_by_eof;
};

Expected reference(std::string_view input, std::string_view limiter) {
    Expected expected{"", true};
    while (!input.empty()) {
        std::size_t newline = input.find('\n');
        std::string_view line = input.substr(0, newline);
        if (line == limiter) return Expected{expected.text, false};
        expected.text.append(line);
        expected.text += '\n';
        input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
    }
    return expected;
}

std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    ssize_t got;
    while ((got = read(fd, buffer, sizeof buffer)) > 0)
        text.append(buffer, static_cast<size_t>(got));
    return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view all(reinterpret_cast<const char*>(data), size);
    std::size_t newline = all.find('\n');
    if (newline == std::string_view::npos) return 0;
    std::string_view limiter = all.substr(0, newline);
    std::string_view input = all.substr(newline + 1);

    pipex::UniqueFd stdin_like = pipex::make_text_fd(input);
    pipex::HereDoc doc = pipex::read_here_doc(stdin_like.get(), limiter, false);
    Expected expected = reference(input, limiter);
    if (read_all(doc.text.get()) != expected.text ||
        doc.delimited_by_eof != expected.delimited_by_eof)
        std::abort();
    return 0;
}
