// All stages run at the same time, and pipex holds no pipe end it does not need: a reader that
// leaves stops its writers, and a writer that ends gives its reader end-of-file.
#include "hygiene.hpp"

namespace hygiene {
namespace {

class Concurrency : public Fixture, public ::testing::WithParamInterface<bool> {};

// Stage K announces itself, then waits until every stage has: the pipeline can only finish if all
// stages are running at once (run one after another, the first would wait forever).
TEST_P(Concurrency, AllStagesRunAtOnce) {
    const bool here_doc = GetParam();
    constexpr int kStages = 4;
    TempDir dir;
    // $1: folder, $2: K, $3: number of stages.
    const std::string rendezvous =
        write_script(dir, "rendezvous.sh",
                     ": > \"$1/started$2\"\n"
                     "i=1\n"
                     "while [ $i -le $3 ]; do\n"
                     "  while [ ! -e \"$1/started$i\" ]; do sleep 0.01; done\n"
                     "  i=$((i + 1))\n"
                     "done\n"
                     "if [ $2 = 1 ]; then echo all $3 met; else exec cat; fi\n");
    std::vector<std::string> args;
    if (here_doc)
        args = {"here_doc", "EOF"};
    else
        args = {"/dev/null"};
    for (int k = 1; k <= kStages; ++k)
        args.push_back(rendezvous + " " + dir.path() + " " + std::to_string(k) + " " +
                       std::to_string(kStages));
    args.push_back(dir / "out");
    RunSpec spec;
    if (here_doc) spec.stdin_data = "ignored\nEOF\n";

    const RunResult r = run_pipex(args, spec);

    ASSERT_FALSE(r.timed_out) << "the stages never all ran at once; " << describe(r);
    EXPECT_EQ(r.shell_status(), 0) << describe(r);
    EXPECT_EQ(testsupport::read_file(dir / "out"), "all 4 met\n");
}

INSTANTIATE_TEST_SUITE_P(Forms, Concurrency, ::testing::Bool(),
                         [](const auto& p) { return p.param ? "HereDoc" : "File"; });

struct EofCase {
    const char* name;
    std::vector<std::string> args;  // INFILE CMD...; OUTFILE is appended
    std::size_t out_size;
    std::string out;  // expected OUTFILE, if not empty
};

void PrintTo(const EofCase& c, std::ostream* os) { *os << c.name; }

class EndOfStream : public Fixture, public ::testing::WithParamInterface<EofCase> {};

// Endless producers: these finish only if no stray copy of a pipe end keeps a pipe alive.
TEST_P(EndOfStream, EndlessProducersStopWhenTheReaderLeaves) {
    const EofCase& c = GetParam();
    TempDir dir;
    std::vector<std::string> args = c.args;
    args.push_back(dir / "out");

    const RunResult r = run_pipex(args, {});

    ASSERT_FALSE(r.timed_out) << "the pipeline never ended; " << describe(r);
    EXPECT_EQ(r.shell_status(), 0) << describe(r);
    EXPECT_EQ(r.err, "");
    const std::string out = testsupport::read_file(dir / "out");
    EXPECT_EQ(out.size(), c.out_size);
    if (!c.out.empty()) {
        EXPECT_EQ(out, c.out);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Pipelines, EndOfStream,
    ::testing::Values(
        EofCase{"YesHead", {"/dev/null", "yes", "head -n 1"}, 2, "y\n"},
        EofCase{"YesCatCatHead", {"/dev/null", "yes", "cat", "cat", "head -n 1"}, 2, "y\n"},
        EofCase{"UrandomCatHead", {"/dev/urandom", "cat", "head -c 10"}, 10, ""},
        EofCase{"UrandomCatCatHead", {"/dev/urandom", "cat", "cat", "head -c 10"}, 10, ""}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace hygiene
