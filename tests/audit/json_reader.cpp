// The tests' strict JSON reader.
#include "json_reader.hpp"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace json {
namespace {

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    Value document() {
        Value value = any();
        skip_space();
        if (at_ != text_.size()) fail("text after the value");
        return value;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(at_));
    }

    void skip_space() {
        while (at_ < text_.size() &&
               std::string_view(" \t\n\r").find(text_[at_]) != std::string_view::npos)
            ++at_;
    }

    char next() {
        if (at_ >= text_.size()) fail("unexpected end");
        return text_[at_++];
    }

    void expect(std::string_view word) {
        if (text_.substr(at_, word.size()) != word) fail("expected " + std::string(word));
        at_ += word.size();
    }

    Value any() {
        skip_space();
        if (at_ >= text_.size()) fail("missing value");
        Value value;
        switch (text_[at_]) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                value.type = Value::Type::String;
                value.text = string();
                return value;
            case 't':
                expect("true");
                value.type = Value::Type::Bool;
                value.boolean = true;
                return value;
            case 'f':
                expect("false");
                value.type = Value::Type::Bool;
                return value;
            case 'n':
                expect("null");
                return value;
            default:
                return number();
        }
    }

    Value object() {
        Value value;
        value.type = Value::Type::Object;
        ++at_;
        skip_space();
        if (at_ < text_.size() && text_[at_] == '}') return ++at_, value;
        for (;;) {
            skip_space();
            if (at_ >= text_.size() || text_[at_] != '"') fail("expected a key");
            std::string key = string();
            skip_space();
            if (next() != ':') fail("expected ':'");
            value.members.emplace_back(std::move(key), any());
            skip_space();
            char c = next();
            if (c == '}') return value;
            if (c != ',') fail("expected ',' or '}'");
        }
    }

    Value array() {
        Value value;
        value.type = Value::Type::Array;
        ++at_;
        skip_space();
        if (at_ < text_.size() && text_[at_] == ']') return ++at_, value;
        for (;;) {
            value.items.push_back(any());
            skip_space();
            char c = next();
            if (c == ']') return value;
            if (c != ',') fail("expected ',' or ']'");
        }
    }

    Value number() {
        std::size_t start = at_;
        if (at_ < text_.size() && text_[at_] == '-') ++at_;
        while (at_ < text_.size() &&
               std::string_view("0123456789.eE+-").find(text_[at_]) != std::string_view::npos)
            ++at_;
        std::string digits(text_.substr(start, at_ - start));
        char* end = nullptr;
        double number = std::strtod(digits.c_str(), &end);
        if (digits.empty() || end != digits.c_str() + digits.size()) fail("bad number");
        Value value;
        value.type = Value::Type::Number;
        value.number = number;
        return value;
    }

    unsigned hex4() {
        unsigned code = 0;
        for (int i = 0; i < 4; ++i) {
            char c = next();
            code <<= 4;
            if (c >= '0' && c <= '9')
                code |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                code |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                code |= static_cast<unsigned>(c - 'A' + 10);
            else
                fail("bad \\u escape");
        }
        return code;
    }

    static void append_utf8(std::string& out, unsigned code) {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    void escape(std::string& out) {
        char c = next();
        switch (c) {
            case '"':
            case '\\':
            case '/':
                out += c;
                return;
            case 'b':
                out += '\b';
                return;
            case 'f':
                out += '\f';
                return;
            case 'n':
                out += '\n';
                return;
            case 'r':
                out += '\r';
                return;
            case 't':
                out += '\t';
                return;
            case 'u':
                break;
            default:
                fail("bad escape");
        }
        unsigned code = hex4();
        if (code >= 0xD800 && code <= 0xDBFF) {
            expect("\\u");
            unsigned low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("bad surrogate pair");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, code);
    }

    std::string string() {
        ++at_;  // the opening quote
        std::string out;
        for (;;) {
            char c = next();
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("raw control character in a string");
            if (c == '\\')
                escape(out);
            else
                out += c;
        }
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

[[noreturn]] void wrong(const char* what) {
    throw std::runtime_error(std::string("JSON value is not ") + what);
}

}  // namespace

bool Value::has(std::string_view key) const {
    if (type != Type::Object) return false;
    for (const auto& member : members)
        if (member.first == key) return true;
    return false;
}

const Value& Value::operator[](std::string_view key) const {
    if (type != Type::Object) wrong("an object");
    for (const auto& member : members)
        if (member.first == key) return member.second;
    throw std::runtime_error("JSON object has no key " + std::string(key));
}

const Value& Value::operator[](std::size_t index) const {
    if (type != Type::Array) wrong("an array");
    if (index >= items.size()) throw std::runtime_error("JSON array index out of range");
    return items[index];
}

std::size_t Value::size() const {
    if (type == Type::Array) return items.size();
    if (type == Type::Object) return members.size();
    wrong("an array or object");
}

long long Value::integer() const {
    if (type != Type::Number || std::floor(number) != number) wrong("an integer");
    return static_cast<long long>(number);
}

const std::string& Value::str() const {
    if (type != Type::String) wrong("a string");
    return text;
}

bool Value::flag() const {
    if (type != Type::Bool) wrong("a boolean");
    return boolean;
}

Value parse(std::string_view text) { return Parser(text).document(); }

}  // namespace json
