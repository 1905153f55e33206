// patter/diagnostic.hpp — what the loader says about a script.
//
//   auto loaded = patter::load_file("examples/scripts/screening.zh-CN.yaml");
//   for (const patter::Diagnostic& d : loaded.diagnostics)
//     std::cerr << patter::format(d) << '\n';
//   // screening.zh-CN.yaml:42:13: error[P021]: route target `clsoe` is not a node;
//   //   did you mean `close`?
//
// Every problem found while reading or checking a script is a Diagnostic: a
// place in the author's file (1-based line and column), a severity, a stable
// code (documented in docs/diagnostics.md, safe to match on in tools) and a
// message written for the person who wrote the script.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patter {

/// A place in a script source. `line` and `column` are 1-based; 0 means
/// "the whole file" (for example when the file cannot be read at all).
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

enum class Severity : std::uint8_t { note, warning, error };

std::string_view to_string(Severity s) noexcept;

/// Stable diagnostic codes. The numeric value never changes once released;
/// `code_name` gives the printed form ("P021").
enum class Code : std::uint16_t {
  // Reading the bytes (P00x)
  io_error = 1,           ///< the file cannot be opened or read
  file_too_large = 2,     ///< over LoadOptions::max_file_bytes
  invalid_utf8 = 3,       ///< bytes that are not UTF-8
  yaml_syntax = 4,        ///< not well-formed YAML
  nesting_too_deep = 5,   ///< deeper than LoadOptions::max_depth
  too_many_elements = 6,  ///< over LoadOptions::max_elements (alias bombs)
  empty_document = 7,     ///< nothing in the file
  expands_too_large = 8,  ///< aliases written out, over LoadOptions::max_expanded_bytes
  // Shape of the document (P01x)
  unknown_key = 10,          ///< a key the format does not have
  wrong_type = 11,           ///< a map where a list belongs, text for a number...
  missing_key = 12,          ///< a required key is absent
  duplicate_key = 13,        ///< the same key twice in one map
  invalid_value = 14,        ///< right type, value outside the allowed set or range
  unsupported_version = 15,  ///< `patter:` format version this build does not read
  // Meaning (P02x)
  duplicate_name = 20,       ///< two nodes / intents / variables with one name
  unknown_node = 21,         ///< a reference to a node that does not exist
  missing_start = 22,        ///< no start node, or it does not exist
  unknown_intent = 23,       ///< a route or handler names an undeclared intent
  undeclared_variable = 24,  ///< `{name}` in a line, but no such variable
  bad_template = 25,         ///< unbalanced `{` `}` in a line
  bad_expression = 26,       ///< a guard or grading expression that does not parse
  expression_type = 27,      ///< an expression that parses but cannot be evaluated
  bad_pattern = 28,          ///< a regex pattern that does not compile
  include_error = 29,        ///< an include that cannot be found, or a cycle
  conflicting_keys = 30,     ///< keys that cannot go together (hangup + routes...)
  // Graph (P04x)
  unreachable_node = 40,  ///< no path from the start node (warning)
  dead_end = 41,          ///< a node that is not terminal but has no way out
  trap_cycle = 42,        ///< nodes that loop with no path to a terminal
  unused_intent = 43,     ///< declared but never routed or handled (warning)
  unused_variable = 44,   ///< declared but never used (note)
  shadowed_route = 45,    ///< a route that an earlier route always takes first (warning)
  fallback_cut_short =
      46,                 ///< a node's retries reach a call-wide limit before its `then` (warning)
  duplicate_phrase = 47,  ///< one phrase (after normalisation) in two intents (warning)
  // Size (P05x): counts and lengths past the limits in LoadOptions (docs/limits.md)
  too_many_nodes = 50,           ///< over LoadOptions::max_nodes
  too_many_intents = 51,         ///< over LoadOptions::max_intents
  too_many_phrases = 52,         ///< phrases and examples over LoadOptions::max_phrases
  too_many_intent_phrases = 53,  ///< one intent's phrases and examples over max_phrases_per_intent
  too_many_patterns = 54,        ///< over LoadOptions::max_patterns
  too_many_variables = 55,       ///< over LoadOptions::max_variables
  too_many_routes = 56,          ///< one node's routes over LoadOptions::max_routes_per_node
  text_too_long = 57,            ///< a phrase over max_phrase_bytes, or a line over max_line_bytes
  too_many_tags = 58,            ///< more distinct tags than a call can record (65,535)
  // Slots and decisions (P060-P064)
  set_unknown_variable = 60,      ///< `set:` or `capture:` names an undeclared variable
  set_type = 61,                  ///< a `set:` value that does not fit the variable's type
  capture_misuse = 62,            ///< `capture:` where no reply is heard, or into true/false
  branch_without_otherwise = 63,  ///< a `branch:` list whose guards may all fail
  branch_loop = 64,               ///< decision nodes that lead back to one another (warning)
  // Limits, global handlers per node, grades (P065-P069)
  unknown_global = 65,   ///< a node's `globals:` names an intent no global handler answers
  unused_close = 66,     ///< a close node for a limit the script does not set (warning)
  unused_at_total = 67,  ///< an `at_total` count the call-wide limit always ends first (warning)
  unknown_grade = 68,    ///< a grade that is not one of the script's `grades:`
  bad_grade_list = 69,   ///< `grades:` with a repeated, empty or over-long code, or too many
  // A/B tests (P080-P084): `variants:` of a node
  bad_weight = 80,           ///< a variant's weight below 0, or a node whose weights are all 0
  duplicate_variant = 81,    ///< two variants of one node with one name
  variant_kind = 82,         ///< variant routes / next that do not fit the node's kind
  experiment_mismatch = 83,  ///< nodes of one experiment with other variant names or weights
  single_variant = 84,       ///< a node with one variant: nothing to compare (warning)
  // Sub-flows (P070-P074)
  unknown_flow = 70,     ///< `call:` names a flow that `flows:` does not have
  flow_recursion = 71,   ///< flows that call themselves, or nest deeper than kMaxFlowDepth
  unrouted_return = 72,  ///< a flow can return an outcome its caller does not say where to go on
  unused_return = 73,    ///< `on_return` names an outcome the flow never returns (warning)
  outside_flow = 74,     ///< a way into a flow's nodes other than `call:`, or `return:` outside one
  // Host data (P075-P079)
  fetch_conflict = 75,    ///< `fetch:` on a node that also listens, goes on, hangs up or escalates
  fetch_no_timeout = 76,  ///< a `fetch:` without `timeout:`: nowhere to go when no answer comes
  bad_time_zone = 77,     ///< a `time` variable without `settings.time_zone`, or an unknown zone
  empty_voicemail = 78,   ///< `voicemail:` with neither a line nor a recording
};

/// Every code, in numeric order (for documentation and tools).
const std::vector<Code>& all_codes();

/// "P021" for Code::unknown_node.
std::string code_name(Code c);

/// Short, stable, lowercase identifier: "unknown_node".
std::string_view code_id(Code c) noexcept;

struct Diagnostic {
  SourceLocation where;
  Severity severity = Severity::error;
  Code code = Code::yaml_syntax;
  std::string message;  ///< one sentence: what is wrong, quoting the author's words
  std::string hint;     ///< optional: what to do ("did you mean `close`?")
};

/// Compiler style, one line (plus the hint when present):
/// `file:line:col: error[P021]: message; hint`
std::string format(const Diagnostic& d);

/// True when any diagnostic is an error.
bool has_errors(const std::vector<Diagnostic>& ds) noexcept;

}  // namespace patter
