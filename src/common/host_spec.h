// The distcc 3.4 host list grammar (DISTCC_HOSTS, ~/.distcc/hosts, /etc/distcc/hosts), parsed
// into values. Pure: the caller supplies the text and says where it came from.
//
//   localhost[/N]                        run here, in-process (2 slots by default)
//   HOST[:PORT][/N][,OPTS]               TCP (port 3632, 4 slots by default); '[v6]' for IPv6
//   HOST[/N][:PORT][,OPTS]               the old TCP spelling
//   [USER]@HOST[/N][:COMMAND][,OPTS]     SSH; COMMAND is the remote distccd
//   --randomize  --localslots=N  --localslots_cpp=N
//
// OPTS are ,lzo ,cpp ,down. '=' is accepted wherever '/' introduces a limit. Like 3.4, anything
// after a recognised limit or option that does not start with ',' is ignored ("a/3junk").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace dcc {

enum class HostKind { local, tcp, ssh };
enum class Protocol { v1 = 1, v2 = 2, v3 = 3 };

inline constexpr int kDefaultPort = 3632;
inline constexpr int kDefaultLocalhostSlots = 2;
inline constexpr int kDefaultRemoteSlots = 4;
inline constexpr int kMaxSlots = 1'000'000;  // per host; keeps sums far from overflow

struct HostSpec {
  std::string spec;  // the token verbatim (what --show-hosts prints)
  HostKind kind = HostKind::tcp;
  std::string hostname;     // without brackets for IPv6; "localhost" for local hosts
  int port = kDefaultPort;  // tcp only
  int slots = kDefaultRemoteSlots;
  std::string user;         // ssh only; may be empty ("@host")
  std::string ssh_command;  // ssh ":/path/distccd"; empty means "distccd"
  bool lzo = false;
  bool cpp = false;
  bool down = false;

  // The wire protocol this host speaks: none -> 1, lzo -> 2, lzo+cpp -> 3. There is no
  // negotiation; the host list decides.
  Protocol protocol() const;
};

struct HostList {
  std::vector<HostSpec> hosts;
  bool randomize = false;
  int local_slots = 4;      // --localslots: local jobs that cannot be distributed
  int local_slots_cpp = 8;  // --localslots_cpp: local preprocessing in plain mode
};

// Parses a whole host list. Tokens are separated by whitespace (CRLF is fine) and '#' starts a
// comment that runs to the end of the line. source_name ("DISTCC_HOSTS", a file path) is used
// in error messages, which are one line naming the entry and the cause:
//   DISTCC_HOSTS entry "box:12x": port is not a number
// Every error is ExitCode::bad_hostspec and rejects the whole list, as in 3.4. A list with no
// hosts at all is an error too ("... contains no hosts").
Result<HostList> parse_hosts(std::string_view text, std::string_view source_name = "DISTCC_HOSTS");

// Sum of every host's slots, local and down hosts included: what `distcc -j` prints.
int total_slots(const HostList& list);

}  // namespace dcc
