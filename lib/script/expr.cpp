#include "patter/expr.hpp"

#include "script/expr_known.hpp"

#include <array>
#include <cmath>

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

// `x in [...]`: the items follow the in_list instruction; text items are
// compared as == compares them (the case x reads with), so nothing is copied.
bool member(const Value& x, const detail::Instr* items, std::uint32_t count,
            const std::vector<std::string>& texts) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const Value item = x.type == Value::Type::text
                           ? Value::of(std::string_view(texts[items[i].arg]))
                           : Value::of(items[i].number);
    if (equal(x, item)) return true;
  }
  return false;
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
      case Op::whole: {
        const double x = num(st[sp - 1]);
        st[sp - 1] = Value::of(std::isfinite(x) && std::floor(x) == x);
        break;
      }
      case Op::in_list:
        st[sp - 1] = Value::of(member(st[sp - 1], &code_[pc + 1], in.arg, texts_));
        pc += in.arg;
        break;
      case Op::item: break;  // skipped by in_list
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

namespace detail {
namespace {

struct Slot {
  Value v;
  bool known = false;
};
using Stack = std::array<Slot, Expr::kMaxStack + 1>;

// The evaluator of Expr::evaluate over values that may be unknown. Where a
// jump depends on an unknown value, both ways are followed and must agree.
struct KnownRun {
  const Expr& e;
  const KnownVariable& known;
  bool truthy_only;
  std::size_t budget = 4096;  // instructions, over every way followed

  std::optional<Value> merge(const std::optional<Value>& a, const std::optional<Value>& b) const {
    if (!a || !b) return std::nullopt;
    if (truthy_only) {
      if (a->truthy() != b->truthy()) return std::nullopt;
      return Value::of(a->truthy());
    }
    if (a->type != b->type || !equal(*a, *b)) return std::nullopt;
    return a;
  }

  Slot operand(const Instr& in) const {
    switch (in.op) {
      case Op::push_number: return {Value::of(in.number), true};
      case Op::push_text: return {Value::of(std::string_view(e.texts()[in.arg])), true};
      case Op::push_bool: return {Value::of(in.arg != 0), true};
      case Op::variable: {
        const std::optional<Value> v = known(in.arg);
        return v ? Slot{*v, true} : Slot{};
      }
      default: return {};  // what the call says: unknown here
    }
  }

  std::optional<Value> run(std::size_t pc, Stack st, std::size_t sp) {
    const std::vector<Instr>& code = e.code();
    for (; pc < code.size(); ++pc) {
      if (budget == 0) return std::nullopt;
      --budget;
      const Instr& in = code[pc];
      if (is_operand(in.op)) {
        st[sp++] = operand(in);
        continue;
      }
      Slot& top = st[sp - 1];
      switch (in.op) {
        case Op::jump_if_false_keep:
        case Op::jump_if_true_keep: {
          const bool on_true = in.op == Op::jump_if_true_keep;
          if (top.known) {
            if (top.v.truthy() == on_true) pc = in.arg - 1;
            break;
          }
          Stack jumped = st, fell = st;
          jumped[sp - 1] = {Value::of(on_true), true};
          fell[sp - 1] = {Value::of(!on_true), true};
          const std::optional<Value> a = run(in.arg, jumped, sp);
          return merge(a, run(pc + 1, fell, sp));
        }
        case Op::pop: --sp; break;
        case Op::item: break;
        case Op::in_list:
          if (top.known) top.v = Value::of(member(top.v, &code[pc + 1], in.arg, e.texts()));
          pc += in.arg;
          break;
        case Op::negate: top.v = Value::of(-num(top.v)); break;
        case Op::logical_not: top.v = Value::of(!top.v.truthy()); break;
        case Op::to_bool: top.v = Value::of(top.v.truthy()); break;
        case Op::lower: top.v.letter_case = Value::Case::lower; break;
        case Op::upper: top.v.letter_case = Value::Case::upper; break;
        case Op::whole: {
          const double x = num(top.v);
          top.v = Value::of(std::isfinite(x) && std::floor(x) == x);
          break;
        }
        default: {
          const Slot b = st[--sp];
          Slot& a = st[sp - 1];
          a = {binary(in.op, a.v, b.v), a.known && b.known};
        }
      }
    }
    if (sp == 0) return Value::of(true);
    return st[sp - 1].known ? std::optional<Value>(st[sp - 1].v) : std::nullopt;
  }
};

}  // namespace

std::optional<Value> evaluate_known(const Expr& e, const KnownVariable& known, bool truthy_only) {
  if (e.empty()) return Value::of(true);
  KnownRun r{e, known, truthy_only};
  return r.run(0, Stack{}, 0);
}

bool same_value(const Value& a, const Value& b) noexcept {
  return equal(a, b);
}

}  // namespace detail
}  // namespace patter
