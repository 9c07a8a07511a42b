// TLS on Ordo's servers (DESIGN §14), with certificates made by openssl for this test:
// a client that trusts the test CA gets through, one that does not (or speaks plaintext)
// does not; with --tls_client_ca a client without a certificate is refused and one with a
// certificate from that CA gets through; without the flags the server speaks plaintext and
// says so.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "support/child_process.h"
#include "support/service_process.h"
#include "support/test_database.h"

namespace ordo {
namespace {

std::string Read(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// A CA, a server certificate for 127.0.0.1 and a client certificate, in a temporary folder.
class TestCertificates {
 public:
  TestCertificates() {
    char dir[] = "/tmp/ordo-tls-XXXXXX";
    dir_ = mkdtemp(dir);
    const std::string script = absl::StrCat(
        "set -e; cd ", dir_,
        "; openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 "
        "-subj /CN=ordo-test-ca",
        "; printf 'subjectAltName=IP:127.0.0.1,DNS:localhost' > server.ext",
        "; openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
        "-subj /CN=127.0.0.1",
        "; openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-out server.pem -days 1 -extfile server.ext",
        "; openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr "
        "-subj /CN=ordo-test-client",
        "; openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-out client.pem -days 1",
        "; openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 1 "
        "-subj /CN=another-ca");
    made_ = std::system(absl::StrCat("bash -c \"", script, "\" >/dev/null 2>&1").c_str()) == 0;
  }
  ~TestCertificates() { std::system(absl::StrCat("rm -rf ", dir_).c_str()); }

  bool made() const { return made_; }
  std::string path(const std::string& name) const { return absl::StrCat(dir_, "/", name); }
  std::string pem(const std::string& name) const { return Read(path(name)); }

 private:
  std::string dir_;
  bool made_ = false;
};

// Health/Check over `credentials`; OK when the connection and the call succeed.
grpc::Status Check(int port, const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), credentials);
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  return health->Check(testing::ClientContext(std::chrono::seconds(5)).get(), request, &response);
}

std::shared_ptr<grpc::ChannelCredentials> Trusting(const std::string& ca,
                                                   const std::string& key = "",
                                                   const std::string& cert = "") {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ca;
  options.pem_private_key = key;
  options.pem_cert_chain = cert;
  return grpc::SslCredentials(options);
}

// ServiceProcess's own channel is plaintext, so the port is what these tests use of it.
class TlsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(certificates_.made()) << "openssl could not make them"; }

  testing::TestDatabase database_;
  TestCertificates certificates_;
};

TEST_F(TlsE2eTest, OnlyAClientThatTrustsTheCaGetsThrough) {
  testing::ServiceProcess query(ORDO_QUERY_BINARY, database_.ServiceUrl({"ordo_query"}),
                                {"--tls_cert=" + certificates_.path("server.pem"),
                                 "--tls_key=" + certificates_.path("server.key")});
  ASSERT_TRUE(query.started());
  EXPECT_TRUE(query.process().WaitForOutput("TLS on: serving", absl::Seconds(5)));
  EXPECT_TRUE(Check(query.port(), Trusting(certificates_.pem("ca.pem"))).ok());
  EXPECT_EQ(Check(query.port(), Trusting(certificates_.pem("other.pem"))).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Check(query.port(), grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsE2eTest, MutualTlsRefusesAClientWithoutACertificate) {
  testing::ServiceProcess command(ORDO_COMMAND_BINARY, database_.ServiceUrl({"ordo_command"}),
                                  {"--tls_cert=" + certificates_.path("server.pem"),
                                   "--tls_key=" + certificates_.path("server.key"),
                                   "--tls_client_ca=" + certificates_.path("ca.pem")});
  ASSERT_TRUE(command.started());
  EXPECT_TRUE(command.process().WaitForOutput("TLS on (mutual)", absl::Seconds(5)));
  EXPECT_NE(Check(command.port(), Trusting(certificates_.pem("ca.pem"))).error_code(),
            grpc::StatusCode::OK);
  EXPECT_TRUE(
      Check(command.port(), Trusting(certificates_.pem("ca.pem"), certificates_.pem("client.key"),
                                     certificates_.pem("client.pem")))
          .ok());
}

TEST_F(TlsE2eTest, WithoutTheFlagsTheServerSpeaksPlaintextAndSaysSo) {
  testing::ServiceProcess query(ORDO_QUERY_BINARY, database_.ServiceUrl({"ordo_query"}));
  ASSERT_TRUE(query.started());
  EXPECT_TRUE(query.process().WaitForOutput("TLS off: serving plaintext", absl::Seconds(5)));
  EXPECT_TRUE(Check(query.port(), grpc::InsecureChannelCredentials()).ok());
}

TEST_F(TlsE2eTest, AKeyWithoutACertificateStopsStartUp) {
  testing::ChildProcess query(
      {ORDO_QUERY_BINARY, "--database_url=" + database_.ServiceUrl({"ordo_query"}),
       "--listen=127.0.0.1:0", "--tls_key=" + certificates_.path("server.key")});
  EXPECT_TRUE(query.WaitForOutput("--tls_cert: required", absl::Seconds(10))) << query.Output();
  EXPECT_EQ(query.WaitForExit(absl::Seconds(10)), 1);
}

}  // namespace
}  // namespace ordo
