// The births of fds, and the walk up the tree that finds where a leaked fd came from.
#include "audit/checks/fd_history.hpp"

#include <algorithm>

namespace pipex::audit {

void FdHistory::process_created(std::size_t process) { created_at_.try_emplace(process, ++clock_); }

void FdHistory::born(std::size_t process, const std::string& program, const FdState& made,
                     const char* call, std::optional<int> copy_of) {
    births_[process].push_back(Birth{++clock_, made.fd, made.target, program, call, made.cloexec,
                                     made.cloexec, copy_of, nullptr});
}

void FdHistory::flags_changed(std::size_t process, const std::string& program, const FdState& now,
                              const char* call) {
    std::vector<Birth>& births = births_[process];
    for (auto birth = births.rbegin(); birth != births.rend(); ++birth) {
        if (birth->fd != now.fd) continue;
        if (birth->target != now.target) break;  // another file, closed since
        if (birth->cloexec_now && !now.cloexec) birth->inheritable_by = call;
        if (!birth->cloexec_now && now.cloexec && !birth->cloexec_at_creation &&
            !birth->inheritable_by)
            late_cloexec_.push_back(
                LateCloexec{process, birth->program, now.fd, birth->call, call});
        birth->cloexec_now = now.cloexec;
        return;
    }
    // No birth seen here: the fd was made with O_CLOEXEC (the filter lets such calls run
    // unstopped) or inherited with it. Clearing the flag is then where the leak begins.
    if (!now.cloexec)
        births.push_back(
            Birth{++clock_, now.fd, now.target, program, "", true, false, std::nullopt, call});
}

// The births of fds the exec closed are of no more use; the others still name what the new
// program holds.
void FdHistory::exec(std::size_t process, const std::vector<int>& open_fds) {
    auto found = births_.find(process);
    if (found == births_.end()) return;
    std::vector<Birth>& births = found->second;
    std::erase_if(births, [&](const Birth& birth) {
        return std::find(open_fds.begin(), open_fds.end(), birth.fd) == open_fds.end();
    });
}

const FdHistory::Birth* FdHistory::last_birth(std::size_t process, int fd,
                                              std::uint64_t before) const {
    auto found = births_.find(process);
    if (found == births_.end()) return nullptr;
    const Birth* last = nullptr;
    for (const Birth& birth : found->second)
        if (birth.fd == fd && birth.when < before) last = &birth;
    return last;
}

std::optional<FdOrigin> FdHistory::origin(const ProcessTable& table, std::size_t process,
                                          const FdState& held) const {
    const int fd = held.fd;
    std::vector<std::size_t> inherited_by;  // from the receiver up
    std::uint64_t before = clock_ + 1;
    for (std::optional<std::size_t> at = process; at;) {
        if (const Birth* birth = last_birth(*at, fd, before)) {
            // Another file under this number: the one held came by a call that did not stop.
            if (birth->target != held.target) return std::nullopt;
            FdOrigin origin;
            origin.creator = *at;
            origin.creator_program = birth->program;
            origin.call = birth->call;
            origin.cloexec_at_creation = birth->cloexec_at_creation;
            origin.copy_of = birth->copy_of;
            if (birth->copy_of)
                if (const Birth* source = last_birth(*at, *birth->copy_of, birth->when))
                    origin.copy_of_call = source->call;
            if (birth->inheritable_by) {
                origin.inheritable_in = *at;
                origin.inheritable_by = birth->inheritable_by;
            }
            // The processes it went through, creator's child first, receiver excluded.
            for (auto step = inherited_by.rbegin(); step != inherited_by.rend(); ++step)
                if (*step != process) origin.passed_through.push_back(*step);
            return origin;
        }
        inherited_by.push_back(*at);
        auto created = created_at_.find(*at);
        if (created == created_at_.end()) return std::nullopt;
        before = created->second;
        at = table[*at].parent;
    }
    return std::nullopt;
}

}  // namespace pipex::audit
