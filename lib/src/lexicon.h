// Reading dictd dictionaries (the format of Debian's dict-freedict-*
// packages): a sorted text index of "headword \t offset \t length" lines,
// offsets and lengths in dictd's base-64 digits, into a dictionary file that
// is plain text or gzip-compressed (.dict.dz is gzip with dictzip's random
// access chunks, which a plain gzip reader ignores).
#ifndef NEARDUP_SRC_LEXICON_H_
#define NEARDUP_SRC_LEXICON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace neardup {

struct DictdEntry {
  std::string headword;
  // The entry's text as stored: for FreeDict, a first line "headword
  // /pronunciation/", then the senses, one a line, numbered "1. " ... when
  // there are several.
  std::string definition;
};

// Decodes one dictd base-64 number ("A".."Z" "a".."z" "0".."9" "+" "/", most
// significant digit first). Returns false on any other character, an empty
// string or a value above 2^32 - 1.
bool DecodeDictdNumber(std::string_view digits, uint32_t* value);

// Reads every entry of the dictionary whose index is `index_path` and whose
// text is `dict_path` (gzip-compressed or not), in index order, skipping the
// dictd metadata entries ("00database..." headwords). Errors name the file,
// and the index line for a malformed line or an entry outside the text.
absl::StatusOr<std::vector<DictdEntry>> ReadDictd(const std::string& index_path,
                                                  const std::string& dict_path);

// The senses of a FreeDict entry: its lines after the first, without the
// "N. " numbering, trimmed, empty ones dropped.
std::vector<std::string_view> FreeDictSenses(std::string_view definition);

}  // namespace neardup

#endif  // NEARDUP_SRC_LEXICON_H_
