// Where a case runs. Each worker (one process per case) gets a /tmp of its own: a tmpfs in a
// mount namespace of its own, so the program's temporary files are seen and never touch the
// machine's /tmp, and everything is gone when the worker ends. As root the worker then becomes
// the unprivileged user 65534, so permissions mean what they say; without root it uses a user
// namespace for the mount, and without one it falls back to a folder under $TMPDIR (the /tmp
// checks are then skipped, and the report says why).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "check/cases/check_case.hpp"

namespace pipex::check {

struct Sandbox {
    std::string root;          // the worker's folder: bin/, bash/, program/ are in it
    std::string program;       // the program under test, copied into bin/
    std::string program_name;  // its file name: its argv[0], the name its messages use
    bool private_tmp = false;
    std::string private_tmp_off;  // why not, when not
    bool owns_root = false;       // a folder of the machine's: removed when the worker ends
    std::string bash_folder() const { return root + "/bash"; }
    std::string program_folder() const { return root + "/program"; }
};

// Enters the sandbox, copying the program in. Called once, first thing in a worker (a
// process of its own: it changes its namespaces and its user). Throws SystemError.
Sandbox enter_sandbox(const std::string& program_path);

// Removes the worker's folder when it is one of the machine's.
void leave_sandbox(const Sandbox& sandbox) noexcept;

// Lays the case's files out in both twin folders, made empty first. Throws SystemError.
void lay_out_twins(const Sandbox& sandbox, const Case& c);

}  // namespace pipex::check
