// Out of memory (a low RLIMIT_AS): pipex says so in one line, stops and reaps the stages it had
// started, and exits with status 1, instead of aborting on an uncaught std::bad_alloc.
#include "hostile.hpp"

namespace hostile {
namespace {

using hygiene::describe;

const std::string kOutOfMemory = "pipex: out of memory\n";
constexpr rlim_t kKiB = 1024;

// One command of 65,000 words, just under the kernel's limit on one argument (128 KiB): its
// words are held twice before anything runs (the builder's and the spec's), and starting it
// takes two more arrays of pointers, several hundred KiB each. Under a limit between those
// two sizes, the stage before it is running when memory runs out.
std::string command_of_many_words() {
    std::string command = "true";
    for (int i = 0; i < 65000; ++i) command += " a";
    return command;
}

// pipex's arguments, run with RLIMIT_AS at `limit` bytes; the stages inherit it.
RunResult run_limited(rlim_t limit, const std::vector<std::string>& args, const TempDir& dir) {
    RunSpec spec;
    spec.cwd = dir.path();
    spec.in_child = [limit] {
        const rlimit as{limit, limit};
        setrlimit(RLIMIT_AS, &as);
    };
    return hygiene::run_pipex(args, spec);
}

bool out_of_memory(const RunResult& r) {
    return r.exited() && r.exit_code() == 1 && r.err == kOutOfMemory;
}

class OutOfMemory : public hygiene::Fixture {};

TEST_F(OutOfMemory, SaidInOneLineAndTheStartedStagesAreStoppedAndReaped) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "RLIMIT_AS leaves no room for AddressSanitizer's shadow memory";
#endif
    TempDir dir;
    testsupport::write_file(dir / "in", "");
    const std::string many_words = command_of_many_words();

    // The limits in between differ from build to build: they are found with a first stage that
    // ends by itself (cat on an empty file), from a limit under which pipex runs out of memory
    // splitting the words up to the first under which the whole pipeline runs.
    std::vector<rlim_t> failing;
    rlim_t enough = 0;
    for (rlim_t limit = 4096 * kKiB; limit <= 32768 * kKiB && enough == 0; limit += 128 * kKiB) {
        const RunResult r = run_limited(limit, {"in", "cat", many_words, "out"}, dir);
        ASSERT_FALSE(r.timed_out) << describe(r);
        ASSERT_FALSE(r.signaled() && r.term_signal() == SIGABRT)
            << "limit " << limit / kKiB << " KiB: " << describe(r);
        if (out_of_memory(r)) failing.push_back(limit);
        if (r.exited() && r.exit_code() == 0) enough = limit;
    }
    ASSERT_NE(enough, 0U) << "no limit up to 32 MiB let the pipeline run";
    ASSERT_GE(failing.size(), 4U) << "too few limits under which pipex ran out of memory";
    ASSERT_LE(enough - failing.back(), 512 * kKiB)
        << "pipex should run out of memory just under " << enough / kKiB
        << " KiB, starting the last stage";

    // Just under the limit that was enough (a step or more, for margin), memory runs out as the
    // last stage starts: the first one, which would sleep for 30 s, is running by then, and must
    // not be left behind.
    const std::string first = hygiene::write_script(dir, "first.sh", "exec sleep 30\n");
    for (std::size_t k = 2; k <= 4; ++k) {
        const rlim_t limit = failing[failing.size() - k];
        const RunResult r = run_limited(limit, {"in", first, many_words, "out"}, dir);
        ASSERT_FALSE(r.timed_out) << "limit " << limit / kKiB << " KiB: " << describe(r);
        EXPECT_TRUE(out_of_memory(r)) << "limit " << limit / kKiB << " KiB: " << describe(r);
        hygiene::expect_nothing_left("limit " + std::to_string(limit / kKiB) + " KiB");
    }
}

}  // namespace
}  // namespace hostile
