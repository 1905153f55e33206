// 13 — A campaign you step: the engine of `patter simulate` (robots, a desk,
// simulated customers) on a clock you move, with you as one of its people.
// What the web desk (apps/web-desk) does with a sped-up wall clock.
//
//   your loop ──step_until(t)──▶ Campaign ──observers──▶ dialled, changed, ended
//       │                          │
//       └── take_next, say, ──▶  Desk ◀── robots ◀── customers (personas)
//           finish (you)
//
//   $ 13_campaign_stepper
#include <iostream>

#include <patter/patter.hpp>
#include <patter/tooling/campaign.hpp>

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

int main() {
  auto loaded = patter::load_file(PATTER_EXAMPLES_DIR "/scripts/appointment.en-US.yaml");
  if (!loaded.ok()) return 1;
  // No persona file: one average customer, every route of every node alike.
  const patter::PersonaSet customers = patter::default_personas(*loaded.script);

  patter::CampaignOptions options;
  options.agents = 2;
  options.robots_per_agent = 3;
  options.seed = 7;
  options.desk_assigns = false;  // escalations wait in the queue for people to choose
  patter::Campaign campaign(loaded.script, customers, options);
  campaign.set_present("agent01", true);  // agent01 is you: nothing simulated acts for them

  patter::CallId mine = 0;
  bool mine_ended = false;
  campaign.observers().on_ended = [&](patter::CallId id, const patter::CallResult& r,
                                      const patter::CallContext& context, std::uint32_t robot) {
    if (!context.agent.empty() || id == mine)
      std::cout << "  call #" << id << " (robot " << campaign.robots()[robot].number << " of "
                << campaign.people()[campaign.robots()[robot].person].name
                << "): " << patter::to_string(r.hangup) << ", with " << context.agent << '\n';
    mine_ended = mine_ended || id == mine;
  };

  for (std::uint64_t minute = 1; minute <= 60 && !mine_ended; ++minute) {
    campaign.step_until(minute * 60000);  // your clock, a minute at a time
    if (!mine) {
      if (campaign.take_next("agent01", &mine) != patter::DeskStatus::ok) continue;
      const auto call = campaign.desk().call(mine);
      std::cout << "minute " << minute << ": agent01 takes call #" << mine << " at "
                << loaded.script->node(call->node).name << '\n';
      // The customer answers you as they would the robot at that node.
      campaign.say("agent01", mine, "Hi, this is Sam. How can I help?", call->node);
    } else if (campaign.desk().call(mine)) {
      std::cout << "minute " << minute << ": agent01 ends call #" << mine << '\n';
      campaign.finish("agent01", mine, patter::HangupReason::completed);
    }
  }
  const patter::CampaignCounters n = campaign.counters();
  std::cout << "at " << campaign.now() / 60000 << " min: " << n.dialed << " dialled, " << n.ended
            << " ended, " << n.escalations << " escalated, " << n.taken << " taken, " << n.errors
            << " refused\n";
  return mine_ended && n.errors == 0 ? 0 : 1;
}
