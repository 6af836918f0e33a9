// Order statistics of a set of runs: the median is what results compare, because a run that the
// machine interrupted is slow by any amount, and min-max shows how much that happened.
#pragma once

#include <vector>

namespace bench {

struct Summary {
    double median = 0;
    double min = 0;
    double max = 0;
};

// values must not be empty.
Summary summarize(std::vector<double> values);

}  // namespace bench
