// Placeholder replaced below.
#include <gtest/gtest.h>
TEST(WebDesk, Builds) {}
