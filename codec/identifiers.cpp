#include "codec/identifiers.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace coldtrace::codec {
namespace {

// The code's own words, or a plain description when echoing it could mislead (control
// characters, bytes that are not text) or flood a message.
std::string describe(std::string_view what, std::string_view value) {
  const bool printable = value.size() <= 40 && std::all_of(value.begin(), value.end(), [](char c) {
                           return c >= 0x20 && c < 0x7f;
                         });
  if (printable && !value.empty()) return std::string(what) + " " + std::string(value);
  return "the " + std::string(what);
}

std::string position(std::size_t i) {
  return "position " + std::to_string(i + 1);
}

// GB 32100-2015: the 31 characters a credit code uses, in the order of their values
// (I, O, S, V and Z are not used).
constexpr std::string_view credit_alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// Weight of position i is 3^i mod 31.
constexpr std::array<int, 17> credit_weights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};

}  // namespace

// GB 32100-2015: 17 characters (registration authority, kind of entity, administrative
// division, GB 11714 organization code) then a check character over them, mod 31.
// Only the alphabet and the check character are checked: the authority and kind codes have
// grown by later notices, and a stale list would reject real units.
result<void> check_credit_code(std::string_view code) {
  const std::string name = describe("credit code", code);
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (static_cast<unsigned char>(code[i]) >= 0x80)
      return fail(errc::bad_credit_code,
                  name + " contains a character that is not a half-width letter or digit at " +
                      position(i) + "; type it with capital letters A-Z and digits 0-9");
  }
  if (code.size() != 18)
    return fail(errc::bad_credit_code,
                name + ": a credit code has 18 characters; got " + std::to_string(code.size()));

  int sum = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c >= 'a' && c <= 'z')
      return fail(errc::bad_credit_code, name + ": use capital letters ('" + std::string(1, c) +
                                             "' at " + position(i) + ")");
    const auto value = credit_alphabet.find(c);
    if (value == std::string_view::npos) {
      if (c == 'I' || c == 'O' || c == 'S' || c == 'V' || c == 'Z')
        return fail(errc::bad_credit_code,
                    name + ": '" + std::string(1, c) + "' at " + position(i) +
                        " is never used in credit codes (I, O, S, V and Z are left out)");
      return fail(errc::bad_credit_code, name + ": the character at " + position(i) +
                                             " is not a digit or a capital letter");
    }
    if (i < credit_weights.size()) sum += static_cast<int>(value) * credit_weights[i];
  }
  const char expected = credit_alphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
  if (code[17] != expected)
    return fail(errc::bad_credit_code, name + ": check character should be " +
                                           std::string(1, expected) + ", not " +
                                           std::string(1, code[17]));
  return {};
}

// 18 digits: customs office (4), year (4), import/export flag (1), serial number (9).
result<void> check_customs_number(std::string_view number) {
  const std::string name = describe("customs declaration number", number);
  for (std::size_t i = 0; i < number.size(); ++i) {
    if (number[i] < '0' || number[i] > '9')
      return fail(errc::bad_customs_number, name + ": only digits are allowed; the character at " +
                                                position(i) + " is not one");
  }
  if (number.size() != 18)
    return fail(errc::bad_customs_number, "customs declaration number must be 18 digits; got " +
                                              std::to_string(number.size()));
  return {};
}

namespace {

// ISO 3166-1 (numeric, alpha-2 and English short name as in Debian's iso-codes 4.15), with
// the Chinese short names of GB/T 2659 and the Ministry of Foreign Affairs.
constexpr country countries[] = {
    {20, "AD", "Andorra", "安道尔"},
    {784, "AE", "United Arab Emirates", "阿联酋"},
    {4, "AF", "Afghanistan", "阿富汗"},
    {28, "AG", "Antigua and Barbuda", "安提瓜和巴布达"},
    {660, "AI", "Anguilla", "安圭拉"},
    {8, "AL", "Albania", "阿尔巴尼亚"},
    {51, "AM", "Armenia", "亚美尼亚"},
    {24, "AO", "Angola", "安哥拉"},
    {10, "AQ", "Antarctica", "南极洲"},
    {32, "AR", "Argentina", "阿根廷"},
    {16, "AS", "American Samoa", "美属萨摩亚"},
    {40, "AT", "Austria", "奥地利"},
    {36, "AU", "Australia", "澳大利亚"},
    {533, "AW", "Aruba", "阿鲁巴"},
    {248, "AX", "Åland Islands", "奥兰群岛"},
    {31, "AZ", "Azerbaijan", "阿塞拜疆"},
    {70, "BA", "Bosnia and Herzegovina", "波黑"},
    {52, "BB", "Barbados", "巴巴多斯"},
    {50, "BD", "Bangladesh", "孟加拉国"},
    {56, "BE", "Belgium", "比利时"},
    {854, "BF", "Burkina Faso", "布基纳法索"},
    {100, "BG", "Bulgaria", "保加利亚"},
    {48, "BH", "Bahrain", "巴林"},
    {108, "BI", "Burundi", "布隆迪"},
    {204, "BJ", "Benin", "贝宁"},
    {652, "BL", "Saint Barthélemy", "圣巴泰勒米"},
    {60, "BM", "Bermuda", "百慕大"},
    {96, "BN", "Brunei Darussalam", "文莱"},
    {68, "BO", "Bolivia, Plurinational State of", "玻利维亚"},
    {535, "BQ", "Bonaire, Sint Eustatius and Saba", "荷兰加勒比区"},
    {76, "BR", "Brazil", "巴西"},
    {44, "BS", "Bahamas", "巴哈马"},
    {64, "BT", "Bhutan", "不丹"},
    {74, "BV", "Bouvet Island", "布韦岛"},
    {72, "BW", "Botswana", "博茨瓦纳"},
    {112, "BY", "Belarus", "白俄罗斯"},
    {84, "BZ", "Belize", "伯利兹"},
    {124, "CA", "Canada", "加拿大"},
    {166, "CC", "Cocos (Keeling) Islands", "科科斯（基林）群岛"},
    {180, "CD", "Congo, The Democratic Republic of the", "刚果（金）"},
    {140, "CF", "Central African Republic", "中非"},
    {178, "CG", "Congo", "刚果（布）"},
    {756, "CH", "Switzerland", "瑞士"},
    {384, "CI", "Côte d'Ivoire", "科特迪瓦"},
    {184, "CK", "Cook Islands", "库克群岛"},
    {152, "CL", "Chile", "智利"},
    {120, "CM", "Cameroon", "喀麦隆"},
    {156, "CN", "China", "中国"},
    {170, "CO", "Colombia", "哥伦比亚"},
    {188, "CR", "Costa Rica", "哥斯达黎加"},
    {192, "CU", "Cuba", "古巴"},
    {132, "CV", "Cabo Verde", "佛得角"},
    {531, "CW", "Curaçao", "库拉索"},
    {162, "CX", "Christmas Island", "圣诞岛"},
    {196, "CY", "Cyprus", "塞浦路斯"},
    {203, "CZ", "Czechia", "捷克"},
    {276, "DE", "Germany", "德国"},
    {262, "DJ", "Djibouti", "吉布提"},
    {208, "DK", "Denmark", "丹麦"},
    {212, "DM", "Dominica", "多米尼克"},
    {214, "DO", "Dominican Republic", "多米尼加"},
    {12, "DZ", "Algeria", "阿尔及利亚"},
    {218, "EC", "Ecuador", "厄瓜多尔"},
    {233, "EE", "Estonia", "爱沙尼亚"},
    {818, "EG", "Egypt", "埃及"},
    {732, "EH", "Western Sahara", "西撒哈拉"},
    {232, "ER", "Eritrea", "厄立特里亚"},
    {724, "ES", "Spain", "西班牙"},
    {231, "ET", "Ethiopia", "埃塞俄比亚"},
    {246, "FI", "Finland", "芬兰"},
    {242, "FJ", "Fiji", "斐济"},
    {238, "FK", "Falkland Islands (Malvinas)", "马尔维纳斯群岛（福克兰）"},
    {583, "FM", "Micronesia, Federated States of", "密克罗尼西亚联邦"},
    {234, "FO", "Faroe Islands", "法罗群岛"},
    {250, "FR", "France", "法国"},
    {266, "GA", "Gabon", "加蓬"},
    {826, "GB", "United Kingdom", "英国"},
    {308, "GD", "Grenada", "格林纳达"},
    {268, "GE", "Georgia", "格鲁吉亚"},
    {254, "GF", "French Guiana", "法属圭亚那"},
    {831, "GG", "Guernsey", "根西"},
    {288, "GH", "Ghana", "加纳"},
    {292, "GI", "Gibraltar", "直布罗陀"},
    {304, "GL", "Greenland", "格陵兰"},
    {270, "GM", "Gambia", "冈比亚"},
    {324, "GN", "Guinea", "几内亚"},
    {312, "GP", "Guadeloupe", "瓜德罗普"},
    {226, "GQ", "Equatorial Guinea", "赤道几内亚"},
    {300, "GR", "Greece", "希腊"},
    {239, "GS", "South Georgia and the South Sandwich Islands", "南乔治亚岛和南桑威奇群岛"},
    {320, "GT", "Guatemala", "危地马拉"},
    {316, "GU", "Guam", "关岛"},
    {624, "GW", "Guinea-Bissau", "几内亚比绍"},
    {328, "GY", "Guyana", "圭亚那"},
    {344, "HK", "Hong Kong", "中国香港"},
    {334, "HM", "Heard Island and McDonald Islands", "赫德岛和麦克唐纳群岛"},
    {340, "HN", "Honduras", "洪都拉斯"},
    {191, "HR", "Croatia", "克罗地亚"},
    {332, "HT", "Haiti", "海地"},
    {348, "HU", "Hungary", "匈牙利"},
    {360, "ID", "Indonesia", "印度尼西亚"},
    {372, "IE", "Ireland", "爱尔兰"},
    {376, "IL", "Israel", "以色列"},
    {833, "IM", "Isle of Man", "马恩岛"},
    {356, "IN", "India", "印度"},
    {86, "IO", "British Indian Ocean Territory", "英属印度洋领地"},
    {368, "IQ", "Iraq", "伊拉克"},
    {364, "IR", "Iran, Islamic Republic of", "伊朗"},
    {352, "IS", "Iceland", "冰岛"},
    {380, "IT", "Italy", "意大利"},
    {832, "JE", "Jersey", "泽西"},
    {388, "JM", "Jamaica", "牙买加"},
    {400, "JO", "Jordan", "约旦"},
    {392, "JP", "Japan", "日本"},
    {404, "KE", "Kenya", "肯尼亚"},
    {417, "KG", "Kyrgyzstan", "吉尔吉斯斯坦"},
    {116, "KH", "Cambodia", "柬埔寨"},
    {296, "KI", "Kiribati", "基里巴斯"},
    {174, "KM", "Comoros", "科摩罗"},
    {659, "KN", "Saint Kitts and Nevis", "圣基茨和尼维斯"},
    {408, "KP", "Korea, Democratic People's Republic of", "朝鲜"},
    {410, "KR", "Korea, Republic of", "韩国"},
    {414, "KW", "Kuwait", "科威特"},
    {136, "KY", "Cayman Islands", "开曼群岛"},
    {398, "KZ", "Kazakhstan", "哈萨克斯坦"},
    {418, "LA", "Lao People's Democratic Republic", "老挝"},
    {422, "LB", "Lebanon", "黎巴嫩"},
    {662, "LC", "Saint Lucia", "圣卢西亚"},
    {438, "LI", "Liechtenstein", "列支敦士登"},
    {144, "LK", "Sri Lanka", "斯里兰卡"},
    {430, "LR", "Liberia", "利比里亚"},
    {426, "LS", "Lesotho", "莱索托"},
    {440, "LT", "Lithuania", "立陶宛"},
    {442, "LU", "Luxembourg", "卢森堡"},
    {428, "LV", "Latvia", "拉脱维亚"},
    {434, "LY", "Libya", "利比亚"},
    {504, "MA", "Morocco", "摩洛哥"},
    {492, "MC", "Monaco", "摩纳哥"},
    {498, "MD", "Moldova, Republic of", "摩尔多瓦"},
    {499, "ME", "Montenegro", "黑山"},
    {663, "MF", "Saint Martin (French part)", "法属圣马丁"},
    {450, "MG", "Madagascar", "马达加斯加"},
    {584, "MH", "Marshall Islands", "马绍尔群岛"},
    {807, "MK", "North Macedonia", "北马其顿"},
    {466, "ML", "Mali", "马里"},
    {104, "MM", "Myanmar", "缅甸"},
    {496, "MN", "Mongolia", "蒙古"},
    {446, "MO", "Macao", "中国澳门"},
    {580, "MP", "Northern Mariana Islands", "北马里亚纳群岛"},
    {474, "MQ", "Martinique", "马提尼克"},
    {478, "MR", "Mauritania", "毛里塔尼亚"},
    {500, "MS", "Montserrat", "蒙特塞拉特"},
    {470, "MT", "Malta", "马耳他"},
    {480, "MU", "Mauritius", "毛里求斯"},
    {462, "MV", "Maldives", "马尔代夫"},
    {454, "MW", "Malawi", "马拉维"},
    {484, "MX", "Mexico", "墨西哥"},
    {458, "MY", "Malaysia", "马来西亚"},
    {508, "MZ", "Mozambique", "莫桑比克"},
    {516, "NA", "Namibia", "纳米比亚"},
    {540, "NC", "New Caledonia", "新喀里多尼亚"},
    {562, "NE", "Niger", "尼日尔"},
    {574, "NF", "Norfolk Island", "诺福克岛"},
    {566, "NG", "Nigeria", "尼日利亚"},
    {558, "NI", "Nicaragua", "尼加拉瓜"},
    {528, "NL", "Netherlands", "荷兰"},
    {578, "NO", "Norway", "挪威"},
    {524, "NP", "Nepal", "尼泊尔"},
    {520, "NR", "Nauru", "瑙鲁"},
    {570, "NU", "Niue", "纽埃"},
    {554, "NZ", "New Zealand", "新西兰"},
    {512, "OM", "Oman", "阿曼"},
    {591, "PA", "Panama", "巴拿马"},
    {604, "PE", "Peru", "秘鲁"},
    {258, "PF", "French Polynesia", "法属波利尼西亚"},
    {598, "PG", "Papua New Guinea", "巴布亚新几内亚"},
    {608, "PH", "Philippines", "菲律宾"},
    {586, "PK", "Pakistan", "巴基斯坦"},
    {616, "PL", "Poland", "波兰"},
    {666, "PM", "Saint Pierre and Miquelon", "圣皮埃尔和密克隆"},
    {612, "PN", "Pitcairn", "皮特凯恩"},
    {630, "PR", "Puerto Rico", "波多黎各"},
    {275, "PS", "Palestine, State of", "巴勒斯坦"},
    {620, "PT", "Portugal", "葡萄牙"},
    {585, "PW", "Palau", "帕劳"},
    {600, "PY", "Paraguay", "巴拉圭"},
    {634, "QA", "Qatar", "卡塔尔"},
    {638, "RE", "Réunion", "留尼汪"},
    {642, "RO", "Romania", "罗马尼亚"},
    {688, "RS", "Serbia", "塞尔维亚"},
    {643, "RU", "Russian Federation", "俄罗斯"},
    {646, "RW", "Rwanda", "卢旺达"},
    {682, "SA", "Saudi Arabia", "沙特阿拉伯"},
    {90, "SB", "Solomon Islands", "所罗门群岛"},
    {690, "SC", "Seychelles", "塞舌尔"},
    {729, "SD", "Sudan", "苏丹"},
    {752, "SE", "Sweden", "瑞典"},
    {702, "SG", "Singapore", "新加坡"},
    {654, "SH", "Saint Helena, Ascension and Tristan da Cunha",
     "圣赫勒拿、阿森松和特里斯坦-达库尼亚"},
    {705, "SI", "Slovenia", "斯洛文尼亚"},
    {744, "SJ", "Svalbard and Jan Mayen", "斯瓦尔巴和扬马延"},
    {703, "SK", "Slovakia", "斯洛伐克"},
    {694, "SL", "Sierra Leone", "塞拉利昂"},
    {674, "SM", "San Marino", "圣马力诺"},
    {686, "SN", "Senegal", "塞内加尔"},
    {706, "SO", "Somalia", "索马里"},
    {740, "SR", "Suriname", "苏里南"},
    {728, "SS", "South Sudan", "南苏丹"},
    {678, "ST", "Sao Tome and Principe", "圣多美和普林西比"},
    {222, "SV", "El Salvador", "萨尔瓦多"},
    {534, "SX", "Sint Maarten (Dutch part)", "荷属圣马丁"},
    {760, "SY", "Syrian Arab Republic", "叙利亚"},
    {748, "SZ", "Eswatini", "斯威士兰"},
    {796, "TC", "Turks and Caicos Islands", "特克斯和凯科斯群岛"},
    {148, "TD", "Chad", "乍得"},
    {260, "TF", "French Southern Territories", "法属南部领地"},
    {768, "TG", "Togo", "多哥"},
    {764, "TH", "Thailand", "泰国"},
    {762, "TJ", "Tajikistan", "塔吉克斯坦"},
    {772, "TK", "Tokelau", "托克劳"},
    {626, "TL", "Timor-Leste", "东帝汶"},
    {795, "TM", "Turkmenistan", "土库曼斯坦"},
    {788, "TN", "Tunisia", "突尼斯"},
    {776, "TO", "Tonga", "汤加"},
    {792, "TR", "Türkiye", "土耳其"},
    {780, "TT", "Trinidad and Tobago", "特立尼达和多巴哥"},
    {798, "TV", "Tuvalu", "图瓦卢"},
    {158, "TW", "Taiwan, Province of China", "中国台湾"},
    {834, "TZ", "Tanzania, United Republic of", "坦桑尼亚"},
    {804, "UA", "Ukraine", "乌克兰"},
    {800, "UG", "Uganda", "乌干达"},
    {581, "UM", "United States Minor Outlying Islands", "美国本土外小岛屿"},
    {840, "US", "United States", "美国"},
    {858, "UY", "Uruguay", "乌拉圭"},
    {860, "UZ", "Uzbekistan", "乌兹别克斯坦"},
    {336, "VA", "Holy See (Vatican City State)", "梵蒂冈"},
    {670, "VC", "Saint Vincent and the Grenadines", "圣文森特和格林纳丁斯"},
    {862, "VE", "Venezuela, Bolivarian Republic of", "委内瑞拉"},
    {92, "VG", "Virgin Islands, British", "英属维尔京群岛"},
    {850, "VI", "Virgin Islands, U.S.", "美属维尔京群岛"},
    {704, "VN", "Viet Nam", "越南"},
    {548, "VU", "Vanuatu", "瓦努阿图"},
    {876, "WF", "Wallis and Futuna", "瓦利斯和富图纳"},
    {882, "WS", "Samoa", "萨摩亚"},
    {887, "YE", "Yemen", "也门"},
    {175, "YT", "Mayotte", "马约特"},
    {710, "ZA", "South Africa", "南非"},
    {894, "ZM", "Zambia", "赞比亚"},
    {716, "ZW", "Zimbabwe", "津巴布韦"},
};
static_assert(std::size(countries) == 249);

constexpr category_info category_table[] = {
    {1, "imported_fruit", "进口水果", "Imported fruit", true},
    {2, "imported_ambient", "进口常温食品", "Imported ambient-temperature food", true},
    {3, "domestic_frozen", "国产冷冻肉类、禽类及水产品",
     "Domestic frozen meat, poultry and aquatic products", false},
};

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string category_names() {
  std::string names;
  for (const auto& c : category_table) names += (names.empty() ? "" : ", ") + std::string(c.name);
  return names;
}

}  // namespace

result<country> find_country(std::string_view alpha2) {
  const bool letters = alpha2.size() == 2 && std::all_of(alpha2.begin(), alpha2.end(), [](char c) {
                         return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                       });
  if (!letters)
    return fail(errc::bad_country, describe("country code", alpha2) +
                                       ": a country is given by its two-letter ISO 3166-1 "
                                       "code, such as CN or CL");
  const std::string key{upper(alpha2[0]), upper(alpha2[1])};
  for (const auto& c : countries)
    if (c.alpha2 == key) return c;
  return fail(errc::bad_country, "no country has the ISO 3166-1 code " + key);
}

std::span<const country> all_countries() {
  return countries;
}

result<country> find_country(std::uint16_t numeric) {
  for (const auto& c : countries)
    if (c.numeric == numeric) return c;
  return fail(errc::bad_country,
              "no country has the ISO 3166-1 numeric code " + std::to_string(numeric));
}

std::span<const category_info> categories() {
  return category_table;
}

result<category_info> find_category(std::string_view name) {
  for (const auto& c : category_table)
    if (c.name == name) return c;
  return fail(errc::bad_category, describe("food category", name) +
                                      " is not known; the categories are " + category_names());
}

result<category_info> find_category(std::uint8_t id) {
  for (const auto& c : category_table)
    if (c.id == id) return c;
  return fail(errc::bad_category, "no food category has the number " + std::to_string(id) +
                                      "; the categories are " + category_names());
}

}  // namespace coldtrace::codec
