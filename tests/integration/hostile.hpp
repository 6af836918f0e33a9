// Hostile environments: helpers shared by the hostile_*_test.cpp files (low fd limits, huge
// arguments and environments, endless or huge input, odd files). Everything else comes from
// hygiene.hpp (subreaper fixture, fd reports), bash_parity.hpp (comparison with bash) and
// process.hpp (running a program).
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "bash_parity.hpp"
#include "hygiene.hpp"
#include "process.hpp"

namespace hostile {

using testsupport::RunResult;
using testsupport::RunSpec;
using testsupport::TempDir;

// ---------------------------------------------------------------------------------------------
// In the child, between fork and exec of pipex (single-threaded: plain system calls only)

// Every fd above 2 that the test process holds becomes close-on-exec, so that pipex starts with
// exactly fds 0, 1 and 2 and a low RLIMIT_NOFILE means what the test says it means.
inline void only_std_fds_survive_exec() { ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC); }

// Lowers the soft RLIMIT_NOFILE (fds already open above it stay open until exec closes them).
inline void limit_open_files(rlim_t soft) {
    rlimit lim{};
    getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = soft;
    setrlimit(RLIMIT_NOFILE, &lim);
}

// ---------------------------------------------------------------------------------------------
// In the test process

// Sets the soft RLIMIT_STACK of the test process, which fixes the kernel's limit on the size of
// argv + envp for every program it starts (a quarter of it, the ARG_MAX of `getconf`), and puts
// the old one back at the end of the scope.
class ScopedStackLimit {
public:
    explicit ScopedStackLimit(rlim_t soft) {
        ok_ = getrlimit(RLIMIT_STACK, &saved_) == 0;
        if (!ok_) return;
        rlimit lim = saved_;
        if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < soft) soft = lim.rlim_max;
        lim.rlim_cur = soft;
        ok_ = setrlimit(RLIMIT_STACK, &lim) == 0;
    }
    ~ScopedStackLimit() { setrlimit(RLIMIT_STACK, &saved_); }
    ScopedStackLimit(const ScopedStackLimit&) = delete;
    ScopedStackLimit& operator=(const ScopedStackLimit&) = delete;
    bool ok() const { return ok_; }

private:
    rlimit saved_{};
    bool ok_ = false;
};

// A process the test starts and leaves running while pipex runs (the other end of a FIFO, say):
// `sh -c SCRIPT` in its own process group, stdin on /dev/null. The destructor kills and reaps
// it if the test did not wait for it, so nothing outlives the test.
class Background {
public:
    Background(const std::string& script, const std::string& cwd) {
        pid_ = fork();
        if (pid_ == 0) {
            setpgid(0, 0);
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, nullptr);
            for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) signal(s, SIG_DFL);
            const int null = open("/dev/null", O_RDONLY);
            if (null >= 0) dup2(null, 0);
            if (chdir(cwd.c_str()) != 0) _exit(125);
            execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
            _exit(125);
        }
        if (pid_ > 0) setpgid(pid_, pid_);
    }
    ~Background() {
        if (pid_ <= 0) return;
        kill(-pid_, SIGKILL);
        int status;
        while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;

    bool started() const { return pid_ > 0; }

    // Waits for the process to end and returns its wait status; nullopt if it is still running
    // after `limit` (it is then killed). The limit only bounds a hang.
    std::optional<int> wait(std::chrono::milliseconds limit = hygiene::kHangLimit) {
        if (pid_ <= 0) return std::nullopt;
        int status = 0;
        const bool ended =
            hygiene::wait_until([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, limit);
        if (!ended) return std::nullopt;
        pid_ = -1;
        return status;
    }

private:
    pid_t pid_ = -1;
};

// ---------------------------------------------------------------------------------------------
// Checks

// True if `line` is exactly `pipex: WHAT: Too many open files` with a non-empty WHAT.
inline bool is_emfile_line(const std::string& line) {
    static const std::regex pattern("^pipex: [^ ].*: Too many open files$");
    return std::regex_match(line, pattern);
}

// In the sanitizer build (PIPEX_SANITIZE, where GCC defines __SANITIZE_ADDRESS__ for the tests
// too), UBSan's vptr check probes memory by writing it into a pipe (IsAccessibleMemoryRange in
// sanitizer_common: `if (pipe(...)) return false;`). When pipex has used up its fds, that pipe
// fails, every object looks unreadable, and UBSan reports a false "object has invalid vptr" and
// kills pipex. True when this run hit that: the result says nothing about pipex then.
inline bool sanitizer_starved_of_fds(const RunResult& r) {
#if defined(__SANITIZE_ADDRESS__)
    return r.err.find("runtime error: ") != std::string::npos &&
           r.err.find("<memory cannot be printed>") != std::string::npos;
#else
    (void)r;
    return false;
#endif
}

// A short, printable excerpt of bytes for failure messages.
inline std::string printable(const std::string& bytes, std::size_t max = 200) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
        const auto ch = static_cast<unsigned char>(bytes[i]);
        if (ch == '\n') {
            out += "\\n";
        } else if (ch < 0x20 || ch >= 0x7f) {
            static const char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[ch >> 4];
            out += hex[ch & 15];
        } else {
            out += static_cast<char>(ch);
        }
    }
    if (bytes.size() > max) out += "... (" + std::to_string(bytes.size()) + " bytes)";
    return out;
}

}  // namespace hostile
