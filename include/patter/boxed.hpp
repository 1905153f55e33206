// patter/boxed.hpp — an optional value kept on the heap.
//
//   patter::Boxed<FetchSpec> fetch;        // empty: the size of one pointer
//   if (!fetch) fetch.emplace();           // now holds a FetchSpec
//   fetch->name = "check_order";
//   Boxed<FetchSpec> copy = fetch;         // a deep copy, like std::optional
//
// The authoring model has keys that most nodes never use (`fetch:`,
// `call:`, `interrupt:`, fallbacks, ...). Held in a std::optional, each of
// them costs its full size in every node whether it is written or not;
// held in a Boxed, an unwritten key costs eight bytes and a written one an
// allocation. The interface is std::optional's, so code reads the same
// either way: `if (node.fetch)`, `node.fetch->timeout_ms`, `*node.fetch`,
// `node.fetch = spec`, `node.fetch.reset()`.
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace patter {

template <class T>
class Boxed {
 public:
  Boxed() noexcept = default;
  Boxed(std::nullopt_t) noexcept {}                        // NOLINT: converts like std::optional
  Boxed(const T& v) : p_(std::make_unique<T>(v)) {}        // NOLINT
  Boxed(T&& v) : p_(std::make_unique<T>(std::move(v))) {}  // NOLINT

  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(std::nullopt_t) noexcept {
    p_.reset();
    return *this;
  }
  Boxed& operator=(const T& v) { return assign(T(v)); }
  Boxed& operator=(T&& v) { return assign(std::move(v)); }

  /// Makes a new value in place of any held one, and returns it.
  template <class... A>
  T& emplace(A&&... args) {
    p_ = std::make_unique<T>(std::forward<A>(args)...);
    return *p_;
  }
  void reset() noexcept { p_.reset(); }

  bool has_value() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return p_ != nullptr; }

  /// The held value; like std::optional, only when there is one.
  T& operator*() noexcept { return *p_; }
  const T& operator*() const noexcept { return *p_; }
  T* get() noexcept { return p_.get(); }  ///< null when empty
  const T* get() const noexcept { return p_.get(); }
  T* operator->() noexcept { return p_.get(); }
  const T* operator->() const noexcept { return p_.get(); }
  /// The held value, or std::bad_optional_access when there is none.
  const T& value() const {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  T& value() {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  template <class U>
  T value_or(U&& fallback) const {
    return p_ ? *p_ : static_cast<T>(std::forward<U>(fallback));
  }

  /// Equal when both are empty, or both hold equal values.
  friend bool operator==(const Boxed& a, const Boxed& b) {
    if (!a.p_ || !b.p_) return !a.p_ && !b.p_;
    return *a.p_ == *b.p_;
  }
  friend bool operator==(const Boxed& a, std::nullopt_t) noexcept { return !a.p_; }

 private:
  Boxed& assign(T&& v) {
    if (p_)
      *p_ = std::move(v);
    else
      p_ = std::make_unique<T>(std::move(v));
    return *this;
  }

  std::unique_ptr<T> p_;
};

}  // namespace patter
