// The YAML reading layer every reader shares: checking a source's bytes,
// parsing it, and reading typed values out of the tree with one kind of
// diagnostic for each problem.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "yaml/reader.hpp"
#include "yaml/source.hpp"

namespace fs = std::filesystem;
using patter::Code;
using patter::Diagnostic;
using patter::detail::SourceKind;
using patter::detail::SourceLimits;
using patter::detail::YamlNode;
using patter::detail::YamlReader;
using patter::detail::YamlTree;

namespace {

// A tree of `yaml` (which must parse) and a reader over it.
struct Doc {
  explicit Doc(std::string yaml, std::size_t max_visits = 1'000'000) : text(std::move(yaml)) {
    const bool ok =
        patter::detail::parse_yaml(text, "d.yaml", SourceLimits{}, SourceKind{}, tree, diags);
    EXPECT_TRUE(ok) << (diags.empty() ? "" : patter::format(diags[0]));
    reader.emplace(tree, "d.yaml", diags, max_visits);
  }
  const YamlNode& root() const { return tree.root(); }
  const YamlNode& value(std::uint32_t i) const { return tree.child(root(), 2 * i + 1); }
  std::string first() const { return diags.empty() ? "" : patter::format(diags[0]); }

  std::string text;
  YamlTree tree;
  std::vector<Diagnostic> diags;
  std::optional<YamlReader> reader;
};

fs::path temp_file(const std::string& name, const std::string& content) {
  const fs::path p = fs::temp_directory_path() / ("patter_yaml_reader_" + name);
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

}  // namespace

TEST(YamlReader, KeysOutsideTheAllowedListAreNamedWithASuggestion) {
  Doc d("listen_sm: 5\nsay: hi\n");
  std::vector<std::string> read;
  d.reader->each_key(
      d.root(), "node `a`", {"say", "listen_ms"},
      [&](std::string_view key, const YamlNode&, const YamlNode&) { read.emplace_back(key); });
  EXPECT_EQ(read, std::vector<std::string>{"say"});
  EXPECT_EQ(
      d.first(),
      "d.yaml:1:1: error[P010]: unknown key `listen_sm` in node `a`; did you mean `listen_ms`?");

  Doc far("zzz: 1\n");
  far.reader->each_key(far.root(), "a case", {"name", "turns"}, [](auto, auto&, auto&) {});
  EXPECT_EQ(far.diags.at(0).hint, "allowed here: name, turns");
}

TEST(YamlReader, DuplicateAndNonWordKeysAreReportedOnce) {
  Doc d("a: 1\na: 2\n[x]: 3\nb: 4\n");
  int calls = 0;
  d.reader->each_pair(d.root(), "a persona file", [&](auto, auto&, auto&) { ++calls; });
  EXPECT_EQ(calls, 2);
  ASSERT_EQ(d.diags.size(), 2u);
  EXPECT_EQ(patter::format(d.diags[0]),
            "d.yaml:2:1: error[P013]: `a` appears twice in a persona file; keep one of them");
  EXPECT_EQ(d.diags[1].code, Code::wrong_type);
  EXPECT_EQ(d.diags[1].message, "a key in a persona file must be a plain word, not a list");
  EXPECT_EQ(d.diags[1].where.line, 3u);
}

TEST(YamlReader, MapsAndListsSayWhatShapeWasExpected) {
  Doc d("m: 1\nl: 2\n");
  EXPECT_FALSE(
      d.reader->is_map(d.value(0), "`variables`", "a variable and its values", "e.g. `{a: [1]}`"));
  EXPECT_FALSE(d.reader->is_list(d.value(1), "`rules`", "`- grade: A`"));
  EXPECT_FALSE(d.reader->is_map(d.value(1), "`settings`"));
  ASSERT_EQ(d.diags.size(), 3u);
  EXPECT_EQ(patter::format(d.diags[0]),
            "d.yaml:1:4: error[P011]: `variables` must be a map: a variable and its values; e.g. "
            "`{a: [1]}`");
  EXPECT_EQ(d.diags[1].message, "`rules` must be a list (`- grade: A`), not a single value");
  EXPECT_EQ(d.diags[2].message,
            "`settings` must be a map of `key: value` lines, not a single value");
}

TEST(YamlReader, TextAndListsOfText) {
  Doc d("one: hi\nmany: [a, b]\nbad: {x: 1}\nmixed: [a, [b]]\n");
  std::vector<std::string> out;
  d.reader->strings(d.value(0), "`tags`", out);
  d.reader->strings(d.value(1), "`tags`", out);
  EXPECT_EQ(out, (std::vector<std::string>{"hi", "a", "b"}));
  d.reader->strings(d.value(2), "`tags`", out);
  d.reader->strings(d.value(3), "`tags`", out);
  EXPECT_EQ(out.back(), "a");
  ASSERT_EQ(d.diags.size(), 2u);
  EXPECT_EQ(d.diags[0].message, "`tags` must be text or a list, not a map");
  EXPECT_EQ(d.diags[1].message, "`tags` must be text, not a list");
  EXPECT_EQ(d.diags[1].where.column, 12u);
}

TEST(YamlReader, NumbersAreBoundedAndSayWhy) {
  Doc d("a: 0.5\nb: \"3\"\nc: lots\nd: 1.5\ne: +2\nf: 7\ng: 2.5\n");
  YamlReader& r = *d.reader;
  double v = 0;
  EXPECT_TRUE(r.number(d.value(0), "`answer`", v, 0, 1));
  EXPECT_EQ(v, 0.5);
  EXPECT_FALSE(r.number(d.value(1), "`answer`", v, 0, 1));
  EXPECT_FALSE(r.number(d.value(2), "`answer`", v, 0, 1));
  EXPECT_FALSE(r.number(d.value(3), "`answer`", v, 0, 1, "most customers answer"));
  EXPECT_TRUE(r.number(d.value(4), "`answer`", v, 0, 5));
  EXPECT_EQ(v, 2);
  long long n = 0;
  EXPECT_FALSE(r.integer(d.value(5), "`retries`", n, 0, 3));
  EXPECT_FALSE(r.integer(d.value(6), "`retries`", n, 0, 3));
  ASSERT_EQ(d.diags.size(), 5u);
  EXPECT_EQ(d.diags[0].code, Code::wrong_type);
  EXPECT_EQ(d.diags[0].message, "`answer` must be a number, not quoted text");
  EXPECT_EQ(d.diags[1].message, "`answer` must be a number like 10 or -5, not `lots`");
  EXPECT_EQ(patter::format(d.diags[2]),
            "d.yaml:4:4: error[P014]: `answer` is 1.5, outside 0..1; most customers answer");
  EXPECT_EQ(d.diags[3].code, Code::invalid_value);
  EXPECT_EQ(d.diags[3].message, "`retries` is 7, outside 0..3");
  EXPECT_EQ(d.diags[4].message, "`retries` must be a whole number, not `2.5`");
}

TEST(YamlReader, BooleansAndChoices) {
  Doc d("a: yes\nb: maybe\nc: rout\nd: loud\n");
  YamlReader& r = *d.reader;
  bool b = false;
  EXPECT_TRUE(r.boolean(d.value(0), "`barge_in`", b));
  EXPECT_TRUE(b);
  EXPECT_FALSE(r.boolean(d.value(1), "`barge_in`", b));
  const std::vector<std::string_view> ways = {"route", "hangup"};
  std::string s;
  EXPECT_FALSE(r.choice(d.value(2), "decision", ways, s, "a valid "));
  EXPECT_FALSE(r.choice(d.value(3), "a decision", ways, s));
  ASSERT_EQ(d.diags.size(), 3u);
  EXPECT_EQ(d.diags[0].message, "`barge_in` must be true or false, not `maybe`");
  EXPECT_EQ(patter::format(d.diags[1]),
            "d.yaml:3:4: error[P014]: `rout` is not a valid decision; did you mean `route`?");
  EXPECT_EQ(d.diags[2].message, "`loud` is not a decision");
  EXPECT_EQ(d.diags[2].hint, "use one of: route, hangup");
}

TEST(YamlReader, AWalkPastItsBudgetStops) {
  Doc d("a: &x [1, 2, 3]\nb: *x\nc: *x\n", 4);
  std::vector<std::string> out;
  EXPECT_THROW(
      d.reader->each_pair(d.root(), "it",
                          [&](auto, auto&, const YamlNode& v) { d.reader->strings(v, "it", out); }),
      patter::detail::YamlBudget);
  ASSERT_NE(d.reader->last(), nullptr);
}

TEST(YamlSource, ParseProblemsUseTheWordsOfTheirKindOfFile) {
  SourceKind kind;
  kind.empty_hint = "start with `cases:`";
  kind.deep_hint = "flatten it";
  kind.syntax_hint_at = [](std::string_view, std::uint32_t line) {
    return "look at line " + std::to_string(line);
  };
  SourceLimits limits;
  limits.max_depth = 3;
  auto parse = [&](std::string_view text) {
    std::vector<Diagnostic> out;
    YamlTree tree;
    EXPECT_FALSE(patter::detail::parse_yaml(text, "t.yaml", limits, kind, tree, out));
    return out.at(0);
  };
  const Diagnostic empty = parse("# nothing\n");
  EXPECT_EQ(patter::format(empty), "t.yaml: error[P007]: the file is empty; start with `cases:`");
  const Diagnostic deep = parse("a: [[[[1]]]]\n");
  EXPECT_EQ(deep.code, Code::nesting_too_deep);
  EXPECT_EQ(deep.hint, "flatten it");
  limits.max_elements = 5;
  EXPECT_EQ(parse("[1, 2, 3, 4, 5, 6, 7]\n").code, Code::too_many_elements);
  limits.max_elements = 100;
  const Diagnostic syntax = parse("a: [1,\nb: 2\n  c: 3\n");
  EXPECT_EQ(syntax.code, Code::yaml_syntax);
  EXPECT_EQ(syntax.hint, "look at line " + std::to_string(syntax.where.line));
}

TEST(YamlSource, TheBytesAreCheckedTheSameWayForEveryFile) {
  SourceKind yaml;
  yaml.control_where = " in a script";
  SourceKind tabular;
  tabular.yaml = false;
  SourceLimits limits;
  limits.max_file_bytes = 64;
  std::vector<Diagnostic> out;
  std::string_view checked;
  // A byte-order mark is dropped; columns count characters.
  EXPECT_TRUE(
      patter::detail::check_source("\xEF\xBB\xBFok: 1\n", "s.yaml", limits, yaml, checked, out));
  EXPECT_EQ(checked, "ok: 1\n");
  EXPECT_FALSE(patter::detail::check_source("a: 中\xFF\n", "s.yaml", limits, yaml, checked, out));
  EXPECT_EQ(patter::format(out.back()),
            "s.yaml:1:5: error[P003]: byte 0xFF is not valid UTF-8; save the file as UTF-8");
  EXPECT_FALSE(patter::detail::check_source("a: \x01\n", "s.yaml", limits, yaml, checked, out));
  EXPECT_EQ(out.back().message, "control character U+0001 is not allowed in a script");
  EXPECT_EQ(out.back().code, Code::yaml_syntax);
  EXPECT_TRUE(patter::detail::check_source("a\t\x01\n", "e.tsv", limits, tabular, checked, out));
  EXPECT_FALSE(
      patter::detail::check_source(std::string(65, 'a'), "s.yaml", limits, yaml, checked, out));
  EXPECT_EQ(out.back().message, "the file is 65 bytes, over the limit of 64");
  EXPECT_EQ(out.size(), 3u);
}

TEST(YamlSource, FilesAreRefusedBeforeReadingWhenTooLargeOrUnreadable) {
  SourceKind kind;
  kind.noun = "the evaluation set";
  kind.unreadable = "the evaluation set ";
  kind.too_large_hint = "split it";
  SourceLimits limits;
  limits.max_file_bytes = 10;
  std::vector<Diagnostic> out;
  std::string text;
  const fs::path small = temp_file("small", "0123456789");
  EXPECT_TRUE(patter::detail::read_source(small.string(), limits, kind, text, out));
  EXPECT_EQ(text, "0123456789");
  const fs::path big = temp_file("big", "0123456789A");
  EXPECT_FALSE(patter::detail::read_source(big.string(), limits, kind, text, out));
  EXPECT_EQ(patter::format(out.back()),
            big.string() +
                ": error[P002]: the evaluation set is 11 bytes, over the limit of 10; split it");
  EXPECT_FALSE(patter::detail::read_source("/nonexistent/e.tsv", limits, kind, text, out));
  EXPECT_EQ(out.back().code, Code::io_error);
  EXPECT_EQ(out.back().message, "cannot read the evaluation set `/nonexistent/e.tsv`");
  EXPECT_FALSE(
      patter::detail::read_source(fs::temp_directory_path().string(), limits, kind, text, out));
  EXPECT_EQ(out.back().code, Code::io_error);
  fs::remove(small);
  fs::remove(big);
}
