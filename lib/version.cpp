#include "patter/version.hpp"

#define PATTER_STR2(x) #x
#define PATTER_STR(x) PATTER_STR2(x)

namespace patter {
const char* version_string() noexcept {
  return PATTER_STR(PATTER_VERSION_MAJOR) "." PATTER_STR(PATTER_VERSION_MINOR) "." PATTER_STR(
      PATTER_VERSION_PATCH);
}
}  // namespace patter
