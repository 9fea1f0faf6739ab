// Method + path pattern → handler. A pattern is a path whose segments are literals, `{name}`
// (one segment, captured into the context's params) or, last, `{name*}` (the rest of the
// path). Literals match case-insensitively, because phone cameras may upper-case a code URL
// (DESIGN §3). When several patterns match, the most literal wins, segment by segment.
// Routes are added before serving; the router is read-only, hence thread-safe, afterwards.
#pragma once

#include "codec/error.hpp"
#include "server/context.hpp"
#include "server/http.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace coldtrace::server {

// A handler returns a response, or an error that error_map turns into one.
using handler = std::function<result<response>(const request&, context&)>;

// An asynchronous handler answers later, through `respond`: once, from any thread (typically
// the ledger's writer, after its group commit), with a function that makes the response. The
// session runs that function on the connection's own thread, so the thread that finished the
// work only hands over; no thread waits for a commit. Until it answers, the request and the
// context stay alive.
using make_response = std::function<result<response>()>;
using respond = std::function<void(make_response)>;
using async_handler = std::function<void(const request&, context&, respond)>;

struct route_options {
  // The handler may block for long (a durable commit waiting for its group): the session
  // runs it on the blocking pool so the I/O threads keep serving other connections.
  bool blocking = false;
};

class router {
 public:
  struct target {
    handler fn;              // set for a synchronous route
    async_handler async_fn;  // set for an asynchronous one
    route_options options;
  };

  // Accepts any callable taking (const request&, context&) and returning either response or
  // result<response>. Throws std::logic_error for a malformed or duplicate pattern.
  template <class F>
  void add(verb method, std::string_view pattern, F&& fn, route_options options = {}) {
    using returned = std::invoke_result_t<F&, const request&, context&>;
    static_assert(std::is_same_v<returned, response> || std::is_same_v<returned, result<response>>,
                  "a handler returns response or result<response>");
    add_target(method, pattern, target{handler(std::forward<F>(fn)), {}, options});
  }

  void add_async(verb method, std::string_view pattern, async_handler fn) {
    add_target(method, pattern, target{{}, std::move(fn), {}});
  }

  struct resolution {
    const target* found = nullptr;  // null: `rejection` is the 400/404/405 to send
    response rejection;
  };

  // Finds the handler for a request and fills ctx.route and ctx.params. HEAD falls back to
  // GET (the session sends no body).
  resolution resolve(const request& req, context& ctx) const;

  // Runs a handler; errors become error responses, and an escaped exception (a bug) a 500
  // whose reason goes to ctx.detail for the log.
  static response invoke(const target& t, const request& req, context& ctx);

  // Starts an asynchronous handler. `done` gets the function that makes the response (errors
  // and escaped exceptions already turned into responses, as invoke() does); the caller runs
  // it on the thread of its choice. `done` is called exactly once, perhaps before this
  // returns.
  using finish = std::function<void(std::function<response()> make)>;
  static void invoke_async(const target& t, const request& req, context& ctx, finish done);

  // resolve + invoke: what the session does, minus the choice of thread. An asynchronous
  // handler is waited for.
  response dispatch(const request& req, context& ctx) const;

 private:
  enum class segment_kind { rest, param, literal };  // ascending specificity
  struct segment {
    segment_kind kind;
    std::string text;  // the literal, or the parameter's name
  };
  struct route {
    std::string pattern;
    std::vector<segment> segments;
    std::vector<std::pair<verb, target>> targets;
  };

  void add_target(verb method, std::string_view pattern, target t);
  static bool matches(const route& r, const std::vector<std::string_view>& path,
                      path_params* params);

  std::vector<route> routes_;
};

}  // namespace coldtrace::server
