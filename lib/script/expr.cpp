#include "patter/expr.hpp"

#include <array>

namespace patter {

bool Value::truthy() const noexcept {
  switch (type) {
    case Type::number: return number != 0;
    case Type::text: return !text.empty();
    case Type::boolean: return boolean;
  }
  return false;
}

namespace {
char cased(char c, Value::Case k) {
  if (k == Value::Case::lower && c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  if (k == Value::Case::upper && c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 'A');
  return c;
}
bool equal_text(const Value& a, const Value& b) {
  if (a.text.size() != b.text.size()) return false;
  if (a.letter_case == Value::Case::as_is && b.letter_case == Value::Case::as_is)
    return a.text == b.text;
  for (std::size_t i = 0; i < a.text.size(); ++i)
    if (cased(a.text[i], a.letter_case) != cased(b.text[i], b.letter_case)) return false;
  return true;
}
bool equal(const Value& a, const Value& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case Value::Type::number: return a.number == b.number;
    case Value::Type::text: return equal_text(a, b);
    case Value::Type::boolean: return a.boolean == b.boolean;
  }
  return false;
}
double num(const Value& v) {
  return v.type == Value::Type::number    ? v.number
         : v.type == Value::Type::boolean ? (v.boolean ? 1 : 0)
                                          : 0;
}

// The value an operand instruction pushes: a literal, or what the call says.
Value operand(const detail::Instr& in, const std::vector<std::string>& texts, const ExprEnv& env) {
  using detail::Op;
  switch (in.op) {
    case Op::push_number: return Value::of(in.number);
    case Op::push_text: return Value::of(std::string_view(texts[in.arg]));
    case Op::push_bool: return Value::of(in.arg != 0);
    case Op::counter: return env.counter(static_cast<Counter>(in.arg));
    case Op::variable: return env.variable(in.arg);
    case Op::tagged: return Value::of(env.tagged(texts[in.arg]));
    case Op::visits: return Value::of(static_cast<double>(env.visits(in.arg)));
    case Op::visited: return Value::of(env.visits(in.arg) > 0);
    case Op::heard: return Value::of(static_cast<double>(env.heard(in.arg)));
    default: return Value::of(false);
  }
}

bool is_operand(detail::Op op) {
  return op <= detail::Op::heard;
}

Value binary(detail::Op op, const Value& a, const Value& b) {
  using detail::Op;
  switch (op) {
    case Op::add: return Value::of(num(a) + num(b));
    case Op::sub: return Value::of(num(a) - num(b));
    case Op::eq: return Value::of(equal(a, b));
    case Op::ne: return Value::of(!equal(a, b));
    case Op::lt: return Value::of(num(a) < num(b));
    case Op::le: return Value::of(num(a) <= num(b));
    case Op::gt: return Value::of(num(a) > num(b));
    case Op::ge: return Value::of(num(a) >= num(b));
    default: return a;
  }
}
}  // namespace

Value Expr::evaluate(const ExprEnv& env) const {
  using detail::Op;
  std::array<Value, kMaxStack + 1> st;
  std::size_t sp = 0;  // number of values on the stack
  const std::size_t n = code_.size();
  for (std::size_t pc = 0; pc < n; ++pc) {
    const detail::Instr& in = code_[pc];
    if (is_operand(in.op)) {
      st[sp++] = operand(in, texts_, env);
      continue;
    }
    switch (in.op) {
      case Op::negate: st[sp - 1] = Value::of(-num(st[sp - 1])); break;
      case Op::logical_not: st[sp - 1] = Value::of(!st[sp - 1].truthy()); break;
      case Op::to_bool: st[sp - 1] = Value::of(st[sp - 1].truthy()); break;
      case Op::pop: --sp; break;
      case Op::lower: st[sp - 1].letter_case = Value::Case::lower; break;
      case Op::upper: st[sp - 1].letter_case = Value::Case::upper; break;
      case Op::jump_if_false_keep:
        if (!st[sp - 1].truthy()) pc = in.arg - 1;
        break;
      case Op::jump_if_true_keep:
        if (st[sp - 1].truthy()) pc = in.arg - 1;
        break;
      default: {
        const Value b = st[--sp];
        st[sp - 1] = binary(in.op, st[sp - 1], b);
      }
    }
  }
  return sp ? st[sp - 1] : Value::of(true);
}

}  // namespace patter
