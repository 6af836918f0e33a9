// What every case has in common: its group's name and where its commands are.
#include "check/cases/check_case.hpp"

namespace pipex::check {

const char* group_name(Group group) {
    switch (group) {
        case Group::Mandatory:
            return "mandatory";
        case Group::Bonus:
            return "bonus";
        case Group::Beyond:
            return "beyond";
    }
    return "?";
}

bool is_here_doc(const Case& c) { return !c.args.empty() && c.args.front() == "here_doc"; }

std::vector<std::string> commands_of(const Case& c) {
    const std::size_t first = is_here_doc(c) ? 2 : 1;
    if (c.args.size() < first + 1) return {};
    return {c.args.begin() + static_cast<std::ptrdiff_t>(first), c.args.end() - 1};
}

}  // namespace pipex::check
