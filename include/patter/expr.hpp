// patter/expr.hpp — guard and grading expressions.
//
// Authors write small conditions on routes and grading rules:
//
//   when: "score >= 30 && visits('price') < 2"
//   when: "tagged('hot') or heard('ask_price') > 0"
//   when: "city == 'Shanghai' and not tagged('dnc')"
//   when: "lower(plate_tail) == lower(crm_tail)"   // "6A8" equals "6a8"
//   when: "lower(cuisine) not in ['chinese', 'greek', 'italian']"
//   when: "party_size > 0 and whole(party_size)"   // 4, not 2.5
//
// Grammar (lowest precedence first):
//   expr    := and  (("||" | "or")  and)*
//   and     := not  (("&&" | "and") not)*
//   not     := ("!" | "not") not | compare
//   compare := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum
//                  | ("in" | "not" "in") list)?
//   list    := "[" literal ("," literal)* ","? "]"   // all text or all numbers
//   literal := 'text' | "text" | number | "-" number
//   sum     := unary (("+" | "-") unary)*
//   unary   := "-" unary | primary
//   primary := number | 'text' | "text" | true | false | name
//            | name "(" 'text' ")" | ("lower" | "upper" | "whole") "(" expr ")"
//            | "(" expr ")"
//
// Names are the call's counters (score, turns, duration_s, silences,
// no_matches, nodes_passed, escalations, outcome, reason, no_matches_in_row,
// silences_in_row) or the script's
// declared variables. Functions: tagged('tag'), visits('node'),
// visited('node'), heard('intent'); lower(text) and upper(text) change
// the case of ASCII letters, so text compares without regard to case
// (other characters stay as they are); whole(number) is true for a whole
// number (4, -3, 0; not 2.5). `x in [...]` is true when x equals one of the
// listed values, as `==` would say; `not in` is its opposite. Every name and argument is checked
// when the script is compiled, so a typo is a load error, never a call-time surprise. Evaluation is
// bounded: at most kMaxOps operations, no loops, no allocation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patter {

/// Counters every call has, usable by name in expressions.
enum class Counter : std::uint8_t {
  score,
  turns,
  duration_s,
  silences,
  no_matches,
  nodes_passed,
  escalations,
  outcome,            ///< text: "", "completed", "hangup", "escalated", "customer_hangup", ...
  reason,             ///< text: the hangup or escalation reason
  no_matches_in_row,  ///< unrecognised replies in a row, over every node (0 after an understood
                      ///< one)
  silences_in_row,    ///< silences in a row, over every node (0 after a reply)
};

/// A value during evaluation. Text is borrowed from the script or the
/// session, never copied.
struct Value {
  enum class Type : std::uint8_t { number, text, boolean };
  Type type = Type::boolean;
  double number = 0;
  std::string_view text;
  bool boolean = false;
  /// How `text` reads: as is, or with its ASCII letters lower or upper
  /// case (lower(), upper()); applied when compared, so nothing is copied.
  enum class Case : std::uint8_t { as_is, lower, upper } letter_case = Case::as_is;

  static Value of(double v) noexcept { return {Type::number, v, {}, false, Case::as_is}; }
  static Value of(bool v) noexcept { return {Type::boolean, 0, {}, v, Case::as_is}; }
  static Value of(std::string_view v) noexcept { return {Type::text, 0, v, false, Case::as_is}; }
  /// Truthiness: non-zero numbers, non-empty text, true.
  bool truthy() const noexcept;
};

/// What an expression reads from a live call. The session implements it;
/// tests and tools may too.
class ExprEnv {
 public:
  virtual ~ExprEnv() = default;
  virtual Value counter(Counter c) const = 0;
  virtual Value variable(std::uint32_t index) const = 0;
  virtual bool tagged(std::string_view tag) const = 0;
  virtual std::uint32_t visits(std::uint32_t node) const = 0;
  virtual std::uint32_t heard(std::uint32_t intent) const = 0;
};

namespace detail {
// The operands come first, push_number to heard: the evaluator tells them
// apart from the operators by that order.
enum class Op : std::uint8_t {
  push_number,
  push_text,
  push_bool,
  counter,
  variable,
  tagged,
  visits,
  visited,
  heard,
  negate,
  logical_not,
  to_bool,
  add,
  sub,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  jump_if_false_keep,
  jump_if_true_keep,
  pop,
  lower,
  upper,
  whole,
  /// `in`: arg items follow, each an `item` (text: arg, an index into the
  /// texts; number: number); the evaluator skips them.
  in_list,
  item,
};
struct Instr {
  Op op;
  std::uint32_t arg = 0;  ///< index, jump target or bool
  double number = 0;
};
}  // namespace detail

/// A compiled expression. An empty Expr is "always true".
class Expr {
 public:
  static constexpr std::size_t kMaxOps = 256;
  static constexpr std::size_t kMaxStack = 32;

  Expr() = default;
  bool empty() const noexcept { return code_.empty(); }
  const std::string& source() const noexcept { return source_; }

  Value evaluate(const ExprEnv& env) const;
  bool test(const ExprEnv& env) const { return empty() || evaluate(env).truthy(); }

  // Built by the compiler (lib/compile/expr_compiler.cpp).
  Expr(std::string source, std::vector<detail::Instr> code, std::vector<std::string> texts,
       std::uint32_t max_stack)
      : source_(std::move(source)),
        code_(std::move(code)),
        texts_(std::move(texts)),
        max_stack_(max_stack) {}
  const std::vector<detail::Instr>& code() const noexcept { return code_; }
  const std::vector<std::string>& texts() const noexcept { return texts_; }

 private:
  std::string source_;
  std::vector<detail::Instr> code_;
  std::vector<std::string> texts_;
  std::uint32_t max_stack_ = 0;
};

}  // namespace patter
