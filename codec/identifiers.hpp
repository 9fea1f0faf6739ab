// Identifiers a person types or scans: unified social credit codes (GB 32100-2015), customs
// declaration numbers, countries (ISO 3166-1) and food categories.
#pragma once

#include "codec/error.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace coldtrace::codec {

result<void> check_credit_code(std::string_view code);       // 18 characters with check character
result<void> check_customs_number(std::string_view number);  // 18 digits

struct country {
  std::uint16_t numeric;
  std::string_view alpha2;
  std::string_view name_en;
  std::string_view name_zh;
};
result<country> find_country(std::string_view alpha2);  // case-insensitive
result<country> find_country(std::uint16_t numeric);
std::span<const country> all_countries();  // every ISO 3166-1 country, by alpha-2 code

struct category_info {
  std::uint8_t id;        // as carried in codes; never reused
  std::string_view name;  // as in the API: imported_fruit
  std::string_view name_zh;
  std::string_view name_en;
  bool imported;  // imports need customs and quarantine documents
};
std::span<const category_info> categories();
result<category_info> find_category(std::string_view name);
result<category_info> find_category(std::uint8_t id);

}  // namespace coldtrace::codec
