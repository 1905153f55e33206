// Measuring a script's understanding on labelled replies
// (patter/tooling/evaluation.hpp): the reader's errors, and the figures on a tiny
// set whose answers are known.
#include <patter/patter.hpp>
#include <patter/tooling/evaluation.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

namespace {

using patter::Code;
using patter::EvalSet;
using patter::read_eval_string;

patter::Diagnostic only_error(const EvalSet& s) {
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.diagnostics.size(), 1u);
  return s.diagnostics.empty() ? patter::Diagnostic{} : s.diagnostics.front();
}

TEST(EvalReader, ReadsRowsSkippingCommentsAndBlankLines) {
  const EvalSet s = read_eval_string(
      "# a comment\n\nlabel\treply\tcategory\r\n"
      "affirm\t行吧那你说\tresigned, no_punct\r\n"
      "# another\n"
      "none\thello?\tplain",
      "set.tsv");
  ASSERT_TRUE(s.ok()) << patter::format(s.diagnostics.front());
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.rows[0].label, "affirm");
  EXPECT_EQ(s.rows[0].reply, "行吧那你说");
  EXPECT_EQ(s.rows[0].categories, (std::vector<std::string>{"resigned", "no_punct"}));
  EXPECT_EQ(s.rows[0].where, (patter::SourceLocation{"set.tsv", 4, 1}));
  EXPECT_EQ(s.rows[0].reply_column, 8u);
  EXPECT_EQ(s.rows[1].where.line, 6u);
  EXPECT_EQ(s.rows[1].categories, (std::vector<std::string>{"plain"}));
}

TEST(EvalReader, AByteOrderMarkBeforeTheHeaderIsDropped) {
  const EvalSet s =
      read_eval_string("\xEF\xBB\xBFlabel\treply\tcategory\naffirm\tyes\tplain\n", "b.tsv");
  ASSERT_TRUE(s.ok()) << patter::format(s.diagnostics.at(0));
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_EQ(s.rows[0].reply_column, 8u);
}

TEST(EvalReader, AnEmptyFileOrOneWithOnlyAHeaderIsAnError) {
  for (const char* text : {"", "# only a comment\n", "label\treply\tcategory\n", "\n\n"}) {
    const patter::Diagnostic d = only_error(read_eval_string(text, "e.tsv"));
    EXPECT_EQ(d.code, Code::empty_document) << text;
    EXPECT_NE(d.hint.find("label<TAB>reply<TAB>category"), std::string::npos);
  }
}

TEST(EvalReader, TheHeaderMustComeFirst) {
  const patter::Diagnostic d =
      only_error(read_eval_string("# c\naffirm\tyes\tplain\naffirm\tsure\tplain\n", "h.tsv"));
  EXPECT_EQ(d.code, Code::missing_key);
  EXPECT_EQ(d.where, (patter::SourceLocation{"h.tsv", 2, 1}));
  EXPECT_NE(d.message.find("`affirm\tyes\tplain`"), std::string::npos) << d.message;
}

TEST(EvalReader, AMissingColumnIsPointedAtTheEndOfItsLine) {
  const patter::Diagnostic d =
      only_error(read_eval_string("label\treply\tcategory\nopt_out\t别打了\n", "m.tsv"));
  EXPECT_EQ(d.code, Code::missing_key);
  EXPECT_EQ(d.where, (patter::SourceLocation{"m.tsv", 2, 12}));  // characters, not bytes
  EXPECT_NE(d.message.find("category column is missing"), std::string::npos) << d.message;
  const patter::Diagnostic d2 =
      only_error(read_eval_string("label\treply\tcategory\nopt_out\n", "m.tsv"));
  EXPECT_NE(d2.message.find("reply column is missing"), std::string::npos) << d2.message;
}

TEST(EvalReader, AnEmptyReplyOrCategoryIsAnError) {
  const patter::Diagnostic d =
      only_error(read_eval_string("label\treply\tcategory\naffirm\t  \tplain\n", "e.tsv"));
  EXPECT_EQ(d.code, Code::missing_key);
  EXPECT_EQ(d.where.column, 8u);
  EXPECT_NE(d.message.find("reply column is empty"), std::string::npos);
  const patter::Diagnostic d2 =
      only_error(read_eval_string("label\treply\tcategory\naffirm\tyes\t\n", "e.tsv"));
  EXPECT_NE(d2.message.find("category column is empty"), std::string::npos);
}

TEST(EvalReader, ALabelMustBeAName) {
  const patter::Diagnostic d =
      only_error(read_eval_string("label\treply\tcategory\nOpt-Out\tstop\tplain\n", "l.tsv"));
  EXPECT_EQ(d.code, Code::invalid_value);
  EXPECT_EQ(d.where, (patter::SourceLocation{"l.tsv", 2, 1}));
  EXPECT_NE(d.message.find("`Opt-Out` is not a label"), std::string::npos) << d.message;
}

TEST(EvalReader, AFourthColumnIsAnError) {
  const patter::Diagnostic d =
      only_error(read_eval_string("label\treply\tcategory\naffirm\tyes\tplain\textra\n", "f.tsv"));
  EXPECT_EQ(d.code, Code::invalid_value);
  EXPECT_EQ(d.where, (patter::SourceLocation{"f.tsv", 2, 17}));
}

TEST(EvalReader, BytesThatAreNotUtf8AreAnErrorAtTheirPlace) {
  const patter::Diagnostic d =
      only_error(read_eval_string("label\treply\tcategory\naffirm\t好\xff\tplain\n", "u.tsv"));
  EXPECT_EQ(d.code, Code::invalid_utf8);
  EXPECT_EQ(d.where, (patter::SourceLocation{"u.tsv", 2, 9}));
  EXPECT_NE(d.message.find("0xFF"), std::string::npos);
}

TEST(EvalReader, AHugeFileOrReplyIsRefused) {
  patter::EvalReadOptions o;
  o.max_file_bytes = 64;
  const std::string big = "label\treply\tcategory\n" + std::string(100, '#') + "\n";
  EXPECT_EQ(only_error(read_eval_string(big, "big.tsv", o)).code, Code::file_too_large);

  const std::string path = testing::TempDir() + "patter_eval_big.tsv";
  std::ofstream(path, std::ios::binary) << big;
  const EvalSet from_file = patter::read_eval_file(path, o);
  EXPECT_EQ(only_error(from_file).code, Code::file_too_large);
  EXPECT_EQ(from_file.diagnostics.front().where.file, path);
  std::remove(path.c_str());

  o = {};
  o.max_reply_bytes = 8;
  EXPECT_EQ(only_error(read_eval_string("label\treply\tcategory\naffirm\tyes yes yes\tplain\n",
                                        "r.tsv", o))
                .code,
            Code::text_too_long);
}

TEST(EvalReader, AMissingFileIsAnIoError) {
  const EvalSet s = patter::read_eval_file("/no/such/dir/set.tsv");
  EXPECT_EQ(only_error(s).code, Code::io_error);
  EXPECT_EQ(only_error(s).message, "cannot read the evaluation set `/no/such/dir/set.tsv`");
  EXPECT_EQ(s.diagnostics.front().where.file, "/no/such/dir/set.tsv");
}

// ---- figures ---------------------------------------------------------------------

std::shared_ptr<const patter::Script> tiny() {
  static const auto script = patter::load_string(R"(
patter: 1
id: tiny
locale: en-US
start: ask
intents:
  yes: [yes, sure]
  no: [nope]
  stop: [stop calling]
nodes:
  ask:
    say: A minute?
    routes:
      - intent: yes
        to: bye
      - intent: no
        to: bye
      - intent: stop
        to: bye
  bye:
    say: Bye.
    hangup: completed
)",
                                                 "tiny.yaml");
  EXPECT_TRUE(script.ok());
  return script.script;
}

// Seven replies, five right: a yes not heard, a no heard as yes.
const char* kTinySet =
    "label\treply\tcategory\n"
    "yes\tyes\tplain\n"
    "yes\tsure thing\tcolloquial\n"
    "no\tnope\tplain\n"
    "stop\tstop calling\tplain,opt\n"
    "yes\thmm okay then\tcolloquial\n"
    "no\tyes it's not\tplain\n"
    "none\tbanana\tplain\n";

TEST(Evaluate, CountsOverallPerIntentAndPerCategory) {
  const EvalSet set = read_eval_string(kTinySet, "tiny.tsv");
  ASSERT_TRUE(set.ok());
  const patter::Evaluation e = patter::evaluate(*tiny(), set.rows);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.script, "tiny");
  EXPECT_EQ(e.total, 7u);
  EXPECT_EQ(e.correct, 5u);
  EXPECT_DOUBLE_EQ(e.accuracy(), 5.0 / 7.0);

  // The script's intents in its order, then none.
  ASSERT_EQ(e.intents.size(), 4u);
  EXPECT_EQ(e.intents[0].intent, "yes");
  EXPECT_EQ(e.intents[3].intent, "none");
  const patter::IntentFigures* yes = e.find("yes");
  ASSERT_NE(yes, nullptr);
  EXPECT_EQ(yes->expected, 3u);
  EXPECT_EQ(yes->predicted, 3u);
  EXPECT_EQ(yes->correct, 2u);
  EXPECT_DOUBLE_EQ(yes->precision(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(yes->recall(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(yes->f1(), 2.0 / 3.0);
  const patter::IntentFigures* no = e.find("no");
  EXPECT_DOUBLE_EQ(no->precision(), 1.0);
  EXPECT_DOUBLE_EQ(no->recall(), 0.5);
  EXPECT_DOUBLE_EQ(e.recall("stop"), 1.0);
  EXPECT_DOUBLE_EQ(e.recall("never_labelled"), 1.0);
  EXPECT_EQ(e.find("never_labelled"), nullptr);

  ASSERT_EQ(e.categories.size(), 3u);
  EXPECT_EQ(e.categories[0].category, "plain");
  EXPECT_EQ(e.categories[0].total, 5u);
  EXPECT_EQ(e.categories[0].correct, 4u);
  EXPECT_EQ(e.categories[1].category, "colloquial");
  EXPECT_DOUBLE_EQ(e.categories[1].accuracy(), 0.5);
  EXPECT_EQ(e.categories[2].category, "opt");
}

TEST(Evaluate, TheConfusionTableAndTheMissesSayWhatWentWhere) {
  const EvalSet set = read_eval_string(kTinySet, "tiny.tsv");
  const patter::Evaluation e = patter::evaluate(*tiny(), set.rows);
  // rows: yes, no, stop, none; columns: understood as.
  const std::vector<std::vector<std::uint64_t>> want = {
      {2, 0, 0, 1}, {1, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
  EXPECT_EQ(e.confusion, want);
  ASSERT_EQ(e.misses.size(), 2u);
  EXPECT_EQ(e.misses[0].where, (patter::SourceLocation{"tiny.tsv", 6, 1}));
  EXPECT_EQ(e.misses[0].reply, "hmm okay then");
  EXPECT_EQ(e.misses[0].expected, "yes");
  EXPECT_EQ(e.misses[0].got, "none");
  EXPECT_EQ(e.misses[1].got, "yes");
  EXPECT_NE(e.misses[1].explain.find("yes"), std::string::npos) << e.misses[1].explain;
}

TEST(Evaluate, ALabelTheScriptLacksIsAnErrorAtItsFirstLine) {
  const EvalSet set = read_eval_string(
      "label\treply\tcategory\nyes\tyes\tplain\nconsidering\tlet me "
      "think\tplain\nconsidering\thmm\tplain\n"
      "sotp\tstop calling\tplain\n",
      "u.tsv");
  const patter::Evaluation e = patter::evaluate(*tiny(), set.rows);
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.total, 0u);
  ASSERT_EQ(e.diagnostics.size(), 2u);
  EXPECT_EQ(e.diagnostics[0].code, Code::unknown_intent);
  EXPECT_EQ(e.diagnostics[0].where, (patter::SourceLocation{"u.tsv", 3, 1}));
  EXPECT_NE(e.diagnostics[0].message.find("`considering`"), std::string::npos);
  EXPECT_NE(e.diagnostics[0].message.find("(2 replies)"), std::string::npos)
      << e.diagnostics[0].message;
  EXPECT_NE(e.diagnostics[1].hint.find("did you mean `stop`"), std::string::npos)
      << e.diagnostics[1].hint;
}

TEST(Evaluate, AllowedUnknownLabelsWarnAndCountAsMisses) {
  const EvalSet set = read_eval_string(
      "label\treply\tcategory\nyes\tyes\tplain\nconsidering\tlet me think\tplain\n", "u.tsv");
  patter::EvalOptions o;
  o.allow_unknown_labels = true;
  const patter::Evaluation e = patter::evaluate(*tiny(), set.rows, o);
  EXPECT_TRUE(e.ok());
  ASSERT_EQ(e.diagnostics.size(), 1u);
  EXPECT_EQ(e.diagnostics[0].severity, patter::Severity::warning);
  EXPECT_EQ(e.total, 2u);
  EXPECT_EQ(e.correct, 1u);
  const patter::IntentFigures* c = e.find("considering");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->expected, 1u);
  EXPECT_EQ(c->correct, 0u);
  EXPECT_EQ(e.intents.back().intent, "none");  // labels the script lacks come before none
}

TEST(Evaluate, TheTextReportAlignsWideNamesAndListsMissesOnRequest) {
  const EvalSet set =
      read_eval_string("label\treply\tcategory\nyes\tyes\t方言\nno\tyes\tplain\n", "w.tsv");
  const patter::Evaluation e = patter::evaluate(*tiny(), set.rows);
  const std::string text = e.to_text();
  EXPECT_NE(text.find("script tiny: 1 of 2 replies understood, accuracy 50.0%"), std::string::npos)
      << text;
  // "方言" is four columns wide: padded to the eight of "category", like "plain" below it.
  EXPECT_NE(text.find("方言            1      1    100.0%"), std::string::npos) << text;
  EXPECT_NE(text.find(" 1. yes "), std::string::npos) << text;
  EXPECT_EQ(text.find("misses"), std::string::npos);
  const std::string with = e.to_text(true);
  EXPECT_NE(with.find("w.tsv:3: expected no, got yes [plain]: yes"), std::string::npos) << with;
}

TEST(Evaluate, JsonCarriesTheSameFigures) {
  const EvalSet set = read_eval_string(kTinySet, "tiny.tsv");
  const std::string json = patter::evaluate(*tiny(), set.rows).to_json();
  EXPECT_EQ(json.rfind("{\"script\":\"tiny\",\"total\":7,\"correct\":5,\"accuracy\":0.714286,", 0),
            0u)
      << json;
  EXPECT_NE(
      json.find(
          "{\"intent\":\"no\",\"expected\":2,\"predicted\":1,\"correct\":1,\"precision\":1.000000,"
          "\"recall\":0.500000"),
      std::string::npos);
  EXPECT_NE(json.find("\"confusion\":[[2,0,0,1],[1,1,0,0],[0,0,1,0],[0,0,0,1]]"),
            std::string::npos);
  EXPECT_NE(json.find("\"reply\":\"hmm okay then\",\"expected\":\"yes\",\"got\":\"none\""),
            std::string::npos);
}

// The bundled sets keep their promise: every label of the common set, a
// floor of replies per label, and refusals followed by an opt-out, with and
// without punctuation.
TEST(Evaluate, TheBundledSetsCoverEveryLabelAndEnoughOptOuts) {
  const std::vector<std::string> labels = {
      "affirm",       "negate",        "interested",     "not_interested",     "opt_out",
      "ask_robot",    "ask_who",       "ask_price",      "ask_how_got_number", "ask_human",
      "busy",         "wrong_person",  "callback_later", "ask_repeat",         "considering",
      "already_have", "too_expensive", "send_info",      "complaint"};
  struct Want {
    const char* locale;
    std::size_t rows, per_label, refusal_then_opt_out;
  };
  for (const Want w : {Want{"zh-CN", 650, 20, 50}, Want{"en-US", 330, 12, 25}}) {
    const EvalSet s = patter::read_eval_file(std::string(PATTER_SOURCE_DIR) + "/tests/data/eval/" +
                                             w.locale + ".tsv");
    ASSERT_TRUE(s.ok()) << patter::format(s.diagnostics.front());
    EXPECT_GE(s.rows.size(), w.rows) << w.locale;
    std::map<std::string, std::size_t> per_label;
    std::size_t then_opt_out = 0, unpunctuated = 0;
    for (const patter::EvalRow& r : s.rows) {
      ++per_label[r.label];
      const auto& c = r.categories;
      if (std::find(c.begin(), c.end(), "refusal_then_opt_out") == c.end()) continue;
      EXPECT_EQ(r.label, "opt_out") << w.locale << ':' << r.where.line;
      ++then_opt_out;
      unpunctuated += std::find(c.begin(), c.end(), "no_punct") != c.end();
    }
    for (const std::string& l : labels)
      EXPECT_GE(per_label[l], w.per_label) << w.locale << ' ' << l;
    EXPECT_GE(then_opt_out, w.refusal_then_opt_out) << w.locale;
    EXPECT_GE(unpunctuated, w.refusal_then_opt_out / 3) << w.locale;
    EXPECT_GE(then_opt_out - unpunctuated, w.refusal_then_opt_out / 3) << w.locale;
    EXPECT_LE(per_label["none"] * 50, s.rows.size()) << w.locale << ": none is kept rare";
  }
}

}  // namespace

// A reply of backchannels alone is the answer a call takes it for after a
// question (the script's backchannel_intent), not "no intent".
TEST(Evaluate, BackchannelsCountAsTheCallTakesThem) {
  const char* script = R"(
patter: 1
id: nods
locale: en-US
start: ask
settings: {backchannel_intent: BACKCHANNEL}
intents:
  affirm: [yes, sure]
  negate: [nope]
nodes:
  ask:
    say: A minute?
    routes:
      - {intent: [affirm, negate], to: bye}
  bye: {say: Bye., hangup: completed}
)";
  const EvalSet set = read_eval_string(
      "label\treply\tcategory\n"
      "affirm\tUh-huh.\tbackchannel\n"
      "affirm\tmm-hmm, right\tbackchannel\n"
      "negate\tnope\tplain\n"
      "none\tbanana\tplain\n",
      "nods.tsv");
  ASSERT_TRUE(set.ok());
  auto load = [&](const char* intent) {
    std::string text = script;
    text.replace(text.find("BACKCHANNEL"), 11, intent);
    auto loaded = patter::load_string(text, "nods.yaml");
    EXPECT_TRUE(loaded.ok()) << (loaded.diagnostics.empty()
                                     ? ""
                                     : patter::format(loaded.diagnostics[0]));
    return loaded.script;
  };
  const patter::Evaluation on = patter::evaluate(*load("affirm"), set.rows);
  EXPECT_EQ(on.correct, 4u);
  const patter::Evaluation off = patter::evaluate(*load("none"), set.rows);
  EXPECT_EQ(off.correct, 2u);  // without it, a nod is no intent
}
