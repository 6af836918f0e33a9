// A JSON writer that gets commas, nesting and escaping right, and keeps its text valid UTF-8.
#include "pipex/base/json_writer.hpp"

#include <cstdio>
#include <optional>

#include "pipex/base/utf8.hpp"

namespace pipex {
namespace {

void append_escaped(std::string& out, char c) {
    switch (c) {
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        default:
            break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
        char code[8];
        std::snprintf(code, sizeof code, "\\u%04x",
                      static_cast<unsigned>(static_cast<unsigned char>(c)));
        out += code;
        return;
    }
    out += c;
}

// Printable ASCII other than '"' and '\\' goes out as it is, a run at a time.
bool plain_ascii(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x80 && c != '"' && c != '\\';
}

}  // namespace

std::string json_string(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (std::size_t at = 0; at < text.size();) {
        std::size_t run = at;
        while (run < text.size() && plain_ascii(text[run])) ++run;
        out.append(text, at, run - at);
        if ((at = run) == text.size()) break;
        std::optional<Utf8Char> character = decode_utf8(text, at);
        const std::size_t length = character ? character->length : 0;
        if (length == 0) {
            out += "\\ufffd";
            ++at;
        } else if (length == 1) {
            append_escaped(out, text[at++]);
        } else {
            out.append(text, at, length);
            at += length;
        }
    }
    out += '"';
    return out;
}

JsonWriter& JsonWriter::begin_object() {
    open('{');
    return *this;
}
JsonWriter& JsonWriter::end_object() {
    close('}');
    return *this;
}
JsonWriter& JsonWriter::begin_array() {
    open('[');
    return *this;
}
JsonWriter& JsonWriter::end_array() {
    close(']');
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    before_value();
    out_ += json_string(name);
    out_ += ": ";
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    before_value();
    out_ += json_string(text);
    return *this;
}

JsonWriter& JsonWriter::value(long long number) { return value_text(std::to_string(number)); }

JsonWriter& JsonWriter::value_text(const std::string& text) {
    before_value();
    out_ += text;
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    before_value();
    out_ += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter& JsonWriter::strings(const std::vector<std::string>& list) {
    begin_array();
    for (const std::string& item : list) value(item);
    return end_array();
}

void JsonWriter::finish() {
    if (!sink_) return;
    out_ += '\n';
    sink_(out_);
    out_.clear();
}

void JsonWriter::flush_if_full() {
    constexpr std::size_t kChunk = 8 << 10;
    if (!sink_ || out_.size() < kChunk) return;
    sink_(out_);
    out_.clear();
}

// A value right after its key goes on the same line; any other starts a new, indented line.
void JsonWriter::before_value() {
    flush_if_full();
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (has_items_.empty()) return;
    if (has_items_.back()) out_ += ',';
    has_items_.back() = true;
    out_ += '\n';
    out_.append(2 * has_items_.size(), ' ');
}

void JsonWriter::open(char bracket) {
    before_value();
    out_ += bracket;
    has_items_.push_back(false);
}

void JsonWriter::close(char bracket) {
    bool had_items = has_items_.back();
    has_items_.pop_back();
    if (had_items) {
        out_ += '\n';
        out_.append(2 * has_items_.size(), ' ');
    }
    out_ += bracket;
}

}  // namespace pipex
