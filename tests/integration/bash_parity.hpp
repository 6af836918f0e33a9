// Bash parity: run the same pipeline with pipex and with /bin/bash, each in its own identical
// temporary folder, and compare what a user can see: every file the run left in the folder
// (bytes and mode), the exit status, and stderr as sorted lines once bash's prefix is
// rewritten to `pipex: `.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace parity {

// Written in arguments and environment values, replaced by each run's own folder; that folder's
// path is written back as this placeholder in stderr, so absolute paths compare equal.
inline constexpr const char* kDir = "@DIR@";

struct Case {
    // pipex arguments: INFILE CMD1 ... CMDN OUTFILE, or here_doc LIMITER CMD1 ... CMDN OUTFILE.
    std::vector<std::string> args{};
    // Options given to pipex before args (e.g. "--"); bash gets bash_prelude, if any.
    std::vector<std::string> options{};
    // here_doc form: the text pipex reads on stdin (bash reads it after the script line).
    std::string input{};
    // Builds the fixtures; called once for each folder, with that folder's path.
    std::function<void(const std::string& dir)> setup{};
    // Environment of both runs (nullopt: inherit the test's); values may contain kDir.
    std::optional<std::vector<std::string>> env{};
    bool as_nobody = false;           // run both as uid 65534 (permission cases)
    std::optional<unsigned> umask{};  // umask of both runs
    bool compare_stderr = true;
    // Sanity checks of the scenario, asserted on bash's side only.
    std::optional<int> bash_status{};
    std::vector<std::string>
        bash_err_has{};  // each must be a substring of bash's normalized stderr
    // Put before bash's script: the bash equivalent of `options` ("set -o pipefail; ").
    std::string bash_prelude{};
};

struct FileState {
    std::string content;  // empty for folders
    unsigned mode = 0;    // permission bits; folders get 01000000 added
};

struct Outcome {
    testsupport::RunResult result;
    int status = 0;                          // shell status: exit code or 128+signal
    std::vector<std::string> err_lines;      // normalized, sorted
    std::map<std::string, FileState> files;  // the folder after the run, by relative path
};

struct Comparison {
    Outcome bash;
    Outcome pipex;
};

// Single-quotes a word for bash.
std::string shell_quote(const std::string& word);

// The bash script equivalent to a pipex argument list: `< IN C1 | ... > OUT`, or for here_doc
// `C1 << LIM | ... >> OUT; exit` (read by bash on stdin, followed by the here-document).
std::string bash_script(const std::vector<std::string>& args);

// Runs the case with both programs and EXPECTs that they agree (and that bash's side matches the
// sanity checks). Returns both outcomes for extra checks.
Comparison expect_same_as_bash(const Case& c);

// Runs pipex alone, in dir, with these arguments (options included) and stdin.
testsupport::RunResult run_pipex(const testsupport::TempDir& dir,
                                 const std::vector<std::string>& args,
                                 const std::string& input = {});

// Lines of a text, without their newlines.
std::vector<std::string> lines(const std::string& text);

// Fixture helpers.
using Setup = std::function<void(const std::string& dir)>;
// A setup writing these regular files (name relative to the folder, content), mode 0644.
Setup text_files(std::vector<std::pair<std::string, std::string>> files);
// Runs each setup in turn.
Setup both(Setup first, Setup second);
void make_exec(const std::string& path, const std::string& content, unsigned mode = 0755);
void make_dir(const std::string& path, unsigned mode = 0755);
void copy_exec(const std::string& from, const std::string& to);

}  // namespace parity
