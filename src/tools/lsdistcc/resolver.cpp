#include "tools/lsdistcc/resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <memory>

namespace dcc::lsdistcc {
namespace {

struct AddrinfoFree {
  void operator()(addrinfo* list) const { ::freeaddrinfo(list); }
};
using AddrinfoList = std::unique_ptr<addrinfo, AddrinfoFree>;

AddrinfoList lookup(const std::string& host, int flags) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  addrinfo* list = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &list) != 0) return nullptr;
  return AddrinfoList(list);
}

}  // namespace

std::optional<Ipv4> resolve_ipv4(const std::string& host) {
  auto list = lookup(host, 0);
  if (!list || list->ai_addr == nullptr) return std::nullopt;
  const auto* in = reinterpret_cast<const sockaddr_in*>(list->ai_addr);
  Ipv4 address;
  std::memcpy(address.data(), &in->sin_addr, address.size());
  return address;
}

Result<std::string> local_dns_domain() {
  char hostname[HOST_NAME_MAX + 1] = {};
  if (::gethostname(hostname, sizeof hostname - 1) != 0) {
    return make_error(ExitCode::distcc_failed, "cannot get this machine's host name");
  }
  std::string canonical;
  if (auto list = lookup(hostname, AI_CANONNAME); list && list->ai_canonname != nullptr) {
    canonical = list->ai_canonname;
  }
  std::string domain = domain_of(hostname, canonical);
  if (domain.empty()) {
    return make_error(ExitCode::distcc_failed,
                      "cannot get the DNS domain name: host name " + std::string(hostname) +
                          " has no domain part");
  }
  return domain;
}

}  // namespace dcc::lsdistcc
