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

struct Escalation {
  EscalationReason reason = EscalationReason::interested;
  Priority priority = Priority::normal;
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
};

struct Fallback {
  int retries = 1;
  std::vector<Template> reprompts;
  NodeId then = kNone;        ///< kNone: the script's close / limit behaviour
  NodeId long_reply = kNone;  ///< no_match only
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
  std::uint32_t fetch = kNone;  ///< fetch nodes: index into Script::fetches()

  bool terminal() const noexcept { return kind == NodeKind::hangup || kind == NodeKind::escalate; }
};

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
  std::vector<FetchRoute> on;
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
  char grade = 'E';
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
  fetch,  ///< a fetch node's answer: `index` is its `on:` entry, then timeout, then failed
};

struct Edge {
  NodeId from = kNone;  ///< kNone for global handlers and limits (from anywhere)
  NodeId to = kNone;
  EdgeKind kind = EdgeKind::route;
  std::uint32_t index = 0;  ///< route index in `from`, or handler index
};

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
  /// 64-bit FNV-1a of the canonical compiled content, as 16 hex digits.
  /// Snapshots are bound to it; two loads of the same script agree.
  const std::string& fingerprint() const noexcept { return fingerprint_; }

  NodeId start() const noexcept { return start_; }
  const std::vector<Node>& nodes() const noexcept { return nodes_; }
  const Node& node(NodeId id) const { return nodes_.at(id); }
  const std::vector<Intent>& intents() const noexcept { return intents_; }
  const Intent& intent(IntentId id) const { return intents_.at(id); }
  const std::vector<Variable>& variables() const noexcept { return variables_; }
  const std::vector<GlobalHandler>& globals() const noexcept { return globals_; }
  const std::vector<GradeRule>& grading() const noexcept { return grading_; }
  char default_grade() const noexcept { return default_grade_; }
  const Limits& limits() const noexcept { return limits_; }
  const Settings& settings() const noexcept { return settings_; }
  const Hold& hold() const noexcept { return hold_; }
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
  friend class ScriptBuilder;
  friend struct SessionLayout;
  Script() = default;
  void fetch_edges(std::vector<Edge>& out) const;
  std::string id_, version_, locale_, title_, fingerprint_;
  std::vector<std::string> files_;
  NodeId start_ = kNone;
  std::vector<Node> nodes_;
  std::vector<Intent> intents_;
  std::vector<Variable> variables_;
  std::vector<GlobalHandler> globals_;
  std::vector<GradeRule> grading_;
  std::vector<std::string> tags_;
  bool opts_out_ = false;
  std::uint32_t counts_[5] =
      {};  // variables, nodes, intents, global handlers, tag words: a session's layout
  char default_grade_ = 'E';
  Limits limits_;
  Settings settings_;
  Hold hold_;
  Matcher matcher_;
  std::vector<std::pair<std::string_view, NodeId>> node_index_;  // sorted, views into nodes_
  std::vector<std::pair<std::string_view, IntentId>> intent_index_;
  std::vector<std::pair<std::string_view, VariableId>> variable_index_;
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
