// Test helper shared by unit and integration tests: a passage planted inside
// unrelated text in many scripts, and the byte precision and recall of
// reported spans against it. The unrelated text is drawn from the same
// function words as the passage (and from other content words), so shared
// function words sit just before and after the passage on both sides: the
// text that used to pull passage edges outward.
#ifndef NEARDUP_SRC_PLANTED_TEXT_H_
#define NEARDUP_SRC_PLANTED_TEXT_H_

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace neardup::testing {

struct Language {
  std::string name;
  std::string separator;  // between words: " ", or "" for CJK and Thai
  std::string full_stop;  // ends a sentence
  std::vector<std::string> function_words;
  // Split three ways by index mod 3: the passage's words, the unrelated
  // text of document A, and that of document B.
  std::vector<std::string> content_words;
  // Inserted between words (not tokens: emoji, symbols), or empty.
  std::vector<std::string> decorations;
};

inline const std::vector<Language>& PlantedLanguages() {
  static const std::vector<Language>* const languages = new std::vector<
      Language>{
      {"English",
       " ",
       ".",
       {"in", "the", "of", "and", "to", "a", "on", "for", "with", "at", "by",
        "from"},
       {"government", "economy",  "school",   "student",    "hospital",
        "company",    "market",   "bank",     "city",       "country",
        "weather",    "music",    "film",     "science",    "meeting",
        "law",        "football", "doctor",   "teacher",    "library",
        "museum",     "car",      "airplane", "telephone",  "food",
        "journey",    "family",   "friend",   "work",       "time",
        "world",      "history",  "culture",  "technology", "river",
        "mountain",   "sea",      "forest",   "farmer",     "factory"},
       {}},
      {"French",
       " ",
       ".",
       {"le", "la", "de", "des", "et", "en", "dans", "pour", "sur", "avec",
        "un", "une", "à"},
       {"gouvernement", "économie", "école",   "étudiant",    "hôpital",
        "entreprise",   "marché",   "banque",  "ville",       "pays",
        "météo",        "musique",  "cinéma",  "science",     "réunion",
        "loi",          "football", "médecin", "professeur",  "bibliothèque",
        "musée",        "voiture",  "avion",   "téléphone",   "nourriture",
        "voyage",       "famille",  "ami",     "travail",     "temps",
        "monde",        "histoire", "culture", "technologie", "rivière",
        "montagne",     "mer",      "forêt",   "agriculteur", "usine"},
       {}},
      {"Russian",
       " ",
       ".",
       {"в", "и", "на", "с", "по", "не", "что", "к", "о", "из"},
       {"правительство", "экономика", "школа",    "студент",    "больница",
        "компания",      "рынок",     "банк",     "город",      "страна",
        "погода",        "музыка",    "фильм",    "наука",      "встреча",
        "закон",         "футбол",    "врач",     "учитель",    "библиотека",
        "музей",         "машина",    "самолёт",  "телефон",    "еда",
        "поездка",       "семья",     "друг",     "работа",     "время",
        "мир",           "история",   "культура", "технология", "река",
        "гора",          "море",      "лес",      "фермер",     "завод"},
       {}},
      {"Chinese",
       "",
       "。",
       {"的", "是", "在", "了", "和", "有", "也", "就", "都", "与"},
       {"经济", "政府", "发展", "学生",   "医院",   "城市", "天气", "市场",
        "公司", "技术", "教育", "历史",   "文化",   "音乐", "电影", "银行",
        "农民", "工厂", "铁路", "机场",   "森林",   "河流", "山脉", "海洋",
        "科学", "研究", "会议", "总统",   "法律",   "体育", "足球", "比赛",
        "医生", "病人", "老师", "图书馆", "博物馆", "汽车", "飞机", "手机"},
       {}},
      {"Japanese",
       "",
       "。",
       {"の", "は", "に", "を", "が", "で", "と", "も", "です", "ました"},
       {"経済",   "政府",   "学校",   "先生", "病院", "会社", "東京", "大阪",
        "電車",   "新聞",   "天気",   "音楽", "映画", "銀行", "科学", "研究",
        "会議",   "大統領", "法律",   "野球", "試合", "医者", "患者", "図書館",
        "博物館", "自動車", "飛行機", "携帯", "料理", "旅行", "写真", "家族",
        "友達",   "仕事",   "時間",   "世界", "歴史", "文化", "市場", "技術"},
       {}},
      {"Thai",
       "",
       " ",
       {"ที่", "ใน", "และ", "ของ", "เป็น", "ได้", "จะ", "มี", "ไม่", "กับ"},
       {"รัฐบาล",   "เศรษฐกิจ",    "โรงเรียน", "นักเรียน",   "โรงพยาบาล", "บริษัท",
        "ตลาด",    "ธนาคาร",     "เมือง",    "ประเทศ",   "อากาศ",     "ดนตรี",
        "ภาพยนตร์", "วิทยาศาสตร์",  "ประชุม",   "กฎหมาย",   "ฟุตบอล",     "แพทย์",
        "ครู",      "ห้องสมุด",     "พิพิธภัณฑ์",  "รถยนต์",    "เครื่องบิน",   "โทรศัพท์",
        "อาหาร",   "เดินทาง",     "ครอบครัว", "เพื่อน",     "งาน",       "เวลา",
        "โลก",     "ประวัติศาสตร์", "วัฒนธรรม", "เทคโนโลยี", "แม่น้ำ",      "ภูเขา",
        "ทะเล",    "ป่าไม้",       "ชาวนา",   "โรงงาน"},
       {}},
      {"Hindi",
       " ",
       "।",
       {"है", "के", "में", "की", "और", "से", "को", "का", "पर", "ने"},
       {"सरकार", "अर्थव्यवस्था", "विद्यालय", "छात्र",   "अस्पताल",   "कंपनी",
        "बाजार", "बैंक",        "शहर",     "देश",     "मौसम",     "संगीत",
        "फिल्म",  "विज्ञान",    "बैठक",     "कानून",   "क्रिकेट",    "डॉक्टर",
        "शिक्षक", "पुस्तकालय",   "संग्रहालय", "गाड़ी",   "हवाईजहाज", "टेलीफोन",
        "भोजन",  "यात्रा",     "परिवार",  "दोस्त",   "काम",      "समय",
        "दुनिया", "इतिहास",    "संस्कृति",   "तकनीक",  "नदी",      "पहाड़",
        "समुद्र",  "जंगल",       "किसान",   "कारखाना"},
       {}},
      {"Hebrew",
       " ",
       ".",
       {"של", "את", "על", "עם", "זה", "לא", "גם", "כי", "אבל", "או"},
       {"ממשלה", "כלכלה",    "תלמיד",  "מורה",      "רופא",    "חברה",   "שוק",
        "בנק",   "עיר",      "מדינה",  "מזג",       "מוזיקה",  "סרט",    "מדע",
        "פגישה", "חוק",      "כדורגל", "ספרייה",    "מוזיאון", "מכונית", "מטוס",
        "טלפון", "אוכל",     "טיול",   "משפחה",     "חבר",     "עבודה",  "זמן",
        "עולם",  "היסטוריה", "תרבות",  "טכנולוגיה", "נהר",     "הר",     "ים",
        "יער",   "חקלאי",    "מפעל",   "עיתון",     "רכבת"},
       {}},
      {"Arabic",
       " ",
       ".",
       {"في", "من", "على", "إلى", "أن", "عن", "مع", "هذا", "التي", "كان"},
       {"الحكومة", "الاقتصاد", "المدرسة",  "الطالب",  "المستشفى", "الشركة",
        "السوق",   "البنك",    "المدينة",  "الدولة",  "الطقس",    "الموسيقى",
        "الفيلم",  "العلوم",   "الاجتماع", "القانون", "الكرة",    "الطبيب",
        "المعلم",  "المكتبة",  "المتحف",   "السيارة", "الطائرة",  "الهاتف",
        "الطعام",  "السفر",    "الأسرة",   "الصديق",  "العمل",    "الوقت",
        "العالم",  "التاريخ",  "الثقافة",  "التقنية", "النهر",    "الجبل",
        "البحر",   "الغابة",   "المزارع",  "المصنع"},
       {}},
      {"Arabic and English",
       " ",
       ".",
       {"في", "من", "على", "the", "of", "in", "and", "أن", "مع", "to"},
       {"الحكومة", "economy", "المدرسة",  "student",    "المستشفى", "company",
        "السوق",   "bank",    "المدينة",  "country",    "الطقس",    "music",
        "الفيلم",  "science", "الاجتماع", "law",        "الكرة",    "doctor",
        "المعلم",  "library", "المتحف",   "car",        "الطائرة",  "telephone",
        "الطعام",  "journey", "الأسرة",   "friend",     "العمل",    "time",
        "العالم",  "history", "الثقافة",  "technology", "النهر",    "mountain",
        "البحر",   "forest",  "المزارع",  "factory"},
       {}},
      {"English with emoji",
       " ",
       "!",
       {"in", "the", "of", "and", "to", "a", "on", "for", "with", "at"},
       {"government", "economy",  "school",   "student",    "hospital",
        "company",    "market",   "bank",     "city",       "country",
        "weather",    "music",    "film",     "science",    "meeting",
        "law",        "football", "doctor",   "teacher",    "library",
        "museum",     "car",      "airplane", "telephone",  "food",
        "journey",    "family",   "friend",   "work",       "time",
        "world",      "history",  "culture",  "technology", "river",
        "mountain",   "sea",      "forest",   "farmer",     "factory"},
       {"😂", "🔥", "👍🏽", "🎉", "❤️", "🙏", "😍", "👨‍👩‍👧",
        "✨", "🇸🇦"}},
  };
  return *languages;
}

// `words` words of `language`: a function word with probability 0.4, else a
// content word of group `group` (0: the passage, 1: A's unrelated text, 2:
// B's), with a full stop after about every tenth word and, if the language
// has decorations, one after about every third word. Deterministic for a
// given `rng` state (no std::*_distribution, whose output is not portable).
inline std::string PlantedWords(const Language& language, int group, int words,
                                std::mt19937* rng) {
  std::string text;
  const size_t content = language.content_words.size();
  for (int k = 0; k < words; ++k) {
    if (k > 0) text += language.separator;
    if ((*rng)() % 10 < 4) {
      text +=
          language.function_words[(*rng)() % language.function_words.size()];
    } else {
      const size_t pick = (*rng)() % ((content - group + 2) / 3);
      text += language.content_words[3 * pick + group];
    }
    if (!language.decorations.empty() && (*rng)() % 3 == 0) {
      text += language.separator +
              language.decorations[(*rng)() % language.decorations.size()];
    }
    if (k + 1 < words && (*rng)() % 10 == 0) text += language.full_stop;
  }
  return text;
}

// Two documents sharing one passage between unrelated text, and where the
// passage lies in each: [a_begin, a_end) of `a`, [b_begin, b_end) of `b`.
struct PlantedPair {
  std::string a, b;
  size_t a_begin = 0, a_end = 0, b_begin = 0, b_end = 0;
};

inline PlantedPair PlantPassage(const Language& language, int passage_words,
                                int unrelated_words, uint32_t seed) {
  std::mt19937 rng(seed);
  const std::string passage = PlantedWords(language, 0, passage_words, &rng);
  PlantedPair pair;
  auto build = [&](int group, std::string* text, size_t* begin, size_t* end) {
    // Unrelated text of varying length on each side, so the passage sits at
    // different offsets in the two documents.
    const int before =
        unrelated_words / 2 +
        static_cast<int>(rng() % static_cast<uint32_t>(unrelated_words));
    const int after =
        unrelated_words / 2 +
        static_cast<int>(rng() % static_cast<uint32_t>(unrelated_words));
    *text = PlantedWords(language, group, before, &rng) + language.separator;
    *begin = text->size();
    *text += passage;
    *end = text->size();
    *text += language.separator + PlantedWords(language, group, after, &rng);
  };
  build(1, &pair.a, &pair.a_begin, &pair.a_end);
  build(2, &pair.b, &pair.b_begin, &pair.b_end);
  return pair;
}

// Byte precision and recall of `spans` (half-open, possibly overlapping)
// against the planted span [begin, end). Precision is 0 when nothing was
// reported.
struct SpanAccuracy {
  double precision = 0;
  double recall = 0;
};

inline SpanAccuracy MeasureSpans(std::vector<std::pair<size_t, size_t>> spans,
                                 size_t begin, size_t end) {
  std::sort(spans.begin(), spans.end());
  size_t covered = 0, inside = 0, reach = 0;
  for (auto [b, e] : spans) {
    b = std::max(b, reach);
    if (e <= b) continue;
    covered += e - b;
    const size_t lo = std::max(b, begin), hi = std::min(e, end);
    if (hi > lo) inside += hi - lo;
    reach = e;
  }
  SpanAccuracy accuracy;
  if (covered > 0) accuracy.precision = static_cast<double>(inside) / covered;
  if (end > begin)
    accuracy.recall = static_cast<double>(inside) / (end - begin);
  return accuracy;
}

}  // namespace neardup::testing

#endif  // NEARDUP_SRC_PLANTED_TEXT_H_
