#include "html_report.h"

#include <map>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup::cli {
namespace {

std::string Html(std::string_view text) {
  std::string out;
  AppendHtmlText(text, &out);
  return out;
}

size_t Count(std::string_view haystack, std::string_view needle) {
  size_t count = 0;
  for (size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

TEST(AppendHtmlTextTest, MarkupIsText) {
  EXPECT_EQ(Html("</script><b>x</b> & \"y\""),
            "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;");
  EXPECT_EQ(Html("<!-- a -->"), "&lt;!-- a --&gt;");
}

TEST(AppendHtmlTextTest, KeepsNewlinesTabsAndCarriageReturns) {
  EXPECT_EQ(Html("a\r\nb\tc"), "a&#13;\nb\tc");
}

TEST(AppendHtmlTextTest, ControlAndBidiCharactersAreIsolatedAndLabelled) {
  EXPECT_EQ(Html("a\x01z"),
            "a<span class=\"ctl\" data-c=\"U+0001\">\x01</span>z");
  EXPECT_EQ(Html("a\u202Eb"),
            "a<span class=\"ctl\" data-c=\"U+202E\">\u202E</span>b");
  EXPECT_EQ(Html("\u2067"),
            "<span class=\"ctl\" data-c=\"U+2067\">\u2067</span>");
  EXPECT_EQ(Html("\x7F"), "<span class=\"ctl\" data-c=\"U+007F\">\x7F</span>");
  EXPECT_EQ(Html("\u0085"),
            "<span class=\"ctl\" data-c=\"U+0085\">\u0085</span>");
  // HTML cannot hold NUL: a browser would show U+FFFD anyway.
  EXPECT_EQ(Html(std::string_view("\0", 1)),
            "<span class=\"ctl\" data-c=\"U+0000\">\uFFFD</span>");
  // Marks of right-to-left text are not controls.
  EXPECT_EQ(Html("\u200F\u061C"), "\u200F\u061C");
}

TEST(AppendHtmlTextTest, IllFormedUtf8IsOneReplacementPerMaximalSubpart) {
  EXPECT_EQ(Html("a\xFF"
                 "b"),
            "a\uFFFDb");
  EXPECT_EQ(Html("\xE2\x82"
                 "x"),
            "\uFFFDx");                                   // truncated 3-byte
  EXPECT_EQ(Html("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // surrogate
  EXPECT_EQ(Html("\xF0\x9F\x98"), "\uFFFD");              // truncated at end
  EXPECT_EQ(Html("\u0642\U0001F600"), "\u0642\U0001F600");
}

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

std::vector<std::string> Words(std::string_view text,
                               const std::vector<ByteRange>& ranges) {
  std::vector<std::string> words;
  for (const ByteRange& r : ranges) {
    words.emplace_back(text.substr(r.begin, r.end - r.begin));
  }
  return words;
}

TEST(DiffPassageWordsTest, MarksSubstitutedInsertedAndDeletedWords) {
  const std::string a = "x The quick brown fox jumps over the lazy dog. y";
  const std::string b = "The slow brown fox jumps over the very lazy dog!";
  const WordDiff diff = DiffPassageWords(a, {2, 46}, b, {0, 48});
  EXPECT_EQ(Words(a, diff.a), std::vector<std::string>{"quick"});
  EXPECT_EQ(Words(b, diff.b), (std::vector<std::string>{"slow", "very"}));
}

TEST(DiffPassageWordsTest, FoldsArabicSpellingVariants) {
  // قآني / قاآني, الفصائل / والفصائل, tashkeel, ة / ه, Arabic-Indic digits.
  const std::string a = "رسالة قآني إلى الفصائل في ١٠ أكتوبر";
  const std::string b = "رساله قاآني الى والفَصائل في 10 اكتوبر";
  const WordDiff same =
      DiffPassageWords(a, {0, static_cast<uint32_t>(a.size())}, b,
                       {0, static_cast<uint32_t>(b.size())});
  EXPECT_TRUE(same.a.empty());
  EXPECT_TRUE(same.b.empty());
  const std::string c = "رسالة قآني إلى الميليشيات في ١٠ أكتوبر";
  const WordDiff diff =
      DiffPassageWords(a, {0, static_cast<uint32_t>(a.size())}, c,
                       {0, static_cast<uint32_t>(c.size())});
  EXPECT_EQ(Words(a, diff.a), std::vector<std::string>{"الفصائل"});
  EXPECT_EQ(Words(c, diff.b), std::vector<std::string>{"الميليشيات"});
}

TEST(DiffPassageWordsTest, IdeographsAreWordsEach) {
  const std::string a = "我们今天去学校";
  const std::string b = "我们明天去学校";
  const WordDiff diff =
      DiffPassageWords(a, {0, static_cast<uint32_t>(a.size())}, b,
                       {0, static_cast<uint32_t>(b.size())});
  EXPECT_EQ(Words(a, diff.a), std::vector<std::string>{"今"});
  EXPECT_EQ(Words(b, diff.b), std::vector<std::string>{"明"});
}

TEST(DiffPassageWordsTest, HugePassagesFallBackToMultisets) {
  std::string a, b;
  for (int i = 0; i < 3000; ++i) {
    a += "w" + std::to_string(i) + " ";
    b += "w" + std::to_string(2999 - i) + " ";
  }
  a += "onlyA";
  b += "onlyB";
  const WordDiff diff =
      DiffPassageWords(a, {0, static_cast<uint32_t>(a.size())}, b,
                       {0, static_cast<uint32_t>(b.size())});
  EXPECT_EQ(Words(a, diff.a), std::vector<std::string>{"onlyA"});
  EXPECT_EQ(Words(b, diff.b), std::vector<std::string>{"onlyB"});
}

TEST(TextDirectionTest, MajorityOfLetters) {
  EXPECT_EQ(TextDirection("2021 - قال مسؤولون (Reuters) إن الاجتماع"), "rtl");
  EXPECT_EQ(TextDirection("שלום עולם"), "rtl");
  EXPECT_EQ(TextDirection("The meeting, قال, ended"), "ltr");
  EXPECT_EQ(TextDirection(""), "ltr");
}

const char kHostile[] =
    "Intro </script><script>alert(1)</script> <b>bold</b> & more.\n"
    "\x01\x1B[31m \u202Eevil\u202C \u2066iso\u2069 <!-- <img src=x> -->\n";

struct HostilePair {
  std::string a_text = kHostile;
  std::string b_text = std::string(kHostile) + "tail";
  std::vector<Passage> passages;
  HostilePair() {
    Passage p;
    p.a = {0, static_cast<uint32_t>(a_text.size()), 0, 0};
    p.b = {0, static_cast<uint32_t>(a_text.size()), 0, 0};
    p.score = 1;
    passages.push_back(p);
  }
  PairView View() const {
    return {"<i>a</i>\u202E.txt", a_text, "b&c", b_text, &passages};
  }
};

void ExpectNoMarkupFromText(const std::string& html) {
  // Our own elements only: each <script> we open is closed once, and no
  // tag from the text survives.
  EXPECT_EQ(Count(html, "<script"), Count(html, "</script>"));
  EXPECT_EQ(Count(html, "<b>"), 0u);
  EXPECT_EQ(Count(html, "<i>"), 0u);
  EXPECT_EQ(Count(html, "<img"), 0u);
  EXPECT_EQ(Count(html, "<!--"), 0u);
  EXPECT_EQ(Count(html, "alert(1)</script>"), 0u);
}

TEST(HtmlReportTest, CompareReportRendersHostileTextAsText) {
  HostilePair pair;
  HtmlReport report({.scan = false, .max_pairs = 0, .command = "c <x>"});
  report.AddPair(pair.View());
  const std::string html = report.Render({});
  ExpectNoMarkupFromText(html);
  EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;alert(1)"), html.npos);
  EXPECT_NE(html.find("&lt;i&gt;a&lt;/i&gt;<span class=\"ctl\" "
                      "data-c=\"U+202E\">"),
            html.npos);
  EXPECT_NE(html.find("data-c=\"U+001B\">\x1B</span>[31m"), html.npos);
  EXPECT_NE(html.find("data-side=\"a\" dir=\"ltr\""), html.npos);
  EXPECT_NE(html.find("data-side=\"b\" dir=\"ltr\""), html.npos);
  EXPECT_EQ(Count(html, "data-passage=\"1\""), 2u);
  // "tail" is the only word B adds.
  EXPECT_EQ(Count(html, "<mark class=\"d\">"), 0u);
}

TEST(HtmlReportTest, ScanReportEmbedsViewsAsInertScriptData) {
  HostilePair pair;
  HtmlReport report({.scan = true, .max_pairs = 0, .command = "scan"});
  report.AddPair(pair.View());
  const std::string html = report.Render({});
  ExpectNoMarkupFromText(html);
  EXPECT_NE(html.find("<script type=\"application/json\" data-pair=\"1\">"),
            html.npos);
  // The view is a JSON string: its markup is escaped too.
  EXPECT_EQ(Count(html, "data-side=\"a\""), 0u);
  EXPECT_NE(html.find("\\u003cspan class=\\\"p first\\\" data-passage="),
            html.npos);
  EXPECT_NE(html.find("<a href=\"#pair-1\">1</a>"), html.npos);
}

TEST(HtmlReportTest, FetchesNothing) {
  const std::string text = "some text";
  const std::vector<Passage> passages(1);
  HtmlReport report({.scan = true, .max_pairs = 0, .command = "scan"});
  report.AddPair({"a", text, "b", text, &passages});
  const std::string html = report.Render({});
  EXPECT_NE(html.find("content=\"default-src 'none'; style-src "
                      "'unsafe-inline'; script-src 'unsafe-inline'\""),
            html.npos);
  for (const char* remote :
       {"http:", "https:", "//", "url(", "@import", "src=", "fetch("}) {
    EXPECT_EQ(html.find(remote), html.npos) << remote;
  }
}

TEST(HtmlReportTest, CapKeepsTheBestCoveredPairsInInputOrder) {
  const std::string text(100, 'x');
  std::vector<std::vector<Passage>> passages(3);
  const uint32_t ends[] = {30, 10, 90};
  for (size_t i = 0; i < 3; ++i) {
    Passage p;
    p.a = {0, ends[i], 0, ends[i]};
    p.b = {0, ends[i], 0, ends[i]};
    passages[i].push_back(p);
  }
  HtmlReport report({.scan = true, .max_pairs = 2, .command = "scan"});
  const char* ids[] = {"first", "second", "third"};
  for (size_t i = 0; i < 3; ++i) {
    report.AddPair({ids[i], text, "other", text, &passages[i]});
  }
  RunSummary summary;
  summary.counts = {{"pairs", 3}};
  const std::string html = report.Render(summary);
  EXPECT_EQ(report.pairs_added(), 3u);
  EXPECT_EQ(report.pairs_shown(), 2u);
  EXPECT_NE(html.find("Showing 2 of the 3 pairs"), html.npos);
  EXPECT_EQ(html.find(">second<"), html.npos);
  EXPECT_LT(html.find(">first<"), html.find(">third<"));
  EXPECT_EQ(Count(html, "<script type=\"application/json\" data-pair="), 2u);
}

}  // namespace
}  // namespace neardup::cli
