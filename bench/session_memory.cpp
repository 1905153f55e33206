// How much memory live calls take: 1,000,000 sessions (or the count given)
// of the bundled screening.zh-CN.yaml held at once, each mid-call (answered,
// every reply of its call but the last one given), as a dialer holds them.
//
//   build-bench/bench/patter_bench_session_memory            # 1,000,000 calls
//   build-bench/bench/patter_bench_session_memory 100000
//
// Reports the resident memory the process gained (/proc/self/statm, before
// the first session and after the last), per session, next to what
// Session::memory_bytes says (sizeof(Session) plus its heap blocks, without
// the allocator's own overhead).
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "patter/session.hpp"
#include "screening_calls.hpp"

namespace {

using patter::bench::calls;

/// Resident bytes of this process now.
std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  if (!(statm >> pages >> resident)) patter::bench::die("cannot read /proc/self/statm");
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

double mib(std::size_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  if (count == 0) patter::bench::die("usage: patter_bench_session_memory [sessions]");

  // Everything shared comes first: the script, a warm Turn, the call data.
  const auto& script = patter::bench::screening();
  patter::Turn turn;
  { patter::Session warm = patter::bench::new_call(); }
  const std::size_t before = resident_bytes();

  std::vector<patter::Session> live;
  live.reserve(count);
  std::size_t replies = 0;
  for (std::size_t i = 0; i < count; ++i) {
    patter::Started s = patter::Session::start(
        script, std::span<const patter::VariableValue>(patter::bench::kCustomer));
    patter::Session& call = live.emplace_back(std::move(*s));
    call.step(patter::Event::answered(0), turn);
    const patter::bench::Call& said = calls()[i % calls().size()];
    for (std::size_t k = 0; k + 1 < said.size(); ++k) {
      call.step(patter::Event::utterance(said[k].text, patter::bench::reply_at(k)), turn);
      ++replies;
    }
    if (call.phase() != patter::Phase::robot)
      patter::bench::die("a call ended before its last reply");
  }
  const std::size_t after = resident_bytes();

  std::size_t reported = 0, path = 0;
  for (const patter::Session& s : live) {
    reported += s.memory_bytes();
    path += s.result().path.size();
  }
  const double n = static_cast<double>(count);
  const std::size_t gained = after > before ? after - before : 0;
  std::printf(
      "sessions            %zu (mid-call, %.1f replies and %.1f nodes entered each on average)\n",
      count, static_cast<double>(replies) / n, static_cast<double>(path) / n);
  std::printf(
      "script              %s: %zu nodes, %zu intents, %zu handlers, %zu tags, %zu variables\n",
      script->id().c_str(), script->nodes().size(), script->intents().size(),
      script->globals().size(), script->tags().size(), script->variables().size());
  std::printf("sizeof(Session)     %zu bytes\n", sizeof(patter::Session));
  std::printf("memory_bytes()      %.1f bytes per session on average\n",
              static_cast<double>(reported) / n);
  std::printf("resident before     %.1f MiB\n", mib(before));
  std::printf("resident after      %.1f MiB\n", mib(after));
  std::printf(
      "resident gained     %.1f MiB, %.1f bytes per session (allocator overhead included)\n",
      mib(gained), static_cast<double>(gained) / n);
  if (count == 1000000)
    std::printf("target              512 MiB for 1,000,000 sessions: %s\n",
                mib(gained) <= 512 ? "met" : "missed");
  return 0;
}
