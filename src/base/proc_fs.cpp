// Reading what the kernel tells about a process in /proc, with "gone" as an answer.
#include "pipex/base/proc_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <string_view>

#include "pipex/base/io.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::proc {
namespace {

// ENOENT and ESRCH are how /proc says the process (or the fd) is no longer there.
bool is_gone(int error) { return error == ENOENT || error == ESRCH; }

std::string task_path(pid_t pid, std::string_view leaf) {
    std::string path = "/proc/" + std::to_string(pid);
    path += '/';
    path += leaf;
    return path;
}

template <class Number>
std::optional<Number> parse_number(std::string_view text, int base = 10) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (error != std::errc() || end == text.data()) return std::nullopt;
    return value;
}

// The number after "NAME:" on its own line of a status-like file.
std::optional<long> field(std::string_view text, std::string_view name) {
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        std::string_view line =
            text.substr(at, end == std::string_view::npos ? text.npos : end - at);
        if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == ':') {
            std::string_view value = line.substr(name.size() + 1);
            value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
            return parse_number<long>(value);
        }
        if (end == std::string_view::npos) break;
        at = end + 1;
    }
    return std::nullopt;
}

// A signal set as /proc/PID/status shows it ("SigPnd:\t0000000000000200"): bit N-1 is signal N.
bool in_signal_set(std::string_view status, std::string_view name, int signal) {
    std::size_t at = status.find(std::string(name) + ":");
    if (at == std::string_view::npos) return false;
    std::string_view value = status.substr(at + name.size() + 1);
    value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
    std::optional<unsigned long long> mask =
        parse_number<unsigned long long>(value.substr(0, value.find('\n')), 16);
    return mask && (*mask >> (signal - 1) & 1U) != 0;
}

// The names in a folder of /proc, or nullopt when it is gone (its process has ended).
std::optional<std::vector<std::string>> entries_of(const std::string& folder) {
    FolderResult opened = open_folder(folder);
    if (!opened.dir) {
        if (is_gone(opened.error)) return std::nullopt;
        throw SystemError(opened.error, folder);
    }
    std::vector<std::string> names;
    for (;;) {
        errno = 0;  // readdir tells the end from a failure only by errno
        dirent* entry = ::readdir(opened.dir.get());
        if (!entry) break;
        names.emplace_back(entry->d_name);
    }
    if (errno != 0 && !is_gone(errno)) throw SystemError(errno, folder);
    return names;
}

}  // namespace

std::optional<OpenFd> open_fd(pid_t pid, int fd) {
    std::optional<std::string> target = read_link(task_path(pid, "fd/" + std::to_string(fd)));
    if (!target) return std::nullopt;
    OpenFd open{fd, std::move(*target), -1};
    if (std::optional<std::string> info =
            read_text(task_path(pid, "fdinfo/" + std::to_string(fd)))) {
        std::size_t flags_at = info->find("flags:");
        if (flags_at != std::string::npos) {
            std::string_view value = std::string_view(*info).substr(flags_at + 6);
            value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
            open.flags = parse_number<int>(value.substr(0, value.find('\n')), 8).value_or(-1);
        }
    }
    return open;
}

std::optional<std::string> read_text(const std::string& path) {
    OpenResult file = open_file(path, O_RDONLY);
    if (!file.fd) {
        if (is_gone(file.error)) return std::nullopt;
        throw SystemError(file.error, path);
    }
    std::string text;
    char buffer[4096];
    for (;;) {
        ssize_t got = read_some(file.fd.get(), buffer, sizeof buffer);
        if (got == 0) return text;
        if (got < 0) {
            if (is_gone(errno)) return std::nullopt;
            throw SystemError(errno, path);
        }
        text.append(buffer, static_cast<std::size_t>(got));
    }
}

std::optional<std::string> read_link(const std::string& path) {
    std::string target(256, '\0');
    for (;;) {
        ssize_t got = ::readlink(path.c_str(), target.data(), target.size());
        if (got < 0) {
            if (is_gone(errno)) return std::nullopt;
            throw SystemError(errno, path);
        }
        if (static_cast<std::size_t>(got) < target.size()) {
            target.resize(static_cast<std::size_t>(got));
            return target;
        }
        target.resize(target.size() * 2);  // it may have been cut: read again with more room
    }
}

std::optional<TaskIds> task_ids(pid_t tid) {
    std::optional<std::string> status = read_text(task_path(tid, "status"));
    if (!status) return std::nullopt;
    std::optional<long> tgid = field(*status, "Tgid");
    std::optional<long> ppid = field(*status, "PPid");
    if (!tgid || !ppid) return std::nullopt;
    return TaskIds{static_cast<pid_t>(*tgid), static_cast<pid_t>(*ppid)};
}

std::optional<TaskState> task_state(pid_t pid) {
    std::optional<std::string> stat = read_text(task_path(pid, "stat"));
    if (!stat) return std::nullopt;
    // "PID (COMM) S PPID ...": COMM may hold spaces and parentheses, so look after the last ')'.
    std::size_t close = stat->rfind(')');
    if (close == std::string::npos || close + 4 >= stat->size()) return std::nullopt;
    std::string_view rest = std::string_view(*stat).substr(close + 2);
    TaskState state{rest[0], 0};
    rest.remove_prefix(2);
    state.ppid = parse_number<pid_t>(rest.substr(0, rest.find(' '))).value_or(0);
    return state;
}

bool signal_pending(pid_t tid, int signal) {
    std::optional<std::string> status = read_text(task_path(tid, "status"));
    return status &&
           (in_signal_set(*status, "SigPnd", signal) || in_signal_set(*status, "ShdPnd", signal));
}

bool ignores_sigchld(pid_t pid) {
    std::optional<std::string> status = read_text(task_path(pid, "status"));
    return status && in_signal_set(*status, "SigIgn", SIGCHLD);
}

bool has_exited(char state) { return state == 'Z' || state == 'X'; }

std::vector<std::string> command_line(pid_t pid) {
    std::vector<std::string> words;
    std::optional<std::string> text = read_text(task_path(pid, "cmdline"));
    if (!text) return words;
    std::size_t at = 0;
    while (at < text->size()) {
        std::size_t end = text->find('\0', at);
        if (end == std::string::npos) end = text->size();
        words.emplace_back(*text, at, end - at);
        at = end + 1;
    }
    return words;
}

std::optional<std::string> program_name(pid_t pid) {
    std::optional<std::string> name = read_text(task_path(pid, "comm"));
    if (name && !name->empty() && name->back() == '\n') name->pop_back();
    return name;
}

IoCounts io_counts(pid_t pid) {
    const std::string path = task_path(pid, "io");
    OpenResult file = open_file(path, O_RDONLY);
    if (!file.fd) return IoCounts{0, 0, file.error};
    char text[512];
    const ssize_t got = retry_on_eintr([&] { return ::read(file.fd.get(), text, sizeof text); });
    if (got < 0) return IoCounts{0, 0, errno};
    const std::string_view content(text, static_cast<std::size_t>(got));
    const std::optional<long> read = field(content, "rchar"), written = field(content, "wchar");
    if (!read || !written) return IoCounts{0, 0, EIO};
    return IoCounts{static_cast<unsigned long long>(*read),
                    static_cast<unsigned long long>(*written), 0};
}

std::optional<std::string> executable(pid_t pid) { return read_link(task_path(pid, "exe")); }

std::vector<OpenFd> open_fds(pid_t pid, int lowest) {
    std::vector<OpenFd> fds;
    std::vector<int> numbers;
    for (const std::string& name :
         entries_of(task_path(pid, "fd")).value_or(std::vector<std::string>{}))
        if (std::optional<int> fd = parse_number<int>(name); fd && *fd >= lowest)
            numbers.push_back(*fd);
    std::sort(numbers.begin(), numbers.end());
    for (int fd : numbers)
        if (std::optional<OpenFd> open = open_fd(pid, fd)) fds.push_back(std::move(*open));
    return fds;
}

std::optional<BlockedCall> blocked_call(pid_t pid) {
    std::optional<std::string> text = read_text(task_path(pid, "syscall"));
    if (!text) return std::nullopt;
    // "NR ARG1 ... ARG6 SP PC" in a system call; "-1 SP PC" blocked outside one; "running".
    std::string_view line = *text;
    std::size_t space = line.find(' ');
    if (space == line.npos) return std::nullopt;
    std::optional<long> number = parse_number<long>(line.substr(0, space));
    if (!number || *number < 0) return std::nullopt;
    std::string_view argument = line.substr(space + 1);
    if (argument.starts_with("0x")) argument.remove_prefix(2);
    std::optional<unsigned long> first = parse_number<unsigned long>(argument, 16);
    if (!first) return std::nullopt;
    return BlockedCall{*number, *first};
}

pid_t tracer_of_self() {
    std::optional<std::string> status = read_text("/proc/self/status");
    if (!status) return 0;
    return static_cast<pid_t>(field(*status, "TracerPid").value_or(0));
}

namespace {

// Whether this kernel has /proc/PID/task/TID/children (built with CONFIG_PROC_CHILDREN).
bool kernel_lists_children() {
    static const bool listed =
        ::access(("/proc/self/task/" + std::to_string(::gettid()) + "/children").c_str(), R_OK) ==
        0;
    return listed;
}

// One read per thread of `parent`, instead of one per process of the system.
std::vector<pid_t> children_from_task_files(pid_t parent) {
    std::vector<pid_t> children;
    for (const std::string& tid :
         entries_of(task_path(parent, "task")).value_or(std::vector<std::string>{})) {
        if (tid == "." || tid == "..") continue;
        std::optional<std::string> text = read_text(task_path(parent, "task/" + tid + "/children"));
        std::string_view rest = text ? std::string_view(*text) : std::string_view();
        while (!rest.empty()) {
            const std::size_t end = std::min(rest.find(' '), rest.size());
            if (std::optional<pid_t> pid = parse_number<pid_t>(rest.substr(0, end)))
                children.push_back(*pid);
            rest.remove_prefix(std::min(end + 1, rest.size()));
        }
    }
    return children;
}

}  // namespace

std::vector<pid_t> children_of(pid_t parent) {
    if (kernel_lists_children()) return children_from_task_files(parent);
    std::optional<std::vector<std::string>> names = entries_of("/proc");
    if (!names) throw SystemError(ENOENT, "/proc");
    std::vector<pid_t> children;
    for (const std::string& name : *names) {
        std::optional<pid_t> pid = parse_number<pid_t>(name);
        if (!pid) continue;
        std::optional<TaskState> state = task_state(*pid);
        if (state && state->ppid == parent) children.push_back(*pid);
    }
    return children;
}

}  // namespace pipex::proc
