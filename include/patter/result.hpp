// patter/result.hpp — what a runtime call answers: a value, or a code that
// says what went wrong and a message that says what to do.
//
//   patter::Started started = patter::Session::start(script, {{"customer_name", "王女士"}});
//   if (!started) {                                  // same as !started.ok()
//     std::cerr << patter::to_string(started.code())  // "missing_variable"
//               << ": " << started.message() << '\n';  // what is wrong, what to do
//     return;
//   }
//   patter::Session& call = *started;                // or started.value(), which throws
//                                                    // BadResultAccess on an error
//   patter::Result<void, patter::StatsError> added = stats.add_json(line);
//   if (!added) std::cerr << "line " << n << ": " << added.message() << '\n';
//
//   switch (call.step(event, turn)) {                // a bare code where nothing is made
//     case patter::Status::ok: break;
//     default: log(patter::describe(turn.status()));
//   }
//
// One shape for every runtime call (README, "Error model"):
//   - a call that makes something (a session, a restored session, a call on
//     a desk) returns Result<T, Code>: the value, or a code and a message;
//   - a call that makes nothing returns Result<void, Code> when its message
//     depends on the input (a JSON line that does not parse), else its code
//     enum bare (Session::step's Status, the desk's DeskStatus): a byte,
//     cheap to switch on, no allocation on a call's hot path;
//   - every code enum has `ok` as its first value, `to_string(code)` (the
//     value's name) and `describe(code)` (a sentence: what is wrong, what to
//     do). A Result's `message()` is more precise when the call knew more
//     (which variable, which byte); otherwise it is `describe(code())`.
// Exceptions only where the caller asks for one: `value()` on an error.
#pragma once

#include <cassert>
#include <concepts>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace patter {

/// An enum a Result can carry: `ok` first, and a name and a sentence for
/// every value, found next to the enum.
template <class Code>
concept ResultCode = std::is_enum_v<Code> && requires(Code c) {
  Code::ok;
  { to_string(c) } -> std::convertible_to<std::string_view>;
  { describe(c) } -> std::convertible_to<std::string_view>;
};

/// Thrown by Result::value() on an error: the program used a value it had
/// not checked for, a bug in the calling program.
class BadResultAccess : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// The error side of a Result, to return from a function that makes one:
/// `return patter::Failure{StartError::no_script, "..."};`.
template <ResultCode Code>
struct Failure {
  Code code;
  std::string message = {};  ///< empty: `describe(code)`
};
// Spelled out for compilers without deduction for aggregates (Clang < 17).
template <ResultCode Code>
Failure(Code) -> Failure<Code>;
template <ResultCode Code, class Text>
Failure(Code, Text) -> Failure<Code>;

namespace detail {

template <ResultCode Code>
class ResultBase {
 public:
  bool ok() const noexcept { return code_ == Code::ok; }
  explicit operator bool() const noexcept { return ok(); }
  Code code() const noexcept { return code_; }
  /// What is wrong and what to do; empty when ok.
  const std::string& message() const noexcept { return message_; }

 protected:
  ResultBase() = default;
  explicit ResultBase(Failure<Code> f) : code_(f.code), message_(std::move(f.message)) {
    // A failure that says ok would be an ok result without a value.
    assert(code_ != Code::ok && "a Failure needs an error code");
    if (message_.empty()) message_ = describe(code_);
  }
  [[noreturn]] void throw_bad_access() const {
    throw BadResultAccess("patter::Result::value() on an error: " + std::string(to_string(code_)) +
                          ": " + message_);
  }

 private:
  Code code_ = Code::ok;
  std::string message_;
};

}  // namespace detail

/// A value of type T, or a code (not `ok`) and a message.
template <class T, ResultCode Code>
class [[nodiscard]] Result : public detail::ResultBase<Code> {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit, `return session;`
  Result(Failure<Code> failure) : detail::ResultBase<Code>(std::move(failure)) {}  // NOLINT

  /// The value; throws BadResultAccess on an error.
  T& value() & {
    checked();
    return *value_;
  }
  const T& value() const& {
    checked();
    return *value_;
  }
  T&& value() && {
    checked();
    return std::move(*value_);
  }

  /// The value, unchecked: check `ok()` first (asserts in debug builds).
  T& operator*() & noexcept {
    assert(value_);
    return *value_;
  }
  const T& operator*() const& noexcept {
    assert(value_);
    return *value_;
  }
  T&& operator*() && noexcept {
    assert(value_);
    return std::move(*value_);
  }
  T* operator->() noexcept { return &**this; }
  const T* operator->() const noexcept { return &**this; }

 private:
  void checked() const {
    if (!value_) this->throw_bad_access();
  }
  std::optional<T> value_;
};

/// Nothing made: ok, or a code and a message.
template <ResultCode Code>
class [[nodiscard]] Result<void, Code> : public detail::ResultBase<Code> {
 public:
  Result() = default;
  Result(Failure<Code> failure) : detail::ResultBase<Code>(std::move(failure)) {}  // NOLINT
  /// Throws BadResultAccess on an error, for callers that want an exception.
  void value() const {
    if (!this->ok()) this->throw_bad_access();
  }
};

}  // namespace patter
