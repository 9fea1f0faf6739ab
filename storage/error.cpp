#include "storage/error.hpp"

namespace coldtrace::storage {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "coldtrace.storage"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_input: return "a field is missing or out of range";
      case errc::documents_missing:
        return "imported food needs its customs and quarantine documents";
      case errc::key_reused: return "the idempotency key was used for a different request";
      case errc::unauthenticated: return "the token is unknown or revoked";
      case errc::forbidden: return "this role may not do that";
      case errc::wrong_unit: return "the record belongs to another unit";
      case errc::not_found: return "no such record";
      case errc::duplicate: return "already recorded";
      case errc::not_released: return "the lot has not been released";
      case errc::already_released: return "the lot is already released";
      case errc::quarantined: return "the lot is quarantined after a positive result";
      case errc::recalled: return "the lot has been recalled";
      case errc::no_samples: return "the lot has no sample";
      case errc::results_pending: return "a sample has no result yet";
      case errc::no_disinfection: return "the lot has no disinfection on record since intake";
      case errc::pending_receipt: return "the code has not been received yet";
      case errc::already_received: return "the code was already received";
      case errc::insufficient_quantity: return "more than the code still holds";
      case errc::too_many_splits: return "a code can be split at most 16,777,215 times";
      case errc::too_deep: return "the code is split too many levels deep";
      case errc::no_signing_key: return "no signing key is configured";
      case errc::signing_failed: return "the code could not be signed";
      case errc::schema_too_new: return "the database was written by a newer coldtrace";
      case errc::storage_failure: return "the database failed";
      case errc::shutting_down: return "the ledger is shutting down";
    }
    return "unknown storage error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

error_class classify(errc e) noexcept {
  switch (e) {
    case errc::invalid_input:
    case errc::documents_missing:
    case errc::key_reused: return error_class::bad_request;
    case errc::unauthenticated: return error_class::unauthenticated;
    case errc::forbidden: return error_class::forbidden;
    case errc::wrong_unit:
    case errc::not_found: return error_class::not_found;
    case errc::no_signing_key:
    case errc::signing_failed:
    case errc::schema_too_new:
    case errc::storage_failure:
    case errc::shutting_down: return error_class::unavailable;
    default: return error_class::conflict;
  }
}

}  // namespace coldtrace::storage
