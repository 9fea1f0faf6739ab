// Bearer authentication: "Authorization: Bearer <token>" → the ledger's actor. The token is
// never logged or echoed; the caller's unit goes to the access log instead.
#pragma once

#include "server/api/env.hpp"
#include "server/context.hpp"
#include "server/http.hpp"

#include <utility>

namespace coldtrace::server::api {

// 401 when the header is missing, is not a bearer token, or names no live account.
result<storage::actor> authenticate(storage::ledger& ledger, const request& req, context& ctx);

// What an authenticated handler is: the request, its context and who is asking.
using authed_handler = result<response> (*)(const env& e, const request& req, context& ctx,
                                            const storage::actor& by);

// A router handler that authenticates first, then runs `fn`.
inline auto authed(env_ptr e, authed_handler fn) {
  return [e = std::move(e), fn](const request& req, context& ctx) -> result<response> {
    auto by = authenticate(e->ledger(), req, ctx);
    if (!by) return by.error();
    return fn(*e, req, ctx, *by);
  };
}

}  // namespace coldtrace::server::api
