// The least any launcher can do for `< IN PROG1 | ... | PROGN > OUT`: open the two files, make the
// pipes, fork and exec each program (given by full path, no arguments), wait for them all.
// No PATH search, no quoting, no error messages, no fd hygiene: a reference for the start-up
// workload, to show how fast a pipeline of short programs can be on this machine, not a launcher.
// Linked statically, like pipex, so that its own start costs as little as a process can.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

int main(int argc, char** argv) {
    if (argc < 4) return 2;
    int input = ::open(argv[1], O_RDONLY | O_CLOEXEC);
    const int output = ::open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (input < 0 || output < 0) return 1;
    for (int i = 3; i < argc; ++i) {
        int pipe_ends[2] = {-1, output};
        if (i + 1 < argc && ::pipe2(pipe_ends, O_CLOEXEC) != 0) return 1;
        if (::fork() == 0) {
            ::dup2(input, 0);
            ::dup2(pipe_ends[1], 1);
            char* child_argv[] = {argv[i], nullptr};
            ::execve(argv[i], child_argv, environ);
            ::_exit(127);
        }
        ::close(input);
        if (i + 1 < argc) ::close(pipe_ends[1]);
        input = pipe_ends[0];
    }
    int status = 0, last = 0;
    while (::wait(&status) > 0) last = status;
    return WIFEXITED(last) ? WEXITSTATUS(last) : 1;
}
