// The fast YAML reader must build exactly the tree yaml-cpp builds, or
// decline. These tests compare the two on every YAML file in the
// repository and on snippets chosen to sit at the edges of the fast subset.
#include <gtest/gtest.h>
#include <patter/random.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "yaml/fast_yaml.hpp"
#include "yaml/yaml_tree.hpp"

namespace fs = std::filesystem;
using patter::detail::YamlNode;
using patter::detail::YamlTree;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void same(const YamlTree& a, const YamlNode& x, const YamlTree& b, const YamlNode& y,
          const std::string& path) {
  ASSERT_EQ(static_cast<int>(x.kind), static_cast<int>(y.kind)) << path;
  EXPECT_EQ(x.line, y.line) << path;
  EXPECT_EQ(x.column, y.column) << path;
  EXPECT_EQ(x.value, y.value) << path;
  EXPECT_EQ(x.quoted, y.quoted) << path;
  EXPECT_EQ(x.inner, y.inner) << path;
  ASSERT_EQ(x.size, y.size) << path;
  for (std::uint32_t i = 0; i < x.size; ++i)
    same(a, a.child(x, i), b, b.child(y, i), path + "/" + std::to_string(i));
}

// Returns whether the fast reader took the text; when it did, its tree must
// equal yaml-cpp's.
bool fast_matches_reference(const std::string& text) {
  YamlTree fast, ref;
  patter::detail::YamlError err;
  const bool took = patter::detail::fast_parse_yaml(text, 32, 2'000'000, fast);
  const bool ref_ok = ref.parse_with_yaml_cpp(text, 32, 2'000'000, err);
  if (!took) return false;
  EXPECT_TRUE(ref_ok) << "fast reader accepted what yaml-cpp rejects:\n"
                      << text << "\n"
                      << err.message;
  if (!ref_ok) return true;
  same(fast, fast.root(), ref, ref.root(), "");
  return true;
}

}  // namespace

TEST(YamlTree, FastReaderTakesEveryBundledFileAndAgreesWithYamlCpp) {
  int files = 0;
  for (const char* dir : {"examples/scripts", "examples/intents"}) {
    for (const auto& e : fs::directory_iterator(fs::path(PATTER_SOURCE_DIR) / dir)) {
      if (e.path().extension() != ".yaml") continue;
      SCOPED_TRACE(e.path().string());
      EXPECT_TRUE(fast_matches_reference(read(e.path())))
          << "bundled scripts must stay on the fast path";
      ++files;
    }
  }
  EXPECT_GE(files, 6);
}

TEST(YamlTree, FastReaderAgreesOnFixtures) {
  int taken = 0, files = 0;
  for (const auto& e : fs::directory_iterator(PATTER_FIXTURES_DIR)) {
    if (e.is_directory()) continue;
    SCOPED_TRACE(e.path().string());
    ++files;
    taken += fast_matches_reference(read(e.path()));
  }
  // Only the fixtures that are not YAML at all (bad bytes, bad syntax, too
  // deep, empty) go to yaml-cpp; the rest are compared.
  EXPECT_GE(taken, files - 5);
}

TEST(YamlTree, EdgesOfTheFastSubset) {
  // Each snippet is either taken and identical, or declined.
  const char* taken[] = {
      "a: 1\n",
      "a: 1",
      "---\na: 1\n...\n",
      "a:\n  b: c\n  d: [1, 'two', \"three\"]\n",
      "a:\n- x\n- y\nb: z\n",
      "a:\n  - {intent: yes, to: b}\n  - intent: [no, nope]\n    to: c\n",
      "- - a\n  - b\n- c\n",
      "a: ~\nb: null\nc:\nd: ''\n",
      "a: \"esc \\\" \\\\ \\n \\t \\u4f60 \\x41\"\n",
      "a: 'it''s'\n",
      "a: x # comment\n# whole line\nb: y#not comment\n",
      "a: &x [1, 2]\nb: *x\n",
      "a: [&q \"x\", *q]\nb: &r 'y'\n",  // an anchored quoted scalar sits at its `&`
      "a: &m\n  k: v\nb: *m\n",
      "key with spaces: value\n",
      "a: |\n  line one\n    indented\n\n  after blank\nb: 1\n",
      "a: |-\n  strip\n\n",
      "a: |+\n  keep\n\n\nb: 1\n",
      "a: >\n  folded\n  text\n\n  new paragraph\n",
      "a: >-\n  folded\n  stripped\n",
      "- |\n  in a list\n- >\n  folded in a list\n",
      "a: | # comment\n  text\n# trailing comment\nb: 2\n",
      "a: Hello? Can you hear me?\n",
      "a: |\nb: empty block\n",
      "x:\n  a:\ny: 1\n",
      "a: 1\nb:\n\n  \n# c\n",
      "- a:\n  b: 1\n",
      "a: 好的 # 注释\n中文键: 值\n",
      "a: [\n  1,\n  2\n]\n",
      "a: {b: {c: [d]}}\n",
      "\"quoted key\": 1\n'single': 2\n",
      "a: -1\nb: -x\nc: :x\n",
      "a:    spaced   \n",
      "a: 1\r\nb: 2\r\n",
      "a: {}\nb: []\n",
      "a: http://example.com/x\n",
      "  a: 1\n  b: 2\n",
  };
  for (const char* t : taken) EXPECT_TRUE(fast_matches_reference(t)) << t;

  const char* declined[] = {
      "a: value with: a colon\n",
      "a: |\n  block scalar ending the file without a line break",
      "a: [why? not]\n",
      "a: |2\n   explicit indentation\n",
      "a: >\n  folded\n    more indented\n",
      "a: !!str 1\n",
      "%YAML 1.2\n---\na: 1\n",
      "a: 1\n---\nb: 2\n",
      "a: multi\n  line plain\n",
      "a: \"multi\n  line\"\n",
      "? complex\n: key\n",
      "a: [1, 2,]\n",
      "a:\n\t b: 1\n",
      "a: b: c\n",
      "a: *undefined\n",
      "a: [b: c]\n",
      "{a: 1}: 2\n",
      "a: 1\n b: 2\n",
      "- a\nb: 1\n",
      "",
      "# only a comment\n",
  };
  for (const char* t : declined) {
    YamlTree tree;
    EXPECT_FALSE(patter::detail::fast_parse_yaml(t, 32, 2'000'000, tree)) << t;
  }
}

TEST(YamlTree, FastReaderRespectsLimits) {
  std::string deep = "a: ";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  YamlTree tree;
  EXPECT_FALSE(patter::detail::fast_parse_yaml(deep, 32, 2'000'000, tree));
  std::string many = "a: [";
  for (int i = 0; i < 1000; ++i) many += "x, ";
  many += "y]\n";
  EXPECT_FALSE(patter::detail::fast_parse_yaml(many, 32, 500, tree));
  EXPECT_TRUE(patter::detail::fast_parse_yaml(many, 32, 5000, tree));
}

// Mutated scripts (inserted YAML punctuation, deleted and replaced bytes,
// duplicated and truncated lines): whatever the fast reader accepts, yaml-cpp
// must read to the same tree. A fixed seed keeps the run repeatable.
TEST(YamlTree, FastReaderAgreesOnMutatedScripts) {
  std::vector<std::string> seeds;
  for (const auto& e : fs::directory_iterator(fs::path(PATTER_SOURCE_DIR) / "examples" / "scripts"))
    if (e.path().extension() == ".yaml") seeds.push_back(read(e.path()));
  ASSERT_FALSE(seeds.empty());
  std::sort(seeds.begin(), seeds.end());
  patter::Random rng(20261124);
  const char* tokens[] = {":",  " ", "\n",  "- ", "[",    "]",  "{",  "}",   ",",  "'",
                          "\"", "#", "&a ", "*a", "|",    ">",  "\t", "\\",  "  ", "---\n",
                          "~",  "?", "!",   "%",  "\r\n", "\r", ": ", "  - "};
  int taken = 0;
  for (int iter = 0; iter < 1500; ++iter) {
    std::string s = seeds[rng.next() % seeds.size()];
    const int mutations = 1 + static_cast<int>(rng.next() % 3);
    for (int m = 0; m < mutations && !s.empty(); ++m) {
      const std::size_t pos = rng.next() % s.size();
      switch (rng.next() % 5) {
        case 0: s.insert(pos, tokens[rng.next() % (sizeof tokens / sizeof *tokens)]); break;
        case 1: s.erase(pos, 1 + rng.next() % 8); break;
        case 2: s[pos] = static_cast<char>(0x20 + rng.next() % 95); break;
        case 3: {
          std::size_t from = s.rfind('\n', pos);
          from = from == std::string::npos ? 0 : from + 1;
          std::size_t to = s.find('\n', pos);
          if (to == std::string::npos) to = s.size();
          s.insert(from, s.substr(from, to - from) + "\n");
          break;
        }
        default: s.resize(pos); break;
      }
    }
    if (fast_matches_reference(s)) ++taken;
    if (HasFailure()) {
      ADD_FAILURE() << "first disagreement on:\n" << s;
      return;
    }
  }
  EXPECT_GT(taken, 100);  // the fast path is exercised, not bypassed
}
