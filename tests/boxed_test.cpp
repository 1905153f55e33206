// Boxed<T>: std::optional's behaviour, held on the heap.
#include "patter/boxed.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "patter/spec.hpp"

namespace {

using patter::Boxed;

TEST(Boxed, EmptyByDefaultAndTheSizeOfAPointer) {
  Boxed<std::string> b;
  EXPECT_FALSE(b);
  EXPECT_FALSE(b.has_value());
  EXPECT_TRUE(b == std::nullopt);
  EXPECT_EQ(sizeof(b), sizeof(void*));
  EXPECT_THROW((void)b.value(), std::bad_optional_access);
  EXPECT_EQ(b.value_or("none"), "none");
}

TEST(Boxed, AssignsEmplacesAndResetsLikeAnOptional) {
  Boxed<std::string> b = std::string("hello");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, "hello");
  EXPECT_EQ(b->size(), 5u);
  b = std::string("bye");
  EXPECT_EQ(b.value(), "bye");
  b.emplace(3, 'x');
  EXPECT_EQ(*b, "xxx");
  b = std::nullopt;
  EXPECT_FALSE(b);
  b.emplace("again");
  b.reset();
  EXPECT_FALSE(b);
}

TEST(Boxed, CopiesAreDeepAndMovesLeaveTheSourceEmpty) {
  Boxed<std::string> a = std::string("one");
  Boxed<std::string> b = a;
  *b = "two";
  EXPECT_EQ(*a, "one");
  EXPECT_EQ(*b, "two");
  a = b;
  EXPECT_EQ(*a, "two");
  *a = "three";
  EXPECT_EQ(*b, "two");
  Boxed<std::string> c = std::move(a);
  EXPECT_EQ(*c, "three");
  EXPECT_FALSE(a);  // NOLINT: a moved-from Boxed is empty, unlike an optional
  Boxed<std::string> empty;
  c = empty;
  EXPECT_FALSE(c);
}

TEST(Boxed, EqualWhenBothEmptyOrBothHoldEqualValues) {
  Boxed<std::string> a, b;
  EXPECT_TRUE(a == b);
  a = std::string("x");
  EXPECT_FALSE(a == b);
  EXPECT_FALSE(b == a);
  b = std::string("x");
  EXPECT_TRUE(a == b);
  *b = "y";
  EXPECT_FALSE(a == b);
}

TEST(Boxed, KeepsANodeOfTheAuthoringModelSmall) {
  // The keys most nodes leave out cost a pointer each, so a script of a
  // thousand nodes is read and compiled in under a megabyte of specs.
  EXPECT_LE(sizeof(patter::NodeSpec), 640u);
  patter::NodeSpec n;
  EXPECT_FALSE(n.fetch);
  n.fetch.emplace().name = "check_order";
  patter::NodeSpec copy = n;
  copy.fetch->name = "other";
  EXPECT_EQ(n.fetch->name, "check_order");
}

}  // namespace
