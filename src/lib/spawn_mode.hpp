// Which way spawn.cpp creates children (internal to the engine). clone(CLONE_VM) is the way
// wherever it works; posix_spawn is the fallback where it is refused (valgrind, some sandboxes,
// other architectures). Tests switch modes to check the fallback too.
#pragma once

namespace pipex {

enum class SpawnMode { CloneVm, PosixSpawn };

SpawnMode spawn_mode();

// Asking for CloneVm where it is not available leaves PosixSpawn.
void set_spawn_mode(SpawnMode mode);

}  // namespace pipex
