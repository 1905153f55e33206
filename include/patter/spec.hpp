// patter/spec.hpp — the authoring model: a script as its author wrote it.
//
//   patter::ScriptSpec spec;
//   spec.id = "hello"; spec.locale = "en-US"; spec.start = {"greet", {}};
//   patter::NodeSpec greet;
//   greet.name = "greet";
//   greet.say.push_back({"Hi {name}, do you have a minute?", {}});
//   greet.routes.push_back({.intents = {{"affirm", {}}}, .to = {"pitch", {}}});
//   ...
//   patter::CompileResult compiled = patter::compile(std::move(spec));
//
// Most hosts never touch this: `load_file` reads YAML into a ScriptSpec and
// compiles it in one go. The spec is public so that tools can generate
// scripts in code, and so that every diagnostic can point back at the
// author's words: each element carries the Mark of where it came from.
// The YAML format is documented in docs/script-format.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "patter/boxed.hpp"
#include "patter/diagnostic.hpp"

namespace patter {

/// A compact place in a script's files: an index into ScriptSpec::files
/// (Script::files() once compiled) and a 1-based line and column. Every
/// element carries one, so it stays small; diagnostics spell it out as a
/// SourceLocation.
struct Mark {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const Mark&, const Mark&) = default;
};

/// A name that refers to something else (a node, an intent, a variable),
/// with the place the author wrote it.
struct Ref {
  std::string name;
  Mark where;
};

/// Author text with its place: a line to say, a guard, a pattern.
struct Text {
  std::string text;
  Mark where;
};

struct VariableSpec {
  std::string name;
  std::string type = "string";  ///< "string", "number", "bool" or "time"
  std::optional<std::string> default_value;
  bool required = false;  ///< the host must pass it when a call starts
  std::string description;
  Mark where;
  /// A `data` event outside a fetch may set it (`host_settable: true`).
  bool host_settable = false;
};

struct IntentSpec {
  std::string name;
  std::vector<Text> phrases;    ///< literal phrases, matched after normalisation
  std::vector<Text> patterns;   ///< ICU regular expressions; named groups capture variables
  std::vector<Text> examples;   ///< whole utterances for the similarity fallback
  std::optional<Ref> opposite;  ///< intent to report when a phrase is negated ("not interested")
  int priority = 0;             ///< higher wins ties between intents of one kind in one utterance
  double score = 0;             ///< added to the interest score whenever detected
  std::string description;
  /// opt_out, human, question, refusal or answer; empty: from the name
  /// (opt_out, ask_human, ask_*, else answer).
  std::string kind;
  Mark where;
};

/// `set:` one entry: a variable and the value it takes. The value is
/// written as the variable's type reads: text (with `{variable}` holes) for
/// text, a number or a calculation for numbers, true/false or a condition
/// for booleans.
struct AssignmentSpec {
  Ref variable;
  Text value;
  Mark where;
};

struct RouteSpec {
  std::vector<Ref> intents;  ///< any of these; the reserved name `any` means any reply
  std::string keys;          ///< DTMF keys ("1", "*"), instead of or beside intents
  std::optional<Text> when;  ///< guard expression
  Ref to;                    ///< target node
  std::vector<std::string> tags;
  double score = 0;
  Mark where;
  std::vector<AssignmentSpec> set;  ///< when the route is taken
};

/// One branch of a decision node: taken without a reply when `when` holds
/// (no `when`: otherwise).
struct BranchSpec {
  std::optional<Text> when;
  Ref to;
  std::vector<AssignmentSpec> set;
  Mark where;
};

/// What to do when the customer says nothing the node understands
/// (no_match) or nothing at all (no_input).
struct FallbackSpec {
  int retries = 1;                ///< re-prompts before `then`
  std::vector<Text> reprompts;    ///< said in turn on each retry
  std::optional<Ref> then;        ///< where to go when retries run out (default: limits.close)
  std::optional<Ref> long_reply;  ///< no_match only: long unrecognised replies go here at once
  Mark where;
  /// `at_total: {2: purpose}`: when this is the call's 2nd unrecognised reply
  /// (no_match) or silence (no_input), counted over every node, go there.
  std::vector<std::pair<int, Ref>> at_total;
};

/// One way out of a `fetch:` node: taken when `when` holds over the
/// variables the host's answer set (no `when`: always).
struct FetchRouteSpec {
  std::optional<Text> when;
  Ref to;
  Mark where;
};

/// `fetch:` ask the host for data (a policy, an order, availability) and
/// route on its answer.
struct FetchSpec {
  std::string name;                                ///< what to fetch, for the host
  std::vector<std::pair<std::string, Text>> with;  ///< arguments, `{variables}` rendered
  std::optional<std::uint32_t> timeout_ms;         ///< how long to wait (default 3000)
  std::vector<FetchRouteSpec> routes;              ///< tried in order once the answer came
  std::optional<Ref> timeout;                      ///< no answer by the deadline
  std::optional<Ref> failed;                       ///< the host could not fetch it
  Mark where;
};

/// `voicemail:` what the robot leaves on an answering machine.
struct VoicemailSpec {
  std::vector<Text> say;
  std::string recording;
  Mark where;
};

struct EscalationSpec {
  std::string reason = "interested";
  std::string priority = "normal";  ///< low, normal, high, urgent
  Mark where;
};

/// `variants:` one version of a node's line (say/recording), or of the
/// whole node (its line and its routes or next), in an A/B test.
struct VariantSpec {
  std::string name;
  std::optional<double> weight;   ///< share of calls, a whole number (default 1); 0 switches it off
  std::vector<Text> say;          ///< empty: the node's own
  std::string recording;          ///< empty: the node's own
  std::vector<RouteSpec> routes;  ///< with `has_routes`: instead of the node's
  bool has_routes = false;
  std::optional<Ref> next;  ///< instead of the node's `next`
  Mark where;
  Mark weight_where;
};

/// `interrupt:` what the customer's words do while a line is said: `never`
/// (not heard until it ends), `any` (any words cut it), `[intent, ...]`
/// (only these cut it; other words are ignored and it goes on) or `clarify`
/// (it stops, the robot says `settings.clarify` and listens).
struct InterruptSpec {
  std::string mode;          ///< "never", "any", "only" (a list was written) or "clarify"
  std::vector<Ref> intents;  ///< mode "only"
  Mark where;
};

/// `call:` on a node: run a flow, then go on from `then` (or `on_return`).
struct CallSpec {
  Ref flow;
  std::optional<Ref> then;
  Mark where;
};

/// An outcome a flow returns, and where the calling node goes on it.
struct ReturnRouteSpec {
  Text outcome;
  Ref to;
};

/// One node. Keys that most nodes leave out are Boxed (patter/boxed.hpp):
/// std::optional's interface at the size of a pointer, so a script of
/// hundreds of nodes stays small while it is read and compiled.
struct NodeSpec {
  std::string name;
  std::vector<Text> say;         ///< 1 to 4 phrasings, used in turn on revisits
  std::string recording;         ///< audio id; `say` is the fallback text
  std::optional<bool> barge_in;  ///< may the customer interrupt (default: settings)
  std::optional<std::uint32_t> listen_ms;
  std::vector<std::string> tags;  ///< added on entry
  double score = 0;               ///< added on entry
  std::optional<int> max_visits;
  std::vector<RouteSpec> routes;
  Boxed<FallbackSpec> no_match;
  Boxed<FallbackSpec> no_input;
  std::optional<Ref> next;               ///< say, then go on without listening
  std::optional<std::string> hangup;     ///< terminal: hang up with this reason
  Boxed<EscalationSpec> escalate;        ///< terminal: hand over to a person
  std::optional<double> min_confidence;  ///< host intents below it are no-match (default: settings)
  std::optional<std::string> understand;  ///< "host" or "none" (default: settings)
  std::optional<std::uint32_t>
      understand_ms;  ///< how long to wait for the host (default: settings)
  Mark where;
  /// Per phrasing of `say`, its guard (`{text: ..., when: ...}`), or none.
  std::vector<std::optional<Text>> say_when;
  std::vector<AssignmentSpec> set;  ///< on entry, before the line
  Boxed<Ref> capture;               ///< the variable a reply at this node fills
  std::vector<BranchSpec> branch;   ///< a decision node: the first branch that holds
  /// `globals: none` or `globals: [opt_out, ask_human]`: only the global
  /// handlers for these intents apply here (absent: all of them).
  Boxed<std::vector<Ref>> globals;
  std::vector<VariantSpec> variants;       ///< A/B test of this node; one is chosen per call
  Boxed<Text> experiment;                  ///< the test's name (default: the node's)
  Boxed<CallSpec> call;                    ///< run a flow, then go on
  std::vector<ReturnRouteSpec> on_return;  ///< with `call`: where each outcome goes
  Boxed<Text> returns;                     ///< `return:` in a flow: end it with this outcome
  Boxed<InterruptSpec> interrupt;          ///< what words do while its lines are said
  Boxed<FetchSpec> fetch;                  ///< ask the host for data, then route on the answer
};

/// `flows:` a reusable exchange ("confirm your details") with its own nodes,
/// run by a node's `call:` and ended by a node's `return:`.
struct FlowSpec {
  std::string name;
  std::optional<Ref> start;  ///< default: its first node
  std::vector<NodeSpec> nodes;
  std::string description;
  Mark where;
};

/// An intent recognised at every listening node.
struct GlobalSpec {
  std::vector<Ref> intents;
  std::vector<Text> say;
  std::string recording;
  std::vector<std::string> tags;
  double score = 0;
  std::string then = "resume";  ///< resume, goto, hangup, escalate
  bool reprompt = true;         ///< on resume: repeat the interrupted node's line
  std::optional<Ref> target;    ///< for goto
  std::optional<std::string> hangup;
  std::optional<EscalationSpec> escalate;
  std::optional<int> max_times;  ///< per call; after that the handler is skipped
  Mark where;
  std::vector<AssignmentSpec> set;  ///< when the handler runs, before its line
  /// On resume: say again the last line the robot said (the node's, a
  /// re-prompt, another handler's answer, a hold line), not the node's.
  bool repeat = false;
  Boxed<InterruptSpec> interrupt;  ///< what words do while its line is said
};

struct LimitsSpec {
  std::optional<int> max_turns;
  std::optional<int> max_duration_s;
  std::optional<int> max_visits;  ///< default per node
  std::optional<int> no_match_consecutive, no_match_total;
  std::optional<int> no_input_consecutive, no_input_total;
  std::optional<Ref> close;                     ///< node said before a limit hangs up
  std::optional<std::uint32_t> escalate_score;  ///< score at which to escalate
  std::optional<Ref> escalate_node;             ///< node to go to when it is crossed
  Mark where;
  /// `close: {max_turns: bye_rounds, no_match: bye_confused, default: bye}`:
  /// the close node of each limit, by the limit's key (max_turns,
  /// max_duration_s, max_visits, no_match, no_match_consecutive,
  /// no_match_total, no_input, no_input_consecutive, no_input_total);
  /// `default` (or the single-node form) is `close`.
  std::vector<std::pair<std::string, Ref>> close_by;
};

struct SettingsSpec {
  std::optional<std::uint32_t> listen_ms;
  std::optional<bool> barge_in;
  std::optional<bool> barge_in_opening;
  std::optional<bool> barge_in_closing;
  std::optional<std::uint32_t> no_barge_ms;  ///< no-interrupt window at the start of a line
  std::optional<int> long_reply_chars;
  std::vector<Text> fillers;  ///< words that never count as an interruption or a reply
  std::optional<std::uint32_t> negation_window;  ///< see MatcherOptions
  std::optional<double> similarity_threshold;    ///< see MatcherOptions
  /// Words a listener says to show they follow (嗯, 对, uh-huh): never an
  /// interruption, an answer after a question. Absent: the locale's list.
  std::optional<std::vector<Text>> backchannels;
  std::optional<Ref>
      backchannel_intent;  ///< what a backchannel answers (default `affirm`; `none`: nothing)
  std::optional<double> min_confidence;  ///< host intents below it are no-match (0..1, default 0.5)
  std::optional<std::string> understand;  ///< "host": ask the host when the matcher finds nothing
  std::optional<std::uint32_t> understand_ms;  ///< how long to wait for the host's answer
  Mark where;
  Boxed<InterruptSpec> interrupt;  ///< default of a node's `interrupt`
  std::optional<Text> clarify;     ///< said on `interrupt: clarify` ("Sure, go ahead.")
  std::optional<Text> time_zone;   ///< IANA name, for `time` variables ("Asia/Shanghai")
};

/// `hold:` what the robot does while an escalated call waits for a person.
struct HoldSpec {
  std::string while_waiting;  ///< "lines", "silence" or "script"
  std::vector<Text> say;      ///< hold lines, in turn
  std::optional<std::uint32_t> interval_s;
  std::optional<Ref> resume;  ///< while_waiting: script
  std::optional<std::uint32_t> timeout_s;
  std::optional<Ref> then;  ///< at the timeout
  Mark where;
};

struct GradeRuleSpec {
  std::string grade;  ///< one of ScriptSpec::grades ("A".."E" by default)
  Text when;
  std::vector<std::string> tags;
  Mark where;
};

struct ScriptSpec {
  int format = 1;  ///< the `patter:` key
  /// The files the spec was read from, main file first; Mark::file indexes it.
  std::vector<std::string> files;
  std::string id;
  std::string version;
  std::string locale;  ///< "zh-CN" or "en-US"
  std::string title;
  std::string description;
  std::vector<Text> includes;
  std::vector<VariableSpec> variables;
  std::vector<IntentSpec> intents;
  SettingsSpec settings;
  LimitsSpec limits;
  std::optional<HoldSpec> hold;
  std::optional<Ref> start;
  std::vector<NodeSpec> nodes;
  std::vector<GlobalSpec> globals;
  std::vector<GradeRuleSpec> grading;
  std::string default_grade = "E";
  Mark where;  ///< the top of the main file
  /// `grades: [A1, A2, B, X]`: the script's own grade codes, best first.
  /// Empty: A, B, C, D, E.
  std::vector<Text> grades;
  Mark default_grade_where;  ///< where `grading.default` was written
  std::vector<FlowSpec> flows;
  std::optional<VoicemailSpec> voicemail;  ///< left when the host reports an answering machine
};

}  // namespace patter
