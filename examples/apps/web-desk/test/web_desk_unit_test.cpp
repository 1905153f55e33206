// The web desk's pieces one by one, without a server or a campaign: the
// accounts file (and its mistakes), passwords, cookies, Origin and Host,
// who may do what, the pages' commands, the audit line.
#include <gtest/gtest.h>

#include <string>

#include "../accounts.hpp"
#include "../audit_log.hpp"
#include "../authorization.hpp"
#include "../origin_check.hpp"
#include "../page_command.hpp"
#include "../session_cookies.hpp"

namespace webdesk {
namespace {

const std::string kHash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";

std::string first_error(std::string_view text) {
  const AccountsLoad load = parse_accounts(text, "desk.accounts");
  return load.errors.empty() ? std::string() : load.errors.front();
}

TEST(Accounts, ReadsEachRole) {
  const AccountsLoad load = parse_accounts(
      "# people\n"
      "ana agent seat=agent01 " +
          kHash +
          "\n"
          "\n"
          "tom  trainee seat=trainee01 follows=agent01\t" +
          kHash +
          "\r\n"
          "sue supervisor " +
          kHash + "\n",
      "desk.accounts");
  ASSERT_TRUE(load.ok()) << load.errors.front();
  ASSERT_EQ(load.accounts.all().size(), 3u);
  const Account* tom = load.accounts.find("tom");
  ASSERT_NE(tom, nullptr);
  EXPECT_EQ(tom->role, Role::trainee);
  EXPECT_EQ(tom->seat, "trainee01");
  EXPECT_EQ(tom->follows, "agent01");
  EXPECT_EQ(tom->line, 4u);
  EXPECT_EQ(load.accounts.find("sue")->role, Role::supervisor);
  EXPECT_EQ(load.accounts.find("nobody"), nullptr);
}

TEST(Accounts, EachMistakeNamesItsLineAndColumn) {
  EXPECT_EQ(first_error("ana boss seat=agent01 " + kHash),
            "desk.accounts:1:5: error: unknown role `boss`: agent, trainee or supervisor");
  EXPECT_NE(first_error("ana agent seat=agent01 hunter2")
                .find("desk.accounts:1:24: error: the line must end with a password hash"),
            std::string::npos);
  EXPECT_NE(first_error("ana agent").find("desk.accounts:1:10: error: a line is NAME ROLE"),
            std::string::npos);
  EXPECT_NE(first_error("an@ agent seat=agent01 " + kHash).find("1:1: error: `an@` is not a name"),
            std::string::npos);
  EXPECT_NE(first_error("ana agent " + kHash).find("needs seat=NAME"), std::string::npos);
  EXPECT_NE(first_error("ana agent seat=agent01 follows=agent02 " + kHash).find("for trainees"),
            std::string::npos);
  EXPECT_NE(first_error("tom trainee seat=trainee01 " + kHash).find("needs follows=AGENT"),
            std::string::npos);
  EXPECT_NE(first_error("sue supervisor seat=agent01 " + kHash).find("remove seat="),
            std::string::npos);
  EXPECT_NE(first_error("ana agent place=agent01 " + kHash).find("1:11: error: `place=agent01`"),
            std::string::npos);
  EXPECT_NE(first_error("ana agent seat=agent01 seat=agent02 " + kHash).find("given twice"),
            std::string::npos);
  EXPECT_NE(first_error("ana agent seat=agent01 " + kHash + "\nana agent seat=agent02 " + kHash)
                .find("desk.accounts:2:1: error: `ana` has an account already (line 1)"),
            std::string::npos);
  EXPECT_NE(first_error("ana agent seat=agent01 " + kHash + "\nben agent seat=agent01 " + kHash)
                .find("seat agent01 is ana's already"),
            std::string::npos);
  // A long mistake is quoted short.
  EXPECT_LT(first_error(std::string(5000, 'x') + " agent seat=a " + kHash).size(), 200u);
}

TEST(Accounts, AMissingFileSaysWhatToDo) {
  const AccountsLoad load = load_accounts("/no/such/desk.accounts");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_NE(load.errors[0].find("/no/such/desk.accounts:1:1: error: cannot read"),
            std::string::npos);
  EXPECT_NE(load.errors[0].find("--accounts FILE"), std::string::npos);
}

TEST(Accounts, SignInChecksThePasswordAgainstItsHash) {
  const auto hash = hash_password("correct horse");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_NE(*hash, *hash_password("correct horse")) << "salted: the same password hashes apart";
  const AccountsLoad load = parse_accounts("ana agent seat=agent01 " + *hash + "\n", "f");
  ASSERT_TRUE(load.ok());
  EXPECT_NE(load.accounts.sign_in("ana", "correct horse"), nullptr);
  EXPECT_EQ(load.accounts.sign_in("ana", "correct horsE"), nullptr);
  EXPECT_EQ(load.accounts.sign_in("ana", ""), nullptr);
  EXPECT_EQ(load.accounts.sign_in("bob", "correct horse"), nullptr);
}

TEST(SessionCookies, FindsItsCookieAmongOthers) {
  EXPECT_EQ(cookie_value("a=1; patter_session=abc; b=2", kSessionCookie), "abc");
  EXPECT_EQ(cookie_value("patter_session=abc", kSessionCookie), "abc");
  EXPECT_EQ(cookie_value("  patter_session=abc  ", kSessionCookie), "abc");
  EXPECT_FALSE(cookie_value("xpatter_session=abc; patter_sessionx=d", kSessionCookie));
  EXPECT_FALSE(cookie_value("", kSessionCookie));
  EXPECT_FALSE(cookie_value("patter_session", kSessionCookie));
}

TEST(SessionCookies, AreHttpOnlyAndSameSiteStrict) {
  const std::string c = session_cookie("tok", false);
  EXPECT_EQ(c, "patter_session=tok; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_NE(session_cookie("tok", true).find("; Secure"), std::string::npos);
  EXPECT_NE(cleared_cookie(false).find("Max-Age=0"), std::string::npos);
}

TEST(SessionCookies, TokensAreRandomAndEndWithSignOutOrAge) {
  SessionCookies s(std::chrono::hours(1), 2);
  const std::string a = s.open("ana"), b = s.open("ana");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  ASSERT_NE(s.find(a), nullptr);
  EXPECT_EQ(*s.find(a), "ana");
  EXPECT_EQ(s.find("0000"), nullptr);
  s.close(a);
  EXPECT_EQ(s.find(a), nullptr);
  // Past `per_person`, a person's oldest session goes.
  const std::string c = s.open("ana"), d = s.open("ana");
  EXPECT_EQ(s.find(b), nullptr);
  EXPECT_NE(s.find(c), nullptr);
  EXPECT_NE(s.find(d), nullptr);
  SessionCookies expired(std::chrono::nanoseconds(0));
  const std::string e = expired.open("ana");
  EXPECT_EQ(expired.find(e), nullptr);
}

TEST(OriginCheck, OnlyTheDesksOwnPages) {
  const OriginCheck check({"localhost", "desk.example.com"}, false);
  EXPECT_TRUE(check.origin_ok("http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_TRUE(check.origin_ok("http://[::1]:8080", "[::1]:8080"));
  EXPECT_TRUE(check.origin_ok("http://Desk.Example.com:8080", "desk.example.com:8080"));
  EXPECT_FALSE(check.origin_ok("http://evil.example", "127.0.0.1:8080"));
  EXPECT_FALSE(check.origin_ok("https://127.0.0.1:8080", "127.0.0.1:8080")) << "scheme differs";
  EXPECT_FALSE(check.origin_ok("http://127.0.0.1:9999", "127.0.0.1:8080")) << "port differs";
  EXPECT_FALSE(check.origin_ok("null", "127.0.0.1:8080"));
  // A name pointed at the desk's address (DNS rebinding) is not the desk.
  EXPECT_FALSE(check.host_ok("evil.example:8080"));
  EXPECT_FALSE(check.origin_ok("http://evil.example:8080", "evil.example:8080"));
  EXPECT_FALSE(check.host_ok(""));
  EXPECT_TRUE(OriginCheck({}, true).origin_ok("https://10.0.0.5:8443", "10.0.0.5:8443"));
}

Account person(Role role, std::string seat = {}, std::string follows = {}) {
  Account a;
  a.name = "who";
  a.role = role;
  a.seat = std::move(seat);
  a.follows = std::move(follows);
  return a;
}

TEST(Authorization, AnAccountSeesItsOwnViewOnly) {
  const Account tom = person(Role::trainee, "trainee01", "agent01");
  EXPECT_EQ(home_query(tom), "view=trainee&name=trainee01&follow=agent01");
  std::string why;
  const auto v = view_for(tom, "view=trainee&name=trainee01", &why);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->follow, "agent01") << "a trainee follows their assigned agent";
  EXPECT_FALSE(view_for(tom, "view=trainee&name=trainee01&follow=agent02", &why));
  EXPECT_NE(why.find("signed in as who (trainee trainee01)"), std::string::npos);
  EXPECT_FALSE(view_for(tom, "view=agent&name=agent01", &why));
  EXPECT_FALSE(view_for(tom, "view=supervisor", &why));
  const Account ana = person(Role::agent, "agent01");
  EXPECT_FALSE(view_for(ana, "view=agent&name=agent02", &why));
  EXPECT_FALSE(view_for(ana, "view=supervisor", &why));
  EXPECT_TRUE(view_for(ana, "", &why));
  EXPECT_TRUE(view_for(person(Role::supervisor), "view=supervisor", &why));
}

TEST(Authorization, WhoMayDoWhat) {
  using K = Command::Kind;
  const View agent1 = home_view(person(Role::agent, "agent01"));
  const View trainee = home_view(person(Role::trainee, "trainee01", "agent01"));
  const View sup = home_view(person(Role::supervisor));
  const CallFacts of_agent1{true, "agent01", ""};
  const CallFacts of_agent2{true, "agent02", ""};
  const CallFacts agent1_on_it{true, "agent02", "agent01"};
  const CallFacts training{true, "trainee01", ""};
  const CallFacts gone{false, "", ""};
  EXPECT_FALSE(refusal(agent1, K::grab, of_agent1));
  EXPECT_EQ(refusal(agent1, K::grab, of_agent2), "that call is not one of your robots'");
  EXPECT_FALSE(refusal(agent1, K::reply, agent1_on_it)) << "taken from the queue: theirs now";
  EXPECT_EQ(refusal(agent1, K::end, of_agent1), "take the call first");
  EXPECT_TRUE(refusal(agent1, K::end, of_agent2));
  EXPECT_TRUE(refusal(agent1, K::hand_back, of_agent2));
  EXPECT_FALSE(refusal(agent1, K::take_next, gone));
  EXPECT_TRUE(refusal(agent1, K::start_training, gone));
  EXPECT_EQ(refusal(agent1, K::grab, gone), "that call has ended");
  // A trainee listens to agent01 and acts on nothing of theirs.
  EXPECT_NE(refusal(trainee, K::grab, of_agent1)->find("listens in"), std::string::npos);
  EXPECT_TRUE(refusal(trainee, K::reply, of_agent1));
  EXPECT_TRUE(refusal(trainee, K::end, of_agent1));
  EXPECT_TRUE(refusal(trainee, K::take_next, gone));
  EXPECT_FALSE(refusal(trainee, K::grab, training));
  EXPECT_FALSE(refusal(trainee, K::start_training, gone));
  // A supervisor watches and steps in; agents grab and hand back.
  for (K k : {K::grab, K::take_next, K::hand_back, K::start_training})
    EXPECT_NE(refusal(sup, k, of_agent1)->find("agents grab"), std::string::npos);
  for (K k : {K::watch, K::whisper, K::barge, K::take_over, K::reassign, K::note, K::leave,
              K::reply, K::end}) {
    EXPECT_FALSE(refusal(sup, k, of_agent1))
        << "any call, whoever has it (the desk checks the rest)";
    EXPECT_EQ(refusal(sup, k, gone), "that call has ended");
  }
  // Nobody else may: not permitted.
  for (const View& v : {agent1, trainee})
    for (K k : {K::watch, K::whisper, K::barge, K::take_over, K::reassign, K::note, K::leave})
      EXPECT_NE(refusal(v, k, agent1_on_it)->find("only a supervisor"), std::string::npos);
}

TEST(PageCommand, SupervisorsCommands) {
  std::string error;
  const auto whisper =
      parse_page_command(R"({"cmd":"whisper","call":4,"text":"ask the budget"})", &error);
  ASSERT_TRUE(whisper) << error;
  EXPECT_EQ(whisper->kind, Command::Kind::whisper);
  EXPECT_EQ(whisper->text, "ask the budget");
  const auto reassign = parse_page_command(R"({"cmd":"reassign","call":4,"to":"agent02"})", &error);
  ASSERT_TRUE(reassign) << error;
  EXPECT_EQ(reassign->kind, Command::Kind::reassign);
  EXPECT_EQ(reassign->text, "agent02");
  for (const char* cmd : {"watch", "barge", "take_over", "leave", "note"}) {
    EXPECT_FALSE(parse_page_command(std::string(R"({"cmd":")") + cmd + R"("})", &error)) << cmd;
    EXPECT_NE(error.find("`call` is missing"), std::string::npos) << cmd;
  }
  EXPECT_FALSE(parse_page_command(R"({"cmd":"reassign","call":4,"to":7})", &error));
  EXPECT_EQ(error, "`to` must be a string");
}

TEST(PageCommand, CallIdsAreWholeNumbersFromOne) {
  std::string error;
  const auto ok = parse_page_command(R"({"cmd":"grab","call":18446744073709551615})", &error);
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(ok->call, 18446744073709551615u);
  for (const char* bad : {R"({"cmd":"grab","call":"12"})", R"({"cmd":"grab","call":-1})",
                          R"({"cmd":"grab","call":0})", R"({"cmd":"grab","call":1.5})",
                          R"({"cmd":"grab","call":18446744073709551616})",
                          R"({"cmd":"end","call":null,"reason":"completed"})"}) {
    EXPECT_FALSE(parse_page_command(bad, &error)) << bad;
    EXPECT_NE(error.find("call number"), std::string::npos) << bad << ": " << error;
  }
  EXPECT_FALSE(parse_page_command(R"({"cmd":"reply","text":"hi"})", &error));
  EXPECT_NE(error.find("`call` is missing"), std::string::npos);
  EXPECT_TRUE(parse_page_command(R"({"cmd":"take_next"})", &error)) << "no call needed";
}

TEST(PageCommand, RefusalsQuoteAShortPrefix) {
  std::string error;
  const std::string big = R"({"cmd":")" + std::string(64 * 1024, 'x') + R"("})";
  EXPECT_FALSE(parse_page_command(big, &error));
  EXPECT_LT(error.size(), 100u);
  EXPECT_FALSE(parse_page_command("{" + std::string(64 * 1024, 'y'), &error));
  EXPECT_LT(error.size(), 100u);
  EXPECT_NE(error.find("not JSON"), std::string::npos);
  EXPECT_FALSE(parse_page_command(R"({"cmd":"reply","call":1,"text":7})", &error));
  EXPECT_EQ(error, "`text` must be a string");
  EXPECT_FALSE(parse_page_command("[1]", &error));
  EXPECT_EQ(quote_prefix("h\xC3\xA9llo", 2), "h...") << "never half a character";
  const auto reply = parse_page_command(R"({"cmd":"reply","call":3,"text":"h\u00e9"})", &error);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->text, "h\xC3\xA9");
}

TEST(AuditLog, UtcTimes) {
  EXPECT_EQ(AuditLog::utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(AuditLog::utc(1796540400), "2026-12-06T07:00:00Z");
  EXPECT_THROW(AuditLog("/no/such/dir/audit.log"), std::runtime_error);
}

}  // namespace
}  // namespace webdesk
