// PostgreSQL array literals for passing a column of values as one `$n::type[]` parameter
// (multi-row writes with unnest() in a single statement).
#ifndef ORDO_STORE_PG_SQL_ARRAY_H_
#define ORDO_STORE_PG_SQL_ARRAY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ordo::store {

// {"a","b \"quoted\""}: every element quoted and escaped; nullopt becomes NULL.
std::string TextArrayLiteral(const std::vector<std::optional<std::string>>& values);
std::string TextArrayLiteral(const std::vector<std::string>& values);

// {1,2,3}
std::string IntArrayLiteral(const std::vector<int64_t>& values);

// {t,f}
std::string BoolArrayLiteral(const std::vector<bool>& values);

}  // namespace ordo::store

#endif  // ORDO_STORE_PG_SQL_ARRAY_H_
