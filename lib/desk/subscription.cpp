// Listen-in: a bounded buffer between a live call and a slow reader.
#include <deque>
#include <mutex>

#include "patter/desk.hpp"

namespace patter {

struct Subscription::State {
  mutable std::mutex m;
  std::deque<ListenEvent> events;
  std::size_t capacity = 0;
  std::uint64_t dropped = 0;
  bool closed = false;
};

Subscription::Subscription(std::size_t capacity) : state_(std::make_shared<State>()) {
  state_->capacity = capacity == 0 ? 1 : capacity;
}

void Subscription::push(const ListenEvent& e) {
  std::lock_guard lock(state_->m);
  if (state_->closed) return;
  if (state_->events.size() >= state_->capacity) {
    state_->events.pop_front();  // the reader is behind: the oldest goes
    ++state_->dropped;
  }
  state_->events.push_back(e);
}

void Subscription::finish() {
  std::lock_guard lock(state_->m);
  state_->closed = true;
}

std::size_t Subscription::poll(std::vector<ListenEvent>& out, std::size_t max) {
  std::lock_guard lock(state_->m);
  std::size_t n = 0;
  while (n < max && !state_->events.empty()) {
    out.push_back(std::move(state_->events.front()));
    state_->events.pop_front();
    ++n;
  }
  return n;
}

std::uint64_t Subscription::dropped() const {
  std::lock_guard lock(state_->m);
  return state_->dropped;
}

bool Subscription::closed() const {
  std::lock_guard lock(state_->m);
  return state_->closed;
}

void Subscription::close() {
  finish();
}

}  // namespace patter
