// Graphviz output: escaping, truncation, styles, options, and that `dot`
// itself accepts what we write.
#include "patter/dot.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "patter/loader.hpp"
#include "text/utf8.hpp"

namespace {

std::string dump(const std::vector<patter::Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += patter::format(d) + '\n';
  return out;
}

std::shared_ptr<const patter::Script> load(std::string_view yaml) {
  auto r = patter::load_string(yaml, "dot.yaml");
  EXPECT_TRUE(r.ok()) << dump(r.diagnostics);
  return r.script;
}

/// The statement that declares node `quoted_id` (as it appears in the DOT).
std::string line_of(const std::string& dot, const std::string& prefix) {
  std::istringstream in(dot);
  for (std::string line; std::getline(in, line);)
    if (line.find(prefix) != std::string::npos) return line;
  return {};
}

bool contains(const std::string& hay, std::string_view needle) {
  return hay.find(needle) != std::string::npos;
}

constexpr std::string_view kBasic = R"(patter: 1
id: basic
version: "3"
locale: en-US
intents:
  yes: [yes, sure]
  maybe: [maybe]
  no: [no, nope]
  human: [real person]
  price: [how much]
  stop: [stop calling]
  angry: [this is outrageous]
  complain: [complaint]
variables:
  score_floor: {type: number, default: "3"}
globals:
  - {intent: price, say: "It is free"}
  - {intent: human, goto: agent}
  - {intent: stop, hangup: opt_out}
  - {intent: [angry, complain], escalate: complaint}
limits:
  close: bye
  escalate_score: 30
  escalate_node: agent
start: start
nodes:
  start:
    say: ["Hello, this is a rather long opening line that goes on", "Second phrasing"]
    routes:
      - {intent: [yes, maybe], to: pitch}
      - {intent: no, to: bye, when: "score >= score_floor"}
      - {key: "1", to: agent}
      - {intent: any, to: pitch}
    no_match: {retries: 1, then: bye, long_reply: agent}
    no_input: {retries: 1, then: bye}
  pitch:
    say: "Here is the offer"
    next: agent
  agent:
    say: "Connecting you"
    escalate: interested
  bye:
    say: "Goodbye"
    hangup: not_interested
)";

TEST(Dot, HeaderNamesTheScript) {
  auto s = load(kBasic);
  ASSERT_TRUE(s);
  const std::string dot = patter::to_dot(*s);
  EXPECT_TRUE(dot.starts_with("digraph \"basic\" {\n")) << dot;
  EXPECT_TRUE(contains(dot, "rankdir=LR;"));
  EXPECT_TRUE(contains(dot, "label=\"basic v3 (en-US)\";")) << dot;
  EXPECT_TRUE(dot.ends_with("}\n"));
}

TEST(Dot, NodeStylesFollowTheirKind) {
  auto s = load(kBasic);
  ASSERT_TRUE(s);
  const std::string dot = patter::to_dot(*s);
  const std::string start = line_of(dot, "  \"start\" [");
  EXPECT_TRUE(contains(start, "shape=box")) << start;
  EXPECT_TRUE(contains(start, "bold")) << start;
  EXPECT_TRUE(contains(start, "penwidth=2")) << start;

  const std::string pitch = line_of(dot, "  \"pitch\" [");
  EXPECT_TRUE(contains(pitch, "shape=ellipse")) << pitch;
  EXPECT_FALSE(contains(pitch, "penwidth")) << pitch;

  const std::string bye = line_of(dot, "  \"bye\" [");
  EXPECT_TRUE(contains(bye, "shape=octagon")) << bye;
  EXPECT_TRUE(contains(bye, "color=red")) << bye;
  EXPECT_TRUE(contains(bye, "not_interested")) << bye;

  const std::string agent = line_of(dot, "  \"agent\" [");
  EXPECT_TRUE(contains(agent, "shape=doubleoctagon")) << agent;
  EXPECT_TRUE(contains(agent, "color=green")) << agent;
  EXPECT_TRUE(contains(agent, "interested")) << agent;
}

TEST(Dot, LabelShowsNameAndFirstPhrasing) {
  auto s = load(kBasic);
  ASSERT_TRUE(s);
  patter::DotOptions o;
  o.max_label_chars = 100;
  const std::string dot = patter::to_dot(*s, o);
  EXPECT_TRUE(
      contains(dot, "label=\"start\\nHello, this is a rather long opening line that goes on\""))
      << dot;
  EXPECT_FALSE(contains(dot, "Second phrasing"));
}

TEST(Dot, EdgesAreLabelled) {
  auto s = load(kBasic);
  ASSERT_TRUE(s);
  const std::string dot = patter::to_dot(*s);
  EXPECT_TRUE(contains(dot, "\"start\" -> \"pitch\" [label=\"yes | maybe\"];")) << dot;
  EXPECT_TRUE(contains(dot, "\"start\" -> \"bye\" [label=\"no\\n[score >= score_floor]\"];"))
      << dot;
  EXPECT_TRUE(contains(dot, "\"start\" -> \"agent\" [label=\"key 1\"];")) << dot;
  EXPECT_TRUE(contains(dot, "\"start\" -> \"pitch\" [label=\"any\"];")) << dot;
  EXPECT_TRUE(contains(dot, "\"pitch\" -> \"agent\";")) << dot;
  EXPECT_TRUE(contains(dot, "\"start\" -> \"bye\" [style=dashed, label=\"no match\"];")) << dot;
  EXPECT_TRUE(contains(dot, "\"start\" -> \"bye\" [style=dashed, label=\"silence\"];")) << dot;
  EXPECT_TRUE(contains(dot, "\"start\" -> \"agent\" [style=dashed, label=\"long reply\"];")) << dot;
}

TEST(Dot, GlobalsHaveAClusterOfTheirOwn) {
  auto s = load(kBasic);
  ASSERT_TRUE(s);
  const std::string dot = patter::to_dot(*s);
  ASSERT_TRUE(contains(dot, "subgraph cluster_globals {")) << dot;
  EXPECT_TRUE(contains(dot, "[shape=box, label=\"price\\nresume\"];")) << dot;
  EXPECT_TRUE(contains(dot, "[shape=box, label=\"human\\ngoto agent\"];")) << dot;
  EXPECT_TRUE(contains(dot, "[shape=box, label=\"stop\\nhang up: opt_out\"];")) << dot;
  EXPECT_TRUE(contains(dot, "[shape=box, label=\"angry | complain\\nescalate: complaint\"];"))
      << dot;
  EXPECT_TRUE(contains(dot, "\"global 2\" -> \"agent\" [style=dotted];")) << dot;
  EXPECT_TRUE(contains(dot, "\"limits\" -> \"bye\" [style=dotted, label=\"close\"];")) << dot;
  EXPECT_TRUE(contains(dot, "\"limits\" -> \"agent\" [style=dotted, label=\"score >= 30\"];"))
      << dot;
  // Handlers that do not jump have no edge.
  EXPECT_FALSE(contains(dot, "\"global 1\" ->")) << dot;
}

TEST(Dot, OptionsTurnPartsOff) {
  auto s = load(kBasic);
  ASSERT_TRUE(s);
  patter::DotOptions o;
  o.show_globals = false;
  o.show_fallbacks = false;
  o.max_label_chars = 0;
  const std::string dot = patter::to_dot(*s, o);
  EXPECT_FALSE(contains(dot, "cluster_globals")) << dot;
  EXPECT_FALSE(contains(dot, "global 1")) << dot;
  EXPECT_FALSE(contains(dot, "dashed")) << dot;
  EXPECT_FALSE(contains(dot, "no match")) << dot;
  EXPECT_FALSE(contains(dot, "dotted")) << dot;
  EXPECT_FALSE(contains(dot, "Hello")) << dot;
  EXPECT_TRUE(contains(dot, "  \"pitch\" [label=\"pitch\", shape=ellipse];")) << dot;
  // Routes stay.
  EXPECT_TRUE(contains(dot, "\"start\" -> \"pitch\" [label=\"yes | maybe\"];")) << dot;
}

TEST(Dot, HandlerBoxesNeverTakeANodesName) {
  auto s = load(R"(patter: 1
id: clash
locale: en-US
intents:
  human: [real person]
limits:
  close: limits
globals:
  - {intent: human, goto: "global 1"}
start: "global 1"
nodes:
  "global 1":
    say: "Hi"
    routes:
      - {intent: any, to: limits}
  limits:
    say: "Bye"
    hangup: completed
)");
  ASSERT_TRUE(s);
  const std::string dot = patter::to_dot(*s);
  EXPECT_TRUE(contains(dot, "  \"global 1 (2)\" -> \"global 1\" [style=dotted];")) << dot;
  EXPECT_TRUE(contains(dot, "  \"limits (2)\" -> \"limits\" [style=dotted, label=\"close\"];"))
      << dot;
}

std::string one_node(std::string_view say) {
  return "patter: 1\nid: cut\nlocale: zh-CN\nstart: n\nnodes:\n  n:\n    say: \"" +
         std::string(say) + "\"\n    hangup: completed\n";
}

TEST(Dot, TruncatesAtCodePoints) {
  struct Case {
    std::string_view say;
    std::size_t max;
    std::string_view shown;
  } cases[] = {
      {"你好，请问是王先生吗？", 5, "你好，请…"},
      {"😀😁😂🤣😃😄", 3, "😀😁…"},
      {"é👍中a", 4, "é👍中a"},  // fits exactly: no ellipsis
      {"é👍中ab", 4, "é👍中…"},
      {"Hello   there,\\n  friend", 100, "Hello there, friend"},  // runs of space squeezed
      {"abc def", 5, "abc…"},                                     // no space before the ellipsis
      {"abcdef", 1, "…"},
  };
  for (const auto& c : cases) {
    auto s = load(one_node(c.say));
    ASSERT_TRUE(s) << c.say;
    patter::DotOptions o;
    o.max_label_chars = c.max;
    const std::string dot = patter::to_dot(*s, o);
    EXPECT_EQ(patter::detail::find_invalid_utf8(dot), std::string_view::npos) << c.say;
    const std::string expected =
        "label=\"n\\n" + std::string(c.shown) + "\\n(hang up: completed)\"";
    EXPECT_TRUE(contains(dot, expected)) << c.say << "\n" << dot;
  }
}

constexpr std::string_view kTricky = R"(patter: 1
id: 'tricky "id" \ 名字'
version: "1.0-\"beta\""
locale: zh-CN
intents:
  yes: [是, 好的]
  no: [不, 不要]
  ask: [你是谁]
globals:
  - {intent: ask, goto: "back\\slash\\"}
start: 'say "hi"'
nodes:
  'say "hi"':
    say: "您好 \"王先生\"，\n我是 {who} \\ 这是一行很长很长的话术😀😀😀"
    routes:
      - {intent: yes, to: "back\\slash\\", when: "who == 'a\"b'"}
      - {intent: no, to: "结束 🎉"}
    no_match: {retries: 1, then: "结束 🎉"}
  "back\\slash\\":
    say: "line one\r\nline two\ttab \\N \\G \\l"
    next: "多行\n名字"
  "多行\n名字":
    say: "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"
    escalate: interested
  "结束 🎉":
    say: "再见"
    hangup: not_interested
variables:
  who: {default: "小王"}
)";

TEST(Dot, EscapesAuthorsText) {
  auto s = load(kTricky);
  ASSERT_TRUE(s);
  const std::string dot = patter::to_dot(*s);
  EXPECT_TRUE(dot.starts_with("digraph \"tricky \\\"id\\\" \\\\ 名字\" {")) << dot;
  EXPECT_TRUE(contains(dot, "  \"say \\\"hi\\\"\" [")) << dot;
  EXPECT_TRUE(contains(dot, "  \"back\\\\slash\\\\\" [")) << dot;
  EXPECT_TRUE(contains(dot, "  \"多行\\n名字\" [")) << dot;
  EXPECT_TRUE(contains(dot, "\"结束 🎉\"")) << dot;
  EXPECT_TRUE(contains(dot, "label=\"yes\\n[who == 'a\\\"b']\"")) << dot;
  EXPECT_EQ(patter::detail::find_invalid_utf8(dot), std::string_view::npos);
  // No raw control characters: a line break inside a string is always `\n`.
  for (char c : dot) EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20) << int(c);
  std::istringstream in(dot);
  for (std::string line; std::getline(in, line);) {
    // Every line has balanced quotes once escapes are skipped.
    bool open = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\' && open)
        ++i;
      else if (line[i] == '"')
        open = !open;
    }
    EXPECT_FALSE(open) << line;
  }
}

TEST(Dot, GraphvizAcceptsIt) {
  if (std::system("command -v dot >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "Graphviz `dot` not installed";
  std::string pattern =
      (std::filesystem::temp_directory_path() / "patter_dot_test_XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const std::filesystem::path dir = pattern;
  int n = 0;
  for (std::string_view yaml : {kTricky, kBasic}) {
    auto s = load(yaml);
    ASSERT_TRUE(s);
    for (bool all : {true, false}) {
      patter::DotOptions o;
      o.show_globals = o.show_fallbacks = all;
      o.max_label_chars = all ? 24 : 3;
      std::string stem = "g";  // not `"g" + to_string(..)`: GCC 12 warns falsely (-Wrestrict)
      stem += std::to_string(++n);
      auto in = dir / stem, err = dir / stem;
      in += ".dot";
      err += ".err";
      std::ofstream(in, std::ios::binary) << patter::to_dot(*s, o);
      const std::string cmd = "dot -Tsvg '" + in.string() + "' -o '" + (dir / "out.svg").string() +
                              "' 2>'" + err.string() + "'";
      EXPECT_EQ(std::system(cmd.c_str()), 0) << in;
      std::ifstream e(err);
      const std::string messages((std::istreambuf_iterator<char>(e)),
                                 std::istreambuf_iterator<char>());
      EXPECT_EQ(messages, "") << in;  // not even a warning
      EXPECT_GT(std::filesystem::file_size(dir / "out.svg"), 0u);
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
