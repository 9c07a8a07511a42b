// PostgreSQL array literals for one-parameter multi-row writes.
#include "store/pg/sql_array.h"

#include "absl/strings/str_join.h"

namespace ordo::store {
namespace {

void AppendQuoted(std::string& out, const std::string& value) {
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

std::string TextArrayLiteral(const std::vector<std::optional<std::string>>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (values[i]) {
      AppendQuoted(out, *values[i]);
    } else {
      out += "NULL";
    }
  }
  out.push_back('}');
  return out;
}

std::string TextArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendQuoted(out, values[i]);
  }
  out.push_back('}');
  return out;
}

std::string IntArrayLiteral(const std::vector<int64_t>& values) {
  return "{" + absl::StrJoin(values, ",") + "}";
}

std::string BoolArrayLiteral(const std::vector<bool>& values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += values[i] ? 't' : 'f';
  }
  return literal + "}";
}

}  // namespace ordo::store
