#include "storage/published_keys.hpp"

#include "storage/postgres_ledger.hpp"
#include "storage/sqlite/db.hpp"

#include <algorithm>
#include <optional>

namespace coldtrace::storage {
namespace {

sql::connection open_db(const std::string& db) {
  if (is_postgres(db)) return sql::connection::open_postgres(db);
  return sql::connection::open(db, sql::connection::access::read_write, 5000);
}

codec::key_set read_set(sql::connection& c) {
  codec::key_set out;
  auto q = c.query("SELECT x FROM published_keys ORDER BY kid");
  while (q.step()) {
    const auto x = q.blob_view(0);
    if (x.size() != 32) throw std::runtime_error("published_keys holds a key that is not 32 bytes");
    codec::public_key k;
    std::copy(x.begin(), x.end(), k.x.begin());
    k.kid = codec::kid_of(k.x);
    out.add(k);
  }
  return out;
}

}  // namespace

result<codec::key_set> published_keys(const std::string& db) {
  try {
    auto c = open_db(db);
    return read_set(c);
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

result<codec::key_set> publish_keys(const std::string& db, const codec::key_set& keys,
                                    time_point at) {
  try {
    auto c = open_db(db);
    sql::transaction t{c, sql::transaction::mode::immediate};
    for (const auto& k : keys.keys())
      c.query(
           "INSERT INTO published_keys (kid, x, published_at) VALUES (?, ?, ?)"
           " ON CONFLICT (kid) DO NOTHING")
          .with(codec::kid_text(k.kid), bytes_view{k.x.data(), k.x.size()},
                static_cast<std::int64_t>(at.time_since_epoch().count()))
          .run();
    auto out = read_set(c);
    t.commit();
    return out;
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

}  // namespace coldtrace::storage
