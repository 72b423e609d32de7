#include "pump/client_root.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../test_support.h"
#include "common/include_server_protocol.h"
#include "common/lzo_codec.h"

namespace dcc::pump {
namespace {

TEST(ClientRoot, HasThreeComponentsSoClientsCanStripIt) {
  auto root = ClientRoot::create();
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(original_client_path(root->path() + "/home/u/a.h.lzo"), "/home/u/a.h");
}

TEST(ClientRoot, BaseOfOneOrTwoComponentsGivesThreeComponents) {
  test::ScratchDir scratch("client_root_base");
  auto one = ClientRoot::create("/tmp");
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_EQ(original_client_path(one->path() + "/a/b.h"), "/a/b.h");
  EXPECT_EQ(one->path().substr(one->path().size() - 2), "/r");
  auto bad = ClientRoot::create(scratch.path());  // more than two components
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("one or two path components"), std::string::npos);
}

TEST(ClientRoot, FilesBecomeLzoCopiesMadeOncePerVersion) {
  test::ScratchDir dir("client_root");
  ASSERT_TRUE(dir.ready());
  std::string header = dir.file("a.h");
  test::spit(header, "#define A 1\n");
  auto root = ClientRoot::create();
  ASSERT_TRUE(root.ok());
  IncludeAnalysis analysis;
  analysis.files = {header};
  auto paths = root->materialize(analysis);
  ASSERT_TRUE(paths.ok()) << paths.error().message;
  ASSERT_EQ(paths->size(), 1u);
  EXPECT_EQ((*paths)[0], root->path() + header + ".lzo");
  auto plain = lzo_decompress(test::slurp((*paths)[0]), 1 << 20);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "#define A 1\n");
  ASSERT_TRUE(root->materialize(analysis).ok());
  EXPECT_EQ(root->compressions(), 1) << "an unchanged file is compressed once";
  test::spit(header, "#define A 22\n");  // another size: a new version
  ASSERT_TRUE(root->materialize(analysis).ok());
  EXPECT_EQ(root->compressions(), 2);
  EXPECT_EQ(*lzo_decompress(test::slurp((*paths)[0]), 1 << 20), "#define A 22\n");
}

TEST(ClientRoot, LinksAndDirectoryMarkers) {
  auto root = ClientRoot::create();
  ASSERT_TRUE(root.ok());
  IncludeAnalysis analysis;
  analysis.symlinks = {{"/p/inc", "real"}};
  analysis.directories = {"/p/deep/dir"};
  auto paths = root->materialize(analysis);
  ASSERT_TRUE(paths.ok()) << paths.error().message;
  ASSERT_EQ(paths->size(), 2u);
  EXPECT_EQ(std::filesystem::read_symlink((*paths)[0]).string(), "real");
  EXPECT_EQ((*paths)[1], root->path() + "/p/deep/dir/" + kDirectoryMarker);
  EXPECT_TRUE(std::filesystem::is_regular_file((*paths)[1]));
}

TEST(ClientRoot, RemovedWithEverythingInIt) {
  std::string path;
  {
    auto root = ClientRoot::create();
    ASSERT_TRUE(root.ok());
    path = root->path();
    IncludeAnalysis analysis;
    analysis.directories = {"/x/y"};
    ASSERT_TRUE(root->materialize(analysis).ok());
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ClientRoot, MissingFileIsAnErrorNamingIt) {
  auto root = ClientRoot::create();
  ASSERT_TRUE(root.ok());
  IncludeAnalysis analysis;
  analysis.files = {"/nonexistent/x.h"};
  auto paths = root->materialize(analysis);
  ASSERT_FALSE(paths.ok());
  EXPECT_NE(paths.error().message.find("/nonexistent/x.h"), std::string::npos);
}

}  // namespace
}  // namespace dcc::pump
