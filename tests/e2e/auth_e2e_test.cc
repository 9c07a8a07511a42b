// Bearer tokens with roles (DESIGN §14) on real ordo-command and ordo-query processes: the
// whole matrix of token (none, unknown, malformed, reader, writer, admin written as
// sha256:<hex>) by call class (query, command, ProjectionService read, ProjectionService
// change, Subscribe, health), each with its status code, and nothing written by a refused
// command.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "ordo/v1/event_stream_service.grpc.pb.h"
#include "ordo/v1/query_service.grpc.pb.h"
#include "support/service_process.h"
#include "support/test_database.h"

namespace ordo {
namespace {

using grpc::StatusCode;

// The admin token appears only as its SHA-256 (of "admin-token-3").
constexpr char kTokens[] =
    "# test tokens\n"
    "reader-token-1 reader\n"
    "writer-token-2   writer   # spaces and a comment\n"
    "sha256:f35ed2a6db1c26fdf985d8cc196d86a0afa41d351caf7314ecc50503fe948e38 admin\n";

class AuthE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::ofstream(TokensPath()) << kTokens;
    database_ = new testing::TestDatabase();
    const std::vector<std::string> flags = {"--auth_tokens_file=" + TokensPath()};
    command_ = new testing::ServiceProcess(ORDO_COMMAND_BINARY,
                                           database_->ServiceUrl({"ordo_command"}), flags);
    query_ = new testing::ServiceProcess(ORDO_QUERY_BINARY, database_->ServiceUrl({"ordo_query"}),
                                         flags);
  }
  static void TearDownTestSuite() {
    delete query_;
    delete command_;
    delete database_;
    std::remove(TokensPath().c_str());
  }
  static std::string TokensPath() {
    return absl::StrCat("/tmp/ordo-auth-e2e-", getpid(), ".tokens");
  }

  // A context with authorization set to `header` when it is not empty.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& header) {
    auto context = testing::ClientContext();
    if (!header.empty()) context->AddMetadata("authorization", header);
    return context;
  }

  static testing::TestDatabase* database_;
  static testing::ServiceProcess* command_;
  static testing::ServiceProcess* query_;
};
testing::TestDatabase* AuthE2eTest::database_ = nullptr;
testing::ServiceProcess* AuthE2eTest::command_ = nullptr;
testing::ServiceProcess* AuthE2eTest::query_ = nullptr;

TEST_F(AuthE2eTest, EveryRoleGetsExactlyItsCallsAndNoTokenNone) {
  ASSERT_TRUE(command_->started() && query_->started());
  EXPECT_TRUE(command_->process().WaitForOutput("tokens on: 3 token(s)", absl::Seconds(5)));
  auto orders = ordo::v1::OrderCommandService::NewStub(command_->channel());
  auto queries = ordo::v1::OrderQueryService::NewStub(query_->channel());
  auto projections = ordo::v1::ProjectionService::NewStub(query_->channel());
  auto events = ordo::v1::EventStreamService::NewStub(query_->channel());
  auto health = grpc::health::v1::Health::NewStub(query_->channel());

  using Call = std::function<StatusCode(const std::string&)>;
  const std::vector<std::pair<std::string, Call>> calls = {
      {"query (GetOrder of no order)",
       [&](const std::string& h) {
         ordo::v1::GetOrderRequest request;
         request.set_order_id("nobody");
         ordo::v1::Order order;
         return queries->GetOrder(As(h).get(), request, &order).error_code();
       }},
      {"command (CreateOrder)",
       [&](const std::string& h) {
         ordo::v1::CreateOrderRequest request;
         request.set_customer_id("c-auth");
         request.set_currency("EUR");
         ordo::v1::CommandResult result;
         return orders->CreateOrder(As(h).get(), request, &result).error_code();
       }},
      {"projection read (ListProjections)",
       [&](const std::string& h) {
         ordo::v1::ListProjectionsResponse response;
         return projections->ListProjections(As(h).get(), {}, &response).error_code();
       }},
      {"projection change (RebuildProjection of no projection)",
       [&](const std::string& h) {
         ordo::v1::RebuildProjectionRequest request;
         request.set_name("nope");
         ordo::v1::RebuildProjectionResponse response;
         return projections->RebuildProjection(As(h).get(), request, &response).error_code();
       }},
      {"Subscribe (a bad heartbeat, refused once allowed)",
       [&](const std::string& h) {
         ordo::v1::SubscribeRequest request;
         request.set_heartbeat_ms(1);
         auto context = As(h);
         auto reader = events->Subscribe(context.get(), request);
         ordo::v1::SubscribeResponse response;
         while (reader->Read(&response)) {
         }
         return reader->Finish().error_code();
       }},
      {"health",
       [&](const std::string& h) {
         grpc::health::v1::HealthCheckResponse response;
         return health->Check(As(h).get(), {}, &response).error_code();
       }},
  };
  const StatusCode kNo = StatusCode::UNAUTHENTICATED, kDenied = StatusCode::PERMISSION_DENIED;
  const StatusCode kFound = StatusCode::NOT_FOUND, kOk = StatusCode::OK;
  const StatusCode kBad = StatusCode::INVALID_ARGUMENT;
  // Per token, the expected code of each call above, in order.
  const std::vector<std::pair<std::string, std::vector<StatusCode>>> matrix = {
      {"", {kNo, kNo, kNo, kNo, kNo, kOk}},
      {"Bearer not-a-token", {kNo, kNo, kNo, kNo, kNo, kOk}},
      {"Basic reader-token-1", {kNo, kNo, kNo, kNo, kNo, kOk}},
      {"Bearer sha256:f35ed2a6db1c26fdf985d8cc196d86a0afa41d351caf7314ecc50503fe948e38",
       {kNo, kNo, kNo, kNo, kNo, kOk}},
      {"Bearer reader-token-1", {kFound, kDenied, kOk, kDenied, kBad, kOk}},
      {"Bearer writer-token-2", {kFound, kOk, kOk, kDenied, kBad, kOk}},
      {"Bearer admin-token-3", {kFound, kOk, kOk, kFound, kBad, kOk}},
  };
  for (const auto& [header, expected] : matrix) {
    for (size_t i = 0; i < calls.size(); ++i) {
      EXPECT_EQ(calls[i].second(header), expected[i])
          << "'" << header << "' calling " << calls[i].first;
    }
  }
  // Only the writer's and the admin's CreateOrder wrote.
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events"), "2");
}

}  // namespace
}  // namespace ordo
