#include "patter/diagnostic.hpp"

#include <fmt/format.h>

namespace patter {

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::note: return "note";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

const std::vector<Code>& all_codes() {
  static const std::vector<Code> codes = [] {
    std::vector<Code> v;
    for (unsigned i = 0; i < 100; ++i)
      if (code_id(static_cast<Code>(i)) != "unknown") v.push_back(static_cast<Code>(i));
    return v;
  }();
  return codes;
}

std::string code_name(Code c) {
  return fmt::format("P{:03}", static_cast<unsigned>(c));
}

std::string_view code_id(Code c) noexcept {
  switch (c) {
    case Code::io_error: return "io_error";
    case Code::file_too_large: return "file_too_large";
    case Code::invalid_utf8: return "invalid_utf8";
    case Code::yaml_syntax: return "yaml_syntax";
    case Code::nesting_too_deep: return "nesting_too_deep";
    case Code::too_many_elements: return "too_many_elements";
    case Code::empty_document: return "empty_document";
    case Code::expands_too_large: return "expands_too_large";
    case Code::unknown_key: return "unknown_key";
    case Code::wrong_type: return "wrong_type";
    case Code::missing_key: return "missing_key";
    case Code::duplicate_key: return "duplicate_key";
    case Code::invalid_value: return "invalid_value";
    case Code::unsupported_version: return "unsupported_version";
    case Code::duplicate_name: return "duplicate_name";
    case Code::unknown_node: return "unknown_node";
    case Code::missing_start: return "missing_start";
    case Code::unknown_intent: return "unknown_intent";
    case Code::undeclared_variable: return "undeclared_variable";
    case Code::bad_template: return "bad_template";
    case Code::bad_expression: return "bad_expression";
    case Code::expression_type: return "expression_type";
    case Code::bad_pattern: return "bad_pattern";
    case Code::include_error: return "include_error";
    case Code::conflicting_keys: return "conflicting_keys";
    case Code::unreachable_node: return "unreachable_node";
    case Code::dead_end: return "dead_end";
    case Code::trap_cycle: return "trap_cycle";
    case Code::unused_intent: return "unused_intent";
    case Code::unused_variable: return "unused_variable";
    case Code::shadowed_route: return "shadowed_route";
    case Code::fallback_cut_short: return "fallback_cut_short";
    case Code::duplicate_phrase: return "duplicate_phrase";
    case Code::too_many_nodes: return "too_many_nodes";
    case Code::too_many_intents: return "too_many_intents";
    case Code::too_many_phrases: return "too_many_phrases";
    case Code::too_many_intent_phrases: return "too_many_intent_phrases";
    case Code::too_many_patterns: return "too_many_patterns";
    case Code::too_many_variables: return "too_many_variables";
    case Code::too_many_routes: return "too_many_routes";
    case Code::text_too_long: return "text_too_long";
    case Code::too_many_tags: return "too_many_tags";
    case Code::set_unknown_variable: return "set_unknown_variable";
    case Code::set_type: return "set_type";
    case Code::capture_misuse: return "capture_misuse";
    case Code::branch_without_otherwise: return "branch_without_otherwise";
    case Code::branch_loop: return "branch_loop";
    case Code::unknown_global: return "unknown_global";
    case Code::unused_close: return "unused_close";
    case Code::unused_at_total: return "unused_at_total";
    case Code::unknown_grade: return "unknown_grade";
    case Code::bad_grade_list: return "bad_grade_list";
    case Code::bad_weight: return "bad_weight";
    case Code::duplicate_variant: return "duplicate_variant";
    case Code::variant_kind: return "variant_kind";
    case Code::experiment_mismatch: return "experiment_mismatch";
    case Code::single_variant: return "single_variant";
    case Code::unknown_flow: return "unknown_flow";
    case Code::flow_recursion: return "flow_recursion";
    case Code::unrouted_return: return "unrouted_return";
    case Code::unused_return: return "unused_return";
    case Code::outside_flow: return "outside_flow";
    case Code::fetch_conflict: return "fetch_conflict";
    case Code::fetch_no_timeout: return "fetch_no_timeout";
    case Code::bad_time_zone: return "bad_time_zone";
    case Code::empty_voicemail: return "empty_voicemail";
  }
  return "unknown";
}

std::string format(const Diagnostic& d) {
  std::string out = d.where.file.empty() ? std::string("<input>") : d.where.file;
  if (d.where.line > 0) {
    out += fmt::format(":{}:{}", d.where.line, d.where.column);
  }
  out += fmt::format(": {}[{}]: {}", to_string(d.severity), code_name(d.code), d.message);
  if (!d.hint.empty()) {
    out += "; ";
    out += d.hint;
  }
  return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) noexcept {
  for (const auto& d : ds)
    if (d.severity == Severity::error) return true;
  return false;
}

}  // namespace patter
