// Reading customer personas for a script (patter/tooling/simulation.hpp).
#include <fmt/format.h>

#include <cmath>

#include "patter/tooling/simulation.hpp"
#include "text/suggest.hpp"
#include "yaml/reader.hpp"
#include "yaml/source.hpp"

namespace patter {
namespace {

using detail::YamlNode;
using Kind = YamlNode::Kind;

constexpr std::string_view kTopKeys[] = {"patter_personas", "script",   "variables", "utterances",
                                         "unclear",         "personas", "fetches"};
constexpr std::string_view kAnswerKeys[] = {"share", "data", "failed", "timeout"};
constexpr std::string_view kPersonaKeys[] = {"share",    "answer",     "voicemail", "ring_s",
                                             "think_ms", "patience_s", "buys",      "default",
                                             "nodes",    "description"};

// Persona files are a few kilobytes: customer types and what they say.
constexpr detail::SourceLimits kPersonaLimits = {4u << 20, 16, 200'000};
constexpr detail::SourceKind kPersonaWords = {
    .too_large_hint =
        "a persona file holds customer types and what they say; keep it under 4 MiB "
        "by giving fewer utterances",
    .unreadable = "persona file ",
    .empty_hint = "a persona file starts with `patter_personas: 1`",
};

class PersonaReader : public detail::YamlReader {
 public:
  PersonaReader(const detail::YamlTree& tree, const std::string& name, const Script& script,
                std::vector<Diagnostic>& diags)
      : YamlReader(tree, name, diags), script_(script) {}

  std::optional<PersonaSet> read() {
    const YamlNode& root = tree().root();
    if (root.kind != Kind::map) {
      error(root, Code::wrong_type,
            fmt::format("a persona file is a map, not {}", detail::describe(root)),
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
    each_key(root, "a persona file", kTopKeys,
             [&](std::string_view key, const YamlNode&, const YamlNode& v) {
               if (key == "patter_personas") {
                 version = true;
                 if (v.kind != Kind::scalar || v.value != "1")
                   error(v, Code::unsupported_version,
                         fmt::format("persona format `{}` is not one this build reads", text_of(v)),
                         "write `patter_personas: 1`");
               } else if (key == "script") {
                 if (v.kind == Kind::scalar && v.value != script_.id())
                   warn(v, Code::invalid_value,
                        fmt::format("these personas are written for `{}`, not `{}`", v.value,
                                    script_.id()),
                        "check that the persona file goes with this script");
               } else if (key == "variables") {
                 read_variables(v, set);
               } else if (key == "utterances") {
                 read_utterances(v, set);
               } else if (key == "unclear") {
                 strings(v, "`unclear`", set.unclear);
               } else if (key == "fetches") {
                 read_fetches(v, set);
               } else {
                 personas = &v;
               }
             });
    if (!version)
      error(root, Code::missing_key, "no `patter_personas:` version",
            "start the file with `patter_personas: 1`");
    for (const Variable& var : script_.variables()) {
      if (!var.required || var.default_value) continue;
      bool given = false;
      for (const auto& [n, values] : set.variables) given = given || n == var.name;
      if (!given)
        error(
            root, Code::missing_key,
            fmt::format("the script needs variable `{}` for every call, and the personas give none",
                        var.name),
            fmt::format("add `variables: {{{}: [value, ...]}}`", var.name));
    }
    if (set.unclear.empty()) set.unclear = default_unclear(script_);
    if (!personas) {
      error(root, Code::missing_key, "no `personas:`",
            "add `personas:` with at least one customer type");
    } else if (personas->kind != Kind::map || personas->size == 0) {
      error(*personas, Code::wrong_type, "`personas` must be a map of customer types",
            "e.g. `personas: {hot: {share: 1}}`");
    } else {
      each_pair(
          *personas, "`personas`",
          [&](std::string_view, const YamlNode& k, const YamlNode& v) { read_persona(k, v, set); });
    }
    double shares = 0;
    for (const Persona& p : set.personas) shares += p.share;
    if (personas && !set.personas.empty() && shares <= 0)
      error(*personas, Code::invalid_value, "every persona has share 0",
            "give at least one a positive `share`");
    return set;
  }

  static std::vector<std::string> default_unclear(const Script& script) {
    if (script.locale().starts_with("zh"))
      return {"我刚才在外面没太听明白你们这个到底是什么意思", "这个跟我之前说的那个事情有关系吗",
              "嗯"};
    return {"sorry the line is bad what was that about again",
            "hmm what do you mean by that exactly", "oh"};
  }

 private:
  static std::string text_of(const YamlNode& n) {
    return n.kind == Kind::scalar ? std::string(n.value) : std::string(detail::describe(n));
  }

  std::optional<double> number(const YamlNode& v, double lo, double hi, const detail::What& what) {
    double d = 0;
    if (YamlReader::number(v, what, d, lo, hi)) return d;
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
      auto a = number(child(v, 0), 0, 1e9, what);
      auto b = number(child(v, 1), 0, 1e9, what);
      if (!a || !b) return std::nullopt;
      if (*a > *b) {
        error(v, Code::invalid_value, fmt::format("{} goes from {} down to {}", what, *a, *b),
              "write [min, max]");
        return std::nullopt;
      }
      return MsRange{static_cast<std::uint64_t>(*a * scale),
                     static_cast<std::uint64_t>(*b * scale)};
    }
    error(v, Code::wrong_type, fmt::format("{} must be a number or [min, max]", what),
          "e.g. `[500, 2000]`");
    return std::nullopt;
  }

  void read_variables(const YamlNode& v, PersonaSet& set) {
    if (!is_map(v, "`variables`", "a variable and the values to pick from")) return;
    each_pair(v, "`variables`", [&](std::string_view, const YamlNode& k, const YamlNode& x) {
      if (!script_.find_variable(k.value)) {
        std::vector<std::string> names;
        for (const Variable& var : script_.variables()) names.push_back(var.name);
        error(k, Code::undeclared_variable, fmt::format("the script has no variable `{}`", k.value),
              detail::did_you_mean(k.value, names));
        return;
      }
      std::vector<std::string> values;
      strings(x, detail::What("the values of `", k.value, "`"), values);
      if (values.empty()) {
        error(x, Code::invalid_value, fmt::format("no values for `{}`", k.value),
              "give at least one");
        return;
      }
      set.variables.emplace_back(std::string(k.value), std::move(values));
    });
  }

  // `fetches:` what the simulated dialer answers each fetch of the script.
  void read_fetches(const YamlNode& v, PersonaSet& set) {
    if (!is_map(v, "`fetches`", "a fetch's name and its answers",
                "e.g. `{survey_calendar: [{share: 3, data: {slot_free: true}}, {failed: true}]}`"))
      return;
    each_pair(v, "`fetches`", [&](std::string_view, const YamlNode& k, const YamlNode& x) {
      std::vector<std::string> names;
      for (const Fetch& f : script_.fetches()) names.push_back(f.name);
      if (std::find(names.begin(), names.end(), k.value) == names.end()) {
        std::string hint = detail::did_you_mean(k.value, names);
        error(k, Code::invalid_value, fmt::format("the script fetches nothing named `{}`", k.value),
              hint.empty() ? "list the `name` of a `fetch:` node of the script" : hint);
        return;
      }
      if (x.kind != Kind::sequence || x.size == 0) {
        error(x, Code::wrong_type, fmt::format("the answers to `{}` must be a list", k.value),
              "e.g. `[{share: 3, data: {slot_free: true}}, {share: 1, timeout: true}]`");
        return;
      }
      std::vector<FetchAnswer> answers;
      for (std::uint32_t a = 0; a < x.size; ++a)
        if (auto answer = read_answer(child(x, a), k.value)) answers.push_back(std::move(*answer));
      set.fetches.emplace_back(std::string(k.value), std::move(answers));
    });
  }

  std::optional<FetchAnswer> read_answer(const YamlNode& v, std::string_view fetch) {
    const detail::What what("an answer to `", fetch, "`");
    if (!is_map(v, what, {}, "e.g. `{share: 3, data: {slot_free: true}}` or `{failed: true}`"))
      return std::nullopt;
    FetchAnswer answer;
    int kinds = 0;
    bool ok = true;
    each_key(v, what, kAnswerKeys, [&](std::string_view key, const YamlNode&, const YamlNode& x) {
      if (key == "share") {
        if (auto d = number(x, 0, 1e12, "`share`")) answer.share = *d;
        return;
      }
      ++kinds;
      if (key == "data") {
        ok = read_data(x, answer) && ok;
      } else if (x.kind != Kind::scalar || x.value != "true") {
        error(x, Code::invalid_value, fmt::format("`{}` is only ever `true`", key),
              fmt::format("write `{}: true`, or leave it out", key));
        ok = false;
      } else {
        answer.kind = key == "failed" ? FetchAnswer::Kind::failed : FetchAnswer::Kind::timeout;
      }
    });
    if (kinds != 1) {
      error(v, Code::invalid_value,
            fmt::format("an answer to `{}` has {} of `data`, `failed` and `timeout`", fetch,
                        kinds == 0 ? "none" : "more than one"),
            "give exactly one: the variables found, `failed: true` or `timeout: true`");
      return std::nullopt;
    }
    if (!ok) return std::nullopt;
    return answer;
  }

  bool read_data(const YamlNode& v, FetchAnswer& answer) {
    if (!is_map(v, "`data`", "a variable and the value found", "e.g. `{slot_free: true}`"))
      return false;
    bool ok = true;
    each_pair(v, "`data`", [&](std::string_view, const YamlNode& k, const YamlNode& x) {
      if (!script_.find_variable(k.value)) {
        std::vector<std::string> names;
        for (const Variable& var : script_.variables()) names.push_back(var.name);
        error(k, Code::undeclared_variable, fmt::format("the script has no variable `{}`", k.value),
              detail::did_you_mean(k.value, names));
        ok = false;
      } else if (x.kind != Kind::scalar) {
        error(x, Code::wrong_type, fmt::format("the value of `{}` must be one value", k.value),
              "e.g. `true`, `42` or `Tuesday`");
        ok = false;
      } else {
        answer.values.emplace_back(std::string(k.value), std::string(x.value));
      }
    });
    return ok;
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
    if (!is_map(v, "`utterances`", "an intent and what customers say for it")) return;
    each_pair(v, "`utterances`", [&](std::string_view, const YamlNode& k, const YamlNode& x) {
      if (auto id = intent(k)) {
        set.utterances[*id].clear();
        strings(x, detail::What("what customers say for `", k.value, "`"), set.utterances[*id]);
      }
    });
  }

  std::vector<PersonaChoice> choices(const YamlNode& v, const PersonaSet& set,
                                     std::string_view where) {
    std::vector<PersonaChoice> out;
    if (!is_map(v, where, "a reply and its weight", "e.g. `{affirm: 3, silence: 1, hangup: 1}`"))
      return out;
    each_pair(v, where, [&](std::string_view, const YamlNode& k, const YamlNode& x) {
      auto w = number(x, 0, 1e12, detail::What("the weight of `", k.value, "`"));
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
        if (name.size() != 5 ||
            std::string_view("0123456789*#").find(name[4]) == std::string_view::npos) {
          error(k, Code::invalid_value, fmt::format("`{}` is not a key", name),
                "write key_0 ... key_9, key_* or key_#");
          return;
        }
        c.key = name[4];
      } else {
        auto id = script_.find_intent(name);
        if (!id) {
          std::vector<std::string> names = {"silence", "hangup", "unclear"};
          for (const Intent& i : script_.intents()) names.push_back(i.name);
          error(k, Code::unknown_intent,
                fmt::format(
                    "`{}` is neither an intent of the script nor silence, hangup, unclear or key_N",
                    name),
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
    if (!is_map(v, detail::What("persona `", p.name, "`"), {}, "e.g. `{share: 1, answer: 0.8}`"))
      return;
    const YamlNode* answer_node = &v;
    each_key(
        v, detail::What("persona `", p.name, "`"), kPersonaKeys,
        [&](std::string_view kk, const YamlNode&, const YamlNode& x) {
          if (kk == "share") {
            if (auto d = number(x, 0, 1e12, "`share`")) p.share = *d;
          } else if (kk == "answer") {
            if (auto d = number(x, 0, 1, "`answer`")) p.answer = *d;
            answer_node = &x;
          } else if (kk == "voicemail") {
            if (auto d = number(x, 0, 1, "`voicemail`")) p.voicemail = *d;
          } else if (kk == "buys") {
            if (auto d = number(x, 0, 1, "`buys`")) p.buys = *d;
          } else if (kk == "ring_s") {
            if (auto r = range(x, 1000, "`ring_s`")) p.ring_ms = *r;
          } else if (kk == "think_ms") {
            if (auto r = range(x, 1, "`think_ms`")) p.think_ms = *r;
          } else if (kk == "patience_s") {
            if (auto r = range(x, 1000, "`patience_s`")) p.patience_ms = *r;
          } else if (kk == "default") {
            p.fallback = choices(x, set, "`default`");
          } else if (kk == "nodes") {
            if (!is_map(x, "`nodes`", "a node and the replies there")) return;
            each_pair(x, "`nodes`", [&](std::string_view, const YamlNode& nk, const YamlNode& nv) {
              auto id = script_.find_node(nk.value);
              if (!id) {
                std::vector<std::string> names;
                for (const Node& n : script_.nodes()) names.push_back(n.name);
                error(nk, Code::unknown_node, fmt::format("the script has no node `{}`", nk.value),
                      detail::did_you_mean(nk.value, names));
                return;
              }
              if (script_.node(*id).kind != NodeKind::listen)
                warn(nk, Code::invalid_value,
                     fmt::format("node `{}` never listens, so nothing is said there", nk.value),
                     "list only nodes with routes");
              p.nodes[*id] = choices(nv, set, fmt::format("node `{}`", nk.value));
            });
          }
        });
    if (p.answer + p.voicemail > 1.000001)
      error(*answer_node, Code::invalid_value,
            fmt::format("persona `{}` answers {} and has voicemail {}: more than 1 together",
                        p.name, p.answer, p.voicemail),
            "the rest of the calls ring out; keep answer + voicemail at most 1");
    set.personas.push_back(std::move(p));
  }

  const Script& script_;
};

}  // namespace

PersonaLoad load_personas_string(std::string_view yaml, const std::string& name,
                                 const Script& script) {
  PersonaLoad out;
  std::string_view text;
  detail::YamlTree tree;
  if (!detail::check_source(yaml, name, kPersonaLimits, kPersonaWords, text, out.diagnostics) ||
      !detail::parse_yaml(text, name, kPersonaLimits, kPersonaWords, tree, out.diagnostics))
    return out;
  std::optional<PersonaSet> set = PersonaReader(tree, name, script, out.diagnostics).read();
  if (!has_errors(out.diagnostics)) out.personas = std::move(set);
  return out;
}

PersonaLoad load_personas_file(const std::string& path, const Script& script) {
  PersonaLoad out;
  std::string text;
  if (!detail::read_source(path, kPersonaLimits, kPersonaWords, text, out.diagnostics)) return out;
  return load_personas_string(text, path, script);
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
      set.variables.emplace_back(
          v.name, std::vector<std::string>{
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
