// The case results' wire form between a worker and pipex-check.
#include "check/program/case_result.hpp"

#include <cstring>

namespace pipex::check {
namespace {

void record(std::string& out, char tag, const std::string& bytes) {
    out += tag;
    const std::size_t size = bytes.size();
    out.append(reinterpret_cast<const char*>(&size), sizeof size);
    out += bytes;
}

}  // namespace

std::string encode_result(const CaseResult& result) {
    std::string out;
    for (const Failure& failure : result.failures)
        record(out, 'F', std::string(1, static_cast<char>(failure.kind)) + failure.text);
    for (const std::string& note : result.notes) record(out, 'N', note);
    if (!result.trouble.empty()) record(out, 'T', result.trouble);
    record(out, 'S', std::to_string(result.seconds));
    record(out, 'E', "");  // the end: a result cut short has none
    return out;
}

std::optional<CaseResult> decode_result(const std::string& bytes, std::size_t index) {
    CaseResult result;
    result.index = index;
    for (std::size_t at = 0; at < bytes.size();) {
        std::size_t size = 0;
        if (bytes.size() - at < 1 + sizeof size) return std::nullopt;
        const char tag = bytes[at];
        std::memcpy(&size, bytes.data() + at + 1, sizeof size);
        at += 1 + sizeof size;
        if (bytes.size() - at < size) return std::nullopt;
        std::string text = bytes.substr(at, size);
        at += size;
        switch (tag) {
            case 'F':
                if (text.empty()) return std::nullopt;
                result.failures.push_back(
                    {static_cast<FailureKind>(static_cast<unsigned char>(text[0])),
                     text.substr(1)});
                break;
            case 'N':
                result.notes.push_back(std::move(text));
                break;
            case 'T':
                result.trouble = std::move(text);
                break;
            case 'S':
                result.seconds = std::strtod(text.c_str(), nullptr);
                break;
            case 'E':
                return at == bytes.size() ? std::optional<CaseResult>(std::move(result))
                                          : std::nullopt;
            default:
                return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace pipex::check
