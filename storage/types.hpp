// The ledger's vocabulary: ids, enumerations, who is acting and when.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coldtrace::storage {

using unit_id = std::int64_t;
using account_id = std::int64_t;
using lot_id = std::int64_t;
using sample_id = std::int64_t;
using code_id = std::int64_t;
using event_seq = std::int64_t;

// Wall-clock time at one-second resolution, as stored. Passed in by the caller so that tests
// can set it.
using time_point = std::chrono::sys_seconds;

enum class unit_kind { warehouse, producer, caterer, seller, regulator };
enum class account_role { admin, warehouse, unit_operator, inspector };
enum class lot_status { held, released, quarantined };
enum class code_status { pending, active };  // pending: dispatched, not yet received
enum class sample_type { outer_packaging, food_surface, environment };
enum class test_outcome { negative, positive };
// Who scanned a code, for the statistics: a shopper (the /c/ page, or the API without a token),
// an inspector (a regulator's account, or the /c/ page's inspector panel), or a unit's operator
// at its counter. The platform's own uses (the console's links, posters, warehouse and admin
// accounts, a page reached from another of ours) are not scans and are not counted.
enum class scan_kind { consumer, inspector, counter };

// The names used in the database, the API and the CLI ("operator" for unit_operator).
std::string_view to_string(unit_kind k);
std::string_view to_string(account_role r);
std::string_view to_string(lot_status s);
std::string_view to_string(code_status s);
std::string_view to_string(sample_type t);
std::string_view to_string(test_outcome o);
std::string_view to_string(scan_kind k);
std::optional<unit_kind> unit_kind_from(std::string_view s);
std::optional<account_role> account_role_from(std::string_view s);
std::optional<lot_status> lot_status_from(std::string_view s);
std::optional<code_status> code_status_from(std::string_view s);
std::optional<sample_type> sample_type_from(std::string_view s);
std::optional<test_outcome> test_outcome_from(std::string_view s);
std::string_view describe_zh(unit_kind k);

// Who performs an operation: the authenticated account, the unit it acts for, its role.
struct actor {
  account_id account = 0;
  unit_id unit = 0;
  account_role role = account_role::unit_operator;

  // The local command line (db demo, recall from a shell on the server): trusted as admin,
  // recorded in the audit chain as account 0.
  static actor local_admin() { return {0, 0, account_role::admin}; }
};

// A client's key for one write (the HTTP Idempotency-Key): a retry with the same key answers
// with the first write's result instead of writing again. `fingerprint` identifies the
// request the key was first used for (the server hashes the route and the body); the same
// key with another fingerprint is refused. Keys are per account.
struct idempotency {
  std::string key;
  std::string fingerprint;
};

// Every operation is done by someone at some time; both go into the audit chain.
struct context {
  actor by;
  time_point at;
  // Honoured by intake, dispatch, receive and sale checks; ignored by the other writes.
  std::optional<idempotency> once = std::nullopt;
};

}  // namespace coldtrace::storage
