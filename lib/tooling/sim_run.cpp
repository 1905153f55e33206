// `patter::simulate` (patter/tooling/simulation.hpp): a campaign stepped to its end
// (patter/tooling/campaign.hpp), and its transcripts as text.
#include <fmt/format.h>

#include <algorithm>

#include "patter/tooling/campaign.hpp"
#include "patter/tooling/simulation.hpp"

#include "tooling/columns.hpp"

namespace patter {
namespace {

using detail::Appender;

}  // namespace

Simulation simulate(std::shared_ptr<const Script> script, const PersonaSet& personas,
                    const SimulationOptions& options) {
  if (!script) return {};
  Simulation out;
  if (options.calls == 0 || options.agents == 0 || options.robots_per_agent == 0 ||
      personas.personas.empty()) {
    out.report = Stats(script, options.stats).report();
    return out;
  }
  Campaign campaign(std::move(script), personas, static_cast<const CampaignOptions&>(options));
  const std::uint64_t every = std::max<std::uint64_t>(1, options.calls / 200);
  campaign.observers().on_ended = [&](CallId, const CallResult& r, const CallContext& context,
                                      std::uint32_t) {
    if (options.on_call) options.on_call(r, context);
    const std::uint64_t done = campaign.counters().ended;
    if (options.on_progress && (done % every == 0 || done == options.calls))
      options.on_progress(done, options.calls);
  };
  campaign.step_until(UINT64_MAX);
  out.report = campaign.report();
  out.transcripts = campaign.take_transcripts();
  // The contexts' names are views of the transcripts' own strings, which
  // moved as the list grew (short strings live inside the object): point
  // them at the strings where they are now.
  for (SimulatedTranscript& t : out.transcripts) {
    t.context.persona = t.persona;
    t.context.agent = t.agent;
  }
  out.desk = campaign.desk().counters();
  out.sim_ms = campaign.last_end();
  out.errors = campaign.counters().errors;
  return out;
}

std::string format_transcript(const SimulatedTranscript& t, const Script& script) {
  std::string out;
  auto add = Appender{out};
  const CallResult& r = t.result;
  add("── {}, grade {}: ", t.persona, r.grade);
  if (r.outcome == Outcome::escalated)
    add("a person took it ({}) and ended it as {}",
        r.escalated ? to_string(r.escalation) : "grabbed", to_string(r.hangup));
  else if (r.escalated)
    add("escalated ({}), then {} ({})", to_string(r.escalation), to_string(r.outcome),
        to_string(r.hangup));
  else
    add("{} ({})", to_string(r.outcome), to_string(r.hangup));
  add(" ──\n");
  const std::uint64_t start = r.transcript.empty() ? 0 : r.transcript.front().at_ms;
  bool person = false;
  for (const TranscriptEntry& e : r.transcript) {
    const double s = static_cast<double>(e.at_ms - start) / 1000.0;
    switch (e.who) {
      case TranscriptEntry::Who::robot: add("  {:6.1f}s  robot     {}\n", s, e.text); break;
      case TranscriptEntry::Who::customer:
        add("  {:6.1f}s  customer  {}", s, e.text);
        if (e.intent != kNone && e.intent < script.intents().size())
          add("  [{}]", script.intent(e.intent).name);
        add("\n");
        break;
      case TranscriptEntry::Who::key: add("  {:6.1f}s  customer  (presses {})\n", s, e.text); break;
      case TranscriptEntry::Who::silence: add("  {:6.1f}s  customer  (silence)\n", s); break;
      case TranscriptEntry::Who::agent:
        add("  {:6.1f}s  person    {}\n", s,
            e.text.empty() ? std::string_view("(takes the call)") : e.text);
        person = true;
        break;
    }
  }
  if (r.escalated && !t.context.taken && !t.context.grabbed && t.context.wait_ms)
    add("          (nobody took the call: it ended after {:.0f} s of waiting)\n",
        static_cast<double>(*t.context.wait_ms) / 1000.0);
  if (t.context.taken || t.context.grabbed) {
    if (!person)
      add("          person    {} {} the call\n", t.context.agent,
          t.context.grabbed ? "grabs" : "takes");
    add("          person    talks {:.0f} s, then ends the call: {}\n",
        static_cast<double>(t.context.person_ms) / 1000.0, to_string(r.hangup));
  }
  return out;
}

}  // namespace patter
