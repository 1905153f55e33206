// The campaign's insides (patter/tooling/campaign.hpp), shared by the files
// that implement it: campaign.cpp (the clock, robots, customers and their
// calls) and campaign_people.cpp (people, simulated or the host's).
//
// One random stream, one queue of events ordered by time and arrival: the
// same seed gives the same campaign, call for call.
#pragma once

#include <algorithm>
#include <queue>
#include <unordered_map>

#include "patter/escalation_odds.hpp"
#include "patter/random.hpp"
#include "patter/tooling/campaign.hpp"

namespace patter {
namespace campaign_detail {

using Rng = Random;

enum class Ev : std::uint8_t { dial, ring_end, customer, patience, person_done, tick, fetched };

struct Pending {
  std::uint64_t at, seq;
  Ev kind;
  std::uint32_t slot, gen;
  bool operator>(const Pending& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

enum class Pickup : std::uint8_t { answer, voicemail, ring_out };
enum class State : std::uint8_t { idle, ringing, robot, holding, person };
constexpr std::uint32_t kNobody = UINT32_MAX;

// A robot's call, beside what `Campaign::Robot` shows of it.
struct Slot {
  State state = State::idle;
  std::uint32_t gen = 0;         // customer events (replies, patience)
  std::uint32_t person_gen = 0;  // a simulated person's end of talk
  const Persona* persona = nullptr;
  Pickup pickup = Pickup::answer;
  bool transcript = false;
  std::uint64_t dialed = 0, escalated_at = 0, joined_at = 0, react_at = 0;
  std::optional<std::uint64_t> wait;
  bool taken = false, grabbed = false;
  std::uint32_t with = kNobody;  // the person talking on it
  std::uint64_t person_ms = 0;
  CustomerReply next;                   // the customer's next move
  std::uint32_t fetch = 0;              // the fetch the dialer answers next
  const FetchAnswer* answer = nullptr;  // and how; none: it lets the deadline pass
  // For pacing: where the call is (node, score) and where it has been.
  NodeId node = kNone;
  double score = 0;
  EscalationOdds::Trail trail;
};

struct Quota {
  std::uint64_t dialed = 0, limit = 0;
};

}  // namespace campaign_detail

struct Campaign::Impl {
  using Rng = campaign_detail::Rng;
  using Ev = campaign_detail::Ev;
  using Pending = campaign_detail::Pending;
  using Pickup = campaign_detail::Pickup;
  using State = campaign_detail::State;
  using Slot = campaign_detail::Slot;
  using Quota = campaign_detail::Quota;
  static constexpr std::uint32_t kNobody = campaign_detail::kNobody;

  Impl(std::shared_ptr<const Script> script, const PersonaSet& personas, const CampaignOptions& opt)
      : script_(std::move(script)),
        set_(personas),
        opt_(opt),
        customers_(*script_, set_),
        rng_(opt.seed),
        stats_(script_, opt.stats),
        desk_(desk_options()),
        pacing_(pacing_options()),
        odds_(odds_options()) {}

  // ---- set-up ----------------------------------------------------------------------

  bool valid() const {
    return opt_.agents + opt_.trainees > 0 && opt_.robots_per_agent > 0 && !set_.personas.empty();
  }

  void add_people();

  DeskOptions desk_options();

  // ---- pacing ----------------------------------------------------------------------

  PacingOptions pacing_options() const;
  EscalationOddsOptions odds_options() const;

  // Robots each person has: with pacing, room for the adviser to raise it.
  std::uint32_t robots_each() const {
    return opt_.pacing ? std::max(opt_.robots_per_agent, pacing_options().max_robots_per_person)
                       : opt_.robots_per_agent;
  }

  // The desk as the adviser sees it: people, robots' calls, the queue.
  PacingNow pacing_now();

  // Robot `i` holds its dial because people would not keep up; it asks again
  // later, or as soon as a person frees up (`wake_held`).
  bool paced(std::uint32_t i);
  void wake_held();

  // ---- the clock -------------------------------------------------------------------

  void push(std::uint64_t at, Ev kind, std::uint32_t slot);

  void step_until(std::uint64_t ms);

  void handle(const Pending& p);

  // ---- robots and customers --------------------------------------------------------

  bool may_dial(std::uint32_t i);

  void dial(std::uint32_t i);

  // A fresh slot for robot `i`: what was planned for its last call is overtaken.
  Slot& reset(std::uint32_t i);

  void ring_end(std::uint32_t i);

  // The customer does what was decided when the robot (or the person) stopped talking.
  void customer(std::uint32_t i);

  // What the customer will do at node `n`, and when.
  void plan_reply(std::uint32_t i, NodeId n, std::uint64_t line_end, std::uint32_t listen_ms);

  std::uint64_t speaking_ms(std::string_view text) const {
    return CustomerModel::speaking_ms(text, opt_.wide_char_ms, opt_.narrow_char_ms);
  }

  void step(std::uint32_t i, const Event& e);

  struct Lines {
    std::uint64_t end = 0;
    NodeId listen_at = kNone;
    std::uint32_t listen_ms = 0;
    bool escalate = false, end_call = false;
    const Action* fetch = nullptr;
  };

  Lines read(const Turn& t) const;

  // Carry out a turn's actions: the clock of the lines, the next reply, the hold.
  void after(std::uint32_t i, const Turn& t);

  void hold(Slot& s);

  // The dialer's lookup for a fetch: an answer from the persona file's
  // `fetches:` when the robot's line ends, or none by the deadline.
  void plan_fetch(std::uint32_t i, const Action& fetch, std::uint64_t line_end);

  void fetched(std::uint32_t i);

  bool waiting(CallId id) const;

  // The call stops waiting: a person took it, or it ended or gave up waiting.
  void leave_hold(Slot& s, bool taken = false);

  void changed(std::uint32_t i) {
    if (obs_.on_changed) obs_.on_changed(robots_[i].call);
  }

  // Assignments and ended calls the desk reported during the last call into it.
  // Returns true when robot `i`'s call was among them (nothing more to plan).
  bool settle(std::uint32_t i);

  // ---- people ----------------------------------------------------------------------

  std::uint32_t person_index(std::string_view name) const {
    for (std::uint32_t p = 0; p < people_.size(); ++p)
      if (people_[p].name == name) return p;
    return kNobody;
  }

  /// Person `p` is on robot `i`'s call now (an assignment, a grab or a take).
  void joined(std::uint32_t i, std::uint32_t p, bool grabbed);

  // A free simulated person at a robot of theirs: grab a promising call.
  void maybe_grab(std::uint32_t i);
  /// The score a free person grabs at now, for a call at `score`.
  double grab_score_now(double score);

  void person_done(std::uint32_t i);

  void finished(std::uint32_t i, CallResult& r);

  void keep(CallResult& r, const CallContext& c);

  void drop(std::uint32_t i);

  // The desk's timers (hold lines, hold timeouts), and simulated people
  // picking up waiting calls when the desk does not give them out.
  void tick();

  void people_pick_up();

  bool simulated_and_free(std::uint32_t p) const {
    return !people_[p].present && !people_[p].talking;
  }

  DeskStatus grab_for(std::uint32_t p, CallId id, std::uint32_t i);

  DeskStatus take_next_for(std::uint32_t p, CallId* got);

  // ---- the host's people -----------------------------------------------------------

  // Robot `i` of a live call `id`, or none.
  std::uint32_t robot_of(CallId id) const {
    const auto it = by_call_.find(id);
    return it == by_call_.end() ? kNobody : it->second;
  }

  void set_present(std::uint32_t p, bool present);

  DeskStatus allow_calls(std::uint32_t p, std::uint32_t calls);

  DeskStatus grab(std::uint32_t p, CallId id);

  DeskStatus say(std::uint32_t p, CallId id, std::string_view text, NodeId node);

  DeskStatus hand_back(std::uint32_t p, CallId id, NodeId node);

  DeskStatus finish(std::uint32_t p, CallId id, HangupReason reason);

  std::shared_ptr<const Script> script_;
  PersonaSet set_;
  std::vector<VariableValue> found_;  // a fetch answer's values, for the event
  CampaignOptions opt_;
  CustomerModel customers_;
  CampaignObservers obs_;
  Rng rng_;
  Stats stats_;
  Desk desk_;
  PacingAdviser pacing_;
  EscalationOdds odds_;
  std::vector<Person> people_;
  std::vector<Quota> quotas_;
  std::vector<Robot> robots_;
  std::vector<Slot> slots_;
  std::unordered_map<CallId, std::uint32_t> by_call_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> queue_;
  std::vector<std::pair<std::string, CallId>> assigned_;
  std::vector<std::pair<CallId, CallResult>> ended_;
  std::vector<VariableValue> vars_;
  std::vector<std::uint64_t> talked_;  // for pacing: how long each person has talked
  std::vector<std::uint64_t> ages_;    // ... and each robot call has lasted
  std::vector<float> chances_;         // ... its chance to escalate, where it is
  std::vector<float> escalate_in_;     // ... and how soon, if it does
  std::vector<std::uint32_t> held_;    // robots holding their dial (pacing)
  std::vector<SimulatedTranscript> transcripts_;
  CampaignCounters counters_;
  Turn turn_;
  std::uint64_t now_ = 0, seq_ = 0, dialed_ = 0, last_end_ = 0, line_end_ = 0;
  std::uint32_t kept_ = 0, holding_ = 0;
};

}  // namespace patter
