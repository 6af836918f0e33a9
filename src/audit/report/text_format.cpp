// Writing commands and processes for a reader: shell quoting, short names, cut lines.
#include "audit/report/text_format.hpp"

namespace pipex::audit {
namespace {

bool is_plain(const std::string& word) {
    if (word.empty()) return false;
    for (char c : word) {
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("-_./:=,+@%").find(c) != std::string_view::npos;
        if (!safe) return false;
    }
    return true;
}

}  // namespace

std::string short_program(const std::vector<std::string>& argv, const std::string& program) {
    std::string first = argv.empty() ? program : argv.front();
    std::size_t slash = first.rfind('/');
    if (slash != std::string::npos && slash + 1 < first.size()) first.erase(0, slash + 1);
    return first.empty() ? "?" : first;
}

std::string shell_quote(const std::string& word) {
    if (is_plain(word)) return word;
    std::string quoted = "'";
    for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string command_text(const std::vector<std::string>& words, std::size_t limit) {
    std::string text;
    for (const std::string& word : words) {
        if (!text.empty()) text += ' ';
        text += shell_quote(word);
    }
    if (text.size() > limit) text = text.substr(0, limit - 3) + "...";
    return text;
}

std::string process_name(const ProcessRecord& record) {
    return "pid " + std::to_string(record.pid) + " (" + short_program(record.argv, record.program) +
           ")";
}

}  // namespace pipex::audit
