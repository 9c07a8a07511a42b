#!/usr/bin/env bash
# The layering of DESIGN §2, checked on the includes (the link graph checks the rest):
# store knows no domain, events knows the contract and the store's plain types only, the
# domain includes no gRPC and no SQL, command and query never include each other, and relay
# uses events and store only.
#   tests/layering_test.sh SRC_DIR
set -euo pipefail
SRC=$1
failures=0
# forbid DIR PATTERN WHY: no file under SRC/DIR may include a header matching PATTERN.
forbid() {
  local hits
  hits=$(grep -rnE "^#include [<\"]($2)" "$SRC/$1" --include='*.h' --include='*.cc' || true)
  if [ -n "$hits" ]; then
    printf 'FAIL: %s\n%s\n' "$3" "$hits"
    failures=$((failures + 1))
  fi
}
forbid store 'command/|query/|events/|ordo/v1/' "store/ knows no domain and no event contract"
forbid events 'command/|query/|store/pg/|store/subscription/|store/projection/|grpcpp|pqxx' \
  "events/ uses only the contract and the store's plain types"
forbid command/domain 'grpcpp|pqxx|store/|query/|.*\.grpc\.pb\.h' "the domain is pure: no gRPC, no SQL"
forbid command 'query/' "command/ never includes query/"
forbid query 'command/' "query/ never includes command/"
forbid common 'command/|query/|store/|events/|relay/' "common/ depends on no layer"
forbid relay 'command/|query/' "relay/ uses events/ and store/ only"
forbid command 'relay/' "command/ never includes relay/"
forbid query 'relay/' "query/ never includes relay/"
if [ "$failures" -eq 0 ]; then echo "layering: 9 passed, 0 failed"; else echo "layering: $failures failed"; fi
[ "$failures" -eq 0 ]
