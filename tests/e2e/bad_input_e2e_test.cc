// Bad input to the query side and to the command side's parser, as a new user sends it
// (DESIGN §14), through real processes: ids and filters that are 10 KB long, hold NUL or
// look like SQL, enum values no version of the API has, malformed tokens, a string field
// with invalid UTF-8, a request over the size limit, a flood of connections that never
// finish their handshake, and admin calls with what they need missing. Each call ends
// INVALID_ARGUMENT (or NOT_FOUND for a well-formed name that does not exist) with a message
// that names the field and stays short, and none of them writes anything.
#include <arpa/inet.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ordo/v1/fulfilment_query_service.pb.h"
#include "ordo/v1/inventory_query_service.pb.h"
#include "ordo/v1/notification_query_service.pb.h"
#include "ordo/v1/query_service.pb.h"
#include "support/ordo_stack.h"
#include "support/service_process.h"
#include "support/wait.h"

namespace ordo {
namespace {

// A message longer than this would not be "a short prefix" of a 10 KB value.
constexpr size_t kMaxMessageBytes = 300;

const std::string k10Kb(10240, 'x');
const std::string kNul("a\0b", 3);
const std::string kSql = "'; DROP TABLE events; --";

struct Case {
  std::string name;
  std::string method;   // "/package.Service/Method"
  std::string request;  // serialized
  grpc::StatusCode code;
  std::string field;  // the message starts with "<field>:"
};

// Calls `method` with raw request bytes and returns its status.
grpc::Status CallRaw(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                     const std::string& bytes) {
  grpc::GenericStub stub(channel);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  auto context = testing::ClientContext();
  std::promise<grpc::Status> done;
  stub.UnaryCall(context.get(), method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

// A plain TCP connection to the loopback port; -1 when it fails.
int ConnectTcp(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// True once the peer has closed the connection (or reset it); reads and drops what it sent
// before (a gRPC server sends its HTTP/2 SETTINGS at once).
bool ClosedByPeer(int fd) {
  char bytes[256];
  for (;;) {
    const ssize_t got = recv(fd, bytes, sizeof(bytes), MSG_DONTWAIT);
    if (got > 0) continue;
    return got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
  }
}

template <typename Message, typename Fill>
std::string Bytes(Fill fill) {
  Message message;
  fill(message);
  return message.SerializeAsString();
}

class BadInputE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ =
        new testing::OrdoStack({ORDO_COMMAND_BINARY, ORDO_PROJECTOR_BINARY, ORDO_QUERY_BINARY});
    // The projector writes each projection's checkpoint row when its runner starts: wait
    // for all three, so that what the tests compare before and after holds still.
    ASSERT_TRUE(testing::WaitUntil(
        [] {
          return stack_->database().Query("SELECT count(*) FROM projection_checkpoints") == "3";
        },
        absl::Seconds(30)));
  }
  static void TearDownTestSuite() { delete stack_; }

  // Everything a bad call could have written.
  std::string Written() {
    return stack_->database().Query(
        "SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM command_requests) "
        "|| '/' || (SELECT count(*) FROM dead_letters) || '/' || "
        "(SELECT string_agg(name || '@' || global_position || state, ',' ORDER BY name) "
        "FROM projection_checkpoints)");
  }

  void Expect(const Case& c, const std::shared_ptr<grpc::Channel>& channel) {
    const grpc::Status status = CallRaw(channel, c.method, c.request);
    EXPECT_EQ(status.error_code(), c.code) << c.name << ": " << status.error_message();
    EXPECT_TRUE(absl::StartsWith(status.error_message(), c.field + ":"))
        << c.name << ": " << status.error_message();
    EXPECT_LE(status.error_message().size(), kMaxMessageBytes) << c.name;
  }

  static testing::OrdoStack* stack_;
};
testing::OrdoStack* BadInputE2eTest::stack_ = nullptr;

TEST_F(BadInputE2eTest, EveryQueryRpcRefusesBadInputNamingTheField) {
  ASSERT_TRUE(stack_->started());
  using grpc::StatusCode;
  const StatusCode kInvalid = StatusCode::INVALID_ARGUMENT;
  const std::string orders = "/ordo.v1.OrderQueryService/";
  const std::string projections = "/ordo.v1.ProjectionService/";
  const std::string stock = "/ordo.v1.InventoryQueryService/";
  const std::string fulfilment = "/ordo.v1.FulfilmentQueryService/";
  const std::string notifications = "/ordo.v1.NotificationQueryService/";
  using ordo::v1::GetOrderRequest;
  using ordo::v1::ListOrdersRequest;
  const std::vector<Case> cases = {
      {"GetOrder, 10 KB id", orders + "GetOrder",
       Bytes<GetOrderRequest>([](auto& r) { r.set_order_id(k10Kb); }), kInvalid, "order_id"},
      {"GetOrder, NUL in id", orders + "GetOrder",
       Bytes<GetOrderRequest>([](auto& r) { r.set_order_id(kNul); }), kInvalid, "order_id"},
      {"GetOrder, no id", orders + "GetOrder", "", kInvalid, "order_id"},
      {"GetOrder, malformed token", orders + "GetOrder", Bytes<GetOrderRequest>([](auto& r) {
         r.set_order_id("o-1");
         r.set_consistency_token("1.zz.%");
       }),
       kInvalid, "consistency_token"},
      {"GetOrder, 10 KB token", orders + "GetOrder", Bytes<GetOrderRequest>([](auto& r) {
         r.set_order_id("o-1");
         r.set_consistency_token(k10Kb);
       }),
       kInvalid, "consistency_token"},
      // Field 1 (order_id), 2 bytes that are not UTF-8.
      {"GetOrder, invalid UTF-8", orders + "GetOrder", std::string("\x0a\x02\xff\xfe", 4), kInvalid,
       "request"},
      {"ListOrders, unknown status", orders + "ListOrders", Bytes<ListOrdersRequest>([](auto& r) {
         r.set_status(static_cast<ordo::v1::OrderStatus>(999));
       }),
       kInvalid, "status"},
      {"ListOrders, NUL in customer", orders + "ListOrders",
       Bytes<ListOrdersRequest>([](auto& r) { r.set_customer_id(kNul); }), kInvalid, "customer_id"},
      {"ListOrders, 10 KB customer", orders + "ListOrders",
       Bytes<ListOrdersRequest>([](auto& r) { r.set_customer_id(k10Kb); }), kInvalid,
       "customer_id"},
      {"ListOrders, negative page size", orders + "ListOrders",
       Bytes<ListOrdersRequest>([](auto& r) { r.set_page_size(-1); }), kInvalid, "page_size"},
      {"ListOrders, malformed page token", orders + "ListOrders",
       Bytes<ListOrdersRequest>([](auto& r) { r.set_page_token(kSql); }), kInvalid, "page_token"},
      {"ListOrders, 10 KB page token", orders + "ListOrders",
       Bytes<ListOrdersRequest>([](auto& r) { r.set_page_token(k10Kb); }), kInvalid, "page_token"},
      {"GetOrderHistory, 10 KB id", orders + "GetOrderHistory",
       Bytes<ordo::v1::GetOrderHistoryRequest>([](auto& r) { r.set_order_id(k10Kb); }), kInvalid,
       "order_id"},
      {"GetOrderHistory, another stream's id", orders + "GetOrderHistory",
       Bytes<ordo::v1::GetOrderHistoryRequest>([](auto& r) { r.set_order_id("inventory:sku-1"); }),
       kInvalid, "order_id"},
      {"GetStock, NUL in sku", stock + "GetStock",
       Bytes<ordo::v1::GetStockRequest>([](auto& r) { r.set_sku(kNul); }), kInvalid, "sku"},
      {"GetStock, 10 KB sku", stock + "GetStock",
       Bytes<ordo::v1::GetStockRequest>([](auto& r) { r.set_sku(k10Kb); }), kInvalid, "sku"},
      {"ListStock, malformed page token", stock + "ListStock",
       Bytes<ordo::v1::ListStockRequest>([](auto& r) { r.set_page_token("%%%"); }), kInvalid,
       "page_token"},
      {"GetFulfilment, 10 KB id", fulfilment + "GetFulfilment",
       Bytes<ordo::v1::GetFulfilmentRequest>([](auto& r) { r.set_order_id(k10Kb); }), kInvalid,
       "order_id"},
      {"ListFulfilments, unknown state", fulfilment + "ListFulfilments",
       Bytes<ordo::v1::ListFulfilmentsRequest>(
           [](auto& r) { r.set_state(static_cast<ordo::v1::FulfilmentState>(999)); }),
       kInvalid, "state"},
      {"GetFulfilmentHistory, NUL in id", fulfilment + "GetFulfilmentHistory",
       Bytes<ordo::v1::GetFulfilmentHistoryRequest>([](auto& r) { r.set_order_id(kNul); }),
       kInvalid, "order_id"},
      {"ListNotifications, no customer", notifications + "ListNotifications", "", kInvalid,
       "customer_id"},
      {"ListNotifications, 10 KB customer", notifications + "ListNotifications",
       Bytes<ordo::v1::ListNotificationsRequest>([](auto& r) { r.set_customer_id(k10Kb); }),
       kInvalid, "customer_id"},
      {"ListDeadLetters, 10 KB projection", projections + "ListDeadLetters",
       Bytes<ordo::v1::ListDeadLettersRequest>([](auto& r) { r.set_projection(k10Kb); }), kInvalid,
       "projection"},
      {"ReplayDeadLetter, id 0", projections + "ReplayDeadLetter", "", kInvalid, "id"},
      // The reason is checked before the letter is looked up (there is no letter 999).
      {"DiscardDeadLetter, no reason", projections + "DiscardDeadLetter",
       Bytes<ordo::v1::DiscardDeadLetterRequest>([](auto& r) { r.set_id(999); }), kInvalid,
       "reason"},
      {"DiscardDeadLetter, 10 KB reason", projections + "DiscardDeadLetter",
       Bytes<ordo::v1::DiscardDeadLetterRequest>([](auto& r) {
         r.set_id(999);
         r.set_reason(k10Kb);
       }),
       kInvalid, "reason"},
      {"DiscardDeadLetter, negative id", projections + "DiscardDeadLetter",
       Bytes<ordo::v1::DiscardDeadLetterRequest>([](auto& r) {
         r.set_id(-1);
         r.set_reason("no");
       }),
       kInvalid, "id"},
      {"RebuildProjection, 10 KB name", projections + "RebuildProjection",
       Bytes<ordo::v1::RebuildProjectionRequest>([](auto& r) { r.set_name(k10Kb); }), kInvalid,
       "name"},
      {"RebuildProjection, no name", projections + "RebuildProjection", "", kInvalid, "name"},
      {"RebuildProjection, SQL for a name", projections + "RebuildProjection",
       Bytes<ordo::v1::RebuildProjectionRequest>([](auto& r) { r.set_name(kSql); }),
       StatusCode::NOT_FOUND, "name"},
  };
  const std::string before = Written();
  for (const Case& c : cases) Expect(c, stack_->query().channel());
  EXPECT_EQ(Written(), before);
}

TEST_F(BadInputE2eTest, AnOversizedRequestIsResourceExhaustedAndTheServerGoesOn) {
  ASSERT_TRUE(stack_->started());
  const std::string before = Written();
  // 2 MiB in customer_id (field 3), over the servers' 1 MiB limit.
  const std::string huge = Bytes<ordo::v1::ListOrdersRequest>(
      [](auto& r) { r.set_customer_id(std::string(2 << 20, 'x')); });
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(CallRaw(stack_->query().channel(), "/ordo.v1.OrderQueryService/ListOrders", huge)
                  .error_code(),
              grpc::StatusCode::RESOURCE_EXHAUSTED);
  }
  EXPECT_EQ(CallRaw(stack_->command().channel(), "/ordo.v1.OrderCommandService/CreateOrder", huge)
                .error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Both still serve.
  EXPECT_TRUE(CallRaw(stack_->query().channel(), "/ordo.v1.OrderQueryService/ListOrders", "").ok());
  EXPECT_EQ(CallRaw(stack_->command().channel(), "/ordo.v1.OrderCommandService/CreateOrder", "")
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Written(), before);
}

// 1,000 connections that never finish their handshake (half stop inside the HTTP/2
// preface): callers are served meanwhile, and the server closes every one of them at its
// handshake timeout (10 s) instead of holding their file descriptors.
TEST_F(BadInputE2eTest, AFloodOfSilentConnectionsIsShedWhileCallersAreServed) {
  ASSERT_TRUE(stack_->started());
  constexpr int kConnections = 1000;
  std::vector<int> silent;
  for (int i = 0; i < kConnections; ++i) {
    const int fd = ConnectTcp(stack_->query().port());
    ASSERT_GE(fd, 0) << "connection " << i;
    silent.push_back(fd);
    if (i % 2 == 0) {
      ASSERT_EQ(send(fd, "PRI * HTTP/2.0\r\n", 16, MSG_NOSIGNAL), 16);
    }
  }
  EXPECT_TRUE(CallRaw(stack_->query().channel(), "/ordo.v1.OrderQueryService/ListOrders", "").ok());
  auto fresh = grpc::CreateChannel(absl::StrCat("127.0.0.1:", stack_->query().port()),
                                   grpc::InsecureChannelCredentials());
  EXPECT_TRUE(CallRaw(fresh, "/ordo.v1.OrderQueryService/ListOrders", "").ok());

  EXPECT_TRUE(testing::WaitUntil(
      [&] {
        for (int fd : silent) {
          if (!ClosedByPeer(fd)) return false;
        }
        return true;
      },
      absl::Seconds(30)));
  for (int fd : silent) close(fd);
  EXPECT_TRUE(CallRaw(fresh, "/ordo.v1.OrderQueryService/ListOrders", "").ok());
}

TEST_F(BadInputE2eTest, ACommandThatDoesNotParseIsInvalidArgumentAndWritesNothing) {
  ASSERT_TRUE(stack_->started());
  const std::string before = Written();
  // Field 3 (customer_id) of CreateOrderRequest, 2 bytes that are not UTF-8.
  Expect({"CreateOrder, invalid UTF-8", "/ordo.v1.OrderCommandService/CreateOrder",
          std::string("\x1a\x02\xff\xfe", 4), grpc::StatusCode::INVALID_ARGUMENT, "request"},
         stack_->command().channel());
  const grpc::Status status =
      CallRaw(stack_->command().channel(), "/ordo.v1.OrderCommandService/CreateOrder",
              std::string("\x1a\x02\xff\xfe", 4));
  EXPECT_TRUE(absl::StrContains(status.error_message(), "ordo.v1.CreateOrderRequest"))
      << status.error_message();
  // A method no service has stays UNIMPLEMENTED.
  EXPECT_EQ(
      CallRaw(stack_->command().channel(), "/ordo.v1.OrderCommandService/Nope", "").error_code(),
      grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(Written(), before);
}

}  // namespace
}  // namespace ordo
