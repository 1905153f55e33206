// A trainee's session on simulated customers (patter/tooling/training.hpp):
// a Campaign with one trainee who is present, their calls followed through
// the desk's listen-in, what they say recorded for the assessment.
#include <algorithm>

#include "patter/tooling/campaign.hpp"
#include "patter/tooling/training.hpp"
#include "training_words.hpp"

namespace patter {
namespace {

CampaignOptions campaign_options(const TrainingOptions& o) {
  CampaignOptions c;
  c.agents = 0;
  c.trainees = 1;
  c.robots_per_agent = std::max<std::uint32_t>(1, o.robots);
  c.calls = o.calls;
  c.seed = o.seed;
  c.desk_assigns = false;  // escalations wait for the trainee's own grab
  return c;
}

std::optional<TrainingEventType> event_type(ListenEventType t) {
  switch (t) {
    case ListenEventType::robot_said: return TrainingEventType::robot_said;
    case ListenEventType::customer_said: return TrainingEventType::customer_said;
    case ListenEventType::key: return TrainingEventType::key;
    case ListenEventType::silence: return TrainingEventType::silence;
    case ListenEventType::escalated: return TrainingEventType::escalated;
    case ListenEventType::joined: return TrainingEventType::joined;
    case ListenEventType::handed_back: return TrainingEventType::handed_back;
    case ListenEventType::ended: return TrainingEventType::ended;
    case ListenEventType::queued:
      return std::nullopt;  // `escalated` said it
    // A training desk has no supervisor and nobody speaks on its calls but
    // the trainee, whose words the session records itself.
    case ListenEventType::whispered:
    case ListenEventType::barged:
    case ListenEventType::taken_over:
    case ListenEventType::noted:
    case ListenEventType::reassigned:
    case ListenEventType::person_said:
    case ListenEventType::left: return std::nullopt;
  }
  return std::nullopt;
}

TrainingStatus from_desk(DeskStatus s) {
  switch (s) {
    case DeskStatus::ok: return TrainingStatus::ok;
    case DeskStatus::unknown_call: return TrainingStatus::unknown_call;
    case DeskStatus::already_taken: return TrainingStatus::already_taken;
    case DeskStatus::agent_busy: return TrainingStatus::busy;
    case DeskStatus::not_with_agent: return TrainingStatus::not_taken;
    case DeskStatus::unknown_node: return TrainingStatus::unknown_node;
    default: return TrainingStatus::refused;
  }
}

// Practice needs someone on the line: unless the host wants the real
// mix, every customer picks up (no ringing out, no answering machine).
PersonaSet answering(const PersonaSet& set, const TrainingOptions& o) {
  PersonaSet out = set;
  if (o.answered_only)
    for (Persona& p : out.personas) {
      p.answer = 1;
      p.voicemail = 0;
    }
  return out;
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\v\f") == std::string_view::npos;
}

}  // namespace

struct TrainingSession::Impl {
  struct Call {
    CallId id = 0;
    std::string persona;
    std::shared_ptr<Subscription> sub;
    bool ended = false;
    Outcome outcome = Outcome::none;
    HangupReason hangup = HangupReason::completed;
    NodeId taken_at = kNone;
    NodeId talking_at = kNone;  // where the conversation stands, for the customer
    std::vector<NodeId> way;    // the nodes of the key points, in order
    std::vector<TraineeLine> lines;
  };

  Impl(std::shared_ptr<const Script> s, const PersonaSet& personas, TrainingOptions o)
      : script(std::move(s)),
        options(std::move(o)),
        campaign(script, answering(personas, options), campaign_options(options)) {
    if (campaign.people().empty()) return;
    trainee = campaign.people().front().name;
    CampaignObservers& obs = campaign.observers();
    obs.on_dialed = [this](CallId id, std::uint32_t robot) { dialed(id, robot); };
    obs.on_changed = [this](CallId id) { drain(id); };
    obs.on_ended = [this](CallId id, const CallResult& r, const CallContext&, std::uint32_t) {
      if (Call* c = find(id)) {
        c->ended = true;
        c->outcome = r.outcome;
        c->hangup = r.hangup;
      }
      drain(id);
    };
    campaign.set_present(trainee, true);
    campaign.allow_calls(trainee, options.calls);
  }

  Call* find(CallId id) {
    for (Call& c : calls)
      if (c.id == id) return &c;
    return nullptr;
  }
  const Call* find(CallId id) const { return const_cast<Impl*>(this)->find(id); }

  void dialed(CallId id, std::uint32_t robot) {
    Call& c = calls.emplace_back();
    c.id = id;
    c.persona = std::string(campaign.robots().at(robot).persona);
    c.sub = campaign.desk().listen(id, 1024);
    events.push_back({id, TrainingEventType::dialed, campaign.now(), c.persona, kNone});
  }

  void drain(CallId id) {
    Call* c = find(id);
    if (!c || !c->sub) return;
    heard.clear();
    c->sub->poll(heard);
    for (ListenEvent& e : heard)
      if (const auto t = event_type(e.type))
        events.push_back({id, *t, e.at_ms,
                          std::move(e.type == ListenEventType::joined ? e.agent : e.text), e.node});
    if (c->ended && c->sub->closed()) c->sub.reset();  // nothing more will come
  }

  void drain_all() {
    for (const Call& c : calls) drain(c.id);
  }

  // The last node where the robot listened: where a takeover's way starts.
  NodeId last_listen(CallId id) const {
    const auto s = campaign.desk().session(id);
    if (!s) return script->start();
    const std::vector<NodeId> path = s->result().path;
    for (auto it = path.rbegin(); it != path.rend(); ++it)
      if (script->node(*it).kind == NodeKind::listen) return *it;
    return script->start();
  }

  void taken(Call& c) {
    c.taken_at = c.talking_at = last_listen(c.id);
    c.way.clear();
    for (const KeyPoint& k : key_points(*script, c.taken_at, options.assessment)) {
      const auto n = script->find_node(k.node);
      if (n && script->node(*n).kind == NodeKind::listen &&
          std::find(c.way.begin(), c.way.end(), *n) == c.way.end())
        c.way.push_back(*n);
    }
  }

  // The node whose key points `text` covers best, from where the
  // conversation stands on; where it stands when it covers none.
  NodeId nearest(Call& c, std::string_view text) const {
    const Normalizer norm({.locale = script->locale(), .fillers = {}});
    const training_detail::Said said(norm, text);
    const auto from = std::find(c.way.begin(), c.way.end(), c.talking_at);
    double best = 0;
    for (auto it = from == c.way.end() ? c.way.begin() : from; it != c.way.end(); ++it) {
      std::size_t words = 0, hit = 0;
      for (const KeyPoint& k : key_points(*script, *it, one_node()))
        for (const std::string& w : k.words) ++words, hit += said.has_word(w);
      const double share = words ? static_cast<double>(hit) / words : 0;
      if (share > best) best = share, c.talking_at = *it;
    }
    return c.talking_at;
  }

  AssessmentOptions one_node() const {
    AssessmentOptions o;
    o.key_nodes = 1;
    return o;
  }

  std::shared_ptr<const Script> script;
  TrainingOptions options;
  Campaign campaign;
  std::string trainee;
  std::vector<Call> calls;
  std::vector<TrainingEvent> events;
  std::vector<ListenEvent> heard;
};

TrainingSession::TrainingSession(std::shared_ptr<const Script> script, const PersonaSet& personas,
                                 TrainingOptions options)
    : impl_(std::make_unique<Impl>(std::move(script), personas, std::move(options))) {}

TrainingSession::~TrainingSession() = default;

bool TrainingSession::advance() {
  impl_->drain_all();
  while (impl_->events.empty()) {  // events not yet polled are news enough
    const auto next = impl_->campaign.next_event_time();
    if (!next) return false;
    impl_->campaign.step_until(*next);
    impl_->drain_all();
  }
  return true;
}

void TrainingSession::step_until(std::uint64_t ms) {
  impl_->campaign.step_until(ms);
  impl_->drain_all();
}

std::optional<std::uint64_t> TrainingSession::next_event_time() const {
  return impl_->campaign.next_event_time();
}

std::uint64_t TrainingSession::now() const noexcept {
  return impl_->campaign.now();
}

bool TrainingSession::done() const {
  const CampaignCounters c = impl_->campaign.counters();
  return !impl_->campaign.next_event_time() ||
         (c.dialed >= impl_->options.calls && c.ended >= c.dialed);
}

std::size_t TrainingSession::poll(std::vector<TrainingEvent>& out) {
  impl_->drain_all();
  const std::size_t n = impl_->events.size();
  std::move(impl_->events.begin(), impl_->events.end(), std::back_inserter(out));
  impl_->events.clear();
  return n;
}

TrainingStatus TrainingSession::grab(CallId call) {
  Impl::Call* c = impl_->find(call);
  if (!c || c->ended) return TrainingStatus::unknown_call;
  const auto with = talking();
  if (with) return *with == call ? TrainingStatus::already_taken : TrainingStatus::busy;
  const TrainingStatus st = from_desk(impl_->campaign.grab(impl_->trainee, call));
  if (st == TrainingStatus::ok) impl_->taken(*c);
  impl_->drain(call);
  return st;
}

TrainingStatus TrainingSession::say(CallId call, std::string_view text) {
  Impl::Call* c = impl_->find(call);
  if (!c || c->ended) return TrainingStatus::unknown_call;
  if (text.size() > Normalizer::kMaxBytes) return TrainingStatus::too_long;
  if (blank(text)) return TrainingStatus::empty_words;
  if (talking() != call) return TrainingStatus::not_taken;
  const std::string words = training_detail::valid_utf8(text);
  const NodeId at = impl_->nearest(*c, words);
  const TrainingStatus st = from_desk(impl_->campaign.say(impl_->trainee, call, words, at));
  if (st != TrainingStatus::ok) return st;
  c->lines.push_back({now(), words});
  impl_->events.push_back({call, TrainingEventType::trainee_said, now(), words, at});
  return st;
}

TrainingStatus TrainingSession::hand_back(CallId call, NodeId node) {
  const Impl::Call* c = impl_->find(call);
  if (!c || c->ended) return TrainingStatus::unknown_call;
  if (talking() != call) return TrainingStatus::not_taken;
  if (node >= impl_->script->nodes().size()) return TrainingStatus::unknown_node;
  const TrainingStatus st = from_desk(impl_->campaign.hand_back(impl_->trainee, call, node));
  impl_->drain(call);
  return st;
}

TrainingStatus TrainingSession::finish(CallId call, HangupReason reason) {
  const Impl::Call* c = impl_->find(call);
  if (!c || c->ended) return TrainingStatus::unknown_call;
  if (talking() != call) return TrainingStatus::not_taken;
  const TrainingStatus st = from_desk(impl_->campaign.finish(impl_->trainee, call, reason));
  impl_->drain(call);
  return st;
}

std::vector<CallId> TrainingSession::live_calls() const {
  std::vector<CallId> out;
  for (const Impl::Call& c : impl_->calls)
    if (!c.ended) out.push_back(c.id);
  return out;
}

std::optional<CallId> TrainingSession::talking() const {
  if (impl_->campaign.people().empty()) return std::nullopt;
  const CallId id = impl_->campaign.people().front().talking;
  return id ? std::optional<CallId>(id) : std::nullopt;
}

std::vector<CallId> TrainingSession::waiting() const {
  std::vector<CallId> out;
  // A trainee's escalations wait for their own grab, outside the desk's queue.
  for (const Impl::Call& c : impl_->calls) {
    if (c.ended) continue;
    const auto info = impl_->campaign.desk().call(c.id);
    if (info && info->escalated_at_ms != 0 && info->with.empty()) out.push_back(c.id);
  }
  return out;
}

NodeId TrainingSession::node(CallId call) const {
  const auto info = impl_->campaign.desk().call(call);
  return info ? info->node : kNone;
}

const Script& TrainingSession::script() const noexcept {
  return *impl_->script;
}

TrainingReport TrainingSession::report() const {
  std::vector<TrainingCall> calls;
  const auto verdicts = impl_->campaign.desk().assessment(impl_->trainee);
  for (const Impl::Call& c : impl_->calls) {
    TrainingCall& t = calls.emplace_back();
    t.call = c.id;
    t.persona = c.persona;
    t.taken_at = c.taken_at;
    t.lines = c.lines;
    t.ended = c.ended;
    t.outcome = c.outcome;
    t.hangup = c.hangup;
    if (verdicts)
      for (const GrabDecision& d : verdicts->decisions)
        if (d.call == c.id) t.grab = d;
  }
  return assess(*impl_->script, calls, impl_->options.assessment);
}

}  // namespace patter
