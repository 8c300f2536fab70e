#include "neardup/version.h"

namespace neardup {

std::string_view Version() { return NEARDUP_VERSION_STRING; }

}  // namespace neardup
