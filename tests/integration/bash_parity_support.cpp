// Shared machinery of the bash parity tests (see bash_parity.hpp).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>

#include "bash_parity.hpp"

namespace parity {
namespace fs = std::filesystem;
using testsupport::RunResult;
using testsupport::RunSpec;
using testsupport::TempDir;

namespace {

constexpr auto kTimeout = std::chrono::seconds(20);

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    if (from.empty()) return text;
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

std::vector<std::string> with_dir(const std::vector<std::string>& words, const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& w : words) out.push_back(replace_all(w, kDir, dir));
    return out;
}

// bash -c writes `/bin/bash: line 1: `, bash reading its script on stdin `/bin/bash: line N: `;
// pipex writes `pipex: `. bash also names the line of a here-document's start in its warning.
std::string normalize_bash_line(const std::string& line) {
    static const std::regex prefix(R"(^(/bin/bash|bash): (-c: )?(line [0-9]+: )?)");
    static const std::regex heredoc(
        R"(^pipex: warning: here-document at line [0-9]+ delimited by end-of-file)");
    std::string out =
        std::regex_replace(line, prefix, "pipex: ", std::regex_constants::format_first_only);
    return std::regex_replace(out, heredoc,
                              "pipex: warning: here-document delimited by end-of-file");
}

std::map<std::string, FileState> snapshot(const std::string& dir) {
    std::map<std::string, FileState> files;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
         ++it) {
        struct stat st {};
        if (lstat(it->path().c_str(), &st) != 0) continue;
        FileState state;
        state.mode = st.st_mode & 07777;
        if (S_ISDIR(st.st_mode)) {
            state.mode |= 01000000;
        } else if (S_ISLNK(st.st_mode)) {
            state.content = "-> " + replace_all(fs::read_symlink(it->path()).string(), dir, kDir);
        } else if (S_ISREG(st.st_mode)) {
            // Written as the placeholder, so that a path to the folder compares equal.
            state.content = replace_all(testsupport::read_file(it->path().string()), dir, kDir);
        }
        files[it->path().lexically_relative(dir).string()] = state;
    }
    return files;
}

std::string excerpt(const std::string& bytes) {
    std::ostringstream out;
    out << bytes.size() << " bytes: \"";
    for (std::size_t i = 0; i < bytes.size() && i < 300; ++i) {
        const auto ch = static_cast<unsigned char>(bytes[i]);
        if (ch == '\n')
            out << "\\n";
        else if (ch == '\\')
            out << "\\\\";
        else if (ch < 0x20 || ch >= 0x7f)
            out << "\\x" << std::hex << unsigned{ch} << std::dec;
        else
            out << bytes[i];
    }
    out << (bytes.size() > 300 ? "\"..." : "\"");
    return out.str();
}

Outcome run_in(const TempDir& dir, std::vector<std::string> argv, const std::string& input,
               const Case& c, bool is_bash) {
    RunSpec spec;
    spec.argv = c.as_nobody ? testsupport::as_nobody(std::move(argv)) : std::move(argv);
    spec.stdin_data = input;
    if (c.env) spec.env = with_dir(*c.env, dir.path());
    spec.cwd = dir.path();
    spec.timeout = kTimeout;
    const std::optional<mode_t> mask =
        c.umask ? std::optional<mode_t>(static_cast<mode_t>(*c.umask)) : std::nullopt;
    spec.in_child = [mask] {
        // A stage killed by SIGSEGV must not leave a core file in the folder.
        const rlimit no_core{0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        if (mask) ::umask(*mask);
    };
    Outcome o;
    o.result = testsupport::run(spec);
    o.status = o.result.shell_status();
    for (auto& line : lines(o.result.err)) {
        line = replace_all(line, dir.path(), kDir);
        o.err_lines.push_back(is_bash ? normalize_bash_line(line) : line);
    }
    std::sort(o.err_lines.begin(), o.err_lines.end());
    o.files = snapshot(dir.path());
    return o;
}

void expect_same_files(const std::map<std::string, FileState>& bash,
                       const std::map<std::string, FileState>& pipex) {
    std::vector<std::string> bash_names, pipex_names;
    for (const auto& [name, state] : bash) bash_names.push_back(name);
    for (const auto& [name, state] : pipex) pipex_names.push_back(name);
    EXPECT_EQ(pipex_names, bash_names) << "files left in the folder differ";
    for (const auto& [name, state] : bash) {
        auto other = pipex.find(name);
        if (other == pipex.end()) continue;
        EXPECT_EQ(other->second.mode, state.mode)
            << "mode of " << name << " (octal " << std::oct << other->second.mode << " vs "
            << state.mode << std::dec << ")";
        EXPECT_TRUE(other->second.content == state.content)
            << "content of " << name << "\n  pipex: " << excerpt(other->second.content)
            << "\n  bash:  " << excerpt(state.content);
    }
}

}  // namespace

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string shell_quote(const std::string& word) {
    return "'" + replace_all(word, "'", "'\\''") + "'";
}

std::string bash_script(const std::vector<std::string>& args) {
    const bool here_doc = !args.empty() && args.front() == "here_doc";
    const std::size_t first_cmd = here_doc ? 2 : 1;
    if (args.size() < first_cmd + 2) return {};
    std::string script = here_doc ? "" : "< " + shell_quote(args[0]) + " ";
    for (std::size_t i = first_cmd; i + 1 < args.size(); ++i) {
        if (i > first_cmd) script += " | ";
        script += args[i];
        if (here_doc && i == first_cmd) script += " << " + shell_quote(args[1]);
    }
    script += (here_doc ? " >> " : " > ") + shell_quote(args.back());
    // bash reads a here_doc script on stdin: stop there so that what follows the limiter line is
    // not run as more commands (pipex ignores it).
    if (here_doc) script += "; exit";
    return script;
}

Comparison expect_same_as_bash(const Case& c) {
    TempDir bash_dir, pipex_dir;
    if (c.setup) {
        c.setup(bash_dir.path());
        c.setup(pipex_dir.path());
    }
    const bool here_doc = !c.args.empty() && c.args.front() == "here_doc";
    const std::string bash_src = c.bash_prelude + bash_script(with_dir(c.args, bash_dir.path()));

    std::ostringstream trace;
    trace << "pipex";
    for (const auto& w : c.options) trace << " " << shell_quote(w);
    for (const auto& w : c.args) trace << " " << shell_quote(w);
    trace << "\n  bash script: " << replace_all(bash_src, bash_dir.path(), kDir);
    if (here_doc) trace << "\n  here_doc input: " << excerpt(c.input);
    SCOPED_TRACE(trace.str());

    Comparison cmp;
    if (here_doc)
        cmp.bash = run_in(bash_dir, {"/bin/bash"}, bash_src + "\n" + c.input, c, true);
    else
        cmp.bash = run_in(bash_dir, {"/bin/bash", "-c", bash_src}, "", c, true);

    std::vector<std::string> argv = {PIPEX_BIN};
    argv.insert(argv.end(), c.options.begin(), c.options.end());
    const auto args = with_dir(c.args, pipex_dir.path());
    argv.insert(argv.end(), args.begin(), args.end());
    cmp.pipex = run_in(pipex_dir, argv, here_doc ? c.input : "", c, false);

    EXPECT_FALSE(cmp.bash.result.timed_out) << "bash hung";
    EXPECT_FALSE(cmp.pipex.result.timed_out) << "pipex hung";
    if (c.bash_status) {
        EXPECT_EQ(cmp.bash.status, *c.bash_status) << "bash side of the scenario; bash stderr:\n"
                                                   << cmp.bash.result.err;
    }
    for (const auto& piece : c.bash_err_has) {
        EXPECT_NE(cmp.bash.result.err.find(piece), std::string::npos)
            << "bash side of the scenario: stderr lacks \"" << piece << "\":\n"
            << cmp.bash.result.err;
    }

    EXPECT_EQ(cmp.pipex.status, cmp.bash.status) << "exit status";
    EXPECT_EQ(cmp.pipex.result.out, cmp.bash.result.out) << "stdout";
    if (c.compare_stderr) {
        EXPECT_EQ(cmp.pipex.err_lines, cmp.bash.err_lines) << "stderr lines";
    }
    expect_same_files(cmp.bash.files, cmp.pipex.files);
    return cmp;
}

RunResult run_pipex(const TempDir& dir, const std::vector<std::string>& args,
                    const std::string& input) {
    RunSpec spec;
    spec.argv = {PIPEX_BIN};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.stdin_data = input;
    spec.cwd = dir.path();
    spec.timeout = kTimeout;
    return testsupport::run(spec);
}

Setup text_files(std::vector<std::pair<std::string, std::string>> files) {
    return [files = std::move(files)](const std::string& dir) {
        for (const auto& [name, content] : files)
            testsupport::write_file(dir + "/" + name, content);
    };
}

Setup both(Setup first, Setup second) {
    return [first = std::move(first), second = std::move(second)](const std::string& dir) {
        first(dir);
        second(dir);
    };
}

void make_exec(const std::string& path, const std::string& content, unsigned mode) {
    testsupport::write_file(path, content, mode);
}

void make_dir(const std::string& path, unsigned mode) {
    fs::create_directories(path);
    ::chmod(path.c_str(), static_cast<mode_t>(mode));
}

void copy_exec(const std::string& from, const std::string& to) {
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    ::chmod(to.c_str(), 0755);
}

}  // namespace parity
