// in-process — the same campaign in one process, without Redis: the
// reference the fleet is checked against, and the baseline it is measured
// against.
//
//   patter_fleet in-process --calls 10000 --seed 7 --results reference.tsv
//
// The same CallLines, the same turn code (robot_turn.hpp) and the same
// roster as the dialer, the workers and the desk; events are applied in
// the order they are produced, from one queue. With --snapshots each
// session is kept as snapshot bytes between turns and restored for the
// next, as a worker does, so the difference from the fleet is Redis alone.
#include <algorithm>
#include <chrono>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <unordered_map>

#include "call_line.hpp"
#include "campaign.hpp"
#include "latency.hpp"
#include "options.hpp"
#include "robot_turn.hpp"
#include "roster.hpp"

namespace fleet {
namespace {

using Clock = std::chrono::steady_clock;

class InProcess {
 public:
  InProcess(const Options& o, Campaign campaign)
      : o_(o), campaign_(std::move(campaign)), roster_(o.seed, o.agents) {}

  int run() {
    const auto start = Clock::now();
    start_calls();
    while (!queue_.empty()) {
      LineEvent e = std::move(queue_.front());
      queue_.pop_front();
      if (!turn(e)) return 1;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    report(seconds);
    return given_up_ == 0 ? 0 : 1;
  }

 private:
  void start_calls() {
    while (lines_.size() < o_.window && next_id_ <= o_.calls) {
      const CallId id = next_id_++;
      auto [it, _] = lines_.emplace(id, CallLine(campaign_, id));
      queue_.push_back(it->second.first());
    }
  }

  bool turn(const LineEvent& e) {
    const auto t0 = Clock::now();
    std::optional<patter::Session> session;
    if (e.seq == 1) {
      patter::Started s = start_call(campaign_.script, e);
      if (!s.ok()) {
        std::cerr << "in-process: call " << e.call << " cannot start: " << s.message() << '\n';
        return false;
      }
      session = std::move(*s);
    } else if (o_.snapshots) {
      patter::Restored r = patter::Session::restore(campaign_.script, snapshots_[e.call]);
      if (!r.ok()) {
        std::cerr << "in-process: call " << e.call << ": snapshot does not restore: " << r.message()
                  << '\n';
        return false;
      }
      session = std::move(*r);
    } else {
      session = std::move(live_.at(e.call));
    }
    apply(*session, e, turn_, "in-process", out_);
    if (!out_.report.ended) {
      if (o_.snapshots) {
        std::string& bytes = snapshots_[e.call];
        session->snapshot(bytes);
        snapshot_bytes_ += bytes.size();
        snapshot_max_ = std::max(snapshot_max_, bytes.size());
        ++snapshots_taken_;
      } else
        live_.insert_or_assign(e.call, std::move(*session));
    } else {
      snapshots_.erase(e.call);
      live_.erase(e.call);
    }
    latency_.add(Clock::now() - t0);
    ++turns_;

    CallLine& line = lines_.at(e.call);
    if (auto next = line.on_report(out_.report)) queue_.push_back(std::move(*next));
    if (out_.escalation)
      for (const PersonPlan& p : roster_.escalate(*out_.escalation)) deliver(p);
    if (out_.report.ended) {
      results_.emplace(e.call, std::move(out_.result));
      lines_.erase(e.call);
      for (const PersonPlan& p : roster_.release(e.call)) deliver(p);
      start_calls();
    } else if (line.abandoned()) {
      ++given_up_;
      lines_.erase(e.call);
      live_.erase(e.call);
      snapshots_.erase(e.call);
      start_calls();
    }
    return true;
  }

  void deliver(const PersonPlan& p) {
    const auto it = lines_.find(p.call);
    if (it == lines_.end()) return;
    if (auto next = it->second.on_plan(p)) queue_.push_back(std::move(*next));
  }

  void report(double seconds) {
    std::cout << "in-process campaign"
              << (o_.snapshots ? " (sessions as snapshot bytes between turns)" : "") << ": "
              << results_.size() << " calls, " << turns_ << " turns in " << seconds
              << " s: " << static_cast<std::uint64_t>(static_cast<double>(turns_) / seconds)
              << " turns/s\n"
              << "per-turn latency (the turn itself"
              << (o_.snapshots ? ", restore and snapshot included" : "")
              << "): " << latency_.summary() << '\n';
    if (snapshots_taken_)
      std::cout << "snapshots: " << snapshot_bytes_ / snapshots_taken_ << " bytes on average, "
                << snapshot_max_ << " at most\n";
    if (given_up_)
      std::cout << "calls given up (the robot refused two events in a row): " << given_up_ << '\n';
    if (!o_.results.empty()) {
      std::ofstream out(o_.results);
      for (const auto& [id, json] : results_) out << id << '\t' << json << '\n';
      if (!out) std::cerr << "in-process: cannot write " << o_.results << '\n';
    }
    if (o_.funnel) {
      patter::Stats stats(campaign_.script);
      for (const auto& [id, json] : results_) (void)stats.add_json(json);
      std::cout << '\n' << stats.report().to_text();
    }
  }

  const Options& o_;
  Campaign campaign_;
  Roster roster_;
  std::unordered_map<CallId, CallLine> lines_;
  std::unordered_map<CallId, patter::Session> live_;
  std::unordered_map<CallId, std::string> snapshots_;
  std::map<CallId, std::string> results_;
  std::deque<LineEvent> queue_;
  patter::Turn turn_;
  AppliedTurn out_;
  Latency latency_;
  CallId next_id_ = 1;
  std::uint64_t turns_ = 0, given_up_ = 0;
  std::uint64_t snapshot_bytes_ = 0, snapshots_taken_ = 0;
  std::size_t snapshot_max_ = 0;
};

}  // namespace

int run_in_process(const Options& o) {
  std::string error;
  auto campaign = Campaign::load(o.script, o.personas, o.seed, error);
  if (!campaign) {
    std::cerr << "in-process: " << error << '\n';
    return 1;
  }
  InProcess p(o, std::move(*campaign));
  return p.run();
}

}  // namespace fleet
