// The budget on what a document expands to, every `*alias` written out:
// refused while the YAML is read (P008 for bytes, P006 for elements), by
// both readers, at the alias that went past it.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <string>

#include "yaml/fast_yaml.hpp"
#include "yaml/yaml_tree.hpp"

namespace {

using patter::detail::YamlError;
using patter::detail::YamlTree;

// One long phrase, repeated ten times a level through nested aliases:
// `levels` levels stand for phrase * 10^levels bytes.
std::string laughs(std::size_t phrase_bytes, int levels) {
  std::string text = "patter: 1\nid: laughs\nlocale: en-US\nstart: a\nintents:\n";
  text += "  p0: &p0 [\"" + std::string(phrase_bytes, 'x') + "\"]\n";
  for (int l = 1; l <= levels; ++l) {
    const std::string prev = "*p" + std::to_string(l - 1);
    text += "  p" + std::to_string(l) + ": &p" + std::to_string(l) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + prev;
    text += "]\n";
  }
  text += "nodes:\n  a: {say: hi, hangup: completed}\n";
  return text;
}

std::string dump(const patter::LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += patter::format(d) + "\n";
  return out;
}

TEST(AliasExpansion, A64KiBBombIsRefusedAtTheAliasThatCrossedTheBudget) {
  const std::string text = laughs(64'000, 9);  // 64 KB that stand for 64 TB
  ASSERT_LT(text.size(), 65'536u);
  const patter::LoadResult r = patter::load_string(text, "laughs.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  const patter::Diagnostic& d = r.diagnostics[0];
  EXPECT_EQ(d.code, patter::Code::expands_too_large);
  EXPECT_EQ(patter::code_name(d.code), "P008");
  // p0 to p2 stand for some 7.1 MB, each `*p2` for 6.4 MB more: the tenth
  // alias of p3 (line 9, column 12 + 9 * 5) goes past 64 MiB.
  EXPECT_EQ(d.where.file, "laughs.yaml");
  EXPECT_EQ(d.where.line, 9u);
  EXPECT_EQ(d.where.column, 57u);
  EXPECT_NE(d.message.find("67108864 bytes"), std::string::npos) << d.message;
  EXPECT_NE(d.hint.find("max_expanded_bytes"), std::string::npos) << d.hint;
}

TEST(AliasExpansion, A154KiBBombIsRefusedNotThrown) {
  const std::string text = laughs(154'000, 12);
  patter::LoadResult r;
  ASSERT_NO_THROW(r = patter::load_string(text, "laughs.yaml"));
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].code, patter::Code::expands_too_large);
}

TEST(AliasExpansion, BothReadersKeepTheBudget) {
  const std::string text = laughs(1000, 4);  // 10 MB
  YamlTree fast, ref;
  YamlError err;
  EXPECT_TRUE(patter::detail::fast_parse_yaml(text, 32, 2'000'000, fast, 20'000'000));
  EXPECT_FALSE(patter::detail::fast_parse_yaml(text, 32, 2'000'000, fast, 5'000'000));
  EXPECT_TRUE(ref.parse_with_yaml_cpp(text, 32, 2'000'000, err, 20'000'000));
  ASSERT_FALSE(ref.parse_with_yaml_cpp(text, 32, 2'000'000, err, 5'000'000));
  EXPECT_EQ(err.kind, YamlError::Kind::too_large);
  EXPECT_EQ(err.line, 10u);  // in p4: p3 alone stands for 1 MB
  // Elements count what aliases stand for too: 11,111 phrases and lists.
  EXPECT_FALSE(patter::detail::fast_parse_yaml(text, 32, 10'000, fast));
  ASSERT_FALSE(ref.parse_with_yaml_cpp(text, 32, 10'000, err));
  EXPECT_EQ(err.kind, YamlError::Kind::too_many);
  EXPECT_EQ(err.line, 10u);
}

TEST(AliasExpansion, TheBudgetIsALoadOption) {
  const std::string text = laughs(1000, 3);  // 1 MB, aliases and all
  patter::LoadOptions tight;
  tight.max_expanded_bytes = 500'000;
  const patter::LoadResult refused = patter::load_string(text, "l.yaml", tight);
  ASSERT_EQ(refused.diagnostics.size(), 1u) << dump(refused);
  EXPECT_EQ(refused.diagnostics[0].code, patter::Code::expands_too_large);
  EXPECT_EQ(refused.diagnostics[0].where.line, 9u);
  // Within the budget the aliases are read; the phrase lists then fail as
  // what they are (lists of lists), which is the reader's business.
  const patter::LoadResult read = patter::load_string(text, "l.yaml");
  for (const auto& d : read.diagnostics) EXPECT_NE(d.code, patter::Code::expands_too_large);
}

TEST(AliasExpansion, AnAliasInsideItsOwnAnchorStops) {
  // A cycle: each use doubles what the list stands for, until the budget.
  std::string text = "a: &a [x, [*a, *a, *a, *a, *a, *a, *a, *a]]\n";
  YamlTree tree;
  YamlError err;
  EXPECT_FALSE(tree.parse_with_yaml_cpp(text, 32, 2'000'000, err, 1'000));
  EXPECT_NE(err.kind, YamlError::Kind::syntax);
  patter::LoadOptions none;
  none.max_expanded_bytes = static_cast<std::size_t>(-1);
  none.max_elements = static_cast<std::size_t>(-1);
  const patter::LoadResult r = patter::load_string("patter: 1\n" + text, "cycle.yaml", none);
  EXPECT_FALSE(r.ok());  // saturates rather than wraps; the walk's own budget ends it
}

}  // namespace
