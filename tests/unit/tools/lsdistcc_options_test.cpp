#include "tools/lsdistcc/options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dcc::lsdistcc {
namespace {

Result<CommandLine> parse(std::vector<std::string> args) { return parse_command_line(args); }

TEST(LsdistccOptions, DefaultsAre34s) {
  auto line = parse({});
  ASSERT_TRUE(line.ok());
  const Options& o = line->options;
  EXPECT_FALSE(line->help);
  EXPECT_EQ(o.total_timeout, std::chrono::seconds(7));
  EXPECT_EQ(o.dns_retry, Millis(500));
  EXPECT_EQ(o.connect_timeout, Millis(900));
  EXPECT_EQ(o.compile_timeout, Millis(1500));
  EXPECT_EQ(o.overlap, 1);
  EXPECT_EQ(o.dns_gap, 0);
  EXPECT_EQ(o.port, 3632);
  EXPECT_EQ(o.protocol, 1);
  EXPECT_FALSE(o.compiler.has_value());
  EXPECT_TRUE(o.operands.empty());
}

TEST(LsdistccOptions, AttachedValuesAndFlags) {
  auto line = parse({"-l", "-n", "-x", "-d", "-v", "-v", "-t3", "-h20", "-c0", "-k2500", "-m24",
                     "-o4", "-g2", "-r3633", "-P2", "-px86_64-linux-gnu-gcc", "hosta", "-l"});
  ASSERT_TRUE(line.ok()) << line.error().message;
  const Options& o = line->options;
  EXPECT_TRUE(o.latency && o.numeric && o.mark_down && o.append_domain);
  EXPECT_EQ(o.verbose, 2);
  EXPECT_EQ(o.total_timeout, std::chrono::seconds(3));
  EXPECT_EQ(o.dns_retry, Millis(20));
  EXPECT_EQ(o.connect_timeout, Millis(0));
  EXPECT_EQ(o.compile_timeout, Millis(2500));
  EXPECT_EQ(o.match_bits, 24);
  EXPECT_EQ(o.overlap, 4);
  EXPECT_EQ(o.dns_gap, 2);
  EXPECT_EQ(o.port, 3633);
  EXPECT_EQ(o.protocol, 2);
  EXPECT_EQ(o.compiler, "x86_64-linux-gnu-gcc");
  // The first operand ends the options, as in 3.4.
  EXPECT_EQ(o.operands, (std::vector<std::string>{"hosta", "-l"}));
}

TEST(LsdistccOptions, FlagGroupsAsTheUsageLineShows) {
  auto line = parse({"-nvd", "-lx"});
  ASSERT_TRUE(line.ok());
  EXPECT_TRUE(line->options.numeric && line->options.append_domain && line->options.latency &&
              line->options.mark_down);
  EXPECT_EQ(line->options.verbose, 1);
}

TEST(LsdistccOptions, HelpAndDoubleDash) {
  EXPECT_TRUE(parse({"-l", "--help"})->help);
  auto line = parse({"--", "-weird-host"});
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->options.operands, std::vector<std::string>{"-weird-host"});
}

TEST(LsdistccOptions, RejectsWhat34WouldMisread) {
  for (std::vector<std::string> bad : std::vector<std::vector<std::string>>{
           {"-r"}, {"-r0"}, {"-r65536"}, {"-rabc"}, {"-P0"}, {"-P4"}, {"-m32"}, {"-t-1"},
           {"-p"}, {"-q"}, {"-lz"}, {"-t5s"}, {"--verbose"}}) {
    auto line = parse(bad);
    EXPECT_FALSE(line.ok()) << bad[0];
    if (!line.ok()) {
      EXPECT_NE(line.error().message.find(bad[0].substr(0, 2)), std::string::npos);
    }
  }
}

TEST(LsdistccOptions, UsageListsEveryOptionIndented) {
  std::string usage = usage_text();
  for (const char* option : {"  -l ", "  -n ", "  -x ", "  -tTIMEOUT", "  -hHTIMEOUT",
                             "  -cCTIMEOUT", "  -kKTIMEOUT", "  -mBITS", "  -oOVERLAP",
                             "  -gDNSGAP", "  -rPORT", "  -PPROTOCOL", "  -pCOMPILER", "  -d ",
                             "  -v ", "  --help"}) {
    EXPECT_NE(usage.find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace dcc::lsdistcc
