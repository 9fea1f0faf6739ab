// The ledger's errors: one code per rule, so the server maps each to an HTTP status in one
// table and a person reads which rule failed in the message.
#pragma once

#include "codec/error.hpp"

namespace coldtrace::storage {

enum class errc {
  // The request itself is wrong (HTTP 400/422).
  invalid_input = 1,  // a field is missing, malformed or out of range
  documents_missing,  // an import without customs declaration or quarantine certificate
  key_reused,         // an idempotency key sent again with a different request
  // Who is asking (401/403/404).
  unauthenticated,  // the token is unknown or revoked
  forbidden,        // the caller's role may not do this
  wrong_unit,       // the record belongs to another unit (not its holder, consignee, warehouse)
  not_found,        // no such unit, account, lot, sample or code (or not visible to the caller)
  // A rule of the lifecycle refuses the operation (409).
  duplicate,     // already registered (credit code) or already recorded (a result)
  not_released,  // the lot has not been released
  already_released,
  quarantined,  // a positive result quarantined the lot
  recalled,
  no_samples,       // release needs at least one sample
  results_pending,  // release needs a result for every sample
  no_disinfection,  // release needs a disinfection at or after intake
  pending_receipt,  // the code has not been received by its holder yet
  already_received,
  insufficient_quantity,  // more than the code still holds
  too_many_splits,        // a code can have at most codec::max_split_ordinal children
  too_deep,               // a split path is at most codec::max_split_depth levels
  // The service cannot do it now (500/503).
  no_signing_key,  // codes cannot be issued: no signing key configured
  signing_failed,
  schema_too_new,   // the database was written by a newer coldtrace
  storage_failure,  // SQLite or the disk failed; nothing was committed
  shutting_down,    // the ledger is closing and takes no more writes
};

const boost::system::error_category& category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

inline error fail(errc e, std::string message) {
  return {make_error_code(e), std::move(message)};
}

// The same, with the message's catalogue key and parameters, so it can be said in Chinese.
inline error fail(errc e, std::string message, std::string detail, message_args args) {
  return {make_error_code(e), std::move(message), std::move(detail), std::move(args)};
}

// True when `e` carries this storage code.
inline bool is(const error& e, errc c) noexcept {
  return e.code == make_error_code(c);
}

// The broad class of an error, so that one table in the server can map it to a status.
enum class error_class {
  bad_request,
  unauthenticated,
  forbidden,
  not_found,
  conflict,
  unavailable
};
error_class classify(errc e) noexcept;

}  // namespace coldtrace::storage

template <>
struct boost::system::is_error_code_enum<coldtrace::storage::errc> : std::true_type {};
