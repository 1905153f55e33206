#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <limits>
#include <string>

#include "match/matcher_impl.hpp"

namespace {

const char* kZh = R"(patter: 1
id: zh
locale: zh-CN
settings:
  fillers: [嗯, 啊, 呃]
variables:
  people: {type: number, default: 0}
intents:
  interested: {phrases: [感兴趣, 有兴趣, 想了解], opposite: not_interested}
  not_interested: {phrases: [不感兴趣, 没兴趣, 不需要], priority: 2}
  opt_out: {phrases: [不要再打, 别再打了], priority: 10}
  refuse: {phrases: [不要], priority: 1}
  ask_price: {phrases: [多少钱, 价格], examples: [这个课程收费怎么样, 学费贵不贵啊, 一年下来要花几个钱]}
  affirm: [好的, 可以, 行]
  ask_robot: {examples: [你是不是机器人啊, 你是真人还是录音, 我怎么听着像电脑在说话]}
  headcount: {patterns: ['(?<people>[\d,.]+|[零一二两三四五六七八九十百千万]+)个?人']}
start: a
nodes:
  a:
    say: 您好
    routes:
      - {intent: [interested, not_interested, opt_out, refuse, ask_price, affirm, headcount, ask_robot], to: b}
  b: {say: 再见, hangup: completed}
)";

const char* kEn = R"(patter: 1
id: en
locale: en-US
settings:
  fillers: [um, uh]
intents:
  interested: {phrases: [interested, sounds good], opposite: not_interested}
  not_interested: {phrases: [not interested, no thanks], priority: 2}
  opt_out: {phrases: [stop calling, do not call], priority: 10}
  ask_price: {phrases: [price, how much]}
  affirm: [yes, sure, ok]
  busy: [driving]
start: a
nodes:
  a:
    say: Hello
    routes:
      - {intent: [interested, not_interested, opt_out, ask_price, affirm, busy], to: b}
  b: {say: Bye, hangup: completed}
)";

std::shared_ptr<const patter::Script> load(const char* text) {
  auto r = patter::load_string(text, "matcher.yaml");
  std::string all;
  for (const auto& d : r.diagnostics) all += patter::format(d) + "\n";
  EXPECT_TRUE(r.ok()) << all;
  return r.script;
}

// The best intent's name, or "" when nothing matched.
std::string best(const patter::Script& s, std::string_view text) {
  patter::Understanding u;
  s.matcher().understand(text, u);
  return u.matched() ? s.intent(u.best().intent).name : "";
}

struct Case {
  const char* text;
  const char* intent;
};

}  // namespace

TEST(Matcher, ChineseRules) {
  auto s = load(kZh);
  ASSERT_TRUE(s);
  const Case cases[] = {
      {"我对这个感兴趣", "interested"},
      {"我不感兴趣", "not_interested"},    // leftmost-longest: 不感兴趣 beats 感兴趣
      {"不感興趣", "not_interested"},      // Traditional characters
      {"不是很感兴趣", "not_interested"},  // negation cue flips to the opposite
      {"没什么兴趣", ""},                  // 兴趣 alone is no phrase
      {"不要再打了", "opt_out"},           // 不要再打 beats 不要
      {"不要", "refuse"},
      {"嗯，好的", "affirm"},             // filler removed
      {"好 的", "affirm"},                // space between CJK removed
      {"多少钱，不感兴趣", "ask_price"},  // two intents: a question (kind) before an answer
      {"别再打了，不感兴趣", "opt_out"},
      {"今天天气不错", ""},
      {"", ""},
      {"   ", ""},
      {"😀😀", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(best(*s, c.text), c.intent) << c.text;
}

TEST(Matcher, EnglishRules) {
  auto s = load(kEn);
  ASSERT_TRUE(s);
  const Case cases[] = {
      {"I'm interested", "interested"},
      {"I am NOT interested", "not_interested"},    // longest phrase
      {"not really interested", "not_interested"},  // negation within two words flips it
      {"I'm uninterested", ""},                     // word boundary
      {"the price is fine", "ask_price"},
      {"that sounds pricey", ""},  // "price" inside "pricey"
      {"um, sure", "affirm"},
      {"ＯＫ", "affirm"},  // full width
      {"please stop calling me, not interested", "opt_out"},
      {"I'm driving right now", "busy"},
      {"Don't call again", ""},
      {"do not call", "opt_out"},
      {"never interested", "not_interested"},
      {"No, I'm interested", "interested"},               // "no" answers; it does not negate
      {"I was not at all interested", "not_interested"},  // two words between: within the window
      {"not in any way interested", "interested"},        // three words between: too far
  };
  for (const auto& c : cases) EXPECT_EQ(best(*s, c.text), c.intent) << c.text;
}

TEST(Matcher, NegationWithoutOppositeSuppresses) {
  auto s = load(kEn);
  patter::Understanding u;
  s->matcher().understand("I'm not driving", u);
  EXPECT_FALSE(u.matched());
  ASSERT_EQ(u.suppressed().size(), 1u);
  EXPECT_EQ(u.suppressed()[0].why, patter::Suppression::negated);
  EXPECT_EQ(s->intent(u.suppressed()[0].match.intent).name, "busy");
}

TEST(Matcher, ExplainSaysWhatWonAndWhatLost) {
  auto s = load(kZh);
  patter::Understanding u;
  s->matcher().understand("嗯，不是很感兴趣", u);
  ASSERT_TRUE(u.matched());
  const patter::IntentMatch& m = u.best();
  EXPECT_EQ(s->intent(m.intent).name, "not_interested");
  EXPECT_EQ(m.source, patter::MatchSource::phrase);
  EXPECT_TRUE(m.negated);
  EXPECT_EQ(s->intent(m.original).name, "interested");
  EXPECT_EQ(u.normalized().substr(m.begin, m.end - m.begin), "感兴趣");
  EXPECT_EQ(u.normalized().substr(m.cue_begin, m.cue_end - m.cue_begin), "不是");
  const std::string e = u.explain(*s);
  EXPECT_NE(e.find("heard \"不是很感兴趣\""), std::string::npos) << e;
  EXPECT_NE(e.find("intent not_interested"), std::string::npos) << e;
  EXPECT_NE(e.find("phrase \"感兴趣\" of interested"), std::string::npos) << e;
  EXPECT_NE(e.find("negated by \"不是\", flipped to its opposite"), std::string::npos) << e;

  s->matcher().understand("我不感兴趣", u);
  ASSERT_EQ(u.suppressed().size(), 1u);
  EXPECT_EQ(u.suppressed()[0].why, patter::Suppression::overlapped);
  EXPECT_NE(u.explain(*s).find("not interested: phrase \"感兴趣\""), std::string::npos)
      << u.explain(*s);
}

TEST(Matcher, SeveralIntentsAreAllReportedBestFirst) {
  auto s = load(kZh);
  patter::Understanding u;
  s->matcher().understand("多少钱，不感兴趣，好的", u);
  ASSERT_EQ(u.intents().size(), 3u);
  EXPECT_EQ(s->intent(u.intents()[0].intent).name, "ask_price");       // kind question first
  EXPECT_EQ(s->intent(u.intents()[1].intent).name, "not_interested");  // then answers: priority 2
  EXPECT_EQ(s->intent(u.intents()[2].intent).name, "affirm");
}

TEST(Matcher, PatternsCaptureIntoVariables) {
  auto s = load(kZh);
  patter::Understanding u;
  s->matcher().understand("我们大概20个人", u);
  ASSERT_TRUE(u.matched());
  EXPECT_EQ(s->intent(u.best().intent).name, "headcount");
  EXPECT_EQ(u.best().source, patter::MatchSource::pattern);
  ASSERT_EQ(u.captures().size(), 1u);
  EXPECT_EQ(s->variables()[u.captures()[0].variable].name, "people");
  EXPECT_EQ(u.capture_text(u.captures()[0]), "20");
}

TEST(Matcher, HostIntentsUseTheSameResult) {
  auto s = load(kEn);
  patter::Understanding u;
  s->matcher().from_host(*s->find_intent("busy"), 0.8f, u);
  ASSERT_TRUE(u.matched());
  EXPECT_EQ(u.best().source, patter::MatchSource::host);
  EXPECT_FLOAT_EQ(u.best().confidence, 0.8f);
  EXPECT_NE(u.explain(*s).find("the host's NLU, confidence 0.80"), std::string::npos);
  s->matcher().from_host(12345, 1.0f, u);  // no such intent
  EXPECT_FALSE(u.matched());
}

TEST(Matcher, BadInputIsHandled) {
  auto s = load(kZh);
  patter::Understanding u;
  s->matcher().understand("不感\xFF兴趣", u);  // invalid byte splits the phrase
  EXPECT_TRUE(u.invalid_utf8());
  s->matcher().understand("不感兴趣\xFF", u);
  EXPECT_TRUE(u.invalid_utf8());
  EXPECT_EQ(best(*s, "不感兴趣\xFF"), "not_interested");
  std::string huge;
  while (huge.size() < (1u << 20)) huge += "今天天气不错我们出去走走";
  huge += "不感兴趣";  // past the cap: never seen
  s->matcher().understand(huge, u);
  EXPECT_TRUE(u.truncated());
  EXPECT_FALSE(u.matched());
  // A control character is a separator, and separators between Chinese
  // characters vanish.
  EXPECT_EQ(best(*s, std::string("不感\0兴趣", 13)), "not_interested");
  s->matcher().understand("Мы не заинтересованы 不感兴趣 🙂",
                          u);  // mixed scripts
  EXPECT_EQ(s->intent(u.best().intent).name, "not_interested");
}

TEST(Matcher, PhraseOfOnlyPunctuationIsALoadError) {
  std::string text = kEn;
  text.replace(text.find("busy: [driving]"), 15, "busy: [driving, \"...\"]");
  auto r = patter::load_string(text, "m.yaml");
  EXPECT_FALSE(r.ok());
  bool found = false;
  for (const auto& d : r.diagnostics) found = found || d.code == patter::Code::invalid_value;
  EXPECT_TRUE(found);
}

TEST(Matcher, ChineseNumeralsAreCapturedAsNumbers) {
  auto s = load(kZh);
  patter::Understanding u;
  const struct {
    const char* text;
    double number;
  } cases[] = {
      {"我们大概20个人", 20}, {"我们有三百二十个人", 320}, {"两个人", 2}, {"大概1,200人", 1200}};
  for (const auto& c : cases) {
    s->matcher().understand(c.text, u);
    ASSERT_EQ(u.captures().size(), 1u) << c.text;
    EXPECT_TRUE(u.captures()[0].numeric) << c.text;
    EXPECT_EQ(u.captures()[0].number, c.number) << c.text;
  }
}

TEST(Matcher, ExamplesAnswerWhenNoPhraseDoes) {
  auto s = load(kZh);
  patter::Understanding u;
  s->matcher().understand("你是不是机器人", u);
  ASSERT_TRUE(u.matched());
  EXPECT_EQ(s->intent(u.best().intent).name, "ask_robot");
  EXPECT_EQ(u.best().source, patter::MatchSource::example);
  EXPECT_GE(u.best().confidence, 0.45f);
  EXPECT_NE(u.explain(*s).find("example \"你是不是机器人啊\" of ask_robot"), std::string::npos)
      << u.explain(*s);

  // A phrase always beats the examples: they are only asked when nothing matched.
  s->matcher().understand("学费多少钱", u);
  EXPECT_EQ(u.best().source, patter::MatchSource::phrase);

  // Far from every example: reported as below the threshold, not matched.
  s->matcher().understand("今天天气真不错", u);
  EXPECT_FALSE(u.matched());
  for (const auto& x : u.suppressed()) EXPECT_EQ(x.why, patter::Suppression::below_threshold);
}

TEST(Matcher, BacktrackingPatternsAreCutShort) {
  // (a+)+b on a long run of a's backtracks exponentially; the time limit
  // makes it "no match" instead of a stalled call.
  auto r = patter::load_string(R"(patter: 1
id: redos
locale: en-US
intents:
  evil: {patterns: ['(a+)+b']}
  yes: [yes]
start: a
nodes:
  a:
    say: hi
    routes:
      - {intent: [evil, yes], to: b}
  b: {say: bye, hangup: completed}
)",
                               "redos.yaml");
  ASSERT_TRUE(r.ok());
  patter::Understanding u;
  r.script->matcher().understand(std::string(40, 'a') + " yes", u);
  ASSERT_TRUE(u.matched());
  EXPECT_EQ(r.script->intent(u.best().intent).name,
            "yes");  // the pattern gave up; the phrase still counts
  r.script->matcher().understand("aab", u);
  EXPECT_EQ(r.script->intent(u.best().intent).name, "evil");  // a normal match is unaffected
}

TEST(Matcher, CopiedUnderstandingsKeepResultsButNotScratch) {
  auto s = load(kZh);
  patter::Understanding a;
  s->matcher().understand("我们大概20个人", a);
  patter::Understanding b = a;  // results travel with the copy
  ASSERT_TRUE(b.matched());
  EXPECT_EQ(b.normalized(), a.normalized());
  // Each then works on its own: using one does not disturb the other.
  s->matcher().understand("不感兴趣", b);
  EXPECT_EQ(s->intent(b.best().intent).name, "not_interested");
  EXPECT_EQ(s->intent(a.best().intent).name, "headcount");
  s->matcher().understand("多少钱", a);
  EXPECT_EQ(s->intent(a.best().intent).name, "ask_price");
  EXPECT_EQ(s->intent(b.best().intent).name, "not_interested");
}

// A-not-A questions (是不是, 要不要, 有没有) are neither a yes nor a no, and
// their 不 negates nothing; a phrase that spells out the whole question counts.
TEST(MatcherQuestions, ANotAIsAQuestion) {
  auto s = load(R"(patter: 1
id: q
locale: zh-CN
intents:
  affirm: [是, 是的, 对, 要]
  negate: [不是, 不要, 没有, 不对]
  interested: {phrases: [感兴趣, 了解], opposite: not_interested}
  not_interested: [不感兴趣]
  ask_robot: [是不是机器人]
  ask_discount: [优惠]
start: a
nodes:
  a:
    say: 您好
    routes:
      - {intent: [affirm, negate, interested, not_interested, ask_robot, ask_discount], to: b}
  b: {say: 再见, hangup: completed}
)");
  ASSERT_TRUE(s);
  struct Case {
    const char* text;
    const char* best;  // "" for no intent
  };
  const Case cases[] = {
      {"是不是国家承认的", ""},          // a question: no yes, no no
      {"你是不是机器人", "ask_robot"},   // the phrase holds the whole question
      {"要不要了解一下", "interested"},  // 要不要 negates nothing
      {"有没有优惠", "ask_discount"},    // no 没有 here
      {"对不对", ""},
      {"不是", "negate"},
      {"不要了", "negate"},
      {"是的", "affirm"},
      {"我不是很感兴趣", "not_interested"},  // a real negation still counts
      {"是，我不要", "negate"},              // 是 不 要: a comma between, not A-not-A
      {"不对不对不对", "negate"},            // 不A不A: a no said again, no question
      {"不要不要", "negate"},
      {"不是不是，你听错了", "negate"},
  };
  patter::Understanding u;
  for (const Case& c : cases) {
    s->matcher().understand(c.text, u);
    const std::string got = u.matched() ? s->intent(u.best().intent).name : "";
    EXPECT_EQ(got, c.best) << c.text << "\n" << u.explain(*s);
  }
  s->matcher().understand("是不是国家承认的", u);
  bool question = false;
  for (const auto& m : u.suppressed())
    question = question || m.why == patter::Suppression::question;
  EXPECT_TRUE(question);
  EXPECT_NE(u.explain(*s).find("part of a question"), std::string::npos) << u.explain(*s);
}

// ---- clauses, precedence, double negation, captures on the original text ----

namespace {

const char* kClausesZh = R"(patter: 1
id: clauses
locale: zh-CN
variables:
  tail: ""
  amount: {type: number, default: 0}
intents:
  opt_out: {phrases: [别打过来, 别再打了, 别打了]}
  not_interested: {phrases: [不要了, 不需要, 没兴趣, 不想了解], kind: refusal, priority: 2}
  negate: {phrases: [不是, 不行, 不可以], kind: refusal, priority: 1}
  busy: {phrases: [开会, 在忙], kind: refusal, priority: 4}
  affirm: {phrases: [可以, 好的], opposite: negate}
  interested: {phrases: [感兴趣, 想了解], opposite: not_interested, priority: 2}
  ask_price: [多少钱]
  account: {patterns: ['尾号(?<tail>[0-9A-Za-z]{3,4})', '(?<amount>[$¥]\d+)']}
start: a
nodes:
  a:
    say: 您好
    routes:
      - {intent: [opt_out, not_interested, negate, busy, affirm, interested, ask_price, account], to: b}
  b: {say: 再见, hangup: completed}
)";

const char* kClausesEn = R"(patter: 1
id: clauses_en
locale: en-US
intents:
  opt_out: [stop calling, don t ever call, take me off]
  not_interested: {phrases: [not interested, no thanks], kind: refusal, priority: 2}
  negate: {phrases: ["no", nope], kind: refusal}
  affirm: {phrases: [sure, "yes"], opposite: negate}
  interested: {phrases: [interested, sounds good], opposite: not_interested}
start: a
nodes:
  a:
    say: Hello
    routes:
      - {intent: [opt_out, not_interested, negate, affirm, interested], to: b}
  b: {say: Bye, hangup: completed}
)";

std::vector<std::string> all_intents(const patter::Script& s, std::string_view text) {
  patter::Understanding u;
  s.matcher().understand(text, u);
  std::vector<std::string> out;
  for (const auto& m : u.intents()) out.push_back(s.intent(m.intent).name);
  return out;
}

}  // namespace

// The 不 of a first clause never negates the opt-out of the second.
TEST(MatcherClauses, NegationStopsAtAClause) {
  auto s = load(kClausesZh);
  ASSERT_TRUE(s);
  EXPECT_EQ(best(*s, "不要了，以后别打过来"), "opt_out");
  EXPECT_EQ(best(*s, "没有，别打过来了"), "opt_out");  // 没有 right before, but in another clause
  EXPECT_EQ(best(*s, "没有\n别打过来了"), "opt_out");  // the host's boundary
  EXPECT_EQ(best(*s, "没有别打过来了"), "opt_out");    // one clause: still no opt-out is lost
  auto en = load(kClausesEn);
  ASSERT_TRUE(en);
  EXPECT_EQ(best(*en, "no thanks, don't ever call again"), "opt_out");
  EXPECT_EQ(best(*en, "No, I'm not. Stop calling me."), "opt_out");
  EXPECT_EQ(best(*en, "I'm not stop calling me"), "opt_out");  // one clause: never lost
}

// Before an opt-out a cue is the customer's own imperative ("别再骚扰",
// "don't harass me"): the opt-out stands, whereas another intent without an
// opposite is dropped by the same cue.
TEST(MatcherClauses, ACueNeverDropsAnOptOut) {
  auto s = load(R"(patter: 1
id: imperative
locale: zh-CN
intents:
  opt_out: {phrases: [骚扰, 打电话], kind: opt_out}
  ask_price: {phrases: [多少钱]}
  not_interested: {phrases: [没兴趣], kind: refusal}
start: a
nodes:
  a:
    say: 您好
    routes:
      - {intent: [opt_out, ask_price, not_interested], to: b}
  b: {say: 再见, hangup: completed}
)");
  ASSERT_TRUE(s);
  EXPECT_EQ(best(*s, "别再骚扰我了"), "opt_out");
  EXPECT_EQ(best(*s, "没兴趣别骚扰我"), "opt_out");
  EXPECT_EQ(best(*s, "不要再打电话了"), "opt_out");
  EXPECT_EQ(best(*s, "不多少钱"), "");  // the same cue drops an intent of another kind
}

// A clause that is an example word for word answers for its intent when no
// phrase spoke anywhere in the reply ("对" alone is too short to be a safe
// phrase: it would fire inside 对比); beside a phrase it adds nothing.
TEST(MatcherClauses, AnExampleClauseAnswersWhenNothingElseSpoke) {
  auto s = load(R"(patter: 1
id: clause_examples
locale: zh-CN
intents:
  affirm: {phrases: [是的], examples: [对, 好], kind: answer}
  ask_repeat: {phrases: [再说一遍], examples: [啥], kind: question}
  not_interested: {phrases: [不需要], kind: refusal}
start: a
nodes:
  a:
    say: 您好
    routes:
      - {intent: [affirm, ask_repeat, not_interested], to: b}
  b: {say: 再见, hangup: completed}
)");
  ASSERT_TRUE(s);
  EXPECT_EQ(best(*s, "对，我在抖音上填过"), "affirm");
  EXPECT_EQ(best(*s, "我在抖音上填过。好"), "affirm");
  EXPECT_EQ(best(*s, "不需要，啥"), "not_interested");  // a phrase spoke: no second intent
  EXPECT_EQ(best(*s, "我对比一下，再看"), "");          // 对 inside a clause is no example
  EXPECT_EQ(best(*s, "对"), "affirm");                  // a whole reply: the similarity fallback
}

TEST(MatcherClauses, NoPhraseMatchesAcrossAClause) {
  auto s = load(kClausesZh);
  ASSERT_TRUE(s);
  EXPECT_EQ(best(*s, "多少，钱"), "");
  EXPECT_EQ(best(*s, "多少钱"), "ask_price");
  auto en = load(kClausesEn);
  EXPECT_EQ(best(*en, "sounds, good"), "");
}

// Without punctuation: a cue inside a phrase already taken negates nothing else.
TEST(MatcherClauses, ACueInsideATakenPhraseIsSpent) {
  auto s = load(kClausesZh);
  ASSERT_TRUE(s);
  EXPECT_EQ(all_intents(*s, "不需要别再打了"),
            (std::vector<std::string>{"opt_out", "not_interested"}));
  EXPECT_EQ(all_intents(*s, "不要了别打过来"),
            (std::vector<std::string>{"opt_out", "not_interested"}));
  // A phrase that is nothing but a cue still negates what follows it.
  EXPECT_EQ(best(*s, "不是感兴趣"), "not_interested");
}

// Kind first, then priority, then length, then the earliest.
TEST(MatcherPrecedence, KindThenPriorityThenLengthThenFirst) {
  auto s = load(kClausesZh);
  ASSERT_TRUE(s);
  // busy (refusal, 4) over interested (answer, 2); ask_price (question) over both.
  EXPECT_EQ(all_intents(*s, "感兴趣，在开会"), (std::vector<std::string>{"busy", "interested"}));
  EXPECT_EQ(all_intents(*s, "在开会，多少钱"), (std::vector<std::string>{"ask_price", "busy"}));
  EXPECT_EQ(all_intents(*s, "好的，多少钱，别打了"),
            (std::vector<std::string>{"opt_out", "ask_price", "affirm"}));
  // Same kind: the higher priority (not_interested 2 over negate 1).
  EXPECT_EQ(all_intents(*s, "不行，不需要"),
            (std::vector<std::string>{"not_interested", "negate"}));
  // Same kind and priority: the longer.
  auto en = load(kClausesEn);
  ASSERT_TRUE(en);
  EXPECT_EQ(all_intents(*en, "sure, sounds good"),
            (std::vector<std::string>{"interested", "affirm"}));

  patter::Understanding u;
  s->matcher().understand("不要了，以后别打过来", u);
  const std::string e = u.explain(*s);
  EXPECT_NE(e.find("clause 1 \"不要了\": not_interested (refusal)"), std::string::npos) << e;
  EXPECT_NE(e.find("clause 2 \"以后别打过来\": opt_out (opt_out)"), std::string::npos) << e;
  EXPECT_NE(e.find("opt_out wins over not_interested: its kind opt_out ranks above refusal"),
            std::string::npos)
      << e;
  s->matcher().understand("不行，不需要", u);
  EXPECT_NE(u.explain(*s).find("its priority 2 is higher than 1"), std::string::npos)
      << u.explain(*s);
}

// Kinds by default, from the names, when a script does not say.
TEST(MatcherPrecedence, DefaultKindsComeFromTheNames) {
  auto s = load(R"(patter: 1
id: kinds
locale: en-US
intents:
  opt_out: [stop calling]
  ask_human: [a real person]
  ask_price: [how much]
  busy: {phrases: [driving], priority: 9}
  leave_me: {phrases: [go away], kind: opt_out}
start: a
nodes:
  a:
    say: Hello
    routes:
      - {intent: [opt_out, ask_human, ask_price, busy, leave_me], to: b}
  b: {say: Bye, hangup: completed}
)");
  ASSERT_TRUE(s);
  auto kind = [&](const char* name) { return s->intent(*s->find_intent(name)).kind; };
  EXPECT_EQ(kind("opt_out"), patter::IntentKind::opt_out);
  EXPECT_EQ(kind("ask_human"), patter::IntentKind::human);
  EXPECT_EQ(kind("ask_price"), patter::IntentKind::question);
  EXPECT_EQ(kind("busy"), patter::IntentKind::answer);
  EXPECT_EQ(kind("leave_me"), patter::IntentKind::opt_out);
  EXPECT_EQ(all_intents(*s, "I'm driving, how much, a real person"),
            (std::vector<std::string>{"ask_human", "ask_price", "busy"}));
}

TEST(MatcherPrecedence, AnUnknownKindIsALoadError) {
  auto r = patter::load_string(R"(patter: 1
id: bad
locale: en-US
intents:
  busy: {phrases: [driving], kind: refusl}
start: a
nodes:
  a: {say: Hello, routes: [{intent: busy, to: b}]}
  b: {say: Bye, hangup: completed}
)",
                               "bad.yaml");
  ASSERT_FALSE(r.ok());
  bool found = false;
  for (const auto& d : r.diagnostics) {
    if (d.code != patter::Code::invalid_value) continue;
    found = true;
    EXPECT_EQ(d.where.line, 5u);
    EXPECT_EQ(d.where.column, 36u);
    EXPECT_NE(d.hint.find("refusal"), std::string::npos) << d.hint;
  }
  EXPECT_TRUE(found);
}

// Double negation and hedges are a yes; words that hold a cue but deny
// nothing negate nothing.
TEST(MatcherNegation, DoubleNegationAffirms) {
  auto s = load(kClausesZh);
  ASSERT_TRUE(s);
  const Case cases[] = {
      {"不是不可以", "affirm"},  // 不可以 (negate) after 不是: its positive
      {"也不是不行", "affirm"},
      {"不是不想了解", "interested"},  // 不想了解 (not_interested) after 不是
      {"没有不感兴趣", "interested"},  // 没有 不 感兴趣: the cue cancelled
      {"倒也可以", "affirm"},          // a hedge: no cue at all
      {"不是", "negate"},              // alone, a plain no
      {"不是，不是", "negate"},        // "no, no" is no double negation
      {"不可以", "negate"},
      {"不是很感兴趣", "not_interested"},
  };
  for (const Case& c : cases) {
    patter::Understanding u;
    s->matcher().understand(c.text, u);
    EXPECT_EQ(u.matched() ? s->intent(u.best().intent).name : "", c.intent) << c.text << "\n"
                                                                            << u.explain(*s);
  }
  patter::Understanding u;
  s->matcher().understand("不是不可以", u);
  bool outer = false;
  for (const auto& m : u.suppressed())
    outer = outer || m.why == patter::Suppression::double_negation;
  EXPECT_TRUE(outer) << u.explain(*s);
  EXPECT_TRUE(u.best().double_negation);

  auto en = load(kClausesEn);
  ASSERT_TRUE(en);
  EXPECT_EQ(best(*en, "not that I'm not interested"), "interested");
  EXPECT_EQ(best(*en, "I wouldn't say no"), "affirm");
  EXPECT_EQ(best(*en, "I'm not interested"), "not_interested");
}

TEST(MatcherNegation, WordsThatHoldACueDenyNothing) {
  auto s = load(kClausesZh);
  ASSERT_TRUE(s);
  const Case cases[] = {
      {"不错挺感兴趣", "interested"},  // 不错 is "not bad"
      {"别的可以", "affirm"},          // 别的 is "other"
      {"别人感兴趣", "interested"},   {"没事可以", "affirm"},   {"没关系可以", "affirm"},
      {"不客气好的", "affirm"},       {"差不多可以", "affirm"}, {"不好意思，我在开会", "busy"},
  };
  for (const Case& c : cases) {
    patter::Understanding u;
    s->matcher().understand(c.text, u);
    EXPECT_EQ(u.matched() ? s->intent(u.best().intent).name : "", c.intent) << c.text << "\n"
                                                                            << u.explain(*s);
  }
  auto en = load(kClausesEn);
  ASSERT_TRUE(en);
  EXPECT_EQ(best(*en, "not bad sounds good"), "interested");
  EXPECT_EQ(best(*en, "never mind sure"), "affirm");
  EXPECT_EQ(best(*en, "not sure"), "negate");  // a real cue still flips
}

// Captures keep what the customer said; only phrases read the normalised text.
TEST(MatcherCaptures, KeepTheOriginalText) {
  auto s = load(kClausesZh);
  ASSERT_TRUE(s);
  patter::Understanding u;
  s->matcher().understand("我的尾号6A8", u);
  ASSERT_EQ(u.captures().size(), 1u);
  EXPECT_EQ(u.capture_text(u.captures()[0]), "6A8");
  EXPECT_EQ(u.original().substr(u.best().begin, u.best().end - u.best().begin), "尾号6A8");

  s->matcher().understand("尾号６Ａ８，对", u);  // full width: matched as ASCII, captured as said
  ASSERT_EQ(u.captures().size(), 1u);
  EXPECT_EQ(u.capture_text(u.captures()[0]), "６Ａ８");

  s->matcher().understand("大概$250吧", u);
  ASSERT_EQ(u.captures().size(), 1u);
  EXPECT_EQ(u.capture_text(u.captures()[0]), "$250");
  EXPECT_TRUE(u.captures()[0].numeric);
  EXPECT_EQ(u.captures()[0].number, 250);

  s->matcher().understand("尾號6a8\xFF", u);  // Traditional and a bad byte: still found
  ASSERT_EQ(u.captures().size(), 1u);
  EXPECT_EQ(u.capture_text(u.captures()[0]), "6a8");
}

// One phrase in two intents: a warning at the second place that names the first.
TEST(MatcherDiagnostics, DuplicatePhraseNamesBothPlaces) {
  auto r = patter::load_string(R"(patter: 1
id: dup
locale: zh-CN
intents:
  busy: [在忙, 没空]
  no_time: [没时间, "没空！"]
start: a
nodes:
  a: {say: 您好, routes: [{intent: [busy, no_time], to: b}]}
  b: {say: 再见, hangup: completed}
)",
                               "dup.yaml");
  ASSERT_TRUE(r.ok());
  std::vector<patter::Diagnostic> dups;
  for (const auto& d : r.diagnostics)
    if (d.code == patter::Code::duplicate_phrase) dups.push_back(d);
  ASSERT_EQ(dups.size(), 1u);
  EXPECT_EQ(dups[0].severity, patter::Severity::warning);
  EXPECT_EQ(dups[0].where.line, 6u);
  EXPECT_EQ(dups[0].where.column, 19u);
  EXPECT_NE(dups[0].message.find("dup.yaml:5:"), std::string::npos) << dups[0].message;
  EXPECT_NE(dups[0].message.find("`busy`"), std::string::npos) << dups[0].message;
  EXPECT_NE(dups[0].message.find("`no_time`"), std::string::npos) << dups[0].message;
  // Both still count: the warning is the only change.
  patter::Understanding u;
  r.script->matcher().understand("没空", u);
  EXPECT_EQ(u.intents().size(), 2u);
}

// Among hundreds of phrases (the table that finds them probes past
// collisions): each phrase of a second intent that another already has is
// warned about once, naming the intent that has it first; a phrase said
// twice in one intent is not.
TEST(MatcherDiagnostics, DuplicatePhrasesAreFoundAmongMany) {
  const std::string stems = "甲乙丙丁戊己庚辛壬癸";
  auto stem = [&](int n) {  // 1,000 distinct three-character phrases
    std::string p;
    for (int d : {n / 100, n / 10 % 10, n % 10})
      p += stems.substr(static_cast<std::size_t>(d) * 3, 3);
    return p;
  };
  std::string y = "patter: 1\nid: many\nlocale: zh-CN\nintents:\n";
  for (int i = 0; i < 10; ++i) {
    y += "  i" + std::to_string(i) + ": [";
    for (int k = 0; k < 60; ++k) y += (k ? ", " : "") + stem(i * 60 + k);
    y += "]\n";
  }
  // Five phrases the intents above have, one of its own twice, and new ones.
  const int taken[] = {0, 61, 299, 420, 599};
  y += "  dup: [";
  for (int n : taken) y += stem(n) + ", ";
  y += stem(900) + ", " + stem(900) + ", " + stem(901) + "]\n";
  y += "start: a\nnodes:\n  a: {say: 您好, routes: [{intent: [i0, dup], to: b}]}\n"
       "  b: {say: 再见, hangup: completed}\n";
  auto r = patter::load_string(y, "many.yaml");
  ASSERT_TRUE(r.ok());
  std::vector<std::string> messages;
  for (const auto& d : r.diagnostics)
    if (d.code == patter::Code::duplicate_phrase) messages.push_back(d.message);
  ASSERT_EQ(messages.size(), std::size(taken));
  for (std::size_t k = 0; k < messages.size(); ++k) {
    const std::string first = "`i" + std::to_string(taken[k] / 60) + "`";
    EXPECT_NE(messages[k].find(first), std::string::npos) << messages[k];
    EXPECT_NE(messages[k].find(stem(taken[k])), std::string::npos) << messages[k];
  }
}

// In a call: the capture keeps its case, and a guard compares it without.
TEST(MatcherCaptures, ASessionStoresTheOriginalAndGuardsCompareWithoutCase) {
  auto s = load(R"y(patter: 1
id: tail
locale: zh-CN
variables:
  tail: ""
  crm_tail: ""
intents:
  account: {patterns: ['尾号(?<tail>[0-9A-Za-z]{3,4})']}
start: ask
nodes:
  ask:
    say: 请说一下卡号尾号
    routes:
      - {intent: account, when: "lower(tail) == lower(crm_tail)", to: ok}
      - {intent: account, to: wrong}
  ok: {say: 核对无误, hangup: completed}
  wrong: {say: 不对, hangup: completed}
)y");
  ASSERT_TRUE(s);
  for (const char* crm : {"6a8", "6A8", "7B9"}) {
    const patter::VariableValue vars[] = {{"crm_tail", crm}};
    patter::Started st = patter::Session::start(s, vars);
    ASSERT_TRUE(st.ok()) << st.message();
    patter::Turn t;
    st->step(patter::Event::answered(1000), t);
    st->step(patter::Event::utterance("尾号6A8", 2000), t);
    EXPECT_EQ(st->variable("tail"), "6A8");
    EXPECT_EQ(s->node(st->node()).name, std::string(crm) == "7B9" ? "wrong" : "ok") << crm;
  }
}

// The precedence as one number per intent: the kind first, then the higher
// priority, negative and extreme priorities included.
TEST(MatcherRank, KindThenHigherPriority) {
  using patter::IntentKind;
  using Impl = patter::Matcher::Impl;
  const int priorities[] = {std::numeric_limits<int>::min(), -5, -1, 0, 1, 7,
                            std::numeric_limits<int>::max()};
  const IntentKind kinds[] = {IntentKind::opt_out, IntentKind::human, IntentKind::question,
                              IntentKind::refusal, IntentKind::answer};
  for (const IntentKind ka : kinds)
    for (const IntentKind kb : kinds)
      for (const int pa : priorities)
        for (const int pb : priorities) {
          const bool first = ka != kb ? ka < kb : pa > pb;
          EXPECT_EQ(Impl::rank_of(ka, pa) < Impl::rank_of(kb, pb), first)
              << static_cast<int>(ka) << "/" << pa << " vs " << static_cast<int>(kb) << "/" << pb;
        }
}
