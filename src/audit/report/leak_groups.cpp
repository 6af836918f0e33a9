// Grouping the leaks of one fd, for the readable report and the JSON document alike.
#include "audit/report/leak_groups.hpp"

#include <map>
#include <string>
#include <tuple>

namespace pipex::audit {

std::vector<LeakGroup> group_leaks(const std::vector<FdLeak>& leaks) {
    std::map<std::tuple<int, std::string, FdAccess>, std::size_t> group_of;
    std::vector<LeakGroup> groups;
    for (std::size_t i = 0; i < leaks.size(); ++i) {
        const HeldFd& fd = leaks[i].fd;
        auto [place, added] = group_of.try_emplace({fd.fd, fd.target, fd.access}, groups.size());
        if (added) groups.emplace_back();
        groups[place->second].push_back(i);
    }
    return groups;
}

}  // namespace pipex::audit
