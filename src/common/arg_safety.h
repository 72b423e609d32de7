// Daemon-side argument check: would this compile command make the compiler run another program,
// load code, or read or write files other than the job's own input and output?
//
// distcc 3.4's daemon refuses only -fplugin= and -specs=, so a whitelisted gcc plus
// `-wrapper /bin/sh,-c,...` runs any command (CVE-2004-2687 stays open). This check is an
// allow-list: -c/-S, one -o, one input, and option families known to only change code
// generation or diagnostics (-O*, -g*, -W*, -f*, -m*, -std=, -D/-U, ...), each family with a
// deny-list of members that name files, load code or run programs. Anything else is refused.
//
// It is meant for plain mode (protocol 1 and 2), where the input is already preprocessed: header
// search options (-I, -isystem, --sysroot, ...) are refused because they can only steer the
// compiler towards server directories. A stock 3.4 client strips -I/-isystem/-include/-D/-M...
// but not --sysroot, -isysroot or -Xpreprocessor, so such jobs are refused and built locally;
// -iquote, which it does not strip either, is allowed (it only affects #include "..."). Pump
// mode (protocol 3) preprocesses on the server and needs its own policy.
//
// Limits, stated plainly: arguments are not the only way in. The *input text* is chosen by the
// client, and `asm(".incbin \"/etc/passwd\"")` makes the assembler read any file the daemon user
// can read (gcc and clang), and clang still obeys `#include "/abs/path"` in a .i file. Closing
// those needs a sandbox around the compiler (or a content scan), not argument rules.
#pragma once

#include <optional>
#include <span>
#include <string>

namespace dcc {

// `args` is what the server will run *without* argv[0], after the server replaced the input with
// its temp file and -o with its temp output. Returns why the job must be refused, e.g.
// `argument "-wrapper" would make the compiler run another program`, or nullopt if it is safe.
std::optional<std::string> find_unsafe_argument(std::span<const std::string> args);

// Protocol 3 (pump mode): the server preprocesses in the job's mirror root, so header search
// options (-I, -iquote, -isystem, -idirafter, -include, -imacros) and dependency-file options
// (-MD, -MMD, -MF, -MT, -MQ, -MP; the server writes the .d to its own temp file) are expected as
// well; everything else as find_unsafe_argument. What those options make the compiler *read* is
// not confined by argument rules (a relative -I can climb out of the root, and so can a source's
// own #include): that needs a sandbox around the compiler, see README "Pump mode".
std::optional<std::string> find_unsafe_pump_argument(std::span<const std::string> args);

}  // namespace dcc
