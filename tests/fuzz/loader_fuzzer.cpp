// Fuzzes script loading: any bytes, as a YAML script.
//
// The promise (patter/loader.hpp): loading never crashes or hangs on bad
// input; everything wrong comes back as diagnostics, and a script comes back
// exactly when there is no error. A script that loads must also draw, be
// analysed, and run a call without breaking the session's rules.
//
// Includes are served from memory, never from disk: the script is named
// scripts/fuzz.yaml and the only library folder is intents/, so the bundled
// scripts' `common.zh-CN` (and `../intents/common.*.yaml`) find the bundled
// intent libraries, and every other path is unreadable.
#include <map>
#include <optional>

#include "fuzz_support.hpp"

namespace {

using namespace patter;
using patter::fuzz::valid_utf8;

const LoadOptions& load_options() {
  static const LoadOptions options = [] {
    auto libraries = std::make_shared<std::map<std::string, std::string>>();
    namespace fs = std::filesystem;
    for (const auto& e :
         fs::directory_iterator(fs::path(PATTER_SOURCE_DIR) / "examples" / "intents")) {
      std::FILE* f = std::fopen(e.path().c_str(), "rb");
      if (!f) continue;
      std::string text;
      char buf[4096];
      for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
      std::fclose(f);
      (*libraries)["intents/" + e.path().filename().string()] = std::move(text);
    }
    LoadOptions o;
    o.include_folders = {"intents"};
    o.default_library_path = false;
    o.read_file = [libraries](const std::string& path) -> std::optional<std::string> {
      const auto it = libraries->find(path);
      if (it == libraries->end()) return std::nullopt;
      return it->second;
    };
    return o;
  }();
  return options;
}

// A short call on a script that loaded: the start, a phrase of each of a
// few intents, silences and the end. Errors must change nothing.
void run_call(const std::shared_ptr<const Script>& script) {
  Session call = fuzz::start_call(script, SessionOptions{.transcript = 4});
  Turn turn;
  std::uint64_t now = 1000;
  std::string before;
  auto step = [&](const Event& e) {
    call.snapshot(before);
    const bool ended = call.ended();
    const Status s = call.step(e, turn);
    PATTER_FUZZ_CHECK(!ended || is_error(s), "an event after the end was accepted");
    if (is_error(s)) PATTER_FUZZ_CHECK(call.snapshot() == before, "an error changed the session");
    for (const Action& a : turn.actions())
      if (a.type == ActionType::say) PATTER_FUZZ_CHECK(valid_utf8(a.text), "a line is not UTF-8");
    (void)turn.explain(*script);
  };
  step(Event::answered(now));
  std::size_t said = 0;
  for (const Intent& in : script->intents()) {
    if (in.phrases.empty() || ++said > 6) continue;
    step(Event::utterance(in.phrases.front(), now += 3000));
  }
  for (int i = 0; i < 3; ++i) step(Event::no_input(now += 7000));
  step(Event::dtmf('1', now += 1000));

  Restored back = Session::restore(script, call.snapshot());
  PATTER_FUZZ_CHECK(back.ok(), "a snapshot does not restore");
  PATTER_FUZZ_CHECK(back->snapshot() == call.snapshot(), "a restored session differs");

  step(Event::timer(now += 3'600'000));
  step(Event::customer_hangup(now += 1000));
  PATTER_FUZZ_CHECK(call.ended(), "a customer hang-up did not end the call");
  (void)call.result().to_json(*script);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)load_options();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  (void)is_library(yaml);
  LoadResult r = load_string(yaml, "scripts/fuzz.yaml", load_options());

  PATTER_FUZZ_CHECK(r.ok() != has_errors(r.diagnostics),
                    "a script came back with errors, or none without");
  for (const Diagnostic& d : r.diagnostics) {
    const std::string text = format(d);
    PATTER_FUZZ_CHECK(valid_utf8(text), "a diagnostic is not UTF-8");
    PATTER_FUZZ_CHECK(!d.message.empty(), "a diagnostic says nothing");
  }
  if (!r.ok()) return 0;

  const Script& script = *r.script;
  PATTER_FUZZ_CHECK(script.start() < script.nodes().size(), "the start is not a node");
  PATTER_FUZZ_CHECK(valid_utf8(to_dot(script)), "the graph is not UTF-8");
  (void)analyze(script);
  run_call(r.script);
  return 0;
}
