#include "client/include_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "../test_support.h"
#include "common/include_server_protocol.h"

namespace dcc {
namespace {

TEST(AskIncludeServer, StubWordsAreTheAnswer) {
  ClientConfig config;
  config.include_server_stub = "  /a/b/c/x.c.lzo\t/a/b/c/y.h.lzo\n";
  auto answer = ask_include_server(config, "/p", {"gcc", "-c", "x.c"});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(*answer, (std::vector<std::string>{"/a/b/c/x.c.lzo", "/a/b/c/y.h.lzo"}));
}

TEST(AskIncludeServer, MissingServerSaysWhere) {
  ClientConfig config;
  auto unset = ask_include_server(config, "/p", {"gcc"});
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.error().message, "INCLUDE_SERVER_PORT is not set (run the build under pump)");
  config.include_server_port = "/nonexistent/socket";
  auto missing = ask_include_server(config, "/p", {"gcc"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot reach the include server at /nonexistent/socket: No such file or directory");
}

TEST(ReadPumpEntries, FilesLinksAndCompressedCopies) {
  test::ScratchDir dir("pump_entries");
  ASSERT_TRUE(dir.ready());
  // The scratch dir has more than three components, so the client root is its first three.
  std::string base = dir.path();
  test::spit(base + "/a.h.lzo", "LZO-BYTES");
  test::spit(base + "/plain.h", "int x;\n");
  ASSERT_EQ(::symlink("sub", (base + "/inc").c_str()), 0);
  auto entries = read_pump_entries({base + "/a.h.lzo", base + "/plain.h", base + "/inc"});
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 3u);
  std::string client_base = original_client_path(base + "/x");
  client_base.resize(client_base.size() - 2);
  EXPECT_EQ((*entries)[0].name, client_base + "/a.h");
  EXPECT_TRUE((*entries)[0].compressed);
  EXPECT_EQ((*entries)[0].data, "LZO-BYTES");
  EXPECT_EQ((*entries)[1].name, client_base + "/plain.h");
  EXPECT_FALSE((*entries)[1].compressed);
  EXPECT_EQ((*entries)[2].kind, PumpEntry::Kind::link);
  EXPECT_EQ((*entries)[2].data, "sub");
}

TEST(ReadPumpEntries, MissingFileIsAnErrorNamingIt) {
  auto entries = read_pump_entries({"/nonexistent/dir/x/a.h.lzo"});
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.error().message, "cannot read /nonexistent/dir/x/a.h.lzo for pump mode: No such file or directory");
}

}  // namespace
}  // namespace dcc
