// The fulfilments read model: one statement per saga event.
#include "query/projectors/fulfilment_projection.h"

#include <pqxx/result>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "events/fulfilment_events.h"
#include "store/pg/pg_status.h"
#include "store/pg/sql_array.h"

namespace ordo::query {
namespace {

using ordo::v1::FulfilmentEvent;
using store::RecordedEvent;

constexpr char kStart[] = "ordo_fulfilment_start";
constexpr char kStartSql[] = R"sql(
WITH started AS (
  INSERT INTO fulfilments (order_id, state, amount_cents, currency, version, started_at,
                           updated_at)
  VALUES ($1, 'RESERVING_STOCK', $3, $4, $2,
          'epoch'::timestamptz + $5 * interval '1 microsecond',
          'epoch'::timestamptz + $5 * interval '1 microsecond')
  ON CONFLICT (order_id) DO NOTHING
  RETURNING order_id)
INSERT INTO fulfilment_reservations (order_id, sku, quantity, status)
SELECT started.order_id, l.sku, l.quantity, 'PENDING'
  FROM started, unnest($6::text[], $7::bigint[]) AS l(sku, quantity)
)sql";

// Every later event: the row's columns that change (an empty value keeps the column), and
// the reservations that move from one of `$12` to `$13` (one SKU, or all when `$11` is
// empty). A payment is voided and a shipment cancelled only when there was one to undo.
constexpr char kStep[] = "ordo_fulfilment_step";
constexpr char kStepSql[] = R"sql(
WITH stepped AS (
  UPDATE fulfilments SET
    state = coalesce(nullif($4, ''), state),
    payment_status = CASE
      WHEN $5 = '' THEN payment_status
      WHEN $5 = 'VOIDED' AND payment_status NOT IN ('REQUESTED', 'AUTHORIZED')
        THEN payment_status
      ELSE $5 END,
    shipment_status = CASE
      WHEN $6 = '' THEN shipment_status
      WHEN $6 = 'CANCELLED' AND shipment_status NOT IN ('REQUESTED', 'DISPATCHED')
        THEN shipment_status
      ELSE $6 END,
    tracking_number = coalesce(nullif($7, ''), tracking_number),
    carrier = coalesce(nullif($8, ''), carrier),
    reason = coalesce(nullif($9, ''), reason),
    detail = coalesce(nullif($10, ''), detail),
    version = $2,
    updated_at = 'epoch'::timestamptz + $3 * interval '1 microsecond'
  WHERE order_id = $1 AND version < $2
  RETURNING order_id)
UPDATE fulfilment_reservations r SET status = $13
  FROM stepped
 WHERE r.order_id = stepped.order_id AND ($11 = '' OR r.sku = $11)
   AND r.status = ANY($12::text[])
)sql";

struct Step {
  std::string state, payment, shipment, tracking, carrier, reason, detail, sku;
  std::vector<std::string> reservations_from;
  std::string reservations_to;
};

std::string OrderIdOf(const RecordedEvent& stored) {
  return events::OrderIdOfFulfilmentStream(stored.stream_id).value_or(stored.stream_id);
}

absl::Status ApplyEvent(const RecordedEvent& stored, pqxx::work& tx) {
  ORDO_ASSIGN_OR_RETURN(const FulfilmentEvent event, events::FulfilmentEvents().Decode(stored));
  const std::string order_id = OrderIdOf(stored);
  const int64_t at_us = absl::ToUnixMicros(stored.recorded_at);
  Step step;
  switch (event.event_case()) {
    case FulfilmentEvent::kFulfilmentStarted: {
      const auto& e = event.fulfilment_started();
      std::vector<std::string> skus;
      std::vector<int64_t> quantities;
      for (const auto& line : e.lines()) {
        skus.push_back(line.sku());
        quantities.push_back(line.quantity());
      }
      tx.exec_prepared(kStart, order_id, stored.version, e.amount_cents(), e.currency(), at_us,
                       store::TextArrayLiteral(skus), store::IntArrayLiteral(quantities));
      return absl::OkStatus();
    }
    case FulfilmentEvent::kFulfilmentLineReserved:
      step.sku = event.fulfilment_line_reserved().sku();
      step.reservations_from = {"PENDING"};
      step.reservations_to = "RESERVED";
      break;
    case FulfilmentEvent::kFulfilmentLineRejected:
      step.sku = event.fulfilment_line_rejected().sku();
      step.reservations_from = {"PENDING"};
      step.reservations_to = "REJECTED";
      break;
    case FulfilmentEvent::kFulfilmentPaymentRequested:
      step.state = "AUTHORIZING_PAYMENT";
      step.payment = "REQUESTED";
      break;
    case FulfilmentEvent::kFulfilmentShipmentRequested:
      step.state = "SHIPPING";
      step.payment = "AUTHORIZED";
      step.shipment = "REQUESTED";
      break;
    case FulfilmentEvent::kFulfilmentShipmentDispatched:
      step.shipment = "DISPATCHED";
      step.tracking = event.fulfilment_shipment_dispatched().tracking_number();
      step.carrier = event.fulfilment_shipment_dispatched().carrier();
      break;
    case FulfilmentEvent::kFulfilmentShipped:
      step.shipment = "SHIPPED";
      step.tracking = event.fulfilment_shipped().tracking_number();
      step.reservations_from = {"RESERVED"};
      step.reservations_to = "COMMITTED";
      break;
    case FulfilmentEvent::kFulfilmentCompleted:
      step.state = "COMPLETED";
      step.payment = "CAPTURED";
      break;
    case FulfilmentEvent::kFulfilmentCancelled: {
      const auto& e = event.fulfilment_cancelled();
      step.state = "CANCELLED";
      step.reason = e.reason();
      step.detail = e.detail();
      step.payment = e.reason() == "PAYMENT_DECLINED" ? "DECLINED" : "VOIDED";
      step.shipment = "CANCELLED";
      step.reservations_from = {"PENDING", "RESERVED"};
      step.reservations_to = "RELEASED";
      break;
    }
    case FulfilmentEvent::EVENT_NOT_SET:
      return absl::DataLossError("no event set");
  }
  tx.exec_prepared(kStep, order_id, stored.version, at_us, step.state, step.payment, step.shipment,
                   step.tracking, step.carrier, step.reason, step.detail, step.sku,
                   store::TextArrayLiteral(step.reservations_from), step.reservations_to);
  return absl::OkStatus();
}

}  // namespace

store::SubscriberFilter FulfilmentProjection::filter() const {
  return store::SubscriberFilter{{}, {events::kFulfilmentStreamType}};
}

store::HandleResult FulfilmentProjection::Handle(const std::vector<RecordedEvent>& events,
                                                 pqxx::work& tx) {
  absl::Status prepared = store::GuardPq("fulfilments", [&]() -> absl::Status {
    tx.conn().prepare(kStart, kStartSql);
    tx.conn().prepare(kStep, kStepSql);
    return absl::OkStatus();
  });
  if (!prepared.ok()) return store::HandleResult::From(prepared);
  for (size_t i = 0; i < events.size(); ++i) {
    absl::Status applied =
        store::GuardPq("fulfilments", [&]() -> absl::Status { return ApplyEvent(events[i], tx); });
    if (!applied.ok()) return store::HandleResult::FailedAt(i, applied);
  }
  return store::HandleResult::Ok();
}

}  // namespace ordo::query
