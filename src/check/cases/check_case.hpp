// One case of pipex-check's battery: the arguments a pipex is given, the files and input it
// finds, and what is checked beyond bash's own behaviour.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pipex::check {

// The groups a student recognises: the subject's mandatory part, its bonus, and beyond it.
enum class Group { Mandatory, Bonus, Beyond };

const char* group_name(Group group);  // "mandatory", "bonus", "beyond"

// PATH as the runs see it: the checker's standard one, unset, or set but empty.
enum class PathSetting { Standard, Unset, Empty };

// A file (or folder) laid out in both twin folders before the runs.
struct ScratchFile {
    std::string name;
    std::string content;
    mode_t mode = 0644;
    bool folder = false;
};

struct Case {
    std::string name;  // unique; `-k` matches it, and "GROUP/NAME"
    Group group = Group::Mandatory;
    std::string about;              // what it tests, in a few words
    std::vector<std::string> args;  // the program's arguments: INFILE CMD... OUTFILE, or here_doc
    std::vector<ScratchFile> files;
    std::string input;  // the program's stdin (the here-doc's text); bash reads it in its script
    PathSetting path = PathSetting::Standard;
    // bash reports a stage killed by a signal as a job (with pids): that is not compared.
    bool compare_stderr = true;
    // The first stage runs long enough that a pipex starting the next stage only after it
    // ended is seen doing so (stages run one after the other, not at the same time).
    bool stages_overlap = false;
    // Starts the program with fd 3 open on a file of its folder, as a caller may: no stage
    // may receive it. bash passes it on: this tests pipex's strictness, not bash's behaviour.
    bool inherited_fd = false;
    // Sent to the program (and to bash) half a second after it starts, as `kill PID` would:
    // the run must end, and leave nothing behind. 0: none.
    int signal_after_start = 0;
    // Also run under valgrind, when it is installed: the program's own leaks.
    bool valgrind = false;
    std::string note;  // what cannot be judged, said with the result
};

bool is_here_doc(const Case& c);

// The commands of a case: its arguments between INFILE (or here_doc LIMITER) and OUTFILE.
std::vector<std::string> commands_of(const Case& c);

}  // namespace pipex::check
