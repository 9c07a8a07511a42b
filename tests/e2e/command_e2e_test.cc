// ordo-command as a real process on a free port, driven by a real gRPC client: the order
// lifecycle, every error code, correlation ids, health, reflection, idempotency across a
// restart, database outages, start-up failures, and graceful shutdown.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <future>
#include <memory>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "ordo/v1/command_service.grpc.pb.h"
#include "store/log/log_position.h"
#include "support/child_process.h"
#include "support/service_process.h"
#include "support/tcp_proxy.h"
#include "support/test_database.h"
#include "support/wait.h"

namespace ordo {
namespace {

using ordo::v1::CommandResult;
using ordo::v1::OrderCommandService;

// A running ordo-command and a client connected to it.
class CommandServer {
 public:
  explicit CommandServer(const std::string& database_url)
      : service_(ORDO_COMMAND_BINARY, database_url, {"--pool_size=4"}) {
    if (service_.started()) stub_ = OrderCommandService::NewStub(service_.channel());
  }

  OrderCommandService::Stub& stub() { return *stub_; }
  std::shared_ptr<grpc::Channel> channel() { return service_.channel(); }
  testing::ChildProcess& process() { return service_.process(); }
  bool started() const { return service_.started(); }

 private:
  testing::ServiceProcess service_;
  std::unique_ptr<OrderCommandService::Stub> stub_;
};

// A context with a deadline, and optionally a correlation id.
std::unique_ptr<grpc::ClientContext> Context(const std::string& correlation_id = "") {
  auto context = testing::ClientContext();
  if (!correlation_id.empty()) context->AddMetadata("x-correlation-id", correlation_id);
  return context;
}

class CommandE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new testing::TestDatabase();
    server_ = new CommandServer(database_->ServiceUrl({"ordo_command"}));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete database_;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()); }

  static grpc::Status Create(const std::string& order_id, CommandResult* result,
                             const std::string& request_id = "") {
    ordo::v1::CreateOrderRequest request;
    request.set_order_id(order_id);
    request.set_customer_id("customer-1");
    request.set_currency("EUR");
    request.set_request_id(request_id);
    return server_->stub().CreateOrder(Context().get(), request, result);
  }

  static grpc::Status Add(const std::string& order_id, const std::string& sku, int quantity,
                          CommandResult* result, std::optional<int> expected_version = {},
                          const std::string& request_id = "",
                          OrderCommandService::Stub* stub = nullptr) {
    ordo::v1::AddItemRequest request;
    request.set_order_id(order_id);
    request.set_sku(sku);
    request.set_quantity(quantity);
    request.set_unit_price_cents(1250);
    request.set_request_id(request_id);
    if (expected_version) request.set_expected_version(*expected_version);
    return (stub ? *stub : server_->stub()).AddItem(Context().get(), request, result);
  }

  static testing::TestDatabase* database_;
  static CommandServer* server_;
};
testing::TestDatabase* CommandE2eTest::database_ = nullptr;
CommandServer* CommandE2eTest::server_ = nullptr;

TEST_F(CommandE2eTest, WholeOrderLifecycle) {
  CommandResult created, added, removed, confirmed, shipped;
  ASSERT_TRUE(Create("", &created).ok());
  const std::string id = created.order_id();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(created.version(), 1);
  ASSERT_TRUE(Add(id, "sku-1", 2, &added).ok());
  ASSERT_TRUE(Add(id, "sku-2", 1, &added).ok());
  EXPECT_EQ(added.version(), 3);

  ordo::v1::RemoveItemRequest remove;
  remove.set_order_id(id);
  remove.set_sku("sku-2");
  ASSERT_TRUE(server_->stub().RemoveItem(Context().get(), remove, &removed).ok());
  ordo::v1::ConfirmOrderRequest confirm;
  confirm.set_order_id(id);
  ASSERT_TRUE(server_->stub().ConfirmOrder(Context().get(), confirm, &confirmed).ok());
  ordo::v1::ShipOrderRequest ship;
  ship.set_order_id(id);
  ship.set_tracking_number("1Z 999 AA1");
  ASSERT_TRUE(server_->stub().ShipOrder(Context().get(), ship, &shipped).ok());
  EXPECT_EQ(shipped.order_id(), id);
  EXPECT_EQ(shipped.version(), 6);

  absl::StatusOr<store::LogPosition> first =
      store::DecodeConsistencyToken(created.consistency_token());
  absl::StatusOr<store::LogPosition> last =
      store::DecodeConsistencyToken(shipped.consistency_token());
  ASSERT_TRUE(first.ok() && last.ok());
  EXPECT_LT(*first, *last);
  EXPECT_EQ(database_->Query("SELECT string_agg(event_type, ',' ORDER BY version) FROM events "
                             "WHERE stream_id = '" +
                             id + "'"),
            "OrderCreated,OrderItemAdded,OrderItemAdded,OrderItemRemoved,OrderConfirmed,"
            "OrderShipped");
}

TEST_F(CommandE2eTest, CancelOrder) {
  CommandResult created, cancelled;
  ASSERT_TRUE(Create("e2e-cancel", &created).ok());
  ordo::v1::CancelOrderRequest cancel;
  cancel.set_order_id("e2e-cancel");
  cancel.set_reason("customer asked");
  ASSERT_TRUE(server_->stub().CancelOrder(Context().get(), cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.version(), 2);
  grpc::Status again = server_->stub().CancelOrder(Context().get(), cancel, &cancelled);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CommandE2eTest, EachErrorCode) {
  CommandResult result;
  grpc::Status invalid = Add("e2e-none", "sku-1", 0, &result);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(invalid.error_message().substr(0, 9), "quantity:") << invalid.error_message();

  ordo::v1::CreateOrderRequest bad_currency;
  bad_currency.set_customer_id("c");
  bad_currency.set_currency("euro");
  grpc::Status currency = server_->stub().CreateOrder(Context().get(), bad_currency, &result);
  EXPECT_EQ(currency.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(currency.error_message().substr(0, 9), "currency:");

  EXPECT_EQ(Add("e2e-none", "sku-1", 1, &result).error_code(), grpc::StatusCode::NOT_FOUND);

  ASSERT_TRUE(Create("e2e-errors", &result).ok());
  EXPECT_EQ(Create("e2e-errors", &result, "another-request").error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  ordo::v1::ConfirmOrderRequest confirm;
  confirm.set_order_id("e2e-errors");
  grpc::Status empty = server_->stub().ConfirmOrder(Context().get(), confirm, &result);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(empty.error_message().find("at least one line"), std::string::npos);

  ASSERT_TRUE(Add("e2e-errors", "sku-1", 1, &result, /*expected_version=*/1).ok());
  grpc::Status stale = Add("e2e-errors", "sku-1", 1, &result, /*expected_version=*/1);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events WHERE stream_id = 'e2e-errors'"), "2");
}

TEST_F(CommandE2eTest, CorrelationIdIsEchoedAndRecorded) {
  ordo::v1::CreateOrderRequest request;
  request.set_order_id("e2e-corr");
  request.set_customer_id("c");
  request.set_currency("EUR");
  request.set_request_id("e2e-corr-req");
  CommandResult result;
  auto context = Context("corr-e2e-42");
  ASSERT_TRUE(server_->stub().CreateOrder(context.get(), request, &result).ok());
  auto echoed = context->GetServerInitialMetadata().find("x-correlation-id");
  ASSERT_NE(echoed, context->GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(echoed->second.data(), echoed->second.size()), "corr-e2e-42");
  EXPECT_EQ(database_->Query("SELECT metadata->>'correlation_id' || '|' || "
                             "(metadata->>'request_id') || '|' || (metadata->>'causation_id') || "
                             "'|' || (metadata->>'peer' LIKE 'ipv%:127.0.0.1:%') FROM events "
                             "WHERE stream_id = 'e2e-corr'"),
            "corr-e2e-42|e2e-corr-req|e2e-corr-req|true");

  // Without one, the server makes one and still echoes it.
  auto anonymous = Context();
  request.set_order_id("e2e-corr-2");
  request.set_request_id("");
  ASSERT_TRUE(server_->stub().CreateOrder(anonymous.get(), request, &result).ok());
  auto made = anonymous->GetServerInitialMetadata().find("x-correlation-id");
  ASSERT_NE(made, anonymous->GetServerInitialMetadata().end());
  EXPECT_EQ(made->second.size(), 36u);
}

TEST_F(CommandE2eTest, TraceparentIsContinuedInTheEventsOrANewTraceStarted) {
  auto create = [&](const std::string& order_id, const std::string& traceparent) {
    ordo::v1::CreateOrderRequest request;
    request.set_order_id(order_id);
    request.set_customer_id("c");
    request.set_currency("EUR");
    CommandResult result;
    auto context = Context();
    if (!traceparent.empty()) context->AddMetadata("traceparent", traceparent);
    EXPECT_TRUE(server_->stub().CreateOrder(context.get(), request, &result).ok());
    return database_->Query(absl::StrCat(
        "SELECT (metadata->>'traceparent') || ' ' || (metadata->>'trace_id') FROM events "
        "WHERE stream_id = '",
        order_id, "'"));
  };
  // A valid one: same trace, the command's own span (a new parent id), the caller's flags.
  const std::string continued =
      create("e2e-trace-1", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
  EXPECT_TRUE(
      std::regex_match(continued, std::regex("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00 "
                                             "0af7651916cd43dd8448eb211c80319c")))
      << continued;
  EXPECT_EQ(continued.find("b7ad6b7169203331"), std::string::npos) << continued;
  // None, or one that is not valid (all-zero trace id, upper case): a new trace.
  const std::vector<std::string> not_continued = {
      "", "00-00000000000000000000000000000000-b7ad6b7169203331-01",
      "00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01"};
  for (size_t i = 0; i < not_continued.size(); ++i) {
    const std::string& sent = not_continued[i];
    const std::string made = create(absl::StrCat("e2e-trace-new-", i), sent);
    std::smatch match;
    ASSERT_TRUE(std::regex_match(made, match,
                                 std::regex("00-([0-9a-f]{32})-[0-9a-f]{16}-01 ([0-9a-f]{32})")))
        << "sent '" << sent << "': " << made;
    EXPECT_EQ(match[1], match[2]);
    EXPECT_NE(match[1], "0af7651916cd43dd8448eb211c80319c");
  }
}

// DESIGN §14: a call blocked inside PostgreSQL ends at its deadline there too.
TEST_F(CommandE2eTest, ACommandWaitingOnARowLockEndsAtItsDeadlineAndLeavesNothingWaiting) {
  CommandResult created;
  ASSERT_TRUE(Create("e2e-locked", &created).ok());
  // Another transaction wrote version 2 of the stream and holds on to it: an append of
  // version 2 waits for it on the unique index.
  pqxx::connection holder(database_->url());
  pqxx::work holding(holder);
  holding.exec(
      "INSERT INTO events (stream_id, stream_type, version, event_id, event_type, "
      "schema_version, payload, metadata) VALUES ('e2e-locked', 'order', 2, gen_random_uuid(), "
      "'OrderItemAdded', 1, '{}', '{}')");

  ordo::v1::AddItemRequest add;
  add.set_order_id("e2e-locked");
  add.set_sku("sku-1");
  add.set_quantity(1);
  add.set_unit_price_cents(100);
  add.set_request_id("e2e-locked-add");
  CommandResult added;
  const absl::Time started = absl::Now();
  auto context = testing::ClientContext(std::chrono::seconds(2));
  const grpc::Status blocked = server_->stub().AddItem(context.get(), add, &added);
  const absl::Duration took = absl::Now() - started;
  EXPECT_EQ(blocked.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << blocked.error_message();
  EXPECT_LT(took, absl::Seconds(3));
  // Its statement was cancelled in the server, not left waiting there.
  EXPECT_TRUE(testing::WaitUntil(
      [&] {
        return database_->Query(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                   "current_database() AND wait_event_type = 'Lock'") == "0";
      },
      absl::Seconds(2)));
  holding.abort();
  // The retry with the same request_id applies it once.
  ASSERT_TRUE(server_->stub().AddItem(Context().get(), add, &added).ok());
  EXPECT_EQ(added.version(), 2);
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events WHERE stream_id = 'e2e-locked'"), "2");
}

TEST_F(CommandE2eTest, HealthIsServing) {
  auto health = grpc::health::v1::Health::NewStub(server_->channel());
  for (const char* service : {"", "ordo.v1.OrderCommandService"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(CommandE2eTest, ReflectionListsAndDescribesTheServices) {
  using grpc::reflection::v1alpha::ServerReflection;
  using grpc::reflection::v1alpha::ServerReflectionRequest;
  using grpc::reflection::v1alpha::ServerReflectionResponse;
  auto reflection = ServerReflection::NewStub(server_->channel());
  auto context = Context();
  auto stream = reflection->ServerReflectionInfo(context.get());

  ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  ServerReflectionResponse listed;
  ASSERT_TRUE(stream->Read(&listed));
  std::vector<std::string> names;
  for (const auto& service : listed.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "ordo.v1.OrderCommandService"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "grpc.health.v1.Health"), names.end());

  // grpcurl needs the descriptors too, health's included (absent by default in gRPC 1.51).
  for (const char* symbol : {"ordo.v1.OrderCommandService", "grpc.health.v1.Health"}) {
    ServerReflectionRequest describe;
    describe.set_file_containing_symbol(symbol);
    ASSERT_TRUE(stream->Write(describe));
    ServerReflectionResponse described;
    ASSERT_TRUE(stream->Read(&described));
    EXPECT_GT(described.file_descriptor_response().file_descriptor_proto_size(), 0) << symbol;
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(CommandE2eTest, RepeatedRequestSurvivesARestart) {
  CommandResult created, first;
  ASSERT_TRUE(Create("e2e-restart", &created).ok());
  ASSERT_TRUE(Add("e2e-restart", "sku-1", 1, &first, {}, "e2e-restart-add").ok());

  // A second server process (the first may be gone: the record is in the database).
  CommandServer restarted(database_->ServiceUrl({"ordo_command"}));
  ASSERT_TRUE(restarted.started());
  CommandResult repeated;
  ASSERT_TRUE(
      Add("e2e-restart", "sku-1", 1, &repeated, {}, "e2e-restart-add", &restarted.stub()).ok());
  EXPECT_EQ(repeated.version(), first.version());
  EXPECT_EQ(repeated.consistency_token(), first.consistency_token());
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events WHERE stream_id = 'e2e-restart'"), "2");
}

TEST_F(CommandE2eTest, DatabaseOutageIsUnavailableThenRecovers) {
  testing::TcpProxy proxy(database_->port());
  CommandServer server(
      absl::StrCat(database_->ServiceUrl({"ordo_command"}), " port=", proxy.port()));
  ASSERT_TRUE(server.started());
  CommandResult result;
  ASSERT_TRUE(Create("e2e-outage", &result).ok());

  proxy.Cut();
  grpc::Status down = Add("e2e-outage", "sku-1", 1, &result, {}, "e2e-outage-add", &server.stub());
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << down.error_message();

  proxy.Restore();
  ASSERT_TRUE(Add("e2e-outage", "sku-1", 1, &result, {}, "e2e-outage-add", &server.stub()).ok());
  CommandResult repeated;
  ASSERT_TRUE(Add("e2e-outage", "sku-1", 1, &repeated, {}, "e2e-outage-add", &server.stub()).ok());
  EXPECT_EQ(repeated.consistency_token(), result.consistency_token());
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events WHERE stream_id = 'e2e-outage'"), "2");
}

// DESIGN §14: a database that stops answering (SIGSTOP, seen through a frozen proxy) holds
// neither a call nor health past its deadline, and the service recovers after it resumes.
TEST_F(CommandE2eTest, AFrozenDatabaseHoldsNoCallOrHealthPastItsDeadline) {
  testing::TcpProxy proxy(database_->port());
  CommandServer server(
      absl::StrCat(database_->ServiceUrl({"ordo_command"}), " port=", proxy.port()));
  ASSERT_TRUE(server.started());
  CommandResult result;
  ASSERT_TRUE(Create("e2e-frozen", &result).ok());

  proxy.Freeze();
  ordo::v1::AddItemRequest add;
  add.set_order_id("e2e-frozen");
  add.set_sku("sku-1");
  add.set_quantity(1);
  add.set_unit_price_cents(100);
  add.set_request_id("e2e-frozen-add");
  for (int i = 0; i < 2; ++i) {
    const absl::Time started = absl::Now();
    auto context = testing::ClientContext(std::chrono::seconds(2));
    const grpc::Status frozen = server.stub().AddItem(context.get(), add, &result);
    EXPECT_EQ(frozen.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << frozen.error_message();
    EXPECT_LT(absl::Now() - started, absl::Seconds(3));
  }
  auto health = grpc::health::v1::Health::NewStub(server.channel());
  grpc::health::v1::HealthCheckRequest health_request;
  grpc::health::v1::HealthCheckResponse health_response;
  const absl::Time asked = absl::Now();
  const grpc::Status checked = health->Check(testing::ClientContext(std::chrono::seconds(2)).get(),
                                             health_request, &health_response);
  EXPECT_TRUE(checked.ok()) << checked.error_message();
  EXPECT_LT(absl::Now() - asked, absl::Seconds(3));

  proxy.Thaw();
  // Recovered: the retry with the same request_id is applied once, whatever became of the
  // attempts cut off by their deadlines.
  EXPECT_TRUE(
      testing::WaitUntil([&] { return server.stub().AddItem(Context().get(), add, &result).ok(); },
                         absl::Seconds(30)));
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events WHERE stream_id = 'e2e-frozen'"), "2");
}

TEST_F(CommandE2eTest, SigtermFinishesInFlightCallsAndExitsZero) {
  CommandServer server(database_->ServiceUrl({"ordo_command"}));
  ASSERT_TRUE(server.started());
  CommandResult result;
  ASSERT_TRUE(Create("e2e-drain", &result).ok());
  ASSERT_TRUE(Create("e2e-parallel", &result).ok());

  // Hold version 2 of e2e-drain in an open transaction: the server's append waits on it.
  pqxx::connection blocker_connection(database_->url());
  auto blocker = std::make_unique<pqxx::work>(blocker_connection);
  blocker->exec(
      "INSERT INTO events (stream_id, stream_type, version, event_id, event_type, "
      "schema_version, payload, metadata) VALUES ('e2e-drain', 'order', 2, gen_random_uuid(), "
      "'OrderConfirmed', 1, '{}', '{}')");
  std::future<grpc::Status> in_flight = std::async(std::launch::async, [&] {
    CommandResult added;
    return Add("e2e-drain", "sku-1", 1, &added, {}, "", &server.stub());
  });
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return database_->Query(
                   "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                   "'Lock' AND datname = current_database()") != "0";
      },
      absl::Seconds(10)));

  // Other orders are served meanwhile: calls run in parallel.
  ASSERT_TRUE(Add("e2e-parallel", "sku-1", 1, &result, {}, "", &server.stub()).ok());

  server.process().Signal(SIGTERM);
  ASSERT_TRUE(server.process().WaitForOutput("shutting down", absl::Seconds(10)));
  blocker->abort();  // the in-flight append can now proceed
  EXPECT_TRUE(in_flight.get().ok());
  EXPECT_EQ(server.process().WaitForExit(absl::Seconds(15)), 0) << server.process().Output();
  EXPECT_EQ(database_->Query("SELECT count(*) FROM events WHERE stream_id = 'e2e-drain'"), "2");
}

TEST(CommandStartup, BadFlagsExitNonZeroWithOneLine) {
  for (std::vector<std::string> argv :
       {std::vector<std::string>{ORDO_COMMAND_BINARY, "--pool_size=0",
                                 "--database_url=host=127.0.0.1"},
        std::vector<std::string>{ORDO_COMMAND_BINARY, "--no_such_flag=1"},
        std::vector<std::string>{ORDO_COMMAND_BINARY}}) {
    testing::ChildProcess process(argv, {"ORDO_DATABASE_URL="});
    std::optional<int> code = process.WaitForExit(absl::Seconds(10));
    ASSERT_TRUE(code.has_value());
    EXPECT_NE(*code, 0) << process.Output();
    EXPECT_FALSE(process.Output().empty());
  }
}

TEST(CommandStartup, UnreachableDatabaseExitsNonZero) {
  testing::ChildProcess process({ORDO_COMMAND_BINARY, "--listen=127.0.0.1:0",
                                 "--database_url=host=127.0.0.1 port=1 user=postgres"});
  std::optional<int> code = process.WaitForExit(absl::Seconds(15));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  EXPECT_NE(process.Output().find("error: connect: database unreachable"), std::string::npos)
      << process.Output();
}

}  // namespace
}  // namespace ordo
