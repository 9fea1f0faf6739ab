// A small city in every state the API distinguishes, built through the ledger in a few
// milliseconds: two warehouses (w, w2) and two shops (s, s2), so that each caller has its
// own side (w, s) and another unit's side (w2, s2) to be refused.
#pragma once

#include "tests/server/api_fixture.hpp"

namespace coldtrace::server::test {

struct world {
  storage::unit_id w = 0, w2 = 0, s = 0, s2 = 0;
  caller admin, inspector, wh, wh2, op, op2;
  storage::lot_id held = 0, held2 = 0;  // held, one sample without a result
  storage::sample_id sample = 0, sample2 = 0;
  storage::lot_id ready = 0, ready2 = 0;           // held, but every release rule holds
  storage::lot_id rel = 0, rel2 = 0;               // released
  storage::code_id root = 0, root2 = 0;            // their root codes, at w and w2
  storage::code_id at_s = 0, at_s2 = 0;            // received at s (from rel) and s2 (from rel2)
  storage::code_id pending_s = 0, pending_s2 = 0;  // dispatched to s / s2, not received
  storage::code_id pending_w = 0, pending_w2 = 0;  // dispatched w2 → w / w → w2
  std::string url_at_s, url_at_s2;
  // After add_recalls: consignment recalls held by s (at_s), s2 (at_s2), w (pending_w) and w2
  // (pending_w2), 1 kg each; and the recall proposal of `held`'s positive result.
  std::int64_t recall_s = 0, recall_s2 = 0, recall_w = 0, recall_w2 = 0, proposal = 0;
};

world make_world(api_fixture& f);
void add_recalls(api_fixture& f, world& x);

// An intake body the warehouse may send as it is.
json::object intake_body();

}  // namespace coldtrace::server::test
