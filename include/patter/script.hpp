// patter/script.hpp — a compiled, immutable, shareable call script.
//
//   patter::LoadResult loaded = patter::load_file("screening.zh-CN.yaml");
//   if (!loaded.ok()) { print(loaded.diagnostics); return 1; }
//   std::shared_ptr<const patter::Script> script = loaded.script;
//
//   const patter::Node& first = script->node(script->start());
//   std::cout << first.name << ": " << first.lines[0].source << '\n';
//   for (const patter::Route& r : first.routes)
//     std::cout << "  -> " << script->node(r.target).name << '\n';
//
// A Script is built once (by `load_file`, `load_string` or `compile`),
// checked, and never changes afterwards: any number of threads may read it
// and run calls on it at the same time through a shared_ptr<const Script>.
// Names are resolved to dense indices (NodeId, IntentId, VariableId), so a
// running call never looks anything up by string.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patter/diagnostic.hpp"
#include "patter/expr.hpp"
#include "patter/ids.hpp"
#include "patter/matcher.hpp"
#include "patter/spec.hpp"

namespace patter {

enum class NodeKind : std::uint8_t {
  listen,    ///< say, then listen and route on the reply
  pass,      ///< say, then go to `next` without listening
  hangup,    ///< say (optionally), then hang up: terminal
  escalate,  ///< say (optionally), then hand the call to a person: terminal
  branch,    ///< say (optionally), then take the first branch whose guard holds
  call,      ///< say (optionally), then run a flow; go on when it returns
  ret,       ///< say (optionally), then end the flow it is in (`return:`)
  fetch,     ///< say, then ask the host for data (Node::fetch) and route on its answer
};
std::string_view to_string(NodeKind k) noexcept;

/// Why a call was hung up. The names are the YAML spellings.
enum class HangupReason : std::uint8_t {
  completed,
  not_interested,
  opt_out,
  wrong_person,
  callback,
  busy,
  no_answer,
  voicemail,
  max_turns,
  max_duration,
  max_visits,
  no_input,
  no_match,
  no_agent,
  customer_hangup,
  agent_ended,
  error,
};
std::string_view to_string(HangupReason r) noexcept;
std::optional<HangupReason> parse_hangup_reason(std::string_view s) noexcept;
/// All spellings, for messages and tools.
const std::vector<std::string_view>& hangup_reason_names();

/// Why a call was handed to a person.
enum class EscalationReason : std::uint8_t {
  interested,
  question,
  asked_for_human,
  complaint,
  high_score,
  callback,
  other,
};
std::string_view to_string(EscalationReason r) noexcept;
std::optional<EscalationReason> parse_escalation_reason(std::string_view s) noexcept;
const std::vector<std::string_view>& escalation_reason_names();

enum class Priority : std::uint8_t { low, normal, high, urgent };
std::string_view to_string(Priority p) noexcept;
std::optional<Priority> parse_priority(std::string_view s) noexcept;

/// A line to say, split at its `{variable}` holes. Literal pieces are
/// slices of `source` (a `{{` in the source is the slice "{"), so a line
/// costs one string however many holes it has.
struct Template {
  struct Piece {
    std::uint32_t offset = 0;     ///< literal: where it starts in `source`
    std::uint32_t length = 0;     ///< literal: how many bytes
    VariableId variable = kNone;  ///< a hole, or kNone for a literal
    std::uint8_t type = 0;        ///< a hole: its variable's Variable::Type, kept here for speed
  };
  std::string source;  ///< as the author wrote it
  std::vector<Piece> pieces;

  std::string_view literal(const Piece& p) const noexcept {
    return std::string_view(source).substr(p.offset, p.length);
  }
};

/// What the customer's words do while a line is said (`interrupt:`).
enum class Interrupt : std::uint8_t {
  any,      ///< any words cut the line (barge_in: true)
  never,    ///< the line is never cut (barge_in: false)
  only,     ///< only the listed intents cut it; other words are ignored, the line goes on
  clarify,  ///< words cut it; the robot says the clarifying line and listens
};
std::string_view to_string(Interrupt i) noexcept;

/// A node outside every flow, or a flow that is not there.
inline constexpr std::uint16_t kNoFlow = 0xFFFF;
/// How many flows may run one inside another.
inline constexpr std::uint8_t kMaxFlowDepth = 4;

/// `flows:` a reusable exchange; its nodes are named `flow.node`.
struct Flow {
  std::string name;
  NodeId start = kNone;
  std::vector<std::string> outcomes;  ///< what its `return:` nodes give, each once
  Mark where;
};

struct Escalation {
  EscalationReason reason = EscalationReason::interested;
  Priority priority = Priority::normal;
};

/// `set:` one variable to a value: a number or boolean variable from an
/// expression, a text variable from a line with `{variable}` holes.
struct Assignment {
  VariableId variable = kNone;
  Expr value;     ///< number and boolean variables
  Template text;  ///< text variables
};

struct Route {
  std::vector<IntentId> intents;
  NodeId target = kNone;
  bool any = false;  ///< matches any reply
  double score = 0;
  std::vector<TagId> tag_ids;  ///< the same tags as `tags`, as indices into Script::tags()
  Expr guard;                  ///< empty: always
  std::string keys;            ///< DTMF keys that take this route
  std::vector<std::string> tags;
  Mark where;
  std::vector<Assignment> set;  ///< done when the route is taken
};

/// A way out of a decision node, taken without a reply.
struct Branch {
  Expr guard;  ///< empty: otherwise
  NodeId target = kNone;
  std::vector<Assignment> set;
  Mark where;
};

struct Fallback {
  int retries = 1;
  std::vector<Template> reprompts;
  NodeId then = kNone;        ///< kNone: the script's close / limit behaviour
  NodeId long_reply = kNone;  ///< no_match only
  /// The call's Nth unrecognised reply (or silence), counted over every
  /// node, goes to the node: (N, node), by N.
  std::vector<std::pair<std::uint32_t, NodeId>> at_total;
};

/// One version of a node in an A/B test (`variants:`): its own line, and
/// perhaps its own routes or next. What it leaves out is the node's.
struct Variant {
  std::string name;
  std::uint32_t weight = 1;     ///< share of calls; 0: never chosen
  std::vector<Template> lines;  ///< empty: the node's
  std::string recording;        ///< empty (and no lines): the node's
  bool own_routes = false;      ///< `routes` replaces the node's
  std::vector<Route> routes;
  NodeId next = kNone;  ///< kNone: the node's
  Mark where;
};

// What a turn reads of a node comes first, so it shares a cache line or two.
struct Node {
  NodeKind kind = NodeKind::listen;
  bool barge_in = true;
  HangupReason hangup = HangupReason::completed;  ///< hangup nodes
  Escalation escalation;                          ///< escalate nodes
  std::uint32_t listen_ms = 6000;
  int max_visits = 0;                  ///< 0: no limit
  NodeId next = kNone;                 ///< pass nodes
  float min_confidence = 0.5f;         ///< host intents below it do not count here
  bool understand = false;             ///< ask the host when the matcher finds nothing
  std::uint32_t understand_ms = 1500;  ///< ... and wait this long for its answer
  double score = 0;
  std::vector<Route> routes;
  std::vector<Template> lines;  ///< 0..4 phrasings, used in turn
  std::vector<TagId> tag_ids;
  std::string recording;
  std::string name;
  std::vector<std::string> tags;
  Fallback no_match;
  Fallback no_input;
  /// The intents a reply here can act on: the routes' intents, then the
  /// global handlers', each once (for the host's `understand`).
  std::vector<IntentId> candidates;
  Mark where;
  /// Per phrasing of `lines`, its guard (empty: a plain phrasing); empty
  /// when no phrasing has one. A guarded phrasing that holds is said first.
  std::vector<Expr> line_when;
  std::vector<Assignment> set;   ///< on entry, before the line
  VariableId capture = kNone;    ///< a reply here fills this variable
  std::vector<Branch> branches;  ///< branch nodes: the first whose guard holds
  /// `globals:` at this node: when `globals_limited`, only the global
  /// handlers for `globals_allowed` intents apply here.
  bool globals_limited = false;
  std::vector<IntentId> globals_allowed;

  /// Whether a global handler for `intent` may answer here.
  bool global_allowed(IntentId intent) const noexcept {
    if (!globals_limited) [[likely]]
      return true;
    for (const IntentId i : globals_allowed)
      if (i == intent) return true;
    return false;
  }
  /// An A/B test: the versions of this node, one chosen per call (empty: none).
  std::vector<Variant> variants;
  std::string experiment;             ///< the test's name: nodes sharing it choose alike
  std::uint32_t experiment_salt = 0;  ///< the name hashed, so each test splits on its own
  std::uint32_t variant_total = 0;    ///< the weights' sum
  std::uint16_t flow = kNoFlow;       ///< the flow it belongs to (Script::flows())
  /// call: the flow, where it starts, where to go when it returns (`then`),
  /// and per outcome (`on_return`: an index into the flow's outcomes).
  std::uint16_t calls = kNoFlow;
  NodeId call_start = kNone;
  NodeId call_then = kNone;
  std::vector<std::pair<std::uint16_t, NodeId>> on_return;
  std::uint16_t outcome = 0;  ///< ret: index into its flow's outcomes
  Interrupt interrupt = Interrupt::any;
  std::vector<IntentId> interrupt_intents;  ///< Interrupt::only
  std::uint32_t fetch = kNone;              ///< fetch nodes: index into Script::fetches()
  /// Which of the rarer keys this node uses (`Node::Rare` bits), found when
  /// the script compiles: a turn at a node that uses none of them tests
  /// this one byte instead of each key.
  std::uint8_t rare = 0;
  enum Rare : std::uint8_t {
    kGuardedLines = 1,  ///< `line_when` is not empty
    kVariants = 2,      ///< `variants` is not empty
    kSets = 4,          ///< `set` is not empty
    kCaptures = 8,      ///< `capture` names a variable
  };
  bool uses(Rare r) const noexcept { return (rare & r) != 0; }

  bool terminal() const noexcept { return kind == NodeKind::hangup || kind == NodeKind::escalate; }

  /// The variant a call with this key hash (SessionOptions::variant_key,
  /// see variant_seed) gets here: by the weights, the same for the same key
  /// everywhere. Seed 0 (no key): the first variant with a weight. kNone
  /// when the node has no variants.
  std::uint32_t variant_for(std::uint32_t seed) const noexcept;
  /// The routes a call in `variant` follows here (kNone: the node's).
  const std::vector<Route>& routes_for(std::uint32_t variant) const noexcept {
    return variant < variants.size() && variants[variant].own_routes ? variants[variant].routes
                                                                     : routes;
  }
  /// Where a pass-through node goes in `variant`.
  NodeId next_for(std::uint32_t variant) const noexcept {
    return variant < variants.size() && variants[variant].next != kNone ? variants[variant].next
                                                                        : next;
  }
  /// Where a call node goes when its flow returns `outcome`; kNone: nowhere.
  NodeId after_return(std::uint16_t outcome_index) const noexcept {
    for (const auto& [o, to] : on_return)
      if (o == outcome_index) return to;
    return call_then;
  }
};

/// A host's variant key (a lead id, a phone number) as the seed that
/// Node::variant_for splits on: 1 to 65535 for a key (16 bits keep a
/// session small, and still split finer than any test needs), 0 for none.
std::uint32_t variant_seed(std::string_view key) noexcept;

struct Intent {
  std::string name;
  std::vector<std::string> phrases;
  std::vector<std::string> patterns;
  std::vector<std::string> examples;
  IntentId opposite = kNone;
  int priority = 0;
  double score = 0;
  /// A global handler for it ends the call with `opt_out` (directly or via
  /// its `goto`): hearing it wins over everything else in a turn.
  bool opt_out = false;
  /// Decides first between intents of one reply (patter/matcher.hpp): the
  /// `kind:` key, or by default from the name and `opt_out`.
  IntentKind kind = IntentKind::answer;
  Mark where;
};

struct Variable {
  std::string name;
  /// `time`: the customer's words for a moment (patter/time_mention.hpp),
  /// kept with the moment they name; reads as the words in lines and guards.
  enum class Type : std::uint8_t { text, number, boolean, time } type = Type::text;
  std::optional<std::string> default_value;
  bool required = false;
  bool host_settable = false;  ///< a `data` event outside a fetch may set it
};

/// One way out of a fetch: the first whose guard holds once the answer came.
struct FetchRoute {
  Expr guard;  ///< empty: always
  NodeId target = kNone;
  Mark where;
};

/// What a `fetch:` node asks the host, and where its answer leads.
struct Fetch {
  std::string name;
  std::vector<std::pair<std::string, Template>> with;  ///< arguments, rendered when asked
  std::uint32_t timeout_ms = 3000;
  std::vector<FetchRoute> routes;
  NodeId timeout = kNone;
  NodeId failed = kNone;  ///< kNone: as `timeout`
  Mark where;
};

/// `voicemail:` what the robot leaves on an answering machine.
struct Voicemail {
  std::vector<Template> lines;  ///< the first is said
  std::string recording;
  Mark where;
};

struct GlobalHandler {
  enum class Then : std::uint8_t { resume, go_to, hangup, escalate };
  std::vector<IntentId> intents;
  std::vector<Template> lines;
  std::string recording;
  std::vector<std::string> tags;
  std::vector<TagId> tag_ids;
  double score = 0;
  Then then = Then::resume;
  bool reprompt = true;
  NodeId target = kNone;
  HangupReason hangup = HangupReason::completed;
  Escalation escalation;
  int max_times = 0;  ///< 0: no limit
  Mark where;
  std::vector<Assignment> set;  ///< when the handler runs, before its line
  bool repeat = false;          ///< on resume: say again the last line said, whatever it was
  Interrupt interrupt = Interrupt::any;
  std::vector<IntentId> interrupt_intents;
};

struct Limits {
  int max_turns = 0;  ///< 0: none
  int max_duration_s = 0;
  int max_visits = 0;
  int no_match_consecutive = 0, no_match_total = 0;
  int no_input_consecutive = 0, no_input_total = 0;
  NodeId close = kNone;
  std::uint32_t escalate_score = 0;  ///< 0: never
  NodeId escalate_node = kNone;
  /// The close node of each limit (`limits.close` per limit); each is
  /// `close` unless the script names another.
  NodeId close_max_turns = kNone, close_max_duration = kNone, close_max_visits = kNone;
  NodeId close_no_match_consecutive = kNone, close_no_match_total = kNone;
  NodeId close_no_input_consecutive = kNone, close_no_input_total = kNone;

  /// The node said before `reason` hangs up; `total`: the call-wide count
  /// of no_match / no_input was reached (else the run in a row, or a node's
  /// retries ran out without `then`).
  NodeId close_of(HangupReason reason, bool total = false) const noexcept {
    switch (reason) {
      case HangupReason::max_turns: return close_max_turns;
      case HangupReason::max_duration: return close_max_duration;
      case HangupReason::max_visits: return close_max_visits;
      case HangupReason::no_match: return total ? close_no_match_total : close_no_match_consecutive;
      case HangupReason::no_input: return total ? close_no_input_total : close_no_input_consecutive;
      default: return close;
    }
  }
};

struct Settings {
  std::uint32_t listen_ms = 6000;
  bool barge_in = true;
  bool barge_in_opening = true;  ///< for the start node; defaults to `barge_in`
  bool barge_in_closing = true;  ///< for nodes that end the call; defaults to `barge_in`
  std::uint32_t no_barge_ms = 0;
  int long_reply_chars = 10;
  std::vector<std::string> fillers;
  std::uint32_t negation_window = 2;  ///< see MatcherOptions
  float similarity_threshold = 0.45f;
  /// A backchannel word (嗯, 对, uh-huh) or a filler, normalised as the
  /// matcher normalises, without filler removal. A reply made of these
  /// alone never interrupts a line; one with a backchannel in it answers a
  /// question as `backchannel_intent`.
  struct Word {
    std::string text;
    bool filler = false;  ///< a filler only, not a backchannel
  };
  std::vector<Word> backchannels;
  IntentId backchannel_intent = kNone;  ///< kNone: a backchannel answers nothing
  float min_confidence = 0.5f;          ///< default of Node::min_confidence
  bool understand = false;              ///< default of Node::understand
  std::uint32_t understand_ms = 1500;   ///< default of Node::understand_ms
  Template clarify;  ///< said when an `interrupt: clarify` line is cut ("Sure, go ahead.")
  Interrupt interrupt = Interrupt::any;     ///< default of Node::interrupt
  std::vector<IntentId> interrupt_intents;  ///< Interrupt::only
};

/// What the robot does while an escalated call waits for a person, and
/// for how long (`hold:` in the script).
struct Hold {
  enum class While : std::uint8_t {
    lines,    ///< say the hold lines in turn, one every `interval_s`
    silence,  ///< say nothing
    script,   ///< carry on with the script from `resume` until a person comes
  };
  While mode = While::lines;
  std::vector<Template> lines;
  std::uint32_t interval_s = 15;
  NodeId resume = kNone;
  std::uint32_t timeout_s = 60;  ///< no person by then: `then`; 0 means at once
  NodeId then = kNone;           ///< kNone: hang up with `no_agent`
  Mark where;
};

struct GradeRule {
  std::uint8_t grade = 0;  ///< index into Script::grades()
  Expr when;
  std::vector<std::string> tags;
  std::vector<TagId> tag_ids;
};

/// Kinds of edges in the script's graph, for analysis and drawing.
enum class EdgeKind : std::uint8_t {
  route,
  next,
  no_match,
  no_input,
  long_reply,
  global_goto,
  limit,
  hold,
  branch,       ///< a decision node's branch, taken without a reply
  variant,      ///< a variant's own route or next (`Edge::variant` says which)
  call,         ///< a call node to its flow's start
  flow_return,  ///< a return node to where a caller goes on (`index`: the call node)
  fetch,        ///< a fetch node's answer: `index` is its `on:` entry, then timeout, then failed
};

struct Edge {
  NodeId from = kNone;  ///< kNone for global handlers and limits (from anywhere)
  NodeId to = kNone;
  EdgeKind kind = EdgeKind::route;
  /// Route index in `from`, or handler index. no_match / no_input: 0 is
  /// `then`, 1 + i the node's `at_total` entry i. limit: 0 is `close`, 1
  /// the score's `escalate_node`, 2 and up a limit's own close node
  /// (limit_close_name).
  std::uint32_t index = 0;
  /// EdgeKind::variant: the variant of `from`; `index` is its route's, or
  /// kNone for its `next`.
  std::uint32_t variant = kNone;
};

/// The limit whose own close node a limit edge of `index` >= 2 leads to
/// ("max_turns", "no_match_total", ...), or "".
std::string_view limit_close_name(std::uint32_t index) noexcept;

class Script {
 public:
  Script(const Script&) = delete;
  Script& operator=(const Script&) = delete;

  const std::string& id() const noexcept { return id_; }
  const std::string& version() const noexcept { return version_; }
  const std::string& locale() const noexcept { return locale_; }
  const std::string& title() const noexcept { return title_; }
  /// Files the script was read from, main file first; Mark::file indexes it.
  const std::vector<std::string>& files() const noexcept { return files_; }
  /// The file, line and column of a mark, for messages.
  SourceLocation locate(const Mark& m) const {
    return {m.file < files_.size() ? files_[m.file] : std::string(), m.line, m.column};
  }
  /// A 64-bit hash of the canonical compiled content, as 16 hex digits.
  /// Snapshots are bound to it; two loads of the same script agree. It is
  /// computed on first use (from any thread; the others wait), so a load
  /// does not pay for it.
  const std::string& fingerprint() const;

  NodeId start() const noexcept { return start_; }
  const std::vector<Node>& nodes() const noexcept { return nodes_; }
  const Node& node(NodeId id) const { return nodes_.at(id); }
  const std::vector<Intent>& intents() const noexcept { return intents_; }
  const Intent& intent(IntentId id) const { return intents_.at(id); }
  const std::vector<Variable>& variables() const noexcept { return variables_; }
  const std::vector<GlobalHandler>& globals() const noexcept { return globals_; }
  const std::vector<GradeRule>& grading() const noexcept { return grading_; }
  /// The grade when no rule holds, as an index into grades().
  std::uint8_t default_grade() const noexcept { return default_grade_; }
  /// The script's grade codes, best first (`grades:`; A, B, C, D, E unless
  /// the script names its own). A grade is an index into this list.
  const std::vector<std::string>& grades() const noexcept { return grades_; }
  /// A grade's code ("A", "A1"), or "" for an index out of range.
  std::string_view grade_name(std::uint8_t grade) const noexcept {
    return grade < grades_.size() ? std::string_view(grades_[grade]) : std::string_view();
  }
  std::optional<std::uint8_t> find_grade(std::string_view code) const noexcept;
  const Limits& limits() const noexcept { return limits_; }
  const Settings& settings() const noexcept { return settings_; }
  const Hold& hold() const noexcept { return hold_; }
  /// The `flows:` section; Node::flow and Node::calls index it.
  const std::vector<Flow>& flows() const noexcept { return flows_; }
  /// What fetch nodes ask the host (Node::fetch indexes it).
  const std::vector<Fetch>& fetches() const noexcept { return fetches_; }
  /// The line left on an answering machine, if the script has one.
  const std::optional<Voicemail>& voicemail() const noexcept { return voicemail_; }
  /// The IANA time zone `time` variables are read in (`settings.time_zone`).
  const std::string& time_zone() const noexcept { return time_zone_; }

  /// What the customer meant: all intents compiled into one matcher
  /// (patter/matcher.hpp).
  const Matcher& matcher() const noexcept { return matcher_; }

  std::optional<NodeId> find_node(std::string_view name) const noexcept;
  std::optional<IntentId> find_intent(std::string_view name) const noexcept;
  std::optional<VariableId> find_variable(std::string_view name) const noexcept;

  /// Every tag the script can give a call (nodes, routes, handlers, grading
  /// rules, and `dnc`), sorted; TagId indexes it.
  const std::vector<std::string>& tags() const noexcept { return tags_; }
  /// Whether any intent opts out (Intent::opt_out).
  bool opts_out() const noexcept { return opts_out_; }
  std::optional<TagId> find_tag(std::string_view name) const noexcept;

  /// Every edge of the graph: routes, pass-through, fallbacks, global gotos
  /// and the limits' close node.
  std::vector<Edge> edges() const;

 private:
  void at_total_edges(NodeId n, std::vector<Edge>& out) const;
  void limit_close_edges(std::vector<Edge>& out) const;
  void flow_edges(std::vector<Edge>& out) const;
  friend class ScriptBuilder;
  friend struct SessionLayout;
  Script() = default;
  void fetch_edges(std::vector<Edge>& out) const;
  std::string id_, version_, locale_, title_;
  mutable std::once_flag fingerprint_once_;  // fingerprint() fills fingerprint_ once
  mutable std::string fingerprint_;
  std::vector<std::string> files_;
  NodeId start_ = kNone;
  std::vector<Node> nodes_;
  std::vector<Intent> intents_;
  std::vector<Variable> variables_;
  std::vector<GlobalHandler> globals_;
  std::vector<GradeRule> grading_;
  std::vector<std::string> tags_;
  bool opts_out_ = false;
  std::uint32_t counts_[7] = {};    // variables, nodes, intents, global handlers, tag words,
                                    // flow callers, variant seed: a session's layout
  std::uint8_t default_grade_ = 4;  // E
  Limits limits_;
  Settings settings_;
  Hold hold_;
  Matcher matcher_;
  std::vector<std::pair<std::string_view, NodeId>> node_index_;  // sorted, views into nodes_
  std::vector<std::pair<std::string_view, IntentId>> intent_index_;
  std::vector<std::pair<std::string_view, VariableId>> variable_index_;
  std::vector<std::string> grades_ = {"A", "B", "C", "D", "E"};
  std::vector<Flow> flows_;
  std::vector<Fetch> fetches_;
  std::optional<Voicemail> voicemail_;
  std::string time_zone_;
};

/// The outcome of compiling or loading: a script, or why not. Warnings may
/// come with a script; errors never do.
struct CompileResult {
  std::shared_ptr<const Script> script;
  std::vector<Diagnostic> diagnostics;
  bool ok() const noexcept { return script != nullptr; }
};

/// Check and compile an authoring model. Includes must already be merged
/// (the loader does that). Runs the graph checks of patter/graph.hpp.
CompileResult compile(const ScriptSpec& spec);

}  // namespace patter
