// The program under valgrind, and what its leak summary says.
#include "check/run/valgrind_run.hpp"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "check/run/plain_run.hpp"
#include "pipex/path_lookup.hpp"

namespace pipex::check {
namespace {

unsigned long long number(std::string text) {
    std::erase(text, ',');
    return std::strtoull(text.c_str(), nullptr, 10);
}

void read_summary(const std::string& log, ValgrindResult& result) {
    static const std::regex lost(R"(definitely lost: ([0-9,]+) bytes in ([0-9,]+) blocks)");
    static const std::regex none(R"(total heap usage: 0 allocs)");
    std::smatch match;
    if (std::regex_search(log, match, lost)) {
        result.definitely_lost = number(match[1]);
        result.lost_blocks = number(match[2]);
    }
    result.saw_allocations = !std::regex_search(log, none);
    result.summarised = log.find("HEAP SUMMARY") != std::string::npos;
}

}  // namespace

std::string valgrind_program() {
    const char* path = std::getenv("PATH");
    std::optional<std::string> found =
        find_command("valgrind", path ? std::optional<std::string_view>(path) : std::nullopt);
    return found.value_or("");
}

ValgrindResult run_under_valgrind(const Sandbox& sandbox, const Case& c, const RunEnvironment& env,
                                  const audit::SignalGate& signals,
                                  std::chrono::milliseconds timeout) {
    ValgrindResult result;
    const std::string valgrind = valgrind_program();
    if (valgrind.empty()) {
        result.skipped = "valgrind is not installed: leaks not checked";
        return result;
    }
    std::ifstream program(sandbox.program, std::ios::binary);
    char start[2] = {};
    if (program.read(start, 2) && start[0] == '#' && start[1] == '!') {
        result.skipped =
            "the program is a script: valgrind would judge its interpreter, leaks "
            "not checked";
        return result;
    }
    const std::string log = sandbox.root + "/valgrind.log";
    PlainCommand command{valgrind,
                         {"valgrind", "--leak-check=full", "--child-silent-after-fork=yes",
                          "--log-file=" + log, sandbox.program},
                         sandbox.program_folder(),
                         c.input};
    command.argv.insert(command.argv.end(), c.args.begin(), c.args.end());
    // valgrind runs a program tens of times slower.
    PlainRun run = run_plain(command, env, signals, 10 * timeout);
    result.ran = !run.interrupted;
    result.timed_out = run.timed_out;
    std::ifstream in(log);
    std::ostringstream text;
    text << in.rdbuf();
    read_summary(text.str(), result);
    return result;
}

}  // namespace pipex::check
