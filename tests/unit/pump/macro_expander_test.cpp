#include "pump/macro_expander.h"

#include <gtest/gtest.h>

#include <deque>

namespace dcc::pump {
namespace {

struct Macros {
  std::deque<MacroDefinition> defs;
  MacroTable table;
  void add(const std::string& text) {
    MacroDefinition def;
    ASSERT_TRUE(parse_define(text, def));
    defs.push_back(def);
    table[def.name].push_back(&defs.back());
  }
  std::vector<IncludeCandidate> expand(const std::string& operand,
                                       const ExpansionLimits& limits = {}) {
    auto result = expand_include_operand(tokenize(operand), table, limits);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? *result : std::vector<IncludeCandidate>{};
  }
};

IncludeCandidate q(const std::string& n) { return {IncludeForm::quoted, n}; }
IncludeCandidate a(const std::string& n) { return {IncludeForm::angle, n}; }

TEST(MacroExpander, ObjectLike) {
  Macros m;
  m.add("HDR \"h.h\"");
  m.add("SYS <sys/x.h>");
  EXPECT_EQ(m.expand("HDR"), std::vector{q("h.h")});
  EXPECT_EQ(m.expand("SYS"), std::vector{a("sys/x.h")});
}

TEST(MacroExpander, EveryDefinitionIsACandidate) {
  Macros m;
  m.add("IMPL \"impl_a.h\"");
  m.add("IMPL \"impl_b.h\"");
  EXPECT_EQ(m.expand("IMPL"), (std::vector{q("impl_a.h"), q("impl_b.h")}));
}

TEST(MacroExpander, StringifyThroughIndirection) {
  Macros m;
  m.add("STR(x) #x");
  m.add("XSTR(x) STR(x)");
  m.add("PLAT linux_impl");
  EXPECT_EQ(m.expand("XSTR(PLAT.h)"), std::vector{q("linux_impl.h")});
  EXPECT_EQ(m.expand("STR(PLAT.h)"), std::vector{q("PLAT.h")});  // # does not expand its argument
}

TEST(MacroExpander, FunctionLikeAngleAndPaste) {
  Macros m;
  m.add("H(name) <name.h>");
  m.add("CAT(a, b) a##b");
  m.add("P(x) CAT(x, _impl)");
  m.add("Q(x) H(P(x))");
  EXPECT_EQ(m.expand("H(foo)"), std::vector{a("foo.h")});
  EXPECT_EQ(m.expand("Q(bar)"), std::vector{a("bar_impl.h")});
}

TEST(MacroExpander, SelfReferenceTerminates) {
  Macros m;
  m.add("A B");
  m.add("B A");
  EXPECT_TRUE(m.expand("A").empty());
}

TEST(MacroExpander, BlowUpIsAnError) {
  Macros m;
  for (int i = 0; i < 40; ++i) m.add("X \"x" + std::to_string(i) + ".h\"");
  m.add("TWO(a, b) a");
  auto result =
      expand_include_operand(tokenize("TWO(X, TWO(X, X))"), m.table, ExpansionLimits{50, 1000});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("exceeded"), std::string::npos);
}

// Found while fuzzing: each level multiplies the sequence by 16, and every step copies the whole
// sequence, so within max_steps a 700-byte header ran for minutes. The copy budget stops it.
TEST(MacroExpander, GrowingSequencesAreBoundedByCopies) {
  Macros m;
  const int levels = 12;
  for (int i = 0; i + 1 < levels; ++i) {
    std::string body;
    for (int k = 0; k < 16; ++k) body += " M" + std::to_string(i + 1);
    m.add("M" + std::to_string(i) + body);
  }
  m.add("M" + std::to_string(levels - 1) + " x");
  ExpansionLimits limits;
  limits.max_copies = 200000;
  auto result = expand_include_operand(tokenize("M0"), m.table, limits);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("exceeded"), std::string::npos);
}

TEST(MacroExpander, CommandLineDefinitions) {
  EXPECT_EQ(definition_from_command_line("X").body.front().text, "1");
  auto def = definition_from_command_line("CFG=\"cfg.h\"");
  EXPECT_EQ(def.name, "CFG");
  EXPECT_EQ(def.body.front().text, "\"cfg.h\"");
  auto fn = definition_from_command_line("F(x)=<x.h>");
  EXPECT_TRUE(fn.function_like);
}

}  // namespace
}  // namespace dcc::pump
