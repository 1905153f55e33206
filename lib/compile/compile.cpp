// ScriptSpec -> Script: resolve names, parse lines and expressions, check
// the graph. Every problem becomes a diagnostic pointing at the author's words.
#include <fmt/format.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "compile/compile.hpp"
#include "compile/endless_loops.hpp"
#include "compile/expr_compiler.hpp"
#include "compile/fingerprint.hpp"
#include "compile/matcher_input.hpp"
#include "compile/template.hpp"
#include "patter/graph.hpp"
#include "patter/script.hpp"
#include "patter/time_mention.hpp"
#include "text/fnv1a.hpp"
#include "text/suggest.hpp"
#include "text/utf8.hpp"

namespace patter {
namespace {

// Each named capture `(?<name>` of a pattern (look-behinds skipped): where
// its name starts, and the name. `f` returns true to stop.
template <class F>
void for_each_capture(const std::string& t, F f) {
  for (std::size_t at = t.find("(?<"); at != std::string::npos; at = t.find("(?<", at + 3)) {
    const std::size_t end = t.find('>', at + 3);
    if (end == std::string::npos) break;
    const std::string name = t.substr(at + 3, end - at - 3);
    if (name.empty() || name[0] == '=' || name[0] == '!') continue;  // look-behind
    if (f(at + 3, name)) return;
  }
}

}  // namespace

class ScriptBuilder {
 public:
  ScriptBuilder(const ScriptSpec& spec, bool check_graph, bool library = false)
      : spec_(spec), check_graph_(check_graph && !library), library_(library), s_(new Script()) {}

  CompileResult run() {
    s_->id_ = spec_.id;
    s_->version_ = spec_.version;
    s_->locale_ = spec_.locale;
    s_->title_ = spec_.title;
    s_->files_ = spec_.files;
    if (s_->files_.empty()) s_->files_.push_back("<spec>");

    declare_variables();
    declare_intents();
    declare_nodes();
    symbols();
    settings_and_limits();
    limit_closes();
    hold();
    host_data();
    intents();
    nodes();
    variants();
    globals();
    grading();
    if (!library_) start();
    if (!library_ && !has_errors(diags_)) unused();
    if (!library_ && !has_errors(diags_)) runtime_tables();

    if (!library_ && !has_errors(diags_)) build_matcher();
    CompileResult out;
    if (check_graph_ && !has_errors(diags_)) graph_checks();
    if (!has_errors(diags_) && !library_) {
      out.script = std::shared_ptr<const Script>(s_.release());
    }
    out.diagnostics = std::move(diags_);
    return out;
  }

 private:
  // Cold, as every diagnostic: the compiler moves the paths that report
  // out of the way of the paths a good script takes.
  [[gnu::cold]] void report(const SourceLocation& at, Severity sev, Code code, std::string msg,
                            std::string hint = {}) {
    diags_.push_back({at, sev, code, std::move(msg), std::move(hint)});
  }
  [[gnu::cold]] void error(const SourceLocation& at, Code code, std::string msg,
                           std::string hint = {}) {
    report(at, Severity::error, code, std::move(msg), std::move(hint));
  }
  [[gnu::cold]] void report(const Mark& at, Severity sev, Code code, std::string msg,
                            std::string hint = {}) {
    report(loc(at), sev, code, std::move(msg), std::move(hint));
  }
  [[gnu::cold]] void error(const Mark& at, Code code, std::string msg, std::string hint = {}) {
    report(loc(at), Severity::error, code, std::move(msg), std::move(hint));
  }
  SourceLocation loc(const Mark& m) const { return s_->locate(m); }
  std::string where_text(const Mark& m) const {
    return fmt::format("{}:{}:{}", loc(m).file, m.line, m.column);
  }
  static Mark shift(Mark at, std::size_t columns) {
    if (at.line) at.column += static_cast<std::uint32_t>(columns);
    return at;
  }

  template <class Index>
  static void sort_index(Index& idx) {
    std::sort(idx.begin(), idx.end());
  }

  // ---- declarations ------------------------------------------------------
  // Names usable in `{holes}`, in expressions and as ICU capture groups.
  static bool good_variable_name(std::string_view n) {
    if (n.empty()) return false;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const auto c = static_cast<unsigned char>(n[i]);
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
      if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
  }

  void declare_variables() {
    static const std::vector<std::string> reserved = {
        "score",          "turns",       "duration_s", "silences", "no_matches",
        "nodes_passed",   "escalations", "outcome",    "reason",   "true",
        "false",          "and",         "or",         "not",      "no_matches_in_row",
        "silences_in_row"};
    std::unordered_map<std::string, const VariableSpec*> seen;
    for (const VariableSpec& v : spec_.variables) {
      if (!good_variable_name(v.name)) {
        error(v.where, Code::invalid_value, fmt::format("`{}` cannot be a variable name", v.name),
              "use letters, digits and `_`, starting with a letter (e.g. `customer_name`)");
        continue;
      }
      if (std::find(reserved.begin(), reserved.end(), v.name) != reserved.end()) {
        error(v.where, Code::duplicate_name,
              fmt::format("`{}` is a built-in name of every call and cannot be a variable", v.name),
              "choose another name, e.g. `my_" + v.name + "`");
        continue;
      }
      if (auto [it, fresh] = seen.emplace(v.name, &v); !fresh) {
        error(v.where, Code::duplicate_name, fmt::format("variable `{}` is declared twice", v.name),
              fmt::format("the first is at {}", where_text(it->second->where)));
        continue;
      }
      Variable var;
      var.name = v.name;
      var.type = v.type == "number" ? Variable::Type::number
                 : v.type == "bool" ? Variable::Type::boolean
                 : v.type == "time" ? Variable::Type::time
                                    : Variable::Type::text;
      var.default_value = v.default_value;
      var.required = v.required;
      var.host_settable = v.host_settable;
      if (var.default_value && var.type == Variable::Type::number) {
        double d;
        const std::string& t = *var.default_value;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
        if (ec != std::errc() || p != t.data() + t.size())
          error(v.where, Code::wrong_type,
                fmt::format("variable `{}` is a number but its default `{}` is not", v.name, t),
                "write a number, or declare `type: string`");
      }
      s_->variables_.push_back(std::move(var));
      var_where_.push_back(v.where);
    }
    for (VariableId i = 0; i < s_->variables_.size(); ++i) {
      s_->variable_index_.emplace_back(s_->variables_[i].name, i);
      var_ids_.emplace(s_->variables_[i].name, i);
    }
    sort_index(s_->variable_index_);
    used_vars_.assign(s_->variables_.size(), false);
  }

  void declare_intents() {
    s_->intents_.reserve(spec_.intents.size());
    for (const IntentSpec& in : spec_.intents) {
      if (in.name == "any") {
        error(in.where, Code::duplicate_name, "`any` is reserved: it means any reply",
              "give the intent another name");
        continue;
      }
      const auto id = static_cast<IntentId>(s_->intents_.size());
      if (auto [it, fresh] = intent_ids_.emplace(in.name, id); !fresh) {
        error(in.where, Code::duplicate_name, fmt::format("intent `{}` is declared twice", in.name),
              fmt::format("the first is at {}; merge their phrases",
                          where_text(intent_specs_[it->second]->where)));
        continue;
      }
      Intent out;
      out.name = in.name;
      out.priority = in.priority;
      out.score = in.score;
      out.where = in.where;
      s_->intents_.push_back(std::move(out));
      intent_specs_.push_back(&in);
    }
    for (IntentId i = 0; i < s_->intents_.size(); ++i)
      s_->intent_index_.emplace_back(s_->intents_[i].name, i);
    sort_index(s_->intent_index_);
    used_intents_.assign(s_->intents_.size(), false);
  }

  void declare_nodes() {
    node_ids_.reserve(spec_.nodes.size());
    s_->nodes_.reserve(spec_.nodes.size());
    s_->node_index_.reserve(spec_.nodes.size());
    node_specs_.reserve(spec_.nodes.size());
    for (const NodeSpec& n : spec_.nodes) {
      const auto id = static_cast<NodeId>(s_->nodes_.size());
      if (auto [it, fresh] = node_ids_.emplace(n.name, id); !fresh) {
        error(n.where, Code::duplicate_name, fmt::format("node `{}` is defined twice", n.name),
              fmt::format("the first is at {}; rename one",
                          where_text(node_specs_[it->second]->where)));
        continue;
      }
      Node out;
      out.name = n.name;
      out.where = n.where;
      s_->nodes_.push_back(std::move(out));
      node_specs_.push_back(&n);
    }
    declare_flow_nodes();
    for (NodeId i = 0; i < s_->nodes_.size(); ++i)
      s_->node_index_.emplace_back(s_->nodes_[i].name, i);
    sort_index(s_->node_index_);
  }

  void symbols() {
    for (const auto& n : s_->variables_) var_names_.push_back(n.name);
    sym_.node = [this](std::string_view n) { return find_node(n); };
    sym_.intent = [this](std::string_view n) -> std::optional<std::uint32_t> {
      auto id = find_intent(n);
      if (id) used_intents_[*id] = true;
      return id;
    };
    sym_.variable =
        [this](std::string_view n) -> std::optional<std::pair<VariableId, Variable::Type>> {
      auto id = find_variable(n);
      if (!id) return std::nullopt;
      used_vars_[*id] = true;
      return std::make_pair(*id, s_->variables_[*id].type);
    };
    sym_.node_names = [this]() -> const std::vector<std::string>& { return node_names(); };
    sym_.intent_names = [this]() -> const std::vector<std::string>& { return intent_names(); };
    sym_.variable_names = [this]() -> const std::vector<std::string>& { return var_names_; };
  }

  // ---- resolution helpers --------------------------------------------------
  // Every node or intent name, for "did you mean": only a wrong name needs
  // them, so a correct script never builds these lists.
  const std::vector<std::string>& node_names() {
    if (node_names_.empty())
      for (const auto& n : s_->nodes_) node_names_.push_back(n.name);
    return node_names_;
  }
  const std::vector<std::string>& intent_names() {
    if (intent_names_.empty())
      for (const auto& n : s_->intents_) intent_names_.push_back(n.name);
    return intent_names_;
  }

  // Hash lookups while compiling: a binary search over a large script's
  // names touches a different node's string at every step.
  template <class Map>
  static std::optional<std::uint32_t> lookup(const Map& m, std::string_view name) {
    auto it = m.find(name);
    if (it == m.end()) return std::nullopt;
    return it->second;
  }
  std::optional<NodeId> find_node(std::string_view n) const { return lookup(node_ids_, n); }
  std::optional<IntentId> find_intent(std::string_view n) const { return lookup(intent_ids_, n); }
  std::optional<VariableId> find_variable(std::string_view n) const { return lookup(var_ids_, n); }

  NodeId node_ref(const Ref& r, std::string_view what) {
    if (auto id = find_in_scope(r.name)) return within_scope(r, what, *id);
    std::string hint = detail::did_you_mean(r.name, node_names());
    if (hint.empty()) hint = "define the node under `nodes:` or fix the name";
    error(r.where, Code::unknown_node, fmt::format("{}: there is no node `{}`", what, r.name),
          hint);
    return kNone;
  }

  IntentId intent_ref(const Ref& r, std::string_view what) {
    if (auto id = find_intent(r.name)) {
      used_intents_[*id] = true;
      return *id;
    }
    std::string hint = detail::did_you_mean(r.name, intent_names());
    if (hint.empty()) hint = "declare it under `intents:` or include a library that does";
    error(r.where, Code::unknown_intent, fmt::format("{}: there is no intent `{}`", what, r.name),
          hint);
    return kNone;
  }

  std::vector<Template> lines(const std::vector<Text>& texts) {
    std::vector<Template> out;
    out.reserve(texts.size());
    for (const Text& t : texts) {
      detail::TemplateError err;
      auto tpl = detail::parse_template(
          t.text,
          [this](std::string_view n) -> std::optional<VariableId> {
            auto id = find_variable(n);
            if (id) used_vars_[*id] = true;
            return id;
          },
          var_names_, err);
      if (!tpl) {
        error(shift(t.where, err.offset), err.code, err.message, err.hint);
        continue;
      }
      out.push_back(std::move(*tpl));
    }
    return out;
  }

  Expr expression(const Text& t) {
    detail::ExprError err;
    auto e = detail::compile_expr(t.text, sym_, err);
    if (!e) {
      error(shift(t.where, err.offset), err.code, fmt::format("in `{}`: {}", t.text, err.message),
            err.hint);
      return {};
    }
    return std::move(*e);
  }

  Escalation escalation(const EscalationSpec& e) {
    Escalation out;
    if (auto r = parse_escalation_reason(e.reason)) out.reason = *r;
    if (auto p = parse_priority(e.priority)) out.priority = *p;
    return out;
  }

  // ---- sections --------------------------------------------------------------
  /// The backchannel words as the matcher reads them (without filler
  /// removal, so a backchannel that is also a filler is still seen), then
  /// the fillers; and the intent a backchannel answers.
  void backchannels() {
    static const std::vector<std::string> kZh = {"嗯",   "嗯嗯", "对", "对对", "是",
                                                 "是的", "哦",   "噢", "好",   "好好"};
    static const std::vector<std::string> kEn = {"uh-huh", "mm-hmm", "mhm", "right", "yeah",
                                                 "yep",    "okay",   "ok",  "I see"};
    const SettingsSpec& st = spec_.settings;
    Settings& o = s_->settings_;
    std::vector<std::string> words;
    if (st.backchannels)
      for (const Text& t : *st.backchannels) words.push_back(t.text);
    else if (spec_.locale.rfind("zh", 0) == 0)
      words = kZh;
    else if (spec_.locale.rfind("en", 0) == 0)
      words = kEn;
    const Normalizer plain(NormalizeOptions{spec_.locale, {}});
    auto add = [&](std::string_view word, bool filler) {
      std::string n = plain.normalize(word);
      if (n.empty()) return;
      for (const Settings::Word& w : o.backchannels)
        if (w.text == n) return;
      o.backchannels.push_back({std::move(n), filler});
    };
    for (const std::string& w : words) add(w, false);
    for (const std::string& f : o.fillers) add(f, true);
    if (st.backchannel_intent) {
      if (st.backchannel_intent->name != "none")
        o.backchannel_intent = intent_ref(*st.backchannel_intent, "`backchannel_intent`");
    } else if (auto affirm = find_intent("affirm")) {
      o.backchannel_intent = *affirm;
    }
  }

  void settings_and_limits() {
    const SettingsSpec& st = spec_.settings;
    Settings& o = s_->settings_;
    if (st.listen_ms) o.listen_ms = *st.listen_ms;
    if (st.barge_in) o.barge_in = *st.barge_in;
    interrupt_settings();
    o.barge_in_opening = st.barge_in_opening.value_or(o.barge_in);
    o.barge_in_closing = st.barge_in_closing.value_or(o.barge_in);
    if (st.no_barge_ms) o.no_barge_ms = *st.no_barge_ms;
    if (st.long_reply_chars) o.long_reply_chars = *st.long_reply_chars;
    for (const Text& f : st.fillers) o.fillers.push_back(f.text);
    if (st.negation_window) o.negation_window = *st.negation_window;
    if (st.similarity_threshold)
      o.similarity_threshold = static_cast<float>(*st.similarity_threshold);
    if (st.min_confidence) o.min_confidence = static_cast<float>(*st.min_confidence);
    if (st.understand) o.understand = *st.understand == "host";
    if (st.understand_ms) o.understand_ms = *st.understand_ms;
    backchannels();

    const LimitsSpec& l = spec_.limits;
    Limits& lo = s_->limits_;
    lo.max_turns = l.max_turns.value_or(0);
    lo.max_duration_s = l.max_duration_s.value_or(0);
    lo.max_visits = l.max_visits.value_or(0);
    lo.no_match_consecutive = l.no_match_consecutive.value_or(0);
    lo.no_match_total = l.no_match_total.value_or(0);
    lo.no_input_consecutive = l.no_input_consecutive.value_or(0);
    lo.no_input_total = l.no_input_total.value_or(0);
    if (l.close) lo.close = node_ref(*l.close, "`limits.close`");
    if (l.escalate_score) lo.escalate_score = *l.escalate_score;
    if (l.escalate_node) lo.escalate_node = node_ref(*l.escalate_node, "`limits.escalate_node`");
    if (l.escalate_node && !l.escalate_score)
      report(l.escalate_node->where, Severity::warning, Code::missing_key,
             "`escalate_node` has no effect without `escalate_score`",
             "add `escalate_score: 60` or similar");
  }

  void hold() {
    if (!spec_.hold) return;
    const HoldSpec& h = *spec_.hold;
    Hold& o = s_->hold_;
    o.where = h.where;
    if (h.while_waiting == "silence")
      o.mode = Hold::While::silence;
    else if (h.while_waiting == "script")
      o.mode = Hold::While::script;
    o.lines = lines(h.say);
    if (h.interval_s) o.interval_s = *h.interval_s;
    if (h.timeout_s) o.timeout_s = *h.timeout_s;
    if (h.resume) o.resume = node_ref(*h.resume, "`hold.resume`");
    if (h.then) o.then = node_ref(*h.then, "`hold.then`");
    if (o.mode == Hold::While::script && !h.resume)
      error(h.where, Code::missing_key,
            "`while_waiting: script` needs the node the robot carries on from",
            "add `resume: <node>`");
    if (o.mode != Hold::While::script && h.resume)
      report(h.resume->where, Severity::warning, Code::conflicting_keys,
             "`resume` is only used with `while_waiting: script`",
             "remove it, or set `while_waiting: script`");
    if (o.mode == Hold::While::lines && h.say.empty() && h.while_waiting == "lines")
      report(h.where, Severity::warning, Code::missing_key,
             "`while_waiting: lines` has no hold lines",
             "add `say:` with 1 to 4 lines, or use `while_waiting: silence`");
  }

  void intents() {
    regexes_.resize(s_->intents_.size());
    for (IntentId i = 0; i < s_->intents_.size(); ++i) {
      const IntentSpec& in = *intent_specs_[i];
      Intent& out = s_->intents_[i];
      out.phrases.reserve(in.phrases.size());
      for (const Text& p : in.phrases) {
        if (p.text.empty()) {
          error(p.where, Code::invalid_value,
                fmt::format("intent `{}` has an empty phrase", in.name), "remove it");
          continue;
        }
        out.phrases.push_back(p.text);
      }
      std::vector<std::shared_ptr<icu::RegexPattern>>& compiled = regexes_[i];
      for (const Text& p : in.patterns) {
        compiled.push_back(check_pattern(in.name, p));
        out.patterns.push_back(p.text);
      }
      for (const Text& e : in.examples) out.examples.push_back(e.text);
      if (in.opposite) {
        out.opposite = intent_ref(*in.opposite, "`opposite`");
        if (out.opposite == i)
          error(in.opposite->where, Code::invalid_value,
                fmt::format("intent `{}` is its own opposite", in.name),
                "name the intent a negated phrase should mean instead");
      }
    }
  }

  // ICU takes ASCII letters and digits in capture names, while variables
  // are often snake_case: name the character and the way out.
  bool bad_capture_name(const std::string& intent, const Text& p) {
    const std::string& t = p.text;
    bool found = false;
    for_each_capture(t, [&](std::size_t at, const std::string& name) {
      const auto bad = std::find_if(name.begin(), name.end(),
                                    [](unsigned char c) { return !(std::isalnum(c) && c < 0x80); });
      if (bad == name.end() && std::isalpha(static_cast<unsigned char>(name[0]))) return false;
      std::string plain;
      for (char c : name)
        if (std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80)
          plain += c;
      error(shift(p.where, detail::count_code_points(std::string_view(t).substr(0, at))),
            Code::bad_pattern,
            fmt::format("capture name `{}` in pattern `{}` of intent `{}` has `{}`: capture names "
                        "take only letters and digits, starting with a letter",
                        name, t, intent,
                        bad == name.end() ? name.substr(0, 1) : std::string(1, *bad)),
            plain.empty() || !std::isalpha(static_cast<unsigned char>(plain[0]))
                ? std::string("name the capture with letters and digits, and its variable the same")
                : fmt::format("rename it `{}`, here and under `variables:` (the capture fills "
                              "the variable of the same name)",
                              plain));
      return found = true;
    });
    return found;
  }

  // The pattern compiled as the matcher uses it (null when it does not
  // compile), so that the matcher need not compile it again.
  std::shared_ptr<icu::RegexPattern> check_pattern(const std::string& intent, const Text& p) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe{};
    std::shared_ptr<icu::RegexPattern> re = detail::compile_pattern(p.text, pe, status);
    if (status == U_REGEX_INVALID_CAPTURE_GROUP_NAME && bad_capture_name(intent, p)) return {};
    if (U_FAILURE(status)) {
      const std::size_t off = pe.offset >= 0 ? static_cast<std::size_t>(pe.offset) : 0;
      error(shift(p.where, off), Code::bad_pattern,
            fmt::format("pattern `{}` of intent `{}` is not a valid regular expression ({})",
                        p.text, intent, u_errorName(status)),
            "check brackets and escapes; named captures look like (?<name>\\d+)");
      return {};
    }
    // Named groups capture into variables, which must be declared.
    const std::string& t = p.text;
    for_each_capture(t, [&](std::size_t at, const std::string& name) {
      if (auto id = find_variable(name)) {
        used_vars_[*id] = true;
        return false;
      }
      std::string hint = detail::did_you_mean(name, var_names_);
      if (hint.empty())
        hint = fmt::format("declare `{}` under `variables:` to receive the capture", name);
      error(shift(p.where, detail::count_code_points(std::string_view(t).substr(0, at))),
            Code::undeclared_variable, fmt::format("capture `{}` has no variable to go to", name),
            hint);
      return false;
    });
    return re;
  }

  void nodes() {
    const Settings& st = s_->settings_;
    for (NodeId n = 0; n < s_->nodes_.size(); ++n) {
      const NodeSpec& ns = *node_specs_[n];
      Node& node = s_->nodes_[n];
      scope_ = node.flow;
      const int kinds = (!ns.routes.empty()) + ns.next.has_value() + ns.hangup.has_value() +
                        ns.escalate.has_value();
      if (kinds > 1) {
        std::vector<std::string> have;
        if (!ns.routes.empty()) have.push_back("`routes`");
        if (ns.next) have.push_back("`next`");
        if (ns.hangup) have.push_back("`hangup`");
        if (ns.escalate) have.push_back("`escalate`");
        error(ns.where, Code::conflicting_keys,
              fmt::format("node `{}` has {}; a node either listens (routes), goes on (next), hangs "
                          "up or escalates",
                          ns.name, fmt::join(have, " and ")),
              "split it into two nodes");
      }
      if (ns.hangup) {
        node.kind = NodeKind::hangup;
        node.hangup = parse_hangup_reason(*ns.hangup).value_or(HangupReason::completed);
      } else if (ns.escalate) {
        node.kind = NodeKind::escalate;
        node.escalation = escalation(*ns.escalate);
      } else if (ns.next) {
        node.kind = NodeKind::pass;
        node.next = node_ref(*ns.next, "`next`");
      } else {
        node.kind = NodeKind::listen;
      }
      if (ns.fetch) fetch_node(ns, node);
      node.lines = lines(ns.say);
      node.recording = ns.recording;
      const bool opening = spec_.start && spec_.start->name == ns.name;
      node.barge_in = ns.barge_in.value_or(opening           ? st.barge_in_opening
                                           : node.terminal() ? st.barge_in_closing
                                                             : st.barge_in);
      interrupt_policy(ns, node);
      node.listen_ms = ns.listen_ms.value_or(st.listen_ms);
      node.tags = ns.tags;
      node.score = ns.score;
      node.max_visits = ns.max_visits.value_or(s_->limits_.max_visits);
      node.min_confidence =
          ns.min_confidence ? static_cast<float>(*ns.min_confidence) : st.min_confidence;
      node.understand = ns.understand ? *ns.understand == "host" : st.understand;
      node.understand_ms = ns.understand_ms.value_or(st.understand_ms);
      if (node.terminal() && (ns.no_match || ns.no_input))
        report(ns.where, Severity::warning, Code::conflicting_keys,
               fmt::format("node `{}` ends the call, so its `no_match` / `no_input` are never used",
                           ns.name),
               "remove them");
      routes(ns, node);
      slots(ns, node, kinds);
      fallback(ns.no_match, node.no_match, true);
      fallback(ns.no_input, node.no_input, false);
      node_globals(ns, node);
      if (node.kind == NodeKind::listen) {
        cut_short(ns, ns.no_match, node.no_match, s_->limits_.no_match_consecutive, "no_match");
        cut_short(ns, ns.no_input, node.no_input, s_->limits_.no_input_consecutive, "no_input");
      }
      flow_node(ns, node);
    }
    scope_ = kNoFlow;
    flows();
  }

  void routes(const NodeSpec& ns, Node& node) {
    bool catch_all_seen = false;
    std::vector<IntentId> unguarded;  // intents an earlier route takes without a guard
    node.routes.reserve(ns.routes.size());
    auto taken = [&](IntentId i) {
      return std::find(unguarded.begin(), unguarded.end(), i) != unguarded.end();
    };
    for (const RouteSpec& rs : ns.routes) {
      Route r;
      r.where = rs.where;
      bool all_shadowed = catch_all_seen;
      for (const Ref& ir : rs.intents) {
        if (ir.name == "any") {
          r.any = true;
          continue;
        }
        const IntentId id = intent_ref(ir, "route intent");
        if (id == kNone) continue;
        r.intents.push_back(id);
      }
      if (!rs.intents.empty() && !r.any && !catch_all_seen) {
        all_shadowed = !r.intents.empty() && rs.keys.empty() &&
                       std::all_of(r.intents.begin(), r.intents.end(), taken);
      }
      for (char k : rs.keys) {
        if (!((k >= '0' && k <= '9') || k == '*' || k == '#')) {
          error(rs.where, Code::invalid_value,
                fmt::format("`{}` is not a phone key", std::string(1, k)), "keys are 0-9, * and #");
          break;
        }
      }
      r.keys = rs.keys;
      if (rs.when) r.guard = expression(*rs.when);
      if (!rs.to.name.empty()) r.target = node_ref(rs.to, "route target");
      r.tags = rs.tags;
      r.score = rs.score;
      r.set = assignments(rs.set);
      if (all_shadowed && !rs.intents.empty())
        report(rs.where, Severity::warning, Code::shadowed_route,
               fmt::format("this route of node `{}` is never taken: an earlier route without "
                           "`when` takes the same replies",
                           ns.name),
               "move it above, or add a `when` to the earlier route");
      if (!rs.when) {
        if (r.any) catch_all_seen = true;
        for (IntentId i : r.intents) unguarded.push_back(i);
      }
      node.routes.push_back(std::move(r));
    }
  }

  // The call-wide consecutive limit is checked before a node's own policy:
  // if `retries` re-prompts plus the reply that should go to `then` reach
  // it, the call closes first and `then` is never used.
  void cut_short(const NodeSpec& ns, const Boxed<FallbackSpec>& fs, const Fallback& f,
                 int consecutive, std::string_view kind) {
    if (!fs || !fs->then || consecutive <= 0 || f.retries + 1 < consecutive) return;
    report(fs->then->where, Severity::warning, Code::fallback_cut_short,
           fmt::format("`{}.then` of node `{}` is never used: after {} re-prompt{}, the {} {} in a "
                       "row reaches "
                       "`limits.{}.consecutive: {}` and the call closes first",
                       kind, ns.name, f.retries, f.retries == 1 ? "" : "s", ordinal(f.retries + 1),
                       kind == "no_match" ? "unrecognised reply" : "silence", kind, consecutive),
           fmt::format("lower `retries` to {}, or raise `limits.{}.consecutive` to {}",
                       consecutive - 2, kind, f.retries + 2));
  }

  static std::string ordinal(int n) {
    switch (n) {
      case 1: return "1st";
      case 2: return "2nd";
      case 3: return "3rd";
      default: return std::to_string(n) + "th";
    }
  }

  void fallback(const Boxed<FallbackSpec>& fs, Fallback& f, bool no_match) {
    if (!fs) return;
    f.retries = fs->retries;
    f.reprompts = lines(fs->reprompts);
    if (fs->then) f.then = node_ref(*fs->then, no_match ? "`no_match.then`" : "`no_input.then`");
    if (fs->long_reply) f.long_reply = node_ref(*fs->long_reply, "`no_match.long_reply`");
    at_total(*fs, f, no_match);
  }

  void globals() {
    for (const GlobalSpec& gs : spec_.globals) {
      GlobalHandler g;
      g.where = gs.where;
      for (const Ref& r : gs.intents) {
        if (r.name == "any") {
          error(r.where, Code::invalid_value,
                "a global handler cannot use `any`: it would answer every reply",
                "name the intent it answers");
          continue;
        }
        if (IntentId id = intent_ref(r, "handler intent"); id != kNone) g.intents.push_back(id);
      }
      g.lines = lines(gs.say);
      g.recording = gs.recording;
      g.tags = gs.tags;
      g.score = gs.score;
      g.reprompt = gs.reprompt;
      g.max_times = gs.max_times.value_or(0);
      g.set = assignments(gs.set);
      g.repeat = handler_repeat(gs);
      handler_interrupt(gs, g);
      if (gs.then == "goto") {
        g.then = GlobalHandler::Then::go_to;
        if (gs.target) g.target = node_ref(*gs.target, "`goto`");
      } else if (gs.then == "hangup") {
        g.then = GlobalHandler::Then::hangup;
        if (gs.hangup) g.hangup = parse_hangup_reason(*gs.hangup).value_or(HangupReason::completed);
      } else if (gs.then == "escalate") {
        g.then = GlobalHandler::Then::escalate;
        if (gs.escalate) g.escalation = escalation(*gs.escalate);
      }
      s_->globals_.push_back(std::move(g));
    }
  }

  // Tags as indices, and which intents opt out: what a running call needs
  // without looking anything up by name.
  /// Which rarer keys each node uses, for the turn's one test.
  void rare_keys() {
    for (Node& n : s_->nodes_)
      n.rare = static_cast<std::uint8_t>((n.line_when.empty() ? 0 : Node::kGuardedLines) |
                                         (n.variants.empty() ? 0 : Node::kVariants) |
                                         (n.set.empty() ? 0 : Node::kSets) |
                                         (n.capture == kNone ? 0 : Node::kCaptures));
  }

  /// What each node's replies can act on, for the host's `understand`.
  void candidates() {
    std::vector<IntentId> found;  // gathered here, then copied at its size: one allocation a node
    for (Node& n : s_->nodes_) {
      found.assign(n.candidates.begin(), n.candidates.end());
      auto add = [&](IntentId i) {
        if (i != kNone && std::find(found.begin(), found.end(), i) == found.end())
          found.push_back(i);
      };
      for (const Route& r : n.routes)
        for (IntentId i : r.intents) add(i);
      for (const Variant& v : n.variants)
        for (const Route& r : v.routes)
          for (IntentId i : r.intents) add(i);
      for (const GlobalHandler& g : s_->globals_)
        for (IntentId i : g.intents)
          if (n.global_allowed(i)) add(i);
      if (found.size() != n.candidates.size()) n.candidates.assign(found.begin(), found.end());
    }
  }

  void runtime_tables() {
    if (too_many_tags()) return;
    std::vector<std::string>& all = s_->tags_;
    all.push_back("dnc");
    auto collect = [&](const std::vector<std::string>& tags) {
      all.insert(all.end(), tags.begin(), tags.end());
    };
    for (const Node& n : s_->nodes_) {
      collect(n.tags);
      for (const Route& r : n.routes) collect(r.tags);
      for (const Variant& v : n.variants)
        for (const Route& r : v.routes) collect(r.tags);
    }
    for (const GlobalHandler& g : s_->globals_) collect(g.tags);
    for (const GradeRule& r : s_->grading_) collect(r.tags);
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    auto ids = [&](const std::vector<std::string>& tags, std::vector<TagId>& out) {
      out.clear();
      for (const std::string& t : tags)
        if (auto id = s_->find_tag(t); id && std::find(out.begin(), out.end(), *id) == out.end())
          out.push_back(*id);
    };
    for (Node& n : s_->nodes_) {
      ids(n.tags, n.tag_ids);
      for (Route& r : n.routes) ids(r.tags, r.tag_ids);
      for (Variant& v : n.variants)
        for (Route& r : v.routes) ids(r.tags, r.tag_ids);
    }
    for (GlobalHandler& g : s_->globals_) ids(g.tags, g.tag_ids);
    for (GradeRule& r : s_->grading_) ids(r.tags, r.tag_ids);
    candidates();
    rare_keys();

    // Each hole knows its variable's type: lines render without a lookup.
    auto typed = [&](std::vector<Template>& lines) {
      for (Template& t : lines)
        for (Template::Piece& p : t.pieces)
          if (p.variable != kNone)
            p.type = static_cast<std::uint8_t>(s_->variables_[p.variable].type);
    };
    for (Node& n : s_->nodes_) {
      typed(n.lines);
      for (Variant& v : n.variants) typed(v.lines);
      typed(n.no_match.reprompts);
      typed(n.no_input.reprompts);
    }
    for (GlobalHandler& g : s_->globals_) typed(g.lines);
    typed(s_->hold_.lines);
    typed_assignments();

    // An intent opts out when a handler for it ends the call with opt_out,
    // itself or through its goto (following pass-through nodes).
    auto ends_in_opt_out = [&](const GlobalHandler& g) {
      if (g.then == GlobalHandler::Then::hangup) return g.hangup == HangupReason::opt_out;
      if (g.then != GlobalHandler::Then::go_to) return false;
      NodeId n = g.target;
      for (std::size_t hops = 0; n != kNone && hops <= s_->nodes_.size(); ++hops) {
        const Node& node = s_->nodes_[n];
        if (node.kind == NodeKind::hangup) return node.hangup == HangupReason::opt_out;
        if (node.kind != NodeKind::pass) return false;
        n = node.next;
      }
      return false;
    };
    for (const GlobalHandler& g : s_->globals_)
      if (ends_in_opt_out(g))
        for (IntentId i : g.intents) s_->intents_[i].opt_out = s_->opts_out_ = true;
    for (IntentId i = 0; i < s_->intents_.size(); ++i) intent_kind(i);

    // What a session's block holds, counted once (session_state.hpp).
    s_->counts_[0] = static_cast<std::uint32_t>(s_->variables_.size());
    s_->counts_[1] = static_cast<std::uint32_t>(s_->nodes_.size());
    s_->counts_[2] = static_cast<std::uint32_t>(s_->intents_.size());
    s_->counts_[3] = static_cast<std::uint32_t>(s_->globals_.size());
    s_->counts_[5] = s_->flows_.empty() ? 0u : kMaxFlowDepth;
    s_->counts_[4] = static_cast<std::uint32_t>((s_->tags_.size() + 15) / 16);
    s_->counts_[6] = std::any_of(s_->nodes_.begin(), s_->nodes_.end(),
                                 [](const Node& n) { return !n.variants.empty(); })
                         ? 1u
                         : 0u;
  }

  // An intent's kind: as written, or from what it is named and does, so
  // scripts written before `kind:` existed keep opt-out first.
  void intent_kind(IntentId i) {
    Intent& in = s_->intents_[i];
    const std::string& said = intent_specs_[i]->kind;
    static constexpr std::pair<std::string_view, IntentKind> kNames[] = {
        {"opt_out", IntentKind::opt_out},
        {"human", IntentKind::human},
        {"question", IntentKind::question},
        {"refusal", IntentKind::refusal},
        {"answer", IntentKind::answer}};
    for (const auto& [name, kind] : kNames)
      if (said == name) {
        in.kind = kind;
        return;
      }
    if (in.opt_out || in.name == "opt_out")
      in.kind = IntentKind::opt_out;
    else if (in.name == "ask_human")
      in.kind = IntentKind::human;
    else if (in.name.rfind("ask_", 0) == 0)
      in.kind = IntentKind::question;
    else
      in.kind = IntentKind::answer;
  }

  // A call records a tag as a TagId: a script with more distinct tags than it
  // can number cannot run. The loader's LoadOptions::max_tags is far lower;
  // this guards scripts compiled from a spec made in code.
  bool too_many_tags() {
    constexpr std::size_t kMaxTags = std::size_t{std::numeric_limits<TagId>::max()} + 1;
    std::unordered_set<std::string_view> seen{"dnc"};
    auto past = [&](const std::vector<std::string>& tags, const Mark& where) {
      for (const std::string& t : tags) {
        if (!seen.insert(t).second || seen.size() <= kMaxTags) continue;
        error(where, Code::too_many_tags,
              fmt::format("the script gives more than {} different tags, the most a call can "
                          "record; tag `{}` here "
                          "is the first past it",
                          kMaxTags, t),
              "tags name outcomes for the CRM: reuse a few, and keep details in variables");
        return true;
      }
      return false;
    };
    for (const NodeSpec* n : node_specs_) {
      if (past(n->tags, n->where)) return true;
      for (const RouteSpec& r : n->routes)
        if (past(r.tags, r.where)) return true;
    }
    for (const GlobalSpec& g : spec_.globals)
      if (past(g.tags, g.where)) return true;
    for (const GradeRuleSpec& r : spec_.grading)
      if (past(r.tags, r.where)) return true;
    return false;
  }

  void grading() {
    grade_codes();
    for (const GradeRuleSpec& gr : spec_.grading) {
      GradeRule r;
      r.grade = grade_ref(gr.grade, gr.where);
      if (!gr.when.text.empty() || gr.when.where.line) r.when = expression(gr.when);
      r.tags = gr.tags;
      s_->grading_.push_back(std::move(r));
    }
    s_->default_grade_ = static_cast<std::uint8_t>(s_->grades_.size() - 1);
    if (spec_.default_grade_where.line || spec_.default_grade != "E")
      s_->default_grade_ = grade_ref(spec_.default_grade, spec_.default_grade_where);
  }

  // ---- limits' close nodes, at_total, globals per node, grades ------------
  /// Each limit's close node: its own (`close: {max_turns: ...}`), else
  /// `close`. `no_match` / `no_input` name both of their limits; the
  /// `_consecutive` / `_total` keys one.
  void limit_closes() {
    const LimitsSpec& l = spec_.limits;
    Limits& lo = s_->limits_;
    lo.close_max_turns = lo.close_max_duration = lo.close_max_visits = lo.close;
    lo.close_no_match_consecutive = lo.close_no_match_total = lo.close;
    lo.close_no_input_consecutive = lo.close_no_input_total = lo.close;
    const bool node_visits =
        std::any_of(spec_.nodes.begin(), spec_.nodes.end(),
                    [](const NodeSpec& n) { return n.max_visits.has_value(); });
    struct Slot {
      std::string_view key;
      NodeId* first;
      NodeId* second;
      bool set;  // the limit is set: its close node can be used
    };
    const Slot slots[] = {
        {"no_match", &lo.close_no_match_consecutive, &lo.close_no_match_total, true},
        {"no_input", &lo.close_no_input_consecutive, &lo.close_no_input_total, true},
        {"max_turns", &lo.close_max_turns, nullptr, l.max_turns.has_value()},
        {"max_duration_s", &lo.close_max_duration, nullptr, l.max_duration_s.has_value()},
        {"max_visits", &lo.close_max_visits, nullptr, l.max_visits || node_visits},
        {"no_match_consecutive", &lo.close_no_match_consecutive, nullptr, true},
        {"no_match_total", &lo.close_no_match_total, nullptr, l.no_match_total.has_value()},
        {"no_input_consecutive", &lo.close_no_input_consecutive, nullptr, true},
        {"no_input_total", &lo.close_no_input_total, nullptr, l.no_input_total.has_value()},
    };
    for (const Slot& slot : slots)  // in this order: a narrower key wins over a broader one
      for (const auto& [key, ref] : l.close_by) {
        if (key != slot.key) continue;
        const NodeId n = node_ref(ref, fmt::format("`limits.close.{}`", key));
        if (n == kNone) continue;
        *slot.first = n;
        if (slot.second) *slot.second = n;
        if (!slot.set)
          report(ref.where, Severity::warning, Code::unused_close,
                 fmt::format("`close.{}` is never used: the script sets no {}", key,
                             key == "max_visits"       ? "`max_visits` (in `limits` or a node)"
                             : key == "no_match_total" ? "`limits.no_match.total`"
                             : key == "no_input_total" ? "`limits.no_input.total`"
                                                       : "`limits." + key + "`"),
                 fmt::format("set the limit, or remove `close.{}`", key));
      }
  }

  /// `at_total: {2: purpose}`, by count; a count the call-wide total ends
  /// first is never used.
  void at_total(const FallbackSpec& fs, Fallback& f, bool no_match) {
    const int total = no_match ? s_->limits_.no_match_total : s_->limits_.no_input_total;
    for (const auto& [n, ref] : fs.at_total) {
      const NodeId to = node_ref(ref, no_match ? "`no_match.at_total`" : "`no_input.at_total`");
      if (to == kNone) continue;
      if (total > 0 && n >= total)
        report(ref.where, Severity::warning, Code::unused_at_total,
               fmt::format("`at_total: {{{}: {}}}` is never used: the call's {} {} reaches "
                           "`limits.{}.total: {}` and the call closes first",
                           n, ref.name, ordinal(n), no_match ? "unrecognised reply" : "silence",
                           no_match ? "no_match" : "no_input", total),
               fmt::format("use a count below {}, or raise the limit", total));
      f.at_total.emplace_back(static_cast<std::uint32_t>(n), to);
    }
    std::stable_sort(f.at_total.begin(), f.at_total.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  /// `globals: none | [intents]`: each name must be an intent some global
  /// handler answers.
  void node_globals(const NodeSpec& ns, Node& node) {
    if (!ns.globals) return;
    node.globals_limited = true;
    for (const Ref& r : *ns.globals) {
      const std::optional<IntentId> id = find_intent(r.name);
      const bool handled =
          id && std::any_of(spec_.globals.begin(), spec_.globals.end(), [&](const GlobalSpec& g) {
            return std::any_of(g.intents.begin(), g.intents.end(),
                               [&](const Ref& i) { return i.name == r.name; });
          });
      if (handled) {
        used_intents_[*id] = true;
        node.globals_allowed.push_back(*id);
        continue;
      }
      std::vector<std::string> names;
      for (const GlobalSpec& g : spec_.globals)
        for (const Ref& i : g.intents)
          if (std::find(names.begin(), names.end(), i.name) == names.end()) names.push_back(i.name);
      std::string hint = detail::did_you_mean(r.name, names);
      if (hint.empty())
        hint = names.empty()
                   ? std::string("the script has no global handlers; remove `globals:`")
                   : fmt::format("name the intent of a global handler: {}", fmt::join(names, ", "));
      error(r.where, Code::unknown_global,
            fmt::format("`globals` of node `{}`: {}", ns.name,
                        id ? fmt::format("no global handler answers intent `{}`", r.name)
                           : fmt::format("there is no intent `{}`", r.name)),
            hint);
    }
  }

  /// `repeat: true` says the last line again when the handler resumes.
  bool handler_repeat(const GlobalSpec& gs) {
    if (gs.repeat && gs.then != "resume")
      report(gs.where, Severity::warning, Code::conflicting_keys,
             fmt::format("`repeat: true` is only used by a handler that resumes; this one has `{}`",
                         gs.then),
             "remove `repeat`, or the handler's `goto`/`hangup`/`escalate`");
    return gs.repeat;
  }

  /// The script's grade codes: `grades:`, or A to E.
  void grade_codes() {
    constexpr std::size_t kMaxGrades = 64, kMaxGradeBytes = 16;
    if (spec_.grades.empty()) return;
    s_->grades_.clear();
    for (const Text& g : spec_.grades) {
      const bool plain =
          !g.text.empty() && g.text.size() <= kMaxGradeBytes &&
          std::all_of(g.text.begin(), g.text.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+';
          });
      const bool again =
          std::find(s_->grades_.begin(), s_->grades_.end(), g.text) != s_->grades_.end();
      if (!plain || again || s_->grades_.size() >= kMaxGrades) {
        error(g.where, Code::bad_grade_list,
              again   ? fmt::format("grade `{}` is listed twice in `grades`", g.text)
              : plain ? fmt::format("`grades` lists more than {} grades", kMaxGrades)
                      : fmt::format("`{}` cannot be a grade code", g.text),
              again ? std::string("list each grade once, best first")
                    : fmt::format("use 1 to {} letters, digits, `_`, `-` or `+` (A, A1, B+, X), "
                                  "at most {} grades",
                                  kMaxGradeBytes, kMaxGrades));
        continue;
      }
      s_->grades_.push_back(g.text);
    }
    if (s_->grades_.empty()) s_->grades_ = {"A", "B", "C", "D", "E"};
  }

  /// A grade's index in the script's list.
  std::uint8_t grade_ref(const std::string& code, const Mark& where) {
    if (auto i = s_->find_grade(code)) return *i;
    std::string hint = detail::did_you_mean(code, s_->grades_);
    if (hint.empty())
      hint = fmt::format("use one of {}, or list it under `grades:`", fmt::join(s_->grades_, ", "));
    error(where, Code::unknown_grade, fmt::format("`{}` is not one of the script's grades", code),
          hint);
    return static_cast<std::uint8_t>(s_->grades_.size() - 1);
  }

  void start() {
    if (!spec_.start) {
      if (spec_.nodes.empty())
        error(spec_.where, Code::missing_start, "the script has no nodes",
              "add `nodes:` with at least one node, and `start: <node>`");
      else
        error(spec_.where, Code::missing_start, "the script does not say where the call starts",
              fmt::format("add `start: {}`", spec_.nodes.front().name));
      return;
    }
    if (auto id = find_node(spec_.start->name)) {
      s_->start_ = *id;
      return;
    }
    std::string hint = detail::did_you_mean(spec_.start->name, node_names());
    if (hint.empty()) hint = "name one of the nodes under `nodes:`";
    error(spec_.start->where, Code::missing_start,
          fmt::format("start node `{}` is not defined", spec_.start->name), hint);
  }

  void unused() {
    // Declared in this file but never used. Shared libraries declare more than
    // any one script needs, so their leftovers are not worth a warning.
    std::vector<bool> reached = used_intents_;
    for (IntentId i = 0; i < s_->intents_.size(); ++i)
      if (used_intents_[i] && s_->intents_[i].opposite != kNone)
        reached[s_->intents_[i].opposite] = true;
    for (IntentId i = 0; i < s_->intents_.size(); ++i) {
      const Intent& in = s_->intents_[i];
      if (!reached[i] && in.where.file == 0)
        report(in.where, Severity::warning, Code::unused_intent,
               fmt::format("intent `{}` is declared but no route or handler uses it", in.name),
               "route it (`- intent: " + in.name + "`) or remove it");
    }
    for (VariableId v = 0; v < s_->variables_.size(); ++v) {
      if (!used_vars_[v] && var_where_[v].file == 0 && !s_->variables_[v].required)
        report(var_where_[v], Severity::note, Code::unused_variable,
               fmt::format("variable `{}` is not used by any line, guard or pattern",
                           s_->variables_[v].name),
               "hosts may still read it; remove it if nobody does");
    }
  }

  void build_matcher() {
    std::vector<std::vector<std::string>> normalized;
    detail::MatcherInput input = detail::matcher_input(*s_);
    for (IntentId i = 0; i < input.intents.size() && i < regexes_.size(); ++i)
      input.intents[i].compiled = regexes_[i];
    s_->matcher_ = detail::build_matcher(input, &normalized);
    duplicate_phrases(normalized);
    for (IntentId i = 0; i < normalized.size(); ++i) {
      for (std::size_t r = 0; r < normalized[i].size(); ++r) {
        if (!normalized[i][r].empty()) continue;
        const Text& p = intent_specs_[i]->phrases[r];
        error(p.where, Code::invalid_value,
              fmt::format("phrase \"{}\" of intent `{}` is only punctuation or filler words, so it "
                          "can never match",
                          p.text, s_->intents_[i].name),
              "write the words customers say");
      }
    }
  }

  // One phrase in two intents: a reply saying it counts for both, which is
  // seldom what the author meant. Compared as normalised, so "好的" and
  // "好的！" are one phrase. (A longer phrase of another intent can never
  // always cover a shorter one: the reply that is just the shorter phrase
  // holds no longer one. Equal text is the only case; see docs/matching.md.)
  void duplicate_phrases(const std::vector<std::vector<std::string>>& normalized) {
    // The first phrase of each text, in an open-addressed table of
    // (intent, phrase) pairs: no allocation per phrase.
    std::size_t count = 0;
    for (const auto& in : normalized) count += in.size();
    std::size_t slots = 16;
    while (slots < 2 * count) slots *= 2;
    constexpr auto kFree = std::numeric_limits<IntentId>::max();
    std::vector<std::pair<IntentId, std::uint32_t>> first(slots, {kFree, 0});
    const std::hash<std::string_view> hash;
    for (IntentId i = 0; i < normalized.size(); ++i) {
      for (std::size_t r = 0; r < normalized[i].size(); ++r) {
        const std::string& text = normalized[i][r];
        if (text.empty()) continue;
        std::size_t at = hash(text) & (slots - 1);
        while (first[at].first != kFree && normalized[first[at].first][first[at].second] != text)
          at = (at + 1) & (slots - 1);
        if (first[at].first == kFree) {
          first[at] = {i, static_cast<std::uint32_t>(r)};
          continue;
        }
        const auto [j, q] = first[at];
        if (j == i) continue;
        const Text& here = intent_specs_[i]->phrases[r];
        const Text& there = intent_specs_[j]->phrases[q];
        // Within one file, a slip; across files (a library and the script),
        // often the script's narrower intent on purpose: a note.
        const bool own = here.where.file == there.where.file;
        report(loc(here.where), own ? Severity::warning : Severity::note, Code::duplicate_phrase,
               fmt::format("phrase \"{}\" of intent `{}` is also phrase \"{}\" of intent `{}` at "
                           "{}: a reply saying "
                           "it counts for both",
                           here.text, s_->intents_[i].name, there.text, s_->intents_[j].name,
                           where_text(there.where)),
               "keep it in the one intent it means, or set the intents' `kind:` and `priority` so "
               "the right one "
               "comes first");
      }
    }
  }

  void graph_checks() {
    branch_loops();
    const GraphReport g = analyze(*s_);
    for (NodeId n : g.unreachable)
      report(s_->nodes_[n].where, Severity::warning, Code::unreachable_node,
             fmt::format("node `{}` cannot be reached from the start node `{}`", s_->nodes_[n].name,
                         s_->nodes_[s_->start_].name),
             "route to it from another node, or remove it");
    for (NodeId n : g.dead_ends) {
      const Node& node = s_->nodes_[n];
      error(node.where, Code::dead_end,
            fmt::format("node `{}` neither ends the call nor leads anywhere", node.name),
            "add `routes:`, `next:`, `hangup: <reason>` or `escalate: <reason>`");
    }
    for (const auto& cycle : g.trap_cycles) {
      std::vector<std::string> names;
      for (NodeId n : cycle) names.push_back("`" + s_->nodes_[n].name + "`");
      std::string what =
          cycle.size() == 1
              ? fmt::format("node {} only leads back to itself", names[0])
              : fmt::format("nodes {} lead only to one another", fmt::join(names, ", "));
      error(s_->nodes_[cycle.front()].where, Code::trap_cycle,
            what + ": a call that gets there can never end",
            "add a route (or a no_match / no_input `then`) from one of them to a node that hangs "
            "up or escalates");
    }
  }

  // ---- slots: set, capture, decision nodes, conditional lines --------------
  // `set:` entries: a text variable takes a line (with `{holes}`), a number
  // or true/false variable an expression of its own type.
  std::vector<Assignment> assignments(const std::vector<AssignmentSpec>& specs) {
    std::vector<Assignment> out;
    out.reserve(specs.size());
    for (const AssignmentSpec& a : specs) {
      const auto id = find_variable(a.variable.name);
      if (!id) {
        std::string hint = detail::did_you_mean(a.variable.name, var_names_);
        if (hint.empty())
          hint = fmt::format("declare `{}` under `variables:` with its type", a.variable.name);
        error(a.variable.where, Code::set_unknown_variable,
              fmt::format("`set` names `{}`, which is not a declared variable", a.variable.name),
              hint);
        continue;
      }
      used_vars_[*id] = true;
      Assignment x;
      x.variable = *id;
      const Variable::Type want = s_->variables_[*id].type;
      if (want == Variable::Type::text) {
        std::vector<Template> t = lines({a.value});
        if (t.empty()) continue;
        x.text = std::move(t.front());
      } else if (auto e = set_value(a, want)) {
        x.value = std::move(*e);
      } else {
        continue;
      }
      out.push_back(std::move(x));
    }
    return out;
  }

  std::optional<Expr> set_value(const AssignmentSpec& a, Variable::Type want) {
    const bool number = want == Variable::Type::number;
    const std::string_view kind = number ? "a number" : "true/false";
    const std::string hint =
        number ? fmt::format("write a number (`{}: 2`) or a calculation (`{}: {} + 1`)",
                             a.variable.name, a.variable.name, a.variable.name)
               : fmt::format("write `true`, `false` or a condition (`{}: score >= 30`)",
                             a.variable.name);
    detail::ExprError err;
    Variable::Type got = want;
    auto e = detail::compile_expr(a.value.text, sym_, err, got);
    if (!e) {
      error(shift(a.value.where, err.offset), Code::set_type,
            fmt::format("`{}` is {}, but `{}` is not: {}", a.variable.name, kind, a.value.text,
                        err.message),
            hint);
      return std::nullopt;
    }
    if (got != want) {
      error(a.value.where, Code::set_type,
            fmt::format("`{}` is {}, but `{}` gives {}", a.variable.name, kind, a.value.text,
                        got == Variable::Type::text     ? "text"
                        : got == Variable::Type::number ? "a number"
                                                        : "true/false"),
            hint);
      return std::nullopt;
    }
    return e;
  }

  void typed_assignments() {
    auto typed = [&](std::vector<Assignment>& set) {
      for (Assignment& a : set)
        for (Template::Piece& p : a.text.pieces)
          if (p.variable != kNone)
            p.type = static_cast<std::uint8_t>(s_->variables_[p.variable].type);
    };
    for (Node& n : s_->nodes_) {
      typed(n.set);
      for (Route& r : n.routes) typed(r.set);
      for (Branch& b : n.branches) typed(b.set);
    }
    for (GlobalHandler& g : s_->globals_) typed(g.set);
  }

  /// A node's `set`, `capture`, guarded phrasings and `branch` list.
  /// `kinds`: how many of routes, next, hangup, escalate it has.
  void slots(const NodeSpec& ns, Node& node, int kinds) {
    node.set = assignments(ns.set);
    if (std::any_of(ns.say_when.begin(), ns.say_when.end(), [](const auto& w) { return !!w; }) &&
        ns.say_when.size() == node.lines.size()) {
      node.line_when.resize(node.lines.size());
      for (std::size_t i = 0; i < ns.say_when.size(); ++i)
        if (ns.say_when[i]) node.line_when[i] = expression(*ns.say_when[i]);
    }
    if (!ns.branch.empty()) {
      if (kinds > 0)
        error(ns.where, Code::conflicting_keys,
              fmt::format("node `{}` has `branch` and also listens, goes on, hangs up or "
                          "escalates; a decision node only decides",
                          ns.name),
              "keep `branch`, and put the rest in the nodes its branches go to");
      else
        node.kind = NodeKind::branch;
      decisions(ns, node);
    }
    if (ns.capture) capture(ns, node);
  }

  void capture(const NodeSpec& ns, Node& node) {
    const Ref& c = *ns.capture;
    const auto id = find_variable(c.name);
    if (!id) {
      std::string hint = detail::did_you_mean(c.name, var_names_);
      if (hint.empty()) hint = fmt::format("declare `{}` under `variables:`", c.name);
      error(c.where, Code::set_unknown_variable,
            fmt::format("`capture` names `{}`, which is not a declared variable", c.name), hint);
      return;
    }
    used_vars_[*id] = true;
    if (node.kind != NodeKind::listen) {
      error(c.where, Code::capture_misuse,
            fmt::format("node `{}` does not listen, so `capture` never hears a reply", ns.name),
            "move `capture` to the node that asks the question (a node with `routes`)");
      return;
    }
    if (s_->variables_[*id].type == Variable::Type::boolean) {
      error(
          c.where, Code::capture_misuse,
          fmt::format("`capture` cannot fill `{}`: it is true/false, and a reply is words", c.name),
          fmt::format("route the yes and the no, each with `set: {{{}: true}}` or false", c.name));
      return;
    }
    node.capture = *id;
  }

  void decisions(const NodeSpec& ns, Node& node) {
    node.branches.reserve(ns.branch.size());
    bool otherwise_seen = false;
    for (const BranchSpec& bs : ns.branch) {
      Branch b;
      b.where = bs.where;
      if (otherwise_seen)
        report(bs.where, Severity::warning, Code::shadowed_route,
               fmt::format("this branch of node `{}` is never taken: an earlier branch without "
                           "`when` is always taken first",
                           ns.name),
               "move it above, or remove it");
      if (bs.when)
        b.guard = expression(*bs.when);
      else
        otherwise_seen = true;
      if (!bs.to.name.empty()) b.target = node_ref(bs.to, "branch target");
      b.set = assignments(bs.set);
      node.branches.push_back(std::move(b));
    }
    if (!otherwise_seen)
      error(ns.branch.back().where, Code::branch_without_otherwise,
            fmt::format("every branch of node `{}` has a `when`: when none holds, the call "
                        "has nowhere to go",
                        ns.name),
            "add a last branch without `when` (`- to: <node>`), taken otherwise");
    if (ns.no_match || ns.no_input)
      report(ns.where, Severity::warning, Code::conflicting_keys,
             fmt::format("node `{}` decides without listening, so its `no_match` / `no_input` "
                         "are never used",
                         ns.name),
             "remove them");
  }

  // Decision nodes (with pass-through nodes) that lead back to one another
  // without listening: each step would run round them until the per-step
  // limit ends the call. An edge that a certain `set:` on the way rules out
  // (lib/compile/endless_loops.cpp) is no loop; a guard that changes in
  // other ways (`tries + 1`, `visits()`) may still break one, so it is a
  // warning, not an error.
  void branch_loops() {
    const auto& nodes = s_->nodes_;
    const std::size_t n = nodes.size();
    std::vector<std::vector<NodeId>> out(n), in(n);
    for (const detail::StepEdge& e : detail::endless_edges(nodes, s_->variables_)) {
      out[e.from].push_back(e.to);
      in[e.to].push_back(e.from);
    }
    auto reach = [&](NodeId from, const std::vector<std::vector<NodeId>>& adj) {
      std::vector<bool> seen(n);
      std::vector<NodeId> stack(adj[from].begin(), adj[from].end());
      while (!stack.empty()) {
        const NodeId v = stack.back();
        stack.pop_back();
        if (seen[v]) continue;
        seen[v] = true;
        stack.insert(stack.end(), adj[v].begin(), adj[v].end());
      }
      return seen;
    };
    std::vector<bool> reported(n);
    for (NodeId b = 0; b < n; ++b) {
      if (nodes[b].kind != NodeKind::branch || reported[b]) continue;
      const std::vector<bool> fwd = reach(b, out);
      if (!fwd[b]) continue;
      const std::vector<bool> back = reach(b, in);
      std::vector<std::string> names;
      for (NodeId v = 0; v < n; ++v)
        if (fwd[v] && back[v]) {
          reported[v] = true;
          names.push_back("`" + nodes[v].name + "`");
        }
      report(nodes[b].where, Severity::warning, Code::branch_loop,
             fmt::format("nodes {} lead back to one another without listening: unless a guard "
                         "changes on the way, a call goes round them until it ends with `error`",
                         fmt::join(names, ", ")),
             "send one branch to a node that listens (with `routes`) or ends the call, or `set:` "
             "on the way a value that makes the guard false (e.g. `set: {cuisine: \"\"}` after "
             "`when: \"cuisine != ''\"`)");
    }
  }

  // ---- A/B tests (`variants:`) ----------------------------------------------------

  // Each variant's line, routes and next, checked like the node's own; the
  // weights; nodes that share an experiment must offer the same split.
  void variants() {
    std::unordered_map<std::string, NodeId> first_of;  // experiment -> its first node
    for (NodeId n = 0; n < s_->nodes_.size(); ++n) {
      const NodeSpec& ns = *node_specs_[n];
      Node& node = s_->nodes_[n];
      if (ns.variants.empty()) {
        if (ns.experiment)
          report(ns.experiment->where, Severity::warning, Code::single_variant,
                 fmt::format("node `{}` names experiment `{}` but has no `variants`", ns.name,
                             ns.experiment->text),
                 "add `variants:` (two or more), or remove `experiment`");
        continue;
      }
      node.experiment = ns.experiment ? ns.experiment->text : ns.name;
      const std::uint64_t h = detail::fnv1a(node.experiment);
      node.experiment_salt = static_cast<std::uint32_t>(h ^ (h >> 32));
      if (ns.routes.empty() && !ns.next && !ns.hangup && !ns.escalate &&
          std::all_of(ns.variants.begin(), ns.variants.end(),
                      [](const VariantSpec& v) { return v.next.has_value(); }))
        node.kind = NodeKind::pass;  // every variant goes on: a pass-through node
      std::uint64_t total = 0;
      for (const VariantSpec& vs : ns.variants) {
        node.variants.push_back(variant(ns, node, vs));
        total += node.variants.back().weight;
      }
      weights(ns, node, total);
      if (auto [it, fresh] = first_of.emplace(node.experiment, n); !fresh)
        same_split(ns, node, s_->nodes_[it->second]);
    }
  }

  Variant variant(const NodeSpec& ns, const Node& node, const VariantSpec& vs) {
    Variant v;
    v.name = vs.name;
    v.where = vs.where;
    for (const VariantSpec& other : ns.variants) {
      if (&other == &vs) break;
      if (other.name == vs.name && !vs.name.empty())
        error(vs.where, Code::duplicate_variant,
              fmt::format("node `{}` has two variants named `{}` (the other at {})", ns.name,
                          vs.name, where_text(other.where)),
              "give each variant its own name: reports tell them apart by it");
    }
    if (vs.weight) {
      const double w = *vs.weight;
      if (w < 0 || w != std::floor(w) || w > 1000000)
        error(vs.weight_where, Code::bad_weight,
              fmt::format("variant `{}` of node `{}` has weight {}; a weight is a whole number "
                          "from 0 to 1000000",
                          vs.name, ns.name, w),
              "write the variant's share of calls, e.g. `weight: 50`; 0 switches it off");
      else
        v.weight = static_cast<std::uint32_t>(w);
    }
    v.lines = lines(vs.say);
    v.recording = vs.recording;
    const std::string whose = fmt::format("variant `{}` of node `{}`", vs.name, ns.name);
    if (vs.has_routes && vs.next)
      error(vs.where, Code::variant_kind, whose + " has both `routes` and `next`",
            "keep `routes` on a node that listens, `next` on one that goes on");
    if (vs.has_routes && node.kind != NodeKind::listen)
      error(vs.where, Code::variant_kind,
            fmt::format("{} has `routes`, but the node does not listen (it is a {} node)", whose,
                        to_string(node.kind)),
            "remove the variant's `routes`, or give the node `routes` instead of its ending");
    if (vs.next && node.kind != NodeKind::pass)
      error(vs.next->where, Code::variant_kind,
            fmt::format("{} has `next`, but the node is a {} node, not a pass-through one", whose,
                        to_string(node.kind)),
            "remove the variant's `next`, or give the node `next` instead");
    if (!vs.next && node.kind == NodeKind::pass && !ns.next)
      error(vs.where, Code::variant_kind,
            whose + " has no `next`, and the node has none: the call would not know where to go",
            "add `next: <node>` to the variant, or to the node");
    if (vs.next) v.next = node_ref(*vs.next, "variant `next`");
    if (vs.has_routes) {
      NodeSpec own;  // checked as the node's own routes are; messages name the variant
      own.name = fmt::format("{}` variant `{}", ns.name, vs.name);
      own.routes = vs.routes;
      Node routed;
      routes(own, routed);
      v.routes = std::move(routed.routes);
      v.own_routes = true;
    }
    return v;
  }

  void weights(const NodeSpec& ns, Node& node, std::uint64_t total) {
    if (total == 0)
      error(ns.variants.front().where, Code::bad_weight,
            fmt::format("every variant of node `{}` has weight 0: no call could be given one",
                        ns.name),
            "give at least one variant a weight above 0");
    else if (total > std::numeric_limits<std::uint32_t>::max())
      error(ns.variants.front().where, Code::bad_weight,
            fmt::format("the weights of node `{}` add up to {}, more than 4294967295", ns.name,
                        total),
            "use smaller weights (percentages are usual)");
    else
      node.variant_total = static_cast<std::uint32_t>(total);
    if (ns.variants.size() == 1)
      report(ns.variants.front().where, Severity::warning, Code::single_variant,
             fmt::format("node `{}` has one variant: there is nothing to compare it with", ns.name),
             "add a second variant (often the current line, as the control), or move this one's "
             "keys onto the node");
  }

  // Nodes of one experiment choose alike only when they offer the same
  // variants with the same weights, in the same order.
  void same_split(const NodeSpec& ns, const Node& node, const Node& first) {
    auto split = [](const Node& x) {
      std::string out;
      for (const Variant& v : x.variants)
        out += fmt::format("{}{}:{}", out.empty() ? "" : ", ", v.name, v.weight);
      return out;
    };
    if (split(node) == split(first)) return;
    const Mark at = ns.experiment ? ns.experiment->where : ns.where;
    error(at, Code::experiment_mismatch,
          fmt::format("node `{}` is in experiment `{}` with variants [{}], but node `{}` ({}) has "
                      "[{}]",
                      ns.name, node.experiment, split(node), first.name, where_text(first.where),
                      split(first)),
          "give both nodes the same variant names and weights, in the same order, or name the "
          "experiments apart");
  }

  // ---- sub-flows -------------------------------------------------------------
  // A flow's nodes join the script's, named `flow.node`; inside a flow a
  // name means the flow's own node, and no name leads across its border:
  // `call:` goes in and `return:` comes out.

  void declare_flow_nodes() {
    std::size_t total = s_->nodes_.size();
    for (const FlowSpec& f : spec_.flows) total += f.nodes.size();
    s_->nodes_.reserve(total);
    std::unordered_map<std::string_view, const FlowSpec*> seen;
    for (const FlowSpec& f : spec_.flows) {
      if (auto [it, fresh] = seen.emplace(f.name, &f); !fresh) {
        error(f.where, Code::duplicate_name, fmt::format("flow `{}` is defined twice", f.name),
              fmt::format("the first is at {}; rename one", where_text(it->second->where)));
        continue;
      }
      if (f.name.find('.') != std::string::npos) {
        error(f.where, Code::invalid_value, fmt::format("flow name `{}` has a `.`", f.name),
              "its nodes are named `flow.node`: use letters, digits and `_`");
        continue;
      }
      const auto index = static_cast<std::uint16_t>(s_->flows_.size());
      Flow flow;
      flow.name = f.name;
      flow.where = f.where;
      s_->flows_.push_back(std::move(flow));
      flow_specs_.push_back(&f);
      for (const NodeSpec& n : f.nodes) declare_flow_node(f, n, index);
    }
  }

  void declare_flow_node(const FlowSpec& f, const NodeSpec& n, std::uint16_t flow) {
    const std::string& name = qualified_.emplace_back(f.name + "." + n.name);
    const auto id = static_cast<NodeId>(s_->nodes_.size());
    if (auto [it, fresh] = node_ids_.emplace(name, id); !fresh) {
      error(n.where, Code::duplicate_name, fmt::format("node `{}` is defined twice", name),
            fmt::format("the first is at {}; rename one",
                        where_text(node_specs_[it->second]->where)));
      return;
    }
    Node out;
    out.name = name;
    out.where = n.where;
    out.flow = flow;
    s_->nodes_.push_back(std::move(out));
    node_specs_.push_back(&n);
  }

  /// A node name as written where the compiler is: a flow's own node first.
  std::optional<NodeId> find_in_scope(std::string_view name) const {
    if (scope_ != kNoFlow) {
      const std::string own = s_->flows_[scope_].name + "." + std::string(name);
      if (auto id = find_node(own)) return id;
    }
    return find_node(name);
  }

  NodeId within_scope(const Ref& r, std::string_view what, NodeId id) {
    const std::uint16_t there = s_->nodes_[id].flow;
    if (there == scope_) return id;
    if (scope_ != kNoFlow)
      error(r.where, Code::outside_flow,
            fmt::format("{}: `{}` is outside flow `{}`, whose nodes lead only to one another", what,
                        r.name, s_->flows_[scope_].name),
            "end the flow with a node that has `return: <outcome>`, and let the calling node's "
            "`on_return` go there");
    else
      error(r.where, Code::outside_flow,
            fmt::format("{}: `{}` is inside flow `{}`, which is entered only by `call:`", what,
                        r.name, s_->flows_[there].name),
            fmt::format("call the flow from a node instead: `call: {}`", s_->flows_[there].name));
    return kNone;
  }

  /// A node's `call:` or `return:` makes it a call or return node.
  void flow_node(const NodeSpec& ns, Node& node) {
    if (!ns.call && !ns.returns) {
      if (!ns.on_return.empty())
        error(ns.on_return.front().outcome.where, Code::missing_key,
              fmt::format("node `{}` has `on_return` but calls no flow", ns.name),
              "add `call: <flow>`, or remove `on_return`");
      return;
    }
    const bool other = !ns.routes.empty() || ns.next || ns.hangup || ns.escalate;
    if (other || (ns.call && ns.returns)) {
      error(ns.where, Code::conflicting_keys,
            fmt::format("node `{}` has `{}` beside other ways on; a node either listens, goes "
                        "on, calls a flow, returns, hangs up or escalates",
                        ns.name, ns.call ? "call" : "return"),
            "split it into two nodes");
      return;
    }
    if (ns.returns) {
      node.kind = NodeKind::ret;
      if (node.flow == kNoFlow) {
        error(ns.returns->where, Code::outside_flow,
              fmt::format("node `{}` has `return:` but is not in a flow", ns.name),
              "move it under `flows: <name>: nodes:`, or end the call with `hangup:`");
        return;
      }
      std::vector<std::string>& outcomes = s_->flows_[node.flow].outcomes;
      auto at = std::find(outcomes.begin(), outcomes.end(), ns.returns->text);
      if (at == outcomes.end()) at = outcomes.insert(outcomes.end(), ns.returns->text);
      node.outcome = static_cast<std::uint16_t>(at - outcomes.begin());
      return;
    }
    node.kind = NodeKind::call;
  }

  void flows() {
    for (std::uint16_t f = 0; f < s_->flows_.size(); ++f) flow_start(f);
    for (NodeId n = 0; n < s_->nodes_.size(); ++n)
      if (s_->nodes_[n].kind == NodeKind::call) call(n);
    if (!has_errors(diags_)) flow_nesting();
    if (spec_.start && s_->flows_.size() > 0)
      if (auto id = find_node(spec_.start->name); id && s_->nodes_[*id].flow != kNoFlow)
        error(spec_.start->where, Code::outside_flow,
              fmt::format("the call cannot start inside flow `{}`",
                          s_->flows_[s_->nodes_[*id].flow].name),
              "start at a node under `nodes:` that calls the flow");
  }

  void flow_start(std::uint16_t f) {
    const FlowSpec& fs = *flow_specs_[f];
    Flow& flow = s_->flows_[f];
    if (fs.nodes.empty()) return;  // the reader said so
    if (!fs.start) {
      flow.start = *find_node(flow.name + "." + fs.nodes.front().name);
      return;
    }
    scope_ = f;
    if (auto id = find_in_scope(fs.start->name); id && s_->nodes_[*id].flow == f)
      flow.start = *id;
    else
      error(fs.start->where, Code::unknown_node,
            fmt::format("flow `{}` starts at `{}`, which is not one of its nodes", flow.name,
                        fs.start->name),
            fmt::format("name one of the nodes under `flows: {}: nodes:`", flow.name));
    scope_ = kNoFlow;
  }

  std::optional<std::uint16_t> find_flow(std::string_view name) const {
    for (std::uint16_t f = 0; f < s_->flows_.size(); ++f)
      if (s_->flows_[f].name == name) return f;
    return std::nullopt;
  }

  void call(NodeId n) {
    const NodeSpec& ns = *node_specs_[n];
    Node& node = s_->nodes_[n];
    const CallSpec& cs = *ns.call;
    scope_ = node.flow;
    if (cs.then) node.call_then = node_ref(*cs.then, "`call.then`");
    const auto f = find_flow(cs.flow.name);
    if (!f) {
      std::vector<std::string> names;
      for (const Flow& fl : s_->flows_) names.push_back(fl.name);
      std::string hint = detail::did_you_mean(cs.flow.name, names);
      if (hint.empty()) hint = "define it under `flows:`, or fix the name";
      error(cs.flow.where, Code::unknown_flow,
            fmt::format("node `{}` calls `{}`, which is not a flow", ns.name, cs.flow.name), hint);
      scope_ = kNoFlow;
      return;
    }
    if (n >= kNoFlow)
      error(ns.where, Code::flow_recursion,
            fmt::format("node `{}` calls a flow but comes after the 65,534th node", ns.name),
            "split the script: a call remembers its node in 16 bits");
    node.calls = *f;
    node.call_start = s_->flows_[*f].start;
    on_return(ns, node, s_->flows_[*f]);
    scope_ = kNoFlow;
  }

  /// Each outcome the flow returns goes somewhere; each one routed is returned.
  void on_return(const NodeSpec& ns, Node& node, const Flow& flow) {
    for (const ReturnRouteSpec& rr : ns.on_return) {
      const auto at = std::find(flow.outcomes.begin(), flow.outcomes.end(), rr.outcome.text);
      const NodeId to = node_ref(rr.to, "`on_return`");
      if (at == flow.outcomes.end()) {
        report(rr.outcome.where, Severity::warning, Code::unused_return,
               fmt::format("flow `{}` never returns `{}`", flow.name, rr.outcome.text),
               flow.outcomes.empty()
                   ? std::string("the flow has no `return:` node; remove this line")
                   : fmt::format("it returns {}; fix the outcome or remove the line",
                                 quoted_list(flow.outcomes)));
        continue;
      }
      node.on_return.emplace_back(static_cast<std::uint16_t>(at - flow.outcomes.begin()), to);
    }
    if (node.call_then != kNone) return;
    for (std::uint16_t o = 0; o < flow.outcomes.size(); ++o) {
      if (node.after_return(o) != kNone) continue;
      const std::string& out = flow.outcomes[o];
      error(ns.call->where, Code::unrouted_return,
            out.empty() ? fmt::format("flow `{}` can return, and node `{}` does not say where "
                                      "the call goes on then",
                                      flow.name, ns.name)
                        : fmt::format("flow `{}` can return `{}`, and node `{}` does not say "
                                      "where the call goes on then",
                                      flow.name, out, ns.name),
            out.empty() ? fmt::format("write `call: {{flow: {}, then: <node>}}`", flow.name)
                        : fmt::format("add `{}: <node>` under `on_return:`, or `then: <node>` "
                                      "in `call:` for every outcome",
                                      out));
      return;
    }
  }

  static std::string quoted_list(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& x : v) out += (out.empty() ? "`" : ", `") + x + "`";
    return out;
  }

  /// Flows that call themselves (through others or not) would grow the
  /// call's stack without end; chains deeper than kMaxFlowDepth overflow it.
  void flow_nesting() {
    const std::size_t nf = s_->flows_.size();
    std::vector<int> depth(nf, -1);  // -1 unknown, -2 being explored
    std::function<int(std::uint16_t)> deepest = [&](std::uint16_t f) -> int {
      if (depth[f] >= 0) return depth[f];
      if (depth[f] == -2) return -1;
      depth[f] = -2;
      int d = 1;
      for (NodeId n = 0; n < s_->nodes_.size(); ++n) {
        const Node& node = s_->nodes_[n];
        if (node.flow != f || node.kind != NodeKind::call || node.calls == kNoFlow) continue;
        const int inner = deepest(node.calls);
        if (inner < 0) {
          if (!recursion_reported_)
            error(node_specs_[n]->call->flow.where, Code::flow_recursion,
                  fmt::format("flow `{}` calls `{}`, which leads back to `{}`: a call would "
                              "never come back",
                              s_->flows_[f].name, s_->flows_[node.calls].name, s_->flows_[f].name),
                  "end one of them with `return:` instead of calling back");
          recursion_reported_ = true;
          return depth[f] = 0, -1;
        }
        d = std::max(d, inner + 1);
      }
      return depth[f] = d;
    };
    for (NodeId n = 0; n < s_->nodes_.size(); ++n) {
      const Node& node = s_->nodes_[n];
      if (node.flow != kNoFlow || node.kind != NodeKind::call || node.calls == kNoFlow) continue;
      const int d = deepest(node.calls);
      if (d > kMaxFlowDepth)
        error(node_specs_[n]->call->flow.where, Code::flow_recursion,
              fmt::format("calling `{}` here runs {} flows one inside another; at most {} can",
                          s_->flows_[node.calls].name, d, int{kMaxFlowDepth}),
              "let a flow return and the caller call the next one");
    }
  }

  // ---- interruptions -------------------------------------------------------------

  struct Policy {
    Interrupt mode = Interrupt::any;
    std::vector<IntentId> intents;
  };

  Policy policy(const InterruptSpec& is) {
    Policy p;
    if (is.mode == "never") p.mode = Interrupt::never;
    if (is.mode == "clarify") p.mode = Interrupt::clarify;
    if (is.mode == "only") {
      p.mode = Interrupt::only;
      for (const Ref& r : is.intents)
        if (IntentId id = intent_ref(r, "`interrupt` intent"); id != kNone) p.intents.push_back(id);
    }
    return p;
  }

  void interrupt_settings() {
    const SettingsSpec& st = spec_.settings;
    Settings& o = s_->settings_;
    static const char* kZh = "好的，您请说。";
    static const char* kEn = "Sure, go ahead.";
    const Text said =
        st.clarify ? *st.clarify : Text{spec_.locale.rfind("zh", 0) == 0 ? kZh : kEn, {}};
    if (auto lines_said = lines({said}); !lines_said.empty()) {
      o.clarify = std::move(lines_said.front());
      for (Template::Piece& p : o.clarify.pieces)
        if (p.variable != kNone)
          p.type = static_cast<std::uint8_t>(s_->variables_[p.variable].type);
    }
    if (!st.interrupt) return;
    if (st.barge_in)
      error(st.interrupt->where, Code::conflicting_keys,
            "`settings` has both `barge_in` and `interrupt`",
            "keep `interrupt` (`barge_in: false` is `interrupt: never`)");
    Policy p = policy(*st.interrupt);
    o.interrupt = p.mode;
    o.interrupt_intents = std::move(p.intents);
    o.barge_in = o.interrupt != Interrupt::never;
  }

  /// A node's own `interrupt`, else its `barge_in` (or the settings' for
  /// opening and closing lines), else the settings' policy.
  void interrupt_policy(const NodeSpec& ns, Node& node) {
    const Settings& st = s_->settings_;
    if (ns.interrupt) {
      if (ns.barge_in)
        error(ns.interrupt->where, Code::conflicting_keys,
              fmt::format("node `{}` has both `barge_in` and `interrupt`", ns.name),
              "keep `interrupt` (`barge_in: false` is `interrupt: never`)");
      Policy p = policy(*ns.interrupt);
      node.interrupt = p.mode;
      node.interrupt_intents = std::move(p.intents);
    } else if (!node.barge_in) {
      node.interrupt = Interrupt::never;
    } else if (!ns.barge_in) {
      node.interrupt = st.interrupt;
      node.interrupt_intents = st.interrupt_intents;
    }
    node.barge_in = node.interrupt != Interrupt::never;
  }

  void handler_interrupt(const GlobalSpec& gs, GlobalHandler& g) {
    const Settings& st = s_->settings_;
    if (gs.interrupt) {
      Policy p = policy(*gs.interrupt);
      g.interrupt = p.mode;
      g.interrupt_intents = std::move(p.intents);
    } else {
      g.interrupt = st.barge_in ? st.interrupt : Interrupt::never;
      g.interrupt_intents = st.interrupt_intents;
    }
  }

  // ---- host data: fetch nodes, time variables, voicemail ---------------------

  // Holes typed now: fetch arguments and the voicemail line are rendered
  // like node lines, without a lookup.
  void typed_lines(std::vector<Template>& ts) const {
    for (Template& t : ts)
      for (Template::Piece& p : t.pieces)
        if (p.variable != kNone)
          p.type = static_cast<std::uint8_t>(s_->variables_[p.variable].type);
  }

  // The time zone of `time` variables, and the voicemail line.
  void host_data() {
    const auto& tz = spec_.settings.time_zone;
    if (tz && !is_time_zone(tz->text))
      error(tz->where, Code::bad_time_zone, fmt::format("time zone `{}` is not known", tz->text),
            "write an IANA name such as `Asia/Shanghai`, `America/New_York` or `UTC`");
    else if (tz)
      s_->time_zone_ = tz->text;
    for (VariableId v = 0; v < s_->variables_.size(); ++v) {
      if (s_->variables_[v].type != Variable::Type::time) continue;
      if (!tz)
        error(var_where_[v], Code::bad_time_zone,
              fmt::format("variable `{}` is a time, and the script has no `settings.time_zone` "
                          "to read times in",
                          s_->variables_[v].name),
              "add `time_zone: Asia/Shanghai` (the customers' IANA zone) under `settings:`");
      if (s_->variables_[v].default_value)
        error(var_where_[v], Code::invalid_value,
              fmt::format("variable `{}` is a time and cannot have a default",
                          s_->variables_[v].name),
              "remove `default:`; a time comes from the customer's words");
    }
    if (!spec_.voicemail) return;
    const VoicemailSpec& vm = *spec_.voicemail;
    if (vm.say.empty() && vm.recording.empty())
      error(vm.where, Code::empty_voicemail, "`voicemail:` has neither `say` nor `recording`",
            "write the message to leave (`say: ...`), or remove `voicemail:` to just hang up");
    Voicemail out;
    out.lines = lines(vm.say);
    typed_lines(out.lines);
    out.recording = vm.recording;
    out.where = vm.where;
    s_->voicemail_ = std::move(out);
  }

  // A node that asks the host for data and routes on the answer.
  void fetch_node(const NodeSpec& ns, Node& node) {
    const FetchSpec& fs = *ns.fetch;
    if (!ns.routes.empty() || ns.next || ns.hangup || ns.escalate)
      error(fs.where, Code::fetch_conflict,
            fmt::format("node `{}` has `fetch:` and also {}; a fetch node goes where the host's "
                        "answer leads",
                        ns.name,
                        !ns.routes.empty() ? "`routes`"
                        : ns.next          ? "`next`"
                        : ns.hangup        ? "`hangup`"
                                           : "`escalate`"),
            "route on the answer under the fetch's own `routes:` (`- when: ... to: ...`), or split "
            "it "
            "into two nodes");
    if (!fs.timeout)
      error(fs.where, Code::fetch_no_timeout,
            fmt::format("`fetch` of node `{}` has no `timeout:`: the call would have nowhere to "
                        "go when the host does not answer in time",
                        ns.name),
            "add `timeout: <node>` (say sorry and go on, or hang up)");
    node.kind = NodeKind::fetch;
    Fetch f;
    f.name = fs.name;
    f.timeout_ms = fs.timeout_ms.value_or(3000);
    f.where = fs.where;
    for (const auto& [name, text] : fs.with) {
      std::vector<Template> t = lines({text});
      typed_lines(t);
      if (!t.empty()) f.with.emplace_back(name, std::move(t.front()));
    }
    for (const FetchRouteSpec& rs : fs.routes) {
      FetchRoute r;
      r.where = rs.where;
      if (rs.when) r.guard = expression(*rs.when);
      if (!rs.to.name.empty()) r.target = node_ref(rs.to, "`on` target");
      f.routes.push_back(std::move(r));
    }
    if (fs.timeout) f.timeout = node_ref(*fs.timeout, "`timeout`");
    f.failed = fs.failed ? node_ref(*fs.failed, "`failed`") : f.timeout;
    node.fetch = static_cast<std::uint32_t>(s_->fetches_.size());
    s_->fetches_.push_back(std::move(f));
  }

  const ScriptSpec& spec_;
  bool check_graph_;
  bool library_;
  std::unique_ptr<Script> s_;
  std::vector<Diagnostic> diags_;
  std::vector<const IntentSpec*> intent_specs_;
  std::vector<const NodeSpec*> node_specs_;
  std::vector<Mark> var_where_;
  std::vector<bool> used_intents_, used_vars_;
  std::vector<std::string> node_names_, intent_names_, var_names_;  // the first two made on demand
  detail::ExprSymbols sym_;
  std::unordered_map<std::string_view, std::uint32_t> node_ids_, intent_ids_, var_ids_;
  // Per intent, its patterns as check_pattern compiled them, for the matcher.
  std::vector<std::vector<std::shared_ptr<icu::RegexPattern>>> regexes_;
  std::uint16_t scope_ = kNoFlow;  // the flow whose nodes are being compiled
  std::vector<const FlowSpec*> flow_specs_;
  std::deque<std::string> qualified_;  // `flow.node` names, where node_ids_ looks
  bool recursion_reported_ = false;
};

namespace detail {
CompileResult compile_checked(const ScriptSpec& spec, bool check_graph, bool library) {
  return ScriptBuilder(spec, check_graph, library).run();
}
}  // namespace detail

CompileResult compile(const ScriptSpec& spec) {
  return ScriptBuilder(spec, true).run();
}

}  // namespace patter
