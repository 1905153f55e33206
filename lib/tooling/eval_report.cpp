// An evaluation as a terminal report and as JSON.
#include <fmt/format.h>

#include <algorithm>

#include "patter/json_writer.hpp"
#include "patter/tooling/evaluation.hpp"
#include "tooling/columns.hpp"

namespace patter {
namespace {

using detail::display_width;
using detail::pad;
using detail::pad_left;

std::string pct(double x) {
  return fmt::format("{:.1f}%", 100.0 * x);
}

std::string intent_table(const Evaluation& e) {
  std::size_t w = std::string_view("intent").size();
  for (const IntentFigures& f : e.intents) w = std::max(w, display_width(f.intent));
  std::string out = pad("intent", w) + "  replies  right  accuracy  precision  understood as it\n";
  for (const IntentFigures& f : e.intents) {
    out += pad(f.intent, w);
    out += fmt::format("  {:>7}  {:>5}  {:>8}  {:>9}  {:>5}\n", f.expected, f.correct,
                       f.expected ? pct(f.recall()) : "-", f.predicted ? pct(f.precision()) : "-",
                       f.predicted);
  }
  return out;
}

std::string category_table(const Evaluation& e) {
  std::size_t w = std::string_view("category").size();
  for (const CategoryFigures& c : e.categories) w = std::max(w, display_width(c.category));
  std::string out = pad("category", w) + "  replies  right  accuracy\n";
  for (const CategoryFigures& c : e.categories)
    out += pad(c.category, w) +
           fmt::format("  {:>7}  {:>5}  {:>8}\n", c.total, c.correct, pct(c.accuracy()));
  return out;
}

// Columns are numbered (names would make the table too wide for a
// terminal); rows carry number and name. "." is a zero, so the diagonal
// and the confusions stand out.
std::string confusion_table(const Evaluation& e) {
  const std::size_t n = e.intents.size();
  std::size_t w = 0, cell = 3;
  for (const IntentFigures& f : e.intents) w = std::max(w, display_width(f.intent));
  for (const auto& row : e.confusion)
    for (std::uint64_t v : row) cell = std::max(cell, fmt::formatted_size("{}", v) + 1);
  std::string out = "confusion (rows: the label; columns: understood as)\n";
  out += pad("", w + 4);
  for (std::size_t j = 0; j < n; ++j) out += pad_left(std::to_string(j + 1), cell);
  out += '\n';
  for (std::size_t i = 0; i < n; ++i) {
    out += pad_left(std::to_string(i + 1), 2) + ". " + pad(e.intents[i].intent, w);
    for (std::size_t j = 0; j < n; ++j)
      out += pad_left(e.confusion[i][j] ? std::to_string(e.confusion[i][j]) : ".", cell);
    out += '\n';
  }
  return out;
}

std::string miss_list(const Evaluation& e) {
  std::string out = fmt::format("misses ({})\n", e.misses.size());
  for (const EvalMiss& m : e.misses) {
    std::string cats;
    for (const std::string& c : m.categories) cats += (cats.empty() ? "" : ",") + c;
    out += fmt::format("{}:{}: expected {}, got {} [{}]: {}\n", m.where.file, m.where.line,
                       m.expected, m.got, cats, m.reply);
    std::string_view ex = m.explain;
    while (!ex.empty()) {
      const std::size_t nl = ex.find('\n');
      out += "    ";
      out += ex.substr(0, nl);
      out += '\n';
      if (nl == std::string_view::npos) break;
      ex.remove_prefix(nl + 1);
    }
  }
  return out;
}

}  // namespace

std::string Evaluation::to_text(bool with_misses) const {
  std::string out = fmt::format("script {}: {} of {} replies understood, accuracy {}\n\n", script,
                                correct, total, pct(accuracy()));
  out += intent_table(*this) + '\n' + category_table(*this) + '\n' + confusion_table(*this);
  if (with_misses) out += '\n' + miss_list(*this);
  return out;
}

std::string Evaluation::to_json() const {
  JsonWriter w;
  w.object().field("script", script).field("total", total).field("correct", correct);
  w.key("accuracy").fixed(accuracy(), 6).key("intents").array();
  for (const IntentFigures& f : intents) {
    w.object()
        .field("intent", f.intent)
        .field("expected", f.expected)
        .field("predicted", f.predicted);
    w.field("correct", f.correct).key("precision").fixed(f.precision(), 6);
    w.key("recall").fixed(f.recall(), 6).key("f1").fixed(f.f1(), 6).end();
  }
  w.end().key("categories").array();
  for (const CategoryFigures& c : categories) {
    w.object().field("category", c.category).field("total", c.total).field("correct", c.correct);
    w.key("accuracy").fixed(c.accuracy(), 6).end();
  }
  w.end().key("confusion").array();
  for (const auto& row : confusion) w.values(row);
  w.end().key("misses").array();
  for (const EvalMiss& m : misses) {
    w.object().field("file", m.where.file).field("line", m.where.line).field("reply", m.reply);
    w.field("expected", m.expected).field("got", m.got).key("categories").values(m.categories);
    w.field("explain", m.explain).end();
  }
  return w.end().end().take() + '\n';
}

}  // namespace patter
