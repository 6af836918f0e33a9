// The allow rules: reading them from the command line and from allow files, and matching leaks.
#include "audit/checks/allow_rules.hpp"

#include <fnmatch.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "audit/report/words.hpp"
#include "pipex/base/proc_fs.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::audit {
namespace {

constexpr std::array kKinds = {FdKind::Pipe,  FdKind::Socket, FdKind::AnonymousInode,
                               FdKind::Memfd, FdKind::Device, FdKind::File,
                               FdKind::Other};

// A rule is split at spaces, so a kind the reports write in two words ("anonymous inode") is
// written with a dash in a rule: the reports' vocabulary, one word each.
std::string rule_word(FdKind kind) {
    std::string word(to_text(kind));
    for (char& c : word)
        if (c == ' ') c = '-';
    return word;
}

std::optional<FdKind> kind_named(std::string_view word) {
    for (FdKind kind : kKinds)
        if (rule_word(kind) == word) return kind;
    return std::nullopt;
}

std::string kind_words() {
    std::string words;
    for (FdKind kind : kKinds) words += (words.empty() ? "" : ", ") + rule_word(kind);
    return words;
}

std::optional<int> fd_number(std::string_view text) {
    int fd = -1;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), fd);
    if (error != std::errc() || end != text.data() + text.size() || fd < 0) return std::nullopt;
    return fd;
}

bool glob_matches(const std::string& glob, const std::string& text) {
    return ::fnmatch(glob.c_str(), text.c_str(), 0) == 0;
}

std::string base_name(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// One condition into `rule`; returns why it is wrong, or "" when it is right.
std::string add_condition(AllowRule& rule, std::string_view condition) {
    std::size_t equals = condition.find('=');
    std::string_view key = equals == condition.npos ? "fd" : condition.substr(0, equals);
    std::string_view value = equals == condition.npos ? condition : condition.substr(equals + 1);
    if (value.empty()) return std::string(key) + "= needs a value";
    if (key == "fd") {
        rule.fd = fd_number(value);
        if (!rule.fd) return "not an fd number (0 or more): '" + std::string(value) + "'";
    } else if (key == "kind") {
        rule.kind = kind_named(value);
        if (!rule.kind) return "unknown kind '" + std::string(value) + "' (" + kind_words() + ")";
    } else if (key == "path") {
        rule.path = std::string(value);
    } else if (key == "program") {
        rule.program = std::string(value);
    } else {
        return "unknown condition '" + std::string(condition) + "' (fd=, kind=, path=, program=)";
    }
    return {};
}

}  // namespace

bool AllowRule::matches(const FdLeak& leak) const {
    if (fd && *fd != leak.fd.fd) return false;
    if (kind && *kind != leak.fd.kind) return false;
    if (path && !glob_matches(*path, leak.fd.target)) return false;
    if (program) {
        const bool by_path = program->find('/') != std::string::npos;
        if (!glob_matches(*program, by_path ? leak.program : base_name(leak.program))) return false;
    }
    return true;
}

ParsedRule parse_allow_rule(std::string_view text, std::string origin) {
    AllowRule rule;
    rule.text = std::string(text);
    rule.origin = std::move(origin);
    bool any = false;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t start = text.find_first_not_of(" \t", at);
        if (start == text.npos) break;
        std::size_t end = std::min(text.find_first_of(" \t", start), text.size());
        if (std::string error = add_condition(rule, text.substr(start, end - start));
            !error.empty())
            return {std::nullopt, error};
        any = true;
        at = end;
    }
    if (!any) return {std::nullopt, "an empty rule would allow every fd"};
    return {std::move(rule), {}};
}

AllowFile read_allow_file(const std::string& path) {
    std::optional<std::string> text;
    try {
        text = proc::read_text(path);  // "gone" is ENOENT for a file outside /proc
    } catch (const SystemError& error) {
        return {{}, error.what()};
    }
    if (!text) return {{}, path + ": " + std::strerror(ENOENT)};
    AllowFile file;
    std::size_t at = 0;
    for (std::size_t number = 1; at < text->size(); ++number) {
        std::size_t end = std::min(text->find('\n', at), text->size());
        std::string_view line = std::string_view(*text).substr(at, end - at);
        at = end + 1;
        std::size_t first = line.find_first_not_of(" \t\r");
        if (first == line.npos || line[first] == '#') continue;
        if (line.back() == '\r') line.remove_suffix(1);
        const std::string origin = path + ":" + std::to_string(number);
        ParsedRule parsed = parse_allow_rule(line.substr(first), origin);
        if (!parsed.rule) return {{}, origin + ": " + parsed.error};
        file.rules.push_back(std::move(*parsed.rule));
    }
    return file;
}

std::optional<std::size_t> allowing_rule(const std::vector<AllowRule>& rules, const FdLeak& leak) {
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (rules[i].matches(leak)) return i;
    return std::nullopt;
}

}  // namespace pipex::audit
