// FNV-1a, 64 bits: the script fingerprint, snapshot checksums and the
// similarity index's n-gram keys all hash with it.
#pragma once

#include <cstdint>
#include <string_view>

namespace patter::detail {

inline constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ull;
inline constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;

/// One byte into the hash `h`.
constexpr std::uint64_t fnv1a_byte(std::uint64_t h, unsigned char c) noexcept {
  return (h ^ c) * kFnvPrime;
}

/// `bytes` into the hash `h` (a fresh hash by default).
constexpr std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = kFnvOffset) noexcept {
  for (char c : bytes) h = fnv1a_byte(h, static_cast<unsigned char>(c));
  return h;
}

}  // namespace patter::detail
