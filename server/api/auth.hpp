// Bearer authentication: "Authorization: Bearer <token>" → the ledger's actor. The token is
// never logged or echoed; the caller's unit goes to the access log instead.
#pragma once

#include "server/api/env.hpp"
#include "server/context.hpp"
#include "server/http.hpp"
#include "server/json.hpp"
#include "server/router.hpp"

#include <utility>

namespace coldtrace::server::api {

// 401 when the header is missing, is not a bearer token, or names no live account.
result<storage::actor> authenticate(storage::ledger& ledger, const request& req, context& ctx);

// What an authenticated handler is: the request, its context and who is asking.
using authed_handler = result<response> (*)(const env& e, const request& req, context& ctx,
                                            const storage::actor& by);

// A router handler that authenticates first, then checks that a body is declared JSON (every
// body the API takes is), then runs `fn`.
inline auto authed(env_ptr e, authed_handler fn) {
  return [e = std::move(e), fn](const request& req, context& ctx) -> result<response> {
    auto by = authenticate(e->ledger(), req, ctx);
    if (!by) return by.error();
    if (auto json = require_json_body(req); !json) return json.error();
    return fn(*e, req, ctx, *by);
  };
}

// The answer of a request that failed before reaching the ledger.
inline void refuse(const respond& done, error e) {
  done([e = std::move(e)]() -> result<response> { return e; });
}

// What an authenticated asynchronous handler is: a write that answers through `done` once
// the ledger has committed it.
using authed_async_handler = void (*)(const env& e, const request& req, context& ctx,
                                      const storage::actor& by, respond done);

// An asynchronous router handler that authenticates first (here, a read) and checks the body
// is declared JSON, then runs `fn`.
inline async_handler authed_async(env_ptr e, authed_async_handler fn) {
  return [e = std::move(e), fn](const request& req, context& ctx, respond done) {
    auto by = authenticate(e->ledger(), req, ctx);
    if (!by) return refuse(done, by.error());
    if (auto json = require_json_body(req); !json) return refuse(done, json.error());
    fn(*e, req, ctx, *by, std::move(done));
  };
}

// The ledger's completion for a write: it hands the outcome to `done`, and `encode` makes
// the response from it later, on the connection's thread, not on the ledger's writer.
template <class T, class Encode>
storage::completion<T> answer_with(respond done, Encode encode) {
  return [done = std::move(done), encode = std::move(encode)](result<T> outcome) {
    done([outcome = std::move(outcome), encode]() -> result<response> {
      if (!outcome) return outcome.error();
      return encode(*outcome);
    });
  };
}

}  // namespace coldtrace::server::api
