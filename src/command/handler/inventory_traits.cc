// The Inventory aggregate as the command pipeline sees it.
#include "command/handler/inventory_traits.h"

#include "command/domain/inventory/inventory_decider.h"
#include "command/domain/inventory/inventory_validation.h"
#include "events/json_payload.h"
#include "ordo/v1/inventory_state.pb.h"

namespace ordo::command {

absl::Status InventoryTraits::Prepare(Command& command) { return domain::ValidateCommand(command); }

std::string InventoryTraits::StreamId(const Command& command) {
  return events::InventoryStreamId(domain::TargetSku(command));
}

absl::StatusOr<std::vector<InventoryTraits::Event>> InventoryTraits::Decide(
    const State& state, const Command& command) {
  return domain::Decide(state, command);
}

void InventoryTraits::Apply(State& state, const Event& event) { domain::Apply(state, event); }

InventoryTraits::Summary InventoryTraits::Summarize(const State& state, const Command& command) {
  Summary summary{state.on_hand, state.reserved, false};
  if (const auto* reserve = std::get_if<domain::ReserveStock>(&command)) {
    summary.reservation_open = state.reservations.count(reserve->order_id) > 0;
  }
  return summary;
}

std::string InventoryTraits::SnapshotJson(const State& state) {
  ordo::v1::InventoryState snapshot;
  snapshot.set_sku(state.sku);
  snapshot.set_on_hand(state.on_hand);
  snapshot.set_version(state.version);
  for (const auto& [order_id, quantity] : state.reservations) {
    auto* reservation = snapshot.add_reservations();
    reservation->set_order_id(order_id);
    reservation->set_quantity(quantity);
  }
  absl::StatusOr<std::string> json = events::PrintJsonPayload(snapshot);
  return json.ok() ? *std::move(json) : std::string();
}

absl::StatusOr<InventoryTraits::State> InventoryTraits::FromSnapshotJson(const std::string& json) {
  ordo::v1::InventoryState snapshot;
  ORDO_RETURN_IF_ERROR(events::ParseJsonPayload(json, snapshot));
  State state;
  state.sku = snapshot.sku();
  state.on_hand = snapshot.on_hand();
  state.version = snapshot.version();
  for (const auto& reservation : snapshot.reservations()) {
    state.reservations[reservation.order_id()] = reservation.quantity();
    state.reserved += reservation.quantity();
  }
  return state;
}

}  // namespace ordo::command
