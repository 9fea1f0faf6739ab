#include "storage/demo.hpp"

#include <array>

namespace coldtrace::storage {

std::string with_check_character(std::string_view first17) {
  static constexpr std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr std::array<int, 17> weights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                  29, 25, 13, 8,  24, 10, 30, 28};
  int sum = 0;
  for (std::size_t i = 0; i < weights.size() && i < first17.size(); ++i) {
    const auto v = alphabet.find(first17[i]);
    sum += static_cast<int>(v == std::string_view::npos ? 0 : v) * weights[i];
  }
  return std::string{first17} + alphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

}  // namespace coldtrace::storage
