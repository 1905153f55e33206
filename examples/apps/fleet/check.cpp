// check — the fleet's promise, checked from what it left in Redis: every
// call ended exactly once, and each CallResult equals the one the
// in-process run gave the same call.
//
//   patter_fleet in-process --calls 10000 --seed 7 --results reference.tsv
//   ... the fleet campaign, same calls and seed ...
//   patter_fleet check --redis 127.0.0.1:6379 --calls 10000 --reference reference.tsv
//
// It reads P:results itself (not the dialer's tally), counts the results of
// each call id 1..N, and compares each with the reference field by field
// (outcome, hangup, escalation, grade, score, turns, silences, no_matches,
// duration_ms, tags, path and the script's identity). A call that ended as
// `failed` (its snapshot would not restore) is not compared: it must be in
// the dead letters (P:dead) exactly once, and every dead letter must have
// ended its call so. It also checks that no event is left pending in the
// workers' group, and no escalation in the desk's.
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <unordered_map>

#include "options.hpp"
#include "protocol.hpp"
#include "redis.hpp"

namespace fleet {
namespace {

// The top-level fields of a flat JSON object as raw text, in order: enough
// for CallResult::to_json, whose values are strings, numbers, booleans and
// arrays of strings.
std::vector<std::pair<std::string_view, std::string_view>> json_fields(std::string_view j) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  std::size_t i = 1;                       // past '{'
  auto skip_string = [&](std::size_t k) {  // k at the opening quote; returns past the closing one
    for (++k; k < j.size() && j[k] != '"'; ++k)
      if (j[k] == '\\') ++k;
    return k + 1;
  };
  while (i < j.size() && j[i] == '"') {
    const std::size_t key_end = skip_string(i);
    const std::string_view key = j.substr(i + 1, key_end - i - 2);
    std::size_t v = key_end + 1, k = v;  // past ':'
    int depth = 0;
    while (k < j.size()) {
      if (j[k] == '"') {
        k = skip_string(k);
        continue;
      }
      if (j[k] == '[' || j[k] == '{') ++depth;
      if (j[k] == ']' || j[k] == '}') {
        if (depth == 0) break;
        --depth;
      }
      if (j[k] == ',' && depth == 0) break;
      ++k;
    }
    out.emplace_back(key, j.substr(v, k - v));
    i = k + 1;
  }
  return out;
}

// What differs between two results, field by field ("" when they are equal).
std::string differences(std::string_view want, std::string_view got) {
  const auto a = json_fields(want), b = json_fields(got);
  std::string out;
  std::map<std::string_view, std::pair<std::string_view, std::string_view>> all;
  for (const auto& [k, v] : a) all[k].first = v;
  for (const auto& [k, v] : b) all[k].second = v;
  for (const auto& [k, v] : all)
    if (v.first != v.second)
      out += "    " + std::string(k) + ": in-process " +
             std::string(v.first.empty() ? "(none)" : v.first) + ", fleet " +
             std::string(v.second.empty() ? "(none)" : v.second) + '\n';
  if (out.empty() && want != got) out = "    (same fields, different text)\n";
  return out;
}

// The in-process run's results by call; empty after saying what is wrong.
std::optional<std::unordered_map<CallId, std::string>> read_reference(const Options& o) {
  if (o.reference.empty()) {
    std::cerr
        << "check: --reference FILE is required: the --results file of `patter_fleet in-process`\n";
    return std::nullopt;
  }
  std::ifstream in(o.reference);
  if (!in) {
    std::cerr << "check: cannot read " << o.reference
              << "; write it with `patter_fleet in-process --results " << o.reference
              << "` (same --calls and --seed as the fleet run)\n";
    return std::nullopt;
  }
  std::unordered_map<CallId, std::string> reference;
  for (std::string line; std::getline(in, line);) {
    const std::size_t tab = line.find('\t');
    const auto id = parse_uint(std::string_view(line).substr(0, tab));
    if (tab == std::string::npos || !id) {
      std::cerr << "check: " << o.reference
                << ": a line is not \"call<TAB>json\": " << line.substr(0, 60) << '\n';
      return std::nullopt;
    }
    reference.emplace(*id, line.substr(tab + 1));
  }
  return reference;
}

// What the results stream says, call by call, against the reference and
// the dead letters.
class Tally {
 public:
  Tally(const Options& o, const Keys& keys,
        const std::unordered_map<CallId, std::string>& reference,
        std::unordered_map<CallId, std::uint32_t> dead)
      : o_(o), keys_(keys), reference_(reference), dead_(std::move(dead)) {}

  void add(const Entry& e) {
    ++entries;
    const auto call = parse_uint(field(e.fields, "call").value_or(""));
    const std::string_view json = field(e.fields, "json").value_or("");
    if (!call || *call == 0 || *call > o_.calls) {
      if (++unknown <= 5)
        std::cerr << "check: result " << e.id << " names no call of this campaign\n";
      return;
    }
    if (++seen[*call] == 2 && ++twice <= 5)
      std::cerr << "check: call " << *call << " ended more than once\n";
    if (const auto why = field(e.fields, "failed")) return add_failed(*call, *why, json);
    if (dead_.count(*call) && ++failed_wrong <= 5)
      std::cerr << "check: call " << *call << " is in " << keys_.dead
                << " but did not end as failed\n";
    const auto ref = reference_.find(*call);
    const std::string diff =
        ref == reference_.end() ? "    not in the reference\n" : differences(ref->second, json);
    if (!diff.empty() && ++differ <= 5)
      std::cerr << "check: call " << *call << " differs from the in-process run:\n" << diff;
  }

  // After the last result: the dead letters whose call never ended.
  void finish() {
    for (const auto& [call, n] : dead_)
      if (!seen.count(call) && ++failed_wrong <= 5)
        std::cerr << "check: call " << call << " is in " << keys_.dead << " but never ended\n";
  }

  std::size_t dead() const { return dead_.size(); }

  std::unordered_map<CallId, std::uint32_t> seen;
  std::uint64_t entries = 0, twice = 0, unknown = 0, differ = 0, failed = 0, failed_wrong = 0;

 private:
  // A call that could not go on: in the dead letters exactly once, and ended so.
  void add_failed(CallId call, std::string_view why, std::string_view json) {
    ++failed;
    const auto d = dead_.find(call);
    if ((d == dead_.end() || d->second != 1 || (why != "restore_failed" && why != "start_failed") ||
         json.find("\"outcome\":\"failed\"") == std::string_view::npos) &&
        ++failed_wrong <= 5)
      std::cerr << "check: call " << call << " ended as failed (" << why << ") but is not in "
                << keys_.dead << " exactly once\n";
  }

  const Options& o_;
  const Keys& keys_;
  const std::unordered_map<CallId, std::string>& reference_;
  std::unordered_map<CallId, std::uint32_t> dead_;  // calls in the dead letters, and how often
};

std::unordered_map<CallId, std::uint32_t> read_dead(Redis& redis, const Keys& keys) {
  std::unordered_map<CallId, std::uint32_t> dead;
  Reply d = redis.command({"XRANGE", keys.dead, "-", "+"});
  for (const Entry& e : read_entries(d.value()))
    if (const auto call = parse_uint(field(e.fields, "call").value_or(""))) ++dead[*call];
  return dead;
}

}  // namespace

int run_check(const Options& o) {
  const auto read = read_reference(o);
  if (!read) return 2;
  const std::unordered_map<CallId, std::string>& reference = *read;
  std::string error;
  auto redis = Redis::connect(o.redis, error);
  if (!redis) {
    std::cerr << "check: " << error << '\n';
    return 2;
  }
  const Keys keys(o.prefix);
  Tally t(o, keys, reference, read_dead(*redis, keys));
  for (std::string from = "-";;) {
    Reply r = redis->command({"XRANGE", keys.results, from, "+", "COUNT", "2000"});
    if (r.is_error()) {
      std::cerr << "check: XRANGE " << keys.results << " failed: " << r.text() << '\n';
      return 2;
    }
    const std::vector<Entry> batch = read_entries(r.value());
    if (batch.empty()) break;
    for (const Entry& e : batch) t.add(e);
    from.clear();  // exclusive start: "(" and the last id
    from.push_back('(');
    from.append(batch.back().id);
  }
  t.finish();
  std::uint64_t missing = 0;
  for (CallId id = 1; id <= o.calls; ++id)
    if (!t.seen.count(id) && ++missing <= 5) std::cerr << "check: call " << id << " never ended\n";
  Reply fingerprint = redis->command({"HGET", keys.campaign, "script"});
  if (fingerprint.is_nil()) {
    std::cerr << "check: no campaign " << o.prefix << " on " << redis->endpoint()
              << ": was the dialer run there with this --prefix?\n";
    return 2;
  }
  Reply pending = redis->command({"XPENDING", keys.events(fingerprint.text()), Keys::group});
  const long long left = pending.is_error() ? -1 : pending.value()[0].integer();
  Reply desk = redis->command({"XPENDING", keys.escalations, Keys::desk_group});
  const long long waiting = desk.is_error() ? 0 : desk.value()[0].integer();
  const long long taken = redis->command({"HLEN", keys.desk_taken}).integer();

  std::cout << "check: " << t.entries << " results for " << o.calls << " calls: " << t.seen.size()
            << " ended, " << missing << " never ended, " << t.twice << " ended more than once; "
            << t.differ << " differ from the in-process run; events left pending: " << left
            << "; escalations left pending at the desk: " << waiting << " (" << taken
            << " with a person)\n";
  if (t.failed || t.dead())
    std::cout << "check: " << t.failed << " calls ended as failed, " << t.dead()
              << " in the dead letters (" << keys.dead << ")"
              << (t.failed_wrong ? ": MISMATCH" : "") << '\n';
  const bool ok = missing == 0 && t.twice == 0 && t.unknown == 0 && t.differ == 0 &&
                  t.entries == o.calls && left == 0 && waiting == 0 && taken == 0 &&
                  t.failed_wrong == 0 && reference.size() == o.calls;
  if (reference.size() != o.calls)
    std::cerr << "check: the reference has " << reference.size() << " calls, not " << o.calls
              << ": was it run with the same --calls?\n";
  if (!ok)
    std::cout << "check: FAILED\n";
  else if (t.failed)
    std::cout << "check: OK: every call ended exactly once; the " << t.failed
              << " failed ones are in the dead letters, the others have the same CallResult as in "
                 "one process\n";
  else
    std::cout << "check: OK: every call ended exactly once, with the same CallResult as in one "
                 "process\n";
  return ok ? 0 : 1;
}

}  // namespace fleet
