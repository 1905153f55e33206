// Reading customer personas for a script (patter/tooling/simulation.hpp).
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "patter/tooling/simulation.hpp"
#include "text/suggest.hpp"
#include "text/utf8.hpp"
#include "yaml/yaml_tree.hpp"

namespace patter {
namespace {

using detail::YamlNode;
using Kind = YamlNode::Kind;

const std::vector<std::string> kTopKeys = {"patter_personas", "script", "variables", "utterances", "unclear", "personas"};
const std::vector<std::string> kPersonaKeys = {"share", "answer", "voicemail", "ring_s", "think_ms",
                                               "patience_s", "buys", "default", "nodes", "description"};

class PersonaReader {
 public:
  PersonaReader(const std::string& name, const Script& script, std::vector<Diagnostic>& diags)
      : name_(name), script_(script), diags_(diags) {}

  std::optional<PersonaSet> read(std::string_view text) {
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (const auto bad = detail::find_invalid_utf8(text); bad != std::string_view::npos) {
      std::uint32_t line = 1, col = 1;
      for (std::size_t i = 0; i < bad; ++i) {
        if (text[i] == '\n') ++line, col = 1;
        else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++col;
      }
      error(line, col, Code::invalid_utf8, "this byte is not valid UTF-8", "save the file as UTF-8");
      return std::nullopt;
    }
    detail::YamlError err;
    if (!tree_.parse(text, 16, 200000, err)) {
      if (err.kind == detail::YamlError::Kind::empty) {
        error(0, 0, Code::empty_document, "the file is empty", "a persona file starts with `patter_personas: 1`");
      } else {
        error(err.line, err.column, Code::yaml_syntax, "this is not valid YAML: " + err.message,
              "check the indentation and quoting on this line and the one before");
      }
      return std::nullopt;
    }
    const YamlNode& root = tree_.root();
    if (root.kind != Kind::map) {
      error(root, Code::wrong_type, fmt::format("a persona file is a map, not {}", detail::describe(root)),
            "start it with `patter_personas: 1`");
      return std::nullopt;
    }
    PersonaSet set;
    set.utterances.resize(script_.intents().size());
    for (IntentId i = 0; i < script_.intents().size(); ++i) {
      for (const std::string& p : script_.intents()[i].phrases) set.utterances[i].push_back(p);
      for (const std::string& e : script_.intents()[i].examples) set.utterances[i].push_back(e);
    }
    const YamlNode* personas = nullptr;
    bool version = false;
    for_each(root, [&](const YamlNode& k, const YamlNode& v) {
      const std::string_view key = k.value;
      if (key == "patter_personas") {
        version = true;
        if (v.kind != Kind::scalar || v.value != "1")
          error(v, Code::unsupported_version, fmt::format("persona format `{}` is not one this build reads", text_of(v)),
                "write `patter_personas: 1`");
      } else if (key == "script") {
        if (v.kind == Kind::scalar && v.value != script_.id())
          warn(v, Code::invalid_value,
               fmt::format("these personas are written for `{}`, not `{}`", v.value, script_.id()),
               "check that the persona file goes with this script");
      } else if (key == "variables") {
        read_variables(v, set);
      } else if (key == "utterances") {
        read_utterances(v, set);
      } else if (key == "unclear") {
        set.unclear = strings(v);
      } else if (key == "personas") {
        personas = &v;
      } else {
        unknown_key(k, kTopKeys, "at the top of a persona file");
      }
    });
    if (!version)
      error(root, Code::missing_key, "no `patter_personas:` version", "start the file with `patter_personas: 1`");
    for (const Variable& var : script_.variables()) {
      if (!var.required || var.default_value) continue;
      bool given = false;
      for (const auto& [n, values] : set.variables) given = given || n == var.name;
      if (!given)
        error(root, Code::missing_key,
              fmt::format("the script needs variable `{}` for every call, and the personas give none", var.name),
              fmt::format("add `variables: {{{}: [value, ...]}}`", var.name));
    }
    if (set.unclear.empty()) set.unclear = default_unclear(script_);
    if (!personas) {
      error(root, Code::missing_key, "no `personas:`", "add `personas:` with at least one customer type");
    } else if (personas->kind != Kind::map || personas->size == 0) {
      error(*personas, Code::wrong_type, "`personas` must be a map of customer types", "e.g. `personas: {hot: {share: 1}}`");
    } else {
      for_each(*personas, [&](const YamlNode& k, const YamlNode& v) { read_persona(k, v, set); });
    }
    double shares = 0;
    for (const Persona& p : set.personas) shares += p.share;
    if (personas && !set.personas.empty() && shares <= 0)
      error(*personas, Code::invalid_value, "every persona has share 0", "give at least one a positive `share`");
    if (has_errors(diags_)) return std::nullopt;
    return set;
  }

  static std::vector<std::string> default_unclear(const Script& script) {
    if (script.locale().starts_with("zh"))
      return {"我刚才在外面没太听明白你们这个到底是什么意思", "这个跟我之前说的那个事情有关系吗", "嗯"};
    return {"sorry the line is bad what was that about again", "hmm what do you mean by that exactly", "oh"};
  }

 private:
  template <class F>
  void for_each(const YamlNode& map, F&& f) {
    for (std::uint32_t i = 0; i + 1 < map.size; i += 2) {
      const YamlNode& k = tree_.child(map, i);
      const YamlNode& v = tree_.child(map, i + 1);
      if (k.kind != Kind::scalar) {
        error(k, Code::wrong_type, "a key must be a plain name", "");
        continue;
      }
      f(k, v);
    }
  }
  static std::string text_of(const YamlNode& n) {
    return n.kind == Kind::scalar ? std::string(n.value) : std::string(detail::describe(n));
  }
  void add(std::uint32_t line, std::uint32_t col, Severity sev, Code code, std::string msg, std::string hint) {
    diags_.push_back({SourceLocation{name_, line, col}, sev, code, std::move(msg), std::move(hint)});
  }
  void error(std::uint32_t line, std::uint32_t col, Code code, std::string msg, std::string hint) {
    add(line, col, Severity::error, code, std::move(msg), std::move(hint));
  }
  void error(const YamlNode& n, Code code, std::string msg, std::string hint) {
    add(n.line, n.column + n.inner, Severity::error, code, std::move(msg), std::move(hint));
  }
  void warn(const YamlNode& n, Code code, std::string msg, std::string hint) {
    add(n.line, n.column + n.inner, Severity::warning, code, std::move(msg), std::move(hint));
  }
  void unknown_key(const YamlNode& k, const std::vector<std::string>& keys, std::string_view where) {
    std::string hint = detail::did_you_mean(k.value, keys);
    if (hint.empty()) hint = "known keys: " + fmt::format("{}", fmt::join(keys, ", "));
    error(k, Code::unknown_key, fmt::format("unknown key `{}` {}", k.value, where), hint);
  }

  std::vector<std::string> strings(const YamlNode& v) {
    std::vector<std::string> out;
    if (v.kind == Kind::scalar) {
      out.emplace_back(v.value);
    } else if (v.kind == Kind::sequence) {
      for (std::uint32_t i = 0; i < v.size; ++i) {
        const YamlNode& x = tree_.child(v, i);
        if (x.kind == Kind::scalar) out.emplace_back(x.value);
        else error(x, Code::wrong_type, fmt::format("expected text, found {}", detail::describe(x)), "");
      }
    } else {
      error(v, Code::wrong_type, fmt::format("expected a list of texts, found {}", detail::describe(v)),
            "write `[first, second]`");
    }
    return out;
  }

  std::optional<double> number(const YamlNode& v, double lo, double hi, std::string_view what) {
    if (v.kind == Kind::scalar && !v.quoted && !v.value.empty()) {
      const std::string s(v.value);
      char* end = nullptr;
      const double d = std::strtod(s.c_str(), &end);
      if (end == s.c_str() + s.size() && std::isfinite(d)) {
        if (d >= lo && d <= hi) return d;
        error(v, Code::invalid_value, fmt::format("{} `{}` is out of range", what, s),
              hi > 1e17 ? fmt::format("use a number from {}", lo) : fmt::format("use a number from {} to {}", lo, hi));
        return std::nullopt;
      }
    }
    error(v, Code::wrong_type, fmt::format("{} must be a number, not {}", what, text_of(v)), "");
    return std::nullopt;
  }

  // A number, or [min, max], scaled to milliseconds.
  std::optional<MsRange> range(const YamlNode& v, double scale, std::string_view what) {
    if (v.kind == Kind::scalar) {
      auto d = number(v, 0, 1e9, what);
      if (!d) return std::nullopt;
      const auto ms = static_cast<std::uint64_t>(*d * scale);
      return MsRange{ms, ms};
    }
    if (v.kind == Kind::sequence && v.size == 2) {
      auto a = number(tree_.child(v, 0), 0, 1e9, what);
      auto b = number(tree_.child(v, 1), 0, 1e9, what);
      if (!a || !b) return std::nullopt;
      if (*a > *b) {
        error(v, Code::invalid_value, fmt::format("{} goes from {} down to {}", what, *a, *b), "write [min, max]");
        return std::nullopt;
      }
      return MsRange{static_cast<std::uint64_t>(*a * scale), static_cast<std::uint64_t>(*b * scale)};
    }
    error(v, Code::wrong_type, fmt::format("{} must be a number or [min, max]", what), "e.g. `[500, 2000]`");
    return std::nullopt;
  }

  void read_variables(const YamlNode& v, PersonaSet& set) {
    if (v.kind != Kind::map) {
      error(v, Code::wrong_type, "`variables` must be a map: a variable and the values to pick from", "");
      return;
    }
    for_each(v, [&](const YamlNode& k, const YamlNode& x) {
      if (!script_.find_variable(k.value)) {
        std::vector<std::string> names;
        for (const Variable& var : script_.variables()) names.push_back(var.name);
        error(k, Code::undeclared_variable, fmt::format("the script has no variable `{}`", k.value),
              detail::did_you_mean(k.value, names));
        return;
      }
      auto values = strings(x);
      if (values.empty()) {
        error(x, Code::invalid_value, fmt::format("no values for `{}`", k.value), "give at least one");
        return;
      }
      set.variables.emplace_back(std::string(k.value), std::move(values));
    });
  }

  std::optional<IntentId> intent(const YamlNode& k) {
    if (auto id = script_.find_intent(k.value)) return id;
    std::vector<std::string> names;
    for (const Intent& i : script_.intents()) names.push_back(i.name);
    error(k, Code::unknown_intent, fmt::format("the script has no intent `{}`", k.value),
          detail::did_you_mean(k.value, names));
    return std::nullopt;
  }

  void read_utterances(const YamlNode& v, PersonaSet& set) {
    if (v.kind != Kind::map) {
      error(v, Code::wrong_type, "`utterances` must be a map: an intent and what customers say for it", "");
      return;
    }
    for_each(v, [&](const YamlNode& k, const YamlNode& x) {
      if (auto id = intent(k)) {
        set.utterances[*id] = strings(x);
      }
    });
  }

  std::vector<PersonaChoice> choices(const YamlNode& v, const PersonaSet& set, std::string_view where) {
    std::vector<PersonaChoice> out;
    if (v.kind != Kind::map) {
      error(v, Code::wrong_type, fmt::format("{} must be a map: a reply and its weight", where),
            "e.g. `{affirm: 3, silence: 1, hangup: 1}`");
      return out;
    }
    for_each(v, [&](const YamlNode& k, const YamlNode& x) {
      auto w = number(x, 0, 1e12, fmt::format("the weight of `{}`", k.value));
      if (!w) return;
      PersonaChoice c;
      c.weight = *w;
      const std::string_view name = k.value;
      if (name == "silence") {
        c.kind = PersonaChoice::Kind::silence;
      } else if (name == "hangup") {
        c.kind = PersonaChoice::Kind::hangup;
      } else if (name == "unclear") {
        c.kind = PersonaChoice::Kind::unclear;
      } else if (name.starts_with("key_")) {
        c.kind = PersonaChoice::Kind::key;
        if (name.size() != 5 || std::string_view("0123456789*#").find(name[4]) == std::string_view::npos) {
          error(k, Code::invalid_value, fmt::format("`{}` is not a key", name), "write key_0 ... key_9, key_* or key_#");
          return;
        }
        c.key = name[4];
      } else {
        auto id = script_.find_intent(name);
        if (!id) {
          std::vector<std::string> names = {"silence", "hangup", "unclear"};
          for (const Intent& i : script_.intents()) names.push_back(i.name);
          error(k, Code::unknown_intent,
                fmt::format("`{}` is neither an intent of the script nor silence, hangup, unclear or key_N", name),
                detail::did_you_mean(name, names));
          return;
        }
        if (set.utterances[*id].empty()) {
          error(k, Code::invalid_value,
                fmt::format("intent `{}` has no phrases or examples for a customer to say", name),
                fmt::format("give some under `utterances: {{{}: [...]}}`", name));
          return;
        }
        c.intent = *id;
      }
      out.push_back(c);
    });
    return out;
  }

  void read_persona(const YamlNode& k, const YamlNode& v, PersonaSet& set) {
    Persona p;
    p.name = std::string(k.value);
    p.nodes.resize(script_.nodes().size());
    if (v.kind != Kind::map) {
      error(v, Code::wrong_type, fmt::format("persona `{}` must be a map", p.name), "e.g. `{share: 1, answer: 0.8}`");
      return;
    }
    const YamlNode* answer_node = &v;
    for_each(v, [&](const YamlNode& key, const YamlNode& x) {
      const std::string_view kk = key.value;
      if (kk == "share") {
        if (auto d = number(x, 0, 1e12, "share")) p.share = *d;
      } else if (kk == "answer") {
        if (auto d = number(x, 0, 1, "answer")) p.answer = *d;
        answer_node = &x;
      } else if (kk == "voicemail") {
        if (auto d = number(x, 0, 1, "voicemail")) p.voicemail = *d;
      } else if (kk == "buys") {
        if (auto d = number(x, 0, 1, "buys")) p.buys = *d;
      } else if (kk == "ring_s") {
        if (auto r = range(x, 1000, "ring_s")) p.ring_ms = *r;
      } else if (kk == "think_ms") {
        if (auto r = range(x, 1, "think_ms")) p.think_ms = *r;
      } else if (kk == "patience_s") {
        if (auto r = range(x, 1000, "patience_s")) p.patience_ms = *r;
      } else if (kk == "default") {
        p.fallback = choices(x, set, "`default`");
      } else if (kk == "nodes") {
        if (x.kind != Kind::map) {
          error(x, Code::wrong_type, "`nodes` must be a map: a node and the replies there", "");
          return;
        }
        for_each(x, [&](const YamlNode& nk, const YamlNode& nv) {
          auto id = script_.find_node(nk.value);
          if (!id) {
            std::vector<std::string> names;
            for (const Node& n : script_.nodes()) names.push_back(n.name);
            error(nk, Code::unknown_node, fmt::format("the script has no node `{}`", nk.value),
                  detail::did_you_mean(nk.value, names));
            return;
          }
          if (script_.node(*id).kind != NodeKind::listen)
            warn(nk, Code::invalid_value, fmt::format("node `{}` never listens, so nothing is said there", nk.value),
                 "list only nodes with routes");
          p.nodes[*id] = choices(nv, set, fmt::format("node `{}`", nk.value));
        });
      } else if (kk != "description") {
        unknown_key(key, kPersonaKeys, fmt::format("in persona `{}`", p.name));
      }
    });
    if (p.answer + p.voicemail > 1.000001)
      error(*answer_node, Code::invalid_value,
            fmt::format("persona `{}` answers {} and has voicemail {}: more than 1 together", p.name, p.answer,
                        p.voicemail),
            "the rest of the calls ring out; keep answer + voicemail at most 1");
    set.personas.push_back(std::move(p));
  }

  std::string name_;
  const Script& script_;
  std::vector<Diagnostic>& diags_;
  detail::YamlTree tree_;
};

}  // namespace

PersonaLoad load_personas_string(std::string_view yaml, const std::string& name, const Script& script) {
  PersonaLoad out;
  PersonaReader reader(name, script, out.diagnostics);
  out.personas = reader.read(yaml);
  return out;
}

PersonaLoad load_personas_file(const std::string& path, const Script& script) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  if (!in || in.bad()) {
    PersonaLoad out;
    out.diagnostics.push_back({SourceLocation{path, 0, 0}, Severity::error, Code::io_error,
                               fmt::format("cannot read persona file `{}`", path), "check the path"});
    return out;
  }
  return load_personas_string(ss.str(), path, script);
}

PersonaSet default_personas(const Script& script) {
  PersonaSet set;
  set.utterances.resize(script.intents().size());
  for (IntentId i = 0; i < script.intents().size(); ++i) {
    for (const std::string& p : script.intents()[i].phrases) set.utterances[i].push_back(p);
    for (const std::string& e : script.intents()[i].examples) set.utterances[i].push_back(e);
  }
  set.unclear = PersonaReader::default_unclear(script);
  for (const Variable& v : script.variables())
    if (v.required && !v.default_value)
      set.variables.emplace_back(v.name, std::vector<std::string>{
                                             v.type == Variable::Type::text
                                                 ? std::string(script.locale().starts_with("zh") ? "先生" : "there")
                                                 : std::string("1")});
  Persona p;
  p.name = "average";
  p.nodes.resize(script.nodes().size());
  set.personas.push_back(std::move(p));
  return set;
}

}  // namespace patter
