// Whole calls through the bundled example scripts, written as the call
// sheet a sales expert would read: what the customer says, what the robot
// says back, and what else it does. Each test then checks the CallResult a
// CRM would store.
//
// The customer column is what the recogniser heard, or one of these events:
//   (answer) (silence) (key 1) (hangup) (voicemail) (timer)
//   (agent joins) (agent leaves) (agent leaves at NODE)
//   (data NAME=VALUE): the host's answer to the fetch that waits
// The robot column is every line said in that step, joined by " / ".
// The last column is the other actions: listen, tag X, escalate REASON
// PRIORITY, hangup REASON, stop_line, end ("-" when there are none).
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace {

using patter::HangupReason;
using patter::Outcome;

std::shared_ptr<const patter::Script> example(const std::string& file) {
  static std::map<std::string, std::shared_ptr<const patter::Script>> cache;
  auto& s = cache[file];
  if (!s) {
    const auto path = std::filesystem::path(PATTER_SOURCE_DIR) / "examples" / "scripts" / file;
    patter::LoadResult r = patter::load_file(path.string());
    std::string all;
    for (const auto& d : r.diagnostics) all += patter::format(d) + "\n";
    EXPECT_TRUE(r.ok()) << all;
    s = r.script;
  }
  return s;
}

/// One step of the call sheet.
struct Row {
  std::string customer;
  std::string robot;
  std::string then;
  bool operator==(const Row&) const = default;
};

/// What the CRM gets.
struct Expected {
  Outcome outcome;
  HangupReason hangup;
  std::string grade;
  std::vector<std::string> tags;
  std::vector<std::string> path;
  std::optional<patter::EscalationReason> escalation = std::nullopt;
};

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string table(const std::vector<Row>& rows) {
  std::string out;
  for (const Row& r : rows)
    out += "      {" + quoted(r.customer) + ", " + quoted(r.robot) + ", " + quoted(r.then) + "},\n";
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return "[" + out + "]";
}

/// The event a customer cell stands for (at `at` ms).
patter::Event event_for(const patter::Script& script, const patter::Session& call,
                        const std::string& cell, std::uint64_t at) {
  using patter::Event;
  if (cell == "(answer)") return Event::answered(at);
  if (cell == "(silence)") return Event::no_input(at);
  if (cell == "(hangup)") return Event::customer_hangup(at);
  if (cell == "(voicemail)") return Event::voicemail(at);
  if (cell == "(timer)") return Event::timer(std::max(at, call.deadline_ms()));
  if (cell == "(agent joins)") return Event::agent_joined(at);
  if (cell == "(agent leaves)") return Event::agent_left(at);
  if (cell.starts_with("(agent leaves at ")) {
    const std::string node = cell.substr(17, cell.size() - 18);
    auto id = script.find_node(node);
    EXPECT_TRUE(id) << node;
    return Event::agent_left(at, id.value_or(patter::kNone));
  }
  if (cell.starts_with("(key ")) return Event::dtmf(cell[5], at);
  if (cell.starts_with("(data ")) {  // the event borrows its values until the step
    static std::string found;
    static patter::VariableValue value;
    found = cell.substr(6, cell.size() - 7);
    const std::size_t eq = found.find('=');
    value = {std::string_view(found).substr(0, eq), std::string_view(found).substr(eq + 1)};
    return Event::data(call.fetch_id(), {&value, 1}, at);
  }
  if (cell.starts_with("(while speaking) "))
    return Event::utterance(std::string_view(cell).substr(17), at).during(2'000);
  return Event::utterance(cell, at);
}

std::string actions_of(const patter::Turn& turn, std::string& robot) {
  std::string then;
  auto add = [&](const std::string& s) { then += (then.empty() ? "" : ", ") + s; };
  for (const patter::Action& a : turn.actions()) {
    switch (a.type) {
      case patter::ActionType::say:
        robot += (robot.empty() ? "" : " / ") + std::string(a.text);
        break;
      case patter::ActionType::listen: add("listen"); break;
      case patter::ActionType::stop_line: add("stop_line"); break;
      case patter::ActionType::tag: add("tag " + std::string(a.text)); break;
      case patter::ActionType::hangup:
        add("hangup " + std::string(patter::to_string(a.hangup)));
        break;
      case patter::ActionType::escalate:
        add("escalate " + std::string(patter::to_string(a.escalation)) + " " +
            std::string(patter::to_string(a.priority)));
        break;
      case patter::ActionType::end: add("end"); break;
      case patter::ActionType::resume_line: add("resume_line"); break;
      case patter::ActionType::understand: add("understand"); break;
      case patter::ActionType::fetch: add("fetch " + std::string(a.text)); break;
    }
  }
  return then.empty() ? "-" : then;
}

/// Play the customer column of `sheet` against `file`, one event every 4 s,
/// and compare the whole call with the sheet and `expected`.
void play(const std::string& file, std::initializer_list<patter::VariableValue> variables,
          const std::vector<Row>& sheet, const Expected& expected) {
  auto script = example(file);
  ASSERT_TRUE(script);
  patter::Started started =
      patter::Session::start(script, variables, patter::SessionOptions{.transcript = 256});
  ASSERT_TRUE(started.ok()) << started.message();
  patter::Session& call = *started;
  patter::Turn turn;
  std::vector<Row> got;
  std::uint64_t at = 1'000;
  std::vector<std::string> robot_lines;
  for (const Row& row : sheet) {
    const patter::Event e = event_for(*script, call, row.customer, at);
    const patter::Status status = call.step(e, turn);
    EXPECT_FALSE(patter::is_error(status)) << row.customer << ": " << patter::describe(status);
    Row r{row.customer, "", ""};
    r.then = actions_of(turn, r.robot);
    for (const patter::Action& a : turn.actions())
      if (a.type == patter::ActionType::say) robot_lines.emplace_back(a.text);
    got.push_back(std::move(r));
    at = std::max(at, e.at_ms) + 4'000;
  }
  EXPECT_EQ(table(got), table(sheet));
  EXPECT_TRUE(call.ended()) << "the call is still going, at " << script->node(call.node()).name;

  const patter::CallResult res = call.result();
  EXPECT_EQ(res.outcome, expected.outcome) << patter::to_string(res.outcome);
  EXPECT_EQ(res.hangup, expected.hangup) << patter::to_string(res.hangup);
  EXPECT_EQ(res.grade, expected.grade);
  std::vector<std::string> path;
  for (patter::NodeId n : res.path) path.push_back(script->node(n).name);
  EXPECT_EQ(res.tags, expected.tags) << join(res.tags);
  EXPECT_EQ(path, expected.path) << join(path);
  EXPECT_EQ(res.escalated, expected.escalation.has_value());
  if (expected.escalation) {
    EXPECT_EQ(res.escalation, *expected.escalation) << patter::to_string(res.escalation);
  }

  // The session's own transcript says the same robot lines, in order.
  std::vector<std::string> kept;
  for (const patter::TranscriptEntry& e : res.transcript)
    if (e.who == patter::TranscriptEntry::Who::robot) kept.push_back(e.text);
  EXPECT_EQ(kept, robot_lines);
}

constexpr const char* kScreening = "screening.zh-CN.yaml";
constexpr const char* kInvitation = "invitation.zh-CN.yaml";
constexpr const char* kReactivation = "reactivation.zh-CN.yaml";
constexpr const char* kAppointment = "appointment.en-US.yaml";

}  // namespace

// ---- screening (zh-CN): adult-education leads ---------------------------------

TEST(ScreeningCall, HotLeadGoesToATeacher) {
  play(
      kScreening, {{"customer_name", "张先生"}, {"lead_source", "抖音"}},
      {
          {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
          {"是的，我是",
           "我是学程教育的课程顾问小林。您之前在抖音上留过信息，想了解学历提升，是吧？", "listen"},
          {"对，我在抖音上填过",
           "好的。那我先简单了解一下，您现在的最高学历是初中、高中中专，还是大专呢？", "listen"},
          {"我是大专毕业", "您提升学历主要是为了什么呢？是工作上升职加薪，还是想考公考编、考证？",
           "tag edu_college, listen"},
          {"想考公务员，学历不够", "那您大概想什么时候开始？这一期报名，还是等下一期？",
           "tag goal_exam, listen"},
          {"越快越好，这个月就想报", "太好了，您稍等一下，我请我们的招生老师直接跟您说，马上就好。",
           "tag hot, tag hot_transfer, escalate interested high"},
          {"(agent joins)", "", "-"},
          {"好的老师你说", "", "-"},
          {"(agent leaves)", "", "hangup agent_ended, tag high_intent, end"},
      },
      {Outcome::escalated,
       HangupReason::agent_ended,
       "A",
       {"edu_college", "goal_exam", "hot", "hot_transfer", "high_intent"},
       {"opening", "intro", "ask_education", "ask_goal", "ask_time", "transfer_hot"},
       patter::EscalationReason::interested});
}

TEST(ScreeningCall, RefusalRetainedTwiceThenWeChat) {
  play(kScreening, {{"customer_name", "张先生"}, {"lead_source", "抖音"}},
       {
           {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
           {"是我", "我是学程教育的课程顾问小林。您之前在抖音上留过信息，想了解学历提升，是吧？",
            "listen"},
           {"不感兴趣",
            "理解的。其实现在很多人都是边上班边读，周末上课，拿的是国家承认的学历，以后考证、升职都"
            "用得上。您要不先简单了解一下？",
            "listen"},
           {"那好吧，可以了解一下",
            "好的。那我先简单了解一下，您现在的最高学历是初中、高中中专，还是大专呢？", "listen"},
           {"我现在不需要",
            "好的，那我就最后说一句，这期报名有学费优惠，先了解一下也不收费。您看要不要听听？",
            "listen"},
           {"好吧，你说",
            "我们现在有个免费的学历评估，专业老师会根据您的情况推荐学校和专业，把时间和费用都算好。"
            "我现在请老师跟您聊几分钟，好吗？",
            "listen"},
           {"不用了", "那这样，我加一下您微信，把招生简章和学费明细发给您，您有空看看，行吗？",
            "listen"},
           {"行",
            "好的，稍后会用这个手机号加您微信，您通过一下就行。资料发您以后，有问题随时问我。那先不"
            "打扰您了，再见！",
            "tag wechat, hangup completed, tag follow_up, end"},
       },
       {Outcome::completed,
        HangupReason::completed,
        "B",
        {"wechat", "follow_up"},
        {"opening", "intro", "retain", "ask_education", "retain", "offer_assessment", "send_wechat",
         "wechat_close"}});
}

TEST(ScreeningCall, RefusalRetentionFails) {
  play(kScreening, {{"customer_name", "张先生"}, {"lead_source", "抖音"}},
       {
           {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
           {"是的", "我是学程教育的课程顾问小林。您之前在抖音上留过信息，想了解学历提升，是吧？",
            "listen"},
           {"没兴趣",
            "理解的。其实现在很多人都是边上班边读，周末上课，拿的是国家承认的学历，以后考证、升职都"
            "用得上。您要不先简单了解一下？",
            "listen"},
           {"不需要，谢谢",
            "好的，那就不打扰您了。以后有需要，随时联系学程教育。祝您工作顺利，再见！",
            "tag refused, hangup not_interested, end"},
       },
       {Outcome::hangup,
        HangupReason::not_interested,
        "D",
        {"refused"},
        {"opening", "intro", "retain", "polite_close"}});
}

TEST(ScreeningCall, OptOutInTheMiddle) {
  play(kScreening, {{"customer_name", "张先生"}, {"lead_source", "抖音"}},
       {
           {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
           {"是的", "我是学程教育的课程顾问小林。您之前在抖音上留过信息，想了解学历提升，是吧？",
            "listen"},
           {"对", "好的。那我先简单了解一下，您现在的最高学历是初中、高中中专，还是大专呢？",
            "listen"},
           {"你们烦不烦啊，天天打，别再打了",
            "非常抱歉打扰到您，我们会登记您的号码，以后不再给您打电话。再见。",
            "tag dnc, hangup opt_out, tag invalid, end"},
       },
       {Outcome::hangup,
        HangupReason::opt_out,
        "E",
        {"dnc", "invalid"},
        {"opening", "intro", "ask_education", "optout_close"}});
}

TEST(ScreeningCall, SilenceToTheEnd) {
  play(kScreening, {{"customer_name", "张先生"}, {"lead_source", "抖音"}},
       {
           {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
           {"(silence)", "喂？您好，能听到我说话吗？", "listen"},
           {"(silence)", "喂，您好？", "listen"},
           {"(silence)", "喂？听不到您的声音，那我稍后再打给您，再见。", "hangup no_answer, end"},
       },
       {Outcome::hangup, HangupReason::no_answer, "E", {}, {"opening", "no_answer_close"}});
}

TEST(ScreeningCall, QuestionsAnsweredAndResumed) {
  play(kScreening, {{"customer_name", "李女士"}},
       {
           {"(answer)", "喂，您好，请问是李女士吗？", "listen"},
           {"你是哪里啊",
            "我是学程教育的课程顾问小林。您之前在网络上留过信息，想了解学历提升，是吧？", "listen"},
           {"你是机器人吗",
            "我是学程教育的智能助理，先帮老师了解一下您的情况，您有需要我马上请真人老师跟您聊。 / "
            "我是学程教育的课程顾问小林。您之前在网络上留过信息，想了解学历提升，是吧？",
            "listen"},
           {"多少钱啊",
            "学费要看学校和专业，一般一年几千块，可以分期，这期报名还有优惠。具体让老师帮您算一下。"
            " / 我是学程教育的课程顾问小林。您之前在网络上留过信息，想了解学历提升，是吧？",
            "tag price_asked, listen"},
           {"你们怎么有我的电话",
            "您之前在网络上填过学历咨询的表单，留的就是这个号码，所以我们回访一下。 / "
            "我是学程教育的课程顾问小林。您之前在网络上留过信息，想了解学历提升，是吧？",
            "listen"},
           {"对，是我填的",
            "好的。那我先简单了解一下，您现在的最高学历是初中、高中中专，还是大专呢？", "listen"},
           {"高中", "您提升学历主要是为了什么呢？是工作上升职加薪，还是想考公考编、考证？",
            "tag edu_high_school, listen"},
           {"还没想好", "那您大概想什么时候开始？这一期报名，还是等下一期？", "listen"},
           {"明年吧", "好的。方便说一下您今年多大吗？报名对年龄有一点要求。", "tag warm, listen"},
           {"我今年35",
            "我们现在有个免费的学历评估，专业老师会根据您的情况推荐学校和专业，把时间和费用都算好。"
            "我现在请老师跟您聊几分钟，好吗？",
            "listen"},
           {"我在开车呢", "好的，那您先忙，我晚点再联系您，再见。",
            "tag call_again, hangup busy, tag nurture, end"},
       },
       {Outcome::hangup,
        HangupReason::busy,
        "C",
        {"price_asked", "edu_high_school", "warm", "call_again", "nurture"},
        {"opening", "intro", "ask_education", "ask_goal", "ask_time", "ask_age", "offer_assessment",
         "busy_close"}});
}

TEST(ScreeningCall, LongQuestionGoesToATeacher) {
  play(kScreening, {{"customer_name", "张先生"}, {"lead_source", "抖音"}},
       {
           {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
           {"是我", "我是学程教育的课程顾问小林。您之前在抖音上留过信息，想了解学历提升，是吧？",
            "listen"},
           {"我想问一下你们这个学历国家承认吗，学信网上能查到吗",
            "您这个问题问得很具体，我请专业老师来给您解答，请稍等。", "escalate question normal"},
           {"(hangup)", "", "tag follow_up, end"},
       },
       {Outcome::customer_hangup,
        HangupReason::customer_hangup,
        "B",
        {"follow_up"},
        {"opening", "intro", "transfer_question"},
        patter::EscalationReason::question});
}

TEST(ScreeningCall, RepeatLeadSkipsTheQuestions) {
  play(kScreening,
       {{"customer_name", "张先生"}, {"lead_source", "抖音"}, {"is_repeat_lead", "true"}},
       {
           {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
           {"(while speaking) 喂喂", "", "-"},
           {"嗯，是我",
            "我是学程教育的课程顾问小林。您之前在抖音上留过信息，想了解学历提升，是吧？", "listen"},
           {"对",
            "我们现在有个免费的学历评估，专业老师会根据您的情况推荐学校和专业，把时间和费用都算好。"
            "我现在请老师跟您聊几分钟，好吗？",
            "tag repeat_lead, listen"},
           {"转人工", "好的，马上为您转接老师，请稍等。", "escalate asked_for_human high"},
           {"(hangup)", "", "tag follow_up, end"},
       },
       {Outcome::customer_hangup,
        HangupReason::customer_hangup,
        "B",
        {"repeat_lead", "follow_up"},
        {"opening", "intro", "offer_assessment"},
        patter::EscalationReason::asked_for_human});
}

// Nobody is free: a hold line every 15 s, and after 3 minutes the robot
// offers to call back (the script's `hold`).
TEST(ScreeningCall, NobodyComesForTheTransfer) {
  std::vector<Row> sheet{
      {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
      {"是我", "我是学程教育的课程顾问小林。您之前在抖音上留过信息，想了解学历提升，是吧？",
       "listen"},
      {"帮我转一下人工吧", "好的，马上为您转接老师，请稍等。", "escalate asked_for_human high"},
  };
  for (int line = 0; line < 11; ++line)
    sheet.push_back({"(timer)",
                     line % 2 == 0 ? "老师马上就来，请您稍等一下。"
                                   : "老师还在跟上一位同学说，请您再稍等一下，马上就好。",
                     "-"});
  sheet.push_back({"(timer)", "好的，那我们晚点再联系您，先不打扰了，再见。",
                   "tag call_again, hangup callback, tag follow_up, end"});
  play(kScreening, {{"customer_name", "张先生"}, {"lead_source", "抖音"}}, sheet,
       {Outcome::hangup,
        HangupReason::callback,
        "B",
        {"call_again", "follow_up"},
        {"opening", "intro", "callback_close"},
        patter::EscalationReason::asked_for_human});
}

TEST(ScreeningCall, UnderageEndsTheCall) {
  play(
      kScreening, {{"customer_name", "张先生"}, {"lead_source", "抖音"}},
      {
          {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
          {"是我", "我是学程教育的课程顾问小林。您之前在抖音上留过信息，想了解学历提升，是吧？",
           "listen"},
          {"是的", "好的。那我先简单了解一下，您现在的最高学历是初中、高中中专，还是大专呢？",
           "listen"},
          {"我是初中",
           "初中也没关系，可以先读中专再接着读大专，我们有连读的方案。 / "
           "您提升学历主要是为了什么呢？是工作上升职加薪，还是想考公考编、考证？",
           "tag edu_junior, listen"},
          {"找工作", "那您大概想什么时候开始？这一期报名，还是等下一期？",
           "tag goal_career, listen"},
          {"不着急", "好的。方便说一下您今年多大吗？报名对年龄有一点要求。", "tag warm, listen"},
          {"我今年16岁", "成人学历要满十八岁才能报名，您先安心读书，到时候有需要再联系我们。再见！",
           "tag underage, hangup completed, tag invalid, end"},
      },
      {Outcome::completed,
       HangupReason::completed,
       "E",
       {"edu_junior", "goal_career", "warm", "underage", "invalid"},
       {"opening", "intro", "ask_education", "junior_note", "ask_goal", "ask_time", "ask_age",
        "underage_close"}});
}

TEST(ScreeningCall, CallbackTimeIsKept) {
  play(kScreening, {{"customer_name", "张先生"}, {"lead_source", "抖音"}},
       {
           {"(answer)", "喂，您好，请问是张先生吗？", "listen"},
           {"是我", "我是学程教育的课程顾问小林。您之前在抖音上留过信息，想了解学历提升，是吧？",
            "listen"},
           {"你明天下午三点再打吧", "好的，那我们明天下午三点再联系您，先不打扰了，再见。",
            "tag call_again, hangup callback, end"},
       },
       {Outcome::hangup,
        HangupReason::callback,
        "D",
        {"call_again"},
        {"opening", "intro", "callback_close"}});
}

// ---- invitation (zh-CN): members invited to a store event ----------------------

TEST(InvitationCall, RegisteredByKeypad) {
  play(kInvitation, {{"member_name", "王女士"}},
       {
           {"(answer)", "您好，请问是王女士吗？我是欧雅家居广场会员中心的。", "listen"},
           {"是我",
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，金卡会员到店就送一套床品四件套，全"
            "场家具低至五折。您这几天有空过来看看吗？",
            "listen"},
           {"好啊，有空就去", "太好了！活动是5月17号到19号，您看哪天方便过来？", "listen"},
           {"周六吧", "好的。到时候几位过来呢？我给您把礼品登记上。", "listen"},
           {"三个人", "好的，给您登记周六到店。确认请按1，要改时间请按2，也可以直接跟我说。",
            "tag family, listen"},
           {"(key 1)",
            "好的，已经帮您登记好了，稍后把地址和到店码发您短信，到店出示就能领一套床品四件套。期待"
            "您光临，再见！",
            "tag registered, hangup completed, tag high_intent, end"},
       },
       {Outcome::completed,
        HangupReason::completed,
        "A",
        {"family", "registered", "high_intent"},
        {"opening", "invite", "ask_day", "ask_party", "confirm_visit", "registered_close"}});
}

TEST(InvitationCall, DiamondMemberChangesTheDay) {
  play(kInvitation, {{"member_name", "王女士"}, {"member_level", "钻石卡"}},
       {
           {"(answer)", "您好，请问是王女士吗？我是欧雅家居广场会员中心的。", "listen"},
           {"对",
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，钻石卡会员到店就送一套床品四件套，"
            "全场家具低至五折。您这几天有空过来看看吗？",
            "listen"},
           {"可以，18号过去", "太好了！活动是5月17号到19号，您看哪天方便过来？", "listen"},
           {"就我自己", "好的。到时候几位过来呢？我给您把礼品登记上。", "listen"},
           {"改到周日吧", "好的，给您登记周日到店。确认请按1，要改时间请按2，也可以直接跟我说。",
            "listen"},
           {"对的",
            "好的，已经帮您登记好了。另外您是钻石卡会员，当天还可以免费预约一次上门家具保养。稍后把"
            "地址和到店码发您短信，到店出示就能领一套床品四件套。期待您光临，再见！",
            "tag registered, hangup completed, tag high_intent, end"},
       },
       {Outcome::completed,
        HangupReason::completed,
        "A",
        {"registered", "high_intent"},
        {"opening", "invite", "ask_day", "ask_party", "confirm_visit", "registered_close"}});
}

TEST(InvitationCall, TooFarThenSms) {
  play(kInvitation, {{"member_name", "王女士"}},
       {
           {"(answer)", "您好，请问是王女士吗？我是欧雅家居广场会员中心的。", "listen"},
           {"是的",
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，金卡会员到店就送一套床品四件套，全"
            "场家具低至五折。您这几天有空过来看看吗？",
            "listen"},
           {"太远了", "这次活动有免费专车接送，杭州市区都能派车接您，您看需要吗？", "listen"},
           {"不用了", "好的，那我把活动地址和电子优惠券发到您手机上，您有空再看看，好吗？",
            "listen"},
           {"好的", "好的，短信稍后发您，记得5月17号到19号过来领礼品哦。再见！",
            "tag sms, hangup completed, tag nurture, end"},
       },
       {Outcome::completed,
        HangupReason::completed,
        "C",
        {"sms", "nurture"},
        {"opening", "invite", "shuttle", "sms_offer", "sms_close"}});
}

TEST(InvitationCall, BuyerTakenOverAndHandedBack) {
  play(kInvitation, {{"member_name", "王女士"}},
       {
           {"(answer)", "您好，请问是王女士吗？我是欧雅家居广场会员中心的。", "listen"},
           {"是我",
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，金卡会员到店就送一套床品四件套，全"
            "场家具低至五折。您这几天有空过来看看吗？",
            "listen"},
           {"我正好要买沙发", "太好了，您稍等，我请咱们的家居顾问直接跟您聊聊款式和价格。",
            "tag buyer, escalate interested high"},
           {"(agent joins)", "", "-"},
           {"(agent leaves at ask_day)", "太好了！活动是5月17号到19号，您看哪天方便过来？",
            "listen"},
           {"18号吧", "好的。到时候几位过来呢？我给您把礼品登记上。", "listen"},
           {"两个人", "好的，给您登记18号到店。确认请按1，要改时间请按2，也可以直接跟我说。",
            "listen"},
           {"(key 1)",
            "好的，已经帮您登记好了，稍后把地址和到店码发您短信，到店出示就能领一套床品四件套。期待"
            "您光临，再见！",
            "tag registered, hangup completed, tag high_intent, end"},
       },
       {Outcome::escalated,
        HangupReason::completed,
        "A",
        {"buyer", "registered", "high_intent"},
        {"opening", "invite", "hot_transfer", "ask_day", "ask_party", "confirm_visit",
         "registered_close"},
        patter::EscalationReason::interested});
}

TEST(InvitationCall, OptOutDuringTheOpening) {
  play(kInvitation, {{"member_name", "王女士"}},
       {
           {"(answer)", "您好，请问是王女士吗？我是欧雅家居广场会员中心的。", "listen"},
           {"(while speaking) 别再打了",
            "非常抱歉打扰您了，我们会登记下来，以后不再给您打电话。再见。",
            "stop_line, tag dnc, hangup opt_out, tag invalid, end"},
       },
       {Outcome::hangup,
        HangupReason::opt_out,
        "E",
        {"dnc", "invalid"},
        {"opening", "optout_close"}});
}

TEST(InvitationCall, SilenceToTheEnd) {
  play(kInvitation, {{"member_name", "王女士"}},
       {
           {"(answer)", "您好，请问是王女士吗？我是欧雅家居广场会员中心的。", "listen"},
           {"是我",
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，金卡会员到店就送一套床品四件套，全"
            "场家具低至五折。您这几天有空过来看看吗？",
            "listen"},
           {"(silence)", "喂？您这几天有空过来看看吗？", "listen"},
           {"(silence)", "喂？信号好像不太好，活动详情我短信发您，再见。",
            "tag sms, hangup no_input, tag nurture, end"},
       },
       {Outcome::hangup,
        HangupReason::no_input,
        "C",
        {"sms", "nurture"},
        {"opening", "invite", "silence_close"}});
}

TEST(InvitationCall, QuestionsAnsweredAndResumed) {
  play(kInvitation, {{"member_name", "王女士"}},
       {
           {"(answer)", "您好，请问是王女士吗？我是欧雅家居广场会员中心的。", "listen"},
           {"是我",
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，金卡会员到店就送一套床品四件套，全"
            "场家具低至五折。您这几天有空过来看看吗？",
            "listen"},
           {"在哪里啊",
            "我们在城东路88号，地铁城东站B口出来就是，停车免费。 / "
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，金卡会员到店就送一套床品四件套，全"
            "场家具低至五折。您这几天有空过来看看吗？",
            "tag asked_address, listen"},
           {"多少钱",
            "活动期间全场家具低至五折，会员再多享九五折，具体款式的价格到店看更直观。 / "
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，金卡会员到店就送一套床品四件套，全"
            "场家具低至五折。您这几天有空过来看看吗？",
            "tag price_asked, listen"},
           {"你是机器人吗",
            "我是欧雅家居广场的智能客服，专门通知会员活动的，您有问题我也可以请顾问来回答。 / "
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，金卡会员到店就送一套床品四件套，全"
            "场家具低至五折。您这几天有空过来看看吗？",
            "listen"},
           {"我考虑一下", "太好了！活动是5月17号到19号，您看哪天方便过来？", "listen"},
           {"还不知道", "好的。到时候几位过来呢？我给您把礼品登记上。", "tag day_unsure, listen"},
           {"一个人", "好的，给您登记活动期间到店。确认请按1，要改时间请按2，也可以直接跟我说。",
            "listen"},
           {"(key 2)", "您大概哪天过来呢？", "listen"},
           {"(silence)", "您大概哪天过来呢？", "listen"},
           {"(silence)", "那到时候几位过来？", "listen"},
           {"(hangup)", "", "tag nurture, end"},
       },
       {Outcome::customer_hangup,
        HangupReason::customer_hangup,
        "C",
        {"asked_address", "price_asked", "day_unsure", "nurture"},
        {"opening", "invite", "ask_day", "ask_party", "confirm_visit", "ask_day", "ask_party"}});
}

TEST(InvitationCall, NotUnderstoodTwiceMentionsTheGift) {
  play(kInvitation, {{"member_name", "王女士"}},
       {
           {"(answer)", "您好，请问是王女士吗？我是欧雅家居广场会员中心的。", "listen"},
           {"是我",
            "感谢您一直支持我们！5月17号到19号是我们十周年店庆，金卡会员到店就送一套床品四件套，全"
            "场家具低至五折。您这几天有空过来看看吗？",
            "listen"},
           {"我家猫刚生了小猫", "就是5月17号到19号店庆，会员到店有礼品，您有空过来看看吗？",
            "listen"},
           {"我家猫刚生了小猫",
            "就算不买也没关系，来了就送一套床品四件套，还能抽奖，最高是一台扫地机器人。过来逛逛也不"
            "亏，您看呢？",
            "listen"},
           {"用不上", "好的，那我把活动地址和电子优惠券发到您手机上，您有空再看看，好吗？",
            "listen"},
           {"不用了", "好的，那不打扰您了。以后有需要欢迎随时来欧雅家居广场看看，再见！",
            "hangup not_interested, end"},
       },
       {Outcome::hangup,
        HangupReason::not_interested,
        "D",
        {},
        {"opening", "invite", "mention_gift", "sms_offer", "polite_close"}});
}

// ---- reactivation (zh-CN): dormant renovation leads ---------------------------

TEST(ReactivationCall, AboutToStartGoesToADesigner) {
  play(kReactivation, {{"customer_name", "陈先生"}, {"last_contact", "去年年底"}},
       {
           {"(answer)", "喂，您好，是陈先生吧？我是安居装饰的小周。", "listen"},
           {"是我",
            "您去年年底在我们这儿咨询过房子装修，当时说还没交房，所以回访一下。您家现在开始装修了吗"
            "？",
            "listen"},
           {"还没装呢，刚交房", "那您大概打算什么时候开始装呢？", "tag stage_not_started, listen"},
           {"下个月就装", "好的。房子大概多大面积，几室几厅？", "tag hot, listen"},
           {"130平，三室两厅",
            "好的。我们这个月有免费上门量房、出设计方案的活动，还送水电十年保修。要不我请设计师跟您"
            "约个时间？",
            "tag big_house, listen"},
           {"可以啊", "好的，您稍等，我请我们的设计师直接跟您约时间。",
            "tag designer_transfer, escalate interested high"},
           {"(agent joins)", "", "-"},
           {"好的你说吧", "", "-"},
           {"(agent leaves)", "", "hangup agent_ended, tag high_intent, end"},
       },
       {Outcome::escalated,
        HangupReason::agent_ended,
        "A",
        {"stage_not_started", "hot", "big_house", "designer_transfer", "high_intent"},
        {"opening", "recall", "ask_timing", "ask_area", "quote_offer", "transfer_designer"},
        patter::EscalationReason::interested});
}

TEST(ReactivationCall, DoneJoinsTheGroupByKeypad) {
  play(
      kReactivation, {{"customer_name", "陈先生"}, {"last_contact", "去年年底"}},
      {
          {"(answer)", "喂，您好，是陈先生吧？我是安居装饰的小周。", "listen"},
          {"对",
           "您去年年底在我们这儿咨询过房子装修，当时说还没交房，所以回访一下。您家现在开始装修了吗"
           "？",
           "listen"},
          {"早就装好了",
           "恭喜您入住！您身边有朋友要装修的话，也欢迎推荐给我们，推荐成功有礼品。 / "
           "我们有个苏州业主交流群，每周分享装修避坑干货，还有建材家电的团购价。我加您微信拉您进群"
           "，您看方便吗？",
           "tag stage_done, listen"},
          {"不想进群，天天发广告",
           "您放心，群里只发干货和团购信息，不会有人私聊打扰您，不想看随时可以退。要不先进来看看？",
           "listen"},
          {"那行吧", "好的！您的微信是这个手机号吗？是的话请按1，不是请按2，也可以直接说。",
           "listen"},
          {"(key 1)",
           "好的，稍后用这个手机号加您微信，您通过一下我就拉您进群。那先不打扰您了，再见！",
           "tag wechat_group, hangup completed, tag in_group, end"},
      },
      {Outcome::completed,
       HangupReason::completed,
       "C",
       {"stage_done", "wechat_group", "in_group"},
       {"opening", "recall", "done_branch", "group_invite", "group_reassure", "confirm_wechat",
        "wechat_close"}});
}

TEST(ReactivationCall, LostToACompetitorRefuses) {
  play(
      kReactivation, {{"customer_name", "陈先生"}, {"last_contact", "去年年底"}},
      {
          {"(answer)", "喂，您好，是陈先生吧？我是安居装饰的小周。", "listen"},
          {"是的",
           "您去年年底在我们这儿咨询过房子装修，当时说还没交房，所以回访一下。您家现在开始装修了吗"
           "？",
           "listen"},
          {"找了别家了",
           "没关系，预祝您装修顺利！装修里坑挺多的，多了解一点总没错。 / "
           "我们有个苏州业主交流群，每周分享装修避坑干货，还有建材家电的团购价。我加您微信拉您进群"
           "，您看方便吗？",
           "tag lost_to_competitor, listen"},
          {"不用了",
           "您放心，群里只发干货和团购信息，不会有人私聊打扰您，不想看随时可以退。要不先进来看看？",
           "listen"},
          {"不需要", "好的，那不打扰您了。以后家里有装修的需要，随时找安居装饰。再见！",
           "tag refused, hangup not_interested, end"},
      },
      {Outcome::hangup,
       HangupReason::not_interested,
       "D",
       {"lost_to_competitor", "refused"},
       {"opening", "recall", "found_other_branch", "group_invite", "group_reassure",
        "polite_close"}});
}

TEST(ReactivationCall, PriceTwiceMeansAQuote) {
  play(kReactivation, {{"customer_name", "陈先生"}, {"last_contact", "去年年底"}},
       {
           {"(answer)", "喂，您好，是陈先生吧？我是安居装饰的小周。", "listen"},
           {"是我",
            "您去年年底在我们这儿咨询过房子装修，当时说还没交房，所以回访一下。您家现在开始装修了吗"
            "？",
            "listen"},
           {"装修多少钱",
            "装修价格要看面积和档次，设计师上门量房以后会出详细报价，量房是免费的。 / "
            "您去年年底在我们这儿咨询过房子装修，当时说还没交房，所以回访一下。您家现在开始装修了吗"
            "？",
            "tag price_asked, listen"},
           {"那大概要多少钱呢",
            "好的。我们这个月有免费上门量房、出设计方案的活动，还送水电十年保修。要不我请设计师跟您"
            "约个时间？",
            "listen"},
           {"好的", "好的，您稍等，我请我们的设计师直接跟您约时间。",
            "tag designer_transfer, escalate interested high"},
           {"(agent joins)", "", "-"},
           {"(hangup)", "", "tag follow_up, end"},
       },
       {Outcome::escalated,
        HangupReason::customer_hangup,
        "B",
        {"price_asked", "designer_transfer", "follow_up"},
        {"opening", "recall", "quote_offer", "transfer_designer"},
        patter::EscalationReason::interested});
}

TEST(ReactivationCall, OptOut) {
  play(kReactivation, {{"customer_name", "陈先生"}, {"last_contact", "去年年底"}},
       {
           {"(answer)", "喂，您好，是陈先生吧？我是安居装饰的小周。", "listen"},
           {"是我",
            "您去年年底在我们这儿咨询过房子装修，当时说还没交房，所以回访一下。您家现在开始装修了吗"
            "？",
            "listen"},
           {"别给我打电话了，拉黑", "非常抱歉打扰您了，我们会登记下来，以后不再给您打电话。再见。",
            "tag dnc, hangup opt_out, tag invalid, end"},
       },
       {Outcome::hangup,
        HangupReason::opt_out,
        "E",
        {"dnc", "invalid"},
        {"opening", "recall", "optout_close"}});
}

TEST(ReactivationCall, SilenceToTheEnd) {
  play(kReactivation, {{"customer_name", "陈先生"}, {"last_contact", "去年年底"}},
       {
           {"(answer)", "喂，您好，是陈先生吧？我是安居装饰的小周。", "listen"},
           {"(silence)", "喂？您好，能听到吗？", "listen"},
           {"(silence)", "喂，您好？", "listen"},
           {"(silence)", "喂？听不到您的声音，那我稍后再打给您，再见。", "hangup no_answer, end"},
       },
       {Outcome::hangup, HangupReason::no_answer, "E", {}, {"opening", "no_answer_close"}});
}

TEST(ReactivationCall, SilentAfterTheOpening) {
  play(kReactivation, {{"customer_name", "陈先生"}, {"last_contact", "去年年底"}},
       {
           {"(answer)", "喂，您好，是陈先生吧？我是安居装饰的小周。", "listen"},
           {"是我",
            "您去年年底在我们这儿咨询过房子装修，当时说还没交房，所以回访一下。您家现在开始装修了吗"
            "？",
            "listen"},
           {"(silence)",
            "您去年年底在我们这儿咨询过房子装修，当时说还没交房，所以回访一下。您家现在开始装修了吗"
            "？",
            "listen"},
           {"(silence)", "喂？信号好像不太好，那我改天再联系您，再见。", "hangup no_input, end"},
       },
       {Outcome::hangup, HangupReason::no_input, "E", {}, {"opening", "recall", "silence_close"}});
}

// ---- appointment (en-US): solar survey booking ---------------------------------

TEST(AppointmentCall, BookedByKeypad) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(answer)", "Hi, is this Dana?", "listen"},
           {"yes speaking",
            "This is Emma with BrightSun Solar. You asked about solar for your home on our "
            "website, so I'm following up. Do you have two minutes?",
            "listen"},
           {"sure, go ahead", "Great. First, do you own your home, or are you renting?", "listen"},
           {"yes we own it", "And roughly how much is your monthly electric bill?", "listen"},
           {"about $180 a month",
            "Does your roof get direct sun most of the day, without big trees or buildings shading "
            "it?",
            "tag high_bill, listen"},
           {"full sun, no trees",
            "We offer a free, no-obligation home survey. It takes about 45 minutes, and you get a "
            "savings estimate on the spot. Would you like to book one? You can also press 1.",
            "tag sunny_roof, listen"},
           {"(key 1)",
            "Which works better for you, a weekday or Saturday morning? Press 1 for a weekday, 2 "
            "for Saturday.",
            "listen"},
           {"tuesday afternoon works", "Let me check the calendar.",
            "tag weekday, fetch survey_calendar"},
           {"(data slot_free=true)",
            "Perfect, I've put you down for tuesday afternoon. A surveyor will text you to confirm "
            "the exact time. / Is this the best number to reach you?",
            "listen"},
           {"yes", "You're all set. Thanks, Dana, and have a great day!",
            "tag booked, hangup completed, tag high_intent, end"},
       },
       {Outcome::completed,
        HangupReason::completed,
        "A",
        {"high_bill", "sunny_roof", "weekday", "booked", "high_intent"},
        {"opening", "intro", "ask_owner", "ask_bill", "roof_check", "offer_survey", "pick_slot",
         "check_slot", "confirm_booking", "confirm_number.ask", "confirm_number.right",
         "booked_close"}});
}

TEST(AppointmentCall, HighBillAndInterestGoesToAnAdvisor) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(answer)", "Hi, is this Dana?", "listen"},
           {"yeah",
            "This is Emma with BrightSun Solar. You asked about solar for your home on our "
            "website, so I'm following up. Do you have two minutes?",
            "listen"},
           {"ok", "Great. First, do you own your home, or are you renting?", "listen"},
           {"i own", "And roughly how much is your monthly electric bill?", "listen"},
           {"it's around 250 dollars",
            "Does your roof get direct sun most of the day, without big trees or buildings shading "
            "it?",
            "tag high_bill, listen"},
           {"lots of sun",
            "We offer a free, no-obligation home survey. It takes about 45 minutes, and you get a "
            "savings estimate on the spot. Would you like to book one? You can also press 1.",
            "tag sunny_roof, listen"},
           {"tell me more",
            "Sounds like you're ready to go! Let me get one of our energy advisors on the line "
            "right now.",
            "escalate interested high"},
           {"(agent joins)", "", "-"},
           {"(agent leaves)", "", "hangup agent_ended, tag high_intent, end"},
       },
       {Outcome::escalated,
        HangupReason::agent_ended,
        "A",
        {"high_bill", "sunny_roof", "high_intent"},
        {"opening", "intro", "ask_owner", "ask_bill", "roof_check", "offer_survey", "hot_transfer"},
        patter::EscalationReason::interested});
}

TEST(AppointmentCall, FinancingQuestionGoesToAnAdvisor) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(answer)", "Hi, is this Dana?", "listen"},
           {"who is this",
            "This is Emma with BrightSun Solar. You asked about solar for your home on our "
            "website, so I'm following up. Do you have two minutes?",
            "listen"},
           {"is this a robot",
            "I'm BrightSun Solar's virtual assistant. I can book your survey, and a person can "
            "take over any time you like. / This is Emma with BrightSun Solar. You asked about "
            "solar for your home on our website, so I'm following up. Do you have two minutes?",
            "listen"},
           {"sure", "Great. First, do you own your home, or are you renting?", "listen"},
           {"can i finance it",
            "Good question. Our energy advisor can walk you through financing and the tax credit. "
            "Let me connect you.",
            "escalate question normal"},
           {"(hangup)", "", "tag follow_up, end"},
       },
       {Outcome::customer_hangup,
        HangupReason::customer_hangup,
        "B",
        {"follow_up"},
        {"opening", "intro", "ask_owner"},
        patter::EscalationReason::question});
}

TEST(AppointmentCall, RefusalAfterObjection) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(answer)", "Hi, is this Dana?", "listen"},
           {"yes",
            "This is Emma with BrightSun Solar. You asked about solar for your home on our "
            "website, so I'm following up. Do you have two minutes?",
            "listen"},
           {"no thanks, not interested",
            "I understand. There's no cost and no pressure, and most homeowners in Phoenix cut "
            "their bill by 30 to 50 percent. Would a quick survey be worth it?",
            "listen"},
           {"nope", "No problem. Can I email you a short guide with typical savings in Phoenix?",
            "listen"},
           {"no thank you",
            "No problem at all. If anything changes, we're happy to help. Have a great day!",
            "hangup not_interested, end"},
       },
       {Outcome::hangup,
        HangupReason::not_interested,
        "D",
        {},
        {"opening", "intro", "objection", "send_info", "polite_close"}});
}

TEST(AppointmentCall, OptOut) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(answer)", "Hi, is this Dana?", "listen"},
           {"yes",
            "This is Emma with BrightSun Solar. You asked about solar for your home on our "
            "website, so I'm following up. Do you have two minutes?",
            "listen"},
           {"sure", "Great. First, do you own your home, or are you renting?", "listen"},
           {"please take me off your list",
            "I'm sorry for the trouble. I've noted that, and we won't call you again. Goodbye.",
            "tag dnc, hangup opt_out, tag invalid, end"},
       },
       {Outcome::hangup,
        HangupReason::opt_out,
        "E",
        {"dnc", "invalid"},
        {"opening", "intro", "ask_owner", "optout_close"}});
}

TEST(AppointmentCall, CallBackTomorrow) {
  play(
      kAppointment, {{"first_name", "Dana"}},
      {
          {"(answer)", "Hi, is this Dana?", "listen"},
          {"that's me",
           "This is Emma with BrightSun Solar. You asked about solar for your home on our website, "
           "so I'm following up. Do you have two minutes?",
           "listen"},
          {"call me back tomorrow at 3 pm", "Sure, I'll call you back tomorrow at 3 pm. Talk soon!",
           "tag call_again, hangup callback, end"},
      },
      {Outcome::hangup,
       HangupReason::callback,
       "D",
       {"call_again"},
       {"opening", "intro", "callback_close"}});
}

TEST(AppointmentCall, SilenceToTheEnd) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(answer)", "Hi, is this Dana?", "listen"},
           {"(silence)", "Hello? Can you hear me?", "listen"},
           {"(silence)", "Hello, are you there?", "listen"},
           {"(silence)", "I can't hear anything, so I'll try again later. Goodbye.",
            "hangup no_answer, end"},
       },
       {Outcome::hangup, HangupReason::no_answer, "E", {}, {"opening", "no_answer_close"}});
}

TEST(AppointmentCall, RenterEndsTheCall) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(answer)", "Hi, is this Dana?", "listen"},
           {"yes",
            "This is Emma with BrightSun Solar. You asked about solar for your home on our "
            "website, so I'm following up. Do you have two minutes?",
            "listen"},
           {"ok", "Great. First, do you own your home, or are you renting?", "listen"},
           {"we rent",
            "Got it. Solar needs the owner's OK, so I won't take more of your time. Thanks, and "
            "have a good day!",
            "tag renter, hangup completed, tag invalid, end"},
       },
       {Outcome::completed,
        HangupReason::completed,
        "E",
        {"renter", "invalid"},
        {"opening", "intro", "ask_owner", "renter_close"}});
}

TEST(AppointmentCall, VoicemailAfterAnswering) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(answer)", "Hi, is this Dana?", "listen"},
           {"(voicemail)",
            "Hi Dana, this is Emma from BrightSun Solar, about the free solar survey you asked "
            "for. We'll call you back soon.",
            "hangup voicemail, end"},
       },
       {Outcome::voicemail, HangupReason::voicemail, "E", {}, {"opening"}});
}

TEST(AppointmentCall, NobodyAnswers) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(hangup)", "", "end"},
       },
       {Outcome::no_answer, HangupReason::no_answer, "E", {}, {}});
}

TEST(AppointmentCall, TooLongACall) {
  play(kAppointment, {{"first_name", "Dana"}},
       {
           {"(answer)", "Hi, is this Dana?", "listen"},
           {"yes",
            "This is Emma with BrightSun Solar. You asked about solar for your home on our "
            "website, so I'm following up. Do you have two minutes?",
            "listen"},
           {"sure", "Great. First, do you own your home, or are you renting?", "listen"},
           {"um", "", "-"},
           {"(timer)", "I don't want to take more of your time. We'll follow up by email. Goodbye!",
            "hangup max_duration, end"},
       },
       {Outcome::hangup,
        HangupReason::max_duration,
        "E",
        {},
        {"opening", "intro", "ask_owner", "limit_close"}});
}
