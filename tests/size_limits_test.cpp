// What a script may hold (LoadOptions max_nodes ... max_tags): at a limit a
// script loads, one past it is refused at the first element past it, and a
// script past a limit is not compiled at all.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace {

std::string dump(const std::vector<patter::Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) s += patter::format(d) + "\n";
  return s;
}

const patter::Diagnostic* find(const patter::LoadResult& r, patter::Code c) {
  for (const auto& d : r.diagnostics)
    if (d.code == c) return &d;
  return nullptr;
}

// A script of `n` listening nodes in a row, each with `routes` routes, over
// `intents` intents of `phrases` phrases each.
std::string chain(int n, int routes = 1, int intents = 1, int phrases = 1) {
  std::string y = "patter: 1\nid: chain\nlocale: en-US\nintents:\n";
  for (int i = 0; i < intents; ++i) {
    y += "  i" + std::to_string(i) + ": [";
    for (int p = 0; p < phrases; ++p)
      y += (p ? ", w" : "w") + std::to_string(i) + "x" + std::to_string(p);
    y += "]\n";
  }
  y += "start: n0\nnodes:\n";
  for (int k = 0; k < n; ++k) {
    const std::string next = k + 1 < n ? "n" + std::to_string(k + 1) : "end";
    y += "  n" + std::to_string(k) + ":\n    say: hi\n    routes:\n";
    for (int r = 0; r < routes; ++r)
      y += "      - {intent: i" + std::to_string(r % intents) + ", to: " + next + "}\n";
  }
  y += "  end: {say: bye, hangup: completed}\n";
  return y;
}

patter::LoadResult load(const std::string& yaml, const patter::LoadOptions& o) {
  return patter::load_string(yaml, "limits.yaml", o);
}

}  // namespace

TEST(SizeLimits, DefaultsAreFarAboveTheBundledScripts) {
  const patter::LoadOptions defaults;
  for (const auto& e : std::filesystem::directory_iterator(PATTER_SOURCE_DIR "/examples/scripts")) {
    if (e.path().extension() != ".yaml") continue;
    SCOPED_TRACE(e.path().string());
    const auto r = patter::load_file(e.path().string());
    ASSERT_TRUE(r.ok()) << dump(r.diagnostics);
    const patter::Script& s = *r.script;
    std::size_t phrases = 0, patterns = 0, routes = 0;
    for (const auto& i : s.intents()) {
      phrases += i.phrases.size() + i.examples.size();
      patterns += i.patterns.size();
    }
    for (const auto& n : s.nodes()) routes = std::max(routes, n.routes.size());
    EXPECT_LT(s.nodes().size() * 100, defaults.max_nodes);
    EXPECT_LT(s.intents().size() * 100, defaults.max_intents);
    // Intent libraries grow with how people talk (the common ones hold about
    // 2,000 phrasings): 50 times the largest is still far from the limit.
    EXPECT_LT(phrases * 50, defaults.max_phrases);
    EXPECT_LT(patterns * 30, defaults.max_patterns);
    EXPECT_LT(s.variables().size() * 50, defaults.max_variables);
    EXPECT_LT(routes * 50, defaults.max_routes_per_node);
    EXPECT_LT(s.tags().size() * 100, defaults.max_tags);

    // Each limit lowered to exactly what the script has: it still loads.
    patter::LoadOptions tight;
    tight.max_nodes = s.nodes().size();
    tight.max_intents = s.intents().size();
    tight.max_phrases = phrases;
    tight.max_patterns = patterns;
    tight.max_variables = s.variables().size();
    tight.max_routes_per_node = routes;
    tight.max_tags = s.tags().size();
    const auto again = patter::load_file(e.path().string(), tight);
    EXPECT_TRUE(again.ok()) << dump(again.diagnostics);
  }
}

TEST(SizeLimits, OnePastTheLimitIsRefusedAtTheFirstElementPastIt) {
  patter::LoadOptions o;
  o.max_nodes = 4;  // n0..n2 and `end`
  const std::string y = chain(3);
  EXPECT_TRUE(load(y, o).ok()) << dump(load(y, o).diagnostics);
  o.max_nodes = 3;
  const auto r = load(y, o);
  EXPECT_FALSE(r.ok());
  const patter::Diagnostic* d = find(r, patter::Code::too_many_nodes);
  ASSERT_NE(d, nullptr) << dump(r.diagnostics);
  EXPECT_EQ(d->where.file, "limits.yaml");
  EXPECT_EQ(d->where.line, 20u);  // `  end: {...}`, the fourth node
  EXPECT_EQ(d->where.column, 3u);
  EXPECT_NE(d->message.find("4 nodes, over the limit of 3"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("`end`"), std::string::npos) << d->message;
  EXPECT_NE(d->hint.find("LoadOptions::max_nodes"), std::string::npos) << d->hint;
}

TEST(SizeLimits, EachCountHasItsOwnCode) {
  const std::string y = chain(2, /*routes=*/3, /*intents=*/3, /*phrases=*/4);
  ASSERT_TRUE(load(y, {}).ok()) << dump(load(y, {}).diagnostics);
  struct Case {
    std::size_t patter::LoadOptions::*option;
    std::size_t at_limit;
    patter::Code code;
  };
  const Case cases[] = {
      {&patter::LoadOptions::max_intents, 3, patter::Code::too_many_intents},
      {&patter::LoadOptions::max_phrases, 12, patter::Code::too_many_phrases},
      {&patter::LoadOptions::max_phrases_per_intent, 4, patter::Code::too_many_intent_phrases},
      {&patter::LoadOptions::max_routes_per_node, 3, patter::Code::too_many_routes},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(patter::code_name(c.code));
    patter::LoadOptions o;
    o.*c.option = c.at_limit;
    EXPECT_TRUE(load(y, o).ok());
    o.*c.option = c.at_limit - 1;
    const auto r = load(y, o);
    EXPECT_FALSE(r.ok());
    const patter::Diagnostic* d = find(r, c.code);
    ASSERT_NE(d, nullptr) << dump(r.diagnostics);
    EXPECT_GT(d->where.line, 0u);
    EXPECT_GT(d->where.column, 0u);
    // Only the limits are reported: the script past one is not compiled.
    for (const auto& other : r.diagnostics)
      EXPECT_GE(static_cast<int>(other.code), 50) << patter::format(other);
  }
}

TEST(SizeLimits, ExamplesCountAsPhrases) {
  const std::string y = R"(patter: 1
id: ex
locale: en-US
intents:
  price:
    phrases: [how much]
    examples: [what does it cost, is it expensive]
start: a
nodes:
  a:
    say: hi
    routes: [{intent: price, to: b}]
  b: {say: bye, hangup: completed}
)";
  patter::LoadOptions o;
  o.max_phrases_per_intent = 2;
  const auto r = load(y, o);
  const patter::Diagnostic* d = find(r, patter::Code::too_many_intent_phrases);
  ASSERT_NE(d, nullptr) << dump(r.diagnostics);
  EXPECT_EQ(d->where.line, 7u);
  EXPECT_EQ(d->where.column, 35u);  // `is it expensive`
  EXPECT_NE(d->message.find("intent `price` has 3 phrases and examples"), std::string::npos)
      << d->message;
}

TEST(SizeLimits, PhrasesPatternsAndLinesHaveALength) {
  const std::string phrase(4096, 'a');
  const std::string longer(4097, 'a');
  auto script = [](const std::string& p, const std::string& pattern, const std::string& line) {
    return "patter: 1\nid: len\nlocale: en-US\nintents:\n  yes:\n    phrases: [yes, " + p +
           "]\n    patterns: ['" + pattern + "']\nstart: a\nnodes:\n  a:\n    say: \"" + line +
           "\"\n    routes: [{intent: yes, to: b}]\n    no_match: {reprompts: [\"" + line +
           "\"]}\n  b: {say: bye, hangup: completed}\nglobals:\n  - {intent: yes, say: \"" + line +
           "\"}\n";
  };
  const std::string line(16384, 'x');
  const auto ok = load(script(phrase, "b" + std::string(4095, 'c'), line), {});
  EXPECT_TRUE(ok.ok()) << dump(ok.diagnostics);

  const auto r = load(script(longer, "b" + std::string(4096, 'c'), line + "x"), {});
  EXPECT_FALSE(r.ok());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> at;
  for (const auto& d : r.diagnostics) {
    EXPECT_EQ(d.code, patter::Code::text_too_long) << patter::format(d);
    at.emplace_back(d.where.line, d.where.column);
  }
  // The phrase, the pattern, then the node's line and re-prompt, then the handler's line.
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> expected = {
      {6, 20}, {7, 17}, {11, 11}, {13, 29}, {16, 25}};
  EXPECT_EQ(at, expected) << dump(r.diagnostics);
  EXPECT_NE(r.diagnostics[0].message.find("4097 bytes long, over the limit of 4096"),
            std::string::npos);
  EXPECT_NE(r.diagnostics[2].hint.find("LoadOptions::max_line_bytes"), std::string::npos);
}

TEST(SizeLimits, IncludedLibrariesCountAndAreNamed) {
  std::map<std::string, std::string> files = {
      {"main.yaml",
       "patter: 1\nid: main\nlocale: en-US\ninclude: [lib.yaml]\nintents:\n  yes: [yes]\nstart: a\n"
       "nodes:\n  a:\n    say: hi\n    routes: [{intent: no, to: b}]\n  b: {say: bye, hangup: "
       "completed}\n"},
      {"lib.yaml",
       "patter: 1\nlibrary: common\nlocale: en-US\nintents:\n  no: [no]\n  later: [later]\n"},
  };
  patter::LoadOptions o;
  o.read_file = [&](const std::string& p) -> std::optional<std::string> {
    auto it = files.find(p);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
  o.max_intents = 2;
  const auto r = patter::load_file("main.yaml", o);
  const patter::Diagnostic* d = find(r, patter::Code::too_many_intents);
  ASSERT_NE(d, nullptr) << dump(r.diagnostics);
  EXPECT_EQ(d->where.file, "lib.yaml");
  EXPECT_EQ(d->where.line, 6u);
  EXPECT_NE(d->message.find("intent `later`"), std::string::npos) << d->message;

  // A library checked on its own counts the same way.
  o.max_intents = 1;
  const auto lib = patter::check_library_file("lib.yaml", o);
  ASSERT_FALSE(lib.empty());
  EXPECT_EQ(lib[0].code, patter::Code::too_many_intents) << dump(lib);
}

TEST(SizeLimits, ACallRecordsAtMost65536Tags) {
  // Compiled from a spec made in code, past LoadOptions: TagId is 16 bits.
  auto spec_with = [](std::size_t tags) {
    patter::ScriptSpec spec;
    spec.id = "tags";
    spec.locale = "en-US";
    spec.start = patter::Ref{"a", {}};
    patter::NodeSpec a;
    a.name = "a";
    a.say.push_back({"bye", {}});
    a.hangup = "completed";
    a.where = {0, 7, 3};
    for (std::size_t i = 0; i < tags; ++i) a.tags.push_back("t" + std::to_string(i));
    spec.nodes.push_back(std::move(a));
    return spec;
  };
  const auto most = patter::compile(spec_with(65535));  // and `dnc`: 65,536
  ASSERT_TRUE(most.ok()) << dump(most.diagnostics);
  EXPECT_EQ(most.script->tags().size(), 65536u);
  auto started = patter::Session::start(most.script);
  ASSERT_TRUE(started.ok());
  patter::Turn turn;
  ASSERT_TRUE(patter::is_error(started->step(patter::Event::answered(0), turn)) == false);
  EXPECT_TRUE(started->tagged("t65534"));
  EXPECT_EQ(most.script->tags().back(), "t9999");  // tags sort as text: the highest index
  EXPECT_TRUE(started->tagged("t9999"));
  EXPECT_EQ(started->result().tags.size(), 65535u);

  const auto past = patter::compile(spec_with(65536));
  EXPECT_FALSE(past.ok());
  ASSERT_EQ(past.diagnostics.size(), 1u) << dump(past.diagnostics);
  EXPECT_EQ(past.diagnostics[0].code, patter::Code::too_many_tags);
  EXPECT_EQ(past.diagnostics[0].where.line, 7u);
  EXPECT_NE(past.diagnostics[0].message.find("`t65535`"), std::string::npos)
      << past.diagnostics[0].message;
}
