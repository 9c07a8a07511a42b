#!/usr/bin/env bash
# Smoke test of a running Ordo through server reflection only (no .proto files), with
# `buf curl` as the client: lists both servers' services, checks health, walks an order
# through its life, reads it back, and provokes four errors. Every reply is checked field
# by field with jq; a mismatch prints the call and the reply. Exit status 1 on any failure.
#   tests/smoke/smoke.sh BUF COMMAND_HOST:PORT QUERY_HOST:PORT
set -uo pipefail
BUF=$1
COMMAND=http://$2
QUERY=http://$3
source "$(dirname "$0")/smoke_lib.sh"

id="smoke-$(date +%s%N)"
customer="smoke-customer-$id"

LAST_CALL="buf curl --list-services $COMMAND"
REPLY=$("$BUF" curl --protocol grpc --http2-prior-knowledge --list-services "$COMMAND" 2>&1)
expect_lines "command services" ordo.v1.OrderCommandService ordo.v1.InventoryCommandService \
  grpc.health.v1.Health
LAST_CALL="buf curl --list-services $QUERY"
REPLY=$("$BUF" curl --protocol grpc --http2-prior-knowledge --list-services "$QUERY" 2>&1)
expect_lines "query services" ordo.v1.OrderQueryService ordo.v1.InventoryQueryService \
  ordo.v1.ProjectionService grpc.health.v1.Health

call "$COMMAND/grpc.health.v1.Health/Check" '{"service":"ordo.v1.OrderCommandService"}'
expect "command health" '.status == "SERVING"'
call "$QUERY/grpc.health.v1.Health/Check" '{"service":"ordo.v1.OrderQueryService"}'
expect "query health" '.status == "SERVING"'

call "$COMMAND/ordo.v1.OrderCommandService/CreateOrder" \
  "{\"request_id\":\"$id-1\",\"order_id\":\"$id\",\"customer_id\":\"$customer\",\"currency\":\"EUR\"}"
expect "CreateOrder" ".orderId == \"$id\" and .version == 1 and (.consistencyToken | length > 0)"
call "$COMMAND/ordo.v1.OrderCommandService/AddItem" \
  "{\"request_id\":\"$id-2\",\"order_id\":\"$id\",\"sku\":\"tea-green\",\"quantity\":3,\"unit_price_cents\":1250}"
expect "AddItem tea" ".orderId == \"$id\" and .version == 2"
call "$COMMAND/ordo.v1.OrderCommandService/AddItem" \
  "{\"request_id\":\"$id-3\",\"order_id\":\"$id\",\"sku\":\"mug\",\"quantity\":1,\"unit_price_cents\":900}"
expect "AddItem mug" '.version == 3'
call "$COMMAND/ordo.v1.OrderCommandService/RemoveItem" \
  "{\"request_id\":\"$id-4\",\"order_id\":\"$id\",\"sku\":\"mug\"}"
expect "RemoveItem" '.version == 4'
call "$COMMAND/ordo.v1.OrderCommandService/ConfirmOrder" \
  "{\"request_id\":\"$id-5\",\"order_id\":\"$id\",\"expected_version\":4}"
expect "ConfirmOrder" '.version == 5'
call "$COMMAND/ordo.v1.OrderCommandService/ShipOrder" \
  "{\"request_id\":\"$id-6\",\"order_id\":\"$id\",\"tracking_number\":\"1Z999AA1\"}"
expect "ShipOrder" '.version == 6'
token=$(jq -r '.consistencyToken' <<<"$REPLY")
# A repeated request_id returns the first result.
call "$COMMAND/ordo.v1.OrderCommandService/ShipOrder" \
  "{\"request_id\":\"$id-6\",\"order_id\":\"$id\",\"tracking_number\":\"1Z999AA1\"}"
expect "ShipOrder repeated" ".version == 6 and .consistencyToken == \"$token\""

call "$QUERY/ordo.v1.OrderQueryService/GetOrder" "{\"order_id\":\"$id\",\"consistency_token\":\"$token\"}"
expect "GetOrder with the token" "
  .orderId == \"$id\" and .customerId == \"$customer\" and .status == \"ORDER_STATUS_SHIPPED\"
  and .currency == \"EUR\" and .lineCount == 1 and .itemCount == \"3\" and .totalCents == \"3750\"
  and .trackingNumber == \"1Z999AA1\" and .version == 6
  and .lines == [{\"sku\": \"tea-green\", \"quantity\": \"3\", \"unitPriceCents\": \"1250\"}]"
call "$QUERY/ordo.v1.OrderQueryService/GetOrderHistory" "{\"order_id\":\"$id\"}"
expect "GetOrderHistory" '[.events[].eventType] == ["OrderCreated", "OrderItemAdded",
  "OrderItemAdded", "OrderItemRemoved", "OrderConfirmed", "OrderShipped"]
  and [.events[].version] == [1, 2, 3, 4, 5, 6]
  and .events[1].payload.sku == "tea-green" and .events[1].metadata.request_id == "'"$id"'-2"'
call "$QUERY/ordo.v1.OrderQueryService/ListOrders" "{\"customer_id\":\"$customer\"}"
expect "ListOrders" "[.orders[].orderId] == [\"$id\"] and (.nextPageToken // \"\") == \"\""
call "$QUERY/ordo.v1.ProjectionService/ListProjections"
expect "ListProjections" '[.projections[] | select(.name == "order_summary")][0].state == "running"'

sku="smoke-sku-$RANDOM$RANDOM"
call "$COMMAND/ordo.v1.InventoryCommandService/ReceiveStock" \
  "{\"request_id\":\"$sku-1\",\"sku\":\"$sku\",\"quantity\":5}"
expect "ReceiveStock" '.version == 1 and .onHand == "5" and .available == "5"'
call "$COMMAND/ordo.v1.InventoryCommandService/ReserveStock" \
  "{\"request_id\":\"$sku-2\",\"sku\":\"$sku\",\"order_id\":\"$id\",\"quantity\":3}"
expect "ReserveStock that fits" '.outcome == "RESERVATION_OUTCOME_RESERVED" and .available == "2"'
call "$COMMAND/ordo.v1.InventoryCommandService/ReserveStock" \
  "{\"request_id\":\"$sku-3\",\"sku\":\"$sku\",\"order_id\":\"$id-other\",\"quantity\":3}"
expect "ReserveStock that does not fit" '.outcome == "RESERVATION_OUTCOME_REJECTED" and .reserved == "3"'
stock_token=$(jq -r .consistencyToken <<<"$REPLY")
call "$QUERY/ordo.v1.InventoryQueryService/GetStock" \
  "{\"sku\":\"$sku\",\"consistency_token\":\"$stock_token\"}"
expect "GetStock with the token" '.onHand == "5" and .reserved == "3" and .available == "2" and .version == 3'
call "$COMMAND/ordo.v1.InventoryCommandService/CommitStock" \
  "{\"sku\":\"$sku\",\"order_id\":\"$id-other\"}"
expect "FAILED_PRECONDITION for committing no reservation" '.code == "failed_precondition"'

call "$COMMAND/ordo.v1.OrderCommandService/AddItem" \
  "{\"order_id\":\"$id\",\"sku\":\"tea\",\"quantity\":0,\"unit_price_cents\":1}"
expect "INVALID_ARGUMENT for a bad quantity" '.code == "invalid_argument" and (.message | startswith("quantity:"))'
call "$COMMAND/ordo.v1.OrderCommandService/ConfirmOrder" "{\"order_id\":\"$id-missing\"}"
expect "NOT_FOUND for an unknown order" '.code == "not_found"'
call "$COMMAND/ordo.v1.OrderCommandService/CreateOrder" \
  "{\"order_id\":\"$id-empty\",\"customer_id\":\"$customer\",\"currency\":\"EUR\"}"
call "$COMMAND/ordo.v1.OrderCommandService/ConfirmOrder" "{\"order_id\":\"$id-empty\"}"
expect "FAILED_PRECONDITION for confirming an empty order" '.code == "failed_precondition"'
call "$COMMAND/ordo.v1.OrderCommandService/CancelOrder" \
  "{\"order_id\":\"$id-empty\",\"expected_version\":7,\"reason\":\"stale\"}"
expect "ABORTED for a stale expected_version" '.code == "aborted"'

echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
