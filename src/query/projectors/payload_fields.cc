// Reads the fields of a stored event payload (a flat JSON object).
#include "query/projectors/payload_fields.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ordo::query {
namespace {

class Reader {
 public:
  explicit Reader(absl::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Consume(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ == text_.size();
  }
  char Peek() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }

  // A JSON string (the opening quote next); false when malformed.
  bool String(std::string* out) {
    if (!Consume('"')) return false;
    out->clear();
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return false;
      const char escaped = text_[pos_++];
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          out->push_back(escaped);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t code_point;
          if (!Hex4(&code_point)) return false;
          if (code_point >= 0xD800 && code_point <= 0xDBFF) {  // a surrogate pair
            uint32_t low;
            if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') {
              return false;
            }
            pos_ += 2;
            if (!Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(code_point, out);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  // A number, true, false or null, as written.
  bool Scalar(std::string* out) {
    SkipSpace();
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ' ' &&
           text_[pos_] != '\n') {
      ++pos_;
    }
    absl::string_view token = text_.substr(start, pos_ - start);
    if (token.empty() || token[0] == '{' || token[0] == '[') return false;
    *out = token == "null" ? "" : std::string(token);
    return true;
  }

 private:
  bool Hex4(uint32_t* value) {
    if (pos_ + 4 > text_.size()) return false;
    *value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      int digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return false;
      }
      *value = (*value << 4) | static_cast<uint32_t>(digit);
    }
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<PayloadFields> PayloadFields::Parse(absl::string_view json) {
  const absl::Status malformed =
      absl::DataLossError("payload is not a flat JSON object of scalar values");
  Reader reader(json);
  PayloadFields fields;
  if (!reader.Consume('{')) return malformed;
  if (reader.Consume('}'))
    return reader.AtEnd() ? absl::StatusOr<PayloadFields>(fields) : malformed;
  do {
    std::pair<std::string, std::string> field;
    if (!reader.String(&field.first) || !reader.Consume(':')) return malformed;
    const bool ok =
        reader.Peek() == '"' ? reader.String(&field.second) : reader.Scalar(&field.second);
    if (!ok) return malformed;
    fields.fields_.push_back(std::move(field));
  } while (reader.Consume(','));
  if (!reader.Consume('}') || !reader.AtEnd()) return malformed;
  return fields;
}

const std::string& PayloadFields::Text(absl::string_view name) const {
  static const std::string* const kEmpty = new std::string();
  for (const auto& [key, value] : fields_) {
    if (key == name) return value;
  }
  return *kEmpty;
}

absl::StatusOr<int64_t> PayloadFields::Integer(absl::string_view name) const {
  const std::string& text = Text(name);
  if (text.empty()) return 0;
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::DataLossError(absl::StrCat(name, " is not an integer: ", text));
  }
  return value;
}

}  // namespace ordo::query
