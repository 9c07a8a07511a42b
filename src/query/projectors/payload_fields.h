// Reads the fields of a stored event payload: a flat JSON object (as PostgreSQL prints
// jsonb) whose values are strings, numbers, booleans or null. Projections apply thousands
// of events per second; this is a fraction of the cost of a full proto3 JSON parse.
#ifndef ORDO_QUERY_PROJECTORS_PAYLOAD_FIELDS_H_
#define ORDO_QUERY_PROJECTORS_PAYLOAD_FIELDS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ordo::query {

class PayloadFields {
 public:
  // DATA_LOSS unless `json` is one object of scalar values (nested values are refused).
  static absl::StatusOr<PayloadFields> Parse(absl::string_view json);

  // The value of `name` as text (strings unescaped, numbers as written); "" when absent
  // or null.
  const std::string& Text(absl::string_view name) const;
  // The value of `name` as an integer, from a number or a numeric string (proto3 JSON
  // writes 64-bit integers as strings); 0 when absent. DATA_LOSS when not an integer.
  absl::StatusOr<int64_t> Integer(absl::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace ordo::query

#endif  // ORDO_QUERY_PROJECTORS_PAYLOAD_FIELDS_H_
