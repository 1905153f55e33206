// patter/tooling/campaign.hpp — a campaign you step: robots dial simulated
// customers through a real Desk, people take the calls, on a simulated clock
// that only moves when you say so.
//
//   patter::CampaignOptions opt;     // patter/tooling/campaign_options.hpp
//   opt.agents = 2;                  // 2 people ...
//   opt.robots_per_agent = 3;        // ... each watching 3 robots
//   opt.calls = 500;                 // then the robots stop (0: they never do)
//   opt.seed = 7;                    // same seed, same campaign
//   patter::Campaign campaign(script, personas, opt);
//   campaign.observers().on_ended = [&](patter::CallId, const patter::CallResult& r,
//                                       const patter::CallContext&, std::uint32_t robot) {
//     std::cout << "robot " << robot << ": " << patter::to_string(r.outcome) << '\n';
//   };
//   while (auto next = campaign.next_event_time())   // as fast as it goes ...
//     campaign.step_until(*next);
//   // ... or with a wall clock: campaign.step_until(elapsed_ms * speed) now and then.
//   std::cout << campaign.report().to_text();
//
// `patter simulate` (patter/tooling/simulation.hpp) is this loop run to the end; the
// web desk (examples/apps/web-desk) steps it with a sped-up wall clock, its
// pages' people calling `grab`, `say`, `hand_back` and `finish` in between.
//
// Sans I/O and deterministic: one random stream from the seed, one queue of
// events ordered by time and arrival, no threads, no clock of its own. The
// same seed and the same calls into it give the same campaign, call for
// call. Not thread-safe: one thread steps it (the Desk inside is).
//
// People: agents and trainees (`trainees`), each supervising
// `robots_per_agent` robots. They are simulated (they take escalations, grab
// promising calls, talk for `handle_ms` and end the call) until the host says
// a real person is `present`; then only the host's calls act for them.
// Trainees' robots dial only the calls `allow_calls` gives them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patter/desk.hpp"
#include "patter/script.hpp"
#include "patter/session.hpp"
#include "patter/tooling/campaign_options.hpp"
#include "patter/tooling/simulation.hpp"
#include "patter/tooling/stats.hpp"

namespace patter {

/// What a customer does next, and when.
struct CustomerReply {
  PersonaChoice choice;        ///< what: an intent, silence, a hang-up, unclear words, a key
  std::string_view words;      ///< for intents and unclear words: the persona set's own text
  std::uint64_t after_ms = 0;  ///< from the end of the line they answer
};

/// The customers of a campaign: who answers, what they say at each node and
/// how long they take, from a PersonaSet. Random draws come from the
/// caller's stream (`uniform()`, `below(n)`, `between(min, max)`), so one model
/// serves a campaign's single stream and a fleet's streams per call alike.
class CustomerModel {
 public:
  CustomerModel(const Script& script, const PersonaSet& personas);

  const PersonaSet& personas() const noexcept { return *set_; }
  /// The persona for a uniform draw in [0, 1), by share.
  const Persona& persona(double u) const;
  /// What `p` may do when the robot listens at `node`: the persona's own
  /// choices there, its fallback, or each route of the node equally with a
  /// little silence and hanging up.
  const std::vector<PersonaChoice>& choices(const Persona& p, NodeId node) const;
  /// How long saying `text` takes: per wide (CJK) character, per other one.
  static std::uint64_t speaking_ms(std::string_view text, std::uint32_t wide_ms = 220,
                                   std::uint32_t narrow_ms = 65);

  /// The customer's reply to a listen of `listen_ms` at `node`. Draws, in
  /// this order: the choice, the thinking time, the words.
  template <class Random>
  CustomerReply reply(Random& random, const Persona& p, NodeId node, std::uint32_t listen_ms,
                      std::uint32_t wide_ms = 220, std::uint32_t narrow_ms = 65) const {
    CustomerReply r;
    r.choice = pick(choices(p, node), random.uniform());
    r.after_ms = random.between(p.think_ms.min, p.think_ms.max);
    const std::vector<std::string>* pool = words_for(r.choice);
    if (!pool) {
      if (r.choice.kind == PersonaChoice::Kind::silence) r.after_ms = listen_ms;
      return r;
    }
    r.words = (*pool)[random.below(pool->size())];
    r.after_ms += speaking_ms(r.words, wide_ms, narrow_ms);
    return r;
  }

 private:
  static PersonaChoice pick(const std::vector<PersonaChoice>& choices, double u);
  /// The words `c` draws from; null when it says nothing. An intent with no
  /// words becomes unclear words, and unclear words without any silence.
  const std::vector<std::string>* words_for(PersonaChoice& c) const;

  const PersonaSet* set_;
  std::vector<double> cumulative_;
  std::vector<std::vector<PersonaChoice>> defaults_;
};

/// What happened, as it happens. Each is optional; none may call back into
/// the campaign's stepping or people (reading it and its desk is fine).
struct CampaignObservers {
  /// A robot (index into `robots()`) dialled `call`.
  std::function<void(CallId call, std::uint32_t robot)> on_dialed;
  /// The desk moved `call` on: a turn, a person joining or leaving.
  std::function<void(CallId call)> on_changed;
  /// `call` ended; `context` says who, when and how long (its views live
  /// until the callback returns).
  std::function<void(CallId call, const CallResult& result, const CallContext& context,
                     std::uint32_t robot)>
      on_ended;
};

struct CampaignCounters {
  std::uint64_t dialed = 0, ended = 0, escalations = 0, taken = 0;
  std::uint64_t errors = 0;  ///< events a session refused (a bug: should be 0)
};

class Campaign {
 public:
  struct Robot {
    std::uint32_t person = 0;  ///< index into `people()`: who supervises it
    std::uint32_t number = 1;  ///< 1.. among that person's robots
    CallId call = 0;           ///< its call now, or its last one until it dials again
    bool busy = false;         ///< on a call now
    std::string_view persona;  ///< the customer type on that call
  };
  struct Person {
    std::string name;  ///< agent01.., trainee01..
    bool trainee = false;
    bool present = false;  ///< a real person acts for them: not simulated
    CallId talking = 0;    ///< the call they are on
  };

  /// Bad options (no people, no robots, no personas) give a campaign with no events.
  Campaign(std::shared_ptr<const Script> script, const PersonaSet& personas,
           CampaignOptions options);
  ~Campaign();
  Campaign(const Campaign&) = delete;
  Campaign& operator=(const Campaign&) = delete;

  CampaignObservers& observers() noexcept;

  // ---- the clock -------------------------------------------------------------------
  /// When the next thing happens; empty when nothing ever will.
  std::optional<std::uint64_t> next_event_time() const;
  /// Everything due by `ms`, in order; the clock then stands at `ms` (or
  /// later, if it already was).
  void step_until(std::uint64_t ms);
  std::uint64_t now() const noexcept;

  // ---- people, for the host --------------------------------------------------------
  /// A real person is at `person`'s desk (true) or left it (false).
  void set_present(std::string_view person, bool present);
  /// A trainee's robots dial `calls` more calls (their training run).
  DeskStatus allow_calls(std::string_view trainee, std::uint32_t calls);
  DeskStatus grab(std::string_view person, CallId call);
  /// Take the head of the desk's queue; `call` gets which one.
  DeskStatus take_next(std::string_view person, CallId* call = nullptr);
  /// The person said `text` on their call: the customer answers it as if the
  /// robot had said it at `node` (or hangs up, if they say nothing for long).
  DeskStatus say(std::string_view person, CallId call, std::string_view text, NodeId node);
  DeskStatus hand_back(std::string_view person, CallId call, NodeId node);
  DeskStatus finish(std::string_view person, CallId call, HangupReason reason);

  // ---- what there is ---------------------------------------------------------------
  const std::vector<Person>& people() const noexcept;
  const std::vector<Robot>& robots() const noexcept;
  /// The desk the calls run through: listen in, read calls, queue, stats.
  Desk& desk() noexcept;
  const Desk& desk() const noexcept;
  const CustomerModel& customers() const noexcept;
  CampaignCounters counters() const noexcept;
  /// Funnels of the ended calls (trainees' calls left out).
  StatsReport report() const;
  /// The kept transcripts (`CampaignOptions::transcripts`), moved out.
  std::vector<SimulatedTranscript> take_transcripts();
  /// When the last call ended.
  std::uint64_t last_end() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace patter
