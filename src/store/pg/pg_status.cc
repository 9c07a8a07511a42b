// The one place where libpqxx exceptions become absl::Status.
#include "store/pg/pg_status.h"

#include <exception>
#include <pqxx/except>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace ordo::store {
namespace {

// libpq messages span lines ("...failed: Connection refused\n\tIs the server running...");
// statuses and logs want one line.
std::string OneLine(absl::string_view text) {
  std::string line =
      absl::StrReplaceAll(absl::StripAsciiWhitespace(text), {{"\n\t", " "}, {"\n", " "}});
  return line;
}

absl::Status FromSqlState(absl::string_view context, const std::string& sqlstate,
                          absl::string_view message) {
  const std::string text = absl::StrCat(context, ": ", message);
  // Class 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now;
  // class 53: insufficient resources (e.g. too many connections).
  if (absl::StartsWith(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03" || absl::StartsWith(sqlstate, "53")) {
    return absl::UnavailableError(text);
  }
  // Every unique constraint of the store arbitrates concurrent writers (stream version,
  // request id): a violation means another writer got there first.
  if (sqlstate == "23505" || sqlstate == "40001" || sqlstate == "40P01") {
    return absl::AbortedError(text);
  }
  if (sqlstate == "57014") return absl::DeadlineExceededError(text);
  if (sqlstate == "P0001") return absl::FailedPreconditionError(text);
  return absl::InternalError(text);
}

}  // namespace

absl::Status StatusFromCurrentException(absl::string_view context) {
  try {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    return absl::UnavailableError(absl::StrCat(
        context, ": commit outcome unknown (connection lost); retry with the same request_id: ",
        OneLine(e.what())));
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(
        absl::StrCat(context, ": database unreachable: ", OneLine(e.what())));
  } catch (const pqxx::sql_error& e) {
    return FromSqlState(context, e.sqlstate(), OneLine(e.what()));
  } catch (const pqxx::transaction_rollback& e) {
    // Not an sql_error in libpqxx 6.4: serialization failure, deadlock, unknown completion.
    return absl::AbortedError(absl::StrCat(context, ": ", OneLine(e.what())));
  } catch (const pqxx::failure& e) {
    // Other libpq-level failures are almost always a lost connection.
    return absl::UnavailableError(absl::StrCat(context, ": ", OneLine(e.what())));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(context, ": ", OneLine(e.what())));
  } catch (...) {
    return absl::InternalError(absl::StrCat(context, ": unknown exception"));
  }
}

}  // namespace ordo::store
