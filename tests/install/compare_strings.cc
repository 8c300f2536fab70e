// Compares two strings with neardup and prints the passages they share.
#include <iostream>
#include <string>

#include "neardup/neardup.h"

int main() {
  const std::string a =
      "The committee met on Tuesday. After a long debate, the members agreed "
      "that the new rules on water use will take effect in March, and that "
      "farmers who cut their use by a fifth will receive a grant from the "
      "regional fund. Critics said the plan came too late.";
  const std::string b =
      "BREAKING: after a long debate the members agreed that the new rules on "
      "water use will take effect in March and that farmers who cut their use "
      "by a fifth will receive a grant from the regional fund, officials said.";
  neardup::CompareOptions options;
  options.align.min_tokens = 10;  // short texts: report shorter passages
  const auto passages = neardup::Compare(a, b, options);
  if (!passages.ok()) {
    std::cerr << passages.status() << "\n";
    return 2;
  }
  for (const neardup::Passage& p : *passages) {
    std::cout << "score " << p.score << "\n  a[" << p.a.begin << ", " << p.a.end
              << "): " << a.substr(p.a.begin, p.a.end - p.a.begin) << "\n  b["
              << p.b.begin << ", " << p.b.end
              << "): " << b.substr(p.b.begin, p.b.end - p.b.begin) << "\n";
  }
  return passages->empty() ? 1 : 0;
}
