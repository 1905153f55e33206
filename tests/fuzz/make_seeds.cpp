// Writes starting corpora for the matcher, session and snapshot fuzzers,
// from the bundled scripts: their intents' words, and calls that walk their
// routes (encoded as session_fuzzer.cpp reads them), with the snapshots
// taken along the way (as snapshot_fuzzer.cpp reads them).
//
//   patter_fuzz_make_seeds OUT_DIR    # writes OUT_DIR/{matcher,session,snapshot}/*
//
// Deterministic: the same scripts give the same files.
#include <patter/random.hpp>

#include <fstream>

#include "fuzz_support.hpp"

namespace {

using namespace patter;
namespace fs = std::filesystem;

void write(const fs::path& dir, const std::string& name, std::string_view bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s.push_back(static_cast<char>(b));
  return s;
}

// One call over script `index`, choosing among the routes of each node it
// listens at; the event bytes go to `events`, and a snapshot of each turn to
// `snapshots`.
void walk(std::size_t index, patter::Random& rng, std::string& events,
          std::vector<std::string>& snapshots) {
  const auto& script = fuzz::bundled_scripts()[index];
  Session call = fuzz::start_call(script, SessionOptions{.transcript = 3});
  Turn turn;
  std::uint64_t now = 0;
  events = bytes({static_cast<int>(index), 1});  // transcript of 3, clock from 0
  auto send = [&](const Event& e, std::string encoded) {
    events += encoded;
    call.step(e, turn);
    snapshots.push_back(call.snapshot());
  };
  send(Event::answered(now), bytes({0, 0}));
  for (int step = 0; step < 24 && !call.ended(); ++step) {
    now += 2000;  // time byte 20: 20 x 100 ms
    const Node& node = script->node(call.node());
    const unsigned dice = rng.next() % 16;
    if (call.phase() != Phase::robot) {
      // A node byte past the last node: back to no node, the call ends.
      send(Event::agent_left(now),
           bytes({9, 20, static_cast<int>((script->nodes().size() + 1) & 0xFF), 15}));
      continue;
    }
    if (dice == 0 || node.routes.empty()) {
      send(Event::no_input(now), bytes({4, 20}));
      continue;
    }
    if (dice == 1) events += bytes({12});  // checkpoint: a restored twin from here
    const Route& r = node.routes[rng.next() % node.routes.size()];
    if (!r.keys.empty()) {
      send(Event::dtmf(r.keys[0], now), bytes({5, 20, r.keys[0]}));
    } else if (!r.intents.empty()) {
      const IntentId id = r.intents[rng.next() % r.intents.size()];
      const Intent& in = script->intent(id);
      if (in.phrases.empty()) {
        send(Event::intent_of(id, 0.9f, now), bytes({3, 20, static_cast<int>(id & 0xFF), 225}));
      } else {
        const unsigned rule = rng.next() % in.phrases.size();
        send(Event::utterance(in.phrases[rule], now),
             bytes({2, 20, static_cast<int>(id & 0xFF), static_cast<int>(rule & 0x7F), 0}));
      }
    } else {
      send(Event::utterance("好的", now), bytes({1, 20, 6}) + "好的");
    }
  }
  if (!call.ended()) send(Event::customer_hangup(now + 1000), bytes({6, 10}));
  events += bytes({15});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  const auto& scripts = fuzz::bundled_scripts();
  patter::Random rng(20240611);
  std::size_t counts[3] = {0, 0, 0};
  for (std::size_t i = 0; i < scripts.size(); ++i) {
    const Script& script = *scripts[i];
    const std::string tag = std::to_string(i) + "-" + script.id();
    // Matcher: a byte picks the script, then the words.
    for (const Intent& in : script.intents()) {
      std::size_t n = 0;
      for (const auto* list : {&in.phrases, &in.examples})
        for (std::size_t k = 0; k < list->size() && k < 2; ++k, ++n) {
          write(out / "matcher", tag + "-" + in.name + "-" + std::to_string(n),
                bytes({static_cast<int>(i)}) + (*list)[k]);
          ++counts[0];
        }
    }
    // Session and snapshot: a few walks per script.
    for (int w = 0; w < 8; ++w) {
      std::string events;
      std::vector<std::string> snaps;
      walk(i, rng, events, snaps);
      write(out / "session", tag + "-walk" + std::to_string(w), events);
      ++counts[1];
      for (std::size_t k = 0; k < snaps.size(); k += 3) {
        const std::string& s = snaps[k];
        const std::string name = tag + "-walk" + std::to_string(w) + "-turn" + std::to_string(k);
        write(out / "snapshot", name, bytes({static_cast<int>(i), 0}) + s);
        // Payload only: without the 18-byte header and the 8-byte checksum.
        write(out / "snapshot", name + "-payload",
              bytes({static_cast<int>(i), 1}) + s.substr(18, s.size() - 26));
        counts[2] += 2;
      }
    }
  }
  std::printf("seeds: %zu matcher, %zu session, %zu snapshot in %s\n", counts[0], counts[1],
              counts[2], out.c_str());
  return 0;
}
