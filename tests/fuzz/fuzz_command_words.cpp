// libFuzzer target: the word splitter never crashes, and quoting its words back with single
// quotes and splitting again gives the same words.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pipex/command_words.hpp"

namespace {

std::string single_quoted(const std::string& word) {
    std::string quoted = "'";
    for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> words;
    try {
        words = pipex::split_command_words(text);
    } catch (const pipex::CommandSyntaxError&) {
        return 0;
    }
    std::string requoted;
    for (const std::string& word : words) requoted += single_quoted(word) + " ";
    if (pipex::split_command_words(requoted) != words) std::abort();
    return 0;
}
