#include "compile/expr_compiler.hpp"

#include <fmt/format.h>
#include <charconv>

#include "text/suggest.hpp"
#include "text/utf8.hpp"

namespace patter::detail {
namespace {

enum class Tok { end, number, text, name, lparen, rparen, lbracket, rbracket, comma, op };
enum class Ty { number, text, boolean };

std::string_view ty_name(Ty t) {
  return t == Ty::number ? "a number" : t == Ty::text ? "text" : "true/false";
}

struct Token {
  Tok kind = Tok::end;
  std::string_view lexeme;
  std::string text;  // decoded string literal
  double number = 0;
  std::size_t offset = 0;  // bytes
};

struct Fail {};

const std::vector<std::pair<std::string_view, Counter>>& counters() {
  static const std::vector<std::pair<std::string_view, Counter>> v = {
      {"score", Counter::score},
      {"turns", Counter::turns},
      {"duration_s", Counter::duration_s},
      {"silences", Counter::silences},
      {"no_matches", Counter::no_matches},
      {"nodes_passed", Counter::nodes_passed},
      {"escalations", Counter::escalations},
      {"outcome", Counter::outcome},
      {"reason", Counter::reason},
      {"no_matches_in_row", Counter::no_matches_in_row},
      {"silences_in_row", Counter::silences_in_row}};
  return v;
}

class Compiler {
 public:
  Compiler(const std::string& src, const ExprSymbols& sym, ExprError& err)
      : src_(src), sym_(sym), err_(err) {}

  std::optional<Expr> run() {
    try {
      if (src_.size() > 2000)
        fail(0, Code::bad_expression, "the expression is over 2000 bytes long",
             "split the condition");
      next();
      if (tok_.kind == Tok::end)
        fail(0, Code::bad_expression, "the expression is empty",
             "write a condition such as `score >= 30`");
      type_ = expr();
      if (tok_.kind != Tok::end)
        fail(tok_.offset, Code::bad_expression,
             fmt::format("unexpected `{}` after a complete expression", tok_.lexeme),
             "join conditions with `and` / `or`");
      if (code_.size() > Expr::kMaxOps)
        fail(0, Code::bad_expression, "the expression is too long",
             "split it into simpler conditions");
      if (max_depth_ > Expr::kMaxStack)
        fail(0, Code::bad_expression, "the expression is nested too deeply",
             "use fewer parentheses");
    } catch (const Fail&) {
      return std::nullopt;
    }
    return Expr(src_, std::move(code_), std::move(texts_), static_cast<std::uint32_t>(max_depth_));
  }

  /// What the whole expression gives, once run() succeeded.
  Variable::Type type() const noexcept {
    return type_ == Ty::number ? Variable::Type::number
           : type_ == Ty::text ? Variable::Type::text
                               : Variable::Type::boolean;
  }

 private:
  [[noreturn]] void fail(std::size_t byte_offset, Code code, std::string msg,
                         std::string hint = {}) {
    err_.offset = count_code_points(std::string_view(src_).substr(0, byte_offset));
    err_.code = code;
    err_.message = std::move(msg);
    err_.hint = std::move(hint);
    throw Fail{};
  }

  void next() {
    std::size_t i = pos_;
    while (i < src_.size() &&
           (src_[i] == ' ' || src_[i] == '\t' || src_[i] == '\n' || src_[i] == '\r'))
      ++i;
    tok_ = Token{};
    tok_.offset = i;
    if (i >= src_.size()) {
      pos_ = i;
      return;
    }
    const char c = src_[i];
    auto ident_char = [](char ch, bool first) {
      const auto u = static_cast<unsigned char>(ch);
      return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80 ||
             (!first && u >= '0' && u <= '9');
    };
    if ((c >= '0' && c <= '9') || c == '.') {
      std::size_t j = i;
      while (j < src_.size() && ((src_[j] >= '0' && src_[j] <= '9') || src_[j] == '.')) ++j;
      auto [p, ec] = std::from_chars(src_.data() + i, src_.data() + j, tok_.number);
      if (ec != std::errc() || p != src_.data() + j)
        fail(i, Code::bad_expression, fmt::format("`{}` is not a number", src_.substr(i, j - i)));
      tok_.kind = Tok::number;
      tok_.lexeme = std::string_view(src_).substr(i, j - i);
      pos_ = j;
    } else if (c == '\'' || c == '"') {
      std::size_t j = i + 1;
      std::string out;
      while (j < src_.size() && src_[j] != c) {
        if (src_[j] == '\\' && j + 1 < src_.size()) ++j;
        out += src_[j++];
      }
      if (j >= src_.size())
        fail(i, Code::bad_expression, "text in quotes is not closed",
             fmt::format("add a closing {}", c));
      tok_.kind = Tok::text;
      tok_.text = std::move(out);
      tok_.lexeme = std::string_view(src_).substr(i, j + 1 - i);
      pos_ = j + 1;
    } else if (ident_char(c, true)) {
      std::size_t j = i;
      while (j < src_.size() && ident_char(src_[j], false)) ++j;
      tok_.kind = Tok::name;
      tok_.lexeme = std::string_view(src_).substr(i, j - i);
      pos_ = j;
    } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
      tok_.kind = c == '('   ? Tok::lparen
                  : c == ')' ? Tok::rparen
                  : c == '[' ? Tok::lbracket
                  : c == ']' ? Tok::rbracket
                             : Tok::comma;
      tok_.lexeme = std::string_view(src_).substr(i, 1);
      pos_ = i + 1;
    } else {
      static const char* two[] = {"&&", "||", "==", "!=", "<=", ">="};
      for (const char* t : two) {
        if (src_.compare(i, 2, t) == 0) {
          tok_.kind = Tok::op;
          tok_.lexeme = std::string_view(src_).substr(i, 2);
          pos_ = i + 2;
          return;
        }
      }
      if (c == '<' || c == '>' || c == '!' || c == '+' || c == '-') {
        tok_.kind = Tok::op;
        tok_.lexeme = std::string_view(src_).substr(i, 1);
        pos_ = i + 1;
        return;
      }
      if (c == '=')
        fail(i, Code::bad_expression, "`=` alone is not a comparison", "write `==` to compare");
      if (c == '&' || c == '|')
        fail(i, Code::bad_expression, fmt::format("`{}` alone is not an operator", c),
             fmt::format("write `{}{}` or `{}`", c, c, c == '&' ? "and" : "or"));
      const std::size_t len =
          std::max<std::size_t>(1, prefix_bytes(std::string_view(src_).substr(i), 1));
      fail(i, Code::bad_expression, fmt::format("unexpected character `{}`", src_.substr(i, len)));
    }
  }

  bool is_op(std::string_view a, std::string_view word = {}) const {
    return (tok_.kind == Tok::op && tok_.lexeme == a) ||
           (!word.empty() && tok_.kind == Tok::name && tok_.lexeme == word);
  }

  bool is_word(std::string_view word) const {
    return tok_.kind == Tok::name && tok_.lexeme == word;
  }
  // `not in` is two words; `not` alone is the start of another condition.
  bool at_membership() {
    if (is_word("in")) return true;
    if (!is_word("not")) return false;
    const std::size_t pos = pos_;
    const Token saved = tok_;
    next();
    const bool in = is_word("in");
    pos_ = pos;
    tok_ = saved;
    return in;
  }

  std::size_t emit(detail::Op op, std::uint32_t arg = 0, double number = 0) {
    code_.push_back({op, arg, number});
    return code_.size() - 1;
  }
  void push() { max_depth_ = std::max(max_depth_, ++depth_); }
  void pop(std::size_t n = 1) { depth_ -= n; }

  Ty expr() {
    Ty t = and_expr();
    while (is_op("||", "or")) {
      next();
      const std::size_t j = emit(Op::jump_if_true_keep);
      emit(Op::pop);
      pop();
      and_expr();
      code_[j].arg = static_cast<std::uint32_t>(code_.size());
      emit(Op::to_bool);
      t = Ty::boolean;
    }
    return t;
  }
  Ty and_expr() {
    Ty t = not_expr();
    while (is_op("&&", "and")) {
      next();
      const std::size_t j = emit(Op::jump_if_false_keep);
      emit(Op::pop);
      pop();
      not_expr();
      code_[j].arg = static_cast<std::uint32_t>(code_.size());
      emit(Op::to_bool);
      t = Ty::boolean;
    }
    return t;
  }
  Ty not_expr() {
    if (is_op("!", "not")) {
      next();
      not_expr();
      emit(Op::logical_not);
      return Ty::boolean;
    }
    return compare();
  }
  // A number in quotes is text: the fix is to drop the quotes, not to add more.
  std::string mismatch_hint(Ty a, Ty b, std::size_t left_at, std::size_t right_at) const {
    if (a != Ty::text && b != Ty::text) return "compare like with like";
    const std::size_t text_at = a == Ty::text ? left_at : right_at;
    const std::size_t end = a == Ty::text ? src_.find_first_of("<>=!", text_at) : tok_.offset;
    std::string_view side = std::string_view(src_).substr(text_at, end - text_at);
    while (!side.empty() && side.back() == ' ') side.remove_suffix(1);
    double n = 0;
    if (side.size() > 2 && (side.front() == '\'' || side.front() == '"') &&
        side.back() == side.front()) {
      const std::string_view inner = side.substr(1, side.size() - 2);
      const auto [p, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), n);
      if (ec == std::errc() && p == inner.data() + inner.size())
        return fmt::format("{} is text because of its quotes; write the number without them: {}",
                           side, inner);
    }
    if (a == Ty::number || b == Ty::number)
      return "a number compares with a number: a text variable or a quoted value cannot be "
             "compared with one; declare the variable `type: number`, or compare text with "
             "text in quotes, e.g. city == 'Beijing'";
    return "put text in quotes on both sides, e.g. city == 'Beijing'";
  }

  Ty compare() {
    const std::size_t left_at = tok_.offset;
    Ty a = sum();
    if (at_membership()) return membership(a, left_at);
    static const std::pair<std::string_view, Op> ops[] = {{"==", Op::eq}, {"!=", Op::ne},
                                                          {"<", Op::lt},  {"<=", Op::le},
                                                          {">", Op::gt},  {">=", Op::ge}};
    for (const auto& [lex, op] : ops) {
      if (is_op(lex)) {
        const std::size_t at = tok_.offset;
        next();
        const std::size_t right_at = tok_.offset;
        Ty b = sum();
        if (a != b)
          fail(left_at, Code::expression_type,
               fmt::format("cannot compare {} with {} using `{}`", ty_name(a), ty_name(b), lex),
               mismatch_hint(a, b, left_at, right_at));
        if (a != Ty::number && op != Op::eq && op != Op::ne)
          fail(at, Code::expression_type,
               fmt::format("`{}` needs numbers, not {}", lex, ty_name(a)), "use == or != for text");
        emit(op);
        pop();
        return Ty::boolean;
      }
    }
    return a;
  }
  // x in ['a', 'b'], x not in [1, 2]: a list of literals of x's type.
  Ty membership(Ty a, std::size_t left_at) {
    const bool negated = is_word("not");
    const std::string_view word = negated ? "not in" : "in";
    const bool lowered = !code_.empty() && code_.back().op == Op::lower;
    const bool uppered = !code_.empty() && code_.back().op == Op::upper;
    next();
    if (negated) next();
    if (a == Ty::boolean)
      fail(left_at, Code::expression_type,
           fmt::format("`{}` looks for text or a number in a list, not true/false", word),
           "test a true/false value on its own, or with == true");
    if (tok_.kind != Tok::lbracket)
      fail(tok_.offset, Code::bad_expression,
           fmt::format("`{}` needs a list in square brackets", word),
           "write the values between [ and ], e.g. city in ['Paris', 'Rome']");
    const std::size_t list_at = tok_.offset;
    next();
    std::vector<Token> items;
    while (tok_.kind != Tok::rbracket) {
      items.push_back(literal());
      if (tok_.kind == Tok::comma)
        next();
      else if (tok_.kind != Tok::rbracket)
        fail(tok_.offset, Code::bad_expression,
             tok_.kind == Tok::end ? "the list is not closed" : "expected `,` or `]` in the list",
             "separate the values with commas and close the list with `]`");
    }
    next();
    if (items.empty())
      fail(list_at, Code::expression_type,
           fmt::format("the list is empty, so `{}` is {}", word,
                       negated ? "always true" : "never true"),
           "list the values to look for, e.g. ['Paris', 'Rome']");
    const Ty list = items[0].kind == Tok::text ? Ty::text : Ty::number;
    for (const Token& item : items)
      if ((item.kind == Tok::text ? Ty::text : Ty::number) != list)
        fail(item.offset, Code::expression_type,
             fmt::format("the list mixes text and numbers: `{}` is {}, the first value is {}",
                         item.lexeme, ty_name(list == Ty::text ? Ty::number : Ty::text),
                         ty_name(list)),
             "keep to one kind: every value in quotes for text, or none in quotes for numbers");
    if (a != list)
      fail(left_at, Code::expression_type,
           fmt::format("cannot look for {} in a list of {}", ty_name(a),
                       list == Ty::text ? "text" : "numbers"),
           list_hint(a, items));
    if (lowered || uppered) same_case(items, lowered);
    emit(Op::in_list, static_cast<std::uint32_t>(items.size()));
    for (const Token& item : items) {
      if (item.kind == Tok::text) {
        texts_.push_back(item.text);
        emit(Op::item, static_cast<std::uint32_t>(texts_.size() - 1));
      } else {
        emit(Op::item, 0, item.number);
      }
    }
    if (negated) emit(Op::logical_not);
    return Ty::boolean;
  }

  // One value of a list: text in quotes, or a number (perhaps negative).
  Token literal() {
    Token t = tok_;
    if (is_op("-")) {
      next();
      if (tok_.kind != Tok::number)
        fail(t.offset, Code::bad_expression, "a list holds text in quotes or numbers",
             "write the values themselves, e.g. [1, 2] or ['a', 'b']");
      t = tok_;
      t.number = -t.number;
      t.lexeme = std::string_view(src_).substr(t.offset - 1, t.lexeme.size() + 1);
    } else if (tok_.kind != Tok::text && tok_.kind != Tok::number) {
      fail(tok_.offset, Code::bad_expression,
           tok_.kind == Tok::end
               ? std::string("the list is not closed")
               : fmt::format("a list holds text in quotes or numbers, not `{}`", tok_.lexeme),
           tok_.kind == Tok::name
               ? "write the values themselves, in quotes for text: ['a', 'b']; to compare with a "
                 "variable, use =="
               : "write the values themselves, e.g. [1, 2] or ['a', 'b']");
    }
    next();
    return t;
  }

  std::string list_hint(Ty a, const std::vector<Token>& items) const {
    if (a == Ty::number) {
      bool numeric = true;
      std::vector<std::string_view> bare;
      for (const Token& item : items) {
        double n = 0;
        const auto [p, ec] =
            std::from_chars(item.text.data(), item.text.data() + item.text.size(), n);
        numeric = numeric && !item.text.empty() && ec == std::errc() &&
                  p == item.text.data() + item.text.size();
        bare.push_back(item.text);
      }
      if (numeric)
        return fmt::format(
            "the values are text because of their quotes; write the numbers "
            "without them: [{}]",
            fmt::join(bare, ", "));
      return "a number is looked for among numbers: declare the variable `type: number` for "
             "numbers, or list text for a text variable";
    }
    return "text is looked for among text: put the values in quotes, e.g. ['1', '2'], or "
           "declare the variable `type: number`";
  }

  // lower(x) never equals 'Chinese': a value with the other case is a typo.
  void same_case(const std::vector<Token>& items, bool lowered) {
    for (const Token& item : items) {
      for (const char c : item.text) {
        if (lowered ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z')) {
          std::string fixed = item.text;
          for (char& f : fixed)
            if (lowered ? (f >= 'A' && f <= 'Z') : (f >= 'a' && f <= 'z'))
              f = static_cast<char>(lowered ? f - 'A' + 'a' : f - 'a' + 'A');
          fail(item.offset, Code::expression_type,
               fmt::format("{} has {} letters, so {}(...) never equals it", item.lexeme,
                           lowered ? "capital" : "small", lowered ? "lower" : "upper"),
               fmt::format("write it in {} case: '{}'", lowered ? "lower" : "upper", fixed));
        }
      }
    }
  }

  Ty sum() {
    const std::size_t at = tok_.offset;
    Ty a = unary();
    while (is_op("+") || is_op("-")) {
      const bool plus = tok_.lexeme == "+";
      next();
      Ty b = unary();
      if (a != Ty::number || b != Ty::number)
        fail(at, Code::expression_type,
             fmt::format("`{}` needs numbers on both sides", plus ? '+' : '-'));
      emit(plus ? Op::add : Op::sub);
      pop();
    }
    return a;
  }
  Ty unary() {
    if (is_op("-")) {
      const std::size_t at = tok_.offset;
      next();
      if (unary() != Ty::number) fail(at, Code::expression_type, "`-` needs a number");
      emit(Op::negate);
      return Ty::number;
    }
    return primary();
  }
  Ty primary() {
    const Token t = tok_;
    switch (t.kind) {
      case Tok::number:
        next();
        emit(Op::push_number, 0, t.number);
        push();
        return Ty::number;
      case Tok::text:
        next();
        texts_.push_back(t.text);
        emit(Op::push_text, static_cast<std::uint32_t>(texts_.size() - 1));
        push();
        return Ty::text;
      case Tok::lparen: {
        next();
        Ty ty = expr();
        if (tok_.kind != Tok::rparen)
          fail(tok_.offset, Code::bad_expression, "a `(` is not closed", "add `)`");
        next();
        return ty;
      }
      case Tok::name: return name(t);
      case Tok::end:
        fail(t.offset, Code::bad_expression, "the expression ends too early",
             "finish the condition");
      default: fail(t.offset, Code::bad_expression, fmt::format("unexpected `{}`", t.lexeme));
    }
  }

  Ty name(const Token& t) {
    next();
    const std::string_view id = t.lexeme;
    if (id == "true" || id == "false") {
      emit(Op::push_bool, id == "true" ? 1 : 0);
      push();
      return Ty::boolean;
    }
    if (tok_.kind == Tok::lparen) return call(t);
    for (const auto& [n, c] : counters()) {
      if (n == id) {
        emit(Op::counter, static_cast<std::uint32_t>(c));
        push();
        return (c == Counter::outcome || c == Counter::reason) ? Ty::text : Ty::number;
      }
    }
    if (auto v = sym_.variable(id)) {
      emit(Op::variable, v->first);
      push();
      return v->second == Variable::Type::number    ? Ty::number
             : v->second == Variable::Type::boolean ? Ty::boolean
                                                    : Ty::text;
    }
    std::vector<std::string> cands = sym_.variable_names();
    for (const auto& [n, c] : counters()) cands.emplace_back(n);
    std::string hint = did_you_mean(id, cands);
    if (hint.empty())
      hint =
          "names are counters (score, turns, silences, ...) or declared variables; put text in "
          "quotes";
    fail(t.offset, Code::expression_type, fmt::format("unknown name `{}`", id), hint);
  }

  // lower(x), upper(x): any text expression inside.
  Ty change_case(const Token& fn, Op op) {
    next();  // (
    const std::size_t at = tok_.offset;
    if (expr() != Ty::text)
      fail(at, Code::expression_type, fmt::format("`{}` needs text", fn.lexeme),
           fmt::format("write {}(name) with a text variable, or {}('text')", fn.lexeme, fn.lexeme));
    if (tok_.kind != Tok::rparen)
      fail(tok_.offset, Code::bad_expression, fmt::format("`{}(` is not closed", fn.lexeme),
           "add `)`");
    next();
    emit(op);
    return Ty::text;
  }

  // whole(x): true for a whole number, so "2.5 people" can be refused.
  Ty whole() {
    next();  // (
    const std::size_t at = tok_.offset;
    if (tok_.kind == Tok::rparen || expr() != Ty::number)
      fail(at, Code::expression_type, "`whole` needs a number",
           "write whole(name) with a number variable, e.g. whole(party_size)");
    if (tok_.kind != Tok::rparen)
      fail(tok_.offset, Code::bad_expression, "`whole(` is not closed", "add `)`");
    next();
    emit(Op::whole);
    return Ty::boolean;
  }

  Ty call(const Token& fn) {
    const std::string_view f = fn.lexeme;
    if (f == "lower") return change_case(fn, Op::lower);
    if (f == "upper") return change_case(fn, Op::upper);
    if (f == "whole") return whole();
    Op op;
    bool node_arg = true;
    Ty result = Ty::number;
    if (f == "visits")
      op = Op::visits;
    else if (f == "visited") {
      op = Op::visited;
      result = Ty::boolean;
    } else if (f == "heard") {
      op = Op::heard;
      node_arg = false;
    } else if (f == "tagged") {
      op = Op::tagged;
      result = Ty::boolean;
    } else {
      std::string hint =
          did_you_mean(f, {"visits", "visited", "heard", "tagged", "lower", "upper", "whole"});
      if (hint.empty())
        hint =
            "functions are tagged('t'), visits('node'), visited('node'), heard('intent'), "
            "lower(x), upper(x), whole(n)";
      fail(fn.offset, Code::expression_type, fmt::format("unknown function `{}`", f), hint);
    }
    next();  // (
    if (tok_.kind != Tok::text)
      fail(tok_.offset, Code::expression_type, fmt::format("`{}` takes one name in quotes", f),
           fmt::format("write {}('name')", f));
    const Token arg = tok_;
    next();
    if (tok_.kind != Tok::rparen)
      fail(tok_.offset, Code::bad_expression, fmt::format("`{}(` is not closed", f), "add `)`");
    next();
    if (op == Op::tagged) {
      texts_.push_back(arg.text);
      emit(op, static_cast<std::uint32_t>(texts_.size() - 1));
    } else if (node_arg) {
      auto id = sym_.node(arg.text);
      if (!id)
        fail(arg.offset + 1, Code::unknown_node,
             fmt::format("`{}` in {}() is not a node", arg.text, f),
             did_you_mean(arg.text, sym_.node_names()));
      emit(op, *id);
    } else {
      auto id = sym_.intent(arg.text);
      if (!id)
        fail(arg.offset + 1, Code::unknown_intent,
             fmt::format("`{}` in heard() is not an intent", arg.text),
             did_you_mean(arg.text, sym_.intent_names()));
      emit(op, *id);
    }
    push();
    return result;
  }

  const std::string& src_;
  const ExprSymbols& sym_;
  ExprError& err_;
  std::size_t pos_ = 0;
  Token tok_;
  std::vector<detail::Instr> code_;
  std::vector<std::string> texts_;
  std::size_t depth_ = 0, max_depth_ = 0;
  Ty type_ = Ty::boolean;
};

}  // namespace

std::optional<Expr> compile_expr(const std::string& source, const ExprSymbols& symbols,
                                 ExprError& error) {
  return Compiler(source, symbols, error).run();
}

std::optional<Expr> compile_expr(const std::string& source, const ExprSymbols& symbols,
                                 ExprError& error, Variable::Type& type) {
  Compiler c(source, symbols, error);
  std::optional<Expr> e = c.run();
  if (e) type = c.type();
  return e;
}

}  // namespace patter::detail
