#include "pump/file_cache.h"

#include <unistd.h>

#include <filesystem>

#include "../test_support.h"

namespace dcc::pump {
namespace {

TEST(FileCache, LexesEachFileOnceEvenThroughALink) {
  test::ScratchDir dir("filecache");
  test::spit(dir.file("a.h"), "#include \"b.h\"\n");
  ASSERT_EQ(::symlink("a.h", dir.file("alias.h").c_str()), 0);
  FileCache cache;
  auto first = cache.directives(dir.file("a.h"));
  auto again = cache.directives(dir.file("a.h"));
  auto alias = cache.directives(dir.file("alias.h"));
  ASSERT_TRUE(first.ok() && again.ok() && alias.ok());
  EXPECT_EQ(*first, *again);
  EXPECT_EQ(*first, *alias);
  EXPECT_EQ(cache.files_read(), 1);
  EXPECT_EQ((*first)->includes.size(), 1u);
}

TEST(FileCache, ExistenceAndErrors) {
  test::ScratchDir dir("filecache");
  std::filesystem::create_directories(dir.file("d.h"));
  test::spit(dir.file("f.h"), "");
  FileCache cache;
  EXPECT_TRUE(cache.is_file(dir.file("f.h")));
  EXPECT_FALSE(cache.is_file(dir.file("d.h")));
  EXPECT_FALSE(cache.is_file(dir.file("missing.h")));
  auto missing = cache.directives(dir.file("missing.h"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("missing.h"), std::string::npos);
}

}  // namespace
}  // namespace dcc::pump
