// One timed run of one command: from the moment it is started until it and every process it
// started have ended.
#pragma once

#include "plan.hpp"

namespace bench {

struct Sample {
    double wall_ms = 0;
    double cpu_ms = 0;       // user + system time of the command and all its descendants
    long own_peak_kib = -1;  // only with Plan::own_peak
    int wait_status = 0;
};

// bench-timer must be a child subreaper (see main.cpp): a stage its launcher did not wait for
// (execline's pipeline leaves its earlier stages to the last one) is then reparented to us, and
// the run ends only when the last of them has ended, for every launcher alike.
Sample run_once(const CommandSpec& command, const Plan& plan);

}  // namespace bench
