// A whole Ordo on a fresh database for end-to-end tests.
#include "support/ordo_stack.h"

namespace ordo::testing {

OrdoStack::OrdoStack(const StackBinaries& binaries)
    : command_(binaries.command, database_.ServiceUrl({"ordo_command"})),
      projector_({binaries.projector, "--database_url=" + database_.ServiceUrl({"ordo_projector"}),
                  "--poll_interval=100ms"}),
      query_(binaries.query, database_.ServiceUrl({"ordo_query"})) {}

}  // namespace ordo::testing
