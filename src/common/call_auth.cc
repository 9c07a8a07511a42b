// Bearer tokens with roles for the gRPC methods.
#include "common/call_auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"

namespace ordo {
namespace {

std::array<unsigned char, 32> Sha256(absl::string_view text) {
  std::array<unsigned char, 32> digest;
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

std::optional<CallRole> RoleNamed(absl::string_view name) {
  if (name == "reader") return CallRole::kReader;
  if (name == "writer") return CallRole::kWriter;
  if (name == "admin") return CallRole::kAdmin;
  return std::nullopt;
}

const char* RoleName(CallRole role) {
  switch (role) {
    case CallRole::kReader:
      return "reader";
    case CallRole::kWriter:
      return "writer";
    case CallRole::kAdmin:
      return "admin";
  }
  return "admin";
}

absl::Mutex tokens_mu;
std::shared_ptr<const TokenTable>& Tokens() {
  static auto* tokens = new std::shared_ptr<const TokenTable>();
  return *tokens;
}

}  // namespace

absl::StatusOr<TokenTable> TokenTable::Parse(absl::string_view text) {
  TokenTable table;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    std::optional<CallRole> role = fields.size() == 2 ? RoleNamed(fields[1]) : std::nullopt;
    if (!role) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--auth_tokens_file: line ", number, ": want TOKEN ROLE, ROLE reader, writer or admin"));
    }
    Entry entry{{}, *role};
    absl::string_view token = fields[0];
    if (absl::ConsumePrefix(&token, "sha256:")) {
      const std::string bytes = absl::HexStringToBytes(token);
      if (token.size() != 64 || bytes.size() != 32 ||
          absl::BytesToHexString(bytes) != absl::AsciiStrToLower(token)) {
        return absl::InvalidArgumentError(
            absl::StrCat("--auth_tokens_file: line ", number, ": sha256: wants 64 hex digits"));
      }
      std::copy(bytes.begin(), bytes.end(), entry.sha256.begin());
    } else {
      entry.sha256 = Sha256(token);
    }
    table.entries_.push_back(entry);
  }
  return table;
}

absl::StatusOr<TokenTable> TokenTable::Load(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  if (!file)
    return absl::InvalidArgumentError(absl::StrCat("--auth_tokens_file: cannot read ", path));
  return Parse(contents.str());
}

std::optional<CallRole> TokenTable::RoleOf(absl::string_view token) const {
  const std::array<unsigned char, 32> presented = Sha256(token);
  std::optional<CallRole> found;
  // Every entry is compared, in constant time each, whatever matched before.
  for (const Entry& entry : entries_) {
    if (CRYPTO_memcmp(presented.data(), entry.sha256.data(), presented.size()) == 0) {
      found = entry.role;
    }
  }
  return found;
}

void SetCallTokens(std::shared_ptr<const TokenTable> tokens) {
  absl::MutexLock lock(&tokens_mu);
  Tokens() = std::move(tokens);
}

grpc::Status AuthorizeCall(const grpc::CallbackServerContext& call, CallRole needed) {
  std::shared_ptr<const TokenTable> tokens;
  {
    absl::MutexLock lock(&tokens_mu);
    tokens = Tokens();
  }
  if (tokens == nullptr) return grpc::Status::OK;
  auto header = call.client_metadata().find("authorization");
  std::optional<CallRole> role;
  if (header != call.client_metadata().end()) {
    absl::string_view value(header->second.data(), header->second.size());
    if (absl::ConsumePrefix(&value, "Bearer ")) role = tokens->RoleOf(value);
  }
  if (!role) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "authorization: send 'Bearer <token>' with a token of this server");
  }
  if (static_cast<int>(*role) < static_cast<int>(needed)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        absl::StrCat("authorization: this call needs the ", RoleName(needed),
                                     " role; the token has ", RoleName(*role)));
  }
  return grpc::Status::OK;
}

}  // namespace ordo
