// What each page must say, written out here rather than read from the code under test.
export const verdicts = {
  valid: {
    zh: ['有效', '有效：此码经平台核验，可以销售。'],
    en: ['Valid', 'Valid: this code is verified by the platform; the goods may be sold.'],
  },
  recalled: {
    zh: ['已召回', '已召回：此批次已召回，请勿销售。'],
    en: ['Recalled', 'Recalled: this lot has been recalled — do not sell.'],
  },
  not_released: {
    zh: ['未放行', '未放行：此批次尚未通过监管仓检测放行，禁止销售。'],
    en: ['Not released', 'Not released: this lot has not passed the supervision warehouse yet — do not sell.'],
  },
  forged: {
    zh: ['伪造', '伪造：此码签名无效，可能为伪造，请勿销售并报告监管部门。'],
    en: ['Forged', "Forged: this code's signature is not valid — do not sell, and report it."],
  },
  pending_receipt: {
    zh: ['待收货', '待收货：收货单位尚未扫码确认收货。'],
    en: ['Pending receipt', 'Pending receipt: the receiving unit has not yet confirmed receipt.'],
  },
  wrong_holder: {
    zh: ['持码单位不符', '持码单位不符：此码不属于本单位，请核查货源。'],
    en: ['Wrong holder', 'Wrong holder: this code does not belong to this unit — check where the goods came from.'],
  },
};

// The digits of a code URL.
export const digits_of = (url) => url.slice(url.toLowerCase().indexOf('/c/') + 3);

// A copy with its last digit changed: still the right width, but no longer our signature.
export function forge(url) {
  const last = Number(url.at(-1));
  return url.slice(0, -1) + String((last + 1) % 10);
}
