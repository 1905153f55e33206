// The names and sentences of a training session's statuses and events
// (patter/tooling/training.hpp).
#include "patter/tooling/training.hpp"

namespace patter {

std::string_view to_string(TrainingStatus s) noexcept {
  switch (s) {
    case TrainingStatus::ok: return "ok";
    case TrainingStatus::unknown_call: return "unknown_call";
    case TrainingStatus::not_taken: return "not_taken";
    case TrainingStatus::already_taken: return "already_taken";
    case TrainingStatus::busy: return "busy";
    case TrainingStatus::empty_words: return "empty_words";
    case TrainingStatus::too_long: return "too_long";
    case TrainingStatus::unknown_node: return "unknown_node";
    case TrainingStatus::refused: return "refused";
  }
  return "?";
}

std::string_view describe(TrainingStatus s) noexcept {
  switch (s) {
    case TrainingStatus::ok: return "done";
    case TrainingStatus::unknown_call:
      return "no such call going on: it has ended, or was never dialled";
    case TrainingStatus::not_taken: return "take the call first (grab)";
    case TrainingStatus::already_taken: return "you already have this call";
    case TrainingStatus::busy: return "you are on another call: hand it back or finish it first";
    case TrainingStatus::empty_words: return "say something: the words were empty";
    case TrainingStatus::too_long: return "say less at a time: at most 4096 bytes";
    case TrainingStatus::unknown_node: return "the script has no such node";
    case TrainingStatus::refused: return "the desk refused: the call ended as you acted";
  }
  return "?";
}

std::string_view to_string(TrainingEventType t) noexcept {
  switch (t) {
    case TrainingEventType::dialed: return "dialed";
    case TrainingEventType::robot_said: return "robot_said";
    case TrainingEventType::customer_said: return "customer_said";
    case TrainingEventType::trainee_said: return "trainee_said";
    case TrainingEventType::key: return "key";
    case TrainingEventType::silence: return "silence";
    case TrainingEventType::escalated: return "escalated";
    case TrainingEventType::joined: return "joined";
    case TrainingEventType::handed_back: return "handed_back";
    case TrainingEventType::ended: return "ended";
  }
  return "?";
}

}  // namespace patter
