#include "storage/postgres/engine.hpp"

#include <libpq-fe.h>

#include <algorithm>

namespace coldtrace::storage::sql {

void pg_deleter::operator()(pg_session* s) const noexcept {
  delete s;
}
void pg_deleter::operator()(pg_cursor* c) const noexcept {
  delete c;
}

std::string translate_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char ch = sql[i];
    if (quote) {
      if (ch == quote) quote = 0;  // a doubled quote reopens at once: same result
      out += ch;
      continue;
    }
    if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
      continue;
    }
    if (ch != '?') {
      out += ch;
      continue;
    }
    std::size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    int n = next;
    if (j > i + 1) n = std::stoi(std::string{sql.substr(i + 1, j - i - 1)});
    next = std::max(next, n + 1);
    out += '$';
    out += std::to_string(n);
    i = j - 1;
  }
  return out;
}

pg_session_ptr pg_open(const std::string& uri) {
  return pg_session_ptr{new pg_session{pg::connection::open(uri), {}, 0, {}, 0}};
}

pg_cursor_ptr pg_query(pg_session& s, std::string_view sql) {
  auto it = s.translated.find(std::string{sql});
  if (it == s.translated.end())
    it = s.translated.emplace(std::string{sql}, translate_placeholders(sql)).first;
  return pg_cursor_ptr{new pg_cursor{&s, &it->second, {}, {}, -1, {}}};
}

void pg_bind(pg_cursor& c, int i, pg::param p) {
  if (i < 1) throw pg::failure("", "bind: parameter " + std::to_string(i));
  if (c.params.size() < static_cast<std::size_t>(i)) c.params.resize(i, pg::param{std::nullopt});
  c.params[i - 1] = std::move(p);
}

namespace {

// Runs a statement, through a prepared statement from its second run on (pg_session).
// Statements without parameters (transaction control, pragmas' twins) are run as they are.
pg::result run(pg_session& s, const std::string& sql, const std::vector<pg::param>& params) {
  if (params.empty()) return s.conn.exec(sql, params);
  std::string key = sql;
  key += '\0';
  for (const auto& p : params) key += std::to_string(p.type) + ",";
  auto it = s.statements.find(key);
  if (it == s.statements.end()) {
    if (s.statements.size() < pg_session::max_statements)
      s.statements.emplace(key, pg_session::statement_use{{}, 1});
    return s.conn.exec(sql, params);
  }
  auto& use = it->second;
  if (!use.name.empty()) return s.conn.exec_prepared(use.name, sql, params, false);
  ++use.runs;
  const std::string name = "ct_" + std::to_string(++s.prepared);
  auto r = s.conn.exec_prepared(name, sql, params, true);
  use.name = name;
  return r;
}

}  // namespace

bool pg_step(pg_cursor& c) {
  if (!c.rows) {
    c.rows.emplace(run(*c.session, *c.sql, c.params));
    if (!c.rows->status().starts_with("SELECT")) c.session->changes = c.rows->affected();
  }
  c.blobs.clear();
  return ++c.row < c.rows->rows();
}

}  // namespace coldtrace::storage::sql

namespace coldtrace::storage::sql {

bool pg_in_transaction(const pg_session& s) {
  return PQtransactionStatus(s.conn.handle()) != PQTRANS_IDLE;
}

}  // namespace coldtrace::storage::sql
