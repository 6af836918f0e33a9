// Order statistics of a set of runs.
#include "stats.hpp"

#include <algorithm>

namespace bench {

Summary summarize(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    std::size_t n = values.size();
    double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return Summary{median, values.front(), values.back()};
}

}  // namespace bench
