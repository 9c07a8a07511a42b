# Helpers of the smoke tests (sourced): `call` makes one unary call with `buf curl`,
# `expect` and `expect_lines` check its reply and count passes and failures.
# Needs BUF set to the buf binary.
passed=0
failed=0
LAST_CALL=""
REPLY=""

# call URL [JSON]: one unary call; the reply (or the error as JSON) lands in $REPLY.
call() {
  LAST_CALL="buf curl --protocol grpc --http2-prior-knowledge -d '${2:-{\}}' $1"
  REPLY=$("$BUF" curl --protocol grpc --http2-prior-knowledge -d "${2:-{\}}" "$1" 2>&1)
}

# expect DESCRIPTION JQ_EXPRESSION: the expression must be true of $REPLY.
expect() {
  if jq -e "$2" >/dev/null 2>&1 <<<"$REPLY"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL: %s\n  expected: %s\n  call: %s\n  reply: %s\n' "$1" "$2" "$LAST_CALL" "$REPLY"
  fi
}

# expect_lines DESCRIPTION TEXT...: every TEXT must be a line of $REPLY.
expect_lines() {
  local description=$1 line
  shift
  for line in "$@"; do
    if grep -qxF "$line" <<<"$REPLY"; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      printf 'FAIL: %s: no line %s\n  call: %s\n  reply: %s\n' "$description" "$line" "$LAST_CALL" "$REPLY"
    fi
  done
}

