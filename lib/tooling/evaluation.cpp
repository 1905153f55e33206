// Evaluating a script's understanding on a labelled set: each reply through
// the script's matcher, the winning intent compared with the label.
#include "patter/tooling/evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "patter/matcher.hpp"
#include "patter/script.hpp"
#include "runtime/backchannel.hpp"
#include "text/suggest.hpp"

namespace patter {
namespace {

// Labels in a stable order: the script's intents as declared, then the
// labels it lacks as met, then "none"; so tables read the same every run.
class Labels {
 public:
  explicit Labels(const Script& s) {
    for (const Intent& i : s.intents()) add(i.name);
  }
  std::size_t add(std::string_view name) {
    const auto it = index_.find(std::string(name));
    if (it != index_.end()) return it->second;
    names_.emplace_back(name);
    index_.emplace(names_.back(), names_.size() - 1);
    return names_.size() - 1;
  }
  const std::vector<std::string>& names() const noexcept { return names_; }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> index_;
};

std::vector<std::string> intent_names(const Script& s) {
  std::vector<std::string> out;
  for (const Intent& i : s.intents()) out.push_back(i.name);
  out.emplace_back(kNoIntent);
  return out;
}

// One diagnostic per label the script lacks, at its first line; the count
// of the others in the message, so a set far ahead of its script stays
// readable.
void check_labels(const Script& script, std::span<const EvalRow> rows, const EvalOptions& o,
                  std::vector<Diagnostic>& out) {
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> unknown;  // first row, count
  std::vector<std::string> order;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string& l = rows[i].label;
    if (l == kNoIntent || script.find_intent(l)) continue;
    auto [it, fresh] = unknown.try_emplace(l, i, 0);
    if (fresh) order.push_back(l);
    ++it->second.second;
  }
  const std::vector<std::string> known = intent_names(script);
  for (const std::string& l : order) {
    const auto [first, count] = unknown[l];
    std::string hint = detail::did_you_mean(l, known);
    if (hint.empty())
      hint = o.allow_unknown_labels ? "its replies count as misses until the script has the intent"
                                    : "add the intent to the script, or fix the label";
    Diagnostic d;
    d.where = rows[first].where;
    d.severity = o.allow_unknown_labels ? Severity::warning : Severity::error;
    d.code = Code::unknown_intent;
    d.message = fmt::format("label `{}` names an intent the script `{}` does not have ({} {})", l,
                            script.id(), count, count == 1 ? "reply" : "replies");
    d.hint = std::move(hint);
    out.push_back(std::move(d));
  }
}

}  // namespace

const IntentFigures* Evaluation::find(std::string_view intent) const noexcept {
  for (const IntentFigures& f : intents)
    if (f.intent == intent) return &f;
  return nullptr;
}

double Evaluation::recall(std::string_view intent) const noexcept {
  const IntentFigures* f = find(intent);
  return f && f->expected ? f->recall() : 1.0;
}

namespace {

/// What a call makes of the reply as the answer to a question: the
/// matcher's winner, unless the author's phrases and patterns found nothing
/// and the reply is only backchannels ("嗯", "uh-huh"), which a session takes
/// as the script's backchannel_intent. Measuring the matcher alone would
/// score an understanding no call has.
std::string_view understood_as(const Script& script, std::string_view reply, const Understanding& u,
                               std::string& scratch) {
  bool explicit_intent = false;
  for (const IntentMatch& m : u.intents())
    explicit_intent =
        explicit_intent || m.source == MatchSource::phrase || m.source == MatchSource::pattern;
  const IntentId answer = script.settings().backchannel_intent;
  if (!explicit_intent && answer != kNone &&
      detail::reply_shape(u.normalized(), reply, script, scratch) ==
          detail::ReplyShape::backchannel)
    return script.intent(answer).name;
  return u.matched() ? std::string_view(script.intent(u.best().intent).name) : kNoIntent;
}

}  // namespace

Evaluation evaluate(const Script& script, std::span<const EvalRow> rows,
                    const EvalOptions& options) {
  Evaluation e;
  e.script = script.id();
  check_labels(script, rows, options, e.diagnostics);
  if (!e.ok()) return e;

  Labels labels(script);
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // expected, got per row
  pairs.reserve(rows.size());
  std::unordered_map<std::string, std::size_t> category_index;
  Understanding u;
  std::string scratch;
  for (const EvalRow& row : rows) {
    script.matcher().understand(row.reply, u);
    const std::string_view got = understood_as(script, row.reply, u, scratch);
    const std::size_t want_i = labels.add(row.label), got_i = labels.add(got);
    pairs.emplace_back(want_i, got_i);
    const bool right = want_i == got_i;
    ++e.total;
    e.correct += right;
    for (const std::string& c : row.categories) {
      auto [it, fresh] = category_index.try_emplace(c, e.categories.size());
      if (fresh) e.categories.push_back({c, 0, 0});
      ++e.categories[it->second].total;
      e.categories[it->second].correct += right;
    }
    if (!right)
      e.misses.push_back(
          {row.where, row.reply, row.label, std::string(got), row.categories, u.explain(script)});
  }
  // "none" last, and only labels that occurred.
  std::vector<std::size_t> order;
  std::vector<std::uint64_t> seen(labels.names().size(), 0);
  for (auto [w, g] : pairs) ++seen[w], ++seen[g];
  std::size_t none_i = labels.add(kNoIntent);
  seen.resize(labels.names().size(), 0);
  for (std::size_t i = 0; i < labels.names().size(); ++i)
    if (seen[i] && i != none_i) order.push_back(i);
  if (seen[none_i]) order.push_back(none_i);

  std::vector<std::size_t> slot(labels.names().size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k) {
    slot[order[k]] = k;
    e.intents.push_back({labels.names()[order[k]], 0, 0, 0});
  }
  e.confusion.assign(order.size(), std::vector<std::uint64_t>(order.size(), 0));
  for (auto [w, g] : pairs) {
    IntentFigures &want = e.intents[slot[w]], &got = e.intents[slot[g]];
    ++want.expected;
    ++got.predicted;
    want.correct += w == g;
    ++e.confusion[slot[w]][slot[g]];
  }
  return e;
}

}  // namespace patter
