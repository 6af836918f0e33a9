// The worker's own /tmp and user, the program copied in, the twin folders laid out.
#include "check/run/sandbox.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "check/run/memory_file.hpp"
#include "pipex/base/io.hpp"
#include "pipex/base/open.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::check {
namespace {

constexpr uid_t kUnprivileged = 65534;  // nobody, nogroup
const char* const kPrivateRoot = "/tmp/pipex-check";

std::string read_whole(const std::string& path) {
    OpenResult opened = open_file(path, O_RDONLY);
    if (!opened.fd) throw SystemError(opened.error, path);
    return read_whole_file(opened.fd.get(), path);
}

void write_file(const std::string& path, const std::string& bytes, mode_t mode) {
    OpenResult opened = open_file(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (!opened.fd) throw SystemError(opened.error, path);
    if (int error = write_all(opened.fd.get(), bytes)) throw SystemError(error, path);
    // The umask must not decide a mode the case asked for.
    if (::fchmod(opened.fd.get(), mode) != 0) throw SystemError(errno, path);
}

void make_folder(const std::string& path, mode_t mode) {
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) throw SystemError(errno, path);
    if (::chmod(path.c_str(), mode) != 0) throw SystemError(errno, path);
}

void write_proc_file(const std::string& path, const std::string& text) {
    OpenResult opened = open_file(path, O_WRONLY);
    if (!opened.fd) throw SystemError(opened.error, path);
    if (int error = write_all(opened.fd.get(), text)) throw SystemError(error, path);
}

// A user namespace where this process keeps its own uid and gid, for the right to mount.
void enter_user_namespace() {
    const uid_t uid = ::getuid();
    const gid_t gid = ::getgid();
    if (::unshare(CLONE_NEWUSER) != 0) throw SystemError(errno, "unshare(CLONE_NEWUSER)");
    write_proc_file("/proc/self/setgroups", "deny");
    write_proc_file("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1");
    write_proc_file("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1");
}

// A tmpfs on /tmp, seen by this process and what it starts only.
void mount_private_tmp() {
    if (::unshare(CLONE_NEWNS) != 0) throw SystemError(errno, "unshare(CLONE_NEWNS)");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        throw SystemError(errno, "mount --make-rprivate /");
    if (::mount("pipex-check", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0)
        throw SystemError(errno, "mount tmpfs /tmp");
}

void become_unprivileged() {
    if (::setgroups(0, nullptr) != 0) throw SystemError(errno, "setgroups");
    if (::setresgid(kUnprivileged, kUnprivileged, kUnprivileged) != 0)
        throw SystemError(errno, "setresgid(65534)");
    if (::setresuid(kUnprivileged, kUnprivileged, kUnprivileged) != 0)
        throw SystemError(errno, "setresuid(65534)");
    // A changed user makes a process undumpable: its /proc files would be root's.
    if (::prctl(PR_SET_DUMPABLE, 1) != 0) throw SystemError(errno, "prctl(PR_SET_DUMPABLE)");
}

std::string machine_folder() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/pipex-check.XXXXXX";
    if (!::mkdtemp(pattern.data())) throw SystemError(errno, pattern);
    return pattern;
}

}  // namespace

Sandbox enter_sandbox(const std::string& program_path) {
    Sandbox sandbox;
    const std::string program = read_whole(program_path);  // while the caller's rights hold
    sandbox.program_name = std::filesystem::path(program_path).filename().string();
    const bool root = ::geteuid() == 0;
    try {
        if (!root) enter_user_namespace();
        mount_private_tmp();
        sandbox.private_tmp = true;
        sandbox.root = kPrivateRoot;
    } catch (const SystemError& error) {
        sandbox.private_tmp_off = error.what();
    }
    if (root) become_unprivileged();
    ::umask(022);
    if (!sandbox.private_tmp) {
        sandbox.root = machine_folder();
        sandbox.owns_root = true;
    }
    make_folder(sandbox.root, 0755);
    make_folder(sandbox.root + "/bin", 0755);
    sandbox.program = sandbox.root + "/bin/" + sandbox.program_name;
    write_file(sandbox.program, program, 0755);
    return sandbox;
}

void leave_sandbox(const Sandbox& sandbox) noexcept {
    if (!sandbox.owns_root) return;
    std::error_code ignored;
    std::filesystem::remove_all(sandbox.root, ignored);
}

void lay_out_twins(const Sandbox& sandbox, const Case& c) {
    for (const std::string& folder : {sandbox.bash_folder(), sandbox.program_folder()}) {
        std::error_code error;
        // A case may have made a file unwritable, or a folder unreadable: its owner may still
        // change that.
        std::filesystem::remove_all(folder, error);
        make_folder(folder, 0755);
        for (const ScratchFile& file : c.files) {
            const std::string path = folder + "/" + file.name;
            if (file.folder)
                make_folder(path, file.mode);
            else
                write_file(path, file.content, file.mode);
        }
    }
}

}  // namespace pipex::check
