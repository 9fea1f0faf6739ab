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
std::string_view describe_zh(verdict v);  // a plain sentence for the counter and the phone
std::string_view describe_en(verdict v);

}  // namespace coldtrace
