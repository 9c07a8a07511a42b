// Early-return helpers for absl::Status / absl::StatusOr (abseil 20220623 ships none).
#ifndef ORDO_COMMON_STATUS_MACROS_H_
#define ORDO_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define ORDO_RETURN_IF_ERROR(expr)               \
  do {                                           \
    const absl::Status ordo_status_ = (expr);    \
    if (!ordo_status_.ok()) return ordo_status_; \
  } while (0)

#define ORDO_CONCAT_INNER_(a, b) a##b
#define ORDO_CONCAT_(a, b) ORDO_CONCAT_INNER_(a, b)

// ORDO_ASSIGN_OR_RETURN(auto x, FunctionReturningStatusOr());
#define ORDO_ASSIGN_OR_RETURN(lhs, expr) \
  ORDO_ASSIGN_OR_RETURN_IMPL_(ORDO_CONCAT_(ordo_statusor_, __LINE__), lhs, expr)

#define ORDO_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                \
  if (!statusor.ok()) return statusor.status();          \
  lhs = std::move(statusor).value()

#endif  // ORDO_COMMON_STATUS_MACROS_H_
