// 06 — Snapshot and restore: a call moves between processes (a fleet of
// stateless workers sharing calls through Redis or any store).
//
//   worker A: answered, "yes" ──snapshot()──▶ bytes ──▶ store
//   worker B: store ──▶ bytes ──restore(script, bytes)──▶ same call ──▶ "sure" ──▶ ...
//
// The bytes are bound to the script's fingerprint and checksummed: a
// snapshot restores only against the same script, and damaged bytes are
// refused with a reason, never half-restored.
#include <iostream>
#include <string>

#include <patter/patter.hpp>

namespace {

constexpr const char* kScript = R"(patter: 1
id: renewal
version: "1"
locale: en-US
start: greet
intents:
  agree: ["yes", sure, okay]
  decline: ["no", not interested]
nodes:
  greet:
    say: Hi, is this {name}?
    routes: [{intent: agree, to: offer}, {intent: decline, to: bye}]
  offer:
    say: Your plan renews with twenty percent off. Shall an advisor call you?
    routes: [{intent: agree, to: advisor}, {intent: decline, to: bye}]
  advisor: {say: Great. An advisor will call you today., hangup: completed}
  bye: {say: No problem. Goodbye!, hangup: not_interested}
variables:
  name: {default: there}
)";

}  // namespace

int main() {
  patter::Turn turn;
  // Worker A: the call starts.
  auto script_a = patter::load_string(kScript, "renewal.yaml").script;
  if (!script_a) return 1;
  patter::Session call = *patter::Session::start(script_a, {{"name", "Alex"}});
  call.step(patter::Event::answered(0), turn);
  call.step(patter::Event::utterance("yes", 3000), turn);
  const std::string bytes = call.snapshot();
  std::cout << "worker A: at " << script_a->node(call.node()).name << ", snapshot of "
            << bytes.size() << " bytes\n";

  // Worker B loaded the same script itself: the fingerprints agree.
  auto script_b = patter::load_string(kScript, "renewal.yaml").script;
  std::cout << "fingerprints " << script_a->fingerprint() << " and " << script_b->fingerprint()
            << '\n';
  patter::Restored restored = patter::Session::restore(script_b, bytes);
  if (!restored.ok()) {
    std::cerr << restored.message() << '\n';
    return 1;
  }
  patter::Session& same = *restored;
  same.step(patter::Event::utterance("sure", 7000), turn);
  std::cout << "worker B: " << same.variable("name").value_or("?") << " went on to "
            << script_b->node(same.node()).name << ", outcome " << patter::to_string(same.outcome())
            << '\n';

  // A changed script has another fingerprint: the snapshot is refused.
  std::string edited = kScript;
  edited.replace(edited.find("twenty"), 6, "thirty");
  auto script_c = patter::load_string(edited, "renewal.yaml").script;
  patter::Restored other = patter::Session::restore(script_c, bytes);
  std::cout << "other script: " << patter::to_string(other.code()) << " - " << other.message()
            << '\n';

  // So are damaged bytes.
  std::string damaged = bytes;
  damaged[damaged.size() / 2] ^= 0x5A;
  patter::Restored bad = patter::Session::restore(script_b, damaged);
  std::cout << "damaged bytes: " << patter::to_string(bad.code()) << '\n';
}
