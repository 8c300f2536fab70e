// Test helper shared by unit and integration tests: synthetic text made of
// distinct words, so tests can build documents with known shingle overlap.
#ifndef NEARDUP_SRC_TEST_WORDS_H_
#define NEARDUP_SRC_TEST_WORDS_H_

#include <string>

namespace neardup::testing {

// A distinct word for every i < 10^6: three consonant-vowel syllables, so no
// letter repeats and no normalisation step merges two of them.
inline std::string Word(int i) {
  static constexpr char kConsonants[] = "bcdfghjklmnpqrstvwxz";
  static constexpr char kVowels[] = "aeiou";
  std::string word;
  for (int s = 0; s < 3; ++s) {
    const int syllable = i % 100;
    i /= 100;
    word += kConsonants[syllable / 5];
    word += kVowels[syllable % 5];
  }
  return word;
}

// The text of words first .. first + count - 1, separated by spaces.
inline std::string Words(int first, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    if (i > 0) text += ' ';
    text += Word(first + i);
  }
  return text;
}

}  // namespace neardup::testing

#endif  // NEARDUP_SRC_TEST_WORDS_H_
