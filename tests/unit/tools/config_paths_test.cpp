#include "tools/distcc-config/config_paths.h"

#include <gtest/gtest.h>

namespace dcc {
namespace {

TEST(ConfigPaths, SuperuserWritesSystemHostsUnderRoot) {
  ConfigContext c{"/stage", true, "/root", std::nullopt};
  auto p = config_paths(c);
  EXPECT_EQ(p.system_hosts, "/stage/etc/distcc/hosts");
  EXPECT_EQ(p.hosts_to_write, p.system_hosts);
  EXPECT_EQ(p.env_file, "/stage/etc/env.d/02distcc");
  EXPECT_EQ(p.masquerade_dir, "/stage/usr/lib/distcc");
  EXPECT_EQ(p.env_update.front(), "/stage/usr/sbin/env-update");
}

TEST(ConfigPaths, UserWritesHomeHosts) {
  ConfigContext c{"/", false, "/home/ann", std::nullopt};
  auto p = config_paths(c);
  EXPECT_EQ(p.system_hosts, "/etc/distcc/hosts");
  EXPECT_EQ(p.hosts_to_write, "/home/ann/.distcc/hosts");
}

}  // namespace
}  // namespace dcc
