// Writing a case as the bash pipeline it stands for.
#include "check/cases/bash_line.hpp"

#include <string_view>

namespace pipex::check {
namespace {

bool is_blank(const std::string& text) {
    return text.find_first_not_of(" \t\n") == std::string::npos;
}

// The here-doc's lines up to and including the limiter line: bash reads the text from its
// script, and what follows the limiter there would run as commands (a pipex leaves it unread).
// Without a limiter line, all of it: bash then warns, as a pipex should.
std::string here_doc_text(const std::string& input, const std::string& limiter) {
    std::size_t start = 0;
    while (start < input.size()) {
        std::size_t end = input.find('\n', start);
        std::string_view line(input.data() + start,
                              (end == std::string::npos ? input.size() : end) - start);
        if (line == limiter)
            return input.substr(0, end == std::string::npos ? input.size() : end + 1);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return input;
}

}  // namespace

std::string shell_quote(const std::string& word) {
    if (!word.empty() &&
        word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                               "._-/+=:,@%") == std::string::npos)
        return word;
    std::string quoted = "'";
    for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

BashEquivalent bash_equivalent(const Case& c) {
    const bool here_doc = is_here_doc(c);
    std::string line = here_doc ? "" : "< " + shell_quote(c.args.front()) + " ";
    std::vector<std::string> commands = commands_of(c);
    for (std::size_t i = 0; i < commands.size(); ++i) {
        if (i > 0) line += " | ";
        line += is_blank(commands[i]) ? "''" : commands[i];
        if (here_doc && i == 0) line += " << " + shell_quote(c.args[1]);
    }
    line += (here_doc ? " >> " : " > ") + shell_quote(c.args.back());
    BashEquivalent equivalent{line, line + "\n"};
    if (here_doc) equivalent.script += here_doc_text(c.input, c.args[1]);
    return equivalent;
}

}  // namespace pipex::check
