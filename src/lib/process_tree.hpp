// The process tree under a running pipeline (internal to the engine): every process below the
// calling one as /proc shows it, and which of the pipeline's pipes and files each one holds, so
// that a process can be named by the stage it inherited them from.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <set>
#include <vector>

namespace pipex {

struct TreeProcess {
    pid_t pid = -1;
    pid_t root = -1;      // the caller's child it descends from (itself, for a child)
    bool exited = false;  // a zombie, not yet reaped by its parent
};

// Every process below the calling one, each listed after its parent, but for the subtrees of the
// children in `excluded` (the caller's own, from before the run). Throws SystemError when /proc
// cannot be read.
std::vector<TreeProcess> processes_below_self(const std::set<pid_t>& excluded);

// The write end of a pipeline pipe, held by some process.
struct HeldWriteEnd {
    int fd = -1;
    std::size_t pipe = 0;  // from stage `pipe` to stage `pipe + 1`
};

// What the pipeline's pipes and files are, by inode, to recognise them in another process's fds.
class PipelineEnds {
public:
    // The pipe from stage `index` to stage `index + 1`, given by either of its ends.
    void add_pipe(std::size_t index, int fd);
    // A pipe or file only `stage` was given (its input or output).
    void add_stage_end(int stage, int fd);
    // A file `stage` opens itself (INFILE, OUTFILE): recognised once it exists, by what its path
    // names when a process is looked at. `path` must outlive this object.
    void add_stage_file(int stage, const char* path);

    // The stage whose pipe or file `pid` holds, by its lowest fd that is one; nullopt when none.
    std::optional<int> stage_of(pid_t pid) const;
    // The write ends of pipe `pipe` that `pid` holds.
    std::vector<HeldWriteEnd> write_ends_held(pid_t pid, std::size_t pipe) const;
    // Whether `pid` holds the read end of pipe `pipe` (false once it is gone).
    bool holds_read_end(pid_t pid, std::size_t pipe) const;

private:
    struct End {
        dev_t device;
        ino_t inode;
        int writer_stage;  // the stage that writes to it, -1 for none
        int reader_stage;  // the stage that reads from it, -1 for none
        std::size_t pipe;  // for a pipe between stages; SIZE_MAX for a stage's own end
    };
    const End* find(dev_t device, ino_t inode) const;
    std::vector<int> pipe_fds(pid_t pid, std::size_t pipe, bool write_end) const;
    void resolve_files() const;
    mutable std::vector<End> ends_;
    struct NamedFile {
        int stage;
        const char* path;
    };
    mutable std::vector<NamedFile> unresolved_files_;
};

}  // namespace pipex
