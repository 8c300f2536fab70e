// neardup::CompareCrossLingual: dictionary anchors between an Arabic and an
// English text, chained with gap limits that differ per side.
#include "neardup/crosslingual.h"

#include <libstemmer.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "align.h"
#include "analyze.h"
#include "crosslingual_words.h"
#include "lexicon.h"
#include "locate.h"
#include "normalize.h"
#include "tokenize.h"
#include "utf8.h"

namespace neardup {

struct Lexicon::Rep {
  // Normalised Arabic form -> sorted hashes of English stems.
  absl::flat_hash_map<std::string, std::vector<uint64_t>> arabic;
  absl::flat_hash_set<std::string> arabic_function_words;  // normalised
  absl::flat_hash_set<std::string> english_function_words;
  size_t english_stems = 0;
};

namespace {

constexpr char kInstallHint[] =
    "install the Debian packages dict-freedict-ara-eng and "
    "dict-freedict-eng-ara (scripts/setup.sh does)";

// Abseil's own string_view, for heterogeneous lookups in its hash tables.
absl::string_view Key(std::string_view text) {
  return {text.data(), text.size()};
}

uint64_t HashOf(std::string_view text) {
  return XXH3_64bits(text.data(), text.size());
}
uint64_t StemKey(std::string_view stem) { return HashOf(stem); }
uint64_t NumberKey(std::string_view digits) {
  return HashOf("#" + std::string(digits));
}
uint64_t SkeletonKey(std::string_view skeleton) {
  return HashOf("~" + std::string(skeleton));
}

// The Snowball English stemmer. Not thread-safe: one per call.
class EnglishStemmer {
 public:
  EnglishStemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {}
  ~EnglishStemmer() {
    if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
  }
  EnglishStemmer(const EnglishStemmer&) = delete;
  EnglishStemmer& operator=(const EnglishStemmer&) = delete;

  // REQUIRES: `word` is lower case.
  std::string Stem(std::string_view word) {
    if (stemmer_ == nullptr) return std::string(word);
    const sb_symbol* stem = sb_stemmer_stem(
        stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
        static_cast<int>(word.size()));
    if (stem == nullptr) return std::string(word);
    return std::string(reinterpret_cast<const char*>(stem),
                       static_cast<size_t>(sb_stemmer_length(stemmer_)));
  }

 private:
  sb_stemmer* stemmer_;
};

size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

bool IsArabicLetter(uint32_t c) {
  return (c >= 0x0620 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D3) ||
         (c >= 0x0750 && c <= 0x077F);
}

uint32_t FirstCodePoint(std::string_view text) {
  if (text.empty()) return 0;
  uint32_t c = 0;
  DecodeUtf8(reinterpret_cast<const uint8_t*>(text.data()),
             reinterpret_cast<const uint8_t*>(text.data() + text.size()), &c);
  return c;
}

// Consonant skeletons, for names: both scripts map to one class per group
// of sounds that transliteration confuses, vowels and weak letters dropped,
// repeats collapsed. ترامب and Trump are both "trmb".
void AppendClass(char c, std::string* skeleton) {
  if (c != 0 && (skeleton->empty() || skeleton->back() != c)) {
    skeleton->push_back(c);
  }
}

std::string LatinSkeleton(std::string_view word) {
  std::string skeleton;
  for (size_t k = 0; k < word.size(); ++k) {
    const char c = absl::ascii_tolower(word[k]);
    const char next =
        k + 1 < word.size() ? absl::ascii_tolower(word[k + 1]) : '\0';
    if (next == 'h' && (c == 's' || c == 't' || c == 'k' || c == 'g' ||
                        c == 'p' || c == 'd' || c == 'z' || c == 'c')) {
      AppendClass(c == 'p'               ? 'f'
                  : c == 'g' || c == 'k' ? 'k'
                  : c == 'd' || c == 't' ? 't'
                                         : 's',
                  &skeleton);
      ++k;
      continue;
    }
    char cls = 0;
    switch (c) {
      case 'b':
      case 'p':
        cls = 'b';
        break;
      case 'f':
      case 'v':
        cls = 'f';
        break;
      case 't':
      case 'd':
        cls = 't';
        break;
      case 's':
      case 'z':
      case 'c':
      case 'x':
        cls = 's';
        break;
      case 'k':
      case 'q':
      case 'g':
        cls = 'k';
        break;
      case 'j':
        cls = 'j';
        break;
      case 'l':
      case 'm':
      case 'n':
      case 'r':
        cls = c;
        break;
      default:
        break;
    }
    AppendClass(cls, &skeleton);
  }
  return skeleton;
}

std::string ArabicSkeleton(std::string_view word) {
  std::string skeleton;
  const auto* p = reinterpret_cast<const uint8_t*>(word.data());
  const auto* end = p + word.size();
  while (p < end) {
    uint32_t c = 0;
    p += DecodeUtf8(p, end, &c);
    char cls = 0;
    switch (c) {
      case 0x0628:
      case 0x067E:
        cls = 'b';
        break;  // ب پ
      case 0x062A:
      case 0x0637:
      case 0x062F:
      case 0x0636:
      case 0x062B:
      case 0x0630:
        cls = 't';
        break;  // ت ط د ض ث ذ
      case 0x0633:
      case 0x0635:
      case 0x0632:
      case 0x0638:
      case 0x0634:
        cls = 's';
        break;  // س ص ز ظ ش
      case 0x0643:
      case 0x0642:
      case 0x063A:
      case 0x062E:
      case 0x06AF:
        cls = 'k';
        break;  // ك ق غ خ گ
      case 0x062C:
        cls = 'j';
        break;  // ج
      case 0x0641:
      case 0x06A4:
        cls = 'f';
        break;  // ف ڤ
      case 0x0644:
        cls = 'l';
        break;
      case 0x0645:
        cls = 'm';
        break;
      case 0x0646:
        cls = 'n';
        break;
      case 0x0631:
        cls = 'r';
        break;
      default:
        break;
    }
    AppendClass(cls, &skeleton);
  }
  return skeleton;
}

// Clitics and affixes, in the normalised spelling (ة is ه, أ إ آ are ا).
constexpr std::string_view kPrefixes[] = {
    "وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "وب",
    "ول",   "وك",   "فب",   "فل",  "وس",  "و",   "ف",   "ب",   "ل",  "ك",  "س"};
constexpr std::string_view kSuffixes[] = {
    "هما", "كما", "تها", "تهم", "ها", "هم", "هن", "كم", "كن", "نا", "ني",
    "ات",  "ون",  "ين",  "ان",  "وا", "يه", "ته", "ه",  "ك",  "ي",  "ت"};
constexpr std::string_view kArticles[] = {"وال", "بال", "فال", "كال",
                                          "لل",  "ال",  "و"};

// Candidate stems of a normalised Arabic word, cheapest first: the word,
// then with clitics and affixes removed (each leaving at least three
// letters), then imperfect verb prefixes changed to ي or removed.
std::vector<std::pair<int, std::string>> ArabicCandidates(
    std::string_view word) {
  std::vector<std::pair<int, std::string>> candidates;
  candidates.emplace_back(0, std::string(word));
  auto add = [&](int cost, std::string_view form) {
    if (CodePoints(form) >= 3) candidates.emplace_back(cost, std::string(form));
  };
  std::vector<std::pair<int, std::string_view>> bases = {{0, word}};
  for (std::string_view prefix : kPrefixes) {
    if (word.starts_with(prefix) &&
        CodePoints(word) >= CodePoints(prefix) + 3) {
      bases.emplace_back(static_cast<int>(CodePoints(prefix)),
                         word.substr(prefix.size()));
    }
  }
  for (const auto& [base_cost, base] : bases) {
    if (base_cost > 0) add(base_cost, base);
    for (std::string_view suffix : kSuffixes) {
      if (base.ends_with(suffix)) {
        add(base_cost + static_cast<int>(CodePoints(suffix)),
            base.substr(0, base.size() - suffix.size()));
      }
    }
  }
  // Imperfect verbs: تترك, نترك -> يترك (how the English-Arabic dictionary
  // glosses verbs) and ترك (the Arabic-English headword).
  const size_t stems = candidates.size();
  for (size_t k = 0; k < stems; ++k) {
    const std::string form = candidates[k].second;
    const int cost = candidates[k].first;
    if (CodePoints(form) < 4) continue;
    for (std::string_view prefix : {"ي", "ت", "ن", "ا"}) {
      if (!form.starts_with(prefix)) continue;
      const std::string_view rest =
          std::string_view(form).substr(prefix.size());
      if (prefix != "ي") add(cost + 1, "ي" + std::string(rest));
      add(cost + 2, rest);
    }
  }
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [](const auto& x, const auto& y) { return x.first < y.first; });
  return candidates;
}

// Stems of the content words of an English gloss of at most three of them
// ("to give up" -> "give"; "a kind of tree (botany)" -> "kind", "tree").
// Longer glosses are explanations, not translations: nothing.
std::vector<std::string> GlossStems(std::string_view gloss,
                                    const Lexicon::Rep& rep,
                                    EnglishStemmer* stemmer) {
  std::string text;
  int depth = 0;
  for (char c : gloss) {
    if (c == '(' || c == '[') ++depth;
    if (depth == 0) {
      text.push_back(absl::ascii_isalpha(c) ? absl::ascii_tolower(c) : ' ');
    }
    if ((c == ')' || c == ']') && depth > 0) --depth;
  }
  std::vector<std::string> stems;
  for (absl::string_view piece : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    const std::string_view word(piece.data(), piece.size());
    if (rep.english_function_words.contains(Key(word))) continue;
    stems.push_back(stemmer->Stem(word));
    if (stems.size() > 3) return {};
  }
  return stems;
}

// The normalised form of one Arabic word, or "" when `text` is not one
// word.
std::string NormalizedWord(std::string_view text) {
  const NormalizedText normalized = Normalize(text);
  const std::vector<Token> tokens = Tokenize(normalized.text);
  if (tokens.size() != 1) return "";
  return normalized.text.substr(tokens[0].begin,
                                tokens[0].end - tokens[0].begin);
}

class LexiconBuilder {
 public:
  explicit LexiconBuilder(Lexicon::Rep* rep) : rep_(rep) {}

  void Add(std::string_view arabic_word,
           const std::vector<std::string>& stems) {
    if (arabic_word.empty() || stems.empty()) return;
    if (rep_->arabic_function_words.contains(Key(arabic_word))) return;
    AddForm(arabic_word, stems);
    for (std::string_view article : kArticles) {
      if (arabic_word.starts_with(article) &&
          CodePoints(arabic_word) >= CodePoints(article) + 2) {
        AddForm(arabic_word.substr(article.size()), stems);
        break;
      }
    }
  }

  void Finish() {
    absl::flat_hash_set<uint64_t> all;
    for (auto& [form, keys] : rep_->arabic) {
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      all.insert(keys.begin(), keys.end());
    }
    rep_->english_stems = all.size();
  }

 private:
  void AddForm(std::string_view form, const std::vector<std::string>& stems) {
    std::vector<uint64_t>& keys = rep_->arabic[Key(form)];
    for (const std::string& stem : stems) keys.push_back(StemKey(stem));
  }

  Lexicon::Rep* rep_;
};

void AddArabicEnglish(const std::vector<DictdEntry>& entries,
                      LexiconBuilder* builder, const Lexicon::Rep& rep,
                      EnglishStemmer* stemmer) {
  for (const DictdEntry& entry : entries) {
    const std::string word = NormalizedWord(entry.headword);
    if (word.empty()) continue;
    std::vector<std::string> stems;
    for (std::string_view sense : FreeDictSenses(entry.definition)) {
      for (std::string& stem : GlossStems(sense, rep, stemmer)) {
        stems.push_back(std::move(stem));
      }
    }
    builder->Add(word, stems);
  }
}

void AddEnglishArabic(const std::vector<DictdEntry>& entries,
                      LexiconBuilder* builder, const Lexicon::Rep& rep,
                      EnglishStemmer* stemmer) {
  for (const DictdEntry& entry : entries) {
    const std::vector<std::string> stems =
        GlossStems(entry.headword, rep, stemmer);
    if (stems.empty() || stems.size() > 2) continue;
    for (std::string_view sense : FreeDictSenses(entry.definition)) {
      // "أذن البحر - حيوان بحري": the part before an explanation.
      sense = sense.substr(0, sense.find(" - "));
      const NormalizedText normalized = Normalize(sense);
      const std::vector<Token> tokens = Tokenize(normalized.text);
      std::vector<std::string_view> words;
      for (const Token& token : tokens) {
        std::string_view word(normalized.text.data() + token.begin,
                              token.end - token.begin);
        if (!rep.arabic_function_words.contains(Key(word)))
          words.push_back(word);
      }
      if (words.size() == 1) builder->Add(words[0], stems);
    }
  }
}

absl::StatusOr<std::vector<DictdEntry>> ReadFreeDict(const std::string& dir,
                                                     std::string_view name) {
  const std::string base = dir + "/" + std::string(name);
  std::string dict = base + ".dict.dz";
  if (FILE* probe = std::fopen(dict.c_str(), "rb")) {
    std::fclose(probe);
  } else if (FILE* plain = std::fopen((base + ".dict").c_str(), "rb")) {
    std::fclose(plain);
    dict = base + ".dict";
  }
  absl::StatusOr<std::vector<DictdEntry>> entries =
      ReadDictd(base + ".index", dict);
  if (!entries.ok()) {
    return absl::Status(
        entries.status().code(),
        absl::StrCat(entries.status().message(), "; ", kInstallHint));
  }
  if (entries->empty()) {
    return absl::DataLossError(
        absl::StrCat(base, ".index: no entries; ", kInstallHint));
  }
  return entries;
}

// One text's tokens with their keys (several per token: an Arabic word has
// the stems of all its glosses).
struct KeyedText {
  AnalyzedText located;  // begin/end of each token in the original text
  std::vector<uint8_t> matchable;
  std::vector<std::pair<uint64_t, uint32_t>> keys;  // (key, token), sorted
};

// The keys of one normalised word, sorted, each once. `capital`: the word
// begins with a capital letter in the original text.
std::vector<uint64_t> WordKeys(std::string_view word, bool arabic_side,
                               bool capital, const Lexicon::Rep& rep,
                               EnglishStemmer* stemmer) {
  std::vector<uint64_t> keys;
  const uint32_t first = FirstCodePoint(word);
  if (first >= '0' && first <= '9' &&
      std::all_of(word.begin(), word.end(), [](char c) {
        return absl::ascii_isdigit(c) || c == '.' || c == ',';
      })) {
    keys.push_back(NumberKey(word));
  } else if (first < 0x250 && absl::ascii_isalpha(word[0])) {
    if (!rep.english_function_words.contains(Key(word))) {
      keys.push_back(StemKey(stemmer->Stem(word)));
      if (arabic_side || capital) {
        const std::string skeleton = LatinSkeleton(word);
        if (skeleton.size() >= 3) keys.push_back(SkeletonKey(skeleton));
      }
    }
  } else if (arabic_side && IsArabicLetter(first) &&
             !rep.arabic_function_words.contains(Key(word))) {
    // Most words are in the lexicon as written (with or without ال): the
    // candidate forms are built only for the others.
    if (const auto it = rep.arabic.find(Key(word)); it != rep.arabic.end()) {
      keys = it->second;
    }
    int found_cost = keys.empty() ? -1 : 0;
    for (const auto& [cost, form] :
         found_cost == 0 ? std::vector<std::pair<int, std::string>>()
                         : ArabicCandidates(word)) {
      if (found_cost >= 0 && cost > found_cost) break;
      const auto it = rep.arabic.find(form);
      if (it == rep.arabic.end()) continue;
      found_cost = cost;
      keys.insert(keys.end(), it->second.begin(), it->second.end());
    }
    std::string_view name = word;
    for (std::string_view article : kArticles) {
      if (name.starts_with(article) &&
          CodePoints(name) >= CodePoints(article) + 3) {
        name.remove_prefix(article.size());
        break;
      }
    }
    const std::string skeleton = ArabicSkeleton(name);
    if (skeleton.size() >= 3) keys.push_back(SkeletonKey(skeleton));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

KeyedText KeyText(std::string_view text, bool arabic_side,
                  const Lexicon::Rep& rep, EnglishStemmer* stemmer) {
  KeyedText out;
  const NormalizedText normalized = Normalize(text);
  const std::vector<Token> tokens = Tokenize(normalized.text);
  // A text repeats its words: each distinct one is looked up once.
  absl::flat_hash_map<std::string, std::vector<uint64_t>> known;
  std::string cache_key;
  for (const Token& token : tokens) {
    const uint32_t index = static_cast<uint32_t>(out.located.begin.size());
    const auto [begin, end] = normalized.ToOriginal(token.begin, token.end);
    out.located.begin.push_back(begin);
    out.located.end.push_back(end);
    const std::string_view word(normalized.text.data() + token.begin,
                                token.end - token.begin);
    const bool capital =
        begin < text.size() && absl::ascii_isupper(text[begin]);
    cache_key.assign(capital ? "^" : "_");
    cache_key.append(word);
    auto it = known.find(cache_key);
    if (it == known.end()) {
      it = known
               .emplace(cache_key,
                        WordKeys(word, arabic_side, capital, rep, stemmer))
               .first;
    }
    for (uint64_t key : it->second) out.keys.emplace_back(key, index);
    out.matchable.push_back(it->second.empty() ? 0 : 1);
  }
  std::sort(out.keys.begin(), out.keys.end());
  return out;
}

// i indexes the Arabic tokens, j the English ones.
struct Anchor {
  uint32_t i;
  uint32_t j;
  float weight;
};

std::vector<Anchor> FindAnchors(const KeyedText& arabic,
                                const KeyedText& english, int max_occurrences) {
  const uint64_t max_product =
      static_cast<uint64_t>(max_occurrences) * max_occurrences;
  const auto& x = arabic.keys;
  const auto& y = english.keys;
  std::vector<Anchor> anchors;
  size_t p = 0, q = 0;
  while (p < x.size() && q < y.size()) {
    if (x[p].first < y[q].first) {
      ++p;
    } else if (y[q].first < x[p].first) {
      ++q;
    } else {
      const uint64_t key = x[p].first;
      size_t p_end = p + 1, q_end = q + 1;
      while (p_end < x.size() && x[p_end].first == key) ++p_end;
      while (q_end < y.size() && y[q_end].first == key) ++q_end;
      const uint64_t product = static_cast<uint64_t>(p_end - p) * (q_end - q);
      if (product <= max_product) {
        const float weight = 1.0f / std::sqrt(static_cast<float>(product));
        for (size_t s = p; s < p_end; ++s) {
          for (size_t t = q; t < q_end; ++t) {
            anchors.push_back({x[s].second, y[t].second, weight});
          }
        }
      }
      p = p_end;
      q = q_end;
    }
  }
  // One anchor per pair of tokens, with its best weight.
  std::sort(
      anchors.begin(), anchors.end(), [](const Anchor& a, const Anchor& b) {
        return std::tie(a.i, a.j, b.weight) < std::tie(b.i, b.j, a.weight);
      });
  anchors.erase(std::unique(anchors.begin(), anchors.end(),
                            [](const Anchor& a, const Anchor& b) {
                              return a.i == b.i && a.j == b.j;
                            }),
                anchors.end());
  return anchors;
}

// Chaining, as align.cc's but with a gap limit per side, an expected ratio
// of English to Arabic tokens, and short steps back on the English side.
constexpr size_t kMaxPredecessors = 128;
constexpr float kEnglishPerArabic = 1.4f;
constexpr float kSkewCost = 0.04f;
constexpr float kBackwardCost = 0.15f;
// Chains scoring less are not kept even as parts of a passage.
constexpr float kMinPieceScore = 2.5f;

struct Chains {
  std::vector<float> best;
  std::vector<int32_t> prev;
};

Chains ChainAnchors(const std::vector<Anchor>& anchors,
                    const CrossLingualOptions& options) {
  const uint32_t gap_a =
      static_cast<uint32_t>(std::max(1, options.max_gap_arabic));
  const int64_t gap_b = std::max(1, options.max_gap_english);
  const int64_t back = std::max(0, options.max_backward_english);
  const size_t n = anchors.size();
  Chains chains{std::vector<float>(n), std::vector<int32_t>(n, -1)};
  for (size_t k = 0; k < n; ++k) {
    const Anchor& cur = anchors[k];
    chains.best[k] = cur.weight;
    const size_t stop = k > kMaxPredecessors ? k - kMaxPredecessors : 0;
    for (size_t p = k; p-- > stop;) {
      const Anchor& pre = anchors[p];
      if (pre.i + gap_a < cur.i) break;
      if (pre.i == cur.i) continue;
      const int64_t dj = static_cast<int64_t>(cur.j) - pre.j;
      if (dj == 0 || dj > gap_b || dj < -back) continue;
      const float di = static_cast<float>(cur.i - pre.i);
      const float cost =
          dj > 0 ? kSkewCost *
                       std::abs(static_cast<float>(dj) - kEnglishPerArabic * di)
                 : kBackwardCost * static_cast<float>(-dj) + kSkewCost * di;
      const float score = chains.best[p] + cur.weight - cost;
      if (score > chains.best[k]) {
        chains.best[k] = score;
        chains.prev[k] = static_cast<int32_t>(p);
      }
    }
  }
  return chains;
}

struct Piece {
  float score = 0;
  TokenRange a, b;  // first to last anchor, inclusive
  std::vector<uint32_t> is, js;
};

std::vector<Piece> TakeChains(const std::vector<Anchor>& anchors,
                              const Chains& chains) {
  const size_t n = anchors.size();
  std::vector<uint32_t> order(n);
  for (uint32_t k = 0; k < n; ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return chains.best[x] != chains.best[y] ? chains.best[x] > chains.best[y]
                                            : x < y;
  });
  std::vector<uint8_t> used(n, 0);
  std::vector<Piece> pieces;
  for (uint32_t end : order) {
    if (chains.best[end] < kMinPieceScore) break;
    if (used[end]) continue;
    Piece piece;
    int32_t x = static_cast<int32_t>(end);
    int32_t first = x;
    for (; x != -1 && !used[x]; x = chains.prev[x]) {
      used[x] = 1;
      first = x;
      piece.is.push_back(anchors[x].i);
      piece.js.push_back(anchors[x].j);
    }
    const int32_t before = chains.prev[first];
    piece.score = chains.best[end] - (before >= 0 ? chains.best[before] : 0);
    if (piece.score < kMinPieceScore) continue;
    const auto [jmin, jmax] =
        std::minmax_element(piece.js.begin(), piece.js.end());
    piece.a = {anchors[first].i, anchors[end].i + 1};
    piece.b = {*jmin, *jmax + 1};
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

// True when `piece`, which begins no earlier than `group` on the Arabic
// side, continues it on both sides: it begins within `gap` tokens of the
// group's end, and not before the group's beginning on the English side (a
// paragraph moved elsewhere in the translation is a passage of its own).
bool Continues(const Piece& group, const Piece& piece, uint32_t gap_a,
               uint32_t gap_b) {
  return piece.a.begin <= group.a.end + gap_a &&
         piece.b.begin >= group.b.begin && piece.b.begin <= group.b.end + gap_b;
}

// Pieces that continue one another on both sides join one passage: a chain
// breaks where a stretch of the translation has no dictionary match.
std::vector<Piece> GroupPieces(std::vector<Piece> pieces,
                               const CrossLingualOptions& options) {
  std::sort(pieces.begin(), pieces.end(), [](const Piece& x, const Piece& y) {
    return std::tie(x.a.begin, x.b.begin) < std::tie(y.a.begin, y.b.begin);
  });
  const uint32_t gap_a = 2 * static_cast<uint32_t>(options.max_gap_arabic);
  const uint32_t gap_b = 2 * static_cast<uint32_t>(options.max_gap_english);
  std::vector<Piece> groups;
  std::vector<uint8_t> taken(pieces.size(), 0);
  for (size_t p = 0; p < pieces.size(); ++p) {
    if (taken[p]) continue;
    Piece group = std::move(pieces[p]);
    taken[p] = 1;
    for (bool grew = true; grew;) {
      grew = false;
      for (size_t q = p + 1; q < pieces.size(); ++q) {
        if (taken[q] || !Continues(group, pieces[q], gap_a, gap_b)) {
          continue;
        }
        taken[q] = 1;
        grew = true;
        group.score += pieces[q].score;
        group.a = {std::min(group.a.begin, pieces[q].a.begin),
                   std::max(group.a.end, pieces[q].a.end)};
        group.b = {std::min(group.b.begin, pieces[q].b.begin),
                   std::max(group.b.end, pieces[q].b.end)};
        group.is.insert(group.is.end(), pieces[q].is.begin(),
                        pieces[q].is.end());
        group.js.insert(group.js.end(), pieces[q].js.begin(),
                        pieces[q].js.end());
      }
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

uint32_t Distinct(std::vector<uint32_t> v) {
  std::sort(v.begin(), v.end());
  return static_cast<uint32_t>(std::unique(v.begin(), v.end()) - v.begin());
}

uint32_t CountMatchable(const std::vector<uint8_t>& matchable,
                        TokenRange range) {
  uint32_t count = 0;
  for (uint32_t t = range.begin; t < range.end; ++t) count += matchable[t];
  return count;
}

}  // namespace

Lexicon::Lexicon(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Lexicon::~Lexicon() = default;
size_t Lexicon::arabic_keys() const { return rep_->arabic.size(); }
size_t Lexicon::english_stems() const { return rep_->english_stems; }

absl::StatusOr<std::unique_ptr<Lexicon>> Lexicon::Load(std::string_view dir) {
  const std::string directory(dir.empty() ? "." : dir);
  auto rep = std::make_unique<Rep>();
  for (std::string_view word : EnglishFunctionWords()) {
    rep->english_function_words.insert(std::string(word));
  }
  for (std::string_view word : ArabicFunctionWords()) {
    const std::string normalized = NormalizedWord(word);
    if (!normalized.empty()) rep->arabic_function_words.insert(normalized);
  }
  absl::StatusOr<std::vector<DictdEntry>> arabic_english =
      ReadFreeDict(directory, "freedict-ara-eng");
  if (!arabic_english.ok()) return arabic_english.status();
  absl::StatusOr<std::vector<DictdEntry>> english_arabic =
      ReadFreeDict(directory, "freedict-eng-ara");
  if (!english_arabic.ok()) return english_arabic.status();
  EnglishStemmer stemmer;
  LexiconBuilder builder(rep.get());
  AddArabicEnglish(*arabic_english, &builder, *rep, &stemmer);
  AddEnglishArabic(*english_arabic, &builder, *rep, &stemmer);
  for (const ArabicGloss& gloss : FrequentArabicGlosses()) {
    std::vector<std::string> stems;
    for (absl::string_view word : absl::StrSplit(
             absl::string_view(gloss.english.data(), gloss.english.size()), ' ',
             absl::SkipEmpty())) {
      stems.push_back(stemmer.Stem(std::string_view(word.data(), word.size())));
    }
    builder.Add(NormalizedWord(gloss.arabic), stems);
  }
  builder.Finish();
  if (rep->arabic.empty()) {
    return absl::DataLossError(absl::StrCat(
        directory, ": the FreeDict files hold no Arabic-English entries; ",
        kInstallHint));
  }
  return std::unique_ptr<Lexicon>(new Lexicon(std::move(rep)));
}

std::string_view DominantScript(std::string_view text) {
  size_t arabic = 0, latin = 0, other = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    uint32_t c = 0;
    p += DecodeUtf8(p, end, &c);
    if (c < 0x80) {
      latin += absl::ascii_isalpha(static_cast<char>(c)) ? 1 : 0;
    } else if (c >= 0xC0 && c < 0x250 && c != 0xD7 && c != 0xF7) {
      ++latin;
    } else if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
               (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF)) {
      arabic += IsArabicLetter(c) || c >= 0xFB50 ? 1 : 0;
    } else if (c != kInvalidCodePoint && c > 0x250) {
      ++other;
    }
  }
  const size_t total = arabic + latin + other;
  if (total == 0) return "other";
  if (2 * arabic > total) return "arabic";
  if (2 * latin > total) return "latin";
  return "other";
}

absl::StatusOr<std::vector<Passage>> CompareCrossLingual(
    const Lexicon& lexicon, std::string_view a, std::string_view b,
    const CrossLingualOptions& options) {
  if (a.size() >= kMaxTextBytes || b.size() >= kMaxTextBytes) {
    return absl::InvalidArgumentError(
        "texts of 4 GiB or more are not supported");
  }
  const std::string_view script_a = DominantScript(a);
  const std::string_view script_b = DominantScript(b);
  bool a_is_arabic = false;
  if (script_a == "arabic" && script_b == "latin") {
    a_is_arabic = true;
  } else if (!(script_a == "latin" && script_b == "arabic")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cross-lingual comparison needs one Arabic and one English "
        "(Latin-script) text; the first is mostly ",
        std::string(script_a), ", the second mostly ", std::string(script_b),
        script_a == script_b ? "; for texts in one language use Compare" : ""));
  }
  const std::string_view arabic_text = a_is_arabic ? a : b;
  const std::string_view english_text = a_is_arabic ? b : a;
  EnglishStemmer stemmer;
  const Lexicon::Rep& rep = lexicon.rep();
  const KeyedText arabic = KeyText(arabic_text, true, rep, &stemmer);
  const KeyedText english = KeyText(english_text, false, rep, &stemmer);
  const std::vector<Anchor> anchors =
      FindAnchors(arabic, english, std::max(1, options.max_occurrences));
  std::vector<Piece> groups =
      GroupPieces(TakeChains(anchors, ChainAnchors(anchors, options)), options);

  std::vector<AlignedPassage> aligned;
  for (const Piece& group : groups) {
    if (group.score < options.min_chain_score) continue;
    const uint32_t covered_a = Distinct(group.is);
    const uint32_t covered_b = Distinct(group.js);
    const uint32_t matchable = CountMatchable(arabic.matchable, group.a) +
                               CountMatchable(english.matchable, group.b);
    AlignedPassage passage;
    passage.score =
        matchable == 0
            ? 0
            : std::min(1.0,
                       static_cast<double>(covered_a + covered_b) / matchable);
    if (passage.score < options.min_score) continue;
    passage.anchors = static_cast<uint32_t>(group.is.size());
    passage.matched = std::min(covered_a, covered_b);
    passage.a = a_is_arabic ? group.a : group.b;
    passage.b = a_is_arabic ? group.b : group.a;
    aligned.push_back(passage);
  }
  std::sort(aligned.begin(), aligned.end(),
            [](const AlignedPassage& x, const AlignedPassage& y) {
              return std::tie(x.a.begin, x.b.begin, x.a.end, x.b.end) <
                     std::tie(y.a.begin, y.b.begin, y.a.end, y.b.end);
            });
  const KeyedText& first = a_is_arabic ? arabic : english;
  const KeyedText& second = a_is_arabic ? english : arabic;
  return LocatePassages(aligned, a, first.located, b, second.located);
}

}  // namespace neardup
