// The script fingerprint (Script::fingerprint), computed on its first use.
#pragma once

#include <string>

#include "patter/script.hpp"

namespace patter::detail {
/// Every field of the compiled script, as bytes that only an identical
/// script gives (source positions and file names aside).
std::string canonical_bytes(const Script& s);
/// A 64-bit hash of canonical_bytes (taken without keeping them), as 16
/// hex digits.
std::string fingerprint(const Script& s);
}  // namespace patter::detail
