#include "tools/lsdistcc/targets.h"

#include <algorithm>
#include <charconv>

namespace dcc::lsdistcc {
namespace {

std::string with_domain(std::string name, const Options& options, const std::string& domain) {
  if (options.append_domain) name += "." + domain;
  return name;
}

// "host[:port][/limit][,opts]" -> host and port.
Result<Target> parse_host_operand(const std::string& word, const Options& options,
                                  const std::string& domain) {
  std::string address = word.substr(0, word.find_first_of("/,"));
  Target target;
  target.port = options.port;
  auto colon = address.find(':');
  if (colon != std::string::npos) {
    std::string_view digits = std::string_view(address).substr(colon + 1);
    int port = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || port < 1 ||
        port > 65535) {
      return make_error(ExitCode::bad_hostspec, "bad port in host " + word);
    }
    target.port = port;
    address.resize(colon);
  }
  if (address.empty() || address[0] == '@' || address[0] == '-') {
    return make_error(ExitCode::bad_hostspec, "cannot probe host " + word);
  }
  target.host = with_domain(address, options, domain);
  return target;
}

}  // namespace

Result<TargetSource> target_source(const Options& options, const std::string& domain) {
  TargetSource source;
  const auto& operands = options.operands;
  if (operands.empty()) {
    source.format = "distcc%d";
  } else if (operands[0].find("%d") != std::string::npos) {
    source.format = operands[0];
  } else {
    for (const auto& word : operands) {
      auto target = parse_host_operand(word, options, domain);
      if (!target) return target.error();
      source.hosts.push_back(std::move(*target));
    }
  }
  return source;
}

Target target_at(const TargetSource& source, std::size_t i, const Options& options,
                 const std::string& domain) {
  if (!source.format) return source.hosts.at(i - 1);
  return Target{with_domain(name_from_format(*source.format, i), options, domain), options.port};
}

std::string name_from_format(const std::string& format, std::size_t number) {
  std::string name;
  std::string text = std::to_string(number);
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format.compare(i, 2, "%d") == 0) {
      name += text;
      ++i;
    } else {
      name += format[i];
    }
  }
  return name;
}

std::string domain_of(const std::string& hostname, const std::string& canonical_name) {
  for (const auto* name : {&hostname, &canonical_name}) {
    auto dot = name->find('.');
    if (dot != std::string::npos && dot + 1 < name->size()) return name->substr(dot + 1);
  }
  return {};
}

bool same_network(const Ipv4& a, const Ipv4& b, int bits) {
  for (std::size_t byte = 0; byte < a.size() && bits > 0; ++byte, bits -= 8) {
    int take = bits < 8 ? bits : 8;
    auto mask = static_cast<std::uint8_t>(0xff << (8 - take));
    if ((a[byte] & mask) != (b[byte] & mask)) return false;
  }
  return true;
}

std::string dotted(const Ipv4& address) {
  return std::to_string(address[0]) + "." + std::to_string(address[1]) + "." +
         std::to_string(address[2]) + "." + std::to_string(address[3]);
}

std::optional<std::string> format_line(const Target& target, const Outcome& outcome,
                                       const Options& options) {
  if (!outcome.up && !options.mark_down) return std::nullopt;
  static constexpr const char* kProtocolSuffix[] = {"", "", ",lzo", ",lzo,cpp"};
  std::string line = options.numeric ? dotted(outcome.address) : target.host;
  if (target.port != kDefaultPort) line += ":" + std::to_string(target.port);
  line += kProtocolSuffix[std::clamp(options.protocol, 1, 3)];  // the parser allows 1..3 only
  if (!outcome.up) line += ",down";
  if (options.latency) line += " " + std::to_string(outcome.latency.value_or(Millis(0)).count());
  return line;
}

}  // namespace dcc::lsdistcc
