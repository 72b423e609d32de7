#include "pump/macro_expander.h"

#include <algorithm>
#include <optional>
#include <set>

namespace dcc::pump {
namespace {

// A token with the names that may no longer expand inside it (C's "hide set"): it keeps
// self-referential macros from expanding forever.
struct Tok {
  PpToken token;
  std::vector<std::string> hide;
};
using Seq = std::vector<Tok>;

struct Expander {
  const MacroTable& macros;
  const ExpansionLimits& limits;
  std::size_t steps = 0;
  std::size_t copies = 0;
  bool blown = false;

  bool spend() {
    if (++steps > limits.max_steps) blown = true;
    return !blown;
  }
  bool spend_copies(const Seq& seq) {
    for (const Tok& t : seq) copies += 1 + t.hide.size();
    if (copies > limits.max_copies) blown = true;
    return !blown;
  }

  static bool hidden(const Tok& t) {
    return std::find(t.hide.begin(), t.hide.end(), t.token.text) != t.hide.end();
  }

  static std::string spell(const Seq& seq) {
    std::string out;
    for (std::size_t i = 0; i < seq.size(); ++i) {
      if (i > 0 && seq[i].token.space_before) out += ' ';
      out += seq[i].token.text;
    }
    return out;
  }

  static Tok stringify(const Seq& arg) {
    std::string text = "\"";
    for (char c : spell(arg)) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    text += '"';
    return Tok{PpToken{PpToken::Kind::string, text, false}, {}};
  }

  // Arguments of the call whose '(' is at `open`; `close` receives the index of ')'. False if
  // the parentheses do not close within the sequence.
  static bool collect_args(const Seq& seq, std::size_t open, std::vector<Seq>& args,
                           std::size_t& close) {
    int depth = 0;
    args.assign(1, {});
    for (std::size_t k = open; k < seq.size(); ++k) {
      const std::string& text = seq[k].token.text;
      if (text == "(" && depth++ == 0) continue;
      if (text == ")" && --depth == 0) {
        close = k;
        return true;
      }
      if (text == "," && depth == 1) {
        args.emplace_back();
        continue;
      }
      args.back().push_back(seq[k]);
    }
    return false;
  }

  // Each parameter's replacement alternatives: the fully expanded argument(s).
  bool expand_args(const std::vector<Seq>& args, std::vector<std::vector<Seq>>& expanded) {
    for (const auto& arg : args) {
      std::vector<Seq> alternatives;
      expand(arg, 0, alternatives);
      if (blown) return false;
      if (alternatives.empty()) alternatives.push_back(arg);
      expanded.push_back(std::move(alternatives));
    }
    return true;
  }

  // The body of `def` with parameters replaced (one choice of argument expansions).
  Seq substitute(const MacroDefinition& def, const std::vector<Seq>& raw,
                 const std::vector<const Seq*>& chosen, const std::vector<std::string>& hide) {
    auto param_index = [&](const std::string& name) -> int {
      for (std::size_t p = 0; p < def.params.size(); ++p) {
        if (def.params[p] == name) return static_cast<int>(p);
      }
      return -1;
    };
    auto arg_for = [&](int p, const std::vector<Seq>& from) -> Seq {
      if (static_cast<std::size_t>(p) < from.size()) {
        if (def.variadic && static_cast<std::size_t>(p) + 1 == def.params.size()) {
          Seq rest;  // the variadic parameter takes the remaining arguments, commas included
          for (std::size_t a = p; a < from.size(); ++a) {
            if (a > static_cast<std::size_t>(p))
              rest.push_back(Tok{PpToken{PpToken::Kind::punct, ",", false}, {}});
            rest.insert(rest.end(), from[a].begin(), from[a].end());
          }
          return rest;
        }
        return from[p];
      }
      return {};
    };
    std::vector<Seq> chosen_values;
    for (const auto* c : chosen) chosen_values.push_back(*c);
    Seq out;
    const auto& body = def.body;
    for (std::size_t b = 0; b < body.size(); ++b) {
      const PpToken& t = body[b];
      bool pasted =
          (b + 1 < body.size() && body[b + 1].text == "##") || (b > 0 && body[b - 1].text == "##");
      if (t.text == "#" && b + 1 < body.size()) {
        if (int p = param_index(body[b + 1].text); p >= 0) {
          out.push_back(stringify(arg_for(p, raw)));
          out.back().token.space_before = t.space_before;
          ++b;
          continue;
        }
      }
      if (t.kind == PpToken::Kind::identifier) {
        if (int p = param_index(t.text); p >= 0) {
          Seq value = arg_for(p, pasted ? raw : chosen_values);
          if (!value.empty()) value.front().token.space_before = t.space_before;
          out.insert(out.end(), value.begin(), value.end());
          continue;
        }
      }
      out.push_back(Tok{t, hide});
    }
    return paste(out);
  }

  static Seq paste(const Seq& in) {
    Seq out;
    for (std::size_t k = 0; k < in.size(); ++k) {
      if (in[k].token.text == "##" && !out.empty() && k + 1 < in.size()) {
        std::string joined = out.back().token.text + in[k + 1].token.text;
        bool space = out.back().token.space_before;
        auto tokens = tokenize(joined);
        out.pop_back();
        for (auto& t : tokens) out.push_back(Tok{t, {}});
        if (!tokens.empty()) out[out.size() - tokens.size()].token.space_before = space;
        ++k;
        continue;
      }
      out.push_back(in[k]);
    }
    return out;
  }

  void expand_call(const Seq& seq, std::size_t i, const MacroDefinition& def,
                   std::vector<Seq>& out) {
    std::vector<Seq> args;
    std::size_t close = 0;
    if (!collect_args(seq, i + 1, args, close)) return;
    std::vector<std::vector<Seq>> expanded;
    if (!expand_args(args, expanded)) return;
    std::vector<std::string> hide = seq[i].hide;
    hide.push_back(def.name);
    // Every combination of argument alternatives (bounded by the step budget).
    std::vector<std::size_t> pick(expanded.size(), 0);
    for (;;) {
      if (!spend()) return;
      std::vector<const Seq*> chosen;
      for (std::size_t a = 0; a < expanded.size(); ++a) chosen.push_back(&expanded[a][pick[a]]);
      Seq body = substitute(def, args, chosen, hide);
      if (!body.empty()) body.front().token.space_before = seq[i].token.space_before;
      Seq next(seq.begin(), seq.begin() + static_cast<std::ptrdiff_t>(i));
      next.insert(next.end(), body.begin(), body.end());
      next.insert(next.end(), seq.begin() + static_cast<std::ptrdiff_t>(close) + 1, seq.end());
      expand(next, i, out);
      std::size_t a = 0;
      while (a < pick.size() && ++pick[a] == expanded[a].size()) pick[a++] = 0;
      if (a == pick.size()) return;
    }
  }

  // Appends to `out` every full expansion of `seq`, whose tokens before `from` are final.
  void expand(const Seq& seq, std::size_t from, std::vector<Seq>& out) {
    if (!spend() || !spend_copies(seq) || out.size() > limits.max_alternatives) {
      blown = true;
      return;
    }
    for (std::size_t i = from; i < seq.size(); ++i) {
      const Tok& tok = seq[i];
      if (tok.token.kind != PpToken::Kind::identifier || hidden(tok)) continue;
      auto found = macros.find(tok.token.text);
      if (found == macros.end()) continue;
      bool any = false;
      for (const MacroDefinition* def : found->second) {
        if (!def->function_like) {
          Seq next(seq.begin(), seq.begin() + static_cast<std::ptrdiff_t>(i));
          for (const auto& t : def->body) {
            Tok copy{t, tok.hide};
            copy.hide.push_back(def->name);
            next.push_back(std::move(copy));
          }
          if (!def->body.empty()) next[i].token.space_before = tok.token.space_before;
          next.insert(next.end(), seq.begin() + static_cast<std::ptrdiff_t>(i) + 1, seq.end());
          expand(next, i, out);
          any = true;
        } else if (i + 1 < seq.size() && seq[i + 1].token.text == "(") {
          expand_call(seq, i, *def, out);
          any = true;
        }
        if (blown) return;
      }
      if (any) return;
    }
    out.push_back(seq);
  }
};

std::optional<IncludeCandidate> as_header_name(const Seq& seq) {
  if (seq.empty()) return std::nullopt;
  const PpToken& first = seq.front().token;
  if (first.kind == PpToken::Kind::string && first.text.size() > 2 && first.text.front() == '"') {
    return IncludeCandidate{IncludeForm::quoted, first.text.substr(1, first.text.size() - 2)};
  }
  if (first.text != "<") return std::nullopt;
  std::string name;
  for (std::size_t k = 1; k < seq.size(); ++k) {
    if (seq[k].token.text == ">")
      return name.empty() ? std::nullopt
                          : std::optional(IncludeCandidate{IncludeForm::angle, name});
    if (k > 1 && seq[k].token.space_before) name += ' ';
    name += seq[k].token.text;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<IncludeCandidate>> expand_include_operand(const std::vector<PpToken>& operand,
                                                             const MacroTable& macros,
                                                             const ExpansionLimits& limits) {
  Seq seq;
  for (const auto& t : operand) seq.push_back(Tok{t, {}});
  Expander expander{macros, limits};
  std::vector<Seq> results;
  expander.expand(seq, 0, results);
  if (expander.blown) {
    return make_error(ExitCode::distcc_failed, "pump: macro expansion of computed include '" +
                                                   Expander::spell(seq) + "' exceeded its limits");
  }
  std::set<IncludeCandidate> unique;
  for (const auto& r : results) {
    if (auto c = as_header_name(r)) unique.insert(*c);
  }
  return std::vector<IncludeCandidate>(unique.begin(), unique.end());
}

MacroDefinition definition_from_command_line(const std::string& operand) {
  std::string text = operand;
  auto eq = text.find('=');
  if (eq == std::string::npos) {
    text += " 1";
  } else {
    text[eq] = ' ';
  }
  MacroDefinition def;
  if (!parse_define(text, def)) def.name.clear();
  return def;
}

}  // namespace dcc::pump
