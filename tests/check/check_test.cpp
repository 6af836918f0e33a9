// pipex-check against implementations whose faults are known: pipex itself and a bash-backed
// reference pass; each student fixture fails exactly where its one planted mistake shows, with
// the kinds of failure that mistake causes, and nowhere else.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "json_schema.hpp"
#include "process.hpp"

namespace {

using nlohmann::json;

// The cases that test pipex's documented strictness rather than bash's behaviour: a program
// that passes on an inherited fd, or dies of SIGTERM leaving its stages running, as bash does,
// fails them.
const std::set<std::string> kStrictCases = {"beyond/inherited-fd", "beyond/terminated"};

struct CheckRun {
    testsupport::RunResult result;
    json report;
};

CheckRun check(const std::string& program, std::vector<std::string> options = {}) {
    testsupport::TempDir dir;
    std::vector<std::string> argv = {PIPEX_CHECK_BIN, "--json", dir / "report.json"};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(program);
    CheckRun run{testsupport::run({.argv = argv}), {}};
    EXPECT_FALSE(run.result.timed_out) << "pipex-check hung";
    if (testsupport::file_exists(dir / "report.json"))
        run.report = json::parse(testsupport::read_file(dir / "report.json"));
    testsupport::expect_matches_schema(
        run.report, testsupport::published_schema("pipex-check.schema.json"), "report");
    return run;
}

// "group/name" of each failed case -> the kinds of its failures.
std::map<std::string, std::set<std::string>> failed_cases(const json& report) {
    std::map<std::string, std::set<std::string>> failed;
    for (const json& c : report.at("cases")) {
        if (c.at("passed").get<bool>()) continue;
        std::set<std::string>& kinds =
            failed[c.at("group").get<std::string>() + "/" + c.at("name").get<std::string>()];
        for (const json& failure : c.at("failures")) kinds.insert(failure.at("kind"));
        if (c.contains("not_judged"))
            kinds.insert("not judged: " + c.at("not_judged").get<std::string>());
    }
    return failed;
}

std::string texts_of(const json& report, const std::string& full_name) {
    std::string texts;
    for (const json& c : report.at("cases"))
        if (c.at("group").get<std::string>() + "/" + c.at("name").get<std::string>() == full_name)
            for (const json& failure : c.at("failures"))
                texts += failure.at("text").get<std::string>() + "\n";
    return texts;
}

TEST(PipexCheck, PipexPassesEveryCase) {
    CheckRun run = check(PIPEX_BIN, {"--timeout", "30s"});
    EXPECT_EQ(run.result.exit_code(), 0) << run.result.out;
    EXPECT_TRUE(failed_cases(run.report).empty()) << run.result.out;
    EXPECT_GE(run.report.at("cases").size(), 40u);
    EXPECT_NE(run.result.out.find("\n" + std::to_string(run.report.at("passed").get<int>()) +
                                  " passed, 0 failed\n"),
              std::string::npos)
        << run.result.out;
}

TEST(PipexCheck, BashReferenceFailsNothingButStrictness) {
    CheckRun run = check(BASH_PIPEX_SCRIPT, {"--timeout", "30s"});
    EXPECT_GE(run.report.at("cases").size(), 40u) << "every case ran";
    EXPECT_TRUE(run.result.exited() && run.result.exit_code() <= 1) << run.result.err;
    for (const auto& [name, kinds] : failed_cases(run.report))
        EXPECT_TRUE(kStrictCases.count(name)) << name << " failed:\n" << run.result.out;
}

TEST(PipexCheck, CorrectStudentPipexFailsOnlyTheStrictCases) {
    CheckRun run = check(STUDENT_PIPEX_OK_BIN, {"--timeout", "30s"});
    std::map<std::string, std::set<std::string>> expected = {
        {"beyond/inherited-fd", {"fd-leak"}},
        {"beyond/terminated", {"not-waited", "left-running"}}};
    EXPECT_EQ(failed_cases(run.report), expected) << run.result.out;
    EXPECT_NE(texts_of(run.report, "beyond/inherited-fd").find("caller left open"),
              std::string::npos);
    EXPECT_EQ(run.result.exit_code(), 1);
}

// (wait_last_only: a stage still running when the program exits is ended then, so an error
// line it had still to write is lost: stderr differs as a consequence.)
struct Mistake {
    const char* fixture;
    const char* binary;
    std::set<std::string> kinds;  // every failure beyond the correct build's is of these kinds
    std::string signature;        // a case that must fail, with `signature_kind`
    std::string signature_kind;
    std::string signature_text;  // in that failure's text
    std::vector<std::string> options;
};

class PlantedMistake : public testing::TestWithParam<Mistake> {};

TEST_P(PlantedMistake, IsFoundInTheRightCaseAndNowhereElse) {
    const Mistake& m = GetParam();
    std::vector<std::string> options = {"--timeout", "4s"};
    options.insert(options.end(), m.options.begin(), m.options.end());
    CheckRun run = check(m.binary, options);
    EXPECT_EQ(run.result.exit_code(), 1) << run.result.out << run.result.err;
    std::map<std::string, std::set<std::string>> failed = failed_cases(run.report);
    ASSERT_TRUE(failed.count(m.signature)) << m.signature << " passed:\n" << run.result.out;
    EXPECT_TRUE(failed[m.signature].count(m.signature_kind)) << run.result.out;
    EXPECT_NE(texts_of(run.report, m.signature).find(m.signature_text), std::string::npos)
        << run.result.out;
    for (const auto& [name, kinds] : failed) {
        if (kStrictCases.count(name)) continue;  // the correct build fails them too
        for (const std::string& kind : kinds)
            EXPECT_TRUE(m.kinds.count(kind)) << name << ": " << kind << "\n" << run.result.out;
    }
}

const Mistake kMistakes[] = {
    {"parent_keeps_write_end",
     STUDENT_PIPEX_PARENT_KEEPS_WRITE_END_BIN,
     {"hang"},
     "mandatory/two-commands",
     "hang",
     "its write end is held by pid",
     {"-k", "two-commands", "-k", "here-doc-append", "-k", "missing-infile"}},
    {"reader_keeps_write_end",
     STUDENT_PIPEX_READER_KEEPS_WRITE_END_BIN,
     {"fd-leak", "hang"},
     "mandatory/two-commands",
     "fd-leak",
     "the write end of the pipe it reads from",
     {"-k", "two-commands", "-k", "grep-wc", "-k", "here-doc-append"}},
    {"child_keeps_other_end",
     STUDENT_PIPEX_CHILD_KEEPS_OTHER_END_BIN,
     {"fd-leak", "hang"},
     "mandatory/two-commands",
     "fd-leak",
     "the read end of the pipe it writes to",
     {}},
    {"wait_last_only",
     STUDENT_PIPEX_WAIT_LAST_ONLY_BIN,
     {"not-waited", "left-running", "stderr"},
     "mandatory/two-commands",
     "not-waited",
     "exited without waiting for it",
     {}},
    {"wait_in_sequence",
     STUDENT_PIPEX_WAIT_IN_SEQUENCE_BIN,
     {"one-at-a-time", "hang"},
     "bonus/stages-at-once",
     "one-at-a-time",
     "stage 2 was started only after stage 1",
     {}},
    {"limiter_prefix",
     STUDENT_PIPEX_LIMITER_PREFIX_BIN,
     {"output", "stderr"},
     "bonus/here-doc-exact-limiter",
     "output",
     "out.txt",
     {}},
    {"heredoc_tmp_file",
     STUDENT_PIPEX_HEREDOC_TMP_FILE_BIN,
     {"temp-file"},
     "bonus/here-doc",
     "temp-file",
     "/tmp/.heredoc_tmp",
     {}},
    {"crash_path_unset",
     STUDENT_PIPEX_CRASH_PATH_UNSET_BIN,
     {"crash", "output"},
     "mandatory/path-unset",
     "crash",
     "SIGSEGV",
     {}},
    {"status_zero_not_found",
     STUDENT_PIPEX_STATUS_ZERO_NOT_FOUND_BIN,
     {"status"},
     "mandatory/last-not-found",
     "status",
     "exit status 0, bash 127",
     {}},
    {"message_on_stdout",
     STUDENT_PIPEX_MESSAGE_ON_STDOUT_BIN,
     {"stdout", "stderr", "output"},
     "mandatory/missing-infile",
     "stdout",
     "missing.txt: No such file or directory",
     {}},
    {"cwd_before_path",
     STUDENT_PIPEX_CWD_BEFORE_PATH_BIN,
     {"output"},
     "mandatory/command-in-folder-not-path",
     "output",
     "wrong wc",
     {}},
    {"heap_overflow",
     STUDENT_PIPEX_HEAP_OVERFLOW_BIN,
     {"crash", "output"},
     "mandatory/two-commands",
     "crash",
     "ERROR: AddressSanitizer: heap-buffer-overflow",
     {}},
    // valgrind is one of the packages scripts/install-deps.sh installs.
    {"leaks_memory",
     STUDENT_PIPEX_LEAKS_MEMORY_BIN,
     {"memory-leak"},
     "mandatory/two-commands",
     "memory-leak",
     "definitely lost by student_pipex_leaks_memory",
     {}},
};

INSTANTIATE_TEST_SUITE_P(Fixtures, PlantedMistake, testing::ValuesIn(kMistakes),
                         [](const testing::TestParamInfo<Mistake>& param) {
                             return std::string(param.param.fixture);
                         });

TEST(PipexCheck, ExitStatusTwoWhenTheCheckCannotRun) {
    testsupport::TempDir dir;
    testsupport::write_file(dir / "not-executable", "#!/bin/sh\n", 0644);
    for (const std::string& program : {dir / "missing", dir / "not-executable", dir.path()}) {
        auto result = testsupport::run({.argv = {PIPEX_CHECK_BIN, program}});
        EXPECT_EQ(result.exit_code(), 2) << program;
        EXPECT_EQ(result.err.rfind("pipex-check: " + program + ": ", 0), 0u) << result.err;
    }
    auto usage = testsupport::run({.argv = {PIPEX_CHECK_BIN}});
    EXPECT_EQ(usage.exit_code(), 2);
    EXPECT_NE(usage.err.find("PATH/TO/pipex is missing"), std::string::npos) << usage.err;
    auto no_case = testsupport::run({.argv = {PIPEX_CHECK_BIN, "-k", "no-such-case", PIPEX_BIN}});
    EXPECT_EQ(no_case.exit_code(), 2);
}

// Without valgrind the leak check is skipped, and the summary says so once.
TEST(PipexCheck, SaysWhenValgrindIsMissing) {
    testsupport::TempDir empty;
    auto result = testsupport::run({.argv = {PIPEX_CHECK_BIN, "-k", "mandatory/two-commands", "-k",
                                             "last-not-found", STUDENT_PIPEX_LEAKS_MEMORY_BIN},
                                    .env = std::vector<std::string>{"PATH=" + empty.path()}});
    EXPECT_EQ(result.exit_code(), 0) << result.out;
    const std::string note = "note: valgrind is not installed: leaks not checked\n";
    const std::size_t at = result.out.find(note);
    ASSERT_NE(at, std::string::npos) << result.out;
    EXPECT_EQ(result.out.find(note, at + 1), std::string::npos) << "said once:\n" << result.out;
}

TEST(PipexCheck, ListAndSelectByPattern) {
    auto list = testsupport::run({.argv = {PIPEX_CHECK_BIN, "--list"}});
    EXPECT_EQ(list.exit_code(), 0);
    EXPECT_NE(list.out.find("mandatory/two-commands"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("< in.txt cat | wc -l > out.txt"), std::string::npos) << list.out;
    CheckRun some = check(PIPEX_BIN, {"-k", "here-doc"});
    for (const json& c : some.report.at("cases"))
        EXPECT_NE(c.at("name").get<std::string>().find("here-doc"), std::string::npos);
    EXPECT_GE(some.report.at("cases").size(), 5u);
}

// A value attached to its option means the same as one given after it.
TEST(PipexCheck, OptionValuesMayBeAttached) {
    testsupport::TempDir dir;
    auto run = testsupport::run({.argv = {PIPEX_CHECK_BIN, "--json=" + (dir / "r.json"), "-j1",
                                          "-kgrep-wc", "--timeout=10s", PIPEX_BIN}});
    EXPECT_EQ(run.exit_code(), 0) << run.out << run.err;
    const json report = json::parse(testsupport::read_file(dir / "r.json"));
    ASSERT_EQ(report.at("cases").size(), 1u) << report.dump(2);
    EXPECT_EQ(report.at("cases")[0].at("name"), "grep-wc");
    auto flag_with_value = testsupport::run({.argv = {PIPEX_CHECK_BIN, "--list=x"}});
    EXPECT_EQ(flag_with_value.exit_code(), 2);
    EXPECT_NE(flag_with_value.err.find("'--list' takes no value"), std::string::npos)
        << flag_with_value.err;
    auto version = testsupport::run({.argv = {PIPEX_CHECK_BIN, "-V"}});
    EXPECT_EQ(version.out.substr(0, version.out.find('\n')), "pipex-check " PIPEX_VERSION_TEXT);
}

// Ctrl-C while cases hang: pipex-check ends at once, by the signal, and nothing it started is
// left: the test is a subreaper, so whatever escaped would become its child.
TEST(PipexCheck, InterruptEndsEverything) {
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    auto result = testsupport::run(
        {.argv = {PIPEX_CHECK_BIN, "--timeout", "120s", STUDENT_PIPEX_PARENT_KEEPS_WRITE_END_BIN},
         .timeout = std::chrono::seconds(60),
         .on_started = [](int pid) {
             ::usleep(1500 * 1000);  // the first cases are hanging by now
             ::kill(pid, SIGINT);
         }});
    EXPECT_FALSE(result.timed_out);
    EXPECT_TRUE(result.signaled());
    EXPECT_EQ(result.term_signal(), SIGINT);
    EXPECT_NE(result.err.find("interrupted by SIGINT"), std::string::npos) << result.err;
    int status = 0;
    ::usleep(200 * 1000);
    EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1) << "a process of the run was left behind";
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}

}  // namespace
