// patter/json_writer.hpp: the one JSON writer of the library, its tools and
// hosts.
#include <gtest/gtest.h>
#include <patter/json_writer.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using patter::JsonWriter;

TEST(JsonWriter, NestsObjectsAndArraysWithCommasInPlace) {
  JsonWriter w;
  w.object()
      .field("a", 1)
      .key("b")
      .array()
      .value("x")
      .object()
      .end()
      .array()
      .end()
      .end()
      .field("c", true)
      .end();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",{},[]],"c":true})");
}

TEST(JsonWriter, EscapesWhatJsonRequiresAndKeepsUtf8) {
  JsonWriter w;
  w.array().value("say \"hi\"\\").value("a\nb\tc\r\x01").value("喂，您好").end();
  EXPECT_EQ(w.str(), "[\"say \\\"hi\\\"\\\\\",\"a\\nb\\tc\\r\\u0001\",\"喂，您好\"]");
}

TEST(JsonWriter, WritesBytesThatAreNotUtf8AsReplacementCharacters) {
  EXPECT_EQ(JsonWriter::quote("ok\xff\xfe!"), "\"ok\\ufffd\\ufffd!\"");
  EXPECT_EQ(JsonWriter::quote("\xe5\x96"), "\"\\ufffd\\ufffd\"");  // a cut character: each byte
}

TEST(JsonWriter, EscapesKeysToo) {
  JsonWriter w;
  w.object().field("we\"ird", 0).end();
  EXPECT_EQ(w.str(), R"({"we\"ird":0})");
}

TEST(JsonWriter, WritesIntegersOfEveryWidth) {
  JsonWriter w;
  w.array()
      .value(std::int64_t{-5})
      .value(std::uint64_t{18446744073709551615ull})
      .value(std::uint16_t{7});
  w.value(std::size_t{0}).value(std::int32_t{std::numeric_limits<std::int32_t>::min()}).end();
  EXPECT_EQ(w.str(), "[-5,18446744073709551615,7,0,-2147483648]");
}

TEST(JsonWriter, WritesTheShortestDoubleThatReadsBack) {
  JsonWriter w;
  w.array().value(0.1).value(3.0).value(-2.5).value(1e21).value(0.1f).end();
  EXPECT_EQ(w.str(), "[0.1,3,-2.5,1e+21,0.1]");
}

TEST(JsonWriter, WritesFixedDigitsOnRequest) {
  JsonWriter w;
  w.array().fixed(2.0 / 3.0, 4).fixed(1234.56, 0).fixed(0.26, 1).fixed(3, 2).end();
  EXPECT_EQ(w.str(), "[0.6667,1235,0.3,3.00]");
}

TEST(JsonWriter, WritesNumbersJsonCannotHoldAsNull) {
  JsonWriter w;
  w.array()
      .value(std::nan(""))
      .value(std::numeric_limits<double>::infinity())
      .fixed(-INFINITY, 2)
      .end();
  EXPECT_EQ(w.str(), "[null,null,null]");
}

TEST(JsonWriter, WritesListsAndRawJson) {
  const std::vector<std::string> tags = {"hot", "callback"};
  JsonWriter w;
  w.object()
      .key("tags")
      .values(tags)
      .key("empty")
      .values(std::vector<int>{})
      .key("result")
      .raw(R"({"x":1})");
  w.key("none").null().end();
  EXPECT_EQ(w.str(), R"({"tags":["hot","callback"],"empty":[],"result":{"x":1},"none":null})");
}

TEST(JsonWriter, ExtendsAnObjectWrittenElsewhere) {
  JsonWriter w = JsonWriter::extending("{\"script\":\"s\",\"calls\":2}\n");
  w.key("call").object().field("agent", "li").end().end();
  EXPECT_EQ(w.str(), R"({"script":"s","calls":2,"call":{"agent":"li"}})");
}

TEST(JsonWriter, ExtendsAnEmptyObjectWithoutALeadingComma) {
  JsonWriter w = JsonWriter::extending("{ }");
  w.field("a", 1).end();
  EXPECT_EQ(w.str(), R"({ "a":1})");
}

TEST(JsonWriter, StartsAnObjectWhenWhatItExtendsIsNone) {
  JsonWriter w = JsonWriter::extending("not json");
  w.field("a", 1).end();
  EXPECT_EQ(w.str(), R"({"a":1})");
}

TEST(JsonWriter, IgnoresAnEndWithNothingOpen) {
  JsonWriter w;
  w.value("x").end().end();
  EXPECT_EQ(w.take(), "\"x\"");
}

}  // namespace
