#include "tests/server/api_world.hpp"

namespace coldtrace::server::test {
namespace {

using storage::account_role;
using storage::unit_kind;

storage::lot_id take_in(api_fixture& f, const caller& c) {
  storage::intake_request r{"冻带鱼", "domestic_frozen", "CN", 100'000, 10, "舟山水产", "",
                            "",       "浙L·12345"};
  return f.ledger().intake(f.as(c.who), r).value().lot.id;
}

storage::sample_id sample(api_fixture& f, const caller& c, storage::lot_id lot) {
  const auto ctx = f.as(c.who);
  return f.ledger()
      .add_sample(ctx, {lot, storage::sample_type::food_surface, ctx.at, "张伟"})
      .value()
      .id;
}

storage::lot_id ready_lot(api_fixture& f, const caller& c) {
  auto& l = f.ledger();
  const auto lot = take_in(f, c);
  const auto ctx = f.as(c.who);
  l.record_result(ctx, {sample(f, c, lot), storage::test_outcome::negative, "疾控", "R-1", ctx.at})
      .value();
  l.record_disinfection(ctx, {lot, "过氧乙酸", ctx.at, "张伟", "XD-1"}).value();
  return lot;
}

storage::code_id dispatch(api_fixture& f, const caller& from, storage::code_id code,
                          storage::unit_id to) {
  return f.ledger().dispatch(f.as(from.who), {code, to, 1'000}).value().id;
}

}  // namespace

json::object intake_body() {
  return {{"product", "冻带鱼"},   {"category", "domestic_frozen"},
          {"origin", "CN"},        {"net_weight_g", 100'000},
          {"packages", 10},        {"consignor", "舟山水产"},
          {"vehicle", "浙L·12345"}};
}

world make_world(api_fixture& f) {
  world x;
  auto& l = f.ledger();
  x.w = f.add_unit(unit_kind::warehouse);
  x.w2 = f.add_unit(unit_kind::warehouse);
  x.s = f.add_unit(unit_kind::seller);
  x.s2 = f.add_unit(unit_kind::seller);
  x.admin = f.add_account(f.bureau, account_role::admin);
  x.inspector = f.add_account(f.bureau, account_role::inspector);
  x.wh = f.add_account(x.w, account_role::warehouse);
  x.wh2 = f.add_account(x.w2, account_role::warehouse);
  x.op = f.add_account(x.s, account_role::unit_operator);
  x.op2 = f.add_account(x.s2, account_role::unit_operator);

  x.held = take_in(f, x.wh);
  x.sample = sample(f, x.wh, x.held);
  x.held2 = take_in(f, x.wh2);
  x.sample2 = sample(f, x.wh2, x.held2);
  x.ready = ready_lot(f, x.wh);
  x.ready2 = ready_lot(f, x.wh2);
  x.rel = ready_lot(f, x.wh);
  x.rel2 = ready_lot(f, x.wh2);
  x.root = l.release(f.as(x.wh.who), x.rel).value().root_code;
  x.root2 = l.release(f.as(x.wh2.who), x.rel2).value().root_code;

  x.at_s = dispatch(f, x.wh, x.root, x.s);
  x.url_at_s = f.url_of(l.receive(f.as(x.op.who), x.at_s).value());
  x.at_s2 = dispatch(f, x.wh2, x.root2, x.s2);
  x.url_at_s2 = f.url_of(l.receive(f.as(x.op2.who), x.at_s2).value());
  x.pending_s = dispatch(f, x.wh, x.root, x.s);
  x.pending_s2 = dispatch(f, x.wh2, x.root2, x.s2);
  x.pending_w = dispatch(f, x.wh2, x.root2, x.w);
  x.pending_w2 = dispatch(f, x.wh, x.root, x.w2);
  return x;
}

void add_recalls(api_fixture& f, world& x) {
  auto& l = f.ledger();
  auto recall = [&](storage::lot_id lot, storage::code_id code) {
    return l.recall(f.as(storage::actor::local_admin()), {lot, "下游抽检阳性", code})
        .value()
        .recall.id;
  };
  x.recall_s = recall(x.rel, x.at_s);
  x.recall_s2 = recall(x.rel2, x.at_s2);
  x.recall_w = recall(x.rel2, x.pending_w);
  x.recall_w2 = recall(x.rel, x.pending_w2);
  const auto ctx = f.as(x.wh.who);
  l.record_result(ctx, {x.sample, storage::test_outcome::positive, "疾控", "R-9", ctx.at}).value();
  x.proposal = l.list_recall_proposals(storage::actor::local_admin(), true, {}).value().front().id;
}

}  // namespace coldtrace::server::test
