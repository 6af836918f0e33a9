// Every child starts with exactly fds 0, 1 and 2: never a pipe end meant for another stage, never
// an fd pipex inherited (close-on-exec or not), and the right thing on each of the three, even
// when pipex itself was started with one of its standard fds closed.
#include "hygiene.hpp"

namespace hygiene {
namespace {

enum class Form { File, HereDoc };

std::string form_name(Form f) { return f == Form::File ? "File" : "HereDoc"; }

constexpr const char* kLimiter = "END";

// pipex arguments for a pipeline of `stages` in either form, reading `infile` in the file form.
std::vector<std::string> pipeline_args(Form form, const std::string& infile,
                                       const std::vector<std::string>& stages,
                                       const std::string& outfile) {
    std::vector<std::string> args;
    if (form == Form::File)
        args = {infile};
    else
        args = {"here_doc", kLimiter};
    args.insert(args.end(), stages.begin(), stages.end());
    args.push_back(outfile);
    return args;
}

const std::set<int> kStdFds = {0, 1, 2};

// ---------------------------------------------------------------------------------------------
// pipex started holding extra fds

// The run succeeded, OUTFILE holds exactly `text`, and every stage's fdreport is {0, 1, 2}.
void expect_clean_run(const RunResult& r, const std::string& outfile, const std::string& text,
                      const std::vector<std::string>& reports) {
    ASSERT_FALSE(r.timed_out) << describe(r);
    EXPECT_TRUE(r.exited() && r.exit_code() == 0) << describe(r);
    EXPECT_TRUE(testsupport::file_exists(outfile) && testsupport::read_file(outfile) == text)
        << "the data did not flow through the pipeline unchanged";
    for (std::size_t k = 0; k < reports.size(); ++k) {
        ASSERT_TRUE(testsupport::file_exists(reports[k])) << "stage " << k + 1 << " never ran";
        EXPECT_EQ(read_fd_report(reports[k]), kStdFds)
            << "stage " << k + 1 << " of " << reports.size() << " started holding fds "
            << to_string(read_fd_report(reports[k]));
    }
}

struct InheritedCase {
    Form form;
    int stages;
};

std::string case_name(const InheritedCase& c) {
    return form_name(c.form) + std::to_string(c.stages) + "Stages";
}
void PrintTo(const InheritedCase& c, std::ostream* os) { *os << case_name(c); }

class InheritedFds : public Fixture, public ::testing::WithParamInterface<InheritedCase> {};

// Planted in pipex before exec: a regular file, both ends of a pipe, /dev/null, at low, odd and
// high numbers, some close-on-exec and some not.
void plant_inherited_fds(const std::string& some_file) {
    raise_fd_limit(4096);
    auto high = [](int fd) {  // out of the way of every target below
        int moved = fcntl(fd, F_DUPFD_CLOEXEC, 2000);
        close(fd);
        return moved;
    };
    const int file = high(open(some_file.c_str(), O_RDONLY));
    int ends[2];
    if (pipe(ends) != 0) _exit(120);
    const int pipe_read = high(ends[0]), pipe_write = high(ends[1]);
    const int null = high(open("/dev/null", O_RDWR));
    if (file < 0 || pipe_read < 0 || pipe_write < 0 || null < 0) _exit(121);
    struct Plant {
        int source, target;
        bool cloexec;
    };
    for (Plant p :
         {Plant{file, 3, false}, Plant{pipe_read, 5, false}, Plant{pipe_write, 17, false},
          Plant{null, 200, false}, Plant{file, 1000, false}, Plant{null, 4, true},
          Plant{pipe_write, 6, true}, Plant{file, 300, true}, Plant{pipe_read, 1500, true}})
        plant_fd(p.source, p.target, p.cloexec);
}

TEST_P(InheritedFds, EveryStageHoldsExactlyStdFdsAndDataFlows) {
    const InheritedCase& c = GetParam();
    TempDir dir;
    const std::string text = sample_text();
    const std::string infile = dir / "in", outfile = dir / "out";
    testsupport::write_file(infile, text);

    std::vector<std::string> stages, reports;
    for (int k = 1; k <= c.stages; ++k) {
        reports.push_back(dir / ("report" + std::to_string(k)));
        stages.push_back(fd_report_stage(reports.back()));
    }
    RunSpec spec;
    spec.in_child = [&] { plant_inherited_fds(infile); };
    if (c.form == Form::HereDoc) spec.stdin_data = text + kLimiter + "\n";

    const RunResult r = run_pipex(pipeline_args(c.form, infile, stages, outfile), spec);

    expect_clean_run(r, outfile, text, reports);
}

INSTANTIATE_TEST_SUITE_P(Forms, InheritedFds,
                         ::testing::Values(InheritedCase{Form::File, 4},
                                           InheritedCase{Form::HereDoc, 3}),
                         [](const auto& p) { return case_name(p.param); });

// ---------------------------------------------------------------------------------------------
// pipex started with fd 0, 1 or 2 closed
//
// Each stage is a gate: it records its pid, waits (while the test reads /proc/PID/fd/{0,1,2}
// from outside), then becomes fdreport, which lists its fds and passes the data on.

struct ClosedCase {
    int closed_fd;
    Form form;
};

std::string case_name(const ClosedCase& c) {
    return "Fd" + std::to_string(c.closed_fd) + "Closed" + form_name(c.form);
}
void PrintTo(const ClosedCase& c, std::ostream* os) { *os << case_name(c); }

class ClosedStdFd : public Fixture, public ::testing::WithParamInterface<ClosedCase> {};

struct StageView {
    pid_t pid = 0;
    std::string fd[3];
};

TEST_P(ClosedStdFd, StagesGetTheirPipelineFdsAndNothingElse) {
    const ClosedCase& c = GetParam();
    constexpr int kStages = 3;
    TempDir dir;
    const std::string text = sample_text();
    const std::string infile = dir / "in", outfile = dir / "out", go = dir / "go";
    const std::string stderr_target = dir / "stderr_target", heredoc = dir / "heredoc";
    testsupport::write_file(infile, text);
    testsupport::write_file(heredoc, text + kLimiter + "\n");
    const std::string gate = write_script(dir, "gate.sh",
                                          std::string(kRecordPid) +
                                              "while [ ! -e \"$2\" ]; do sleep 0.01; done\n"
                                              "exec " FDREPORT_BIN " \"$3\"\n");
    std::vector<std::string> stages, pid_files, reports;
    for (int k = 1; k <= kStages; ++k) {
        pid_files.push_back(dir / ("pid" + std::to_string(k)));
        reports.push_back(dir / ("report" + std::to_string(k)));
        stages.push_back(gate + " " + pid_files.back() + " " + go + " " + reports.back());
    }

    RunSpec spec;
    spec.in_child = [&] {
        // Remember what the test gave pipex as stderr, for comparison with the stages' fd 2.
        char target[256] = {};
        const ssize_t n = readlink("/proc/self/fd/2", target, sizeof target - 1);
        const int rec = open(stderr_target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (n <= 0 || rec < 0 || write(rec, target, static_cast<std::size_t>(n)) != n) _exit(122);
        close(rec);
        if (c.form == Form::HereDoc) {  // the here-doc text comes from a file, read at once
            const int in = open(heredoc.c_str(), O_RDONLY);
            if (in < 0 || dup2(in, 0) != 0) _exit(123);
            close(in);
        }
        close(c.closed_fd);
    };
    std::vector<StageView> views;
    spec.on_started = [&](int) {
        const std::vector<pid_t> pids = wait_for_pids(pid_files);
        for (pid_t pid : pids) {
            StageView v;
            v.pid = pid;
            for (int fd = 0; fd < 3; ++fd) v.fd[fd] = fd_target(pid, fd);
            views.push_back(v);
        }
        testsupport::write_file(go, "");  // let the stages go on, whatever happened
    };

    const RunResult r = run_pipex(pipeline_args(c.form, infile, stages, outfile), spec);

    expect_clean_run(r, outfile, text, reports);
    if (HasFatalFailure()) return;

    ASSERT_EQ(views.size(), static_cast<std::size_t>(kStages)) << "not every stage started";
    const std::string test_stderr = testsupport::read_file(stderr_target);
    // Where the pipeline wires fd 0 and fd 1, then fd 2: pipex's own stderr, or /dev/null when
    // pipex had none.
    std::set<std::string> pipes;
    for (int k = 0; k < kStages; ++k) {
        const StageView& v = views[static_cast<std::size_t>(k)];
        const std::string who =
            "stage " + std::to_string(k + 1) + " (pid " + std::to_string(v.pid) + ")";
        if (k == 0 && c.form == Form::File) {
            EXPECT_EQ(v.fd[0], infile) << who << ": fd 0 should be INFILE";
        }
        if (k == 0 && c.form == Form::HereDoc) {
            EXPECT_NE(v.fd[0], "closed") << who << ": fd 0 should be the here-doc";
            EXPECT_NE(v.fd[0], heredoc) << who << ": fd 0 is pipex's own stdin, not the here-doc";
        }
        if (k + 1 < kStages) {
            const StageView& next = views[static_cast<std::size_t>(k + 1)];
            EXPECT_EQ(v.fd[1].rfind("pipe:", 0), 0u) << who << ": fd 1 is " << v.fd[1];
            EXPECT_EQ(v.fd[1], next.fd[0])
                << who << ": fd 1 should be the pipe the next stage reads as fd 0";
            EXPECT_TRUE(pipes.insert(v.fd[1]).second) << who << ": " << v.fd[1] << " reused";
        } else {
            EXPECT_EQ(v.fd[1], outfile) << who << ": fd 1 should be OUTFILE";
        }
        const std::string want2 = c.closed_fd == 2 ? "/dev/null" : test_stderr;
        EXPECT_EQ(v.fd[2], want2) << who << ": fd 2 should be "
                                  << (c.closed_fd == 2 ? "/dev/null (pipex had no fd 2)"
                                                       : "pipex's own stderr");
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, ClosedStdFd,
                         ::testing::Values(ClosedCase{0, Form::File}, ClosedCase{1, Form::File},
                                           ClosedCase{1, Form::HereDoc}, ClosedCase{2, Form::File},
                                           ClosedCase{2, Form::HereDoc}),
                         [](const auto& p) { return case_name(p.param); });

}  // namespace
}  // namespace hygiene
