#include "server/messages.hpp"

#include "codec/identifiers.hpp"

#include <map>

namespace coldtrace::server {
namespace {

// Each detailed message by its key, in Chinese; {name} is a parameter of the error. The
// English is the sentence written where the error is raised (error::message), as gettext's
// msgid is.
const std::map<std::string_view, std::string_view, std::less<>> details_zh{
    {"release.recalled", "批次 {lot} 已被召回"},
    {"release.quarantined", "批次 {lot} 因阳性结果已被隔离，不能放行"},
    {"release.already", "批次 {lot} 已经放行"},
    {"release.no_samples", "批次 {lot} 还没有样品：请至少采集一个样品"},
    {"release.results_pending", "批次 {lot}：{samples} 个样品中还有 {missing} 个没有检测结果"},
    {"release.positive", "批次 {lot} 有阳性检测结果"},
    {"release.no_disinfection", "批次 {lot} 入仓后还没有消毒记录"},
    {"release.documents", "批次 {lot} 是进口食品，缺少报关单号或检疫证明编号"},
    {"intake.not_warehouse", "只有集中监管仓可以登记入仓"},
    {"intake.category", "品类“{value}”不存在"},
    {"intake.origin", "原产国“{value}”不是 ISO 3166-1 国家代码"},
    {"intake.weight", "净重须在 1 克到一百万吨之间"},
    {"intake.packages", "件数至少为 1"},
    {"intake.customs_missing", "进口食品（{category}）须填写报关单号"},
    {"intake.quarantine_missing", "进口食品（{category}）须填写检疫证明编号"},
    {"intake.customs_bad", "报关单号“{value}”无效：应为 18 位数字"},
    {"intake.production_date",
     "生产日期“{value}”无效：应写成 2024-03-01 这样的日期，且不晚于入仓当天"},
    {"intake.storage_temp", "贮存温度须在 -80 ℃ 到 30 ℃ 之间"},
    {"sample.before_intake", "采样时间早于批次入仓时间"},
    {"result.before_sample", "结果时间早于采样时间"},
    {"result.duplicate", "样品 {sample} 已有检测结果"},
    {"time.future", "{field}晚于记录时间"},
    {"time.bad", "“{field}”不是有效时间，请写成 2024-03-01T16:30:00+08:00 这样的格式"},
    {"period.day", "“{field}”不是有效日期，请写成 2024-03-01 这样的格式"},
    {"period.backwards", "统计期间的开始日期“from”不能晚于结束日期“to”"},
    {"dispatch.quantity", "数量至少为 1 克"},
    {"dispatch.recalled", "码 {code}：所属批次已被召回"},
    {"dispatch.quarantined", "码 {code}：所属批次因阳性结果已被隔离"},
    {"dispatch.not_released", "码 {code}：所属批次尚未放行"},
    {"dispatch.pending_receipt", "码 {code} 须先收货才能发货"},
    {"dispatch.self", "不能发货给本单位"},
    {"dispatch.regulator", "不能发货给监管部门"},
    {"dispatch.insufficient", "码 {code} 只剩 {held} 克，不能发出 {asked} 克"},
    {"receive.already", "码 {code} 已经收过货"},
    {"sale.insufficient", "码 {code} 只剩 {held} 克，不能售出 {asked} 克"},
    {"counter.other_unit", "只能查看本单位的库存和销售记录，不能查看单位 {unit} 的"},
    {"batch.too_many", "一批最多 {max} 行，这一批有 {lines} 行：请分批发送"},
    {"file.not_utf8",
     "文件不是 UTF-8 文本（中文版 Excel 的“CSV”是 GBK 编码）：请另存为“CSV UTF-8”，或上传 XLSX "
     "工作簿"},
    {"file.is_xlsx", "这是 XLSX 工作簿，不是 CSV 文本：请按 XLSX 上传"},
    {"file.not_xlsx", "文件不是 XLSX 工作簿（旧的 .xls 文件？请另存为 .xlsx）"},
    {"file.damaged", "文件已损坏或无法读取：请在电子表格软件中打开，再另存为 .xlsx"},
    {"file.encrypted", "文件有密码保护：请去掉密码后再保存"},
    {"file.open_quote", "文件在引号内结束：有一个英文双引号没有闭合"},
    {"file.too_many_rows", "文件超过 {max} 行：请拆分成几个文件"},
    {"file.too_many_columns", "文件超过 {max} 列"},
    {"import.headers", "第 {row} 行不是导入模板的表头：应为 {expected}"},
    {"import.no_header", "文件是空的：第一行应为导入模板的表头"},
    {"import.no_rows", "文件中除表头外没有要导入的行"},
    {"import.required", "请填写“{column}”"},
    {"import.ref", "参考号须为 1 到 64 个英文字母、数字或符号（不能有汉字）"},
    {"import.quantity", "“{value}”不是有效的千克数：请写成 12.5 这样的数（大于 0，最多三位小数）"},
    {"import.consignee", "收货单位“{value}”不存在：请填写单位编号或 18 位统一社会信用代码"},
    {"import.code", "“{value}”不是本平台的追溯码：请填写追溯码的网址、数字或码编号"},
    {"import.denied", "不能销售：{verdict}"},
    {"recall.already", "批次 {lot} 已被召回"},
    {"recall.code_already", "码 {code} 已在召回范围内"},
    {"recall.code_lot", "码 {code} 不属于批次 {lot}"},
    {"recall.proposal_lot", "召回建议 {proposal} 针对的是批次 {lot}"},
    {"recall.proposal_decided", "召回建议 {proposal} 已经处理过"},
    {"recall.already_acted", "召回 {recall}：本单位已经登记过处置情况"},
    {"recall.negative", "处置数量不能为负数"},
    {"recall.unbalanced",
     "召回 {recall}：封存、退回、销毁合计 {total} 克，与本单位持有的 {owed} 克（含在途）不符"},
    {"inspection.unit_and_vendor", "检查对象是已登记单位或未登记摊贩，二者只能选一"},
    {"finding.too_many", "一次检查最多登记 {max} 件无码商品"},
    {"finding.weight", "估计重量须在 1 克到一千吨之间"},
    {"finding.deadline", "整改期限须晚于检查时间，且在一年之内"},
    {"finding.not_yours", "只有登记问题 {finding} 的执法人员可以上传照片"},
    {"finding.photo_exists", "问题 {finding} 已有照片"},
    {"finding.closed", "问题 {finding} 已经复查过"},
    {"photo.too_large", "照片不能超过 {max} KiB"},
    {"photo.not_image", "照片不是 JPEG 或 PNG 图片"},
    {"photo.type_mismatch", "照片按 {sent} 上传，实际是 {is}"},
    {"photo.media_type", "照片须作为请求内容上传，Content-Type 为 image/jpeg 或 image/png"},
    {"role.forbidden", "{role}账户不能执行此操作"},
    {"not_found.record", "{what} {id} 不存在"},
    {"text.required", "请填写{field}"},
    {"text.too_long", "{field}超过 {max} 字节"},
    {"text.control", "{field}含有控制字符（{char}）"},
    {"text.hidden", "{field}含有不可见或改变书写方向的字符（{char}），请删除"},
    {"signin.wrong", "用户名或密码不正确"},
    {"signin.throttled", "登录失败次数过多，请 {minutes} 分钟后再试"},
    {"signin.name", "请填写用户名"},
    {"signin.password", "请填写密码（最多 128 字节）"},
    {"password.short", "密码至少需要 8 个字符"},
    {"password.long", "密码最多 128 字节"},
    {"password.control", "密码不能含有控制字符"},
    {"password.name_taken", "已有账户以“{name}”登录：登录名不能重复"},
    {"session.unknown", "会话不存在，请重新登录"},
    {"session.ended", "会话已退出，请重新登录"},
    {"session.expired", "会话已过期，请重新登录"},
    {"session.not_session", "此请求使用的是访问令牌而非登录会话：没有可退出的会话"},
    {"json.missing_field", "缺少字段“{field}”"},
    {"json.unknown_field", "不接受字段“{field}”"},
    {"json.wrong_type", "字段“{field}”的类型不对"},
    {"epcis.lot_and_period", "“lot”导出整个批次，不能同时给出“from”“to”或“unit”"},
};

// Chinese for the words a parameter may hold: field names, record kinds, roles.
const std::map<std::string_view, std::string_view, std::less<>> words_zh{
    {"the account's name", "账户名称"},
    {"the animal quarantine certificate number", "动物检疫合格证明编号"},
    {"the batch number", "生产批号"},
    {"the manufacturer", "生产企业"},
    {"the overseas plant registration number", "境外生产企业注册编号"},
    {"the certificate number", "证书编号"},
    {"the collector", "采样人"},
    {"the consignor", "货主"},
    {"the disinfectant", "消毒剂"},
    {"the laboratory", "检测机构"},
    {"the note", "备注"},
    {"the vendor's name", "摊贩名称"},
    {"the vendor's address", "地址"},
    {"the follow-up", "复查情况"},
    {"finding", "问题"},
    {"photo of finding", "问题照片"},
    {"the operator's name", "操作人"},
    {"the product name", "品名"},
    {"the quarantine certificate number", "检疫证明编号"},
    {"the reason", "原因"},
    {"the region", "地区"},
    {"the report number", "报告编号"},
    {"the unit's name", "单位名称"},
    {"the vehicle plate or container number", "车牌号或集装箱号"},
    {"the collection time", "采样时间"},
    {"the disinfection time", "消毒时间"},
    {"the report time", "报告时间"},
    {"account", "账户"},
    {"code", "码"},
    {"lot", "批次"},
    {"proposal", "召回建议"},
    {"recall", "召回"},
    {"sample", "样品"},
    {"unit", "单位"},
    {"session", "会话"},
    {"admin", "管理员"},
    {"warehouse", "监管仓"},
    {"operator", "经营单位"},
    {"inspector", "执法人员"},
};

// The Chinese sentence of each error code (the body's "code"), for an error without a
// detailed message.
const std::map<std::string_view, std::string_view, std::less<>> codes_zh{
    {"bad_digits", "码的数字无效"},
    {"bad_url", "这不是一个码的网址"},
    {"bad_cbor", "码的内容无效"},
    {"not_canonical", "码的编码不规范"},
    {"bad_cose", "码的签名结构无效"},
    {"bad_payload", "码的内容无效"},
    {"unsupported_version", "不支持此版本的码"},
    {"unknown_kid", "码的签名密钥未公布"},
    {"bad_signature", "码的签名不正确：可能是伪造的码"},
    {"crypto_failure", "加密运算失败"},
    {"bad_key", "密钥不可用"},
    {"io_failure", "文件读写失败"},
    {"too_large", "输入过长"},
    {"bad_credit_code", "统一社会信用代码无效"},
    {"bad_customs_number", "报关单号无效：应为 18 位数字"},
    {"bad_country", "国家代码无效"},
    {"bad_category", "品类无效"},
    {"bad_value", "有一个值无效或超出范围"},
    {"qr_failure", "二维码生成失败"},
    {"foreign_host", "码的网址不属于本平台：这是假冒标签"},
    {"malformed_json", "请求内容不是有效的 JSON"},
    {"not_an_object", "请求内容须为 JSON 对象"},
    {"unknown_field", "请求中有不接受的字段"},
    {"missing_field", "请求缺少必填字段"},
    {"wrong_type", "请求中有字段类型不对"},
    {"bad_target", "请求路径无效"},
    {"bad_request", "HTTP 请求格式错误"},
    {"not_found", "找不到该记录"},
    {"method_not_allowed", "此资源不支持该方法"},
    {"body_too_large", "请求内容过大"},
    {"header_too_large", "请求头过大"},
    {"unauthorized", "需要有效的访问令牌"},
    {"unauthenticated", "令牌无效或已被撤销"},
    {"forbidden", "无权执行此操作"},
    {"internal", "服务器内部错误"},
    {"duplicate_key", "请求的 JSON 对象中有重复的键"},
    {"unsupported_media_type", "请求内容须为 application/json"},
    {"too_many_requests", "请求过于频繁，请稍后再试"},
    {"invalid_input", "有字段缺失、格式错误或超出范围"},
    {"documents_missing", "进口食品须有报关单和检疫证明"},
    {"idempotency_key_reused", "此 Idempotency-Key 已用于另一个请求"},
    {"duplicate", "已经登记过"},
    {"not_released", "批次尚未放行"},
    {"already_released", "批次已经放行"},
    {"quarantined", "批次因阳性结果已被隔离"},
    {"recalled", "批次已被召回"},
    {"no_samples", "批次还没有样品"},
    {"results_pending", "有样品还没有检测结果"},
    {"no_disinfection", "批次入仓后还没有消毒记录"},
    {"pending_receipt", "码尚未收货"},
    {"already_received", "码已经收过货"},
    {"insufficient_quantity", "超出码的剩余数量"},
    {"too_many_splits", "一个码最多拆分 255 次"},
    {"too_deep", "码的拆分层级过深"},
    {"no_signing_key", "未配置签名密钥，无法赋码"},
    {"signing_failed", "码签名失败"},
    {"schema_too_new", "数据库由更新版本的 coldtrace 写入"},
    {"storage_failure", "数据库故障，未保存任何更改"},
    {"shutting_down", "服务正在停止，不再接受更改"},
};

std::string fill(std::string_view tmpl, const message_args& args) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    const auto close = tmpl[i] == '{' ? tmpl.find('}', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += tmpl[i];
      continue;
    }
    const auto name = tmpl.substr(i + 1, close - i - 1);
    for (const auto& [k, v] : args) {
      if (k != name) continue;
      if (const auto word = words_zh.find(v); word != words_zh.end()) {
        out += word->second;
      } else if (k == "category") {
        const auto c = codec::find_category(v);
        out += c ? std::string{c->name_zh} : v;
      } else {
        out += v;
      }
      break;
    }
    i = close;
  }
  return out;
}

}  // namespace

std::string localized_message(const error& e, std::string_view code, pages::lang l) {
  if (l == pages::lang::en) return e.message.empty() ? e.code.message() : e.message;
  if (auto d = details_zh.find(e.detail); d != details_zh.end()) return fill(d->second, e.args);
  if (auto c = codes_zh.find(code); c != codes_zh.end()) return std::string{c->second};
  return "请求未能完成";
}

bool has_message(std::string_view detail) {
  return details_zh.contains(detail);
}

}  // namespace coldtrace::server
