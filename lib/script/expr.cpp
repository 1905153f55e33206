#include "patter/expr.hpp"

#include <array>

namespace patter {

bool Value::truthy() const noexcept {
  switch (type) {
    case Type::number:
      return number != 0;
    case Type::text:
      return !text.empty();
    case Type::boolean:
      return boolean;
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
    case Value::Type::number:
      return a.number == b.number;
    case Value::Type::text:
      return equal_text(a, b);
    case Value::Type::boolean:
      return a.boolean == b.boolean;
  }
  return false;
}
double num(const Value& v) {
  return v.type == Value::Type::number    ? v.number
         : v.type == Value::Type::boolean ? (v.boolean ? 1 : 0)
                                          : 0;
}
}  // namespace

Value Expr::evaluate(const ExprEnv& env) const {
  using detail::Op;
  std::array<Value, kMaxStack + 1> st;
  std::size_t sp = 0;  // number of values on the stack
  const std::size_t n = code_.size();
  for (std::size_t pc = 0; pc < n; ++pc) {
    const detail::Instr& in = code_[pc];
    switch (in.op) {
      case Op::push_number:
        st[sp++] = Value::of(in.number);
        break;
      case Op::push_text:
        st[sp++] = Value::of(std::string_view(texts_[in.arg]));
        break;
      case Op::push_bool:
        st[sp++] = Value::of(in.arg != 0);
        break;
      case Op::counter:
        st[sp++] = env.counter(static_cast<Counter>(in.arg));
        break;
      case Op::variable:
        st[sp++] = env.variable(in.arg);
        break;
      case Op::tagged:
        st[sp++] = Value::of(env.tagged(texts_[in.arg]));
        break;
      case Op::visits:
        st[sp++] = Value::of(static_cast<double>(env.visits(in.arg)));
        break;
      case Op::visited:
        st[sp++] = Value::of(env.visits(in.arg) > 0);
        break;
      case Op::heard:
        st[sp++] = Value::of(static_cast<double>(env.heard(in.arg)));
        break;
      case Op::negate:
        st[sp - 1] = Value::of(-num(st[sp - 1]));
        break;
      case Op::logical_not:
        st[sp - 1] = Value::of(!st[sp - 1].truthy());
        break;
      case Op::to_bool:
        st[sp - 1] = Value::of(st[sp - 1].truthy());
        break;
      case Op::pop:
        --sp;
        break;
      case Op::lower:
        st[sp - 1].letter_case = Value::Case::lower;
        break;
      case Op::upper:
        st[sp - 1].letter_case = Value::Case::upper;
        break;
      case Op::jump_if_false_keep:
        if (!st[sp - 1].truthy()) pc = in.arg - 1;
        break;
      case Op::jump_if_true_keep:
        if (st[sp - 1].truthy()) pc = in.arg - 1;
        break;
      default: {
        const Value b = st[--sp];
        Value& a = st[sp - 1];
        switch (in.op) {
          case Op::add:
            a = Value::of(num(a) + num(b));
            break;
          case Op::sub:
            a = Value::of(num(a) - num(b));
            break;
          case Op::eq:
            a = Value::of(equal(a, b));
            break;
          case Op::ne:
            a = Value::of(!equal(a, b));
            break;
          case Op::lt:
            a = Value::of(num(a) < num(b));
            break;
          case Op::le:
            a = Value::of(num(a) <= num(b));
            break;
          case Op::gt:
            a = Value::of(num(a) > num(b));
            break;
          case Op::ge:
            a = Value::of(num(a) >= num(b));
            break;
          default:
            break;
        }
      }
    }
  }
  return sp ? st[sp - 1] : Value::of(true);
}

}  // namespace patter
