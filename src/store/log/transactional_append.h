// Appends to a stream inside the caller's transaction: for a subscriber whose state is a
// stream of its own (the saga, DESIGN §11), so that its events and its checkpoint commit
// together. The caller must be the stream's only writer and know its version from a read
// (DESIGN §3, read before you write). Subscribers of the stream type are notified at
// commit.
#ifndef ORDO_STORE_LOG_TRANSACTIONAL_APPEND_H_
#define ORDO_STORE_LOG_TRANSACTIONAL_APPEND_H_

#include <pqxx/transaction_base>

#include "absl/status/statusor.h"
#include "store/log/append_types.h"

namespace ordo::store {

// ABORTED when the stream is not at request.expected_version; request.request is ignored
// (the transaction's own checkpoint makes it idempotent). Throws what libpqxx throws.
absl::StatusOr<AppendResult> AppendInTransaction(pqxx::transaction_base& tx,
                                                 const AppendRequest& request);

}  // namespace ordo::store

#endif  // ORDO_STORE_LOG_TRANSACTIONAL_APPEND_H_
