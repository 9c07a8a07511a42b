// libFuzzer target: the validation of every Order and Inventory command (DESIGN §14), and
// the decision on a valid one against an aggregate with some history. Validation either
// accepts or refuses with INVALID_ARGUMENT naming a field; a decision on a valid command
// never crashes, and its events apply.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "command/domain/inventory/inventory.h"
#include "command/domain/inventory/inventory_decider.h"
#include "command/domain/inventory/inventory_validation.h"
#include "command/domain/order.h"
#include "command/domain/order_decider.h"
#include "command/domain/order_validation.h"

namespace {

using namespace ordo::domain;  // NOLINT: a fuzz target's one subject

void CheckRefusal(const absl::Status& status) {
  if (!status.ok() &&
      (!absl::IsInvalidArgument(status) || status.message().find(':') == std::string::npos)) {
    std::abort();  // a refusal must be INVALID_ARGUMENT and name its field
  }
}

std::string Text(FuzzedDataProvider& in) { return in.ConsumeRandomLengthString(300); }

OrderCommand AnOrderCommand(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0: {
      CreateOrder create{Text(in), Text(in), Text(in), Text(in), std::nullopt};
      if (in.ConsumeBool()) {
        ordo::v1::Address address;
        address.set_line1(Text(in));
        address.set_city(Text(in));
        address.set_postal_code(Text(in));
        address.set_country(Text(in));
        create.shipping_address = address;
      }
      return create;
    }
    case 1:
      return AddItem{Text(in), Text(in), in.ConsumeIntegral<int64_t>(),
                     in.ConsumeIntegral<int64_t>()};
    case 2:
      return RemoveItem{Text(in), Text(in)};
    case 3:
      return ConfirmOrder{Text(in)};
    case 4:
      return ShipOrder{Text(in), Text(in)};
    default:
      return CancelOrder{Text(in), Text(in)};
  }
}

InventoryCommand AnInventoryCommand(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0:
      return ReceiveStock{Text(in), in.ConsumeIntegral<int64_t>()};
    case 1:
      return AdjustStock{Text(in), in.ConsumeIntegral<int64_t>(), Text(in)};
    case 2:
      return ReserveStock{Text(in), Text(in), in.ConsumeIntegral<int64_t>()};
    case 3:
      return ReleaseStock{Text(in), Text(in)};
    default:
      return CommitStock{Text(in), Text(in)};
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  // A few commands against one order and one SKU, each decided on the state the earlier
  // ones left.
  Order order;
  Inventory inventory;
  for (int step = 0; step < 4 && in.remaining_bytes() > 0; ++step) {
    if (in.ConsumeBool()) {
      const OrderCommand command = AnOrderCommand(in);
      const absl::Status valid = ValidateCommand(command);
      CheckRefusal(valid);
      if (!valid.ok()) continue;
      absl::StatusOr<std::vector<ordo::v1::OrderEvent>> events = Decide(order, command);
      if (events.ok()) {
        for (const ordo::v1::OrderEvent& event : *events) Apply(order, event);
      }
    } else {
      const InventoryCommand command = AnInventoryCommand(in);
      const absl::Status valid = ValidateCommand(command);
      CheckRefusal(valid);
      if (!valid.ok()) continue;
      absl::StatusOr<std::vector<ordo::v1::InventoryEvent>> events = Decide(inventory, command);
      if (events.ok()) {
        for (const ordo::v1::InventoryEvent& event : *events) Apply(inventory, event);
      }
    }
  }
  return 0;
}
