// patter/handoff.hpp — what a person taking a call needs to know, at a glance.
//
//   patter::Session& call = ...;                 // escalated, or about to be grabbed
//   patter::HandoffSummary s = patter::handoff_summary(call, now_ms);
//   screen.show(s.to_text());                    // labels in the script's locale
//   // 交接摘要 · edu_screening 1.2.0
//   // 客户：customer_name=张先生；lead_source=抖音
//   // 转人工：interested（优先级 high，评分达到 60），在 transfer_hot；客户说：“我今年35岁”
//   // 通话：20秒；转人工后 12秒；评分 65，等级 A
//   // 问过：ask_price “那学费多少钱？”（ask_goal）
//   // 听到：affirm ×2；interested ×2；edu_high_school；ask_price；start_later；tell_age
//   // 了解到：age=35
//   // 路径：opening → intro → ask_education → ask_goal → ask_time → ask_age → transfer_hot
//   web.send(s.to_json());
//
// Built from the script and the call alone: no model, no I/O, the same
// answer every time. With a transcript (SessionOptions::transcript > 0) it
// quotes the customer's words, in order; without one it has the counts only
// (intents heard, handlers that answered) and says so in its first line.
// The values are split by where they come from: `customer` are those the
// host gave when the call started (a CRM's fields: variables the call never
// writes), `learned` those the call captured from the customer or set
// (pattern captures, `capture:`, `set:`, the host's data); each listed only
// when it differs from the script's default.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "patter/script.hpp"
#include "patter/session.hpp"

namespace patter {

struct HandoffSummary {
  struct Value {
    std::string name, value;
  };
  /// Something the customer asked: an intent of kind `question` (or one a
  /// global handler answers with a line).
  struct Question {
    std::string intent;
    std::string words;  ///< as the customer said them; empty without a transcript
    std::string node;   ///< where the call was
    std::uint64_t at_ms = 0;
    std::uint32_t times = 1;  ///< without a transcript: how often it was heard
  };
  struct Heard {
    std::string intent;
    std::uint32_t count = 0;
  };

  std::string script, version, locale;
  /// The transcript was kept: words and order are known.
  bool transcript = false;
  std::vector<Value> customer;
  std::vector<Value> learned;
  std::vector<Question> questions;
  /// Each intent heard, with how often: in the order first heard (with a
  /// transcript), else in the script's order.
  std::vector<Heard> intents;
  double score = 0;
  std::string grade;  ///< the grade so far (its code)

  bool escalated = false;  ///< the call was escalated or taken over
  bool grabbed = false;    ///< ... by a person taking it from the robot, unasked
  /// ... because the interest score reached the script's `escalate_score`
  /// (then `escalate_score` is that threshold)
  bool score_escalated = false;
  std::uint32_t escalate_score = 0;
  EscalationReason reason = EscalationReason::interested;
  Priority priority = Priority::normal;
  std::string escalation_node;  ///< the escalating node, or where the call was
  std::string handler;          ///< the global handler's intent, when one escalated
  std::string trigger;          ///< the customer's words just before; empty without a transcript

  std::uint64_t duration_ms = 0;  ///< since the customer answered
  std::uint64_t waiting_ms = 0;   ///< since the escalation, when one waits
  std::vector<std::string> path;  ///< the nodes entered, in order

  /// A few lines for a person's screen, labelled in the script's locale
  /// (zh-*: Chinese; anything else: English).
  std::string to_text() const;
  /// One JSON object with the fields above, by their names.
  std::string to_json() const;
};

/// The summary of `call` as it stands. `now_ms` (the host's clock) dates the
/// call's length and the wait; 0 takes the last event's time.
HandoffSummary handoff_summary(const Session& call, std::uint64_t now_ms = 0);

}  // namespace patter
