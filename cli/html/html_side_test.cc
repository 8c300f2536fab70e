#include "html_side.h"

#include <map>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup::cli {
namespace {

// Reads RenderSide's HTML back: the text each passage's elements hold, in
// document order, and checks that no passage is nested in itself.
struct ReadBack {
  std::string text;
  std::map<int, std::string> passages;
  std::map<int, int> elements;
  std::string marked;
};

ReadBack Read(std::string_view html) {
  ReadBack out;
  std::vector<int> stack;  // passage number of each open span, 0 otherwise
  bool in_mark = false;
  for (size_t pos = 0; pos < html.size();) {
    std::string piece;
    if (html[pos] == '<') {
      const size_t end = html.find('>', pos);
      const std::string_view tag = html.substr(pos, end + 1 - pos);
      pos = end + 1;
      if (tag.starts_with("</span")) {
        stack.pop_back();
      } else if (tag.starts_with("<span")) {
        int number = 0;
        if (size_t at = tag.find("data-passage=\""); at != tag.npos) {
          number = std::stoi(std::string(tag.substr(at + 14)));
          for (int open : stack) EXPECT_NE(open, number) << html;
          ++out.elements[number];
        }
        stack.push_back(number);
      } else if (tag == "<mark class=\"d\">") {
        in_mark = true;
      } else if (tag == "</mark>") {
        in_mark = false;
      } else {
        ADD_FAILURE() << "unexpected tag " << tag;
      }
      continue;
    }
    if (html[pos] == '&') {
      const size_t end = html.find(';', pos);
      const std::string_view entity = html.substr(pos, end + 1 - pos);
      pos = end + 1;
      if (entity == "&amp;") piece = "&";
      if (entity == "&lt;") piece = "<";
      if (entity == "&gt;") piece = ">";
      if (entity == "&quot;") piece = "\"";
      if (entity == "&#13;") piece = "\r";
      EXPECT_FALSE(piece.empty()) << entity;
    } else {
      piece = html.substr(pos, 1);
      ++pos;
    }
    out.text += piece;
    if (in_mark) out.marked += piece;
    for (int open : stack) {
      if (open != 0) out.passages[open] += piece;
    }
  }
  EXPECT_TRUE(stack.empty());
  return out;
}

TEST(RenderSideTest, DisjointPassagesAndMarks) {
  const std::string text = "one two three four five six";
  const std::string html =
      RenderSide(text, {{1, {4, 13}}, {2, {19, 27}}}, {{8, 13}});
  const ReadBack back = Read(html);
  EXPECT_EQ(back.text, text);
  EXPECT_EQ(back.passages.at(1), "two three");
  EXPECT_EQ(back.passages.at(2), "five six");
  EXPECT_EQ(back.marked, "three");
  EXPECT_NE(html.find("class=\"p first\" data-passage=\"1\""), html.npos);
}

TEST(RenderSideTest, NestedAndCrossingPassagesKeepEveryByte) {
  // 1: [0,20) holds 2: [5,10); 3: [15,30) crosses 1's end; 4 is empty;
  // 5 equals 1.
  const std::string text = "abcdefghij<&>\r\nklmnopqrstuvwxyz0123";
  const std::vector<NumberedSpan> spans = {
      {3, {15, 30}}, {1, {0, 20}}, {2, {5, 10}}, {4, {12, 12}}, {5, {0, 20}}};
  const std::vector<ByteRange> marks = {{8, 17}, {25, 26}};
  const ReadBack back = Read(RenderSide(text, spans, marks));
  EXPECT_EQ(back.text, text);
  for (const NumberedSpan& span : spans) {
    const std::string expected =
        text.substr(span.range.begin, span.range.end - span.range.begin);
    if (expected.empty()) {
      EXPECT_EQ(back.passages.count(span.number), 0u);
      EXPECT_EQ(back.elements.at(span.number), 1);
    } else {
      EXPECT_EQ(back.passages.at(span.number), expected) << span.number;
    }
  }
  EXPECT_EQ(back.marked, "ij<&>\r\nklu");
  EXPECT_GE(back.elements.at(3), 2);  // reopened after 1 and 5 closed
}

TEST(RenderSideTest, RandomOverlapsKeepEveryPassageExact) {
  // Pieces that escape, isolate or are multi-byte; spans cut only between
  // pieces, as passages are cut between characters.
  const std::vector<std::string> pieces = {
      "a", " ", "<", "&", "\r\n", "\u0627", "\u202E", "\x01", "\n"};
  std::mt19937 random(14);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    std::vector<uint32_t> cuts = {0};
    for (int i = 0, n = 1 + random() % 40; i < n; ++i) {
      text += pieces[random() % pieces.size()];
      cuts.push_back(static_cast<uint32_t>(text.size()));
    }
    const auto cut = [&] { return cuts[random() % cuts.size()]; };
    std::vector<NumberedSpan> spans;
    for (int number = 1, n = random() % 6; number <= n; ++number) {
      uint32_t begin = cut(), end = cut();
      if (begin > end) std::swap(begin, end);
      spans.push_back({number, {begin, end}});
    }
    std::vector<ByteRange> marks;
    for (uint32_t at = cut(); at < text.size();) {
      const uint32_t end = std::max(at, cut());
      if (end > at) marks.push_back({at, end});
      const uint32_t next = cut();
      if (next <= end) break;
      at = next;
    }
    const ReadBack back = Read(RenderSide(text, spans, marks));
    ASSERT_EQ(back.text, text);
    for (const NumberedSpan& span : spans) {
      const std::string expected =
          text.substr(span.range.begin, span.range.end - span.range.begin);
      EXPECT_EQ(
          back.passages.count(span.number) ? back.passages.at(span.number) : "",
          expected);
    }
  }
}

TEST(RenderSideTest, SpansPastTheEndAreClamped) {
  const ReadBack back = Read(RenderSide("short", {{1, {2, 99}}}, {{3, 99}}));
  EXPECT_EQ(back.text, "short");
  EXPECT_EQ(back.passages.at(1), "ort");
  EXPECT_EQ(back.marked, "rt");
}

}  // namespace
}  // namespace neardup::cli
