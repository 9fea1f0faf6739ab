// The EPCIS 2.0 mapping (docs/exchange.md §EPCIS): one or two events per lifecycle step, in
// time order. Lot steps name the lot's root code; a dispatch is a TransformationEvent (the
// quantity split off one code under a new code) followed by the new code's shipping.
#include "server/api/epcis.hpp"

#include "codec/url.hpp"
#include "server/api/json_records.hpp"

#include <boost/json/array.hpp>

#include <map>
#include <set>

namespace coldtrace::server::api {
namespace {

using storage::step_kind;
using storage::supply_step;

// Our own vocabulary: business steps the CBV has no word for, and the extension fields.
constexpr std::string_view ns = "urn:coldtrace:epcis:";
constexpr std::string_view disinfecting = "urn:coldtrace:epcis:bizstep:disinfecting";
constexpr std::string_view releasing = "urn:coldtrace:epcis:bizstep:releasing";

std::string unit_uri(std::string_view credit_code) {
  return "urn:coldtrace:unit:" + std::string{credit_code};
}

std::string kind_name(step_kind k) {
  switch (k) {
    case step_kind::intake: return "intake";
    case step_kind::sample: return "sample";
    case step_kind::result: return "result";
    case step_kind::disinfection: return "disinfection";
    case step_kind::release: return "release";
    case step_kind::dispatch: return "dispatch";
    case step_kind::receipt: return "receipt";
    case step_kind::sale: return "sale";
    case step_kind::recall: return "recall";
  }
  return "step";
}

double kg(std::int64_t grams) {
  return static_cast<double>(grams) / 1000.0;
}

class builder {
 public:
  builder(std::string_view host) : host_(host) {}

  std::string url(const storage::step_code& c) {
    auto u = codec::make_code_url(host_, c.signed_code);
    // A stored code always encodes; a bad host was refused at start-up.
    return u ? *u : "urn:coldtrace:code:" + std::to_string(c.id);
  }

  // The fields every event has: its kind, time, where, and a stable id (the same step gives
  // the same eventID in every document, so a consumer can de-duplicate).
  json::object event(std::string_view type, const supply_step& s, std::string_view suffix = {}) {
    json::object e;
    e["type"] = type;
    e["eventID"] = "urn:coldtrace:event:" + std::string{host_} + ":" + kind_name(s.kind) + ":" +
                   std::to_string(s.record) + std::string{suffix};
    e["eventTime"] = iso_time(s.at);
    e["eventTimeZoneOffset"] = "+08:00";
    e["readPoint"] = {{"id", unit_uri(s.unit)}};
    e["bizLocation"] = {{"id", unit_uri(s.unit)}};
    e["coldtrace:lot"] = s.lot;
    return e;
  }

  json::object object_event(const supply_step& s, std::string_view action,
                            std::string_view biz_step, std::string_view disposition,
                            json::array epcs, std::string_view suffix = {}) {
    auto e = event("ObjectEvent", s, suffix);
    e["epcList"] = std::move(epcs);
    e["action"] = action;
    e["bizStep"] = biz_step;
    if (!disposition.empty()) e["disposition"] = disposition;
    return e;
  }

  void add(const supply_step& s, const std::map<storage::lot_id, std::set<std::string>>& codes,
           const std::map<storage::lot_id, const storage::supply_lot*>& lots) {
    const auto code = url(s.code);
    switch (s.kind) {
      case step_kind::intake: {
        auto e = object_event(s, "ADD", "commissioning", "active", {code});
        json::object ilmd;
        if (auto it = lots.find(s.lot); it != lots.end()) {
          const auto& l = *it->second;
          ilmd["coldtrace:product"] = l.product;
          ilmd["coldtrace:category"] = l.category;
          ilmd["cbvmda:countryOfOrigin"] = l.origin;
          ilmd["coldtrace:netWeightKg"] = kg(l.net_weight_g);
          ilmd["coldtrace:packages"] = l.packages;
          if (!l.customs_number.empty()) ilmd["coldtrace:customsNumber"] = l.customs_number;
          if (!l.quarantine_certificate.empty())
            ilmd["coldtrace:quarantineCertificate"] = l.quarantine_certificate;
        }
        e["ilmd"] = std::move(ilmd);
        push(std::move(e));
        break;
      }
      case step_kind::sample: {
        auto e = object_event(s, "OBSERVE", "sampling", {}, {code});
        e["coldtrace:sample"] = s.record;
        e["coldtrace:sampleType"] = s.term;
        push(std::move(e));
        break;
      }
      case step_kind::result: {
        const bool positive = s.term == "positive";
        auto e = object_event(s, "OBSERVE", "inspecting",
                              positive ? "non_conformant" : "conformant", {code});
        e["coldtrace:sample"] = s.record;
        e["coldtrace:outcome"] = s.term;
        e["coldtrace:lab"] = s.detail;
        e["coldtrace:reportNumber"] = s.report;
        push(std::move(e));
        // A positive result quarantines the lot in the same transaction.
        if (positive)
          push(object_event(s, "OBSERVE", "holding", "non_sellable_other", {code}, ":quarantine"));
        break;
      }
      case step_kind::disinfection: {
        auto e = object_event(s, "OBSERVE", disinfecting, {}, {code});
        e["coldtrace:agent"] = s.term;
        e["coldtrace:certificate"] = s.detail;
        push(std::move(e));
        break;
      }
      case step_kind::release:
        push(object_event(s, "OBSERVE", releasing, "sellable_accessible", {code}));
        break;
      case step_kind::dispatch: {
        const auto from = s.from ? url(*s.from) : code;
        auto t = event("TransformationEvent", s, ":split");
        t["inputEPCList"] = {from};
        t["outputEPCList"] = {code};
        t["bizStep"] = "commissioning";
        t["disposition"] = "active";
        t["ilmd"] = {{"coldtrace:netWeightKg", kg(s.quantity_g)}};
        push(std::move(t));
        auto e = object_event(s, "OBSERVE", "shipping", "in_transit", {code});
        e["sourceList"] = {{{"type", "owning_party"}, {"source", unit_uri(s.unit)}}};
        e["destinationList"] = {{{"type", "owning_party"}, {"destination", unit_uri(s.to_unit)}}};
        e["coldtrace:quantityKg"] = kg(s.quantity_g);
        push(std::move(e));
        break;
      }
      case step_kind::receipt: {
        auto e = object_event(s, "OBSERVE", "receiving", "sellable_accessible", {code});
        e["destinationList"] = {{{"type", "owning_party"}, {"destination", unit_uri(s.unit)}}};
        e["coldtrace:quantityKg"] = kg(s.quantity_g);
        push(std::move(e));
        break;
      }
      case step_kind::sale: {
        auto e = object_event(s, "OBSERVE", "retail_selling", "retail_sold", {code});
        e["coldtrace:quantityKg"] = kg(s.quantity_g);
        push(std::move(e));
        break;
      }
      case step_kind::recall: {
        // Every code of the lot this document names is blocked (the root code at least).
        json::array epcs;
        if (auto it = codes.find(s.lot); it != codes.end())
          for (const auto& c : it->second) epcs.emplace_back(c);
        else
          epcs.emplace_back(code);
        auto e = object_event(s, "OBSERVE", "holding", "recalled", std::move(epcs));
        e["coldtrace:reason"] = s.term;
        push(std::move(e));
        break;
      }
    }
  }

  json::array take() { return std::move(events_); }

 private:
  void push(json::object e) { events_.emplace_back(std::move(e)); }

  std::string_view host_;
  json::array events_;
};

}  // namespace

boost::json::object epcis_document(const storage::supply_history& h, std::string_view host,
                                   storage::time_point created) {
  builder b{host};
  std::map<storage::lot_id, const storage::supply_lot*> lots;
  for (const auto& l : h.lots) lots[l.id] = &l;
  std::map<storage::lot_id, std::set<std::string>> codes;
  for (const auto& s : h.steps) {
    codes[s.lot].insert(b.url(s.code));
    if (s.from) codes[s.lot].insert(b.url(*s.from));
  }
  for (const auto& s : h.steps) b.add(s, codes, lots);

  json::object doc;
  doc["@context"] = {"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                     {{"coldtrace", ns}}};
  doc["type"] = "EPCISDocument";
  doc["schemaVersion"] = "2.0";
  doc["creationDate"] = iso_time(created);
  doc["epcisBody"] = {{"eventList", b.take()}};
  return doc;
}

}  // namespace coldtrace::server::api
