// The run's one waiting loop: reaping whatever ends, passing signals on to the whole tree, keeping
// the deadlines, and ending what is left once the stages have ended.
#include "supervisor.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>

#include "pipex/base/exit_status.hpp"
#include "pipex/base/proc_fs.hpp"
#include "pipex/base/system_error.hpp"
#include "report_words.hpp"
#include "stage_usage.hpp"

namespace pipex {
namespace {

// How often a tree being ended is looked at again: a process that forks while it is being ended
// leaves a child the last look did not see, and a grandchild's end sends pipex no SIGCHLD.
constexpr std::chrono::milliseconds kRecheck{50};

// A look at the children without reaping any: nullopt when there is none at all, else the pid of
// one that has ended, or 0 when all still run.
std::optional<pid_t> peek_child() {
    siginfo_t info{};
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0) return info.si_pid;
    if (errno == ECHILD) return std::nullopt;
    throw SystemError(errno, "waitid");
}

// Whether child `pid` has ended, left unreaped.
bool has_ended(pid_t pid) {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
}

// The children the calling process had before the run are its own business: never reaped or
// signalled here. One waitid tells the usual case, a process with no child at all.
std::set<pid_t> children_before_run() {
    if (!peek_child()) return {};
    std::vector<pid_t> children = proc::children_of(::getpid());
    return {children.begin(), children.end()};
}

timespec to_timespec(std::chrono::steady_clock::duration wait) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(wait);
    const auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(wait - seconds);
    return timespec{static_cast<time_t>(seconds.count()), static_cast<long>(nanoseconds.count())};
}

// The mask to wait with: the caller's, with the signals the supervisor acts on let through.
sigset_t wait_mask(const sigset_t& previous, bool forwarding) {
    sigset_t mask = previous;
    sigdelset(&mask, SIGCHLD);
    sigdelset(&mask, SIGALRM);
    if (forwarding)
        for (int signal : kStopSignals) sigdelset(&mask, signal);
    return mask;
}

// Sends `signal` then SIGCONT, so that a stopped process acts on it; false when it is gone.
bool send_with_continue(pid_t pid, int signal) {
    if (::kill(pid, signal) != 0) return false;
    ::kill(pid, SIGCONT);
    return true;
}

}  // namespace

Supervisor::Supervisor(const RunOptions& options, std::vector<pid_t>& stage_pids,
                       PipelineResult& result)
    : options_(options),
      policy_(options.containment),
      stage_pids_(stage_pids),
      result_(result),
      stage_done_(stage_pids.size(), false),
      started_at_(stage_pids.size()),
      callers_children_(children_before_run()),
      signals_(options.forward_signals, stage_pids) {
    if (policy_.timeout) signals_.arm_deadline(*policy_.timeout);
}

Supervisor::~Supervisor() {
    if (finished_) return;
    // An exception is on its way (out of memory, on_error throwing): nothing may outlive the run,
    // and nothing may be left unreaped. The tree is ended as at a timeout, without a word, since
    // saying it could throw again.
    try {
        RunSignalsBlocked blocked(RunSignalsBlocked::Which::All);
        const sigset_t mask = wait_mask(blocked.previous(), false);
        end_tree();
        const bool keep = policy_.left_running == LeftRunning::Keep;
        for (;;) {
            reap_ended();
            if (live_stages_ == 0 && (keep || !has_children())) break;
            if (Clock::now() >= *tree_kill_at_) kill_tree();
            const timespec recheck = to_timespec(kRecheck);
            ::ppoll(nullptr, 0, &recheck, &mask);
        }
    } catch (...) {
        // Nothing more can be done from a destructor.
    }
}

void Supervisor::started(std::size_t index, pid_t pid) {
    started_at_[index] = Clock::now();
    ++live_stages_;
    signals_.started(index, pid);
}

bool Supervisor::stop_requested() const {
    return signals_.received() != 0 || signals_.deadline_passed();
}

bool Supervisor::wait_readable(int fd) {
    return wait_until([this] { return stop_requested(); }, fd, POLLIN);
}

bool Supervisor::wait_writable(int fd) {
    return wait_until([this] { return stop_requested(); }, fd, POLLOUT);
}

void Supervisor::end_tree() {
    signal_tree(SIGTERM, true, false);
    if (!tree_kill_at_) tree_kill_at_ = Clock::now() + policy_.kill_after;
}

void Supervisor::finish() {
    wait_until([this] { return live_stages_ == 0; });
    if (policy_.left_running == LeftRunning::Keep) {
        if (has_children())
            for (const TreeProcess& process : tree())
                if (!process.exited)
                    result_.descendants.push_back(
                        Descendant{process.pid, proc::program_name(process.pid).value_or("?"),
                                   stage_of(process), Fate::Kept});
    } else if (tree_kill_at_) {
        // A signal, the timeout or a failed start is already ending the whole tree.
        wait_until([this] { return !has_children(); });
    } else if (has_children()) {
        end_descendants();
        wait_until([this] { return !has_children(); });
        report_descendants();
    }
    // Holders that ended with the rest, unseen by the last look.
    for (HolderEpisode& episode : episodes_)
        if (!episode.done && episode.kill_at) report_holders(episode);
    // Every writer is gone, but those kept running, which could write for ever.
    if (policy_.left_running == LeftRunning::Keep)
        drains_.take_what_is_there_and_close();
    else
        wait_until([this] { return drains_.empty(); });
    finished_ = true;
}

// ---- Waiting ---------------------------------------------------------------------------------

// The one place that waits: with the signals blocked, it reaps and reacts to whatever happened,
// then sleeps in ppoll, which lets them through, until the next event or deadline, reading the
// callback outputs meanwhile. Returns true when `fd` became ready for `events`, false once
// `done()` holds.
template <class Done>
bool Supervisor::wait_until(Done done, int fd, short events) {
    RunSignalsBlocked blocked(RunSignalsBlocked::Which::All);
    const sigset_t mask = wait_mask(blocked.previous(), options_.forward_signals);
    for (;;) {
        // Before reaping: a signal is answered with the tree as it was when it came.
        react();
        reap_ended();
        if (done()) return false;
        std::optional<Clock::duration> wait = next_wakeup(Clock::now());
        timespec timeout{};
        if (wait) timeout = to_timespec(*wait);
        poll_entries_.clear();
        drains_.add_poll_entries(poll_entries_);
        if (fd >= 0) poll_entries_.push_back(pollfd{fd, events, 0});
        const int ready =
            ::ppoll(poll_entries_.data(), poll_entries_.size(), wait ? &timeout : nullptr, &mask);
        if (ready < 0 && errno != EINTR) throw SystemError(errno, "ppoll");
        if (ready <= 0) continue;
        drains_.service(poll_entries_.data());
        if (fd >= 0 && poll_entries_.back().revents != 0) return true;
    }
}

std::optional<std::chrono::steady_clock::duration> Supervisor::next_wakeup(
    Clock::time_point now) const {
    std::optional<Clock::time_point> next;
    auto consider = [&](Clock::time_point at) { next = next ? std::min(*next, at) : at; };
    // A tree being ended is looked at again every kRecheck, for newcomers, then for survivors.
    auto consider_ending = [&](const std::optional<Clock::time_point>& kill_at) {
        if (kill_at) consider(*kill_at > now ? std::min(*kill_at, now + kRecheck) : now + kRecheck);
    };
    consider_ending(tree_kill_at_);
    if (ending_descendants_) consider_ending(descendants_kill_at_);
    for (const HolderEpisode& episode : episodes_) {
        if (episode.done) continue;
        if (episode.kill_at)
            consider(std::min(*episode.kill_at, now + kRecheck));
        else
            consider(episode.check_at);
    }
    if (!next) return std::nullopt;
    return std::max(*next - now, Clock::duration::zero());
}

// ---- Reaping ---------------------------------------------------------------------------------

void Supervisor::reap_ended() {
    while (std::optional<Reaped> ended = reap_one()) {
        if (std::optional<std::size_t> stage = running_stage(ended->pid))
            stage_ended(*stage, *ended);
    }
}

// One child that has ended, reaped: a stage, or a process re-parented to pipex.
std::optional<Supervisor::Reaped> Supervisor::reap_one() {
    if (callers_children_.empty() && !options_.count_bytes) {
        Reaped reaped{};
        const pid_t pid =
            retry_on_eintr([&] { return ::wait4(-1, &reaped.status, WNOHANG, &reaped.usage); });
        if (pid < 0 && errno != ECHILD) throw SystemError(errno, "waitpid");
        if (pid <= 0) return std::nullopt;
        reaped.pid = pid;
        return reaped;
    }
    // A look before reaping: the caller's own children are left to it, and a stage's
    // /proc/PID/io is read while the process is still there.
    const std::optional<pid_t> ended = peek_child();
    if (!ended || *ended == 0) return std::nullopt;
    if (!callers_children_.contains(*ended)) return reap(*ended);
    // One of the caller's ended children hides the others from that look: ask each of ours.
    for (pid_t child : proc::children_of(::getpid())) {
        if (callers_children_.contains(child)) continue;
        if (has_ended(child)) return reap(child);
    }
    return std::nullopt;
}

// `pid` has ended and is not reaped yet.
std::optional<Supervisor::Reaped> Supervisor::reap(pid_t pid) {
    Reaped reaped{};
    reaped.pid = pid;
    if (options_.count_bytes && running_stage(pid)) reaped.io = proc::io_counts(pid);
    if (retry_on_eintr([&] { return ::wait4(pid, &reaped.status, 0, &reaped.usage); }) < 0)
        throw SystemError(errno, "waitpid");
    return reaped;
}

// A scan from the first stage still running: stages mostly end in order, so it is short, and it
// costs no memory per stage.
std::optional<std::size_t> Supervisor::running_stage(pid_t pid) {
    while (first_running_ < stage_pids_.size() && stage_done_[first_running_]) ++first_running_;
    for (std::size_t index = first_running_; index < stage_pids_.size(); ++index)
        if (stage_pids_[index] == pid) return index;
    return std::nullopt;
}

void Supervisor::stage_ended(std::size_t index, const Reaped& reaped) {
    // Withdrawn from the signal handler at once, so that a recycled pid is never signalled.
    stage_pids_[index] = -1;
    stage_done_[index] = true;
    --live_stages_;
    StageResult& stage = result_.stages[index];
    const int wait_status = reaped.status;
    stage.signal = WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0;
    // A stage whose program could not run keeps the status reported with its error.
    if (stage.error.empty()) stage.status = shell_status(wait_status);
    stage.benign_sigpipe = stage.signal == SIGPIPE && reader_gone(index);
    stage.usage = stage_usage(reaped.pid, reaped.usage, reaped.io,
                              Clock::now() - started_at_[index], options_.count_bytes);
    const std::size_t next = index + 1;
    if (policy_.wait_delay && next < stage_pids_.size() && stage_pids_[next] > 0)
        episodes_.push_back(HolderEpisode{index, Clock::now() + *policy_.wait_delay, {}, {}});
}

// Whether the stage reading stage `index`'s output has let go of the pipe: ended, or never ran,
// or closed its stdin (an exiting process closes its fds before it is a zombie). A SIGPIPE is
// then the pipe's normal end. The last stage's reader is outside: unknown. A question about a
// report never fails the run: fds that cannot be read (an ended process's, for a user other
// than root) leave the answer unknown, so not benign.
bool Supervisor::reader_gone(std::size_t index) const {
    const std::size_t next = index + 1;
    if (next >= stage_pids_.size()) return false;
    const pid_t reader = stage_pids_[next];
    if (stage_done_[next] || reader <= 0) return true;
    if (has_ended(reader)) return true;  // not reaped yet
    try {
        return !ends_.holds_read_end(reader, index);
    } catch (const SystemError&) {
        return false;
    }
}

bool Supervisor::has_children() const {
    if (callers_children_.empty()) return peek_child().has_value();
    std::vector<pid_t> children = proc::children_of(::getpid());
    return std::any_of(children.begin(), children.end(),
                       [this](pid_t child) { return !callers_children_.contains(child); });
}

// ---- Signals and deadlines -------------------------------------------------------------------

void Supervisor::react() {
    if (signals_.received_count() != signals_handled_) {
        signals_handled_ = signals_.received_count();
        pass_on_signal();
    }
    // SIGALRM ends the stages and wakes the wait (SignalForwarding::arm_deadline).
    if (!timed_out_ && signals_.deadline_passed()) {
        timed_out_ = true;
        say("pipeline: timed out after " + format_duration(*policy_.timeout));
        report_holders_of_stuck_pipes();
        end_tree();
    }
    const Clock::time_point now = Clock::now();
    if (tree_kill_at_ && now >= *tree_kill_at_) kill_tree();
    if (tree_kill_at_ && tree_signal_.signal != 0 && now >= tree_signal_.next_look)
        signal_newcomers();
    if (ending_descendants_) step_descendants(now);
    if (!episodes_.empty()) step_holders(now);
}

// The handler has already passed the signal on to the stages; the rest of the tree gets it
// here, and all of it is killed if it has not ended when kill_after has passed.
[[gnu::cold]] void Supervisor::pass_on_signal() {
    report_holders_of_stuck_pipes();
    if (policy_.left_running == LeftRunning::Terminate)
        signal_tree(signals_.received(), false, signals_.received_by_group());
    if (!tree_kill_at_) tree_kill_at_ = Clock::now() + policy_.kill_after;
}

// Each process once, parents before children, and those that appear while the tree is being
// ended (react) once too. Descendants kept by the policy are left alone.
[[gnu::cold]] void Supervisor::signal_tree(int signal, bool include_stages, bool skip_own_group) {
    if (include_stages)  // the last first, as the handler does (signal_forwarding.cpp)
        for (auto pid = stage_pids_.rbegin(); pid != stage_pids_.rend(); ++pid)
            if (*pid > 0) send_with_continue(*pid, signal);
    if (policy_.left_running == LeftRunning::Keep) return;
    if (tree_signal_.signal != signal) tree_signal_ = TreeSignal{signal, skip_own_group, {}, {}};
    signal_newcomers();
}

// A process in pipex's own group already has a signal the kernel sent to the group; SIGCONT goes
// to all, a stopped process being deaf to all else. Who is gone is forgotten, so that a recycled
// pid counts as new.
[[gnu::cold]] void Supervisor::signal_newcomers() {
    const pid_t own_group = ::getpgrp();
    std::set<pid_t> present;
    for (const TreeProcess& process : tree()) {
        if (process.exited || running_stage(process.pid)) continue;
        present.insert(process.pid);
        if (tree_signal_.sent.contains(process.pid)) continue;
        if (tree_signal_.skip_own_group && ::getpgid(process.pid) == own_group)
            ::kill(process.pid, SIGCONT);
        else
            send_with_continue(process.pid, tree_signal_.signal);
    }
    tree_signal_.sent = std::move(present);
    tree_signal_.next_look = Clock::now() + kRecheck;
}

[[gnu::cold]] void Supervisor::kill_tree() {
    for (pid_t pid : stage_pids_)
        if (pid > 0) ::kill(pid, SIGKILL);
    if (policy_.left_running == LeftRunning::Keep) return;
    for (const TreeProcess& process : tree())
        if (!process.exited) ::kill(process.pid, SIGKILL);
}

// Why a stage that is still running has not seen end-of-file: a process other than the stage
// before it still holds the write end of its input pipe. Said when the run is interrupted or
// times out, the moment the question "why does it hang" is asked.
[[gnu::cold]] void Supervisor::report_holders_of_stuck_pipes() {
    for (std::size_t pipe = 0; pipe + 1 < stage_pids_.size(); ++pipe) {
        if (!stage_done_[pipe] || stage_pids_[pipe + 1] <= 0) continue;
        for (const TreeProcess& process : tree()) {
            if (process.exited) continue;
            for (const HeldWriteEnd& held : ends_.write_ends_held(process.pid, pipe)) {
                PipeHolder holder{process.pid,       proc::program_name(process.pid).value_or("?"),
                                  held.fd,           pipe,
                                  stage_of(process), Fate::Ended};
                say(describe_process(holder.pid, holder.program, holder.stage) +
                    ": holds the pipe from " + stage_name(pipe) + " to " + stage_name(pipe + 1) +
                    " open (fd " + std::to_string(holder.fd) + ") after " + stage_name(pipe) +
                    " ended");
                result_.holders.push_back(std::move(holder));
            }
        }
    }
}

// ---- What is left once the stages have ended -----------------------------------------------

[[gnu::cold]] void Supervisor::end_descendants() {
    ending_descendants_ = true;
    descendants_kill_at_ = Clock::now() + policy_.kill_after;
    look_at_descendants(false);
}

// Until kill_after has passed, a descendant seen for the first time (orphaned or forked since the
// last look) gets SIGTERM; then all get SIGKILL.
[[gnu::cold]] void Supervisor::step_descendants(Clock::time_point now) {
    const bool kill = now >= *descendants_kill_at_;
    if (kill || now >= next_descendants_look_) look_at_descendants(kill);
}

[[gnu::cold]] void Supervisor::look_at_descendants(bool kill) {
    for (const TreeProcess& process : tree()) {
        // A holder past the wait delay is being ended already, on its own clock.
        if (process.exited || being_ended_as_holder(process.pid)) continue;
        auto known = descendant_index_.find(process.pid);
        if (known == descendant_index_.end()) {
            known = descendant_index_.emplace(process.pid, result_.descendants.size()).first;
            result_.descendants.push_back(Descendant{process.pid,
                                                     proc::program_name(process.pid).value_or("?"),
                                                     stage_of(process), Fate::Terminated});
            if (!kill && !send_with_continue(process.pid, SIGTERM))
                result_.descendants.back().fate = Fate::Ended;
        }
        if (kill && ::kill(process.pid, SIGKILL) == 0)
            result_.descendants[known->second].fate = Fate::Killed;
    }
    next_descendants_look_ = Clock::now() + kRecheck;
}

[[gnu::cold]] void Supervisor::report_descendants() {
    for (const Descendant& descendant : result_.descendants)
        if (descendant.fate == Fate::Terminated || descendant.fate == Fate::Killed)
            say(describe_process(descendant.pid, descendant.program, descendant.stage) +
                ": still running when the pipeline ended: " + fate_word(descendant.fate));
}

// ---- Holders of a pipe past the wait delay ---------------------------------------------------

[[gnu::cold]] void Supervisor::step_holders(Clock::time_point now) {
    for (HolderEpisode& episode : episodes_) {
        if (episode.done) continue;
        if (!episode.kill_at) {
            if (now < episode.check_at) continue;
            episode.done = stage_pids_[episode.pipe + 1] <= 0;  // nobody waits for the end now
            if (!episode.done) end_holders(episode);
            continue;
        }
        std::vector<TreeProcess> processes = tree();
        bool alive = false;
        for (std::size_t index : episode.holders) {
            PipeHolder& holder = result_.holders[index];
            const bool running =
                std::any_of(processes.begin(), processes.end(),
                            [&](const TreeProcess& p) { return p.pid == holder.pid && !p.exited; });
            if (!running) continue;
            alive = true;
            if (now >= *episode.kill_at && ::kill(holder.pid, SIGKILL) == 0)
                holder.fate = Fate::Killed;
        }
        if (alive && now < *episode.kill_at) continue;
        report_holders(episode);
    }
    std::erase_if(episodes_, [](const HolderEpisode& episode) { return episode.done; });
}

[[gnu::cold]] void Supervisor::report_holders(HolderEpisode& episode) {
    episode.done = true;
    for (std::size_t index : episode.holders) {
        const PipeHolder& holder = result_.holders[index];
        say(describe_process(holder.pid, holder.program, holder.stage) + ": held the pipe from " +
            stage_name(holder.pipe) + " to " + stage_name(holder.pipe + 1) + " open (fd " +
            std::to_string(holder.fd) + ") " + format_duration(*policy_.wait_delay) + " after " +
            stage_name(holder.pipe) + " ended: " + fate_word(holder.fate));
    }
}

[[gnu::cold]] bool Supervisor::being_ended_as_holder(pid_t pid) const {
    for (const HolderEpisode& episode : episodes_)
        if (!episode.done && episode.kill_at)
            for (std::size_t index : episode.holders)
                if (result_.holders[index].pid == pid) return true;
    return false;
}

// The wait delay is over and the next stage still waits: whoever holds the write end is ended.
[[gnu::cold]] void Supervisor::end_holders(HolderEpisode& episode) {
    const std::size_t pipe = episode.pipe;
    for (const TreeProcess& process : tree()) {
        if (process.exited) continue;
        std::vector<HeldWriteEnd> held = ends_.write_ends_held(process.pid, pipe);
        if (held.empty()) continue;
        const std::string program = proc::program_name(process.pid).value_or("?");
        const std::optional<int> stage = stage_of(process);
        const bool sent = send_with_continue(process.pid, SIGTERM);
        for (const HeldWriteEnd& end : held) {
            episode.holders.push_back(result_.holders.size());
            result_.holders.push_back(PipeHolder{process.pid, program, end.fd, pipe, stage,
                                                 sent ? Fate::Terminated : Fate::Ended});
        }
    }
    if (episode.holders.empty())
        episode.done = true;
    else
        episode.kill_at = Clock::now() + policy_.kill_after;
}

// ---- Naming the processes --------------------------------------------------------------------

[[gnu::cold]] std::vector<TreeProcess> Supervisor::tree() const {
    return processes_below_self(callers_children_);
}

// A process below a running stage was started by it. One re-parented to pipex is named by the
// pipes and files it (or the first of its line to be orphaned) inherited from a stage.
[[gnu::cold]] std::optional<int> Supervisor::stage_of(const TreeProcess& process) {
    if (std::optional<std::size_t> stage = running_stage(process.root))
        return static_cast<int>(*stage);
    auto known = root_stage_.find(process.root);
    if (known == root_stage_.end())
        known = root_stage_.emplace(process.root, ends_.stage_of(process.root)).first;
    if (known->second || process.pid == process.root) return known->second;
    return ends_.stage_of(process.pid);
}

void Supervisor::say(const std::string& line) const {
    if (options_.on_error) options_.on_error(line);
}

}  // namespace pipex
