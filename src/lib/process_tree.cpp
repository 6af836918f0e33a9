// Walking the processes below pipex in /proc, and recognising the pipeline's pipes and files
// among the fds each one holds.
#include "process_tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <string>
#include <string_view>

#include "pipex/base/proc_fs.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex {

namespace {

std::vector<TreeProcess> walk_once(const std::set<pid_t>& excluded) {
    std::vector<TreeProcess> tree;
    for (pid_t child : proc::children_of(::getpid()))
        if (!excluded.contains(child)) tree.push_back(TreeProcess{child, child, false});
    // Breadth first: each process is listed after its parent, so signals go down the tree in
    // the order its processes were created.
    for (std::size_t next = 0; next < tree.size(); ++next) {
        const TreeProcess parent = tree[next];
        std::optional<proc::TaskState> state = proc::task_state(parent.pid);
        tree[next].exited = !state || proc::has_exited(state->state);
        if (tree[next].exited) continue;
        for (pid_t child : proc::children_of(parent.pid))
            tree.push_back(TreeProcess{child, parent.root, false});
    }
    return tree;
}

// The fds of a process, as far as pipex may read them. The kernel refuses the fd table of a
// process that is not pipex's to inspect (EACCES): a set-user-ID program a stage ran, or, when
// pipex is not root, any process caught in the middle of its exec or its exit. Nothing is known
// of what it holds then, and it is left out rather than failing the run.
std::vector<proc::OpenFd> readable_fds(pid_t pid) {
    try {
        return proc::open_fds(pid, 0);
    } catch (const SystemError& error) {
        if (error.code().value() != EACCES) throw;
        return {};
    }
}

bool same_processes(const std::vector<TreeProcess>& one, const std::vector<TreeProcess>& other) {
    return std::equal(one.begin(), one.end(), other.begin(), other.end(),
                      [](const TreeProcess& a, const TreeProcess& b) { return a.pid == b.pid; });
}

}  // namespace

// A process that dies while the walk is between its parent and it hands its children to pipex,
// whose own list was already read: that walk misses them. Two walks that agree saw no such
// death (a process forked meanwhile can still be missed; the callers look again later).
std::vector<TreeProcess> processes_below_self(const std::set<pid_t>& excluded) {
    constexpr int kMostWalks = 16;
    std::vector<TreeProcess> tree = walk_once(excluded);
    for (int walk = 1; walk < kMostWalks; ++walk) {
        std::vector<TreeProcess> again = walk_once(excluded);
        const bool settled = same_processes(tree, again);
        tree = std::move(again);
        if (settled) break;
    }
    return tree;
}

namespace {

std::optional<ino_t> pipe_inode(std::string_view target) {
    constexpr std::string_view prefix = "pipe:[";
    if (!target.starts_with(prefix) || !target.ends_with(']')) return std::nullopt;
    target = target.substr(prefix.size(), target.size() - prefix.size() - 1);
    ino_t inode{};
    auto [end, error] = std::from_chars(target.data(), target.data() + target.size(), inode);
    if (error != std::errc() || end != target.data() + target.size()) return std::nullopt;
    return inode;
}

struct Identity {
    dev_t device;
    ino_t inode;
};

// A pipe's device is pipefs's, the same for every pipe: the inode alone names it.
constexpr dev_t kAnyPipe = static_cast<dev_t>(-1);

// Only pipes and regular files name a stage: a terminal or /dev/null is everybody's.
std::optional<Identity> identity_from(const struct stat& about) {
    if (S_ISFIFO(about.st_mode)) return Identity{kAnyPipe, about.st_ino};
    if (S_ISREG(about.st_mode)) return Identity{about.st_dev, about.st_ino};
    return std::nullopt;
}

std::optional<Identity> identity_of(pid_t pid, const proc::OpenFd& open) {
    if (std::optional<ino_t> inode = pipe_inode(open.target)) return Identity{kAnyPipe, *inode};
    if (!open.target.starts_with('/')) return std::nullopt;  // sockets, anonymous inodes
    struct stat about {};
    const std::string link = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(open.fd);
    if (::stat(link.c_str(), &about) != 0) return std::nullopt;  // closed, or it exited
    return identity_from(about);
}

// nullopt for an fd that is not open (the caller's mistake, which its stage reports).
std::optional<Identity> identity_of(int fd) {
    struct stat about {};
    if (::fstat(fd, &about) != 0) return std::nullopt;
    return identity_from(about);
}

constexpr std::size_t kNoPipe = static_cast<std::size_t>(-1);

bool writes(const proc::OpenFd& open) {
    return open.flags >= 0 && (open.flags & O_ACCMODE) != O_RDONLY;
}

}  // namespace

void PipelineEnds::add_pipe(std::size_t index, int fd) {
    if (std::optional<Identity> id = identity_of(fd))
        ends_.push_back(End{id->device, id->inode, static_cast<int>(index),
                            static_cast<int>(index) + 1, index});
}

void PipelineEnds::add_stage_end(int stage, int fd) {
    std::optional<Identity> id = identity_of(fd);
    if (id && !find(id->device, id->inode))
        ends_.push_back(End{id->device, id->inode, stage, stage, kNoPipe});
}

void PipelineEnds::add_stage_file(int stage, const char* path) {
    unresolved_files_.push_back(NamedFile{stage, path});
}

// Only once processes are looked at: the stage may not have created its OUTFILE before.
void PipelineEnds::resolve_files() const {
    for (const NamedFile& file : unresolved_files_) {
        struct stat about {};
        if (::stat(file.path, &about) != 0) continue;
        std::optional<Identity> id = identity_from(about);
        if (id && !find(id->device, id->inode))
            ends_.push_back(End{id->device, id->inode, file.stage, file.stage, kNoPipe});
    }
    unresolved_files_.clear();
}

const PipelineEnds::End* PipelineEnds::find(dev_t device, ino_t inode) const {
    for (const End& end : ends_)
        if (end.device == device && end.inode == inode) return &end;
    return nullptr;
}

std::optional<int> PipelineEnds::stage_of(pid_t pid) const {
    resolve_files();
    if (ends_.empty()) return std::nullopt;
    for (const proc::OpenFd& open : readable_fds(pid)) {
        std::optional<Identity> id = identity_of(pid, open);
        const End* end = id ? find(id->device, id->inode) : nullptr;
        if (!end) continue;
        const int stage = writes(open) ? end->writer_stage : end->reader_stage;
        if (stage >= 0) return stage;
    }
    return std::nullopt;
}

// The fds of `pid` that are an end of pipe `pipe`, the write ends or the read ends.
std::vector<int> PipelineEnds::pipe_fds(pid_t pid, std::size_t pipe, bool write_end) const {
    std::vector<int> fds;
    for (const proc::OpenFd& open : readable_fds(pid)) {
        if (open.flags < 0 || writes(open) != write_end) continue;
        std::optional<ino_t> inode = pipe_inode(open.target);
        const End* end = inode ? find(kAnyPipe, *inode) : nullptr;
        if (end && end->pipe == pipe) fds.push_back(open.fd);
    }
    return fds;
}

std::vector<HeldWriteEnd> PipelineEnds::write_ends_held(pid_t pid, std::size_t pipe) const {
    std::vector<HeldWriteEnd> held;
    for (int fd : pipe_fds(pid, pipe, true)) held.push_back(HeldWriteEnd{fd, pipe});
    return held;
}

bool PipelineEnds::holds_read_end(pid_t pid, std::size_t pipe) const {
    return !pipe_fds(pid, pipe, false).empty();
}

}  // namespace pipex
