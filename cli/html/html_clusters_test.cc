#include "html_clusters.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup::cli {
namespace {

TextSpan Span(std::string_view text, std::string_view part) {
  const auto begin = static_cast<uint32_t>(text.find(part));
  const auto end = static_cast<uint32_t>(begin + part.size());
  // Code points: every test text here is ASCII or two-byte Arabic letters.
  uint32_t char_begin = 0, char_end = 0;
  for (uint32_t i = 0; i < end; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (i < begin) ++char_begin;
    ++char_end;
  }
  return {begin, end, char_begin, char_end};
}

// The text the element opened at `open` holds (tags dropped, the escapes
// AppendHtmlText writes decoded).
std::string ElementText(std::string_view html, size_t open) {
  std::string text;
  int depth = 0;
  for (size_t pos = open; pos < html.size();) {
    if (html[pos] == '<') {
      const size_t end = html.find('>', pos);
      const std::string_view tag = html.substr(pos, end + 1 - pos);
      pos = end + 1;
      if (tag.starts_with("</")) {
        if (--depth == 0) return text;
      } else {
        ++depth;
      }
      continue;
    }
    if (html[pos] == '&') {
      const size_t end = html.find(';', pos);
      const std::string_view entity = html.substr(pos, end + 1 - pos);
      pos = end + 1;
      if (entity == "&amp;") text += "&";
      if (entity == "&lt;") text += "<";
      if (entity == "&gt;") text += ">";
      if (entity == "&quot;") text += "\"";
      if (entity == "&#13;") text += "\r";
      continue;
    }
    text += html[pos++];
  }
  ADD_FAILURE() << "unclosed element";
  return text;
}

// The text of member k's highlighted span, or "(none)".
std::string SharedText(std::string_view html, size_t k) {
  const std::string open =
      "<span class=\"shared\" data-member=\"" + std::to_string(k) + "\"";
  const size_t at = html.find(open);
  if (at == std::string_view::npos) return "(none)";
  EXPECT_EQ(html.find(open, at + 1), std::string_view::npos) << k;
  return ElementText(html, at);
}

std::string Repeat(std::string_view text, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += text;
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

struct Fixture {
  std::string shared = "the council met on Tuesday <b>&</b> agreed \u202Eon";
  std::vector<std::string> texts = {
      "Intro one.\n" + shared + " and more.",
      "\u0642\u0627\u0644 \u0645\u0633\u0624\u0648\u0644 " + shared + "\r\n" +
          Repeat("\u0627\u0644\u062e\u0628\u0631 ", 20),
      std::string(300, 'x') + " lead words " + shared + " tail " +
          std::string(300, 'y'),
  };
  ReportCluster cluster;
  Fixture() {
    cluster.id = 7;
    cluster.documents = 3;
    const char* ids[] = {"a</bdi>", "b", "c"};
    for (size_t k = 0; k < texts.size(); ++k) {
      cluster.members.push_back({ids[k], texts[k], Span(texts[k], shared)});
    }
  }
};

TEST(ClusterViewTest, EveryMembersSharedTextIsItsSpan) {
  Fixture f;
  std::string html;
  AppendClusterView(f.cluster, 0, &html);
  for (size_t k = 0; k < f.texts.size(); ++k) {
    const TextSpan& span = f.cluster.members[k].span;
    EXPECT_EQ(SharedText(html, k + 1),
              f.texts[k].substr(span.begin, span.end - span.begin));
  }
  EXPECT_EQ(SharedText(html, 4), "(none)");
  EXPECT_EQ(html.find("listed twice"), html.npos);  // 3 members, 3 documents
  EXPECT_NE(html.find("id=\"cluster-view-7\""), html.npos);
  EXPECT_EQ(Count(html, "<b>"), 0u);
  EXPECT_EQ(Count(html, "</bdi>\""), 0u);
  EXPECT_NE(html.find("data-c=\"U+202E\""), html.npos);
  // Member 2 is Arabic, the others not.
  EXPECT_EQ(Count(html, "<div class=\"excerpt\" dir=\"rtl\">"), 1u);
  EXPECT_EQ(Count(html, "<div class=\"excerpt\" dir=\"ltr\">"), 2u);
  EXPECT_EQ(Count(html, "class=\"goto\" data-goto="), 3u);
  EXPECT_EQ(Count(html, "<mark class=\"d\">"), 0u);  // all three the same
}

TEST(ClusterViewTest, ExcerptKeepsTheParagraphAndWholeWords) {
  Fixture f;
  std::string html;
  AppendClusterView(f.cluster, 0, &html);
  // Member 1: the document starts within the context, so from there.
  const auto [from1, to1] =
      ExcerptBounds(f.texts[0], f.cluster.members[0].span);
  EXPECT_EQ(f.texts[0].substr(from1, to1 - from1), f.texts[0]);
  // Member 3: 240 bytes of context each side, cut at spaces.
  const auto [from3, to3] =
      ExcerptBounds(f.texts[2], f.cluster.members[2].span);
  EXPECT_EQ(f.texts[2].substr(from3, to3 - from3),
            "lead words " + f.shared + " tail");
  EXPECT_NE(html.find("title=\"301 bytes before\""), html.npos);
  EXPECT_NE(html.find("title=\"301 bytes after\""), html.npos);
  // A paragraph starting within the context: from there.
  const std::string paragraphs =
      std::string(300, 'x') + "\nnew paragraph " + f.shared;
  const auto [from4, to4] =
      ExcerptBounds(paragraphs, Span(paragraphs, f.shared));
  EXPECT_EQ(paragraphs.substr(from4), "new paragraph " + f.shared);
  EXPECT_EQ(to4, paragraphs.size());
  // No space to cut at: a character boundary (240 bytes back and forth
  // fall inside a two-byte letter here).
  std::string text;
  for (int i = 0; i < 60; ++i) text += "ab\u0628\u0628c";
  text += "SPAN";
  for (int i = 0; i < 60; ++i) text += "a\u0628bbbb";
  const size_t span = text.find("SPAN");
  const auto [from, to] = ExcerptBounds(text, Span(text, "SPAN"));
  EXPECT_NE(static_cast<unsigned char>(text[from]) & 0xC0, 0x80);
  EXPECT_NE(static_cast<unsigned char>(text[to]) & 0xC0, 0x80);
  EXPECT_EQ(span - from, kClusterContextBytes - 1);
  EXPECT_EQ(to - span - 4, kClusterContextBytes - 1);
}

TEST(ClusterViewTest, WordsThatDifferFromTheFirstMemberAreMarked) {
  const std::string a = "one two three four five six";
  const std::string b = "one two THREE four seven six";
  const std::string c = "one two three four five six eight";
  ReportCluster cluster;
  cluster.id = 1;
  cluster.documents = 3;
  cluster.members = {
      {"a", a, Span(a, a)}, {"b", b, Span(b, b)}, {"c", c, Span(c, c)}};
  std::string html;
  AppendClusterView(cluster, 0, &html);
  EXPECT_EQ(Count(html, "<mark class=\"d\">"), 2u);
  EXPECT_NE(html.find("<mark class=\"d\">seven</mark>"), html.npos);
  EXPECT_NE(html.find("<mark class=\"d\">eight</mark>"), html.npos);
  EXPECT_EQ(SharedText(html, 2), b);  // marks keep the text
}

TEST(ClusterViewTest, MembersPastTheCapAreLeftOutAndSaid) {
  Fixture f;
  std::string html;
  AppendClusterView(f.cluster, 2, &html);
  EXPECT_NE(SharedText(html, 2), "(none)");
  EXPECT_EQ(SharedText(html, 3), "(none)");
  EXPECT_NE(html.find("Showing the first 2 of the 3 members"), html.npos);
  f.cluster.documents = 2;  // one document holds two stretches
  html.clear();
  AppendClusterView(f.cluster, 0, &html);
  EXPECT_NE(html.find("listed twice"), html.npos);
}

TEST(ClustersTableTest, RowsLinkToTheirViewsWithASnippet) {
  Fixture f;
  std::string html;
  AppendClustersTable({&f.cluster}, &html);
  EXPECT_EQ(Count(html, "href=\"#cluster-7\""), 3u);
  EXPECT_NE(html.find("<td data-v=\"3\">3</td><td data-v=\"3\">3</td>"),
            html.npos);
  EXPECT_NE(html.find("the council met on Tuesday &lt;b&gt;&amp;&lt;/b&gt;"),
            html.npos);
  EXPECT_EQ(Count(html, "<b>"), 0u);
}

}  // namespace
}  // namespace neardup::cli
