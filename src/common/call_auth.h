// Bearer tokens with roles for Ordo's gRPC methods (DESIGN §14). --auth_tokens_file holds
// one "TOKEN ROLE" pair a line ('#' starts a comment); TOKEN may be written sha256:<64 hex>,
// the SHA-256 of the token, so the file need not hold the secret. Roles nest: reader (query
// calls, Subscribe, ProjectionService List*) < writer (commands, and all a reader may) <
// admin (everything, ProjectionService changes too). A call without a known token is
// UNAUTHENTICATED, one whose role is too small PERMISSION_DENIED; without a tokens file every
// call is allowed. Health and reflection stay open (they never ask). Tokens are compared in
// constant time, as their SHA-256.
#ifndef ORDO_COMMON_CALL_AUTH_H_
#define ORDO_COMMON_CALL_AUTH_H_

#include <grpcpp/grpcpp.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ordo {

enum class CallRole { kReader = 0, kWriter = 1, kAdmin = 2 };

class TokenTable {
 public:
  // INVALID_ARGUMENT naming the line when the file does not parse.
  static absl::StatusOr<TokenTable> Parse(absl::string_view text);
  static absl::StatusOr<TokenTable> Load(const std::string& path);

  // The role of `token`, or nullopt when it is not in the table. Looks at every entry.
  std::optional<CallRole> RoleOf(absl::string_view token) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::array<unsigned char, 32> sha256;
    CallRole role;
  };
  std::vector<Entry> entries_;
};

// The table calls are checked against, from GrpcServer::Start; none: every call allowed.
void SetCallTokens(std::shared_ptr<const TokenTable> tokens);

// OK when the call's `authorization: Bearer <token>` carries a role of at least `needed`.
grpc::Status AuthorizeCall(const grpc::CallbackServerContext& call, CallRole needed);

}  // namespace ordo

#endif  // ORDO_COMMON_CALL_AUTH_H_
