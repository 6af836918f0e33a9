// The calling process as a child subreaper (internal to the engine): for as long as the object
// lives, every process orphaned below it is re-parented to it instead of to init, so that it can
// reap them, and end them.
#pragma once

namespace pipex {

class SubreaperScope {
public:
    // Throws SystemError when the kernel refuses (before Linux 3.4).
    SubreaperScope();
    // Gives the role back when the process did not have it before. Processes re-parented
    // meanwhile stay its children.
    ~SubreaperScope();
    SubreaperScope(const SubreaperScope&) = delete;
    SubreaperScope& operator=(const SubreaperScope&) = delete;

private:
    bool was_subreaper_ = false;
};

}  // namespace pipex
