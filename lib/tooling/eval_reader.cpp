// Reading an evaluation set: a header, then label<TAB>reply<TAB>category
// lines. Every problem is a Diagnostic at the author's line and column.
#include <fmt/format.h>

#include "patter/tooling/evaluation.hpp"
#include "text/utf8.hpp"
#include "yaml/source.hpp"

namespace patter {
namespace {

constexpr std::string_view kHeader = "label\treply\tcategory";
constexpr std::string_view kFormatHint =
    "each line is `label<TAB>reply<TAB>category` (tests/data/eval/README.md)";

Diagnostic error_at(SourceLocation where, Code code, std::string message, std::string hint) {
  Diagnostic d;
  d.where = std::move(where);
  d.severity = Severity::error;
  d.code = code;
  d.message = std::move(message);
  d.hint = std::move(hint);
  return d;
}

constexpr detail::SourceKind kEvalWords = {
    .noun = "the evaluation set",
    .too_large_hint = "split it into several files, or raise EvalReadOptions::max_file_bytes",
    .unreadable = "the evaluation set ",
    .yaml = false,  // tabs separate the columns; other control characters are the reply's
};

class Reader {
 public:
  Reader(std::string_view text, std::string file, const EvalReadOptions& o, EvalSet& out)
      : text_(text), file_(std::move(file)), opt_(o), out_(out) {}

  void run() {
    bool header = false;
    std::size_t line_no = 0;
    for (std::size_t pos = 0; pos < text_.size();) {
      std::size_t end = text_.find('\n', pos);
      if (end == std::string_view::npos) end = text_.size();
      std::string_view line = text_.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      ++line_no;
      const std::size_t start = pos;
      pos = end + 1;
      if (is_blank(line) || line.front() == '#') continue;
      if (!header) {
        header = true;
        if (line != kHeader)
          error({file_, static_cast<std::uint32_t>(line_no), 1}, Code::missing_key,
                fmt::format(
                    "the first line must be the header `label<TAB>reply<TAB>category`, not `{}`",
                    detail::utf8_head(line, 60)),
                "add the header line; " + std::string(kFormatHint));
        continue;
      }
      row(line, start, static_cast<std::uint32_t>(line_no));
    }
    if (out_.rows.empty() && out_.ok())
      error({file_, 0, 0}, Code::empty_document, "the evaluation set has no labelled replies",
            "add lines after the header: " + std::string(kFormatHint));
  }

 private:
  static bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t") == std::string_view::npos;
  }

  SourceLocation locate(std::size_t offset) const { return detail::locate(file_, text_, offset); }

  void error(SourceLocation where, Code code, std::string message, std::string hint) {
    out_.diagnostics.push_back(
        error_at(std::move(where), code, std::move(message), std::move(hint)));
  }

  static bool is_label(std::string_view s) {
    if (s.empty() || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z'))) return false;
    for (char c : s)
      if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    return true;
  }

  static std::vector<std::string> split_categories(std::string_view s) {
    std::vector<std::string> out;
    for (std::size_t pos = 0; pos <= s.size();) {
      std::size_t comma = s.find(',', pos);
      if (comma == std::string_view::npos) comma = s.size();
      std::string_view c = s.substr(pos, comma - pos);
      while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
      while (!c.empty() && c.back() == ' ') c.remove_suffix(1);
      if (!c.empty()) out.emplace_back(c);
      pos = comma + 1;
    }
    return out;
  }

  void row(std::string_view line, std::size_t start, std::uint32_t line_no) {
    std::string_view cols[3];
    std::size_t offsets[3] = {};
    std::size_t n = 0, pos = 0;
    for (; n < 3; ++n) {
      const std::size_t tab = line.find('\t', pos);
      offsets[n] = pos;
      cols[n] =
          line.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos);
      if (tab == std::string_view::npos) {
        ++n;
        break;
      }
      pos = tab + 1;
      if (n == 2) {
        error(locate(start + tab), Code::invalid_value,
              "a fourth column; a reply may not contain a tab", std::string(kFormatHint));
        return;
      }
    }
    const char* names[3] = {"label", "reply", "category"};
    for (std::size_t i = n; i < 3; ++i) {
      error(locate(start + line.size()), Code::missing_key,
            fmt::format("the {} column is missing", names[i]), std::string(kFormatHint));
      return;
    }
    if (!is_label(cols[0])) {
      error(locate(start), Code::invalid_value,
            fmt::format("`{}` is not a label: an intent name (a-z, 0-9, _) or `none`",
                        detail::utf8_head(cols[0], 60)),
            std::string(kFormatHint));
      return;
    }
    if (is_blank(cols[1]) || is_blank(cols[2])) {
      const std::size_t i = is_blank(cols[1]) ? 1 : 2;
      error(locate(start + offsets[i]), Code::missing_key,
            fmt::format("the {} column is empty", names[i]),
            "write what the customer said, and one or more categories separated by commas");
      return;
    }
    if (cols[1].size() > opt_.max_reply_bytes) {
      error(locate(start + offsets[1]), Code::text_too_long,
            fmt::format("the reply is {} bytes, over the limit of {}", cols[1].size(),
                        opt_.max_reply_bytes),
            "split it: a reply is one customer turn");
      return;
    }
    EvalRow r;
    r.label = std::string(cols[0]);
    r.reply = std::string(cols[1]);
    r.categories = split_categories(cols[2]);
    r.where = {file_, line_no, 1};
    r.reply_column = locate(start + offsets[1]).column;
    out_.rows.push_back(std::move(r));
  }

  std::string_view text_;
  std::string file_;
  const EvalReadOptions& opt_;
  EvalSet& out_;
};

}  // namespace

EvalSet read_eval_string(std::string_view text, std::string file, const EvalReadOptions& options) {
  EvalSet out;
  const detail::SourceLimits limits{options.max_file_bytes};
  std::string_view checked;
  if (!detail::check_source(text, file, limits, kEvalWords, checked, out.diagnostics)) return out;
  Reader(checked, std::move(file), options, out).run();
  return out;
}

EvalSet read_eval_file(const std::string& path, const EvalReadOptions& options) {
  EvalSet out;
  std::string text;
  if (!detail::read_source(path, {options.max_file_bytes}, kEvalWords, text, out.diagnostics))
    return out;
  return read_eval_string(text, path, options);
}

}  // namespace patter
