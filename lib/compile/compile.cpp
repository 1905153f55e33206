// ScriptSpec -> Script: resolve names, parse lines and expressions, check
// the graph. Every problem becomes a diagnostic pointing at the author's words.
#include <fmt/format.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "compile/compile.hpp"
#include "compile/expr_compiler.hpp"
#include "compile/fingerprint.hpp"
#include "compile/matcher_input.hpp"
#include "compile/template.hpp"
#include "patter/graph.hpp"
#include "patter/script.hpp"
#include "patter/time_mention.hpp"
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
    hold();
    host_data();
    intents();
    nodes();
    globals();
    grading();
    if (!library_) start();
    if (!library_ && !has_errors(diags_)) unused();
    if (!library_ && !has_errors(diags_)) runtime_tables();

    if (!library_ && !has_errors(diags_)) build_matcher();
    CompileResult out;
    if (check_graph_ && !has_errors(diags_)) graph_checks();
    if (!has_errors(diags_) && !library_) {
      s_->fingerprint_ = detail::fingerprint(*s_);
      out.script = std::shared_ptr<const Script>(s_.release());
    }
    out.diagnostics = std::move(diags_);
    return out;
  }

 private:
  void report(const SourceLocation& at, Severity sev, Code code, std::string msg,
              std::string hint = {}) {
    diags_.push_back({at, sev, code, std::move(msg), std::move(hint)});
  }
  void error(const SourceLocation& at, Code code, std::string msg, std::string hint = {}) {
    report(at, Severity::error, code, std::move(msg), std::move(hint));
  }
  void report(const Mark& at, Severity sev, Code code, std::string msg, std::string hint = {}) {
    report(loc(at), sev, code, std::move(msg), std::move(hint));
  }
  void error(const Mark& at, Code code, std::string msg, std::string hint = {}) {
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
        "score",   "turns",  "duration_s", "silences", "no_matches", "nodes_passed", "escalations",
        "outcome", "reason", "true",       "false",    "and",        "or",           "not"};
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
    if (auto id = find_node(r.name)) return *id;
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
      for (const Text& p : in.patterns) {
        check_pattern(in.name, p);
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

  void check_pattern(const std::string& intent, const Text& p) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe{};
    std::unique_ptr<icu::RegexPattern> re(icu::RegexPattern::compile(
        icu::UnicodeString::fromUTF8(p.text), UREGEX_CASE_INSENSITIVE, pe, status));
    if (status == U_REGEX_INVALID_CAPTURE_GROUP_NAME && bad_capture_name(intent, p)) return;
    if (U_FAILURE(status)) {
      const std::size_t off = pe.offset >= 0 ? static_cast<std::size_t>(pe.offset) : 0;
      error(shift(p.where, off), Code::bad_pattern,
            fmt::format("pattern `{}` of intent `{}` is not a valid regular expression ({})",
                        p.text, intent, u_errorName(status)),
            "check brackets and escapes; named captures look like (?<name>\\d+)");
      return;
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
  }

  void nodes() {
    const Settings& st = s_->settings_;
    for (NodeId n = 0; n < s_->nodes_.size(); ++n) {
      const NodeSpec& ns = *node_specs_[n];
      Node& node = s_->nodes_[n];
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
      fallback(ns.no_match, node.no_match, true);
      fallback(ns.no_input, node.no_input, false);
      if (node.kind == NodeKind::listen) {
        cut_short(ns, ns.no_match, node.no_match, s_->limits_.no_match_consecutive, "no_match");
        cut_short(ns, ns.no_input, node.no_input, s_->limits_.no_input_consecutive, "no_input");
      }
    }
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
  void cut_short(const NodeSpec& ns, const std::optional<FallbackSpec>& fs, const Fallback& f,
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

  void fallback(const std::optional<FallbackSpec>& fs, Fallback& f, bool no_match) {
    if (!fs) return;
    f.retries = fs->retries;
    f.reprompts = lines(fs->reprompts);
    if (fs->then) f.then = node_ref(*fs->then, no_match ? "`no_match.then`" : "`no_input.then`");
    if (fs->long_reply) f.long_reply = node_ref(*fs->long_reply, "`no_match.long_reply`");
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
  /// What each node's replies can act on, for the host's `understand`.
  void candidates() {
    for (Node& n : s_->nodes_) {
      auto add = [&](IntentId i) {
        if (i != kNone &&
            std::find(n.candidates.begin(), n.candidates.end(), i) == n.candidates.end())
          n.candidates.push_back(i);
      };
      for (const Route& r : n.routes)
        for (IntentId i : r.intents) add(i);
      for (const GlobalHandler& g : s_->globals_)
        for (IntentId i : g.intents) add(i);
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
    }
    for (GlobalHandler& g : s_->globals_) ids(g.tags, g.tag_ids);
    for (GradeRule& r : s_->grading_) ids(r.tags, r.tag_ids);
    candidates();

    // Each hole knows its variable's type: lines render without a lookup.
    auto typed = [&](std::vector<Template>& lines) {
      for (Template& t : lines)
        for (Template::Piece& p : t.pieces)
          if (p.variable != kNone)
            p.type = static_cast<std::uint8_t>(s_->variables_[p.variable].type);
    };
    for (Node& n : s_->nodes_) {
      typed(n.lines);
      typed(n.no_match.reprompts);
      typed(n.no_input.reprompts);
    }
    for (GlobalHandler& g : s_->globals_) typed(g.lines);
    typed(s_->hold_.lines);

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
    s_->counts_[4] = static_cast<std::uint32_t>((s_->tags_.size() + 15) / 16);
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
    for (const GradeRuleSpec& gr : spec_.grading) {
      GradeRule r;
      r.grade = gr.grade.empty() ? 'E' : gr.grade[0];
      if (!gr.when.text.empty() || gr.when.where.line) r.when = expression(gr.when);
      r.tags = gr.tags;
      s_->grading_.push_back(std::move(r));
    }
    s_->default_grade_ = spec_.default_grade.empty() ? 'E' : spec_.default_grade[0];
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
    s_->matcher_ = detail::build_matcher(detail::matcher_input(*s_), &normalized);
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
    std::unordered_map<std::string_view, std::pair<IntentId, std::size_t>> first;
    for (IntentId i = 0; i < normalized.size(); ++i) {
      for (std::size_t r = 0; r < normalized[i].size(); ++r) {
        if (normalized[i][r].empty()) continue;
        const auto [it, fresh] = first.emplace(normalized[i][r], std::pair{i, r});
        if (fresh || it->second.first == i) continue;
        const auto [j, q] = it->second;
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
            "route on the answer with `on:` (`- when: ... to: ...`), or split it into two nodes");
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
    for (const FetchRouteSpec& rs : fs.on) {
      FetchRoute r;
      r.where = rs.where;
      if (rs.when) r.guard = expression(*rs.when);
      if (!rs.to.name.empty()) r.target = node_ref(rs.to, "`on` target");
      f.on.push_back(std::move(r));
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
