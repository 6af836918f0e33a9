// The workers, run side by side: one poll loop that reads their results and hears stop requests.
#include "check/program/scheduler.hpp"

#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <map>
#include <optional>

#include "check/cases/battery.hpp"
#include "check/run/bash_run.hpp"
#include "pipex/base/exit_status.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/pipe.hpp"
#include "pipex/base/signals.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::check {
namespace {

volatile sig_atomic_t g_stop_signal = 0;

void note_stop(int signal) { g_stop_signal = signal; }

struct Worker {
    pid_t pid = -1;
    std::size_t slot = 0;  // into `selected`
    UniqueFd result;
    std::string bytes;
    std::chrono::steady_clock::time_point deadline;
};

// Stop requests are blocked except inside ppoll, where they interrupt it and leave their
// number in g_stop_signal: none can slip in between the check and the wait. Those the caller
// ignored stay ignored.
class StopRequests {
public:
    StopRequests() {
        sigset_t blocked;
        sigemptyset(&blocked);
        for (int signal : kStopSignals) {
            struct sigaction current {};
            ::sigaction(signal, nullptr, &current);
            if (current.sa_handler == SIG_IGN) continue;
            struct sigaction action {};
            action.sa_handler = note_stop;
            sigemptyset(&action.sa_mask);
            ::sigaction(signal, &action, nullptr);
            sigaddset(&blocked, signal);
        }
        ::sigprocmask(SIG_BLOCK, &blocked, &caller_mask_);
    }
    const sigset_t& caller_mask() const { return caller_mask_; }

private:
    sigset_t caller_mask_{};
};

CaseResult unjudged(std::size_t index, std::string why) {
    CaseResult result;
    result.index = index;
    result.trouble = std::move(why);
    return result;
}

class Scheduler {
public:
    Scheduler(const std::vector<std::size_t>& selected, const WorkerConfig& config, unsigned jobs,
              const std::function<void(const CaseResult&)>& on_result)
        : selected_(selected), config_(config), jobs_(jobs ? jobs : 1), on_result_(on_result) {}

    ScheduleOutcome run() {
        while (next_ < selected_.size() || !running_.empty()) {
            while (running_.size() < jobs_ && next_ < selected_.size() && !g_stop_signal)
                start(next_++);
            if (g_stop_signal) break;
            wait_for_results();
        }
        ScheduleOutcome outcome;
        outcome.stop_signal = g_stop_signal;
        if (outcome.stop_signal) end_all();
        for (auto& [slot, result] : done_) outcome.results.push_back(std::move(result));
        return outcome;
    }

private:
    void start(std::size_t slot) {
        Pipe pipe = make_pipe();
        const std::size_t index = selected_[slot];
        pid_t pid = ::fork();
        if (pid < 0) throw SystemError(errno, "fork");
        if (pid == 0) {
            pipe.read_end.reset();
            run_worker(battery()[index], index, config_, pipe.write_end.get());
        }
        Worker worker{
            pid,
            slot,
            std::move(pipe.read_end),
            {},
            std::chrono::steady_clock::now() + 3 * config_.timeout + std::chrono::seconds(60)};
        running_.push_back(std::move(worker));
    }

    void wait_for_results() {
        std::vector<pollfd> fds;
        auto now = std::chrono::steady_clock::now();
        auto first_deadline = running_.front().deadline;
        for (const Worker& worker : running_) {
            fds.push_back({worker.result.get(), POLLIN, 0});
            first_deadline = std::min(first_deadline, worker.deadline);
        }
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(first_deadline - now);
        if (wait.count() < 0) wait = std::chrono::milliseconds(0);
        timespec limit{static_cast<time_t>(wait.count() / 1000), (wait.count() % 1000) * 1000000};
        int ready = ::ppoll(fds.data(), fds.size(), &limit, &config_.caller_mask);
        if (ready < 0 && errno != EINTR) throw SystemError(errno, "ppoll");
        for (std::size_t i = fds.size(); i-- > 0;) {
            Worker& worker = running_[i];
            if (ready > 0 && fds[i].revents)
                read_from(i);
            else if (std::chrono::steady_clock::now() >= worker.deadline)
                give_up(i);
        }
    }

    void read_from(std::size_t i) {
        Worker& worker = running_[i];
        char buffer[65536];
        ssize_t got = read_some(worker.result.get(), buffer, sizeof buffer);
        if (got > 0) {
            worker.bytes.append(buffer, static_cast<std::size_t>(got));
            return;
        }
        int status = 0;
        retry_on_eintr([&] { return ::waitpid(worker.pid, &status, 0); });
        const std::size_t index = selected_[worker.slot];
        std::optional<CaseResult> result = decode_result(worker.bytes, index);
        finish(worker.slot, result ? std::move(*result)
                                   : unjudged(index, "its worker ended without a result (" +
                                                         describe_wait_status(status) + ")"));
        running_.erase(running_.begin() + static_cast<long>(i));
    }

    void give_up(std::size_t i) {
        Worker& worker = running_[i];
        ::kill(worker.pid, SIGKILL);
        int status = 0;
        retry_on_eintr([&] { return ::waitpid(worker.pid, &status, 0); });
        finish(worker.slot, unjudged(selected_[worker.slot], "its worker did not end in time"));
        running_.erase(running_.begin() + static_cast<long>(i));
    }

    // Results are passed on in the order of `selected`, each as soon as those before it are.
    void finish(std::size_t slot, CaseResult result) {
        done_.emplace(slot, std::move(result));
        for (auto it = done_.find(reported_); it != done_.end(); it = done_.find(++reported_))
            on_result_(it->second);
    }

    void end_all() noexcept {
        for (const Worker& worker : running_) ::kill(worker.pid, SIGKILL);
        running_.clear();
        end_leftovers();  // the workers, and whatever of their trees came to pipex-check
    }

    const std::vector<std::size_t>& selected_;
    const WorkerConfig& config_;
    const unsigned jobs_;
    const std::function<void(const CaseResult&)>& on_result_;
    std::vector<Worker> running_;
    std::map<std::size_t, CaseResult> done_;
    std::size_t next_ = 0;
    std::size_t reported_ = 0;
};

}  // namespace

ScheduleOutcome run_cases(const std::vector<std::size_t>& selected, const WorkerConfig& config,
                          unsigned jobs, const std::function<void(const CaseResult&)>& on_result) {
    StopRequests stops;
    WorkerConfig with_mask = config;
    with_mask.caller_mask = stops.caller_mask();
    // What a case leaves behind when its worker dies comes here, to be ended.
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        throw SystemError(errno, "prctl(PR_SET_CHILD_SUBREAPER)");
    return Scheduler(selected, with_mask, jobs, on_result).run();
}

}  // namespace pipex::check
