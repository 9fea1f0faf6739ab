#include "storage/sqlite/audit.hpp"

#include "storage/digest.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>

namespace coldtrace::storage::sql {
namespace json = boost::json;
namespace {

void write_canonical(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      std::vector<const json::key_value_pair*> members;
      for (const auto& kv : o) members.push_back(&kv);
      std::sort(members.begin(), members.end(),
                [](auto* a, auto* b) { return a->key() < b->key(); });
      out += '{';
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (i) out += ',';
        out += json::serialize(json::string(members[i]->key()));
        out += ':';
        write_canonical(members[i]->value(), out);
      }
      out += '}';
      break;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write_canonical(e, out);
      }
      out += ']';
      break;
    }
    default: out += json::serialize(v);
  }
}

std::string json_quoted(std::string_view s) {
  return json::serialize(json::string(s));
}

// The text an event's hash covers. Numbers come in as the decimal text SQLite gives for an
// INTEGER column, so a value whose type was changed (1 -> 1.0) does not verify.
struct event_fields {
  std::string seq, at, account, unit, role, type, subject, data;
};

std::string event_text(const event_fields& f) {
  std::string t;
  t.reserve(f.data.size() + f.subject.size() + 128);
  t += R"({"actor":{"account":)" + f.account + R"(,"role":)" + json_quoted(f.role) + R"(,"unit":)" +
       f.unit + R"(},"at":)" + f.at + R"(,"data":)" + f.data + R"(,"seq":)" + f.seq +
       R"(,"subject":)" + json_quoted(f.subject) + R"(,"type":)" + json_quoted(f.type) + "}";
  return t;
}

const bytes zero_hash(32, 0);

}  // namespace

std::string canonical_json(const json::value& v) {
  std::string out;
  write_canonical(v, out);
  return out;
}

void append_event(connection& c, const context& ctx, std::string_view type,
                  std::string_view subject, const json::value& data) {
  event_seq seq = 1;
  bytes prev = zero_hash;
  {
    auto head = c.query("SELECT seq, hash FROM chain_head WHERE id = 1");
    if (head.step()) {
      seq = head.int64(0) + 1;
      prev = head.blob(1);
    }
  }
  event_fields f{std::to_string(seq),
                 std::to_string(ctx.at.time_since_epoch().count()),
                 std::to_string(ctx.by.account),
                 std::to_string(ctx.by.unit),
                 std::string{to_string(ctx.by.role)},
                 std::string{type},
                 std::string{subject},
                 canonical_json(data)};
  const auto hash = sha256(prev, as_bytes(event_text(f)));
  const bytes_view hash_view{hash};
  c.query(
       "INSERT INTO events (seq, at, actor_account, actor_unit, actor_role, type, subject, data,"
       " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .with(seq, ctx.at.time_since_epoch().count(), ctx.by.account, ctx.by.unit, f.role, f.type,
            f.subject, f.data, prev, hash_view)
      .run();
  c.query(
       "INSERT INTO chain_head (id, seq, hash) VALUES (1, ?, ?)"
       " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash")
      .with(seq, hash_view)
      .run();
}

chain_report verify_chain(connection& c) {
  chain_report report;
  event_seq expected = 1;
  bytes prev = zero_hash;
  auto bad = [&](event_seq seq, std::string problem) {
    report.first_bad = seq;
    report.problem = std::move(problem);
    return report;
  };
  auto q = c.query(
      "SELECT seq, at, actor_account, actor_unit, actor_role, type, subject, data, prev_hash,"
      " hash FROM events ORDER BY seq");
  while (q.step()) {
    const event_seq seq = q.int64(0);
    if (seq != expected) {
      if (seq > expected)
        return bad(expected, "event " + std::to_string(expected) +
                                 " is missing (the chain goes"
                                 " from " +
                                 std::to_string(expected - 1) + " to " + std::to_string(seq) + ")");
      return bad(seq, "event " + std::to_string(seq) + " is out of sequence");
    }
    if (q.blob(8) != prev)
      return bad(seq, "event " + std::to_string(seq) +
                          " does not link to the event before it (prev_hash differs)");
    event_fields f{q.text(0), q.text(1), q.text(2), q.text(3),
                   q.text(4), q.text(5), q.text(6), q.text(7)};
    const auto hash = sha256(prev, as_bytes(event_text(f)));
    const bytes stored = q.blob(9);
    if (!std::equal(hash.begin(), hash.end(), stored.begin(), stored.end()))
      return bad(seq, "event " + std::to_string(seq) +
                          " was altered (its contents do not match its hash)");
    prev = stored;
    ++report.events;
    ++expected;
  }
  auto head = c.query("SELECT seq, hash FROM chain_head WHERE id = 1");
  const bool has_head = head.step();
  const event_seq head_seq = has_head ? head.int64(0) : 0;
  if (head_seq != report.events || (has_head && head.blob(1) != prev)) {
    if (head_seq > report.events)
      return bad(report.events + 1, "event " + std::to_string(report.events + 1) +
                                        " is missing (the chain ended early; its last event"
                                        " is " +
                                        std::to_string(head_seq) + ")");
    return bad(report.events,
               "the chain's recorded end does not match event " + std::to_string(report.events));
  }
  return report;
}

std::vector<event_record> list_events(connection& c, event_seq after, std::int64_t limit) {
  std::vector<event_record> out;
  auto q = c.query(
      "SELECT seq, at, actor_account, actor_unit, actor_role, type, subject, data, prev_hash,"
      " hash FROM events WHERE seq > ? ORDER BY seq LIMIT ?");
  q.with(after, limit);
  while (q.step()) {
    event_record e;
    e.seq = q.int64(0);
    e.at = time_point{std::chrono::seconds{q.int64(1)}};
    e.by.account = q.int64(2);
    e.by.unit = q.int64(3);
    e.by.role = account_role_from(q.text(4)).value_or(account_role::unit_operator);
    e.type = q.text(5);
    e.subject = q.text(6);
    e.data = q.text(7);
    e.prev_hash = q.blob(8);
    e.hash = q.blob(9);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace coldtrace::storage::sql
