#include "tools/lsdistcc/targets.h"

#include <gtest/gtest.h>

namespace dcc::lsdistcc {
namespace {

Options with_operands(std::vector<std::string> operands) {
  Options options;
  options.operands = std::move(operands);
  return options;
}

TEST(LsdistccTargets, NamesFromFormat) {
  EXPECT_EQ(name_from_format("distcc%d", 1), "distcc1");
  EXPECT_EQ(name_from_format("build-%d.farm", 12), "build-12.farm");
  EXPECT_EQ(name_from_format("a%db%d", 3), "a3b3");
  EXPECT_EQ(name_from_format("%s%x", 3), "%s%x");  // no printf: other directives stay text
}

TEST(LsdistccTargets, DefaultFormatWithoutOperands) {
  auto source = target_source(Options{}, "");
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->format, "distcc%d");
  EXPECT_EQ(source->count(), kMaxGeneratedNames);
  EXPECT_EQ(target_at(*source, 1, Options{}, "").host, "distcc1");
  EXPECT_EQ(target_at(*source, 500, Options{}, "").host, "distcc500");
}

TEST(LsdistccTargets, FormatOperandWithPortAndDomain) {
  Options options = with_operands({"cc%d", "ignored"});
  options.port = 4000;
  options.append_domain = true;
  auto source = target_source(options, "example.org");
  ASSERT_TRUE(source.ok());
  Target t = target_at(*source, 7, options, "example.org");
  EXPECT_EQ(t.host, "cc7.example.org");
  EXPECT_EQ(t.port, 4000);
}

TEST(LsdistccTargets, HostListWithPortsAndHostSpecs) {
  Options options = with_operands({"hosta", "10.0.0.2:3633", "hostc:4000/8,lzo", "hostd,cpp,lzo"});
  options.port = 3700;
  auto source = target_source(options, "");
  ASSERT_TRUE(source.ok()) << source.error().message;
  ASSERT_EQ(source->count(), 4u);
  EXPECT_FALSE(source->format);
  EXPECT_EQ(target_at(*source, 1, options, "").host, "hosta");
  EXPECT_EQ(target_at(*source, 1, options, "").port, 3700);
  EXPECT_EQ(target_at(*source, 2, options, "").host, "10.0.0.2");
  EXPECT_EQ(target_at(*source, 2, options, "").port, 3633);
  EXPECT_EQ(target_at(*source, 3, options, "").host, "hostc");
  EXPECT_EQ(target_at(*source, 3, options, "").port, 4000);
  EXPECT_EQ(target_at(*source, 4, options, "").host, "hostd");
}

TEST(LsdistccTargets, RejectsUnprobeableHosts) {
  for (const char* bad : {"host:", "host:0", "host:x", "host:70000", "@sshhost", ":3632", "/4"}) {
    EXPECT_FALSE(target_source(with_operands({bad}), "").ok()) << bad;
  }
}

TEST(LsdistccTargets, DomainFromHostnameOrCanonicalName) {
  EXPECT_EQ(domain_of("build.example.org", ""), "example.org");
  EXPECT_EQ(domain_of("build", "build.corp.example"), "corp.example");
  EXPECT_EQ(domain_of("build", "build"), "");
  EXPECT_EQ(domain_of("build.", ""), "");
}

TEST(LsdistccTargets, SameNetwork) {
  Ipv4 a{10, 1, 2, 3}, b{10, 1, 3, 3}, c{11, 1, 2, 3};
  EXPECT_TRUE(same_network(a, c, 0));
  EXPECT_TRUE(same_network(a, b, 16));
  EXPECT_TRUE(same_network(a, b, 23));  // 2 = ...0010, 3 = ...0011: differ in bit 24
  EXPECT_FALSE(same_network(a, b, 24));
  EXPECT_TRUE(same_network(a, c, 7));  // 10 = 00001010, 11 = 00001011
  EXPECT_FALSE(same_network(a, c, 8));
  EXPECT_TRUE(same_network(a, a, 31));
}

TEST(LsdistccTargets, OutputLines) {
  Target plain{"distcc1", 3632};
  Target ported{"127.0.0.1", 3700};
  Outcome up{true, {127, 0, 0, 1}, Millis(12)};
  Outcome down{false, {127, 0, 0, 1}, Millis(3)};
  Options o;
  EXPECT_EQ(format_line(plain, up, o), "distcc1");
  EXPECT_EQ(format_line(ported, up, o), "127.0.0.1:3700");
  EXPECT_EQ(format_line(plain, down, o), std::nullopt);
  o.mark_down = true;
  EXPECT_EQ(format_line(plain, down, o), "distcc1,down");
  o.protocol = 2;
  EXPECT_EQ(format_line(ported, down, o), "127.0.0.1:3700,lzo,down");
  o.protocol = 3;
  o.latency = true;
  EXPECT_EQ(format_line(plain, up, o), "distcc1,lzo,cpp 12");
  o.numeric = true;
  o.protocol = 1;
  EXPECT_EQ(format_line(Target{"distcc1", 3633}, up, o), "127.0.0.1:3633 12");
  EXPECT_EQ(format_line(plain, Outcome{true, {10, 0, 0, 9}, std::nullopt}, o), "10.0.0.9 0");
}

}  // namespace
}  // namespace dcc::lsdistcc
