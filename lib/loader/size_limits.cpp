#include "loader/size_limits.hpp"

#include <fmt/format.h>

#include <string_view>
#include <unordered_set>

namespace patter::detail {
namespace {

class SizeCheck {
 public:
  SizeCheck(const ScriptSpec& spec, const LoadOptions& options, std::vector<Diagnostic>& out)
      : spec_(spec), opt_(options), out_(out) {}

  bool run() {
    counts();
    phrases();
    routes();
    lengths();
    tags();
    flows();
    return ok_;
  }

 private:
  void error(const Mark& at, Code code, std::string message, std::string hint) {
    SourceLocation where{at.file < spec_.files.size() ? spec_.files[at.file] : std::string(),
                         at.line, at.column};
    out_.push_back({std::move(where), Severity::error, code, std::move(message), std::move(hint)});
    ok_ = false;
  }

  // A list longer than its limit: one diagnostic, at the first item past it.
  template <class T, class Describe>
  void count(const std::vector<T>& items, std::size_t max, Code code, std::string_view what,
             std::string_view option, std::string_view advice, Describe describe) {
    if (items.size() <= max) return;
    error(items[max].where, code,
          fmt::format("the script has {} {}, over the limit of {}; {} is the first past it",
                      items.size(), what, max, describe(items[max])),
          fmt::format("{}, or have the host raise LoadOptions::{}", advice, option));
  }

  void counts() {
    count(spec_.nodes, opt_.max_nodes, Code::too_many_nodes, "nodes", "max_nodes",
          "split it into several scripts, one per stage of the call",
          [](const NodeSpec& n) { return fmt::format("node `{}`", n.name); });
    count(spec_.intents, opt_.max_intents, Code::too_many_intents, "intents", "max_intents",
          "merge intents that mean the same thing and lead to the same place",
          [](const IntentSpec& i) { return fmt::format("intent `{}`", i.name); });
    count(spec_.variables, opt_.max_variables, Code::too_many_variables, "variables",
          "max_variables", "declare only the fields its lines, conditions and patterns use",
          [](const VariableSpec& v) { return fmt::format("variable `{}`", v.name); });
  }

  // Phrases and examples, per intent and over the script; patterns over the script.
  void phrases() {
    std::size_t total = 0, patterns = 0;
    const Text* first_phrase = nullptr;
    const IntentSpec* first_phrase_of = nullptr;
    const Text* first_pattern = nullptr;
    const IntentSpec* first_pattern_of = nullptr;
    for (const IntentSpec& in : spec_.intents) {
      const std::size_t own = in.phrases.size() + in.examples.size();
      if (own > opt_.max_phrases_per_intent) {
        const std::size_t k = opt_.max_phrases_per_intent;
        const Text& past =
            k < in.phrases.size() ? in.phrases[k] : in.examples[k - in.phrases.size()];
        error(past.where, Code::too_many_intent_phrases,
              fmt::format("intent `{}` has {} phrases and examples, over the limit of {}; this is "
                          "the first past it",
                          in.name, own, k),
              fmt::format("keep the words customers really say (`patter test` shows which phrases "
                          "match), split "
                          "the intent by meaning, or have the host raise "
                          "LoadOptions::max_phrases_per_intent"));
      }
      for (const std::vector<Text>* list : {&in.phrases, &in.examples})
        for (const Text& t : *list)
          if (++total == opt_.max_phrases + 1) {
            first_phrase = &t;
            first_phrase_of = &in;
          }
      for (const Text& t : in.patterns)
        if (++patterns == opt_.max_patterns + 1) {
          first_pattern = &t;
          first_pattern_of = &in;
        }
    }
    if (first_phrase)
      error(first_phrase->where, Code::too_many_phrases,
            fmt::format("the script has {} phrases and examples, over the limit of {}; this one, "
                        "of intent `{}`, is "
                        "the first past it",
                        total, opt_.max_phrases, first_phrase_of->name),
            "keep the words customers really say, move rarely used intents out of the script's "
            "libraries, or have "
            "the host raise LoadOptions::max_phrases");
    if (first_pattern)
      error(first_pattern->where, Code::too_many_patterns,
            fmt::format("the script has {} patterns, over the limit of {}; this one, of intent "
                        "`{}`, is the first "
                        "past it (each pattern may run on every reply)",
                        patterns, opt_.max_patterns, first_pattern_of->name),
            "write phrases where fixed words will do and keep patterns for what they capture, or "
            "have the host "
            "raise LoadOptions::max_patterns");
  }

  void routes() {
    for (const NodeSpec& n : spec_.nodes) {
      const std::size_t max = opt_.max_routes_per_node;
      if (n.routes.size() <= max) continue;
      error(n.routes[max].where, Code::too_many_routes,
            fmt::format("node `{}` has {} routes, over the limit of {}; this is the first past it",
                        n.name, n.routes.size(), max),
            "give one route several intents (`intent: [yes, sure]`) when they go to the same node, "
            "or have the "
            "host raise LoadOptions::max_routes_per_node");
    }
  }

  void lengths() {
    auto phrase = [&](const std::vector<Text>& texts, std::string_view kind, const IntentSpec& in) {
      for (const Text& t : texts)
        if (t.text.size() > opt_.max_phrase_bytes)
          error(
              t.where, Code::text_too_long,
              fmt::format("{} of intent `{}` is {} bytes long, over the limit of {}", kind, in.name,
                          t.text.size(), opt_.max_phrase_bytes),
              fmt::format(
                  "keep the words that matter: a customer's reply is read up to its first {} bytes "
                  "(the limit is LoadOptions::max_phrase_bytes)",
                  opt_.max_phrase_bytes));
    };
    for (const IntentSpec& in : spec_.intents) {
      phrase(in.phrases, "a phrase", in);
      phrase(in.examples, "an example", in);
      phrase(in.patterns, "a pattern", in);
    }
    auto line = [&](const std::vector<Text>& texts, const std::string& of) {
      for (const Text& t : texts)
        if (t.text.size() > opt_.max_line_bytes)
          error(t.where, Code::text_too_long,
                fmt::format("a line of {} is {} bytes long, over the limit of {}", of,
                            t.text.size(), opt_.max_line_bytes),
                "split it over several nodes joined by `next:`, or have the host raise "
                "LoadOptions::max_line_bytes");
    };
    for (const NodeSpec& n : spec_.nodes) {
      const std::string of = fmt::format("node `{}`", n.name);
      line(n.say, of);
      if (n.no_match) line(n.no_match->reprompts, of);
      if (n.no_input) line(n.no_input->reprompts, of);
    }
    for (const GlobalSpec& g : spec_.globals) line(g.say, "a global handler");
    if (spec_.hold) line(spec_.hold->say, "`hold`");
  }

  // A flow's nodes count with the script's, under the same limits.
  void flows() {
    std::size_t total = spec_.nodes.size();
    for (const FlowSpec& f : spec_.flows) {
      for (const NodeSpec& n : f.nodes) {
        if (++total == opt_.max_nodes + 1)
          error(n.where, Code::too_many_nodes,
                fmt::format("the script has more than {} nodes with its flows'; node `{}` of flow "
                            "`{}` is the first past it",
                            opt_.max_nodes, n.name, f.name),
                "split it into several scripts, or have the host raise LoadOptions::max_nodes");
        if (n.routes.size() > opt_.max_routes_per_node)
          error(n.routes[opt_.max_routes_per_node].where, Code::too_many_routes,
                fmt::format("node `{}` of flow `{}` has {} routes, over the limit of {}", n.name,
                            f.name, n.routes.size(), opt_.max_routes_per_node),
                "give one route several intents, or have the host raise "
                "LoadOptions::max_routes_per_node");
        for (const Text& t : n.say)
          if (t.text.size() > opt_.max_line_bytes)
            error(t.where, Code::text_too_long,
                  fmt::format("a line of node `{}` of flow `{}` is {} bytes long, over the limit "
                              "of {}",
                              n.name, f.name, t.text.size(), opt_.max_line_bytes),
                  "split it over several nodes, or have the host raise "
                  "LoadOptions::max_line_bytes");
      }
    }
  }

  // Distinct tags, in the order the compiler numbers them; `dnc` is always one.
  void tags() {
    std::unordered_set<std::string_view> seen{"dnc"};
    const Mark* first = nullptr;
    std::string_view first_tag;
    auto add = [&](const std::vector<std::string>& tags, const Mark& where) {
      for (const std::string& t : tags)
        if (seen.insert(t).second && seen.size() == opt_.max_tags + 1) {
          first = &where;
          first_tag = t;
        }
    };
    for (const NodeSpec& n : spec_.nodes) {
      add(n.tags, n.where);
      for (const RouteSpec& r : n.routes) add(r.tags, r.where);
    }
    for (const GlobalSpec& g : spec_.globals) add(g.tags, g.where);
    for (const GradeRuleSpec& r : spec_.grading) add(r.tags, r.where);
    if (first)
      error(*first, Code::too_many_tags,
            fmt::format("the script gives {} different tags, over the limit of {}; tag `{}` here "
                        "is the first past it",
                        seen.size(), opt_.max_tags, first_tag),
            "tags name outcomes for the CRM: reuse a few, and keep details in variables, or have "
            "the host raise "
            "LoadOptions::max_tags (65,536 at most)");
  }

  const ScriptSpec& spec_;
  const LoadOptions& opt_;
  std::vector<Diagnostic>& out_;
  bool ok_ = true;
};

}  // namespace

bool check_size_limits(const ScriptSpec& spec, const LoadOptions& options,
                       std::vector<Diagnostic>& out) {
  return SizeCheck(spec, options, out).run();
}

}  // namespace patter::detail
