// Process hygiene of pipex, seen from outside: what each child holds when it starts, that every
// child is reaped, how signals are passed on, and that all stages run at once.
//
// Every hygiene test derives from hygiene::Fixture, which makes the test process a child
// subreaper: anything pipex leaves behind (a zombie or a still running orphan) is re-parented to
// the test, where waitpid(-1, WNOHANG) finds it. Each test ends by checking there is none.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"

namespace hygiene {

using testsupport::RunResult;
using testsupport::RunSpec;
using testsupport::TempDir;

// Bounds a wait that can only hang if pipex is broken; never a measure of speed.
inline constexpr std::chrono::seconds kHangLimit{20};

// ---------------------------------------------------------------------------------------------
// Running pipex

// Runs pipex with these arguments; as_nobody runs it as uid 65534 (setpriv execs pipex in place,
// so the pid the test waits for is still pipex's).
inline RunResult run_pipex(std::vector<std::string> args, RunSpec spec = {},
                           bool as_nobody = false) {
    args.insert(args.begin(), PIPEX_BIN);
    spec.argv = as_nobody ? testsupport::as_nobody(std::move(args)) : std::move(args);
    spec.timeout = kHangLimit;
    return run(spec);
}

inline std::string describe(const RunResult& r) {
    std::ostringstream s;
    if (r.timed_out) s << "TIMED OUT (killed), ";
    if (r.signaled())
        s << "killed by signal " << r.term_signal() << " (" << strsignal(r.term_signal()) << ")";
    else
        s << "exit " << r.exit_code();
    s << "; stderr: \"" << r.err << "\"";
    return s.str();
}

// An executable /bin/sh script in dir; returns its path. Stages are written as scripts so that
// no test depends on how pipex splits a command into words (only blanks separate words here).
inline std::string write_script(const TempDir& dir, const std::string& name,
                                const std::string& body) {
    std::string path = dir / name;
    testsupport::write_file(path, "#!/bin/sh\n" + body, 0755);
    return path;
}

// Some bytes worth piping: larger than a pipe buffer, every line different.
inline std::string sample_text(std::size_t lines = 20000) {
    std::string text;
    for (std::size_t i = 0; i < lines; ++i)
        text += "line " + std::to_string(i) + " of the sample\n";
    return text;
}

inline std::string fd_report_stage(const std::string& report) {
    return std::string(FDREPORT_BIN) + " " + report;
}

// The fds listed by fdreport (one number per line).
inline std::set<int> read_fd_report(const std::string& path) {
    std::set<int> fds;
    if (!testsupport::file_exists(path)) return fds;
    std::istringstream in(testsupport::read_file(path));
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) fds.insert(std::atoi(line.c_str()));
    return fds;
}

inline std::string to_string(const std::set<int>& fds) {
    std::string s = "{";
    for (int fd : fds) s += (s.size() > 1 ? ", " : "") + std::to_string(fd);
    return s + "}";
}

// ---------------------------------------------------------------------------------------------
// In the child, between fork and exec of pipex (single-threaded: plain system calls only)

// Makes fd `target` a copy of `source`, with or without close-on-exec.
inline void plant_fd(int source, int target, bool cloexec) {
    if (source == target) {
        fcntl(target, F_SETFD, cloexec ? FD_CLOEXEC : 0);
        return;
    }
    if (cloexec)
        dup3(source, target, O_CLOEXEC);
    else
        dup2(source, target);
}

inline void raise_fd_limit(rlim_t at_least) {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < at_least) {
        lim.rlim_cur = std::min(at_least, lim.rlim_max);
        setrlimit(RLIMIT_NOFILE, &lim);
    }
}

inline void no_core_dumps() {
    rlimit none{0, 0};
    setrlimit(RLIMIT_CORE, &none);
}

inline void block_signals(std::initializer_list<int> signals) {
    sigset_t set;
    sigemptyset(&set);
    for (int s : signals) sigaddset(&set, s);
    sigprocmask(SIG_BLOCK, &set, nullptr);
}

inline void ignore_signals(std::initializer_list<int> signals) {
    for (int s : signals) signal(s, SIG_IGN);
}

// ---------------------------------------------------------------------------------------------
// What pipex left behind

struct Child {
    pid_t pid;
    char state;        // as in /proc/PID/stat: 'Z' zombie, 'S' sleeping, ...
    std::string comm;  // program name
};

// The children of `parent`, read from /proc (does not reap anything).
inline std::vector<Child> list_children(pid_t parent) {
    std::vector<Child> children;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::string stat;
        try {
            stat = testsupport::read_file(entry.path().string() + "/stat");
        } catch (...) {
            continue;  // gone meanwhile
        }
        // "PID (COMM) STATE PPID ..."; COMM may hold spaces and parentheses.
        const auto open = stat.find('('), close = stat.rfind(')');
        if (open == std::string::npos || close == std::string::npos || close + 4 > stat.size())
            continue;
        std::istringstream rest(stat.substr(close + 2));
        char state = '?';
        pid_t ppid = 0;
        rest >> state >> ppid;
        if (ppid == parent)
            children.push_back({static_cast<pid_t>(std::atoi(name.c_str())), state,
                                stat.substr(open + 1, close - open - 1)});
    }
    return children;
}

// This process's children.
inline std::vector<Child> list_children() { return list_children(getpid()); }

inline std::string to_string(const std::vector<Child>& children) {
    std::string s;
    for (const Child& c : children)
        s += (s.empty() ? "" : ", ") + std::string("pid ") + std::to_string(c.pid) + " (" + c.comm +
             (c.state == 'Z' ? ", zombie)" : ", still running)");
    return s.empty() ? "none visible in /proc" : s;
}

// Kills and reaps every child of this process, so one failure does not leak into the next test.
inline void kill_and_reap_children() {
    for (const Child& c : list_children())
        if (c.state != 'Z') kill(c.pid, SIGKILL);
    int status;
    while (waitpid(-1, &status, 0) > 0) {
    }
}

// The core check: after pipex has been waited for, this process has no child at all.
inline void expect_nothing_left(const std::string& when) {
    const std::vector<Child> seen = list_children();
    int status = 0;
    errno = 0;
    const pid_t got = waitpid(-1, &status, WNOHANG);
    const int error = errno;
    EXPECT_TRUE(got == -1 && error == ECHILD)
        << when << ": pipex left processes behind (waitpid(-1, WNOHANG) returned " << got
        << (got > 0    ? " (a zombie, now reaped)"
            : got == 0 ? " (a running orphan)"
                       : "")
        << ", errno " << strerror(error) << "); children seen: " << to_string(seen);
    kill_and_reap_children();
}

inline bool process_gone(pid_t pid) { return kill(pid, 0) == -1 && errno == ESRCH; }

class Fixture : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0) << strerror(errno);
        kill_and_reap_children();  // whatever earlier tests in this process left
    }
    void TearDown() override { expect_nothing_left("at the end of the test"); }
};

// ---------------------------------------------------------------------------------------------
// Waiting for stages

// Polls `ready` until it holds or the hang limit passes; returns whether it held.
inline bool wait_until(const std::function<bool()>& ready,
                       std::chrono::milliseconds limit = kHangLimit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!ready()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

// Shell text that records the shell's pid in the file $1. Only builtins: a stage must have no
// child of its own when the test signals it (a stage killed while waiting for, say, `mv` would
// orphan it, and the orphan is no fault of pipex). `echo` writes "PID\n" in one write.
inline constexpr const char* kRecordPid = "echo $$ > \"$1\"\n";

// The pid in a file written by kRecordPid, once complete.
inline std::optional<pid_t> read_pid_file(const std::string& path) {
    if (!testsupport::file_exists(path)) return std::nullopt;
    const std::string text = testsupport::read_file(path);
    const int pid = std::atoi(text.c_str());
    if (text.empty() || text.back() != '\n' || pid <= 0) return std::nullopt;
    return static_cast<pid_t>(pid);
}

// Waits for every pid file; returns the pids found (fewer if some never appeared).
inline std::vector<pid_t> wait_for_pids(const std::vector<std::string>& pid_files) {
    wait_until(
        [&] {
            for (const auto& f : pid_files)
                if (!read_pid_file(f)) return false;
            return true;
        },
        std::chrono::seconds(10));
    std::vector<pid_t> pids;
    for (const auto& f : pid_files)
        if (auto pid = read_pid_file(f)) pids.push_back(*pid);
    return pids;
}

// Where fd `fd` of process `pid` points ("pipe:[123]", "/dev/null", a path), or "closed".
inline std::string fd_target(pid_t pid, int fd) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(
        "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd), ec);
    return ec ? std::string("closed") : target.string();
}

}  // namespace hygiene
