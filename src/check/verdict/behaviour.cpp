// What the program did differently from bash.
#include "check/verdict/behaviour.hpp"

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "pipex/base/exit_status.hpp"
#include "pipex/base/printable_name.hpp"
#include "pipex/base/signals.hpp"

namespace pipex::check {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string octal(mode_t mode) {
    std::ostringstream out;
    out << "0" << std::oct << (mode & 07777);
    return out.str();
}

// Up to 60 bytes of `text` from `at`, as bash would show them.
std::string excerpt(const std::string& text, std::size_t at) {
    if (at >= text.size()) return "(end of file)";
    std::string piece = text.substr(at, 60);
    return printable_name(piece) + (at + 60 < text.size() ? "..." : "");
}

// Where two byte strings first differ, in words: sizes, the line, both texts from there.
std::string first_difference(const std::string& expected, const std::string& got,
                             const std::string& program_name) {
    std::size_t at = 0;
    while (at < expected.size() && at < got.size() && expected[at] == got[at]) ++at;
    const std::size_t line =
        1 + static_cast<std::size_t>(
                std::count(expected.begin(), expected.begin() + static_cast<long>(at), '\n'));
    const std::size_t line_start = expected.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t from = at == 0 || line_start == std::string::npos ? 0 : line_start + 1;
    std::ostringstream out;
    out << "bash wrote " << expected.size() << " bytes, " << program_name << " " << got.size()
        << "; they differ from byte " << at << " (line " << line << "):\n"
        << "  bash:  " << excerpt(expected, from) << "\n"
        << "  " << program_name << ": " << excerpt(got, from);
    return out.str();
}

void compare_files(const BehaviourInput& input, Failures& failures) {
    const std::string& name = input.program_name;
    for (const auto& [path, expected] : input.bash_files) {
        auto found = input.program_files.find(path);
        if (found == input.program_files.end()) {
            failures.push_back(
                {FailureKind::Output, path + ": bash created it, " + name + " did not"});
            continue;
        }
        const FileState& got = found->second;
        if (got.folder != expected.folder)
            failures.push_back({FailureKind::Output, path + ": a " +
                                                         (expected.folder ? "folder" : "file") +
                                                         " after bash, not after " + name});
        else if (got.content != expected.content)
            failures.push_back(
                {FailureKind::Output,
                 path + ": " + first_difference(expected.content, got.content, name)});
        else if (got.mode != expected.mode)
            failures.push_back({FailureKind::Output, path + ": mode " + octal(got.mode) +
                                                         " (bash: " + octal(expected.mode) + ")"});
    }
    for (const auto& [path, state] : input.program_files)
        if (!input.bash_files.count(path))
            failures.push_back({FailureKind::FileLeft,
                                path + ": left in the current folder (bash leaves nothing there)"});
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += "\n    " + printable_name(line);
    return text.empty() ? "\n    (nothing)" : text;
}

void compare_errors(const BehaviourInput& input, Failures& failures) {
    std::vector<std::string> expected = error_lines(input.bash.io.err, {"bash"});
    std::vector<std::string> got = error_lines(input.program.io.err, {input.program_name, "pipex"});
    if (expected == got) return;
    failures.push_back({FailureKind::Errors,
                        "error lines (normalised, in any order):\n  bash:" + joined(expected) +
                            "\n  " + input.program_name + ":" + joined(got)});
}

// The first line of a sanitizer's report in the program's stderr: it found a memory error (or
// undefined behaviour) and, for AddressSanitizer, ended the process with status 1.
std::optional<std::string> sanitizer_report(const std::string& err) {
    for (const char* mark :
         {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "ERROR: MemorySanitizer",
          "WARNING: ThreadSanitizer", ": runtime error: "}) {
        std::size_t at = err.find(mark);
        if (at == std::string::npos) continue;
        std::size_t start = err.rfind('\n', at);
        start = start == std::string::npos ? 0 : start + 1;
        return err.substr(start, err.find('\n', at) - start);
    }
    return std::nullopt;
}

}  // namespace

FolderState folder_state(const std::string& folder) {
    FolderState state;
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(folder, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0) continue;
        FileState file{st.st_mode & 07777, S_ISDIR(st.st_mode), {}};
        if (S_ISREG(st.st_mode)) file.content = read_file(it->path());
        state[fs::relative(it->path(), folder).string()] = std::move(file);
    }
    return state;
}

std::vector<std::string> error_lines(const std::string& err,
                                     const std::vector<std::string>& own_names) {
    static const std::regex line_number(R"(^(-c: )?line [0-9]+: )");
    static const std::regex here_doc_line(R"(here-document at line [0-9]+ delimited)");
    std::vector<std::string> lines;
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);) {
        for (const std::string& name : own_names) {
            for (const std::string& prefix : {name + ": ", "./" + name + ": "})
                if (line.rfind(prefix, 0) == 0) {
                    line.erase(0, prefix.size());
                    break;
                }
        }
        line = std::regex_replace(line, line_number, "", std::regex_constants::format_first_only);
        line = std::regex_replace(line, here_doc_line, "here-document delimited");
        // An empty command's name may be shown quoted.
        if (line.rfind("'': ", 0) == 0) line.erase(0, 2);
        lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

Failures compare_behaviour(const Case& c, const BehaviourInput& input) {
    Failures failures;
    const ProgramRun& program = input.program;
    const int program_status = program.outcome.top_wait_status;
    if (std::optional<std::string> report = sanitizer_report(program.io.err)) {
        // The status and the error lines follow from it.
        failures.push_back({FailureKind::Crash, "a sanitizer stopped " + input.program_name +
                                                    ":\n" + printable_name(*report)});
        compare_files(input, failures);
        return failures;
    }
    // Killed by the signal the case sent: as bash is, no crash; the statuses are compared.
    const bool sent =
        WIFSIGNALED(program_status) && WTERMSIG(program_status) == c.signal_after_start;
    if (WIFSIGNALED(program_status) && !sent) {
        failures.push_back(
            {FailureKind::Crash, input.program_name + " was killed by " +
                                     signal_name(WTERMSIG(program_status)) +
                                     " (bash's pipeline ended with status " +
                                     std::to_string(shell_status(input.bash.wait_status)) + ")"});
    } else if (shell_status(program_status) != shell_status(input.bash.wait_status)) {
        failures.push_back({FailureKind::Status,
                            "exit status " + std::to_string(shell_status(program_status)) +
                                ", bash " + std::to_string(shell_status(input.bash.wait_status))});
    }
    compare_files(input, failures);
    if (c.compare_stderr) compare_errors(input, failures);
    if (program.io.out != input.bash.io.out)
        failures.push_back(
            {FailureKind::Stdout, input.program_name + " wrote to its stdout (bash wrote " +
                                      std::to_string(input.bash.io.out.size()) +
                                      " bytes there): " + excerpt(program.io.out, 0)});
    return failures;
}

}  // namespace pipex::check
