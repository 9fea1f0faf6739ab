// The bureau's periodic report as a workbook for people (GET /api/v1/report.xlsx): the figures
// of a stats report in four sheets (summary, by category, units by kind, recalls), headers and
// terms in Chinese or English. Presentation only: every figure is the ledger's.
#pragma once

#include "codec/sheet.hpp"
#include "storage/exports.hpp"
#include "storage/reports.hpp"

#include <vector>

namespace coldtrace::server::api {

std::vector<codec::sheet> report_sheets(const storage::stats_report& s, storage::language lang);

}  // namespace coldtrace::server::api
