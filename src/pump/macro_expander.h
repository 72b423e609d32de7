// Over-approximate expansion of computed includes (`#include MACRO`, `#include F(x)`): every
// definition of every macro seen anywhere is tried, so the result is a superset of the names the
// real preprocessor could produce under any #if outcome. Bounded: blow-up is an error, not a hang.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "pump/directive_lexer.h"

namespace dcc::pump {

// Every known definition of each name (duplicates with the same body are harmless).
using MacroTable = std::unordered_map<std::string, std::vector<const MacroDefinition*>>;

struct IncludeCandidate {
  IncludeForm form = IncludeForm::quoted;  // quoted or angle
  std::string name;
  bool operator==(const IncludeCandidate&) const = default;
  bool operator<(const IncludeCandidate& other) const {
    return form != other.form ? form < other.form : name < other.name;
  }
};

struct ExpansionLimits {
  std::size_t max_alternatives = 512;  // distinct token sequences an operand may expand to
  std::size_t max_steps = 50000;       // macro replacements tried for one operand
  // Strings copied for one operand: every token of every sequence built, each with the macro
  // names it may no longer expand. Each step copies its whole sequence and a sequence may grow
  // with every step (#define A B B B..., #define B C C C...), so max_steps alone let a 700-byte
  // header run for minutes (found by fuzz/fuzz_directive_lexer). About a second at most.
  std::size_t max_copies = 8'000'000;
};

// The header names `operand` can expand to (sorted, unique). Expansions that do not form a
// "name" or <name> are dropped. Fails when the limits are exceeded.
Result<std::vector<IncludeCandidate>> expand_include_operand(const std::vector<PpToken>& operand,
                                                             const MacroTable& macros,
                                                             const ExpansionLimits& limits = {});

// A -D operand ("NAME", "NAME=VALUE", "F(x)=x") as a definition ("NAME" means 1, as gcc does).
MacroDefinition definition_from_command_line(const std::string& operand);

}  // namespace dcc::pump
