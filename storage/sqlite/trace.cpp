// Trace: the chain from a lot's root code down to a code (parent links), and every code below
// it: one range of the (lot_id, split_path) index, the paths between the code and its next
// sibling, which is also depth-first order.
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <algorithm>

namespace coldtrace::storage::sql::ops {
namespace {

constexpr std::string_view node_columns =
    "SELECT c.id, c.parent_id, c.split_path, c.holder_id, u.name, c.quantity_g, c.remaining_g,"
    " c.status, c.issued_at, c.received_at FROM codes c JOIN units u ON u.id = c.holder_id ";

// The smallest path greater than every path that starts with `path`; none when all its bytes
// are 0xFF (then the code's subtree runs to the end of the lot). Each split level is a
// prefix-free unit (docs/code-format.md §1), so the paths that start with a code's path are
// exactly its descendants'.
std::optional<bytes> next_sibling_bound(bytes path) {
  while (!path.empty()) {
    if (path.back() != 0xFF) {
      ++path.back();
      return path;
    }
    path.pop_back();
  }
  return std::nullopt;
}

std::vector<trace_node> descendants(connection& c, const code_record& code) {
  static const std::string bounded = std::string{node_columns} +
                                     "WHERE c.lot_id = ? AND c.split_path > ?"
                                     " AND c.split_path < ? ORDER BY c.split_path";
  static const std::string open =
      std::string{node_columns} + "WHERE c.lot_id = ? AND c.split_path > ? ORDER BY c.split_path";
  const auto bound = next_sibling_bound(code.split_path);
  auto q = c.query(bound ? bounded : open);
  q.with(code.lot, code.split_path);
  if (bound) q.bind(3, *bound);
  std::vector<trace_node> out;
  while (q.step()) out.push_back(read_node(q));
  return out;
}

trace_result trace_from(connection& c, lot_record lot, const code_record& code) {
  trace_result t;
  t.lot = std::move(lot);
  t.chain = chain_of(c, code);
  t.descendants = descendants(c, code);
  return t;
}

}  // namespace

// One primary-key lookup per level, following parent links up to the root. (A recursive CTE
// would read the same rows but build temporary tables, which costs more on the verification
// path.)
std::vector<trace_node> ancestors(connection& c, const code_record& code) {
  static const std::string sql = std::string{node_columns} + "WHERE c.id = ?";
  std::vector<trace_node> out;
  for (auto parent = code.parent; parent;) {
    auto q = c.query(sql);
    q.with(*parent);
    if (!q.step()) break;
    out.push_back(read_node(q));
    parent = out.back().parent;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<trace_node> chain_of(connection& c, const code_record& code) {
  static const std::string sql = std::string{node_columns} + "WHERE c.id = ? ";
  auto out = ancestors(c, code);
  auto q = c.query(sql);
  q.with(code.id);
  if (q.step()) out.push_back(read_node(q));
  return out;
}

result<trace_result> trace_code(connection& c, const actor& by, code_id id) {
  transaction snapshot{c};
  auto code = get_code(c, by, id);
  if (!code) return code.error();
  auto lot = find_lot(c, code->lot);
  return trace_from(c, std::move(*lot), *code);
}

result<trace_result> trace_lot(connection& c, const actor& by, lot_id id) {
  transaction snapshot{c};
  auto lot = find_lot(c, id);
  // The whole tree shows every holder: the lot's warehouse and the regulator see it.
  if (!lot || (!reads_everything(by) && lot->warehouse != by.unit)) return no_such("lot", id);
  auto root = find_code(c, lot->root_code);
  if (!root) return fail(errc::not_found, "lot " + std::to_string(id) + " has no code");
  return trace_from(c, std::move(*lot), *root);
}

}  // namespace coldtrace::storage::sql::ops
