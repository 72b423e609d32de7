#include "common/arg_rules.h"

#include <gtest/gtest.h>

#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace dcc {
namespace {

std::vector<std::string> split(std::string_view command) {
  std::vector<std::string> out;
  std::istringstream in{std::string(command)};
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

struct ClassifyCase {
  std::string name;
  std::string command;
  std::optional<LocalReason> local;  // nullopt: expect a RemoteJob
  std::string input;
  std::string output;
  bool assemble_only = false;
  std::string remote_argv;  // expected RemoteJob::argv; empty: the command itself
};

ClassifyCase local(std::string name, std::string command, LocalReason reason) {
  return {std::move(name), std::move(command), reason, "", "", false, ""};
}

ClassifyCase remote(std::string name, std::string command, std::string input, std::string output,
                    std::string argv = "", bool assemble_only = false) {
  return {std::move(name),   std::move(command), std::nullopt,   std::move(input),
          std::move(output), assemble_only,      std::move(argv)};
}

using R = LocalReason;

const ClassifyCase kCases[] = {
    // Plain compiles, every source extension, output as written or synthesised.
    remote("c_with_o", "gcc -c hello.c -o hello.o", "hello.c", "hello.o"),
    remote("joined_o", "gcc -c hello.c -ohello.o", "hello.c", "hello.o"),
    remote("o_before_c", "gcc -o x.o -c x.c", "x.c", "x.o"),
    remote("default_o", "gcc -c hello.c", "hello.c", "hello.o", "gcc -c hello.c -o hello.o"),
    remote("default_o_current_dir", "gcc -c src/lib/foo.cpp", "src/lib/foo.cpp", "foo.o",
           "gcc -c src/lib/foo.cpp -o foo.o"),
    remote("default_o_dot_slash", "gcc -c ./a.c", "./a.c", "a.o", "gcc -c ./a.c -o a.o"),
    remote("default_s", "gcc -S foo.c", "foo.c", "foo.s", "gcc -S foo.c -o foo.s", true),
    remote("S_wins_over_c", "gcc -c -S foo.c", "foo.c", "foo.s", "gcc -c -S foo.c -o foo.s", true),
    remote("S_with_o", "gcc -S foo.c -o out.s", "foo.c", "out.s", "", true),
    remote("ext_cc", "g++ -c a.cc -o a.o", "a.cc", "a.o"),
    remote("ext_cpp", "g++ -c a.cpp -o a.o", "a.cpp", "a.o"),
    remote("ext_cxx", "g++ -c a.cxx -o a.o", "a.cxx", "a.o"),
    remote("ext_cp", "g++ -c a.cp -o a.o", "a.cp", "a.o"),
    remote("ext_cplusplus", "g++ -c a.c++ -o a.o", "a.c++", "a.o"),
    remote("ext_C", "g++ -c a.C", "a.C", "a.o", "g++ -c a.C -o a.o"),
    remote("ext_m", "gcc -c a.m -o a.o", "a.m", "a.o"),
    remote("ext_mm", "gcc -c a.mm -o a.o", "a.mm", "a.o"),
    remote("ext_M", "gcc -c a.M -o a.o", "a.M", "a.o"),
    remote("ext_i", "gcc -c a.i", "a.i", "a.o", "gcc -c a.i -o a.o"),
    remote("ext_ii", "g++ -c a.ii -o a.o", "a.ii", "a.o"),
    remote("ext_mi", "gcc -c a.mi -o a.o", "a.mi", "a.o"),
    remote("ext_mii", "gcc -c a.mii -o a.o", "a.mii", "a.o"),
    remote("any_output_name", "gcc -c foo.c -o foo.obj", "foo.c", "foo.obj"),
    remote("output_without_extension", "gcc -c a.c -o x", "a.c", "x"),
    remote("triple_compiler", "/usr/bin/x86_64-linux-gnu-gcc -c a.c -o a.o", "a.c", "a.o"),
    remote("c_twice", "gcc -c -c a.c -o a.o", "a.c", "a.o"),
    remote("three_letter_name", "gcc -c a.c", "a.c", "a.o", "gcc -c a.c -o a.o"),
    // Real build-system command lines.
    remote("cmake",
           "/usr/bin/c++ -DFOO -I/src/include -O3 -DNDEBUG -std=gnu++17 -MD "
           "-MT CMakeFiles/t.dir/a.cpp.o -MF CMakeFiles/t.dir/a.cpp.o.d "
           "-o CMakeFiles/t.dir/a.cpp.o -c /src/a.cpp",
           "/src/a.cpp", "CMakeFiles/t.dir/a.cpp.o"),
    remote("libtool",
           "gcc -DHAVE_CONFIG_H -I. -g -O2 -MT foo.lo -MD -MP -MF .deps/foo.Tpo "
           "-c foo.c -fPIC -DPIC -o .libs/foo.o",
           "foo.c", ".libs/foo.o"),
    remote("kernel_wp_mmd", "gcc -Wp,-MMD,drivers/.x.o.d -nostdinc -c -o drivers/x.o drivers/x.c",
           "drivers/x.c", "drivers/x.o",
           "gcc -MMD -MF drivers/.x.o.d -nostdinc -c -o drivers/x.o drivers/x.c"),
    remote("typical_flags", "g++ -c main.cpp -std=c++20 -O2 -g -Wall -fPIC -pthread -o obj/main.o",
           "main.cpp", "obj/main.o"),
    remote("library_operand_ignored", "gcc -c a.c -o a.o libfoo.a", "a.c", "a.o"),
    // Dependency options that 3.4 lets through.
    remote("MD", "gcc -MD -c a.c -o a.o", "a.c", "a.o"),
    remote("MMD_MP_MG", "gcc -MMD -MP -MG -c a.c -o a.o", "a.c", "a.o"),
    remote("MF_separate", "gcc -c a.c -MF a.d -o a.o", "a.c", "a.o"),
    remote("MT_joined", "gcc -c a.c -MTa.o -o a.o", "a.c", "a.o"),
    remote("MQ_separate", "gcc -c a.c -MQ $(obj) -o a.o", "a.c", "a.o"),
    remote("MF_skips_source_name", "gcc -c a.c -MF b.c -o a.o", "a.c", "a.o"),
    remote("MT_skips_object_name", "gcc -c a.c -MT b.o -o a.o", "a.c", "a.o"),
    remote("MF_skips_dash_E", "gcc -c a.c -MF -E -o a.o", "a.c", "a.o"),
    remote("MF_last", "gcc -c a.c -o a.o -MF", "a.c", "a.o"),
    remote("wp_md", "gcc -Wp,-MD,.deps/a.d -c a.c -o a.o", "a.c", "a.o",
           "gcc -MD -MF .deps/a.d -c a.c -o a.o"),
    remote("wp_md_without_file", "gcc -c a.c -o a.o -Wp,-MD", "a.c", "a.o",
           "gcc -c a.c -o a.o -MD"),
    // Options near a local rule that are distributed.
    remote("flto_auto", "gcc -flto=auto -c a.c -o a.o", "a.c", "a.o"),
    remote("flto_thin", "clang -flto=thin -c a.c -o a.o", "a.c", "a.o"),
    remote("march_explicit", "gcc -march=x86-64-v3 -mtune=generic -c a.c -o a.o", "a.c", "a.o"),
    remote("wa_noexecstack", "gcc -Wa,--noexecstack -c a.c -o a.o", "a.c", "a.o"),
    remote("profile_update", "gcc -fprofile-update=atomic -c a.c -o a.o", "a.c", "a.o"),
    remote("d_letters_not_dr", "gcc -dA -dD -c a.c -o a.o", "a.c", "a.o"),
    // -x quirks: the language is the next argument, which is not skipped.
    remote("x_c", "gcc -x c -c foo.c -o foo.o", "foo.c", "foo.o"),
    remote("x_cplusplus", "gcc -x c++ -c foo.c -o foo.o", "foo.c", "foo.o"),
    remote("x_objective_c", "gcc -x objective-c -c foo.m -o foo.o", "foo.m", "foo.o"),
    remote("x_objective_cplusplus", "gcc -x objective-c++ -c f.mm -o f.o", "f.mm", "f.o"),
    remote("x_cpp_output", "gcc -x cpp-output -c f.i -o f.o", "f.i", "f.o"),
    remote("x_c_header_passes", "gcc -x c-header -c a.c -o a.o", "a.c", "a.o"),
    remote("x_cuda_passes", "clang -x cuda -c a.cc -o a.o", "a.cc", "a.o"),
    remote("x_go_passes", "gccgo -x go -c a.c -o a.o", "a.c", "a.o"),
    remote("x_last_argument", "gcc -c a.c -o a.o -x", "a.c", "a.o"),
    remote("x_joined_checks_next", "gcc -xassembler c -c a.c -o a.o", "a.c", "a.o"),
    // Quirks kept from 3.4.
    remote("o_value_not_checked", "gcc -c a.c -o -E", "a.c", "-E"),
    remote("joined_o_catches_objcmt_alone", "clang -c a.m -objcmt-migrate-literals", "a.m",
           "bjcmt-migrate-literals"),
    remote("not_conftest", "gcc -c myconftest.c", "myconftest.c", "myconftest.o",
           "gcc -c myconftest.c -o myconftest.o"),
    remote("conftest_without_dot", "gcc -c conftestx.c -o c.o", "conftestx.c", "c.o"),
    remote("iquote_kept", "gcc -iquote inc -c a.c -o a.o", "a.c", "a.o"),

    // -E and dependency listings.
    local("E", "gcc -E a.c", R::preprocess_only),
    local("E_after_c", "gcc -c a.c -E -o a.i", R::preprocess_only),
    local("M", "gcc -M a.c", R::dependencies_only),
    local("MM", "gcc -MM -c a.c", R::dependencies_only),
    local("MJ", "clang -MJ a.json -c a.c -o a.o", R::dependencies_only),
    local("wp_M", "gcc -c a.c -Wp,-M", R::dependencies_only),
    local("wp_E", "gcc -c a.c -Wp,-E", R::preprocess_only),
    // Machine-specific, LTO, assembler listings, specs.
    local("march_native", "gcc -march=native -c a.c -o a.o", R::march_native),
    local("mtune_native", "gcc -mtune=native -c a.c -o a.o", R::march_native),
    local("flto", "gcc -flto -c a.c -o a.o", R::lto),
    local("wa_listing", "gcc -Wa,-alh=a.lst -c a.c -o a.o", R::assembler_listing),
    local("wa_listing_later", "gcc -Wa,--noexecstack,-adhln -c a.c -o a.o", R::assembler_listing),
    local("wa_md", "gcc -Wa,--MD,a.d -c a.c -o a.o", R::assembler_listing),
    local("specs_eq", "gcc -specs=foo.specs -c a.c -o a.o", R::specs_file),
    local("specs_double_dash", "gcc --specs=foo.specs -c a.c -o a.o", R::specs_file),
    local("specs_separate", "gcc -specs foo.specs -c a.c -o a.o", R::specs_file),
    // Profiling and friends.
    local("fprofile_arcs", "gcc -fprofile-arcs -c a.c -o a.o", R::profiling),
    local("ftest_coverage", "gcc -ftest-coverage -c a.c -o a.o", R::profiling),
    local("coverage", "gcc --coverage -c a.c -o a.o", R::profiling),
    local("fprofile_generate", "gcc -fprofile-generate -c a.c -o a.o", R::profiling),
    local("fprofile_generate_dir", "gcc -fprofile-generate=/tmp/p -c a.c -o a.o", R::profiling),
    local("fprofile_use", "gcc -fprofile-use=a.gcda -c a.c -o a.o", R::profiling),
    local("fauto_profile", "gcc -fauto-profile=perf.afdo -c a.c -o a.o", R::profiling),
    local("fprofile_correction", "gcc -fprofile-correction -c a.c -o a.o", R::profiling),
    local("frepo", "g++ -frepo -c a.cc -o a.o", R::frepo),
    // -x languages that are not distributed.
    local("x_assembler", "gcc -x assembler -c a.c -o a.o", R::unsupported_language),
    local("x_assembler_with_cpp", "gcc -x assembler-with-cpp -c a.c", R::unsupported_language),
    local("x_none", "gcc -x none -c a.c -o a.o", R::unsupported_language),
    local("x_f95", "gfortran -x f95 -c a.c -o a.o", R::unsupported_language),
    local("xc_joined_reads_next", "gcc -xc -c a.c -o a.o", R::unsupported_language),
    local("dr", "gcc -dr -c a.c -o a.o", R::rtl_dump),
    local("drtl", "gcc -drtl-expand -c a.c -o a.o", R::rtl_dump),
    // Inputs and outputs.
    local("o_twice", "gcc -c a.c -o a.o -o b.o", R::multiple_outputs),
    local("o_and_bare_object", "gcc -c a.c -o a.o b.o", R::multiple_outputs),
    local("link_objects", "gcc a.o b.o -o prog", R::multiple_outputs),
    local("objcmt_plus_o", "clang -c a.m -objcmt-migrate-literals -o a.o", R::multiple_outputs),
    local("bare_object_only", "gcc -c a.c b.o", R::object_operand),
    local("two_sources", "gcc -c a.c b.c", R::multiple_sources),
    local("two_sources_with_o", "gcc -c a.c b.cpp -o x.o", R::multiple_sources),
    local("include_value_taken_as_source", "gcc -include foo.h.c -c a.c", R::multiple_sources),
    local("link", "gcc a.c -o a", R::not_compiling),
    local("link_o_first", "gcc -o prog a.c", R::not_compiling),
    local("compiler_only", "gcc", R::not_compiling),
    local("assembly_s", "gcc -c foo.s -o foo.o", R::no_source_file),
    local("assembly_S", "gcc -c foo.S -o foo.o", R::no_source_file),
    local("header_pch", "gcc -x c-header -c foo.h -o foo.h.gch", R::no_source_file),
    local("uppercase_cpp_not_source", "g++ -c foo.CPP", R::no_source_file),
    local("c_alone", "gcc -c", R::no_source_file),
    local("conftest", "gcc -c conftest.c", R::configure_test),
    local("conftest_in_dir", "gcc -c sub/conftest.cpp -o x.o", R::configure_test),
    local("tmp_conftest", "gcc -c tmp.conftest.c -o x.o", R::configure_test),
    local("conftest_before_stdout", "gcc -c conftest.c -o -", R::configure_test),
    local("output_stdout", "gcc -c a.c -o -", R::output_to_stdout),
    local("output_stdout_joined", "gcc -S a.c -o-", R::output_to_stdout),
    local("short_name", "gcc -c .c", R::bad_source_name),
    local("short_name_in_dir", "gcc -c dir/.c", R::bad_source_name),
    // First match wins, left to right.
    local("E_before_march", "gcc -E -march=native a.c", R::preprocess_only),
    local("march_before_E", "gcc -march=native -E a.c", R::march_native),
    local("sources_before_E", "gcc -c a.c b.c -E", R::multiple_sources),
    // Deliberate fixes.
    local("save_temps", "gcc -save-temps -c a.c -o a.o", R::save_temps),
    local("save_temps_obj", "gcc -save-temps=obj -c a.c -o a.o", R::save_temps),
    local("gsplit_dwarf", "gcc -g -gsplit-dwarf -c a.c -o a.o", R::split_dwarf),
    local("gsplit_dwarf_single", "clang -gsplit-dwarf=single -c a.c -o a.o", R::split_dwarf),
    local("fplugin", "gcc -fplugin=./p.so -c a.c -o a.o", R::compiler_plugin),
    local("fplugin_arg", "gcc -fplugin-arg-p-x=1 -c a.c -o a.o", R::compiler_plugin),
    local("fpass_plugin", "clang -fpass-plugin=p.so -c a.c -o a.o", R::compiler_plugin),
    local("wrapper", "gcc -wrapper gdb,--args -c a.c -o a.o", R::wrapper),
    local("response_file", "gcc @args.rsp", R::response_file),
    local("response_file_after_c", "gcc -c a.c @more", R::response_file),
    local("response_file_as_output", "gcc -c a.c -o @out.o", R::response_file),
    local("response_file_as_MF", "gcc -c a.c -MF @deps -o a.o", R::response_file),
    local("o_last", "gcc -c a.c -o", R::missing_output_name),
};

class ClassifyTest : public ::testing::TestWithParam<ClassifyCase> {};

TEST_P(ClassifyTest, Decides) {
  const ClassifyCase& c = GetParam();
  const std::vector<std::string> argv = split(c.command);
  const Classification got = classify(argv);
  if (c.local) {
    ASSERT_TRUE(std::holds_alternative<LocalReason>(got)) << c.command << " was distributed";
    EXPECT_EQ(describe(std::get<LocalReason>(got)), describe(*c.local)) << c.command;
    return;
  }
  ASSERT_TRUE(std::holds_alternative<RemoteJob>(got))
      << c.command << " is local: " << describe(std::get<LocalReason>(got));
  const RemoteJob& job = std::get<RemoteJob>(got);
  EXPECT_EQ(job.input, c.input);
  EXPECT_EQ(job.output, c.output);
  EXPECT_EQ(job.assemble_only, c.assemble_only);
  EXPECT_EQ(job.argv, split(c.remote_argv.empty() ? c.command : c.remote_argv));
}

INSTANTIATE_TEST_SUITE_P(Table, ClassifyTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ClassifyCase>& info) {
                           return info.param.name;
                         });

TEST(ClassifyTable, HasEnoughCasesAndCoversEveryReason) {
  EXPECT_GE(std::size(kCases), 90u);
  std::set<std::string_view> seen;
  for (const ClassifyCase& c : kCases) {
    if (c.local) seen.insert(describe(*c.local));
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(LocalReason::object_operand) + 1);
}

TEST(Describe, EveryReasonHasDistinctText) {
  std::set<std::string_view> texts;
  for (int r = 0; r <= static_cast<int>(LocalReason::object_operand); ++r) {
    const std::string_view text = describe(static_cast<LocalReason>(r));
    EXPECT_FALSE(text.empty());
    EXPECT_NE(text, "unknown reason");
    texts.insert(text);
  }
  EXPECT_EQ(texts.size(), static_cast<size_t>(LocalReason::object_operand) + 1);
  EXPECT_EQ(describe(LocalReason::preprocess_only), "-E: preprocessing only");
}

TEST(ExpandPreprocessorOptions, SplitsEveryComma) {
  EXPECT_EQ(expand_preprocessor_options(split("gcc -Wp,-DA,-UB,-C -c a.c")),
            split("gcc -DA -UB -C -c a.c"));
}

TEST(ExpandPreprocessorOptions, MdAndMmdTakeTheFileName) {
  EXPECT_EQ(expand_preprocessor_options(split("gcc -Wp,-MD,a.d -Wp,-MMD,b.d,-DX -c a.c")),
            split("gcc -MD -MF a.d -MMD -MF b.d -DX -c a.c"));
}

TEST(ExpandPreprocessorOptions, MdWithoutFileStaysAlone) {
  EXPECT_EQ(expand_preprocessor_options(split("gcc -Wp,-MD")), split("gcc -MD"));
}

TEST(ExpandPreprocessorOptions, EmptyPiecesSurvive) {
  const std::vector<std::string> argv = {"gcc", "-Wp,", "-Wp,-DA,,-DB"};
  EXPECT_EQ(expand_preprocessor_options(argv),
            (std::vector<std::string>{"gcc", "", "-DA", "", "-DB"}));
}

TEST(ExpandPreprocessorOptions, LeavesOtherArgumentsAndIsIdempotent) {
  const std::vector<std::string> argv = split("gcc -Wpadded -Wa,-x -Wl,-y -c a.c -Wp,-MD,d,-Wp");
  const std::vector<std::string> once = expand_preprocessor_options(argv);
  EXPECT_EQ(once, split("gcc -Wpadded -Wa,-x -Wl,-y -c a.c -MD -MF d -Wp"));
  EXPECT_EQ(expand_preprocessor_options(once), once);
}

TEST(StripLocalArgs, RemovesOptionsWithTheirArgument) {
  EXPECT_EQ(strip_local_args(split(
                "gcc -D X -I inc -U Y -L lib -l m -MF a.d -MT a.o -MQ q -include h.h -imacros m.h "
                "-iprefix p -iwithprefix w -isystem s -iwithprefixbefore b -idirafter d -c a.c")),
            split("gcc -c a.c"));
}

TEST(StripLocalArgs, RemovesJoinedForms) {
  EXPECT_EQ(strip_local_args(split("gcc -Wp,-MD,a.d -Wl,-z,now -DX=1 -UY -Iinc -I- -lm -Llib "
                                   "-MFa.d -MTa.o -MQq -isystem/s -stdlib=libc++ -c a.c -o a.o")),
            split("gcc -c a.c -o a.o"));
}

TEST(StripLocalArgs, RemovesExactCppOnlyOptions) {
  EXPECT_EQ(
      strip_local_args(split("gcc -undef -nostdinc -nostdinc++ -MD -MMD -MG -MP -c a.c -o a.o")),
      split("gcc -c a.c -o a.o"));
}

TEST(StripLocalArgs, KeepsWhat34Keeps) {
  // 3.4 does not strip -iquote (#504), -Xpreprocessor (HEAD only), -x, -include-pch, -M, -E.
  const std::vector<std::string> kept = split(
      "gcc -iquote q -Xpreprocessor -foo -x c -include-pch p.pch -imacrosx -O2 -g -Wall "
      "-fPIC -std=c11 -c a.c -o a.o");
  EXPECT_EQ(strip_local_args(kept), kept);
}

TEST(StripLocalArgs, OptionWithValueAtTheEnd) {
  EXPECT_EQ(strip_local_args(split("gcc -c a.c -D")), split("gcc -c a.c"));
  EXPECT_EQ(strip_local_args(std::vector<std::string>{}), std::vector<std::string>{});
}

TEST(StripLocalArgs, AppliesToClassifiedArgv) {
  const Classification got = classify(split("gcc -DX -Iinc -MD -MF a.d -c src/a.c"));
  ASSERT_TRUE(std::holds_alternative<RemoteJob>(got));
  EXPECT_EQ(strip_local_args(std::get<RemoteJob>(got).argv), split("gcc -c src/a.c -o a.o"));
}

TEST(MakePreprocessArgv, DropsOutputAndTurnsCIntoE) {
  EXPECT_EQ(make_preprocess_argv(split("gcc -MD -c a.c -o a.o -O2")), split("gcc -MD -E a.c -O2"));
  EXPECT_EQ(make_preprocess_argv(split("gcc -S a.c -oa.s")), split("gcc -E a.c"));
  EXPECT_EQ(make_preprocess_argv(split("gcc -c -c a.c -o a.o -S")), split("gcc -E -E a.c -E"));
  EXPECT_EQ(make_preprocess_argv(split("gcc -c a.c -o")), split("gcc -E a.c"));
  EXPECT_EQ(make_preprocess_argv(std::vector<std::string>{}), std::vector<std::string>{});
}

TEST(IsSourceFile, Extensions) {
  for (const char* yes : {"a.i", "a.ii", "a.c", "a.cc", "a.cpp", "a.cxx", "a.cp", "a.c++", "a.C",
                          "a.m", "a.mm", "a.mi", "a.mii", "a.M", "dir/x.y.c", ".c"}) {
    EXPECT_TRUE(is_source_file(yes)) << yes;
  }
  for (const char* no : {"a.s", "a.S", "a.h", "a.hpp", "a.o", "a.CPP", "a.CC", "a.cu", "a.", "a",
                         "", "dir.c/a", "a.c.o", "a.f90"}) {
    EXPECT_FALSE(is_source_file(no)) << no;
  }
}

TEST(IsPreprocessedFile, Extensions) {
  for (const char* yes : {"a.i", "a.ii", "a.mi", "a.mii", "/tmp/distcc_1.ii"}) {
    EXPECT_TRUE(is_preprocessed_file(yes)) << yes;
  }
  for (const char* no : {"a.c", "a.cc", "a.m", "a.s", "a.iii", "a.I", "a"}) {
    EXPECT_FALSE(is_preprocessed_file(no)) << no;
  }
}

TEST(PreprocessedExtension, Table) {
  const std::pair<const char*, const char*> kTable[] = {
      {"a.c", ".i"},   {"a.i", ".i"},    {"a.cc", ".ii"}, {"a.cpp", ".ii"},   {"a.cxx", ".ii"},
      {"a.cp", ".ii"}, {"a.c++", ".ii"}, {"a.C", ".ii"},  {"a.ii", ".ii"},    {"a.m", ".mi"},
      {"a.mi", ".mi"}, {"a.mm", ".mii"}, {"a.M", ".mii"}, {"a.mii", ".mii"},  {"a.s", ".s"},
      {"a.S", ".s"},   {"a.h", ".tmp"},  {"a", ".tmp"},   {"d/x.y.cc", ".ii"}};
  for (const auto& [path, ext] : kTable) EXPECT_EQ(preprocessed_extension(path), ext) << path;
}

TEST(DefaultOutputName, ReplacesExtensionInCurrentDirectory) {
  EXPECT_EQ(default_output_name("src/foo.cpp", false), "foo.o");
  EXPECT_EQ(default_output_name("src/foo.cpp", true), "foo.s");
  EXPECT_EQ(default_output_name("a.b.c", false), "a.b.o");
  EXPECT_EQ(default_output_name("a.c", false), "a.o");
  EXPECT_EQ(default_output_name(".c", false), std::nullopt);
  EXPECT_EQ(default_output_name("dir/", false), std::nullopt);
  EXPECT_EQ(default_output_name("noext", false), std::nullopt);
}

}  // namespace
}  // namespace dcc
