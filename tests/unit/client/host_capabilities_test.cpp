#include "client/host_capabilities.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "../test_support.h"
#include "common/protocol.h"

namespace dcc {
namespace {

HostSpec tcp_host(const std::string& text) {
  auto list = parse_hosts(text);
  EXPECT_TRUE(list.ok());
  return list->hosts.at(0);
}

TEST(HostCapabilities, LearnsRemembersAndForgetsPerHost) {
  test::ScratchDir lock;
  HostCapabilities caps(lock.path());
  HostSpec a = tcp_host("10.0.0.1:4000,cpp,lzo");
  HostSpec b = tcp_host("10.0.0.2,cpp,lzo");
  EXPECT_FALSE(caps.has_header_cache(a));
  caps.learn(a, kCapabilityHeaderCache);
  EXPECT_TRUE(caps.has_header_cache(a));
  EXPECT_FALSE(caps.has_header_cache(b));
  EXPECT_TRUE(std::filesystem::exists(lock.file("xcap_tcp_10.0.0.1_4000_0")));
  // Another process (a new object on the same directory) sees it.
  EXPECT_TRUE(HostCapabilities(lock.path()).has_header_cache(a));
  caps.learn(a, 0u);  // ours, cache off
  EXPECT_FALSE(caps.has_header_cache(a));
  caps.learn(a, kCapabilityHeaderCache);
  caps.learn(a, std::nullopt);  // not ours any more
  EXPECT_FALSE(caps.has_header_cache(a));
  EXPECT_TRUE(lock.entries().empty());
}

TEST(HostCapabilities, WithoutALockDirectoryNothingIsRemembered) {
  HostCapabilities caps("");
  HostSpec a = tcp_host("10.0.0.1,cpp,lzo");
  caps.learn(a, kCapabilityHeaderCache);
  EXPECT_FALSE(caps.has_header_cache(a));
}

}  // namespace
}  // namespace dcc
