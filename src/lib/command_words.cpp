// Splitting a command into words with the shell's quoting and none of its expansions.
#include "pipex/command_words.hpp"

namespace pipex {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

bool escapable_in_double_quotes(char c) { return c == '"' || c == '\\' || c == '$' || c == '`'; }

class WordSplitter {
public:
    explicit WordSplitter(std::string_view text) : text_(text) {}

    std::vector<std::string> split() {
        while (pos_ < text_.size()) {
            char c = text_[pos_++];
            if (is_blank(c)) {
                end_word();
            } else if (c == '#' && !in_word_) {
                skip_comment();
            } else if (c == '\'') {
                single_quoted();
            } else if (c == '"') {
                double_quoted();
            } else if (c == '\\') {
                escaped();
            } else {
                append(c);
            }
        }
        end_word();
        return std::move(words_);
    }

private:
    void append(char c) {
        word_ += c;
        in_word_ = true;
    }

    // A quote starts a word even if nothing ends up in it: '' is an empty argument.
    void open_quote() { in_word_ = true; }

    void end_word() {
        if (in_word_) words_.push_back(std::move(word_));
        word_.clear();
        in_word_ = false;
    }

    // As in a shell, an unquoted # that starts a word starts a comment, up to the end of the line.
    void skip_comment() {
        std::size_t newline = text_.find('\n', pos_);
        pos_ = newline == std::string_view::npos ? text_.size() : newline;
    }

    void single_quoted() {
        open_quote();
        std::size_t close = text_.find('\'', pos_);
        if (close == std::string_view::npos) throw CommandSyntaxError('\'');
        word_.append(text_.substr(pos_, close - pos_));
        pos_ = close + 1;
    }

    void double_quoted() {
        open_quote();
        for (;;) {
            if (pos_ >= text_.size()) throw CommandSyntaxError('"');
            char c = text_[pos_++];
            if (c == '"') return;
            if (c == '\\' && pos_ < text_.size()) {
                char next = text_[pos_];
                if (next == '\n') {
                    ++pos_;
                    continue;
                }
                if (escapable_in_double_quotes(next)) {
                    ++pos_;
                    c = next;
                }
            }
            word_ += c;
        }
    }

    void escaped() {
        if (pos_ >= text_.size()) {
            append('\\');
        } else if (text_[pos_] == '\n') {
            ++pos_;
        } else {
            append(text_[pos_++]);
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::string word_;
    bool in_word_ = false;
    std::vector<std::string> words_;
};

}  // namespace

CommandSyntaxError::CommandSyntaxError(char quote)
    : std::runtime_error(std::string("unexpected EOF while looking for matching `") + quote + "'"),
      quote_(quote) {}

std::vector<std::string> split_command_words(std::string_view text) {
    return WordSplitter(text).split();
}

}  // namespace pipex
