#include "server/router.hpp"

#include "server/error_map.hpp"
#include "server/pages/lang.hpp"
#include "server/target.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <future>
#include <memory>
#include <stdexcept>

namespace coldtrace::server {
namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    path.remove_prefix(1);  // the '/'
    auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return parts;
}

std::string allow_list(const std::vector<verb>& methods) {
  std::string out;
  for (auto m : methods) {
    if (!out.empty()) out += ", ";
    out += to_string(m);
  }
  return out;
}

}  // namespace

void router::add_target(verb method, std::string_view pattern, target t) {
  if (!pattern.starts_with('/')) {
    throw std::logic_error("route pattern must start with '/': " + std::string(pattern));
  }
  route r{std::string(pattern), {}, {}};
  auto parts = pattern == "/" ? std::vector<std::string_view>{} : split(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto p = parts[i];
    if (p.size() >= 2 && p.front() == '{' && p.back() == '}') {
      auto name = p.substr(1, p.size() - 2);
      bool rest = name.ends_with('*');
      if (rest) name.remove_suffix(1);
      if (name.empty() || (rest && i + 1 != parts.size())) {
        throw std::logic_error("bad parameter in route pattern: " + std::string(pattern));
      }
      r.segments.push_back({rest ? segment_kind::rest : segment_kind::param, std::string(name)});
    } else {
      r.segments.push_back({segment_kind::literal, std::string(p)});
    }
  }
  auto same_shape = [&](const route& other) {
    return std::equal(r.segments.begin(), r.segments.end(), other.segments.begin(),
                      other.segments.end(), [](const segment& a, const segment& b) {
                        return a.kind == b.kind &&
                               (a.kind != segment_kind::literal || iequals(a.text, b.text));
                      });
  };
  auto it = std::find_if(routes_.begin(), routes_.end(), same_shape);
  if (it == routes_.end()) {
    routes_.push_back(std::move(r));
    it = std::prev(routes_.end());
  } else if (it->pattern != pattern) {
    // Two spellings of one shape would make 405 answers and logs ambiguous.
    throw std::logic_error("route pattern " + std::string(pattern) + " clashes with " +
                           it->pattern);
  }
  for (const auto& [m, existing] : it->targets) {
    if (m == method) {
      throw std::logic_error("duplicate route: " + std::string(to_string(method)) + " " +
                             std::string(pattern));
    }
  }
  it->targets.emplace_back(method, std::move(t));
}

bool router::matches(const route& r, const std::vector<std::string_view>& path,
                     path_params* params) {
  // Most routes fail on their length alone, before any segment is compared.
  const bool open = !r.segments.empty() && r.segments.back().kind == segment_kind::rest;
  if (open ? path.size() < r.segments.size() : path.size() != r.segments.size()) return false;
  std::size_t i = 0;
  for (const auto& s : r.segments) {
    if (s.kind == segment_kind::rest) {
      if (i >= path.size()) return false;
      std::string rest;
      for (; i < path.size(); ++i) {
        if (!rest.empty()) rest += '/';
        rest += path[i];
      }
      if (params) params->add(s.text, std::move(rest));
      return true;
    }
    if (i >= path.size()) return false;
    if (s.kind == segment_kind::literal && !iequals(s.text, path[i])) return false;
    if (s.kind == segment_kind::param) {
      if (path[i].empty()) return false;
      if (params) params->add(s.text, std::string(path[i]));
    }
    ++i;
  }
  return i == path.size();
}

router::resolution router::resolve(const request& req, context& ctx) const {
  resolution out;
  ctx.params.clear();
  const auto l = pages::choose_lang(req);
  path_segments segments;
  if (!split_target(req.target, segments)) {
    out.rejection = error_response(errc::bad_target, "the request target is not a valid path", l);
    return out;
  }
  // The most specific match: compare segment kinds left to right, literal > param > rest.
  const route* best = nullptr;
  for (const auto& r : routes_) {
    if (!matches(r, segments.parts, nullptr)) continue;
    if (best == nullptr ||
        std::lexicographical_compare(
            best->segments.begin(), best->segments.end(), r.segments.begin(), r.segments.end(),
            [](const segment& a, const segment& b) { return a.kind < b.kind; })) {
      best = &r;
    }
  }
  if (best == nullptr) {
    out.rejection = error_response(errc::not_found, "nothing is served at this path", l);
    return out;
  }
  ctx.route = best->pattern;
  matches(*best, segments.parts, &ctx.params);

  const target* get = nullptr;
  std::vector<verb> allowed;
  for (const auto& [m, t] : best->targets) {
    if (m == req.method) {
      out.found = &t;
      return out;
    }
    if (m == verb::get) get = &t;
    allowed.push_back(m);
  }
  if (get != nullptr && req.method == verb::head) {
    out.found = get;
    return out;
  }
  if (get != nullptr) allowed.push_back(verb::head);
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  out.rejection = error_response(
      errc::method_not_allowed,
      std::string(req.method == verb::other ? "this method" : to_string(req.method)) +
          " is not allowed here; allowed: " + allow_list(allowed),
      l);
  out.rejection.fields.set("Allow", allow_list(allowed));
  return out;
}

namespace {

// A handler's outcome as the response to send, an error's message in `l`; an escaped
// exception (a bug) is a 500 whose reason goes to ctx.detail for the log.
template <class F>
response answer(F&& make, context& ctx, pages::lang l) {
  try {
    result<response> r = make();
    if (r) return std::move(*r);
    auto res = error_response(r.error(), l);
    if (res.status >= 500) ctx.detail = r.error().message;
    return res;
  } catch (const std::exception& e) {
    ctx.detail = std::string("exception: ") + e.what();
  } catch (...) {
    ctx.detail = "unknown exception";
  }
  return error_response(errc::internal, "internal error", l);
}

}  // namespace

response router::invoke(const target& t, const request& req, context& ctx) {
  return answer([&] { return t.fn(req, ctx); }, ctx, pages::choose_lang(req));
}

void router::invoke_async(const target& t, const request& req, context& ctx, finish done) {
  // Shared between the handler's respond and the catch below, so that a handler that throws
  // after answering does not answer twice.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  auto once = [answered, done](std::function<response()> make) {
    if (!answered->exchange(true)) done(std::move(make));
  };
  const auto l = pages::choose_lang(req);
  try {
    t.async_fn(req, ctx, [once, &ctx, l](make_response make) {
      once([make = std::move(make), &ctx, l] { return answer(make, ctx, l); });
    });
  } catch (...) {
    auto why = std::current_exception();
    once([why, &ctx, l] {
      return answer([why]() -> result<response> { std::rethrow_exception(why); }, ctx, l);
    });
  }
}

response router::dispatch(const request& req, context& ctx) const {
  auto r = resolve(req, ctx);
  if (!r.found) return std::move(r.rejection);
  if (r.found->fn) return invoke(*r.found, req, ctx);
  std::promise<std::function<response()>> answered;
  auto later = answered.get_future();
  invoke_async(*r.found, req, ctx, [&answered](std::function<response()> make) {
    answered.set_value(std::move(make));
  });
  return later.get()();
}

}  // namespace coldtrace::server
