/// @file
/// Command words: how one CMD argument becomes an argv, with the shell's quoting rules and none
/// of its expansions.
///
///   'text'    literal, nothing is special inside
///   "text"    literal except \" \\ \$ \` (the backslash is dropped) and backslash-newline
///             (both dropped); any other backslash stays
///   \c        outside quotes: c literally; backslash-newline is dropped; a final lone
///             backslash stays
///   blanks    spaces, tabs and newlines separate words; '' and "" make an empty word
///   #         at the start of a word, a comment up to the end of the line (a#b is one word)
///
/// $VAR, ~, globs, ; | & < > and other operators are not interpreted: they are ordinary
/// characters, so `grep $HOME` searches for the text "$HOME".
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pipex {

/// Thrown for an unterminated quote; what() reads
/// "unexpected EOF while looking for matching `''" (or `"'), as bash says it.
class CommandSyntaxError : public std::runtime_error {
public:
    explicit CommandSyntaxError(char quote);
    char quote() const noexcept { return quote_; }

private:
    char quote_;
};

std::vector<std::string> split_command_words(std::string_view text);

}  // namespace pipex
