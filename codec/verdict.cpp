#include "codec/verdict.hpp"

#include <array>

namespace coldtrace {
namespace {

// Two sentences per verdict, each led by the verdict's title (the text before "："/":"):
// `trade` for whoever sells or checks at the counter (may it be sold: 可以销售 / 不得销售, the
// same words for every verdict), `buyer` for a consumer on /c/ (may I buy it, what to do).
struct verdict_text {
  verdict v;
  std::string_view name;
  std::string_view zh, en;              // trade
  std::string_view buyer_zh, buyer_en;  // consumer
};

constexpr std::array<verdict_text, 10> table{{
    {verdict::valid, "valid", "有效：此码经平台核验，可以销售。",
     "Valid: this code is verified by the platform; the goods may be sold.",
     "有效：此码经平台核验为真，此批次已检测放行，可以购买。",
     "Valid: the platform verified this code, and the lot was tested and released; you may buy "
     "it."},
    {verdict::not_released, "not_released", "未放行：此批次尚未通过监管仓检测放行，不得销售。",
     "Not released: this lot has not passed the supervision warehouse yet; it may not be sold.",
     "未放行：此批次尚未检测放行，不应出售。请勿购买。",
     "Not released: this lot has not been tested and released yet, so it should not be on sale. "
     "Do not buy it."},
    {verdict::recalled, "recalled", "已召回：此批次已召回，不得销售。",
     "Recalled: this lot has been recalled; it may not be sold.",
     "已召回：此批次已召回。请勿购买；已经买了的，请停止食用。",
     "Recalled: this lot has been recalled. Do not buy it; if you have bought it, stop eating "
     "it."},
    {verdict::quarantined, "quarantined", "已封存：此批次检出阳性，已封存，不得销售。",
     "Quarantined: a test of this lot was positive; it may not be sold.",
     "已封存：此批次检出阳性，已封存。请勿购买；已经买了的，请停止食用。",
     "Quarantined: a test of this lot was positive. Do not buy it; if you have bought it, stop "
     "eating it."},
    {verdict::wrong_holder, "wrong_holder",
     "持码单位不符：此码不属于本单位，不得销售，请核查货源。",
     "Wrong holder: this code does not belong to this unit; the goods may not be sold under it — "
     "check where they came from.",
     "持码单位不符：此码不属于出示它的商家。请勿购买。",
     "Wrong holder: this code does not belong to the shop showing it. Do not buy the goods."},
    {verdict::exhausted, "exhausted", "数量已用完：此码的货品已全部售出或分销，不得再凭此码销售。",
     "Exhausted: the quantity under this code has all been sold or dispatched; nothing more may "
     "be sold under it.",
     "数量已用完：此码的货品已全部售出或分销，不应再有货品凭此码出售。请向商家核实货源。",
     "Exhausted: everything under this code has been sold or dispatched, so no more goods should "
     "be sold under it. Ask the shop where these came from."},
    {verdict::pending_receipt, "pending_receipt",
     "待收货：收货单位尚未扫码确认收货，确认收货前不得销售。",
     "Pending receipt: the receiving unit has not yet confirmed receipt; the goods may not be "
     "sold until it does.",
     "待收货：商家尚未确认收到此货品，确认收货前不得出售。暂勿购买。",
     "Pending receipt: the shop has not yet confirmed receiving these goods, and may not sell "
     "them until it does. Do not buy them yet."},
    {verdict::unknown, "unknown", "未登记：平台中没有此码，不得销售。",
     "Unknown: this code is not registered with the platform; the goods may not be sold.",
     "未登记：平台中没有此码。请勿购买。",
     "Unknown: this code is not registered with the platform. Do not buy the goods."},
    {verdict::forged, "forged", "疑似伪造：此码签名无效，不得销售，请报告监管部门。",
     "Suspected forgery: this code's signature is not valid; the goods may not be sold — report "
     "it.",
     "疑似伪造：此码签名无效，可能是伪造的标签。请勿购买。",
     "Suspected forgery: this code's signature is not valid; the label may be forged. Do not buy "
     "the goods."},
    {verdict::malformed, "malformed", "无法识别：这不是有效的追溯码。",
     "Malformed: this is not a valid traceability code.",
     "无法识别：这不是有效的追溯码。请重新扫描商品或柜台上的二维码。",
     "Malformed: this is not a valid traceability code. Scan the code on the goods or the "
     "counter again."},
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
std::string_view advise_buyer_zh(verdict v) {
  return lookup(v).buyer_zh;
}
std::string_view advise_buyer_en(verdict v) {
  return lookup(v).buyer_en;
}

std::optional<verdict> verdict_from_string(std::string_view s) {
  for (const auto& t : table)
    if (t.name == s) return t.v;
  return std::nullopt;
}

}  // namespace coldtrace
