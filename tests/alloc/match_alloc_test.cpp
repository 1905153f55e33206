// Understanding a turn allocates nothing once warm: a global operator new
// that counts, around thousands of turns of normalising and matching.
// (Its own program, since replacing operator new affects everything in it.)
#include <patter/patter.hpp>

#include <cstdio>

#include "counting_new.hpp"

int main() {
  const char* script = R"(patter: 1
id: alloc
locale: zh-CN
settings: {fillers: [嗯, 啊]}
variables:
  people: {type: number, default: 0}
intents:
  interested: {phrases: [感兴趣, 有兴趣], opposite: not_interested}
  not_interested: {phrases: [不感兴趣, 没兴趣], priority: 2}
  opt_out: {phrases: [别再打了], priority: 10}
  ask_price: [多少钱]
  affirm: [好的, 可以]
  headcount: {patterns: ['(?<people>\d+)个?人']}
  english: {phrases: [not interested, price]}
start: a
nodes:
  a:
    say: 您好
    routes:
      - {intent: [interested, not_interested, opt_out, ask_price, affirm, headcount, english], to: b}
  b: {say: 再见, hangup: completed}
)";
  auto r = patter::load_string(script, "alloc.yaml");
  if (!r.ok()) {
    std::fprintf(stderr, "script does not load\n");
    return 1;
  }
  const patter::Matcher& m = r.script->matcher();
  const char* utterances[] = {
      "嗯，不是很感兴趣", "多少钱，不感兴趣，好的",    "我们大概20个人",  "今天天气不错",
      "别再打了！",       "NOT interested, the price", "\xFF\xFE 坏字节", ""};
  patter::Understanding u;
  for (int warm = 0; warm < 3; ++warm)
    for (const char* t : utterances) m.understand(t, u);
  const long before = patter::test::allocations.load();
  long matched = 0;
  for (int i = 0; i < 10000; ++i) {
    m.understand(utterances[i % 8], u);
    matched += u.matched();
  }
  const long allocations = patter::test::allocations.load() - before;
  std::printf("10000 turns, %ld matched, %ld allocations\n", matched, allocations);
  if (matched == 0 || allocations != 0) {
    std::printf("0 passed, 1 failed\n");
    return 1;
  }
  std::printf("1 passed, 0 failed\n");
  return 0;
}
