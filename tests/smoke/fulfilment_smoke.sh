#!/usr/bin/env bash
# Smoke test of order fulfilment on a running Ordo with ordo-saga, through server
# reflection only, with `buf curl`: the README's walk-through (receive stock, create,
# add, confirm, watch it ship and complete) and its out-of-stock, declined, timed-out and
# cancelled paths, each ending CANCELLED with its reason and the stock back. ordo-saga must
# run with --payment_timeout of a few seconds at most.
#   tests/smoke/fulfilment_smoke.sh BUF COMMAND_HOST:PORT QUERY_HOST:PORT
set -uo pipefail
BUF=$1
COMMAND=http://$2
QUERY=http://$3
source "$(dirname "$0")/smoke_lib.sh"

run="f$(date +%s%N)"

# wait_for_state ORDER_ID STATE: polls GetFulfilment (30 s at most); the last reply stays
# in $REPLY.
wait_for_state() {
  for _ in $(seq 1 300); do
    call "$QUERY/ordo.v1.FulfilmentQueryService/GetFulfilment" "{\"order_id\":\"$1\"}"
    jq -e ".state == \"$2\"" >/dev/null 2>&1 <<<"$REPLY" && return 0
    sleep 0.1
  done
}

# place ORDER_ID CUSTOMER SKU QUANTITY: create, add one line, confirm.
place() {
  call "$COMMAND/ordo.v1.OrderCommandService/CreateOrder" \
    "{\"order_id\":\"$1\",\"customer_id\":\"$2\",\"currency\":\"EUR\"}"
  call "$COMMAND/ordo.v1.OrderCommandService/AddItem" \
    "{\"order_id\":\"$1\",\"sku\":\"$3\",\"quantity\":$4,\"unit_price_cents\":1250}"
  call "$COMMAND/ordo.v1.OrderCommandService/ConfirmOrder" "{\"order_id\":\"$1\"}"
  expect "ConfirmOrder $1" '.version == 3'
}

LAST_CALL="buf curl --list-services $QUERY"
REPLY=$("$BUF" curl --protocol grpc --http2-prior-knowledge --list-services "$QUERY" 2>&1)
expect_lines "query services" ordo.v1.FulfilmentQueryService

sku="$run-tea"
call "$COMMAND/ordo.v1.InventoryCommandService/ReceiveStock" "{\"sku\":\"$sku\",\"quantity\":10}"
expect "ReceiveStock" '.onHand == "10"'

place "$run-1" "c-$run" "$sku" 2
wait_for_state "$run-1" FULFILMENT_STATE_COMPLETED
expect "happy path COMPLETED" '.state == "FULFILMENT_STATE_COMPLETED" and .payment.status ==
  "PAYMENT_STATUS_CAPTURED" and .payment.amountCents == "2500" and .shipment.status ==
  "SHIPMENT_STATUS_SHIPPED" and .shipment.carrier == "sandbox" and .reservations[0].status ==
  "RESERVATION_STATUS_COMMITTED"'
tracking=$(jq -r '.shipment.trackingNumber' <<<"$REPLY")
call "$QUERY/ordo.v1.OrderQueryService/GetOrder" "{\"order_id\":\"$run-1\"}"
expect "the order SHIPPED with the tracking number" \
  ".status == \"ORDER_STATUS_SHIPPED\" and .trackingNumber == \"$tracking\""
call "$QUERY/ordo.v1.FulfilmentQueryService/GetFulfilmentHistory" "{\"order_id\":\"$run-1\"}"
expect "the saga's history" '[.events[].eventType] == ["FulfilmentStarted",
  "FulfilmentLineReserved", "FulfilmentPaymentRequested", "FulfilmentShipmentRequested",
  "FulfilmentShipmentDispatched", "FulfilmentShipped", "FulfilmentCompleted"]'

place "$run-2" "c-$run" "$sku" 50
wait_for_state "$run-2" FULFILMENT_STATE_CANCELLED
expect "out of stock" ".reason == \"OUT_OF_STOCK\" and .detail == \"out of stock: $sku\""

place "$run-3" "decline-$run" "$sku" 1
wait_for_state "$run-3" FULFILMENT_STATE_CANCELLED
expect "declined" '.reason == "PAYMENT_DECLINED" and .payment.status == "PAYMENT_STATUS_DECLINED"'

place "$run-4" "timeout-$run" "$sku" 1
wait_for_state "$run-4" FULFILMENT_STATE_CANCELLED
expect "timed out" '.reason == "PAYMENT_TIMEOUT" and .payment.status == "PAYMENT_STATUS_VOIDED"'

place "$run-5" "timeout-$run" "$sku" 1
wait_for_state "$run-5" FULFILMENT_STATE_AUTHORIZING_PAYMENT
call "$COMMAND/ordo.v1.OrderCommandService/CancelOrder" \
  "{\"order_id\":\"$run-5\",\"reason\":\"changed my mind\"}"
wait_for_state "$run-5" FULFILMENT_STATE_CANCELLED
expect "cancelled by the customer" '.reason == "ORDER_CANCELLED" and .detail ==
  "order cancelled: changed my mind"'

# Only the shipped order's 2 units left; every other reservation was released.
for _ in $(seq 1 100); do
  call "$QUERY/ordo.v1.InventoryQueryService/GetStock" "{\"sku\":\"$sku\"}"
  jq -e '.reserved == null and .onHand == "8"' >/dev/null 2>&1 <<<"$REPLY" && break
  sleep 0.1
done
expect "the stock back" '.onHand == "8" and (.reserved // "0") == "0" and .available == "8"'

call "$QUERY/ordo.v1.FulfilmentQueryService/ListFulfilments" \
  '{"state":"FULFILMENT_STATE_CANCELLED","page_size":2}'
expect "ListFulfilments pages" '(.fulfilments | length) == 2 and (.nextPageToken | length > 0)'
call "$QUERY/ordo.v1.ProjectionService/ListProjections"
expect "the saga in ListProjections" '[.projections[].name] | index("fulfilment") != null'

echo "fulfilment smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
