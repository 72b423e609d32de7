#include "common/arg_safety.h"

#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "common/arg_rules.h"

namespace dcc {
namespace {

std::vector<std::string> split(std::string_view command) {
  std::vector<std::string> out;
  std::istringstream in{std::string(command)};
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

// What the server runs after substituting its temp files, minus argv[0].
constexpr std::string_view kBase = "-c /tmp/distccd_1a63a60b.i -o /tmp/distccd_1ad8a60b.o";

TEST(FindUnsafeArgument, StockClientJobIsSafe) {
  EXPECT_EQ(find_unsafe_argument(split(kBase)), std::nullopt);
}

TEST(FindUnsafeArgument, WrapperMessage) {
  EXPECT_EQ(find_unsafe_argument(split("-c /tmp/d_1.i -o /tmp/d_2.o -wrapper /bin/sh,-c,id")),
            "argument \"-wrapper\" would make the compiler run another program");
}

// ---------------------------------------------------------------------------------------------
// Allowed: realistic server command lines (after a stock 3.4 client stripped -D/-I/-M...).

class AllowedTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AllowedTest, IsSafe) {
  const std::vector<std::string> args = split(GetParam());
  const std::optional<std::string> unsafe = find_unsafe_argument(args);
  EXPECT_EQ(unsafe, std::nullopt) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(
    CommandLines, AllowedTest,
    ::testing::Values(
        "-c /tmp/distccd_1234.i -o /tmp/distccd_5678.o -O2 -g -Wall -fPIC -std=c11 -pthread",
        "-g -O2 -ffile-prefix-map=/build/pkg-1.0=. -fstack-protector-strong "
        "-fstack-clash-protection -Wformat -Werror=format-security -fcf-protection -Wdate-time "
        "-c /tmp/distccd_a.i -o /tmp/distccd_b.o",
        "-std=gnu++17 -O3 -fno-exceptions -fvisibility=hidden -fvisibility-inlines-hidden "
        "-c /tmp/x.ii -o /tmp/y.o",
        "-S /tmp/x.i -o /tmp/y.s -O2 -fverbose-asm", "-c -S /tmp/x.i -o/tmp/y.s",
        "-iquote include -iquote/src/include -c /tmp/x.i -o /tmp/y.o",
        // What a stock 3.4 client sends for cross builds (it does not strip these).
        "--sysroot=/opt/sdk -isysroot /opt/sdk -c /tmp/x.i -o /tmp/y.o",
        "--sysroot /opt/sdk -c /tmp/x.i -o /tmp/y.o",
        "-x c++ -c /tmp/x.ii -o /tmp/y.o", "-xc -c /tmp/x.i -o /tmp/y.o",
        "-x cpp-output -c /tmp/x.i -o /tmp/y.o", "-x objective-c++ -c /tmp/x.mii -o /tmp/y.o",
        "-target x86_64-linux-gnu -Qunused-arguments -fcolor-diagnostics -c /tmp/x.i -o /tmp/y.o",
        "--target=aarch64-linux-gnu -fno-color-diagnostics -c /tmp/x.i -o /tmp/y.o",
        "-flto=auto -ffat-lto-objects -fuse-linker-plugin -c /tmp/x.i -o /tmp/y.o",
        "-flto=thin -c /tmp/x.i -o /tmp/y.o",
        "-Wa,--noexecstack -Wa,--compress-debug-sections=zlib,-mrelax-relocations=no "
        "-Wa,--gdwarf-5 -c /tmp/x.i -o /tmp/y.o",
        "-g3 -gdwarf-4 -ggdb -gz=zlib -gno-column-info -gline-tables-only "
        "-fdebug-prefix-map=/home/u=. -fno-omit-frame-pointer -c /tmp/x.i -o /tmp/y.o",
        "--param ssp-buffer-size=4 --param=max-inline-insns-single=100 -c /tmp/x.i -o /tmp/y.o",
        "-DNDEBUG -D FOO=1 -UBAR -U BAZ -c /tmp/x.i -o /tmp/y.o",
        "-w -ansi -pedantic -pedantic-errors -pipe -p -pg -nostdinc -nostdinc++ -undef "
        "-c /tmp/x.i -o /tmp/y.o",
        "-fsanitize=address,undefined -fno-sanitize-recover=all -fsanitize-address-use-after-scope "
        "-c /tmp/x.i -o /tmp/y.o",
        "-march=x86-64-v3 -mtune=native -march=native -mavx2 -mno-red-zone -mcmodel=kernel -m32 "
        "-c /tmp/x.i -o /tmp/y.o",
        "-O0 -O -O1 -O3 -Os -Ofast -Og -Oz -c /tmp/x.i -o /tmp/y.o",
        "-W -Wextra -Wno-unused-parameter -Wframe-larger-than=2048 -Wpadded -Wabi -Waddress "
        "-Wlogical-op -c /tmp/x.i -o /tmp/y.o",
        "-fno-common -fno-strict-aliasing -fno-profile-arcs -fno-sanitize-ignorelist "
        "-fno-modules -c /tmp/x.i -o /tmp/y.o",
        "-fworking-directory -fdebug-compilation-dir=. -finstrument-functions "
        "-finstrument-functions-exclude-file-list=a,b -fdeduce-init-list -c /tmp/x.i -o /tmp/y.o",
        "-fdiagnostics-color=always -fmessage-length=0 -fmax-errors=5 -ftime-report "
        "-fopenmp -fuse-cxa-atexit -fsplit-stack -c /tmp/x.i -o /tmp/y.o",
        "-c /tmp/x.i -o /tmp/y.o -fdiagnostics-format=json -frecord-gcc-switches"));

// ---------------------------------------------------------------------------------------------
// Refused: each line is appended to kBase; the reason must name its first word and say why.

struct RefusedCase {
  std::string extra;
  std::string why;  // a substring of the reason
};

void PrintTo(const RefusedCase& c, std::ostream* os) { *os << c.extra; }

class RefusedTest : public ::testing::TestWithParam<RefusedCase> {};

TEST_P(RefusedTest, NamesTheArgumentAndTheRisk) {
  const RefusedCase& c = GetParam();
  std::vector<std::string> args = split(kBase);
  for (std::string& word : split(c.extra)) args.push_back(std::move(word));
  const std::optional<std::string> unsafe = find_unsafe_argument(args);
  ASSERT_TRUE(unsafe.has_value()) << c.extra;
  EXPECT_NE(unsafe->find("argument \"" + split(c.extra).front() + "\""), std::string::npos)
      << *unsafe;
  EXPECT_NE(unsafe->find(c.why), std::string::npos) << *unsafe;
}

constexpr const char* kRun = "run another program";
constexpr const char* kHelpers = "helper programs from another directory";
constexpr const char* kRead = "read a file named by the client";
constexpr const char* kWrite = "outside the job's temporary directory";
constexpr const char* kExtra = "never sent back";
constexpr const char* kProfile = "profile data";
constexpr const char* kModules = "module files";
constexpr const char* kSearch = "server directories";
constexpr const char* kLink = "linking";
constexpr const char* kUnchecked = "without this check";
constexpr const char* kDeps = "dependency file";
constexpr const char* kLang = "only C-family languages";
constexpr const char* kUnknown = "not a known-safe compiler option";
constexpr const char* kMissing = "missing its value";

INSTANTIATE_TEST_SUITE_P(
    Options, RefusedTest,
    ::testing::Values(
        // Running programs and loading code.
        RefusedCase{"-wrapper /bin/sh,-c,touch_pwned", kRun}, RefusedCase{"-B/tmp/evil", kHelpers},
        RefusedCase{"-B /tmp/evil", kHelpers}, RefusedCase{"--prefix=/tmp/evil", kHelpers},
        RefusedCase{"-ccc-gcc-name /bin/sh", "programs the clang driver runs"},
        RefusedCase{"--gcc-toolchain=/tmp", "tools from another directory"},
        RefusedCase{"-gcc-toolchain /tmp", "tools from another directory"},
        RefusedCase{"--gcc-install-dir=/tmp", "tools from another directory"},
        RefusedCase{"--ld-path=/tmp/ld", kRun}, RefusedCase{"-fuse-ld=/tmp/evil", kRun},
        RefusedCase{"-foffload=nvptx-none", kRun}, RefusedCase{"-foffload-options=-lm", kRun},
        RefusedCase{"-fopenmp-targets=nvptx64", kRun},
        RefusedCase{"-specs=/tmp/x.specs", "specs file"},
        RefusedCase{"-specs /tmp/x.specs", "specs file"},
        RefusedCase{"--specs=/tmp/x.specs", "specs file"},
        RefusedCase{"--config=/tmp/x.cfg", "configuration file"},
        RefusedCase{"-resource-dir /tmp", "from elsewhere"},
        RefusedCase{"-cc1", "front end directly"}, RefusedCase{"-cc1as", "front end directly"},
        RefusedCase{"-fplugin=/tmp/p.so", "load code"},
        RefusedCase{"-fplugin-arg-p-key=v", "load code"},
        RefusedCase{"-fpass-plugin=/tmp/p.so", "load code"},
        // Unchecked pass-through.
        RefusedCase{"-Xclang -load", kUnchecked}, RefusedCase{"-Xassembler -adhln", kUnchecked},
        RefusedCase{"-Xpreprocessor -M", kUnchecked}, RefusedCase{"-Xlinker --foo", kLink},
        RefusedCase{"-Xarch_x86_64 -foo", kUnchecked}, RefusedCase{"-mllvm -foo", kUnchecked},
        RefusedCase{"-Wp,-MD,/etc/x", kUnchecked}, RefusedCase{"-Wl,-rpath,/x", kLink},
        RefusedCase{"-Wa,-adhln=/tmp/x.lst", "to the assembler"},
        RefusedCase{"-Wa,--MD,/tmp/x.d", "to the assembler"},
        RefusedCase{"-Wa,-I/etc", "to the assembler"},
        RefusedCase{"-Wa,@/etc/passwd", "to the assembler"},
        RefusedCase{"-Wa,--noexecstack,-o,/tmp/x", "\"-o\" to the assembler"},
        // Reading files.
        RefusedCase{"@/etc/passwd", "more arguments from a file"},
        RefusedCase{"-include /etc/passwd", kRead}, RefusedCase{"-imacros /etc/passwd", kRead},
        RefusedCase{"-fsanitize-blacklist=/etc/passwd", kRead},
        RefusedCase{"-fsanitize-ignorelist=/x", kRead},
        RefusedCase{"-fsanitize-coverage-allowlist=/x", kRead},
        RefusedCase{"-fxray-always-instrument=/x", kRead},
        RefusedCase{"-fxray-never-instrument=/x", kRead}, RefusedCase{"-fxray-attr-list=/x", kRead},
        RefusedCase{"-fembed-offload-object=/x", kRead}, RefusedCase{"-fthinlto-index=/x", kRead},
        RefusedCase{"-fbasic-block-sections=list=/x", kRead},
        RefusedCase{"-fbuild-session-file=/x", kRead}, RefusedCase{"-mlink-bitcode-file", kRead},
        // Header and library search.
        RefusedCase{"-I/etc", kSearch}, RefusedCase{"-I /etc", kSearch},
        RefusedCase{"-I-", kSearch}, RefusedCase{"-isystem /usr/include", kSearch},
        RefusedCase{"-idirafter /x", kSearch}, RefusedCase{"-iprefix /x", kSearch},
        RefusedCase{"-iwithprefix x", kSearch}, RefusedCase{"-iwithprefixbefore x", kSearch},
        RefusedCase{"-imultilib x", kSearch},
        RefusedCase{"-iframework /x", kSearch}, RefusedCase{"-F/x", kSearch},
        RefusedCase{"-L/tmp", kLink}, RefusedCase{"-lfoo", kLink}, RefusedCase{"-l foo", kLink},
        RefusedCase{"-T script.ld", kLink},
        // Writing files.
        RefusedCase{"-save-temps", kWrite}, RefusedCase{"-save-temps=obj", kWrite},
        RefusedCase{"--save-temps", kWrite}, RefusedCase{"-save-stats=obj", kWrite},
        RefusedCase{"-dumpbase x", "dump files"}, RefusedCase{"-dumpbase-ext .c", "dump files"},
        RefusedCase{"-dumpdir /tmp/", "dump files"},
        RefusedCase{"-aux-info /tmp/x", "declarations"},
        RefusedCase{"--output=/tmp/x", "another output file"}, RefusedCase{"-MD", kDeps},
        RefusedCase{"-MMD", kDeps}, RefusedCase{"-MF /tmp/x.d", kDeps}, RefusedCase{"-MT x", kDeps},
        RefusedCase{"-M", kDeps}, RefusedCase{"-MJ /tmp/x", kDeps},
        RefusedCase{"-gsplit-dwarf", kExtra}, RefusedCase{"-gsplit-dwarf=single", kExtra},
        RefusedCase{"-gen-reproducer", kExtra}, RefusedCase{"-gen-cdb-fragment-path /x", kExtra},
        RefusedCase{"-fdump-tree-all", kWrite}, RefusedCase{"-fdump-tree-original=/tmp/x", kWrite},
        RefusedCase{"-fdump-rtl-expand", kWrite}, RefusedCase{"-fopt-info-all=/tmp/x", kWrite},
        RefusedCase{"-fcrash-diagnostics-dir=/tmp", kWrite}, RefusedCase{"-ftime-trace", kWrite},
        RefusedCase{"-ftime-trace=/tmp/x", kWrite}, RefusedCase{"-fproc-stat-report=/x", kWrite},
        RefusedCase{"-fdeps-file=/tmp/x", kWrite}, RefusedCase{"-fdeps-format=p1689r5", kWrite},
        RefusedCase{"-fdiagnostics-add-output=sarif:file=/tmp/x", kWrite},
        RefusedCase{"-fdiagnostics-set-output=sarif", kWrite},
        RefusedCase{"-fdiagnostics-format=sarif-file", kExtra},
        RefusedCase{"-fsave-optimization-record", kWrite},
        RefusedCase{"-foptimization-record-file=/tmp/x", kWrite},
        RefusedCase{"-fthin-link-bitcode=/tmp/x", kWrite}, RefusedCase{"-fvtv-counts", kWrite},
        RefusedCase{"-fcallgraph-info", kExtra}, RefusedCase{"-fcallgraph-info=su", kExtra},
        RefusedCase{"-fstack-usage", kExtra}, RefusedCase{"-frepo", kExtra},
        RefusedCase{"-fcompare-debug", "run the compiler twice"},
        RefusedCase{"-fltrans-output-list=/x", "internal LTO"},
        RefusedCase{"-fresolution=/x", "internal LTO"}, RefusedCase{"-fwpa", "internal LTO"},
        // Profiles and modules.
        RefusedCase{"-fprofile-arcs", kProfile}, RefusedCase{"-fprofile-generate", kProfile},
        RefusedCase{"-fprofile-use=/x", kProfile}, RefusedCase{"-fprofile-dir=/tmp", kProfile},
        RefusedCase{"-fprofile-instr-generate", kProfile},
        RefusedCase{"-fprofile-remapping-file=/x", kProfile},
        RefusedCase{"-fauto-profile=/x", kProfile}, RefusedCase{"-fbranch-probabilities", kProfile},
        RefusedCase{"-fcs-profile-generate", kProfile},
        RefusedCase{"-fmemory-profile-use=/x", kProfile}, RefusedCase{"-ftest-coverage", kProfile},
        RefusedCase{"--coverage", kProfile}, RefusedCase{"-fmodules", kModules},
        RefusedCase{"-fmodule-file=/x", kModules},
        RefusedCase{"-fmodule-mapper=|/bin/sh", kModules}, RefusedCase{"-fmodules-ts", kModules},
        RefusedCase{"-fmodules-cache-path=/tmp", kModules},
        RefusedCase{"-fprebuilt-module-path=/tmp", kModules},
        RefusedCase{"-fimplicit-module-maps", kModules}, RefusedCase{"-fcxx-modules", kModules},
        RefusedCase{"-fbuiltin-module-map", kModules},
        RefusedCase{"-module-dependency-dir /tmp", kModules},
        // Languages.
        RefusedCase{"-x cuda", kLang}, RefusedCase{"-x assembler", kLang},
        RefusedCase{"-x assembler-with-cpp", kLang}, RefusedCase{"-x go", kLang},
        RefusedCase{"-x c-header", kLang}, RefusedCase{"-x none", kLang},
        RefusedCase{"-xf95", kLang}, RefusedCase{"-x ada", kLang},
        // Unknown options, a second input or output, a missing value.
        RefusedCase{"-E", kUnknown}, RefusedCase{"-v", kUnknown}, RefusedCase{"-###", kUnknown},
        RefusedCase{"-", kUnknown}, RefusedCase{"-print-prog-name=cc1", kUnknown},
        RefusedCase{"--version", kUnknown}, RefusedCase{"-dumpspecs", kUnknown},
        RefusedCase{"-dH", kUnknown}, RefusedCase{"-static", kUnknown},
        RefusedCase{"-da", kUnknown}, RefusedCase{"-dA", kUnknown},  // RTL dumps and annotations
        RefusedCase{"-shared", kUnknown}, RefusedCase{"-targetx", kUnknown},
        RefusedCase{"--paramx", kUnknown}, RefusedCase{"-o /tmp/other.o", "second output"},
        RefusedCase{"-o/etc/x", "second output"}, RefusedCase{"/etc/passwd", "second input"},
        RefusedCase{"other.c", "second input"}, RefusedCase{"-x", kMissing},
        RefusedCase{"-D", kMissing}, RefusedCase{"-U", kMissing}, RefusedCase{"-iquote", kMissing},
        RefusedCase{"--param", kMissing}, RefusedCase{"-target", kMissing}));

// ---------------------------------------------------------------------------------------------
// The shape of the job.

TEST(FindUnsafeArgument, RequiresCompileOnly) {
  const std::optional<std::string> unsafe = find_unsafe_argument(split("/tmp/a.i -o /tmp/a.o"));
  ASSERT_TRUE(unsafe);
  EXPECT_NE(unsafe->find("neither -c nor -S"), std::string::npos) << *unsafe;
  EXPECT_TRUE(find_unsafe_argument(std::vector<std::string>{}).has_value());
}

TEST(FindUnsafeArgument, RequiresOneOutput) {
  const std::optional<std::string> unsafe = find_unsafe_argument(split("-c /tmp/a.i"));
  ASSERT_TRUE(unsafe);
  EXPECT_NE(unsafe->find("no -o"), std::string::npos) << *unsafe;
}

TEST(FindUnsafeArgument, RequiresAnInput) {
  const std::optional<std::string> unsafe = find_unsafe_argument(split("-c -o /tmp/a.o"));
  ASSERT_TRUE(unsafe);
  EXPECT_NE(unsafe->find("no input"), std::string::npos) << *unsafe;
}

TEST(FindUnsafeArgument, ArgumentsAreCheckedBeforeTheShape) {
  const std::optional<std::string> unsafe = find_unsafe_argument(split("-wrapper x"));
  ASSERT_TRUE(unsafe);
  EXPECT_NE(unsafe->find("\"-wrapper\""), std::string::npos) << *unsafe;
}

TEST(FindUnsafeArgument, OptionValuesAreNotTakenForInputs) {
  EXPECT_EQ(find_unsafe_argument(split("-D X -U Y -iquote q -x c --param p=1 -target t "
                                       "-c /tmp/a.i -o /tmp/a.o")),
            std::nullopt);
}

// What a stock 3.4 client sends for real build command lines is accepted once the server has
// substituted its temp files (§1.5, §3.5b).
TEST(FindUnsafeArgument, AcceptsWhatStockClientsSend) {
  for (const char* command :
       {"gcc -DHAVE_CONFIG_H -I. -g -O2 -MT foo.lo -MD -MP -MF .deps/foo.Tpo -c foo.c -fPIC "
        "-DPIC -o .libs/foo.o",
        "/usr/bin/c++ -DFOO -I/src/include -O3 -DNDEBUG -std=gnu++17 -MD -MT a.o -MF a.o.d "
        "-o a.o -c /src/a.cpp",
        "gcc -Wp,-MMD,drivers/.x.o.d -nostdinc -isystem /usr/lib/gcc/include -Iinclude "
        "-include linux/kconfig.h -D__KERNEL__ -Wall -O2 -mno-red-zone -mcmodel=kernel "
        "-fno-common -c -o drivers/x.o drivers/x.c",
        "clang -target x86_64-linux-gnu -iquote src -stdlib=libc++ -std=c++20 -O2 -c a.cc",
        "gcc -S -O2 -fverbose-asm a.c"}) {
    const Classification decision = classify(split(command));
    ASSERT_TRUE(std::holds_alternative<RemoteJob>(decision)) << command;
    const RemoteJob& job = std::get<RemoteJob>(decision);
    std::vector<std::string> args = strip_local_args(job.argv);
    args.erase(args.begin());  // argv[0]
    bool output_next = false;
    for (std::string& arg : args) {
      if (output_next) arg = "/tmp/distccd_out.o";
      output_next = arg == "-o";
      if (arg == job.input) arg = "/tmp/distccd_in" + preprocessed_extension(job.input);
    }
    EXPECT_EQ(find_unsafe_argument(args), std::nullopt) << command;
  }
}

// Pump mode: the server preprocesses, so what a stock client sends unstripped is expected.
TEST(FindUnsafePumpArgument, AcceptsHeaderSearchAndDependencyOptions) {
  std::vector<std::string> args = {"-c", "hello.c", "-o", "/tmp/out.o", "-I/home/u/inc", "-I", "rel", "-iquote", "q",
                                   "-isystem/s", "-idirafter", "/a", "-include", "cfg.h", "-imacros", "m.h", "-MD",
                                   "-MMD", "-MP", "-MT", "t", "-MQ", "q", "-MF", "x.d", "-DX=1", "-O2", "-g"};
  EXPECT_EQ(find_unsafe_pump_argument(args), std::nullopt);
}

TEST(FindUnsafePumpArgument, RefusesWhatPlainModeRefuses) {
  EXPECT_NE(find_unsafe_pump_argument(std::vector<std::string>{"-c", "a.c", "-o", "/tmp/o.o", "-wrapper", "/bin/sh"}),
            std::nullopt);
  EXPECT_NE(find_unsafe_pump_argument(std::vector<std::string>{"-c", "a.c", "-o", "/tmp/o.o", "-fplugin=/x.so"}),
            std::nullopt);
  EXPECT_NE(find_unsafe_pump_argument(std::vector<std::string>{"-c", "a.c", "-o", "/tmp/o.o", "b.c"}), std::nullopt);
  EXPECT_NE(find_unsafe_pump_argument(std::vector<std::string>{"a.c", "-o", "/tmp/o.o"}), std::nullopt);
}

TEST(FindUnsafePumpArgument, IncludeOptionWithoutItsValueIsRefused) {
  auto why = find_unsafe_pump_argument(std::vector<std::string>{"-c", "a.c", "-o", "/tmp/o.o", "-include"});
  ASSERT_NE(why, std::nullopt);
  EXPECT_NE(why->find("missing its value"), std::string::npos) << *why;
}

}  // namespace
}  // namespace dcc
