// bench-timer's command line, read into a plan.
#include "plan.hpp"

#include <charconv>
#include <stdexcept>
#include <string_view>

namespace bench {
namespace {

constexpr std::string_view kSeparator = "::";

template <typename Number>
Number parse_number(std::string_view text, std::string_view what) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size())
        throw std::invalid_argument(std::string(what) + ": not a number: " + std::string(text));
    return value;
}

Identity parse_identity(std::string_view text) {
    std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) throw std::invalid_argument("--user wants UID:GID");
    return Identity{parse_number<uid_t>(text.substr(0, colon), "--user"),
                    parse_number<gid_t>(text.substr(colon + 1), "--user")};
}

// NAME [<FILE] [>FILE] [2>FILE] PROGRAM [ARG...], ending at "::" or at the end of the arguments.
int parse_command(int argc, char** argv, int at, std::vector<CommandSpec>& commands) {
    CommandSpec command;
    command.name = argv[at++];
    for (; at < argc && argv[at] != kSeparator; ++at) {
        std::string_view word = argv[at];
        if (command.argv.empty() && word.starts_with("2>")) {
            command.errors = word.substr(2);
        } else if (command.argv.empty() && word.starts_with('<')) {
            command.input = word.substr(1);
        } else if (command.argv.empty() && word.starts_with('>')) {
            command.output = word.substr(1);
        } else {
            command.argv.emplace_back(word);
        }
    }
    if (command.argv.empty()) throw std::invalid_argument(command.name + ": no program given");
    if (!command.argv[0].starts_with('/'))
        throw std::invalid_argument(command.name + ": the program must be an absolute path");
    commands.push_back(std::move(command));
    return at + 1;  // past the separator
}

}  // namespace

Plan parse_plan(int argc, char** argv) {
    Plan plan;
    int at = 1;
    for (; at < argc; ++at) {
        std::string_view option = argv[at];
        auto value = [&]() -> std::string_view {
            if (at + 1 >= argc) throw std::invalid_argument(std::string(option) + " wants a value");
            return argv[++at];
        };
        if (option == "--") {
            ++at;
            break;
        } else if (option == "--runs") {
            plan.runs = parse_number<int>(value(), "--runs");
        } else if (option == "--warmup") {
            plan.warmup = parse_number<int>(value(), "--warmup");
        } else if (option == "--own-peak") {
            plan.own_peak = true;
        } else if (option == "--user") {
            plan.user = parse_identity(value());
        } else {
            throw std::invalid_argument("unknown option: " + std::string(option));
        }
    }
    while (at < argc) at = parse_command(argc, argv, at, plan.commands);
    if (plan.commands.empty()) throw std::invalid_argument("no command to time");
    if (plan.runs < 1 || plan.warmup < 0)
        throw std::invalid_argument("--runs must be at least 1, --warmup at least 0");
    return plan;
}

}  // namespace bench
