#include "common/path_components.h"

#include <gtest/gtest.h>

namespace dcc {
namespace {

using Parts = std::vector<std::string>;

TEST(PathComponents, DropsEmptyComponentsKeepsDots) {
  EXPECT_EQ(path_components("/a//b/./c/"), (Parts{"a", "b", ".", "c"}));
  EXPECT_EQ(path_components("rel/../x"), (Parts{"rel", "..", "x"}));
  EXPECT_EQ(path_components("/"), Parts{});
  EXPECT_EQ(path_components(""), Parts{});
}

}  // namespace
}  // namespace dcc
