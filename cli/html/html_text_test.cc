#include "html_text.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace neardup::cli {
namespace {

std::string Html(std::string_view text) {
  std::string out;
  AppendHtmlText(text, &out);
  return out;
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

TEST(TextDirectionTest, MajorityOfLetters) {
  EXPECT_EQ(TextDirection("2021 - قال مسؤولون (Reuters) إن الاجتماع"), "rtl");
  EXPECT_EQ(TextDirection("שלום עולם"), "rtl");
  EXPECT_EQ(TextDirection("The meeting, قال, ended"), "ltr");
  EXPECT_EQ(TextDirection(""), "ltr");
}

}  // namespace
}  // namespace neardup::cli
