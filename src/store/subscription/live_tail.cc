// One reader of the log's tail for many readers in one process.
#include "store/subscription/live_tail.h"

#include <algorithm>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/notification>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "store/log/change_notifier.h"
#include "store/pg/pg_status.h"
#include "store/subscription/event_tail.h"

namespace ordo::store {
namespace {

// Any append wakes the tail; what was appended does not matter to it.
struct AnyAppend final : pqxx::notification_receiver {
  explicit AnyAppend(pqxx::connection_base& connection)
      : notification_receiver(connection, kEventsChannel) {}
  void operator()(const std::string&, int) override {}
};

}  // namespace

LiveTail::LiveTail(std::string connection_string, LiveTailOptions options)
    : connection_string_(std::move(connection_string)), options_(options) {}

LiveTail::~LiveTail() { Stop(); }

void LiveTail::Start() {
  thread_ = std::thread([this] { Run(); });
}

void LiveTail::Stop() {
  stop_.Raise();
  if (thread_.joinable()) thread_.join();
}

std::optional<LogPosition> LiveTail::head() const {
  absl::MutexLock lock(&window_mu_);
  if (!floor_) return std::nullopt;
  return head_;
}

WindowRead LiveTail::ReadAfter(const LogPosition& after, size_t limit,
                               const std::function<bool(const RecordedEvent&)>& wanted) const {
  WindowRead read;
  absl::MutexLock lock(&window_mu_);
  if (!floor_ || after < *floor_) return read;
  read.in_window = true;
  read.scanned_to = std::max(after, head_);
  auto it =
      std::upper_bound(window_.begin(), window_.end(), after,
                       [](const LogPosition& p, const RecordedEvent& e) { return p < e.position; });
  for (; it != window_.end(); ++it) {
    if (!wanted(*it)) continue;
    read.events.push_back(*it);
    if (read.events.size() == limit) {
      read.scanned_to = it->position;
      break;
    }
  }
  return read;
}

uint64_t LiveTail::AddListener(std::function<void()> listener) {
  absl::MutexLock lock(&listeners_mu_);
  const uint64_t id = next_listener_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void LiveTail::RemoveListener(uint64_t id) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_.erase(id);
}

void LiveTail::CallListeners() {
  absl::MutexLock lock(&listeners_mu_);
  for (auto& [id, listener] : listeners_) listener();
}

bool LiveTail::Listened() {
  absl::MutexLock lock(&listeners_mu_);
  return !listeners_.empty();
}

void LiveTail::Forget() {
  absl::MutexLock lock(&window_mu_);
  window_.clear();
  floor_.reset();
}

void LiveTail::ReadNew(pqxx::connection& connection) {
  for (;;) {
    LogPosition after;
    {
      absl::MutexLock lock(&window_mu_);
      after = head_;
    }
    pqxx::nontransaction tx(connection);
    TailBatch batch = ReadTail(tx, after, options_.batch_size);
    if (batch.events.empty()) return;
    absl::MutexLock lock(&window_mu_);
    for (RecordedEvent& e : batch.events) window_.push_back(std::move(e));
    head_ = batch.scanned_to;
    while (window_.size() > options_.window_events) {
      floor_ = window_.front().position;
      window_.pop_front();
    }
    if (!batch.full) return;
  }
}

void LiveTail::Run() {
  std::string last_error;
  while (!stop_.raised()) {
    absl::Status ran = GuardPq("live tail", [&]() -> absl::Status {
      pqxx::connection connection(connection_string_);
      AnyAppend wakeup(connection);
      {
        pqxx::nontransaction tx(connection);
        tx.exec(kTailSessionSql);
      }
      last_error.clear();
      for (;;) {
        if (Listened()) {
          {
            absl::MutexLock lock(&window_mu_);
            if (!floor_) {  // a start: from the head; after a reconnect: where it was
              pqxx::nontransaction tx(connection);
              head_ = ReadTailHead(tx);
              floor_ = head_;
            }
          }
          ReadNew(connection);
        } else {
          Forget();  // nobody reads the window: spare the database the reads
        }
        CallListeners();
        if (stop_.raised()) return absl::OkStatus();
        const int64_t micros = absl::ToInt64Microseconds(options_.poll_interval);
        connection.await_notification(micros / 1000000, micros % 1000000);
      }
    });
    if (ran.ok()) return;
    if (std::string(ran.message()) != last_error) {
      last_error = std::string(ran.message());
      LogLine(absl::StrCat(last_error, "; reconnecting"));
    }
    CallListeners();  // readers still get their heartbeats
    stop_.WaitFor(absl::Seconds(1));
  }
}

}  // namespace ordo::store
