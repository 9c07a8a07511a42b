// Every projection of the read side, made once per process that runs or administers them.
#ifndef ORDO_QUERY_PROJECTIONS_H_
#define ORDO_QUERY_PROJECTIONS_H_

#include <memory>
#include <string>
#include <vector>

#include "store/projection/projection.h"

namespace ordo::query {

std::vector<std::unique_ptr<store::Projection>> MakeProjections();

// The projection called `name` in `projections`, or nullptr.
store::Projection* FindProjection(
    const std::vector<std::unique_ptr<store::Projection>>& projections, const std::string& name);

}  // namespace ordo::query

#endif  // ORDO_QUERY_PROJECTIONS_H_
