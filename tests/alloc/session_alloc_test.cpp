// A warm turn allocates nothing: a global operator new that counts, around
// thousands of steps (text replies, host intents and n-best lists,
// silences, keys, backchannels into a paused line, questions to the host
// and their answers) of calls on the bundled zh-CN screening script, as
// written and with `understand: host`. Starting a call allocates (its
// session block); that happens outside the counting.
// (Its own program, since replacing operator new affects everything in it.)
#include <patter/patter.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "counting_new.hpp"

int main() {
  patter::test::counting = false;  // on only around the steps below
  patter::test::allocations = 0;
  auto loaded = patter::load_file(PATTER_SOURCE_DIR "/examples/scripts/screening.zh-CN.yaml");
  if (!loaded.ok()) {
    std::fprintf(stderr, "screening.zh-CN.yaml does not load\n");
    return 1;
  }
  // The same script asking the host whenever its matcher finds nothing.
  std::ifstream file(PATTER_SOURCE_DIR "/examples/scripts/screening.zh-CN.yaml");
  std::stringstream text;
  text << file.rdbuf();
  std::string asking = text.str();
  asking.replace(asking.find("settings:\n"), 10, "settings:\n  understand: host\n");
  auto asked = patter::load_string(
      asking, PATTER_SOURCE_DIR "/examples/scripts/screening-asking.zh-CN.yaml");
  if (!asked.ok()) {
    std::fprintf(stderr, "screening.zh-CN.yaml with `understand: host` does not load\n");
    return 1;
  }
  const char* replies[] = {"喂，是我，你说吧",
                           "对，之前在抖音上填过",
                           "你们是哪个公司的？",
                           "那学费大概多少钱啊",
                           "高中毕业，好多年了",
                           "单位评职称要求本科",
                           "嗯",
                           "今天天气不错，你说呢",
                           "\xFF\xFE 坏字节",
                           "我三十二岁了",
                           "好的，可以",
                           "不感兴趣，谢谢"};
  constexpr int kReplies = sizeof replies / sizeof replies[0];

  patter::Turn turn;
  long steps = 0, ok = 0, said = 0, asks = 0;
  std::vector<patter::HostIntent> nbest(3);
  auto run = [&](const std::shared_ptr<const patter::Script>& script, bool counted) {
    const int intents = static_cast<int>(script->intents().size());
    // Calls made and answered outside the counting, then driven inside it.
    std::vector<patter::Session> calls;
    for (int c = 0; c < 64; ++c) {
      patter::Started s =
          patter::Session::start(script, {{"customer_name", "张先生"}, {"lead_source", "抖音"}});
      if (!s.ok()) std::abort();
      s->step(patter::Event::answered(0), turn);
      calls.push_back(std::move(*s));
    }
    patter::test::counting = counted;
    for (int round = 0; round < 12; ++round) {
      for (std::size_t c = 0; c < calls.size(); ++c) {
        const std::uint64_t at = 1000u * (round + 1);
        const int pick = static_cast<int>((c * 7 + round * 3) % 18);
        for (std::size_t i = 0; i < nbest.size(); ++i)
          nbest[i] = {static_cast<patter::IntentId>((c + round + i) % intents), 0.9f - 0.3f * i};
        patter::Event e =
            calls[c].asking_host()
                ? (pick % 3 == 0   ? patter::Event::not_understood(at)
                   : pick % 3 == 1 ? patter::Event::intents(nbest, at)
                                   : patter::Event::timer(calls[c].deadline_ms()))
            : pick < kReplies ? patter::Event::utterance(replies[pick], at)
            : pick == 12      ? patter::Event::no_input(at)
            : pick == 13      ? patter::Event::dtmf('1', at)
            : pick == 14      ? patter::Event::utterance("嗯嗯，对", at).during(800).paused()
            : pick == 15      ? patter::Event::intents(nbest, at)
                              : patter::Event::intent_of(
                                    static_cast<patter::IntentId>((c + round) % intents), 0.9f, at);
        const patter::Status st = calls[c].step(e, turn);
        ++steps;
        ok += st == patter::Status::ok;
        for (const patter::Action& a : turn.actions()) {
          said += a.type == patter::ActionType::say;
          asks += a.type == patter::ActionType::understand;
        }
      }
    }
    patter::test::counting = false;
  };
  for (const auto* script : {&loaded.script, &asked.script}) {
    for (int warm = 0; warm < 3; ++warm) run(*script, false);
  }
  steps = ok = said = asks = 0;
  for (int i = 0; i < 14; ++i) run(i % 2 ? asked.script : loaded.script, true);
  const long allocations = patter::test::allocations.load();
  std::printf("%ld steps (%ld ok, %ld lines said, %ld questions to the host), %ld allocations\n",
              steps, ok, said, asks, allocations);
  if (ok < steps / 2 || said == 0 || asks == 0 || allocations != 0) {
    std::printf("0 passed, 1 failed\n");
    return 1;
  }
  std::printf("1 passed, 0 failed\n");
  return 0;
}
