// A whole Ordo on a fresh database for end-to-end tests: ordo-command, ordo-projector and
// ordo-query as real processes on free ports, each as a login with only its service role (one stack
// per test binary, shared by its tests). Destroying it stops the processes, then drops the
// database.
#ifndef ORDO_TESTS_SUPPORT_ORDO_STACK_H_
#define ORDO_TESTS_SUPPORT_ORDO_STACK_H_

#include <string>

#include "support/child_process.h"
#include "support/service_process.h"
#include "support/test_database.h"

namespace ordo::testing {

struct StackBinaries {
  std::string command;
  std::string projector;
  std::string query;
};

class OrdoStack {
 public:
  explicit OrdoStack(const StackBinaries& binaries);
  OrdoStack(const OrdoStack&) = delete;
  OrdoStack& operator=(const OrdoStack&) = delete;

  // Both servers listen (a test failure was added otherwise).
  bool started() const { return command_.started() && query_.started(); }

  TestDatabase& database() { return database_; }
  ServiceProcess& command() { return command_; }
  ChildProcess& projector() { return projector_; }
  ServiceProcess& query() { return query_; }

 private:
  // In construction order; destroyed in reverse (processes first, then the database).
  TestDatabase database_;
  ServiceProcess command_;
  ChildProcess projector_;
  ServiceProcess query_;
};

}  // namespace ordo::testing

#endif  // ORDO_TESTS_SUPPORT_ORDO_STACK_H_
