#include "common/host_spec.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <utility>

namespace dcc {
namespace {

constexpr std::string_view kWhitespace = " \t\n\v\f\r";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::size_t count_digits(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() && is_digit(text[n])) ++n;
  return n;
}

// Decimal digits to a number, or -1 when the value exceeds `max`.
std::int64_t digits_value(std::string_view digits, std::int64_t max) {
  std::int64_t value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
    if (value > max) return -1;
  }
  return value;
}

// Parses one whitespace-free token of a host list. Each step consumes a prefix of rest_.
class EntryParser {
 public:
  EntryParser(std::string_view source, std::string_view token)
      : source_(source), token_(token), rest_(token) {}

  Result<HostSpec> parse_host();
  // --localslots / --localslots_cpp: the limit after the keyword.
  Result<int> parse_local_slots(std::string_view keyword);

  Error fail(std::string_view cause) const {
    std::string message(source_);
    message += " entry \"";
    message += token_;
    message += "\": ";
    message += cause;
    return make_error(ExitCode::bad_hostspec, std::move(message));
  }

 private:
  Result<HostSpec> parse_local(HostSpec host);
  Result<HostSpec> parse_ssh(HostSpec host);
  Result<HostSpec> parse_tcp(HostSpec host);
  Status take_hostname(std::string& hostname);
  Status take_limit(int& slots);
  Status take_port(int& port);
  Status take_options(HostSpec& host);

  bool next_is(char c) const { return !rest_.empty() && rest_.front() == c; }

  std::string_view source_;
  std::string_view token_;
  std::string_view rest_;
};

// "/N" or "=N" (3.4's undocumented synonym). Absent is fine; digits are followed by anything.
Status EntryParser::take_limit(int& slots) {
  if (!next_is('/') && !next_is('=')) return {};
  std::size_t digits = count_digits(rest_.substr(1));
  std::string shown(rest_.substr(0, 1 + digits));
  if (digits == 0) {
    std::size_t end = std::min(rest_.find_first_of(",:", 1), rest_.size());
    return fail("limit \"" + std::string(rest_.substr(0, end)) + "\" is not a number");
  }
  std::int64_t value = digits_value(rest_.substr(1, digits), kMaxSlots);
  if (value < 0) return fail("limit \"" + shown + "\" is larger than " + std::to_string(kMaxSlots));
  if (value == 0) return fail("limit \"" + shown + "\" must be at least 1");
  slots = static_cast<int>(value);
  rest_.remove_prefix(1 + digits);
  return {};
}

// ":PORT", which must end the token or be followed by a limit or an option.
Status EntryParser::take_port(int& port) {
  if (!next_is(':')) return {};
  rest_.remove_prefix(1);
  std::size_t digits = count_digits(rest_);
  bool well_ended = digits == rest_.size() ||
                    std::string_view("/=,").find(rest_[digits]) != std::string_view::npos;
  if (digits == 0 || !well_ended) {
    if (rest_.find(':') != std::string_view::npos)
      return fail("port is not a number (an IPv6 address needs brackets: [ADDRESS]:PORT)");
    return fail("port is not a number");
  }
  std::int64_t value = digits_value(rest_.substr(0, digits), 65535);
  if (value < 1) return fail("port " + std::string(rest_.substr(0, digits)) + " is not in 1-65535");
  port = static_cast<int>(value);
  rest_.remove_prefix(digits);
  return {};
}

// (",lzo" | ",cpp" | ",down")*, prefix-matched as in 3.4: ",lzofoo" is lzo, and the scan stops
// at the first character after an option that is not ','.
Status EntryParser::take_options(HostSpec& host) {
  while (next_is(',')) {
    rest_.remove_prefix(1);
    if (rest_.starts_with("lzo")) {
      host.lzo = true;
      rest_.remove_prefix(3);
    } else if (rest_.starts_with("cpp")) {
      host.cpp = true;
      rest_.remove_prefix(3);
    } else if (rest_.starts_with("down")) {
      host.down = true;
      rest_.remove_prefix(4);
    } else if (rest_.starts_with("auth")) {
      return fail("GSS-API authentication (,auth) is not supported");
    } else {
      std::string_view option = rest_.substr(0, rest_.find(','));
      return fail("unknown option \"," + std::string(option) + "\" (known: lzo, cpp, down)");
    }
  }
  if (host.cpp && !host.lzo) return fail("pump mode (',cpp') requires compression (',lzo')");
  return {};
}

// A bare name (up to '/', ':', '=' or ',') or a bracketed IPv6 literal.
Status EntryParser::take_hostname(std::string& hostname) {
  if (next_is('[')) {
    std::size_t end = rest_.find_first_of("/],");
    if (end == std::string_view::npos || rest_[end] != ']')
      return fail("IPv6 address needs a closing ']'");
    hostname = std::string(rest_.substr(1, end - 1));
    rest_.remove_prefix(end + 1);
  } else {
    std::size_t end = std::min(rest_.find_first_of("/:=,"), rest_.size());
    hostname = std::string(rest_.substr(0, end));
    rest_.remove_prefix(end);
  }
  if (hostname.empty()) return fail("hostname is missing");
  return {};
}

// "localhost[/N]": anything after the limit is ignored, as in 3.4 ("localhost/3,lzo").
Result<HostSpec> EntryParser::parse_local(HostSpec host) {
  host.kind = HostKind::local;
  host.hostname = "localhost";
  host.slots = kDefaultLocalhostSlots;
  rest_.remove_prefix(std::string_view("localhost").size());
  if (Status limit = take_limit(host.slots); !limit) return limit.error();
  return host;
}

// "[USER]@HOST[/N][:COMMAND][,OPTS]". The user is everything before the first '@'.
Result<HostSpec> EntryParser::parse_ssh(HostSpec host) {
  host.kind = HostKind::ssh;
  std::size_t at = rest_.find('@');
  host.user = std::string(rest_.substr(0, at));
  rest_.remove_prefix(at + 1);
  if (Status name = take_hostname(host.hostname); !name) return name.error();
  if (Status limit = take_limit(host.slots); !limit) return limit.error();
  if (next_is(':')) {
    std::size_t end = std::min(rest_.find(','), rest_.size());
    host.ssh_command = std::string(rest_.substr(1, end - 1));
    rest_.remove_prefix(end);
  }
  if (Status options = take_options(host); !options) return options.error();
  return host;
}

// "HOST[:PORT][/N][,OPTS]" or the old "HOST[/N][:PORT][,OPTS]". Like 3.4, a limit may appear on
// either side of the port (the later one wins) and junk after them ends the parse quietly.
Result<HostSpec> EntryParser::parse_tcp(HostSpec host) {
  host.kind = HostKind::tcp;
  if (Status name = take_hostname(host.hostname); !name) return name.error();
  if (Status limit = take_limit(host.slots); !limit) return limit.error();
  if (Status port = take_port(host.port); !port) return port.error();
  if (Status limit = take_limit(host.slots); !limit) return limit.error();
  if (Status options = take_options(host); !options) return options.error();
  return host;
}

bool is_localhost_token(std::string_view token) {
  constexpr std::string_view kLocal = "localhost";
  if (!token.starts_with(kLocal)) return false;
  return token.size() == kLocal.size() || token[kLocal.size()] == '/' ||
         token[kLocal.size()] == '=';
}

Result<HostSpec> EntryParser::parse_host() {
  HostSpec host;
  host.spec = std::string(token_);
  if (is_localhost_token(token_)) return parse_local(std::move(host));
  if (token_.find('@') != std::string_view::npos) return parse_ssh(std::move(host));
  return parse_tcp(std::move(host));
}

Result<int> EntryParser::parse_local_slots(std::string_view keyword) {
  rest_.remove_prefix(keyword.size());
  if (!next_is('/') && !next_is('=')) {
    return fail("needs a number, e.g. " + std::string(keyword) + "=" +
                (keyword == "--localslots" ? "4" : "8"));
  }
  int slots = 0;
  if (Status limit = take_limit(slots); !limit) return limit.error();
  return slots;
}

// Applies a token that starts with '-' or '+' to the list. Returns false if the token is a
// host after all.
Result<bool> apply_keyword(std::string_view source, std::string_view token, HostList& list) {
  EntryParser parser(source, token);
  if (token == "+zeroconf") return parser.fail("zeroconf is not supported yet");
  if (!token.starts_with('-')) return false;
  if (token == "--randomize") {
    list.randomize = true;
    return true;
  }
  // Check the longer keyword first: "--localslots" is a prefix of it.
  for (std::string_view keyword : {"--localslots_cpp", "--localslots"}) {
    if (!token.starts_with(keyword)) continue;
    std::string_view after = token.substr(keyword.size());
    if (!after.empty() && after[0] != '/' && after[0] != '=') break;
    Result<int> slots = parser.parse_local_slots(keyword);
    if (!slots) return slots.error();
    (keyword == "--localslots" ? list.local_slots : list.local_slots_cpp) = *slots;
    return true;
  }
  // 3.4 would take this for a host name; no host name starts with '-'.
  return parser.fail("unknown option (known: --randomize, --localslots=N, --localslots_cpp=N)");
}

}  // namespace

Protocol HostSpec::protocol() const {
  if (lzo && cpp) return Protocol::v3;
  if (lzo) return Protocol::v2;
  return Protocol::v1;
}

Result<HostList> parse_hosts(std::string_view text, std::string_view source_name) {
  HostList list;
  std::size_t pos = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (kWhitespace.find(c) != std::string_view::npos) {
      ++pos;
      continue;
    }
    if (c == '#') {
      pos = std::min(text.find_first_of("\r\n", pos), text.size());
      continue;
    }
    std::size_t end = std::min(text.find_first_of(" \t\n\v\f\r#", pos), text.size());
    std::string_view token = text.substr(pos, end - pos);
    pos = end;

    Result<bool> keyword = apply_keyword(source_name, token, list);
    if (!keyword) return keyword.error();
    if (*keyword) continue;
    Result<HostSpec> host = EntryParser(source_name, token).parse_host();
    if (!host) return host.error();
    list.hosts.push_back(std::move(host).value());
  }
  if (list.hosts.empty()) {
    return make_error(ExitCode::bad_hostspec,
                      std::string(source_name) + " contains no hosts; can't distribute work");
  }
  return list;
}

int total_slots(const HostList& list) {
  std::int64_t sum = 0;
  for (const HostSpec& host : list.hosts) sum += host.slots;
  return static_cast<int>(std::min<std::int64_t>(sum, INT_MAX));
}

}  // namespace dcc
