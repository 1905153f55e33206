// patter/tooling/evaluation.hpp — how well does a script understand what customers
// really say? Measured on a labelled set of replies.
//
//   patter::EvalSet set = patter::read_eval_file("tests/data/eval/zh-CN.tsv");
//   for (const patter::Diagnostic& d : set.diagnostics) std::cerr << patter::format(d) << '\n';
//   if (!set.ok()) return 1;
//   patter::LoadResult loaded = patter::load_file("tests/data/eval/common.zh-CN.yaml");
//   if (!loaded.ok()) return 1;
//
//   patter::Evaluation e = patter::evaluate(*loaded.script, set.rows);
//   for (const patter::Diagnostic& d : e.diagnostics) std::cerr << patter::format(d) << '\n';
//   std::cout << e.to_text();                      // per intent, per category, confusion table
//   if (e.accuracy() < 0.95 || e.recall("opt_out") < 1.0) return 1;
//   for (const patter::EvalMiss& m : e.misses)    // what went wrong, and why
//     std::cout << m.where.line << ": " << m.reply << " → " << m.got << '\n' << m.explain;
//
// The set is a text file of tab-separated columns, one reply a line:
//
//   label      reply                          category
//   opt_out    不需要，以后别再打了             refusal_then_opt_out
//   affirm     行吧那你说                      resigned,no_punct
//
// The first line that is not a comment is that header. `#` starts a comment
// line; blank lines are skipped. `label` is an intent name (or `none`: the
// reply means nothing in the label set), `category` one or more kinds of
// reply separated by commas, for per-category figures. The format and a
// label guide are in tests/data/eval/README.md; docs/evaluation.md says how
// to tune a script with it.
//
// The label compared is the matcher's winning intent, as a session would
// route it: `u.matched() ? script.intent(u.best().intent).name : "none"`.
// Each intent's accuracy is the share of its replies understood as it
// (its recall); precision is the share of replies understood as it that
// were it.
//
// Errors follow the loader's model: a file that cannot be read, is too big,
// is not UTF-8, is empty, lacks its header or a column, or carries a label
// that is not a name comes back as Diagnostics with file, line and column;
// so does a label naming an intent the script lacks (from evaluate).
// Nothing here throws for bad input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patter/diagnostic.hpp"

namespace patter {

class Script;

/// The label of a reply that carries no intent of the set.
inline constexpr std::string_view kNoIntent = "none";

/// One labelled reply.
struct EvalRow {
  std::string label;                    ///< the intent it means, or "none"
  std::string reply;                    ///< what the customer said, as the ASR wrote it
  std::vector<std::string> categories;  ///< kinds of reply it stands for
  SourceLocation where;                 ///< its line (column 1)
  std::uint32_t reply_column = 0;       ///< where the reply starts on its line, in bytes (1-based)
};

struct EvalReadOptions {
  std::size_t max_file_bytes = 8u << 20;  ///< bigger files are refused (P002)
  std::size_t max_reply_bytes = 4096;     ///< a longer reply is refused (P057)
};

struct EvalSet {
  std::vector<EvalRow> rows;
  std::vector<Diagnostic> diagnostics;  ///< errors: the set is not to be used
  bool ok() const noexcept { return !has_errors(diagnostics); }
};

EvalSet read_eval_file(const std::string& path, const EvalReadOptions& options = {});
/// `file` names the text in diagnostics.
EvalSet read_eval_string(std::string_view text, std::string file = "<string>",
                         const EvalReadOptions& options = {});

/// The figures of one label.
struct IntentFigures {
  std::string intent;
  std::uint64_t expected = 0;   ///< replies labelled with it
  std::uint64_t predicted = 0;  ///< replies understood as it
  std::uint64_t correct = 0;    ///< both
  double precision() const noexcept { return predicted ? double(correct) / double(predicted) : 0; }
  /// Of its replies, the share understood as it; also its accuracy.
  double recall() const noexcept { return expected ? double(correct) / double(expected) : 0; }
  double f1() const noexcept {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

struct CategoryFigures {
  std::string category;
  std::uint64_t total = 0;
  std::uint64_t correct = 0;
  double accuracy() const noexcept { return total ? double(correct) / double(total) : 0; }
};

/// A reply the script got wrong.
struct EvalMiss {
  SourceLocation where;
  std::string reply;
  std::string expected;
  std::string got;
  std::vector<std::string> categories;
  std::string explain;  ///< the matcher's Understanding::explain
};

struct EvalOptions {
  /// A label naming an intent the script lacks is an error (P023) by
  /// default; when allowed it is a warning and its replies count as misses,
  /// so a set may run ahead of the script it measures.
  bool allow_unknown_labels = false;
};

struct Evaluation {
  std::string script;       ///< the script's id
  std::uint64_t total = 0;  ///< replies evaluated
  std::uint64_t correct = 0;
  /// Every label seen (expected or understood): the script's intents in
  /// its order, then labels it lacks, then "none".
  std::vector<IntentFigures> intents;
  std::vector<CategoryFigures> categories;  ///< in order of first appearance
  /// confusion[i][j]: replies labelled intents[i] understood as intents[j].
  std::vector<std::vector<std::uint64_t>> confusion;
  std::vector<EvalMiss> misses;         ///< in the set's order
  std::vector<Diagnostic> diagnostics;  ///< labels the script lacks

  double accuracy() const noexcept { return total ? double(correct) / double(total) : 0; }
  bool ok() const noexcept { return !has_errors(diagnostics); }
  /// The figures of one label; nullptr when it never occurred.
  const IntentFigures* find(std::string_view intent) const noexcept;
  /// recall of `intent`; 1 when the set has no reply labelled with it.
  double recall(std::string_view intent) const noexcept;

  /// Accuracy per intent and per category, overall, and the confusion
  /// table, aligned for a terminal (wide characters count two columns);
  /// the misses too when asked.
  std::string to_text(bool with_misses = false) const;
  /// The same as one JSON object (misses included).
  std::string to_json() const;
};

/// Understands every row's reply with the script's matcher and compares.
Evaluation evaluate(const Script& script, std::span<const EvalRow> rows,
                    const EvalOptions& options = {});

}  // namespace patter
