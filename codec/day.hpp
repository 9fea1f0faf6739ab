// Calendar days as codes carry them: days since 1970-01-01 (UTC), written YYYY-MM-DD.
#pragma once

#include "codec/error.hpp"

#include <cstdint>
#include <string>

namespace coldtrace::codec {

result<std::uint32_t> parse_day(std::string_view yyyy_mm_dd);
std::string format_day(std::uint32_t day);
std::uint32_t today();  // UTC

}  // namespace coldtrace::codec
