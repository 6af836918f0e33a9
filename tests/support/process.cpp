// Test support: running a program as a user would, and what it printed.
#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace testsupport {
namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void make_pipe(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) != 0) fail("pipe2");
}

std::vector<char*> c_strings(std::vector<std::string>& words) {
    std::vector<char*> out;
    for (auto& w : words) out.push_back(w.data());
    out.push_back(nullptr);
    return out;
}

}  // namespace

bool RunResult::exited() const { return WIFEXITED(wait_status); }
bool RunResult::signaled() const { return WIFSIGNALED(wait_status); }
int RunResult::exit_code() const { return WEXITSTATUS(wait_status); }
int RunResult::term_signal() const { return WTERMSIG(wait_status); }
int RunResult::shell_status() const { return signaled() ? 128 + term_signal() : exit_code(); }

RunResult run(const RunSpec& spec) {
    // A program may exit before reading all of its stdin: the write must fail with EPIPE, not
    // kill the test. The child gets SIGPIPE back at default below.
    ::signal(SIGPIPE, SIG_IGN);
    int in[2], out[2], err[2];
    make_pipe(in);
    make_pipe(out);
    make_pipe(err);
    std::vector<std::string> argv = spec.argv;
    std::vector<std::string> env = spec.env.value_or(std::vector<std::string>{});
    std::vector<char*> argv_c = c_strings(argv);
    std::vector<char*> env_c = c_strings(env);

    pid_t pid = fork();
    if (pid < 0) fail("fork");
    if (pid == 0) {
        setpgid(0, 0);
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        // The test process may have ignored or blocked signals; start the program as a shell would.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) signal(s, SIG_DFL);
        if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) _exit(125);
        if (spec.in_child) spec.in_child();
        if (spec.env)
            execvpe(argv_c[0], argv_c.data(), env_c.data());
        else
            execvp(argv_c[0], argv_c.data());
        dprintf(2, "test support: exec %s: %s\n", argv_c[0], strerror(errno));
        _exit(125);
    }
    setpgid(pid, pid);  // both sides set it, so there is no race with a signal sent right away
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (spec.on_started) spec.on_started(pid);

    RunResult result;
    std::size_t written = 0;
    int in_fd = in[1];
    if (spec.stdin_data.empty()) {
        close(in_fd);
        in_fd = -1;
    } else {
        fcntl(in_fd, F_SETFL, O_NONBLOCK);
    }
    const auto deadline = std::chrono::steady_clock::now() + spec.timeout;
    int open_outputs = 2;
    char buf[65536];
    while (open_outputs > 0 || in_fd >= 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            kill(-pid, SIGKILL);
            break;
        }
        pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
        int n = poll(fds, 3, static_cast<int>(std::min<long>(left.count(), 1000)));
        if (n < 0 && errno != EINTR) fail("poll");
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                close(fds[i].fd);
                (i == 0 ? out[0] : err[0]) = -1;
                --open_outputs;
            }
        }
        if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t put = write(in_fd, spec.stdin_data.data() + written,
                                std::min<std::size_t>(spec.stdin_data.size() - written, 1 << 20));
            if (put > 0) written += static_cast<std::size_t>(put);
            if ((put < 0 && errno != EAGAIN && errno != EINTR) ||
                written == spec.stdin_data.size()) {
                close(in_fd);
                in_fd = -1;
            }
        }
    }
    for (int fd : {out[0], err[0], in_fd})
        if (fd >= 0) close(fd);
    while (waitpid(pid, &result.wait_status, 0) < 0) {
        if (errno != EINTR) fail("waitpid");
    }
    return result;
}

std::vector<std::string> as_nobody(std::vector<std::string> argv) {
    std::vector<std::string> full = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                     "--"};
    full.insert(full.end(), argv.begin(), argv.end());
    return full;
}

bool can_run_as_nobody() {
    static const bool able = [] {
        RunSpec spec;
        spec.argv = as_nobody({"true"});
        return run(spec).shell_status() == 0;
    }();
    return able;
}

TempDir::TempDir() {
    char pattern[] = "/tmp/pipex-test-XXXXXX";
    if (!mkdtemp(pattern)) fail("mkdtemp");
    path_ = pattern;
    chmod(path_.c_str(), 0777);
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string read_all(int fd) {
    std::string text;
    char buffer[65536];
    ssize_t got;
    while ((got = ::read(fd, buffer, sizeof buffer)) > 0 || (got < 0 && errno == EINTR))
        if (got > 0) text.append(buffer, static_cast<std::size_t>(got));
    return text;
}

void write_file(const std::string& path, const std::string& data, unsigned mode) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + path);
        out << data;
    }
    chmod(path.c_str(), static_cast<mode_t>(mode));
}

bool file_exists(const std::string& path) {
    struct stat st;
    return lstat(path.c_str(), &st) == 0;
}

}  // namespace testsupport
