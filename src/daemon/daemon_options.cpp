#include "daemon/daemon_options.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <string_view>

#include "daemon/access_rules.h"

namespace dcc {
namespace {

using Mode = DaemonOptions::Mode;

// One use of an option on the command line: its name as typed ("-p", "--port") and its value.
struct OptionUse {
  std::string_view name;
  std::string_view value;
};

using Handler = Status (*)(DaemonOptions&, const OptionUse&);

struct OptionDef {
  std::string_view long_name;  // without the leading "--"
  char short_name;             // '\0' if none
  bool takes_value;
  Handler handle;
};

Error bad(std::string_view name, std::string_view cause) {
  std::string message(name);
  message += ": ";
  message += cause;
  return make_error(ExitCode::bad_arguments, std::move(message));
}

Result<long long> number(const OptionUse& use, long long min, long long max) {
  long long value = 0;
  const char* end = use.value.data() + use.value.size();
  auto [ptr, ec] = std::from_chars(use.value.data(), end, value);
  if (use.value.empty() || ec == std::errc::invalid_argument || ptr != end) {
    return bad(use.name, "\"" + std::string(use.value) + "\" is not a number");
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    return bad(use.name, "\"" + std::string(use.value) + "\" is not in " + std::to_string(min) +
                             "-" + std::to_string(max));
  }
  return value;
}

// Stores a bounded integer option into `out`.
template <class T>
Status store_number(const OptionUse& use, long long min, long long max, T& out) {
  Result<long long> value = number(use, min, max);
  if (!value) return value.error();
  out = T(static_cast<int>(*value));
  return {};
}

Status store_text(const OptionUse& use, std::optional<std::string>& out) {
  if (use.value.empty()) return bad(use.name, "needs a non-empty value");
  out = std::string(use.value);
  return {};
}

Status set_mode(DaemonOptions& o, Mode mode, std::string_view name) {
  if (o.mode != Mode::unspecified && o.mode != mode) {
    return bad(name, "--daemon (or --wizard) and --inetd cannot be combined");
  }
  o.mode = mode;
  return {};
}

Status set_log_level(DaemonOptions& o, const OptionUse& use) {
  constexpr std::array<std::string_view, 6> kLevels = {"critical", "error", "warning",
                                                       "notice",   "info",  "debug"};
  if (std::find(kLevels.begin(), kLevels.end(), use.value) == kLevels.end()) {
    return bad(use.name, "unknown level \"" + std::string(use.value) +
                             "\" (critical, error, warning, notice, info, debug)");
  }
  o.log_level = std::string(use.value);
  return {};
}

Status add_allow(DaemonOptions& o, const OptionUse& use) {
  Result<AllowRule> rule = parse_allow_rule(use.value);
  if (!rule) return rule.error();
  o.allow.emplace_back(use.value);
  return {};
}

Status add_listen(DaemonOptions& o, const OptionUse& use) {
  if (use.value.empty()) return bad(use.name, "needs a non-empty address");
  o.listen_addresses.emplace_back(use.value);
  return {};
}

Status wizard(DaemonOptions& o, const OptionUse& use) {
  o.no_detach = o.no_fork = o.log_stderr = true;
  o.log_level = "debug";
  return set_mode(o, Mode::daemon, use.name);
}

constexpr long long kMaxSeconds = INT_MAX;

// clang-format off
constexpr OptionDef kOptions[] = {
  {"help", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.show_help = true; return {}; }},
  {"version", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.show_version = true; return {}; }},
  {"daemon", '\0', false, [](DaemonOptions& o, const OptionUse& u) { return set_mode(o, Mode::daemon, u.name); }},
  {"inetd", '\0', false, [](DaemonOptions& o, const OptionUse& u) { return set_mode(o, Mode::inetd, u.name); }},
  {"no-detach", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.no_detach = true; return {}; }},
  {"no-fork", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.no_fork = true; return {}; }},
  {"no-fifo", '\0', false, [](DaemonOptions&, const OptionUse&) -> Status { return {}; }},
  {"wizard", 'W', false, wizard},
  {"port", 'p', true, [](DaemonOptions& o, const OptionUse& u) { return store_number(u, 0, 65535, o.port); }},
  {"listen", '\0', true, add_listen},
  {"allow", 'a', true, add_allow},
  {"allow-private", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.allow_private = true; return {}; }},
  {"stats", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.stats = true; return {}; }},
  {"stats-port", '\0', true, [](DaemonOptions& o, const OptionUse& u) { return store_number(u, 0, 65535, o.stats_port); }},
  {"jobs", 'j', true, [](DaemonOptions& o, const OptionUse& u) { return store_number(u, 1, kMaxDaemonJobs, o.jobs); }},
  {"nice", 'N', true, [](DaemonOptions& o, const OptionUse& u) { return store_number(u, INT_MIN, INT_MAX, o.nice); }},
  {"user", '\0', true, [](DaemonOptions& o, const OptionUse& u) { return store_text(u, o.user); }},
  {"pid-file", 'P', true, [](DaemonOptions& o, const OptionUse& u) { return store_text(u, o.pid_file); }},
  {"log-file", '\0', true, [](DaemonOptions& o, const OptionUse& u) { return store_text(u, o.log_file); }},
  {"log-level", '\0', true, set_log_level},
  {"verbose", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.log_level = "debug"; return {}; }},
  {"log-stderr", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.log_stderr = true; return {}; }},
  {"job-lifetime", '\0', true, [](DaemonOptions& o, const OptionUse& u) { return store_number(u, 0, kMaxSeconds, o.job_lifetime); }},
  {"lifetime", '\0', true, [](DaemonOptions& o, const OptionUse& u) { return store_number(u, 0, kMaxSeconds, o.lifetime); }},
  {"header-cache-size", '\0', true, [](DaemonOptions& o, const OptionUse& u) { return store_number(u, 0, 1 << 20, o.header_cache_mib); }},
  {"enable-tcp-insecure", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.enable_tcp_insecure = true; return {}; }},
  {"make-me-a-botnet", '\0', false, [](DaemonOptions& o, const OptionUse&) -> Status { o.enable_tcp_insecure = true; return {}; }},
};
// clang-format on

// 3.4 options of features we leave out: a clear refusal rather than "unknown option".
std::optional<std::string_view> unsupported_reason(std::string_view long_name) {
  if (long_name == "zeroconf") return "zeroconf is not supported yet";
  for (std::string_view gss : {"auth", "blacklist", "whitelist", "show-principal"}) {
    if (long_name == gss) return "GSS-API authentication is not supported";
  }
  return std::nullopt;
}

const OptionDef* find_long(std::string_view name) {
  for (const OptionDef& def : kOptions) {
    if (def.long_name == name) return &def;
  }
  return nullptr;
}

const OptionDef* find_short(char name) {
  for (const OptionDef& def : kOptions) {
    if (def.short_name != '\0' && def.short_name == name) return &def;
  }
  return nullptr;
}

}  // namespace

Result<DaemonOptions> parse_daemon_options(std::span<const std::string> args) {
  DaemonOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--") {
      if (i + 1 < args.size()) return bad(args[i + 1], "unexpected argument");
      break;
    }
    const OptionDef* def = nullptr;
    OptionUse use;
    std::optional<std::string_view> attached;  // "--opt=value" or "-pVALUE"
    if (arg.starts_with("--")) {
      std::size_t eq = arg.find('=');
      use.name = arg.substr(0, eq);
      if (eq != std::string_view::npos) attached = arg.substr(eq + 1);
      if (auto reason = unsupported_reason(use.name.substr(2))) return bad(use.name, *reason);
      def = find_long(use.name.substr(2));
    } else if (arg.size() >= 2 && arg[0] == '-') {
      use.name = arg.substr(0, 2);
      if (arg.size() > 2) attached = arg.substr(2);
      def = find_short(arg[1]);
    } else {
      return bad(arg, "unexpected argument (distccd takes only options)");
    }
    if (def == nullptr) return bad(use.name, "unknown option (see distccd --help)");

    if (def->takes_value) {
      if (attached) {
        use.value = *attached;
      } else if (i + 1 < args.size()) {
        use.value = args[++i];
      } else {
        return bad(use.name, "needs a value");
      }
    } else if (attached) {
      return bad(use.name, def->short_name != '\0' && !arg.starts_with("--")
                               ? "unknown option (short options cannot be combined)"
                               : "takes no value");
    }
    if (Status status = def->handle(options, use); !status) return status.error();
    if (options.show_help || options.show_version) break;
  }
  return options;
}

std::string daemon_usage_text() {
  return R"(Usage: distccd [OPTIONS]

Runs compile jobs sent by distcc clients, either as a standalone daemon or once per connection
from inetd or ssh.

Options:
  --help                     show this text and exit
  --version                  show the version and exit
  -P, --pid-file FILE        write the daemon's process id to FILE
  -N, --nice LEVEL           lower the priority by LEVEL (default 5)
  --user USER                when started as root, run as USER
  -j, --jobs N               run at most N jobs at once, 1-1024 (default: CPUs + 2)
  --job-lifetime SECONDS     kill a compile that runs longer than SECONDS (0 = never)
  --lifetime SECONDS         exit after SECONDS (for tests; 0 = never)
  --header-cache-size MIB    keep up to MIB MiB of pump-mode headers so our clients
                             send each one once (default 256; 0 = off)
  --enable-tcp-insecure      run any compiler a client names (no masquerade-dir check)
  --make-me-a-botnet         the same as --enable-tcp-insecure

Networking:
  -p, --port PORT            TCP port to listen on (default 3632; 0 = any free port)
  --listen ADDRESS           listen on ADDRESS only (repeatable)
  -a, --allow IP[/BITS]      accept clients from this network (repeatable, IPv4 or IPv6)
  --allow-private            accept clients from private and loopback networks
                             (the default when no --allow is given)
  --stats                    serve statistics over HTTP (3.4's page; Prometheus
                             format at /metrics)
  --stats-port PORT          TCP port for --stats (default 3633)

Logging:
  --log-file FILE            append messages to FILE instead of syslog
  --log-level LEVEL          critical, error, warning, notice (default), info or debug
  --verbose                  the same as --log-level=debug
  --log-stderr               send messages to stderr (wins over --log-file)

Mode of operation:
  --daemon                   listen on a socket (default unless stdin is a socket)
  --inetd                    serve the one client connected to stdin
  --no-detach                stay in the foreground
  --no-fork                  serve one client at a time in a single process (debugging)
  --no-fifo                  accepted for compatibility; no effect
  -W, --wizard               --daemon --no-detach --no-fork --log-stderr --verbose

Options take their value as "--port 4000", "--port=4000" or "-p4000".
distccd compiles whatever it is sent: run it only on networks you trust.
)";
}

}  // namespace dcc
