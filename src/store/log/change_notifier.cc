// Wakes projectors after commits with a coalesced NOTIFY from its own connection.
#include "store/log/change_notifier.h"

#include <memory>
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "store/log/wakeup_payload.h"
#include "store/pg/pg_status.h"

namespace ordo::store {

ChangeNotifier::ChangeNotifier(std::string connection_string)
    : connection_string_(std::move(connection_string)), thread_([this] { Run(); }) {}

ChangeNotifier::~ChangeNotifier() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void ChangeNotifier::Notify(const std::string& stream_type,
                            const std::vector<std::string>& event_types) {
  absl::MutexLock lock(&mu_);
  pending_ = true;
  if (stream_type.empty()) {
    pending_any_type_ = true;
  } else {
    pending_types_.insert(stream_type);
  }
  if (event_types.empty()) {
    pending_any_event_type_ = true;
  } else {
    pending_event_types_.insert(event_types.begin(), event_types.end());
  }
}

void ChangeNotifier::Run() {
  std::unique_ptr<pqxx::connection> connection;
  std::string payload;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](ChangeNotifier* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->pending_ || self->stopping_;
          },
          this));
      if (stopping_) return;
      pending_ = false;
      payload = pending_any_type_ ? ""
                                  : WakeupPayload(pending_types_, pending_any_event_type_
                                                                      ? std::set<std::string>()
                                                                      : pending_event_types_);
      pending_types_.clear();
      pending_any_type_ = false;
      pending_event_types_.clear();
      pending_any_event_type_ = false;
    }
    absl::Status sent = GuardPq("notify", [&]() -> absl::Status {
      if (connection == nullptr || !connection->is_open()) {
        connection = std::make_unique<pqxx::connection>(connection_string_);
      }
      pqxx::nontransaction tx(*connection);
      tx.exec_params("SELECT pg_notify($1, $2)", kEventsChannel, payload);
      return absl::OkStatus();
    });
    // Projectors also poll, so a lost NOTIFY only delays them; try afresh next time.
    if (!sent.ok()) connection.reset();
  }
}

}  // namespace ordo::store
