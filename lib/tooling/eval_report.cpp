// An evaluation as a terminal report and as JSON.
#include <fmt/format.h>

#include <algorithm>

#include "patter/tooling/evaluation.hpp"
#include "text/json.hpp"
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

void json_strings(std::string& out, const std::vector<std::string>& v) {
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    out += detail::json_string(v[i]);
  }
  out += ']';
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
  std::string out =
      fmt::format("{{\"script\":{},\"total\":{},\"correct\":{},\"accuracy\":{:.6f},\"intents\":[",
                  detail::json_string(script), total, correct, accuracy());
  for (std::size_t i = 0; i < intents.size(); ++i) {
    const IntentFigures& f = intents[i];
    out += fmt::format(
        "{}{{\"intent\":{},\"expected\":{},\"predicted\":{},\"correct\":{},\"precision\":{:.6f},"
        "\"recall\":{:.6f},"
        "\"f1\":{:.6f}}}",
        i ? "," : "", detail::json_string(f.intent), f.expected, f.predicted, f.correct,
        f.precision(), f.recall(), f.f1());
  }
  out += "],\"categories\":[";
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const CategoryFigures& c = categories[i];
    out += fmt::format("{}{{\"category\":{},\"total\":{},\"correct\":{},\"accuracy\":{:.6f}}}",
                       i ? "," : "", detail::json_string(c.category), c.total, c.correct,
                       c.accuracy());
  }
  out += "],\"confusion\":[";
  for (std::size_t i = 0; i < confusion.size(); ++i) {
    out += i ? ",[" : "[";
    for (std::size_t j = 0; j < confusion[i].size(); ++j)
      out += fmt::format("{}{}", j ? "," : "", confusion[i][j]);
    out += ']';
  }
  out += "],\"misses\":[";
  for (std::size_t i = 0; i < misses.size(); ++i) {
    const EvalMiss& m = misses[i];
    out += fmt::format(
        "{}{{\"file\":{},\"line\":{},\"reply\":{},\"expected\":{},\"got\":{},\"categories\":",
        i ? "," : "", detail::json_string(m.where.file), m.where.line, detail::json_string(m.reply),
        detail::json_string(m.expected), detail::json_string(m.got));
    json_strings(out, m.categories);
    out += ",\"explain\":" + detail::json_string(m.explain) + '}';
  }
  out += "]}\n";
  return out;
}

}  // namespace patter
