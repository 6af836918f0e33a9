// The births of fds in the traced tree, to say where a leaked fd came from. Every system call
// that makes an fd or changes its close-on-exec flag is recorded when it returns (the tracer
// stops at those alone, fd_syscalls.hpp), with a sequence number, and so is the moment each
// process was created. An fd a process holds was then either born in it under that number (its
// last birth there), or inherited: held by its parent when the process was created, and so on up.
// Not followed: fds received over a socket (SCM_RIGHTS); close does not stop, so a birth is
// only taken for an fd that refers to the same file; a process started before the audit has no
// births (its fds came from the caller).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/checks/findings.hpp"
#include "audit/trace/process_table.hpp"

namespace pipex::audit {

// An fd as the kernel holds it right after a call: what it refers to (as /proc shows it) and
// its close-on-exec flag.
struct FdState {
    int fd = -1;
    std::string target;
    bool cloexec = false;
};

class FdHistory {
public:
    // A process seen for the first time: created now.
    void process_created(std::size_t process);

    // `made` of `process` was just made by `call` (a copy of `copy_of`, for the dup family).
    void born(std::size_t process, const std::string& program, const FdState& made,
              const char* call, std::optional<int> copy_of = std::nullopt);

    // `call` just set (`cloexec` true) or cleared close-on-exec on `fd` of `process`. Setting
    // it on an fd made without it is a race (LateCloexec), kept in late_cloexec().
    // With no birth of the fd in `process` (made with the flag, unstopped, or inherited), or
    // only one of another file under that number (closed since, the number reused by a call that
    // does not stop), clearing the flag records one there, made by an unknown call ("").
    void flags_changed(std::size_t process, const std::string& program, const FdState& now,
                       const char* call);

    const std::vector<LateCloexec>& late_cloexec() const { return late_cloexec_; }

    // At an exec of `process`, after its fds were checked: only `open_fds` survived it.
    void exec(std::size_t process, const std::vector<int>& open_fds);

    // Where `held`, held by `process` at its exec now, came from; nullopt when it was open
    // before the audit began or was made by a call that is not followed. A birth of another
    // file under the same number is not taken for it.
    std::optional<FdOrigin> origin(const ProcessTable& table, std::size_t process,
                                   const FdState& held) const;

private:
    struct Birth {
        std::uint64_t when = 0;
        int fd = -1;
        std::string target;
        std::string program;
        const char* call = "";
        bool cloexec_at_creation = false;
        bool cloexec_now = false;
        std::optional<int> copy_of;
        const char* inheritable_by = nullptr;
    };
    const Birth* last_birth(std::size_t process, int fd, std::uint64_t before) const;

    std::uint64_t clock_ = 0;
    std::map<std::size_t, std::vector<Birth>> births_;
    std::map<std::size_t, std::uint64_t> created_at_;
    std::vector<LateCloexec> late_cloexec_;
};

}  // namespace pipex::audit
