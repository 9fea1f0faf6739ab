#include "codec/verdict.hpp"

#include <array>

namespace coldtrace {
namespace {

struct verdict_text {
  verdict v;
  std::string_view name;
  std::string_view zh;
  std::string_view en;
};

constexpr std::array<verdict_text, 10> table{{
    {verdict::valid, "valid", "有效：此码经平台核验，可以销售。",
     "Valid: this code is verified by the platform; the goods may be sold."},
    {verdict::not_released, "not_released", "未放行：此批次尚未通过监管仓检测放行，禁止销售。",
     "Not released: this lot has not passed the supervision warehouse yet — do not sell."},
    {verdict::recalled, "recalled", "已召回：此批次已召回，请勿销售。",
     "Recalled: this lot has been recalled — do not sell."},
    {verdict::quarantined, "quarantined", "已封存：此批次检出阳性，已封存，请勿销售。",
     "Quarantined: a test of this lot was positive — do not sell."},
    {verdict::wrong_holder, "wrong_holder", "持码单位不符：此码不属于本单位，请核查货源。",
     "Wrong holder: this code does not belong to this unit — check where the goods came from."},
    {verdict::exhausted, "exhausted", "数量已用完：此码的货品数量已全部售出或分销。",
     "Exhausted: the quantity under this code has all been sold or dispatched."},
    {verdict::pending_receipt, "pending_receipt", "待收货：收货单位尚未扫码确认收货。",
     "Pending receipt: the receiving unit has not yet confirmed receipt."},
    {verdict::unknown, "unknown", "未登记：平台中没有此码，请勿销售。",
     "Unknown: this code is not registered with the platform — do not sell."},
    {verdict::forged, "forged", "伪造：此码签名无效，可能为伪造，请勿销售并报告监管部门。",
     "Forged: this code's signature is not valid — do not sell, and report it."},
    {verdict::malformed, "malformed", "无法识别：这不是有效的追溯码。",
     "Malformed: this is not a valid traceability code."},
}};

const verdict_text& lookup(verdict v) {
  return table[static_cast<std::size_t>(v)];
}

}  // namespace

std::string_view to_string(verdict v) {
  return lookup(v).name;
}
std::string_view describe_zh(verdict v) {
  return lookup(v).zh;
}
std::string_view describe_en(verdict v) {
  return lookup(v).en;
}

std::optional<verdict> verdict_from_string(std::string_view s) {
  for (const auto& t : table)
    if (t.name == s) return t.v;
  return std::nullopt;
}

}  // namespace coldtrace
