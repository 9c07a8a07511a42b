// The Inventory aggregate as the command pipeline sees it (see command_handler.h). A hot
// SKU's stream grows without end, so it is snapshotted every kSnapshotEvery events.
#ifndef ORDO_COMMAND_HANDLER_INVENTORY_TRAITS_H_
#define ORDO_COMMAND_HANDLER_INVENTORY_TRAITS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "command/domain/inventory/inventory.h"
#include "command/domain/inventory/inventory_commands.h"
#include "command/handler/command_handler.h"
#include "events/inventory_events.h"

namespace ordo::command {

struct InventoryTraits {
  using State = domain::Inventory;
  using Command = domain::InventoryCommand;
  using Event = ordo::v1::InventoryEvent;
  struct Summary {
    int64_t on_hand = 0;
    int64_t reserved = 0;
    // For ReserveStock: whether the order holds the reservation after the command.
    bool reservation_open = false;
  };

  static constexpr char kNoun[] = "sku";
  static constexpr int kSnapshotEvery = 500;
  static constexpr int kSnapshotSchemaVersion = 1;

  static const events::InventoryCodec& Codec() { return events::InventoryEvents(); }
  static absl::Status Prepare(Command& command);
  static std::string StreamId(const Command& command);
  // ReceiveStock is as likely to find a stream as not: read it.
  static bool CreatesStream(const Command&) { return false; }
  static absl::StatusOr<std::vector<Event>> Decide(const State& state, const Command& command);
  static void Apply(State& state, const Event& event);
  static Summary Summarize(const State& state, const Command& command);
  // ordo.v1.InventoryState as proto3 JSON.
  static std::string SnapshotJson(const State& state);
  static absl::StatusOr<State> FromSnapshotJson(const std::string& json);
};

using InventoryCommandHandler = CommandHandler<InventoryTraits>;

}  // namespace ordo::command

#endif  // ORDO_COMMAND_HANDLER_INVENTORY_TRAITS_H_
