// Splitting a command string into words the way a POSIX shell would, without expanding anything:
// for variables such as DISTCC_SSH="ssh -p 2222 -o 'ProxyCommand=nc %h %p'". Pure.
//
//   blanks (space, tab, newline) separate words;
//   '...' keeps everything literally;
//   "..." keeps everything except that \" \\ \$ \` and backslash-newline are escapes;
//   \c outside quotes is a literal c, backslash-newline joins lines;
//   '' and "" make an empty word.
//
// $VAR, `cmd`, globs and ~ are not expanded: the text is not run by a shell, so they stay literal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace dcc {

// Fails (bad_arguments) only for an unterminated quote; the message names the quote and where it
// opened: "unterminated single quote (opened at column 7)". The caller names the variable.
Result<std::vector<std::string>> split_shell_words(std::string_view text);

}  // namespace dcc
