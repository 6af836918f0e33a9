// Test support: run a program as a user would, feed its stdin, capture what it prints.
// Deliberately independent of the pipex engine, so the tests never check pipex with itself.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace testsupport {

struct RunSpec {
    std::vector<std::string> argv{};
    std::string stdin_data{};                       // written to the child's stdin, then closed
    std::optional<std::vector<std::string>> env{};  // nullopt: inherit the test's environment
    std::string cwd{};                              // empty: the test's current folder
    std::chrono::milliseconds timeout{std::chrono::seconds(120)};
    // Runs in the child between fork and exec (the test is single-threaded, so any call is fine
    // there); use it to plant inherited fds, masks or dispositions.
    std::function<void()> in_child{};
    // Called in the parent once the child runs, with its pid (e.g. to send it a signal).
    std::function<void(int pid)> on_started{};
};

struct RunResult {
    int wait_status = 0;
    bool timed_out = false;
    std::string out;
    std::string err;

    bool exited() const;
    bool signaled() const;
    int exit_code() const;     // only meaningful if exited()
    int term_signal() const;   // only meaningful if signaled()
    int shell_status() const;  // exit code, or 128+N when killed by signal N
};

// Runs spec.argv[0] (searched in PATH) in a new process group; the whole group is killed if the
// timeout expires, which only bounds a hang: tests never assert on time.
RunResult run(const RunSpec& spec);

// Prefix that runs a command as the unprivileged user nobody (root ignores permissions).
std::vector<std::string> as_nobody(std::vector<std::string> argv);
// Whether as_nobody works here: switching users takes root (CAP_SETUID). Found by trying once.
bool can_run_as_nobody();

// Opens a test whose cases run as nobody: without root it is skipped, saying why.
#define SKIP_UNLESS_ABLE_TO_RUN_AS_NOBODY()                                                   \
    if (!testsupport::can_run_as_nobody())                                                    \
    GTEST_SKIP() << "permission cases run as uid 65534 (root ignores file permissions), and " \
                    "switching to it needs root"

// A fresh folder under /tmp, removed with everything in it when the object dies. It is world
// writable so that tests running as nobody can use it.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

std::string read_file(const std::string& path);
// Everything readable from `fd` until end-of-file (or an error).
std::string read_all(int fd);
void write_file(const std::string& path, const std::string& data, unsigned mode = 0644);
bool file_exists(const std::string& path);

}  // namespace testsupport
