#ifndef X_H
#define X_H
#include "a.h"
#  include <sys/types.h>
#include_next <stdio.h>
#import "objc.h"
/* #include "commented.h" */
// #include "line_comment.h"
const char* s = "#include \"in_string.h\"";
const char* r = R"delim(
#include "in_raw_string.h"
)delim";
#define STR(x) #x
#define XSTR(x) STR(x)
#define CAT(a, b) a##b
#define HDR <CAT(gen, .h)>
#define VAR(...) __VA_ARGS__
#define NAMED(args...) args
#include HDR
#include XSTR(CAT(conf, ig.h))
#if __has_include("maybe.h") && __has_include_next(<next.h>)
#endif
#undef HDR
#define LONG \
  "continued.h"
#include LONG
#endif
XSTR(CAT(a, b))
