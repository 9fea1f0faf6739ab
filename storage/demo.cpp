#include "storage/demo.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <stdexcept>

namespace coldtrace::storage {

std::string with_check_character(std::string_view first17) {
  static constexpr std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr std::array<int, 17> weights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                  29, 25, 13, 8,  24, 10, 30, 28};
  int sum = 0;
  for (std::size_t i = 0; i < weights.size() && i < first17.size(); ++i) {
    const auto v = alphabet.find(first17[i]);
    sum += static_cast<int>(v == std::string_view::npos ? 0 : v) * weights[i];
  }
  return std::string{first17} + alphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

namespace {

struct lot_spec {
  const char* product;
  const char* category;
  const char* origin;
  std::int64_t kg;
  std::int64_t packages;
  const char* consignor;
  int day;  // of intake, from the start
};

// Imports at the Pudong warehouse, domestic frozen food at the Minhang one.
constexpr std::array<lot_spec, 12> lots{{
    {"智利车厘子 JJ级 5kg/箱", "imported_fruit", "CL", 6000, 1200, "上海鲜丰进出口有限公司", 1},
    {"泰国金枕榴莲", "imported_fruit", "TH", 8000, 800, "上海百果园进出口有限公司", 2},
    {"意大利特级初榨橄榄油 1L×12", "imported_ambient", "IT", 2000, 170, "上海欧食汇贸易有限公司",
     3},
    {"冷冻猪后腿肉", "domestic_frozen", "CN", 10000, 500, "河南双汇冷鲜肉类有限公司", 2},
    {"越南红心火龙果", "imported_fruit", "VN", 5000, 1000, "上海鲜丰进出口有限公司", 4},
    {"冷冻舟山带鱼", "domestic_frozen", "CN", 6000, 600, "浙江舟山远洋渔业有限公司", 5},
    {"新西兰佳沛阳光金果", "imported_fruit", "NZ", 3000, 900, "上海佳农食品有限公司", 6},
    {"澳大利亚燕麦片 1kg×10", "imported_ambient", "AU", 4000, 400, "上海欧食汇贸易有限公司", 8},
    {"冷冻白羽鸡翅中", "domestic_frozen", "CN", 5000, 500, "山东凤祥股份有限公司", 9},
    {"西班牙橄榄罐头", "imported_ambient", "ES", 1500, 300, "上海欧食汇贸易有限公司", 10},
    {"秘鲁哈斯牛油果", "imported_fruit", "PE", 2500, 625, "上海佳农食品有限公司", 12},
    {"南非脐橙", "imported_fruit", "ZA", 4000, 500, "上海百果园进出口有限公司", 27},
}};
constexpr std::size_t recalled_lot_index = 5;  // the ribbonfish: positive on a re-test
constexpr std::size_t held_lot_index = 11;     // still waiting for its results

// Every action is planned at its time and the plan is then run in time order, so that the
// audit chain reads like the month it records. Each action's time is after the actions whose
// results it uses (a sale after the receipt of its code), so running in time order works.
class demo {
 public:
  demo(ledger& l, time_point start) : l_(l), start_(start) {}

  demo_summary run() {
    cast();
    for (std::size_t i = 0; i < lots.size(); ++i) plan_lot(i, lots[i]);
    plan_recall();
    plan_inspections();
    std::stable_sort(plan_.begin(), plan_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [when, action] : plan_) action();
    summary_.sample_codes = {valid_code_, held_code_, recalled_code_};
    return summary_;
  }

 private:
  struct lot_state {
    lot_id lot = 0;
    code_record root, to_wholesaler, to_producer;
    std::vector<sample_id> samples;
    std::array<code_record, 3> at_shops;
    code_record at_caterer;
  };

  template <class T>
  T get(result<T> r, std::string_view step) {
    if (!r) throw std::runtime_error("demo: " + std::string{step} + ": " + r.error().message);
    return std::move(*r);
  }

  time_point when(int day, int hour, int minute = 0) const {
    return start_ + std::chrono::days{day} + std::chrono::hours{hour} +
           std::chrono::minutes{minute};
  }
  void plan(time_point t, std::function<void()> action) {
    plan_.emplace_back(t, std::move(action));
  }

  actor unit_with_account(const char* first17, const char* name, unit_kind kind, account_role role,
                          const char* person) {
    const context me{actor::local_admin(), when(0, 8, ++minute_)};
    auto u = get(l_.register_unit(me, {with_check_character(first17), name, kind, "上海市"}), name);
    auto t = get(l_.create_account(me, {u.id, role, person}), person);
    if (role == account_role::admin) summary_.admin_token = t.token;
    ++summary_.units;
    return actor{t.account.id, u.id, role};
  }

  void cast() {
    using k = unit_kind;
    using r = account_role;
    admin_ = unit_with_account("11310000MB2C12345", "上海市市场监督管理局", k::regulator, r::admin,
                               "王建国");
    auto inspector = get(l_.create_account({actor::local_admin(), when(0, 8, ++minute_)},
                                           {admin_.unit, r::inspector, "李敏"}),
                         "inspector");
    inspector_ = {inspector.account.id, admin_.unit, r::inspector};
    import_wh_ = unit_with_account("91310115MA1H3K8W5", "上海浦东进口冷链食品集中监管仓",
                                   k::warehouse, r::warehouse, "张伟");
    domestic_wh_ = unit_with_account("91310112MA1G7N2P5", "上海闵行冷链食品集中监管仓",
                                     k::warehouse, r::warehouse, "赵磊");
    producer_ = unit_with_account("91310117MA1J5R6T5", "上海思念速冻食品加工有限公司", k::producer,
                                  r::unit_operator, "孙涛");
    wholesalers_ = {unit_with_account("91310114MA1K2L4Q5", "上海江桥果品批发市场经营管理有限公司",
                                      k::seller, r::unit_operator, "陈芳"),
                    unit_with_account("91310104MA1E9D3X5", "上海西郊国际农产品交易中心有限公司",
                                      k::seller, r::unit_operator, "吴强")};
    shops_ = {unit_with_account("92310104MA1F6H7Y5", "徐汇区天平路生鲜超市", k::seller,
                                r::unit_operator, "刘洋"),
              unit_with_account("92310106MA1B8C2M5", "静安区大统路菜市场3号摊位", k::seller,
                                r::unit_operator, "黄丽"),
              unit_with_account("91310110MA1D4F5G5", "杨浦区五角场盒马鲜生", k::seller,
                                r::unit_operator, "郑凯")};
    caterers_ = {unit_with_account("12310000MB0A1B2C5", "上海市第一中学食堂", k::caterer,
                                   r::unit_operator, "周静"),
                 unit_with_account("91310101MA1A3E4R5", "黄浦区老正兴菜馆", k::caterer,
                                   r::unit_operator, "钱进")};
  }

  void plan_lot(std::size_t index, const lot_spec& s) {
    const bool domestic = std::string_view{s.category} == "domestic_frozen";
    const actor wh = domestic ? domestic_wh_ : import_wh_;
    const int d = s.day;
    auto* st = states_.emplace_back(std::make_unique<lot_state>()).get();
    intake_request r{
        s.product,   s.category, s.origin,
        s.kg * 1000, s.packages, s.consignor,
        "",          "",         domestic ? "沪B·7F261" : "MSKU" + std::to_string(7340211 + index)};
    if (!domestic) {
      r.customs_number = "2201" + std::to_string(20240000000000 + 1000 * (index + 1) + index);
      r.quarantine_certificate = "3100002024" + std::to_string(10000 + index);
    }
    plan(when(d, 8), [=, this] {
      auto in = get(l_.intake({wh, when(d, 8)}, r), "intake");
      st->lot = in.lot.id;
      st->root = in.code;
      ++summary_.lots;
      ++summary_.codes;
      if (index == held_lot_index) held_code_ = in.code.id;  // scans as not_released
    });
    std::vector<sample_type> types{sample_type::outer_packaging, sample_type::food_surface};
    if (domestic) types.push_back(sample_type::environment);
    plan(when(d, 10), [=, this] {
      for (auto t : types)
        st->samples.push_back(
            get(l_.add_sample({wh, when(d, 10)}, {st->lot, t, when(d, 9), "采样员 何军"}), "sample")
                .id);
    });
    if (index == held_lot_index) return;  // still waiting for its results
    plan(when(d, 11), [=, this] {
      get(l_.record_disinfection({wh, when(d, 11)},
                                 {st->lot, "过氧乙酸 0.5%", when(d, 11), "消杀员 马超",
                                  "XS-2024-" + std::to_string(st->lot)}),
          "disinfection");
    });
    plan(when(d + 1, 9), [=, this] {
      for (std::size_t i = 0; i < st->samples.size(); ++i)
        get(l_.record_result({wh, when(d + 1, 9)},
                             {st->samples[i], test_outcome::negative, "上海市疾病预防控制中心",
                              "SHCDC-" + std::to_string(st->lot * 100 + static_cast<lot_id>(i)),
                              when(d + 1, 8)}),
            "result");
    });
    plan(when(d + 1, 10), [=, this] {
      get(l_.release({wh, when(d + 1, 10)}, st->lot), "release");
    });

    // Warehouse -> a wholesaler (and a processor, for domestic meat) -> shops and canteens.
    const std::int64_t grams = s.kg * 1000;
    const actor wholesaler = wholesalers_[index % 2];
    const actor caterer = caterers_[index % 2];
    plan_hand_over(when(d + 1, 14), &st->root, wh, wholesaler, grams * 6 / 10, &st->to_wholesaler);
    if (domestic)
      plan_hand_over(when(d + 1, 15), &st->root, wh, producer_, grams * 2 / 10, &st->to_producer);
    for (std::size_t i = 0; i < shops_.size(); ++i) {
      const actor shop = shops_[i];
      const int minute = static_cast<int>(i) * 10;
      plan_hand_over(when(d + 2, 9, minute), &st->to_wholesaler, wholesaler, shop, grams / 20,
                     &st->at_shops[i]);
      if (index == 0)
        plan(when(d + 2, 12), [=, this] {
          if (i == 0) valid_code_ = st->at_shops[i].id;
          if (i == 1) shop2_code_ = st->at_shops[i];
        });
      for (int k = 0; k < 3; ++k) {
        const auto g = grams / 200 + static_cast<std::int64_t>(k) * 1000;
        plan(when(d + 2 + k, 16, minute), [=, this] {
          sell(shop, st->at_shops[i], g, when(d + 2 + k, 16, minute));
          // Shoppers scan the code at the counter (亮码), counted for the statistics.
          for (int n = 0; n <= k; ++n) {
            const auto v = get(l_.verify(st->at_shops[i].signed_code), "scan");
            l_.count_scan(when(d + 2 + k, 16, minute), scan_kind::consumer, v.verdict,
                          st->at_shops[i].id);
          }
        });
      }
    }
    plan_hand_over(when(d + 2, 9, 40), &st->to_wholesaler, wholesaler, caterer, grams / 50,
                   &st->at_caterer);
    plan(when(d + 3, 11),
         [=, this] { sell(caterer, st->at_caterer, grams / 100, when(d + 3, 11)); });
    if (index == recalled_lot_index) recalled_ = st;
  }

  // Dispatch at `t` from the code `*from` will hold by then; received two hours later into `*out`.
  void plan_hand_over(time_point t, const code_record* from, actor by, actor to, std::int64_t g,
                      code_record* out) {
    plan(t, [=, this] {
      *out = get(l_.dispatch({by, t}, {from->id, to.unit, g}), "dispatch");
      ++summary_.codes;
    });
    plan(t + std::chrono::hours{2}, [=, this] {
      *out = get(l_.receive({to, t + std::chrono::hours{2}}, out->id), "receive");
    });
  }

  void sell(const actor& unit, const code_record& code, std::int64_t g, time_point t) {
    auto r = get(l_.sale_check({unit, t}, {code.signed_code, unit.unit, g}), "sale");
    if (r.sale) ++summary_.sales;
  }

  // A re-test of the warehouse environment comes back positive after the lot spread: the lot
  // is quarantined at once and the bureau recalls it.
  void plan_recall() {
    const actor wh = domestic_wh_;
    plan(when(12, 9), [=, this] {
      auto s = get(l_.add_sample({wh, when(12, 9)}, {recalled_->lot, sample_type::environment,
                                                     when(12, 8), "采样员 何军"}),
                   "re-test");
      retest_ = s.id;
    });
    plan(when(12, 20), [=, this] {
      get(l_.record_result({wh, when(12, 20)},
                           {retest_, test_outcome::positive, "上海市疾病预防控制中心",
                            "SHCDC-R-0412", when(12, 19)}),
          "positive result");
    });
    plan(when(12, 21), [=, this] {
      get(l_.recall({inspector_, when(12, 21)},
                    {recalled_->lot, "仓储环境复检新冠病毒核酸阳性，全链条召回并封存"}),
          "recall");
      summary_.recalled_lot = recalled_->lot;
      recalled_code_ = recalled_->to_wholesaler.id;  // scans as recalled
    });
  }

  void plan_inspections() {
    // A code of another shop shown at the counter: wrong_holder, and a finding.
    plan(when(14, 16), [this] {
      get(l_.sale_check({shops_[0], when(14, 16)}, {shop2_code_.signed_code, shops_[0].unit, 2000}),
          "sale check at the wrong shop");
    });
    plan(when(15, 10), [this] {
      const auto valid = get(l_.get_code(actor::local_admin(), valid_code_), "code").signed_code;
      inspector_scans(shops_[0].unit, {valid, shop2_code_.signed_code}, when(15, 10));
      get(l_.record_inspection({inspector_, when(15, 10)},
                               {shops_[0].unit,
                                {valid, shop2_code_.signed_code},
                                2,
                                "冷柜内发现2箱无追溯码冻品，已责令下架封存"}),
          "inspection");
    });
    plan(when(20, 14), [this] {
      inspector_scans(shops_[2].unit, {shop2_code_.signed_code}, when(20, 14));
      get(l_.record_inspection({inspector_, when(20, 14)},
                               {shops_[2].unit, {shop2_code_.signed_code}, 0, "亮码销售规范"}),
          "inspection");
    });
    plan(when(25, 11), [this] {
      get(l_.record_inspection({inspector_, when(25, 11)},
                               {caterers_[1].unit, {}, 1, "后厨冷库1袋冻虾仁无码，来源待查"}),
          "inspection");
    });
  }

  // The inspector's phone judges each code on the shelf at the unit (the /scan page).
  void inspector_scans(unit_id at_unit, const std::vector<bytes>& codes, time_point at) {
    for (const auto& code : codes) {
      const auto v = get(l_.verify_scan(scan{code}, at_unit), "inspector's scan");
      l_.count_scan(at, scan_kind::inspector, v.verdict,
                    v.facts ? std::optional{v.facts->code} : std::nullopt);
    }
  }

  ledger& l_;
  time_point start_;
  demo_summary summary_;
  int minute_ = 0;
  std::vector<std::pair<time_point, std::function<void()>>> plan_;
  std::vector<std::unique_ptr<lot_state>> states_;
  actor admin_, inspector_, import_wh_, domestic_wh_, producer_;
  std::array<actor, 2> wholesalers_;
  std::array<actor, 3> shops_;
  std::array<actor, 2> caterers_;
  code_record shop2_code_;
  lot_state* recalled_ = nullptr;
  sample_id retest_ = 0;
  code_id valid_code_ = 0, held_code_ = 0, recalled_code_ = 0;
};

}  // namespace

result<demo_summary> populate_demo(ledger& l, time_point start) {
  auto units = l.list_units({0, 1});
  if (!units) return units.error();
  if (!units->empty())
    return fail(errc::duplicate,
                "the database already holds data; demo data goes into an empty one");
  try {
    return demo{l, start}.run();
  } catch (const std::exception& e) {
    return fail(errc::invalid_input, e.what());
  }
}

}  // namespace coldtrace::storage
