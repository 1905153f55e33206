// patter/version.hpp — which patter this is.
//
//   std::cout << "patter " << patter::version_string() << '\n';
#pragma once

#define PATTER_VERSION_MAJOR 0
#define PATTER_VERSION_MINOR 1
#define PATTER_VERSION_PATCH 0

namespace patter {
/// "0.1.0"
const char* version_string() noexcept;
/// The newest script format (`patter:` key) this build reads.
inline constexpr int kFormatVersion = 1;
}  // namespace patter
