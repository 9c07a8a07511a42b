// A projection's rebuild: its read-model tables emptied in the runner's transaction.
#include "store/projection/projection.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace ordo::store {

bool Projection::ResetForRebuild(pqxx::work& tx) {
  // The table names come from the projection's code, never from a request.
  const std::vector<std::string> emptied = tables();
  if (!emptied.empty()) tx.exec(absl::StrCat("TRUNCATE ", absl::StrJoin(emptied, ", ")));
  return true;
}

}  // namespace ordo::store
