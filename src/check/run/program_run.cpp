// Running the program under test under the tracer, in its twin folder.
#include "check/run/program_run.hpp"

#include <fcntl.h>

#include <memory>

#include "audit/trace/launcher.hpp"
#include "check/run/memory_file.hpp"
#include "check/run/plain_run.hpp"
#include "check/run/tmp_watch.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::check {

ProgramRun run_program(const Sandbox& sandbox, const Case& c, const RunEnvironment& env,
                       const audit::SignalGate& signals, std::chrono::milliseconds timeout) {
    UniqueFd in = memory_file("program-stdin", c.input);
    UniqueFd out = output_memory_file("program-stdout");
    UniqueFd err = output_memory_file("program-stderr");
    const std::string folder = sandbox.program_folder();
    UniqueFd inherited;
    if (c.inherited_fd) {
        OpenResult opened = open_file(sandbox.root + "/inherited.txt", O_WRONLY | O_CREAT, 0644);
        if (!opened.fd) throw SystemError(opened.error, "inherited.txt");
        inherited = std::move(opened.fd);
    }
    std::unique_ptr<TmpWatch> watch;
    if (sandbox.private_tmp) watch = std::make_unique<TmpWatch>("/tmp", "pipex-check");

    std::vector<std::string> argv = {sandbox.program_name};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    audit::ChildSetup setup;
    setup.program = sandbox.program.c_str();
    setup.folder = folder.c_str();
    setup.envp = env.envp();
    setup.stdio[0] = in.get();
    setup.stdio[1] = out.get();
    setup.stdio[2] = err.get();
    setup.fd3 = inherited ? inherited.get() : -1;

    ProgramRun run;
    audit::Launched launched = audit::launch_traced(argv, signals, false, setup);
    run.table.add_top(launched.pid);
    audit::Tracer tracer(run.table, run.findings, signals, audit::ExecPolicy{}, timeout);
    if (c.signal_after_start) tracer.signal_top_after(kSignalDelay, c.signal_after_start);
    try {
        run.outcome = tracer.run(std::move(launched.exec_error));
    } catch (...) {
        tracer.kill_everything();
        end_leftovers();
        throw;
    }
    run.timed_out = run.findings.hang_after_expired;
    run.io = {read_whole_file(out.get(), "stdout memfd"),
              read_whole_file(err.get(), "stderr memfd")};
    if (watch) run.tmp_created = watch->created();
    return run;
}

}  // namespace pipex::check
