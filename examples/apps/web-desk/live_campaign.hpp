// A campaign in real time: robots dial simulated customers through a
// patter::Desk on a clock running `speed` times faster than the wall's,
// people (the pages' agents and trainees, or simulated ones when no page is
// open for them) grab, reply, hand back and end calls, and every change goes
// out as a JSON update for the pages.
//
//   webdesk::LiveCampaign campaign(script, personas, options,
//                                  [&](std::vector<webdesk::Update> u) {
//                                  server.deliver(std::move(u)); });
//   campaign.start();                       // its own thread
//   campaign.post({.kind = webdesk::Command::Kind::grab, .view = agent01, .call = 12});
//
// The campaign owns its thread and everything it touches; the pages reach
// it only through `post`, and it reaches them only through `publish`, so the
// web server and the simulation never share state. The Desk is driven the
// way a dialer would drive it: events in, actions carried out on the
// (simulated) line, listen-in subscriptions polled for what pages show.
#pragma once

#include <patter/desk.hpp>
#include <patter/tooling/campaign.hpp>
#include <patter/tooling/simulation.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "view.hpp"

namespace webdesk {

/// The web desk's campaign: the stepper's own options (people choosing
/// their escalations, a robot retrying a call it could not open), and what
/// the pages add to them.
inline patter::CampaignOptions web_desk_stepper() {
  patter::CampaignOptions o;
  o.agents = 3;
  o.robots_per_agent = 3;
  o.trainees = 1;
  o.grab_score = 40;  // pages mark calls from this score hot, and simulated people grab them
  o.retry_ms = 10000;
  o.desk_assigns = false;  // people choose: pages, or the simulated people
  return o;
}

struct CampaignOptions {
  patter::CampaignOptions stepper = web_desk_stepper();
  std::uint32_t training_calls = 6;  ///< calls in one training run
  double speed = 4;                  ///< simulated seconds per wall second
  std::uint32_t lines_kept = 80;     ///< transcript lines kept per call for pages
  /// A waiting call turns amber, then red, after this long (simulated seconds).
  std::uint32_t sla_amber_s = 10, sla_red_s = 30;
};

/// A JSON message for the pages subscribed to any of `topics`, or for the
/// one connection `to`.
struct Update {
  std::vector<std::string> topics;
  std::uint64_t to = 0;
  std::string json;
};

/// What a page asks for.
struct Command {
  enum class Kind : std::uint8_t {
    open,            ///< a page opened: send it a snapshot (agents: a person is at the desk)
    close,           ///< a page closed
    grab,            ///< take `call`
    take_next,       ///< take the head of the queue
    reply,           ///< say `text` to the customer on `call`
    hand_back,       ///< give `call` back to the robot at node `text`
    end,             ///< end `call` with the hang-up reason `text`
    start_training,  ///< a trainee's robots dial their training calls
    // A supervisor's (the web desk's supervisor accounts are the desk's
    // supervisors, AgentOptions::supervisor):
    watch,      ///< follow `call` on the supervisor's page: its lines and notes
    whisper,    ///< `text` to the person on `call` only
    barge,      ///< join `call` beside its person; their replies reach the customer too
    take_over,  ///< take `call` from the robot or the queue
    reassign,   ///< give waiting `call` to the agent `text`
    note,       ///< a coaching note `text` on `call`
    leave,      ///< leave `call` after barging in
  };
  Kind kind = Kind::open;
  std::uint64_t conn = 0;
  std::string who;  ///< the signed-in account (for the audit log)
  View view;        ///< what the account may see and whom it acts as
  patter::CallId call = 0;
  std::string text;
};

struct CampaignTotals {
  std::uint64_t dialed = 0, ended = 0, escalations = 0, taken = 0, errors = 0;
};

class AuditLog;

class LiveCampaign {
 public:
  using Publish = std::function<void(std::vector<Update>)>;

  LiveCampaign(std::shared_ptr<const patter::Script> script, patter::PersonaSet personas,
               CampaignOptions options, Publish publish);
  ~LiveCampaign();  // stops
  LiveCampaign(const LiveCampaign&) = delete;
  LiveCampaign& operator=(const LiveCampaign&) = delete;

  /// Where grabs, replies, hand-backs and ends are recorded (before start()).
  void audit_to(AuditLog* log);
  void start();
  void stop();
  /// From any thread.
  void post(Command command);

  std::vector<std::string> agents() const;
  std::vector<std::string> trainees() const;
  CampaignTotals totals() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace webdesk
