// Shrinking GCC's `-E -fdirectives-only` output before it is sent.
//
// That output copies the source text between directives verbatim, so it keeps every comment of
// every header: a hello-world is 118 KB instead of 20 KB. The server compiles it with
// `-fpreprocessed -fdirectives-only`, so a comment there is whitespace to the compiler. Blanking
// the comments (and the trailing blanks they leave) roughly halves the text and makes it compress
// several times better, while every token keeps its line and column, so the object, its debug
// info and the diagnostics stay what a local compile gives.
//
// Pure functions: no environment, no file system, no global state.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace dcc {

// Replaces the contents of every comment in directives-only preprocessor output with spaces,
// keeping every newline (so every token keeps its line AND column), then drops trailing blanks at
// the end of each line. Returns nullopt if it cannot be sure the result is equivalent (then the
// caller sends the text unchanged).
//
// The text is lexed as GCC lexes it: string and character literals (an unterminated one ends at
// the newline and keeps its trailing blanks), raw strings (copied untouched, blanks included),
// pp-numbers with digit separators, and backslash-newline splices (also with blanks before the
// newline). Where GCC dialects differ (digit separators, raw strings) the dialect is read from
// the predefined macros at the top of the output; without them every candidate dialect must give
// the same result.
//
// Kept exactly as they are, because GCC looks into them or blanking could change the meaning:
// - a block comment holding "/*" and a `//` comment continued by a splice (-Wcomment warns);
// - a comment containing "fall" (-Wimplicit-fallthrough=2..4 accept "fall through" comments);
// - a comment holding bytes other than printable ASCII and tabs (-Wbidi-chars; diagnostics count
//   a UTF-8 character as one column), a splice, or a trigraph (with trigraphs on, GCC counts
//   the columns after one as if it were one character);
// - a comment right after a backslash (blanked, "\ /* x */" could become a splice), and a block
//   comment right before a trigraph (GCC does not warn about that trigraph).
// A block comment spanning lines keeps its `/*` and `*/`: a directive it is part of continues past
// its newlines, and a '#' after it does not start a directive.
//
// nullopt for: the trigraphs of backslash, quote and '#' ('?' '?' then '/', '\'' or '='), a CR not
// followed by LF (GCC ends a line there), C90 (`//` does not always start a comment), an
// unterminated block comment or raw string, a raw string over several lines of a directive,
// #include/#import/#embed/#if/#elif lines (header names; -fdirectives-only never leaves them), and
// splices that could join a token to a comment delimiter, a literal or a literal prefix.
std::optional<std::string> blank_comments(std::string_view text);

// Whether the server's compile of this command line treats comments in the way blank_comments
// assumes. Not with -traditional / -traditional-cpp (a comment pastes tokens), -C / -CC (comments
// are kept), -Wimplicit-fallthrough=1 (any comment marks a fall-through), -ansi and the C90/gnu89
// -std values (`//` comments are errors or pedantic warnings there) or -Wc90-c99-compat (warns
// about `//` comments), nor with -finput-charset (the text is not necessarily UTF-8).
bool comment_blanking_applies(std::span<const std::string> argv);

}  // namespace dcc
