#include "storage/checkpoints.hpp"

#include "storage/postgres_ledger.hpp"

#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/db.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace coldtrace::storage {
namespace json = boost::json;
namespace {

json::object unsigned_part(const checkpoint& c) {
  return json::object{{"at", c.at}, {"hash", to_hex(c.hash)}, {"kid", c.kid}, {"seq", c.seq}};
}

std::string seq_text(event_seq s) {
  return std::to_string(s);
}

template <class F>
auto on_file(const std::filesystem::path& file, sql::connection::access a, F&& f)
    -> decltype(f(std::declval<sql::connection&>())) {
  try {
    if (is_postgres(file.string())) {
      auto c = sql::connection::open_postgres(file.string());
      return f(c);
    }
    if (!std::filesystem::exists(file))
      return fail(errc::not_found, "no database at " + file.string());
    auto c = sql::connection::open(file, a, 5000);
    return f(c);
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

checkpoint read_checkpoint(sql::statement& q) {
  return checkpoint{q.int64(0), q.blob(1), q.int64(2), q.text(3), q.text(4)};
}

}  // namespace

std::string checkpoint_message(const checkpoint& c) {
  return "coldtrace checkpoint v1\n" + sql::canonical_json(unsigned_part(c));
}

std::string to_json(const checkpoint& c) {
  auto o = unsigned_part(c);
  o["signature"] = c.signature;
  return sql::canonical_json(o);
}

result<std::vector<checkpoint>> checkpoints_from_json(std::string_view text) {
  std::vector<checkpoint> out;
  try {
    auto v = json::parse(text);
    auto one = [&](const json::value& e) {
      const auto& o = e.as_object();
      checkpoint c;
      c.seq = o.at("seq").to_number<std::int64_t>();
      c.at = o.at("at").to_number<std::int64_t>();
      c.kid = std::string{o.at("kid").as_string()};
      c.signature = std::string{o.at("signature").as_string()};
      if (!from_hex(o.at("hash").as_string(), c.hash) || c.hash.size() != 32)
        throw std::invalid_argument("hash is not 32 bytes of hex");
      out.push_back(std::move(c));
    };
    if (v.is_array())
      for (const auto& e : v.as_array()) one(e);
    else
      one(v);
  } catch (const std::exception& e) {
    return fail(errc::invalid_input, std::string{"not a coldtrace checkpoint: "} + e.what());
  }
  if (out.empty()) return fail(errc::invalid_input, "the file holds no checkpoint");
  return out;
}

result<checkpoint> sign_checkpoint(const std::filesystem::path& file, const codec::signing_key& key,
                                   time_point at) {
  return on_file(
      file, sql::connection::access::read_write, [&](sql::connection& c) -> result<checkpoint> {
        sql::transaction t{c, sql::transaction::mode::immediate};
        auto head = c.query("SELECT seq, hash FROM chain_head WHERE id = 1");
        if (!head.step()) return fail(errc::not_found, "the audit chain is empty: nothing to sign");
        checkpoint out{head.int64(0),
                       head.blob(1),
                       at.time_since_epoch().count(),
                       codec::kid_text(key.kid()),
                       {}};
        auto last = c.query("SELECT seq, hash, at, kid, signature FROM checkpoints WHERE seq = ?");
        last.with(out.seq);
        if (last.step()) return read_checkpoint(last);
        auto sig = key.sign(as_bytes(checkpoint_message(out)));
        if (!sig) return fail(errc::signing_failed, sig.error().message);
        out.signature = base64url_encode(*sig);
        c.query(
             "INSERT INTO checkpoints (seq, hash, at, kid, signature)"
             " VALUES (?, ?, ?, ?, ?)")
            .with(out.seq, out.hash, out.at, out.kid, out.signature)
            .run();
        t.commit();
        return out;
      });
}

result<std::vector<checkpoint>> list_checkpoints(const std::filesystem::path& file) {
  return on_file(
      file, sql::connection::access::read_only,
      [&](sql::connection& c) -> result<std::vector<checkpoint>> {
        std::vector<checkpoint> out;
        auto q = c.query("SELECT seq, hash, at, kid, signature FROM checkpoints ORDER BY seq");
        while (q.step()) out.push_back(read_checkpoint(q));
        return out;
      });
}

result<std::string> check_checkpoint(const std::filesystem::path& file, const checkpoint& cp,
                                     const codec::key_set& keys) {
  const codec::public_key* key = nullptr;
  for (const auto& k : keys.keys())
    if (codec::kid_text(k.kid) == cp.kid) key = &k;
  if (!key)
    return std::string{"checkpoint " + seq_text(cp.seq) + " is signed by key " + cp.kid +
                       ", which the published keys do not hold"};
  bytes sig;
  if (!base64url_decode(cp.signature, sig) ||
      !codec::verify_signature(*key, as_bytes(checkpoint_message(cp)), sig))
    return std::string{"checkpoint " + seq_text(cp.seq) +
                       ": the signature does not verify under key " + cp.kid};
  return on_file(file, sql::connection::access::read_only,
                 [&](sql::connection& c) -> result<std::string> {
                   sql::transaction snapshot{c};
                   auto last = c.query("SELECT coalesce(max(seq), 0) FROM events");
                   last.step();
                   const auto end = last.int64(0);
                   auto q = c.query("SELECT hash FROM events WHERE seq = ?");
                   q.with(cp.seq);
                   if (!q.step())
                     return "the chain ends at " + seq_text(end) + " but checkpoint says " +
                            seq_text(cp.seq) + ": the history was truncated";
                   if (q.blob(0) != cp.hash)
                     return "event " + seq_text(cp.seq) +
                            " has another hash than the checkpoint signed: the history was"
                            " rewritten";
                   return std::string{};
                 });
}

}  // namespace coldtrace::storage
