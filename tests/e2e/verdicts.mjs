// What each page must say, written out here rather than read from the code under test.
// [title, the trade sentence (scanner, API, CLI), the buyer's sentence (/c/)].
export const verdicts = {
  valid: {
    zh: ['有效', '有效：此码经平台核验，可以销售。', '有效：此码经平台核验为真，此批次已检测放行，可以购买。'],
    en: ['Valid', 'Valid: this code is verified by the platform; the goods may be sold.',
      'Valid: the platform verified this code, and the lot was tested and released; you may buy it.'],
  },
  recalled: {
    zh: ['已召回', '已召回：此批次已召回，不得销售。', '已召回：此批次已召回。请勿购买；已经买了的，请停止食用。'],
    en: ['Recalled', 'Recalled: this lot has been recalled; it may not be sold.',
      'Recalled: this lot has been recalled. Do not buy it; if you have bought it, stop eating it.'],
  },
  not_released: {
    zh: ['未放行', '未放行：此批次尚未通过监管仓检测放行，不得销售。', '未放行：此批次尚未检测放行，不应出售。请勿购买。'],
    en: ['Not released', 'Not released: this lot has not passed the supervision warehouse yet; it may not be sold.',
      'Not released: this lot has not been tested and released yet, so it should not be on sale. Do not buy it.'],
  },
  forged: {
    zh: ['疑似伪造', '疑似伪造：此码签名无效，不得销售，请报告监管部门。', '疑似伪造：此码签名无效，可能是伪造的标签。请勿购买。'],
    en: ['Suspected forgery', "Suspected forgery: this code's signature is not valid; the goods may not be sold — report it.",
      "Suspected forgery: this code's signature is not valid; the label may be forged. Do not buy the goods."],
  },
  pending_receipt: {
    zh: ['待收货', '待收货：收货单位尚未扫码确认收货，确认收货前不得销售。', '待收货：商家尚未确认收到此货品，确认收货前不得出售。暂勿购买。'],
    en: ['Pending receipt', 'Pending receipt: the receiving unit has not yet confirmed receipt; the goods may not be sold until it does.',
      'Pending receipt: the shop has not yet confirmed receiving these goods, and may not sell them until it does. Do not buy them yet.'],
  },
  wrong_holder: {
    zh: ['持码单位不符', '持码单位不符：此码不属于本单位，不得销售，请核查货源。', '持码单位不符：此码不属于出示它的商家。请勿购买。'],
    en: ['Wrong holder', 'Wrong holder: this code does not belong to this unit; the goods may not be sold under it — check where they came from.',
      'Wrong holder: this code does not belong to the shop showing it. Do not buy the goods.'],
  },
};

// The digits of a code URL.
export const digits_of = (url) => url.slice(url.toLowerCase().indexOf('/c/') + 3);

// A copy with its last digit changed: still the right width, but no longer our signature.
export function forge(url) {
  const last = Number(url.at(-1));
  return url.slice(0, -1) + String((last + 1) % 10);
}
