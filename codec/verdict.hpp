// The closed set of verdicts, the same in the CLI, the API and the pages (DESIGN §3).
#pragma once

#include <optional>
#include <string_view>

namespace coldtrace {

enum class verdict {
  valid,
  not_released,
  recalled,
  quarantined,
  wrong_holder,
  exhausted,
  pending_receipt,
  unknown,
  forged,
  malformed,
};

std::string_view to_string(verdict v);
std::optional<verdict> verdict_from_string(std::string_view s);
// A plain sentence for the counter, the scanner and the CLI: may the goods be sold.
std::string_view describe_zh(verdict v);
std::string_view describe_en(verdict v);
// The same verdict told to a consumer (/c/): may I buy it, and what to do. Same title.
std::string_view advise_buyer_zh(verdict v);
std::string_view advise_buyer_en(verdict v);

}  // namespace coldtrace
