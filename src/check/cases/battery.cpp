// The cases, by group: what the subject asks for, its bonus, and what real use meets beyond it.
// Each says what bash does by being run next to the program; nothing here states an expected
// output.
#include "check/cases/battery.hpp"

#include <signal.h>

#include <string>

namespace pipex::check {
namespace {

const char* const kText =
    "hello world\n"
    "alpha beta gamma\n"
    "a b\n"
    "the quick brown fox\n"
    "jumps over the lazy dog\n"
    "a\n";

ScratchFile infile(mode_t mode = 0644) { return {"in.txt", kText, mode}; }

// `size` bytes of numbered lines: more than a pipe holds (64 KiB) when large.
std::string numbered_lines(std::size_t size) {
    std::string text;
    for (std::size_t n = 1; text.size() < size; ++n) text += "line " + std::to_string(n) + "\n";
    return text;
}

std::vector<std::string> repeated(const std::string& command, std::size_t times) {
    return std::vector<std::string>(times, command);
}

Case pipeline(std::string name, Group group, std::string about, std::vector<std::string> commands,
              std::vector<ScratchFile> files = {infile()}) {
    Case c;
    c.name = std::move(name);
    c.group = group;
    c.about = std::move(about);
    c.args.push_back("in.txt");
    c.args.insert(c.args.end(), commands.begin(), commands.end());
    c.args.push_back("out.txt");
    c.files = std::move(files);
    return c;
}

Case here_doc(std::string name, Group group, std::string about, std::vector<std::string> commands,
              std::string input, std::vector<ScratchFile> files = {}) {
    Case c;
    c.name = std::move(name);
    c.group = group;
    c.about = std::move(about);
    c.args = {"here_doc", "EOF"};
    c.args.insert(c.args.end(), commands.begin(), commands.end());
    c.args.push_back("out.txt");
    c.input = std::move(input);
    c.files = std::move(files);
    return c;
}

Case with_args(Case c, std::vector<std::string> args) {
    c.args = std::move(args);
    return c;
}

Case with_valgrind(Case c) {
    c.valgrind = true;
    return c;
}

Case with_path(Case c, PathSetting path) {
    c.path = path;
    return c;
}

std::vector<Case> mandatory() {
    const Group g = Group::Mandatory;
    const ScratchFile script{"upper.sh", "#!/bin/sh\ntr a-z A-Z\n", 0755};
    return {
        with_valgrind(pipeline("two-commands", g, "two commands, both files", {"cat", "wc -l"})),
        pipeline("grep-wc", g, "a filter, then a count", {"grep a", "wc -w"}),
        pipeline("options", g, "commands with options", {"head -n 3", "tr -d o"}),
        with_valgrind(
            with_args(pipeline("missing-infile", g, "INFILE does not exist", {"cat", "wc -l"}),
                      {"missing.txt", "cat", "wc -l", "out.txt"})),
        pipeline("unreadable-infile", g, "INFILE cannot be read", {"cat", "wc -l"}, {infile(0000)}),
        pipeline("unwritable-outfile", g, "OUTFILE cannot be written (left untouched)",
                 {"cat", "wc -l"}, {infile(), {"out.txt", "keep me\n", 0444}}),
        with_args(pipeline("outfile-in-missing-folder", g, "OUTFILE's folder does not exist",
                           {"cat", "wc -l"}),
                  {"in.txt", "cat", "wc -l", "nowhere/out.txt"}),
        pipeline("outfile-is-folder", g, "OUTFILE is a folder", {"cat", "wc -l"},
                 {infile(), {"out.txt", "", 0755, true}}),
        pipeline("outfile-replaced", g, "an existing OUTFILE is truncated", {"cat", "head -n 1"},
                 {infile(), {"out.txt", "a much longer old content\nthat must go\n"}}),
        pipeline("first-not-found", g, "the first command does not exist",
                 {"nosuchcommand", "wc -l"}),
        with_valgrind(pipeline("last-not-found", g,
                               "the last command does not exist (its status is 127)",
                               {"cat", "nosuchcommand"})),
        pipeline("both-not-found", g, "no command exists", {"nosuchone", "nosuchtwo"}),
        pipeline("absolute-paths", g, "commands named by absolute path",
                 {"/bin/cat", "/usr/bin/wc -c"}),
        pipeline("relative-path", g, "a command named by relative path", {"cat", "./upper.sh"},
                 {infile(), script}),
        pipeline("not-executable", g, "a command file without execute permission",
                 {"cat", "./upper.sh"}, {infile(), {"upper.sh", script.content, 0644}}),
        pipeline("missing-relative", g, "a relative command that does not exist",
                 {"cat", "./nosuch.sh"}),
        pipeline("folder-as-command", g, "a folder named as a command", {"cat", "./tools"},
                 {infile(), {"tools", "", 0755, true}}),
        pipeline("empty-command", g, "an empty command", {"cat", ""}),
        pipeline("command-in-folder-not-path", g,
                 "a program of the current folder is not found without a '/'", {"cat", "wc -l"},
                 {infile(), {"wc", "#!/bin/sh\necho wrong wc\n", 0755}}),
        with_path(pipeline("path-unset", g, "PATH is unset: bash's default path", {"cat", "wc -l"}),
                  PathSetting::Unset),
        with_path(
            pipeline("path-empty", g, "PATH is empty: the current folder only", {"cat", "wc -l"}),
            PathSetting::Empty),
    };
}

std::vector<Case> bonus() {
    const Group g = Group::Bonus;
    std::vector<std::string> thousand = repeated("cat", 1000);
    Case parallel = pipeline("stages-at-once", g, "the stages run at the same time",
                             {"sleep 0.5", "sleep 0.5"});
    parallel.stages_overlap = true;
    return {
        pipeline("three-commands", g, "three commands", {"cat", "grep a", "wc -l"}),
        pipeline("five-commands", g, "five commands",
                 {"cat", "tr a-z A-Z", "sort", "uniq", "wc -l"}),
        pipeline("middle-not-found", g, "a middle command does not exist",
                 {"cat", "nosuchcommand", "wc -l"}),
        parallel,
        pipeline("thousand-stages", g, "1000 commands", thousand),
        with_valgrind(here_doc("here-doc", g, "a here-doc ended by its limiter", {"cat", "wc -l"},
                               "one\ntwo\nthree\nEOF\n")),
        here_doc("here-doc-append", g, "a here-doc appends to OUTFILE", {"cat", "cat"},
                 "new line\nEOF\n", {{"out.txt", "old line\n"}}),
        here_doc("here-doc-exact-limiter", g, "only a line equal to the limiter ends it",
                 {"cat", "cat"}, "a\nEOFX\nxEOF\nEOF \n EOF\nb\nEOF\nafter\n"),
        here_doc("here-doc-no-limiter", g, "input ends before the limiter", {"cat", "wc -l"},
                 "one\ntwo\n"),
        here_doc("here-doc-creates-outfile", g, "a here-doc creates a missing OUTFILE",
                 {"tr a-z A-Z", "cat"}, "abc\nEOF\n"),
        here_doc("here-doc-large", g, "a here-doc larger than a pipe (4 MiB)", {"cat", "wc -c"},
                 numbered_lines(4 << 20) + "EOF\n"),
        here_doc("here-doc-not-found", g, "a here-doc to a command that does not exist",
                 {"nosuchcommand", "wc -l"}, "one\nEOF\n"),
    };
}

std::vector<Case> beyond() {
    const Group g = Group::Beyond;
    const ScratchFile big{"in.txt", numbered_lines(8 << 20)};
    Case signalled = pipeline("stage-killed", g, "the last stage is killed by a signal",
                              {"cat", "sh -c 'kill -TERM $$'"});
    signalled.compare_stderr = false;
    signalled.note = "bash reports the killed stage as a job, with pids: stderr not compared";
    Case inherited = pipeline("inherited-fd", g, "an fd the caller left open (3) reaches no stage",
                              {"cat", "wc -l"});
    inherited.inherited_fd = true;
    inherited.note = "stricter than bash, which passes it to every stage";
    Case terminated =
        pipeline("terminated", g, "SIGTERM to the program while its stages run: it ends them",
                 {"sleep 3", "sleep 3"});
    terminated.signal_after_start = SIGTERM;
    terminated.compare_stderr = false;
    terminated.note = "stricter than bash, which dies and leaves its stages running";
    return {
        pipeline("single-quotes", g, "a quoted awk program", {"cat", "awk '{print $1}'"}),
        pipeline("double-quotes", g, "a double-quoted argument with spaces",
                 {"grep \"a b\"", "cat"}),
        pipeline("sed-script", g, "a quoted sed script", {"sed 's/ /_/g'", "cat"}),
        pipeline("quotes-inside-words", g, "quotes glued to words", {"tr a-z 'A-Z'", "cat"}),
        pipeline("large-data", g, "8 MiB through the pipeline (more than a pipe holds)",
                 {"cat", "cat", "wc -c"}, {big}),
        pipeline("reader-ends-early", g, "the reader ends first (SIGPIPE upstream)",
                 {"yes", "head -n 3"}),
        pipeline("no-input-needed", g, "a first command that reads nothing",
                 {"echo hello", "wc -c"}),
        signalled,
        terminated,
        inherited,
    };
}

std::vector<Case> all_cases() {
    std::vector<Case> cases = mandatory();
    for (std::vector<Case> group : {bonus(), beyond()})
        cases.insert(cases.end(), group.begin(), group.end());
    return cases;
}

}  // namespace

const std::vector<Case>& battery() {
    static const std::vector<Case> cases = all_cases();
    return cases;
}

}  // namespace pipex::check
