// TextStore: texts read back from memory or from an unlinked temporary file.
#include "text_store.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace neardup {
namespace {

TEST(DocumentTextsTest, ReadsTheDocumentsWithoutACopy) {
  const std::vector<Document> documents = {{"a", "first"}, {"b", ""}};
  const DocumentTexts texts(&documents);
  ASSERT_EQ(texts.size(), 2u);
  std::string buffer;
  const auto read = texts.Read(0, &buffer);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->data(), documents[0].text.data());
  EXPECT_EQ(*texts.Read(1, &buffer), "");
}

// Texts of every size around the 1 MiB write buffer, read back in any order,
// whether still buffered or written.
TEST(SpilledTextsTest, ReadsBackWhatWasAppended) {
  auto texts = SpilledTexts::Create("");
  ASSERT_TRUE(texts.ok()) << texts.status();
  std::vector<std::string> expected;
  for (const size_t size : {0, 5, 1 << 19, (1 << 20) - 3, 7, 3 << 20, 1, 0}) {
    std::string text(size, 'x');
    for (size_t k = 0; k < size; ++k) {
      text[k] = static_cast<char>('a' + (k * 7 + expected.size()) % 26);
    }
    ASSERT_TRUE((*texts)->Append(text).ok());
    expected.push_back(text);
    std::string buffer;
    EXPECT_EQ(*(*texts)->Read(expected.size() - 1, &buffer), text);
  }
  ASSERT_EQ((*texts)->size(), expected.size());
  std::string buffer;
  for (size_t k = expected.size(); k-- > 0;) {
    const auto read = (*texts)->Read(k, &buffer);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(*read, expected[k]) << k;
  }
}

TEST(SpilledTextsTest, TruncateForgetsTheLastTexts) {
  auto texts = SpilledTexts::Create("");
  ASSERT_TRUE(texts.ok());
  const std::string big(3 << 20, 'b');
  ASSERT_TRUE((*texts)->Append("kept").ok());
  ASSERT_TRUE((*texts)->Append(big).ok());  // written to the file
  ASSERT_TRUE((*texts)->Append("dropped").ok());
  (*texts)->Truncate(1);
  ASSERT_EQ((*texts)->size(), 1u);
  EXPECT_EQ((*texts)->bytes(), 4u);
  ASSERT_TRUE((*texts)->Append("next").ok());
  ASSERT_TRUE((*texts)->Append(big).ok());
  std::string buffer;
  EXPECT_EQ(*(*texts)->Read(0, &buffer), "kept");
  EXPECT_EQ(*(*texts)->Read(1, &buffer), "next");
  EXPECT_EQ(*(*texts)->Read(2, &buffer), big);
}

TEST(SpilledTextsTest, MissingDirectoryIsNamed) {
  const auto texts = SpilledTexts::Create("/nonexistent/dir");
  ASSERT_FALSE(texts.ok());
  EXPECT_NE(texts.status().message().find("/nonexistent/dir"),
            std::string::npos);
}

}  // namespace
}  // namespace neardup
