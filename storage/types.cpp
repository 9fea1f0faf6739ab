#include "storage/types.hpp"

#include "storage/recalls.hpp"
#include "storage/records.hpp"

#include <array>
#include <utility>

namespace coldtrace::storage {
namespace {

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table)
    if (value == e) return name;
  return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view s) {
  for (const auto& [value, name] : table)
    if (name == s) return value;
  return std::nullopt;
}

constexpr std::array<std::pair<unit_kind, std::string_view>, 5> unit_kinds{{
    {unit_kind::warehouse, "warehouse"},
    {unit_kind::producer, "producer"},
    {unit_kind::caterer, "caterer"},
    {unit_kind::seller, "seller"},
    {unit_kind::regulator, "regulator"},
}};
constexpr std::array<std::pair<account_role, std::string_view>, 4> roles{{
    {account_role::admin, "admin"},
    {account_role::warehouse, "warehouse"},
    {account_role::unit_operator, "operator"},
    {account_role::inspector, "inspector"},
}};
constexpr std::array<std::pair<lot_status, std::string_view>, 3> lot_statuses{{
    {lot_status::held, "held"},
    {lot_status::released, "released"},
    {lot_status::quarantined, "quarantined"},
}};
constexpr std::array<std::pair<code_status, std::string_view>, 2> code_statuses{{
    {code_status::pending, "pending"},
    {code_status::active, "active"},
}};
constexpr std::array<std::pair<sample_type, std::string_view>, 3> sample_types{{
    {sample_type::outer_packaging, "outer_packaging"},
    {sample_type::food_surface, "food_surface"},
    {sample_type::environment, "environment"},
}};
constexpr std::array<std::pair<test_outcome, std::string_view>, 2> outcomes{{
    {test_outcome::negative, "negative"},
    {test_outcome::positive, "positive"},
}};
constexpr std::array<std::pair<scan_kind, std::string_view>, 3> scan_kinds{{
    {scan_kind::consumer, "consumer"},
    {scan_kind::inspector, "inspector"},
    {scan_kind::counter, "counter"},
}};

}  // namespace

std::string_view to_string(unit_kind k) {
  return name_of(unit_kinds, k);
}
std::string_view to_string(account_role r) {
  return name_of(roles, r);
}
std::string_view to_string(lot_status s) {
  return name_of(lot_statuses, s);
}
std::string_view to_string(code_status s) {
  return name_of(code_statuses, s);
}
std::string_view to_string(line_status s) {
  switch (s) {
    case line_status::done: return "done";
    case line_status::denied: return "denied";
    case line_status::failed: return "failed";
    case line_status::rolled_back: return "rolled_back";
  }
  return "failed";
}
std::string_view to_string(sample_type t) {
  return name_of(sample_types, t);
}
std::string_view to_string(test_outcome o) {
  return name_of(outcomes, o);
}
std::string_view to_string(scan_kind k) {
  return name_of(scan_kinds, k);
}
std::optional<unit_kind> unit_kind_from(std::string_view s) {
  return value_of(unit_kinds, s);
}
std::optional<account_role> account_role_from(std::string_view s) {
  return value_of(roles, s);
}
std::optional<lot_status> lot_status_from(std::string_view s) {
  return value_of(lot_statuses, s);
}
std::optional<code_status> code_status_from(std::string_view s) {
  return value_of(code_statuses, s);
}
std::optional<sample_type> sample_type_from(std::string_view s) {
  return value_of(sample_types, s);
}
std::optional<test_outcome> test_outcome_from(std::string_view s) {
  return value_of(outcomes, s);
}

std::string_view to_string(proposal_status s) {
  switch (s) {
    case proposal_status::open: return "open";
    case proposal_status::confirmed: return "confirmed";
    case proposal_status::dismissed: return "dismissed";
  }
  return "?";
}
std::optional<proposal_status> proposal_status_from(std::string_view s) {
  for (auto v : {proposal_status::open, proposal_status::confirmed, proposal_status::dismissed})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::string_view describe_zh(unit_kind k) {
  switch (k) {
    case unit_kind::warehouse: return "集中监管仓";
    case unit_kind::producer: return "生产加工单位";
    case unit_kind::caterer: return "餐饮服务单位";
    case unit_kind::seller: return "销售单位";
    case unit_kind::regulator: return "监管部门";
  }
  return "?";
}

}  // namespace coldtrace::storage
