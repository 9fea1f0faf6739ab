// The audit chain. Every mutation appends one event in its own transaction:
//   text = {"actor":{"account":A,"role":R,"unit":U},"at":T,"data":D,"seq":S,"subject":X,"type":Y}
//   hash = SHA-256(prev_hash || text)
// where D is the operation's canonical JSON (keys sorted, no spaces) stored verbatim, and the
// first event's prev_hash is 32 zero bytes. Every column of the row is covered, so changing
// any field of any event breaks its hash or the link after it.
#pragma once

#include "storage/reports.hpp"
#include "storage/sqlite/db.hpp"

#include <boost/json/value.hpp>

namespace coldtrace::storage::sql {

// Object keys sorted at every level, no whitespace: one text for one value.
std::string canonical_json(const boost::json::value& v);

void append_event(connection& c, const context& ctx, std::string_view type,
                  std::string_view subject, const boost::json::value& data);

// Walks the chain from the first event and names the first one that does not verify.
chain_report verify_chain(connection& c);

std::vector<event_record> list_events(connection& c, event_seq after, std::int64_t limit);

}  // namespace coldtrace::storage::sql
