// patter/detail/buffer.hpp — containers for a session's state (internal).
//
// A session is counted in hundreds of bytes and copied to fork a call, so
// its state is made of values that copy and move by themselves:
//   Buffer<T>  a vector of trivially copyable T that keeps its capacity
//              (clearing or shrinking it frees nothing, so a warm step
//              allocates nothing), with 32-bit size and capacity: 16 bytes
//              where std::vector takes 24.
//   Boxed<T>   an optional T on the heap that copies deeply (8 bytes),
//              patter/boxed.hpp, which the authoring model uses too.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "patter/boxed.hpp"

namespace patter::detail {

template <class T>
class Buffer {
  static_assert(std::is_trivially_copyable_v<T>, "a Buffer copies its elements as bytes");

 public:
  Buffer() = default;
  Buffer(const Buffer& o) {
    if (o.cap_ == 0) return;
    p_ = allocate(o.cap_);
    cap_ = o.cap_;
    size_ = o.size_;
    if (size_) std::memcpy(p_, o.p_, std::size_t{size_} * sizeof(T));
  }
  Buffer(Buffer&& o) noexcept
      : p_(std::exchange(o.p_, nullptr)),
        size_(std::exchange(o.size_, 0)),
        cap_(std::exchange(o.cap_, 0)) {}
  Buffer& operator=(Buffer o) noexcept {
    std::swap(p_, o.p_);
    std::swap(size_, o.size_);
    std::swap(cap_, o.cap_);
    return *this;
  }
  ~Buffer() { std::free(p_); }

  T* data() noexcept { return p_; }
  const T* data() const noexcept { return p_; }
  std::uint32_t size() const noexcept { return size_; }
  std::uint32_t capacity() const noexcept { return cap_; }
  T& operator[](std::size_t i) noexcept { return p_[i]; }
  const T& operator[](std::size_t i) const noexcept { return p_[i]; }
  const T* begin() const noexcept { return p_; }
  const T* end() const noexcept { return p_ + size_; }

  /// Room for `n` elements in all, exactly: no doubling.
  void reserve(std::uint32_t n) {
    if (n <= cap_) return;
    void* grown = std::realloc(p_, std::size_t{n} * sizeof(T));
    if (!grown) throw std::bad_alloc();
    p_ = static_cast<T*>(grown);
    cap_ = n;
  }
  /// New elements are zero; growing takes exactly the room needed.
  void resize(std::uint32_t n) {
    reserve(n);
    if (n > size_)
      std::memset(static_cast<void*>(p_ + size_), 0, std::size_t{n - size_} * sizeof(T));
    size_ = n;
  }
  /// Doubles the room when full (at least `first` elements).
  void push_back(const T& v, std::uint32_t first = 4) {
    if (size_ == cap_) reserve(cap_ ? cap_ * 2 : first);
    p_[size_++] = v;
  }
  /// Append two elements into room the caller reserved.
  void push_two_reserved(const T& a, const T& b) noexcept {
    assert(size_ + 2 <= cap_);
    p_[size_] = a;
    p_[size_ + 1] = b;
    size_ += 2;
  }
  /// Remove `n` elements from `at`, moving the rest down.
  void erase(std::uint32_t at, std::uint32_t n) noexcept {
    std::memmove(static_cast<void*>(p_ + at), p_ + at + n, std::size_t{size_ - at - n} * sizeof(T));
    size_ -= n;
  }
  void clear() noexcept { size_ = 0; }

  friend bool operator==(const Buffer& a, const Buffer& b) noexcept {
    return a.size_ == b.size_ &&
           (a.size_ == 0 || std::memcmp(a.p_, b.p_, std::size_t{a.size_} * sizeof(T)) == 0);
  }

 private:
  static T* allocate(std::uint32_t n) {
    void* p = std::malloc(std::size_t{n} * sizeof(T));
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  T* p_ = nullptr;
  std::uint32_t size_ = 0, cap_ = 0;
};

/// An optional T on the heap that copies deeply: patter/boxed.hpp.
using patter::Boxed;

}  // namespace patter::detail
