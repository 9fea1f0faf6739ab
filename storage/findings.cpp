#include "storage/findings.hpp"

namespace coldtrace::storage {

std::string_view to_string(finding_action a) {
  switch (a) {
    case finding_action::seal: return "seal";
    case finding_action::seize: return "seize";
    case finding_action::stop_selling: return "stop_selling";
  }
  return "?";
}

std::optional<finding_action> finding_action_from(std::string_view s) {
  for (auto v : {finding_action::seal, finding_action::seize, finding_action::stop_selling})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::optional<finding_state> finding_state_from(std::string_view s) {
  if (s == "open") return finding_state::open;
  if (s == "overdue") return finding_state::overdue;
  if (s == "closed") return finding_state::closed;
  if (s == "all") return finding_state::all;
  return std::nullopt;
}

}  // namespace coldtrace::storage
