#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

namespace {

const char* kHello = R"(patter: 1
id: hello
version: "1.0"
locale: en-US
variables:
  name: friend
  account: {required: true}
intents:
  yes: [yes, sure]
  no: {phrases: [no, nope], opposite: yes, priority: 2, score: -5}
start: greet
nodes:
  greet:
    say: ["Hi {name}!", "Hello again {name}."]
    barge_in: false
    routes:
      - {intent: yes, to: pitch, tags: [warm], score: 10}
      - {intent: no, to: bye}
      - {key: "9", to: bye}
    no_match: {retries: 2, reprompts: ["Sorry?"], then: bye}
  pitch:
    say: "Account {account}: {{special}} offer."
    next: human
  human:
    say: "Connecting you."
    escalate: {reason: interested, priority: high}
  bye:
    say: "Bye."
    hangup: not_interested
)";

bool has_code(const patter::LoadResult& r, patter::Code c) {
  for (const auto& d : r.diagnostics)
    if (d.code == c) return true;
  return false;
}

std::string dump(const patter::LoadResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics) s += patter::format(d) + "\n";
  return s;
}

}  // namespace

TEST(Loader, CompilesNamesToIndices) {
  auto r = patter::load_string(kHello, "hello.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  const patter::Script& s = *r.script;
  EXPECT_EQ(s.id(), "hello");
  EXPECT_EQ(s.version(), "1.0");
  EXPECT_EQ(s.locale(), "en-US");
  ASSERT_EQ(s.nodes().size(), 4u);
  const patter::Node& greet = s.node(s.start());
  EXPECT_EQ(greet.name, "greet");
  EXPECT_EQ(greet.kind, patter::NodeKind::listen);
  EXPECT_FALSE(greet.barge_in);
  ASSERT_EQ(greet.lines.size(), 2u);
  ASSERT_EQ(greet.routes.size(), 3u);
  EXPECT_EQ(s.node(greet.routes[0].target).name, "pitch");
  EXPECT_EQ(s.intent(greet.routes[0].intents[0]).name, "yes");
  EXPECT_EQ(greet.routes[0].tags, std::vector<std::string>{"warm"});
  EXPECT_EQ(greet.routes[0].score, 10);
  EXPECT_EQ(greet.routes[2].keys, "9");
  EXPECT_EQ(greet.no_match.retries, 2);
  EXPECT_EQ(s.node(greet.no_match.then).name, "bye");
  EXPECT_EQ(greet.where.line, 13u);
  EXPECT_EQ(greet.where.column, 3u);

  const patter::Node& pitch = s.node(*s.find_node("pitch"));
  EXPECT_EQ(pitch.kind, patter::NodeKind::pass);
  // "Account {account}: {{special}} offer." -> literal, hole, then the
  // literal ": {special} offer." as slices of the source around the
  // doubled braces.
  const patter::Template& line = pitch.lines[0];
  ASSERT_GE(line.pieces.size(), 3u);
  EXPECT_EQ(line.literal(line.pieces[0]), "Account ");
  EXPECT_EQ(s.variables()[line.pieces[1].variable].name, "account");
  std::string rest;
  for (std::size_t i = 2; i < line.pieces.size(); ++i) {
    EXPECT_EQ(line.pieces[i].variable, patter::kNone);
    rest += line.literal(line.pieces[i]);
  }
  EXPECT_EQ(rest, ": {special} offer.");

  const patter::Node& human = s.node(*s.find_node("human"));
  EXPECT_EQ(human.kind, patter::NodeKind::escalate);
  EXPECT_EQ(human.escalation.reason, patter::EscalationReason::interested);
  EXPECT_EQ(human.escalation.priority, patter::Priority::high);
  const patter::Node& bye = s.node(*s.find_node("bye"));
  EXPECT_EQ(bye.hangup, patter::HangupReason::not_interested);

  const patter::Intent& no = s.intent(*s.find_intent("no"));
  EXPECT_EQ(s.intent(no.opposite).name, "yes");
  EXPECT_EQ(no.priority, 2);
  EXPECT_EQ(no.score, -5);
  EXPECT_TRUE(s.variables()[*s.find_variable("account")].required);
  EXPECT_FALSE(s.find_node("nope").has_value());
}

TEST(Loader, FingerprintIsStableAndSensitive) {
  auto a = patter::load_string(kHello, "a.yaml");
  auto b = patter::load_string(kHello, "b.yaml");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.script->fingerprint(), b.script->fingerprint());
  EXPECT_EQ(a.script->fingerprint().size(), 16u);
  std::string changed = kHello;
  changed.replace(changed.find("Bye."), 4, "Ciao");
  auto c = patter::load_string(changed, "c.yaml");
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a.script->fingerprint(), c.script->fingerprint());
}

TEST(Loader, ReportsEveryProblemAtOnce) {
  std::string bad = kHello;
  bad.replace(bad.find("to: pitch"), 9, "to: ptch");
  bad.replace(bad.find("Hi {name}"), 9, "Hi {nam}");
  bad.replace(bad.find("hangup: not_interested"), 22, "hangup: nope");
  auto r = patter::load_string(bad, "bad.yaml");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_code(r, patter::Code::unknown_node)) << dump(r);
  EXPECT_TRUE(has_code(r, patter::Code::undeclared_variable)) << dump(r);
  EXPECT_TRUE(has_code(r, patter::Code::invalid_value)) << dump(r);
  // Graph findings would be noise on a half-read script.
  EXPECT_FALSE(has_code(r, patter::Code::dead_end)) << dump(r);
}

TEST(Loader, BadInputNeverCrashes) {
  struct Case {
    std::string text;
    patter::Code code;
  };
  const std::vector<Case> cases = {
      {"", patter::Code::empty_document},
      {"   \n# only a comment\n", patter::Code::empty_document},
      {"~", patter::Code::empty_document},
      {"just some words", patter::Code::wrong_type},
      {"- a\n- b\n", patter::Code::wrong_type},
      {"patter: 1\nid: [x\n", patter::Code::yaml_syntax},
      {"patter: 1\n\tid: x\n", patter::Code::yaml_syntax},
      {"patter: one\nid: x\nlocale: en-US\n", patter::Code::wrong_type},
      {"patter: 1\nid: x\nlocale: fr-FR\n", patter::Code::invalid_value},
      {"patter: 1\nid: x\nlocale: en-US\nnodes: [a, b]\n", patter::Code::wrong_type},
      {"patter: 1\nid: x\nlocale: en-US\nstart: b\nnodes: {a: {say: 5, hangup: completed}}\n",
       patter::Code::missing_start},
      {"patter: 1\nid: x\nlocale: en-US\n{a: 1}: 2\n", patter::Code::wrong_type},
      {"patter: 1\nid: x\nlocale: en-US\nnodes:\n  a:\n    routes: {intent: x}\n",
       patter::Code::wrong_type},
      {"patter: 1\nid: x\nlocale: en-US\nstart: a\nnodes:\n  a: {say: [a, b, c, d, e, f, g, h, i, "
       "j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z, aa, bb, cc, dd, ee, ff, gg], hangup: "
       "completed}\n",  // 33 phrasings: at most 32
       patter::Code::invalid_value},
      {"patter: 1\nid: x\nlocale: en-US\nstart: a\nnodes:\n  a: {listen_ms: 99999999, hangup: "
       "completed}\n",
       patter::Code::invalid_value},
      {"patter: 1\nid: x\nlocale: en-US\nstart: a\nnodes:\n  a: {score: .nan, hangup: completed}\n",
       patter::Code::wrong_type},
      {"patter: 1\nid: x\nlocale: en-US\nintents:\n  any: [whatever]\n",
       patter::Code::duplicate_name},
      {"patter: 1\nid: x\nlocale: en-US\nstart: a\nnodes:\n  a: {say: hi}\n",
       patter::Code::dead_end},
  };
  for (const auto& c : cases) {
    auto r = patter::load_string(c.text, "case.yaml");
    EXPECT_FALSE(r.ok()) << c.text;
    EXPECT_TRUE(has_code(r, c.code)) << c.text << "\n" << dump(r);
    for (const auto& d : r.diagnostics) EXPECT_FALSE(d.message.empty());
  }
}

TEST(Loader, InvalidUtf8IsLocated) {
  std::string text = "patter: 1\nid: x\nlocale: en-US\ntitle: \"caf\xC3\xA9 \xC3\x28\"\n";
  auto r = patter::load_string(text, "u.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(has_code(r, patter::Code::invalid_utf8));
  EXPECT_EQ(r.diagnostics[0].where.line, 4u);
  EXPECT_EQ(r.diagnostics[0].where.column, 14u);  // characters, not bytes: é counts once
  // Overlong encodings, surrogates and truncated sequences are all rejected.
  for (std::string bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xBD"}) {
    auto rr = patter::load_string("title: \"" + bad + "\"\n", "u.yaml");
    EXPECT_TRUE(has_code(rr, patter::Code::invalid_utf8));
  }
}

// Found by tests/fuzz/loader_fuzzer.cpp: yaml-cpp quoted the first byte of
// a Chinese character after a backslash, so the message was not UTF-8.
TEST(Loader, YamlMessagesStayUtf8) {
  auto r = patter::load_string("patter: 1\nid: x\nlocale: zh-CN\ntitle: \"你好 \\嗯\"\n", "e.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(has_code(r, patter::Code::yaml_syntax)) << dump(r);
  EXPECT_EQ(r.diagnostics[0].message, "this is not valid YAML: unknown escape character: \uFFFD")
      << dump(r);
  EXPECT_EQ(r.diagnostics[0].where.line, 4u);
}

TEST(Loader, ByteOrderMarkIsAccepted) {
  auto r = patter::load_string(std::string("\xEF\xBB\xBF") + kHello, "bom.yaml");
  EXPECT_TRUE(r.ok()) << dump(r);
}

TEST(Loader, HugeInputIsRefusedQuickly) {
  std::string huge = kHello;
  huge += "# " + std::string(17u << 20, 'x') + "\n";
  auto r = patter::load_string(huge, "huge.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_code(r, patter::Code::file_too_large));
}

TEST(Loader, DeepNestingIsRefusedBeforeRecursing) {
  for (const std::string open : {"[", "{a: "}) {
    std::string deep = "patter: 1\nx: ";
    for (int i = 0; i < 100000; ++i) deep += open;
    auto r = patter::load_string(deep, "deep.yaml");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(has_code(r, patter::Code::nesting_too_deep) ||
                has_code(r, patter::Code::yaml_syntax))
        << dump(r);
  }
  std::string block = "patter: 1\n";
  for (int i = 0; i < 200; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  auto r = patter::load_string(block, "block.yaml");
  EXPECT_TRUE(has_code(r, patter::Code::nesting_too_deep)) << dump(r);
}

TEST(Loader, AliasBombsAreBounded) {
  // Every alias below is valid where it stands: one list of 1,000 routes,
  // used by 3,000 nodes, is 3 million routes to read from a 100 KB file.
  // The walk counts what aliases expand to and stops at max_elements.
  std::string text =
      "patter: 1\nid: bomb\nlocale: en-US\nintents:\n  yes: [yes]\nstart: n0\nnodes:\n";
  text += "  n0:\n    say: hi\n    routes: &r [";
  for (int k = 0; k < 1000; ++k) text += (k ? ", " : "") + std::string("{intent: yes, to: n0}");
  text += "]\n";
  for (int n = 1; n < 3000; ++n) text += "  n" + std::to_string(n) + ": {say: hi, routes: *r}\n";
  ASSERT_LT(text.size(), 200'000u);
  auto r = patter::load_string(text, "bomb.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].code, patter::Code::too_many_elements);
  EXPECT_GT(r.diagnostics[0].where.line, 0u);  // points into the file, at the walk's last key

  // The same shape within the budget loads: aliases are legitimate YAML.
  patter::LoadOptions roomy;
  roomy.max_elements = 10'000'000;
  std::string small =
      "patter: 1\nid: ok\nlocale: en-US\nintents:\n  yes: [yes]\nstart: n0\nnodes:\n";
  small += "  n0:\n    say: hi\n    routes: &r [{intent: yes, to: end}]\n";
  for (int n = 1; n < 10; ++n) small += "  n" + std::to_string(n) + ": {say: hi, routes: *r}\n";
  small += "  end: {say: bye, hangup: completed}\n";
  auto ok = patter::load_string(small, "ok.yaml", roomy);
  EXPECT_TRUE(ok.ok()) << dump(ok);
}

TEST(Loader, IncludesMergeLibrariesAndReportProblemsWhereTheyAre) {
  std::map<std::string, std::string> files = {
      {"scripts/main.yaml", R"(patter: 1
id: main
locale: en-US
include: [../lib/common.yaml, ../lib/extra.yaml]
start: a
nodes:
  a:
    say: hi
    routes:
      - {intent: yes, to: b}
      - {intent: maybe, to: b}
  b: {say: bye, hangup: completed}
)"},
      {"lib/common.yaml",
       "patter: 1\nlibrary: common\nlocale: en-US\nintents:\n  yes: [yes, sure]\n"},
      {"lib/extra.yaml",
       "patter: 1\nlibrary: extra\nlocale: en-US\ninclude: [common.yaml]\nintents:\n  maybe: "
       "[maybe]\n"},
  };
  patter::LoadOptions opt;
  opt.read_file = [&](const std::string& p) -> std::optional<std::string> {
    auto it = files.find(p);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
  auto r = patter::load_file("scripts/main.yaml", opt);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.script->find_intent("yes").has_value());
  EXPECT_TRUE(r.script->find_intent("maybe").has_value());
  EXPECT_EQ(r.script->files().size(), 3u);  // common is merged once, not twice
  EXPECT_EQ(r.script->locate(r.script->intent(*r.script->find_intent("yes")).where).file,
            "lib/common.yaml");

  // A problem inside a library points into the library.
  files["lib/common.yaml"] =
      "patter: 1\nlibrary: common\nlocale: en-US\nintents:\n  yes: {phrasez: [yes]}\n";
  r = patter::load_file("scripts/main.yaml", opt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics[0].where.file, "lib/common.yaml");
  EXPECT_EQ(r.diagnostics[0].where.line, 5u);
  EXPECT_EQ(r.diagnostics[0].code, patter::Code::unknown_key);
  EXPECT_NE(r.diagnostics[0].hint.find("phrases"), std::string::npos);

  // A cycle is an error at the include that closes it.
  files["lib/common.yaml"] =
      "patter: 1\nlibrary: common\nlocale: en-US\ninclude: [extra.yaml]\nintents:\n  yes: [yes]\n";
  r = patter::load_file("scripts/main.yaml", opt);
  EXPECT_TRUE(has_code(r, patter::Code::include_error)) << dump(r);

  // Two libraries declaring one intent: duplicate, naming the first place.
  files["lib/common.yaml"] =
      "patter: 1\nlibrary: common\nlocale: en-US\nintents:\n  yes: [yes]\n  maybe: [perhaps]\n";
  r = patter::load_file("scripts/main.yaml", opt);
  ASSERT_TRUE(has_code(r, patter::Code::duplicate_name)) << dump(r);

  // A library with a script's keys is told so.
  files["lib/common.yaml"] =
      "patter: 1\nlibrary: common\nlocale: en-US\nstart: a\nintents:\n  yes: [yes]\n";
  r = patter::load_file("scripts/main.yaml", opt);
  EXPECT_TRUE(has_code(r, patter::Code::unknown_key)) << dump(r);

  // A missing library.
  files.erase("lib/common.yaml");
  r = patter::load_file("scripts/main.yaml", opt);
  ASSERT_TRUE(has_code(r, patter::Code::include_error));
}

TEST(Loader, MissingFileIsAnIoError) {
  auto r = patter::load_file("/nonexistent/script.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].code, patter::Code::io_error);
  EXPECT_EQ(r.diagnostics[0].where.file, "/nonexistent/script.yaml");
}

TEST(Loader, ParseWithoutCompiling) {
  auto p = patter::parse_string(kHello, "hello.yaml");
  EXPECT_FALSE(patter::has_errors(p.diagnostics));
  EXPECT_EQ(p.spec.id, "hello");
  ASSERT_EQ(p.spec.nodes.size(), 4u);
  EXPECT_EQ(p.spec.nodes[0].routes[0].to.name, "pitch");
  EXPECT_EQ(p.spec.nodes[0].routes[0].to.where.line, 17u);
  // The spec compiles on its own, as a generated script would.
  auto c = patter::compile(p.spec);
  EXPECT_TRUE(c.ok());
}

TEST(Loader, ScriptIsSharedAcrossThreads) {
  auto r = patter::load_string(kHello, "hello.yaml");
  ASSERT_TRUE(r.ok());
  std::shared_ptr<const patter::Script> s = r.script;
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([s, &found] {
      for (int i = 0; i < 1000; ++i)
        if (s->find_node("bye") && s->find_intent("yes")) ++found;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(found.load(), 4000);
}

TEST(Loader, BundledScriptsLoadCleanly) {
  const std::filesystem::path dir =
      std::filesystem::path(PATTER_SOURCE_DIR) / "examples" / "scripts";
  int count = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".yaml") continue;
    ++count;
    auto r = patter::load_file(e.path().string());
    ASSERT_TRUE(r.ok()) << dump(r);
    for (const auto& d : r.diagnostics)
      EXPECT_NE(d.severity, patter::Severity::warning) << patter::format(d);
    EXPECT_GE(r.script->nodes().size(), 12u) << e.path();
  }
  EXPECT_GE(count, 4);
}

TEST(Loader, VariableNamesMustBeUsableEverywhere) {
  auto with_var = [](const std::string& decl) {
    return patter::load_string("patter: 1\nid: v\nlocale: en-US\nvariables:\n  " + decl +
                                   "\nstart: a\nnodes:\n  a: {say: hi, hangup: completed}\n",
                               "v.yaml");
  };
  auto r = with_var("first-name: x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics[0].code, patter::Code::invalid_value);
  EXPECT_EQ(r.diagnostics[0].where.line, 5u);
  r = with_var("score: 3");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.diagnostics[0].code, patter::Code::duplicate_name);
  EXPECT_TRUE(with_var("城市: 北京").ok());
  EXPECT_TRUE(with_var("customer_name2: x").ok());
}

TEST(Loader, VariableTypesComeFromTheDefaultUnlessGiven) {
  auto r = patter::load_string(R"(patter: 1
id: v
locale: en-US
variables:
  a: 3
  b: {default: 4}
  c: {default: 4, type: string}
  d: {type: bool, default: "true"}
  e: {default: "5"}
  f: yes please
start: n
nodes:
  n: {say: "{a}{b}{c}{d}{e}{f}", hangup: completed}
)",
                               "v.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& vars = r.script->variables();
  using T = patter::Variable::Type;
  EXPECT_EQ(vars[0].type, T::number);
  EXPECT_EQ(vars[1].type, T::number);
  EXPECT_EQ(vars[2].type, T::text);
  EXPECT_EQ(vars[3].type, T::boolean);
  EXPECT_EQ(vars[4].type, T::text);
  EXPECT_EQ(vars[5].type, T::text);
}

TEST(Loader, SelfLoopTrapIsNamedAsSuch) {
  auto r = patter::load_string(R"(patter: 1
id: t
locale: en-US
intents:
  yes: [yes]
start: a
nodes:
  a:
    say: again?
    routes:
      - {intent: any, to: a}
)",
                               "t.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(has_code(r, patter::Code::trap_cycle)) << dump(r);
  for (const auto& d : r.diagnostics) {
    if (d.code == patter::Code::trap_cycle) {
      EXPECT_NE(d.message.find("only leads back to itself"), std::string::npos);
    }
  }
}

TEST(Loader, LibrariesAreCheckedOnTheirOwn) {
  const std::string lib =
      "patter: 1\nlibrary: common\nlocale: en-US\nintents:\n  a: {phrases: [x], opposite: b}\n";
  EXPECT_TRUE(patter::is_library(lib));
  EXPECT_FALSE(patter::is_library(kHello));
  const auto dir = std::filesystem::temp_directory_path() / "patter_loader_test";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "lib.yaml").string();
  { std::ofstream(path) << lib; }
  auto ds = patter::check_library_file(path);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].code, patter::Code::unknown_intent);
  EXPECT_EQ(ds[0].where.line, 5u);
  {
    std::ofstream(path)
        << "patter: 1\nlibrary: common\nlocale: en-US\nintents:\n  a: [x]\n  b: [y]\n";
  }
  EXPECT_TRUE(patter::check_library_file(path).empty());
  { std::ofstream(path) << "patter: 1\nlibrary: common\nlocale: en-US\nstart: a\n"; }
  ds = patter::check_library_file(path);
  ASSERT_FALSE(ds.empty());
  EXPECT_EQ(ds[0].code, patter::Code::unknown_key);
}

// ---- hold: what an escalated call does while it waits --------------------------

namespace {
std::string with_hold(const std::string& hold) {
  std::string s = kHello;
  return s + hold;
}
}  // namespace

TEST(LoaderHold, DefaultsWithoutHold) {
  auto r = patter::load_string(kHello, "hello.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  const patter::Hold& h = r.script->hold();
  EXPECT_EQ(h.mode, patter::Hold::While::lines);
  EXPECT_TRUE(h.lines.empty());
  EXPECT_EQ(h.interval_s, 15u);
  EXPECT_EQ(h.timeout_s, 60u);
  EXPECT_EQ(h.then, patter::kNone);
  EXPECT_EQ(h.resume, patter::kNone);
}

TEST(LoaderHold, ReadsEveryKey) {
  auto r = patter::load_string(with_hold(R"(hold:
  while_waiting: lines
  say: ["Please hold, {name}.", "Still looking for a colleague."]
  interval_s: 20
  timeout_s: 90
  then: bye
)"),
                               "hello.yaml");
  ASSERT_TRUE(r.ok()) << dump(r);
  const patter::Script& s = *r.script;
  const patter::Hold& h = s.hold();
  EXPECT_EQ(h.mode, patter::Hold::While::lines);
  ASSERT_EQ(h.lines.size(), 2u);
  EXPECT_EQ(h.lines[0].source, "Please hold, {name}.");
  EXPECT_EQ(h.interval_s, 20u);
  EXPECT_EQ(h.timeout_s, 90u);
  EXPECT_EQ(h.then, *s.find_node("bye"));
  // The timeout's node is an edge of the graph, drawn from the limits box.
  bool edge = false;
  for (const patter::Edge& e : s.edges())
    edge = edge || (e.kind == patter::EdgeKind::hold && e.to == h.then && e.index == 1);
  EXPECT_TRUE(edge);
  EXPECT_NE(patter::to_dot(s).find("no person in 90 s"), std::string::npos);
}

TEST(LoaderHold, ScriptModeNeedsResume) {
  auto r = patter::load_string(with_hold("hold:\n  while_waiting: script\n"), "hello.yaml");
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(has_code(r, patter::Code::missing_key)) << dump(r);
  const std::string text = dump(r);
  EXPECT_NE(text.find("hello.yaml:"), std::string::npos);
  EXPECT_NE(text.find("add `resume: <node>`"), std::string::npos) << text;

  auto ok = patter::load_string(
      with_hold("hold:\n  while_waiting: script\n  resume: pitch\n  timeout_s: 0\n"), "hello.yaml");
  ASSERT_TRUE(ok.ok()) << dump(ok);
  EXPECT_EQ(ok.script->hold().mode, patter::Hold::While::script);
  EXPECT_EQ(ok.script->hold().resume, *ok.script->find_node("pitch"));
  EXPECT_EQ(ok.script->hold().timeout_s, 0u);
}

TEST(LoaderHold, MistakesPointAtTheAuthorsWords) {
  // A misspelt key, with a suggestion, at its line and column.
  auto typo = patter::load_string(with_hold("hold:\n  timeout: 30\n"), "hello.yaml");
  ASSERT_FALSE(typo.ok());
  const std::string t = dump(typo);
  EXPECT_NE(t.find("hello.yaml:31:3"), std::string::npos) << t;
  EXPECT_NE(t.find("timeout_s"), std::string::npos) << t;

  // An unknown mode names the choices.
  auto mode = patter::load_string(with_hold("hold:\n  while_waiting: music\n"), "hello.yaml");
  ASSERT_FALSE(mode.ok());
  EXPECT_TRUE(has_code(mode, patter::Code::invalid_value)) << dump(mode);
  EXPECT_NE(dump(mode).find("silence"), std::string::npos) << dump(mode);

  // A `then` that is not a node.
  auto then = patter::load_string(with_hold("hold:\n  then: pich\n"), "hello.yaml");
  ASSERT_FALSE(then.ok());
  EXPECT_TRUE(has_code(then, patter::Code::unknown_node)) << dump(then);
  EXPECT_NE(dump(then).find("hello.yaml:31:9"), std::string::npos) << dump(then);
  EXPECT_NE(dump(then).find("did you mean `pitch`?"), std::string::npos) << dump(then);

  // Out of range.
  auto range = patter::load_string(with_hold("hold:\n  interval_s: 0\n"), "hello.yaml");
  ASSERT_FALSE(range.ok());
  EXPECT_TRUE(has_code(range, patter::Code::invalid_value)) << dump(range);

  // Lines mode without lines, and `resume` without script mode: warnings.
  auto warn = patter::load_string(with_hold("hold:\n  while_waiting: lines\n  resume: pitch\n"),
                                  "hello.yaml");
  ASSERT_TRUE(warn.ok()) << dump(warn);
  EXPECT_TRUE(has_code(warn, patter::Code::missing_key)) << dump(warn);
  EXPECT_TRUE(has_code(warn, patter::Code::conflicting_keys)) << dump(warn);
}

TEST(LoaderHold, NoAgentIsAHangupReason) {
  EXPECT_EQ(patter::parse_hangup_reason("no_agent"), patter::HangupReason::no_agent);
  EXPECT_EQ(patter::to_string(patter::HangupReason::no_agent), "no_agent");
  auto& names = patter::hangup_reason_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "no_agent"), names.end());
}
