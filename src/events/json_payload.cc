// Event payloads as proto3 JSON: protobuf prints, simdjson and reflection parse.
#include "events/json_payload.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <simdjson.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ordo::events {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using simdjson::dom::element;
using simdjson::dom::element_type;

// Debian's abseil has its own string_view, not std::string_view.
absl::string_view Absl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

absl::Status Invalid(const std::string& path, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", Absl(why)));
}

std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : absl::StrCat(prefix, ".", name);
}

// An integer from a JSON number or, as proto3 JSON writes 64-bit values, a string.
// An error without the field's path; SetValue adds it.
absl::Status Reason(std::string_view why) { return absl::InvalidArgumentError(Absl(why)); }

template <typename Int>
absl::StatusOr<Int> ReadInteger(element value) {
  Int result = 0;
  if (value.type() == element_type::STRING) {
    std::string_view text = value.get_string().value_unsafe();
    if (!absl::SimpleAtoi(Absl(text), &result)) return Reason("not an integer in range");
    return result;
  }
  if (value.type() == element_type::INT64) {
    const int64_t v = value.get_int64().value_unsafe();
    if constexpr (std::is_signed_v<Int>) {
      if (v < std::numeric_limits<Int>::min() || v > std::numeric_limits<Int>::max()) {
        return Reason("integer out of range");
      }
    } else {
      if (v < 0 || static_cast<uint64_t>(v) > std::numeric_limits<Int>::max()) {
        return Reason("integer out of range");
      }
    }
    return static_cast<Int>(v);
  }
  if (value.type() == element_type::UINT64) {
    const uint64_t v = value.get_uint64().value_unsafe();
    if (v > static_cast<uint64_t>(std::numeric_limits<Int>::max())) {
      return Reason("integer out of range");
    }
    return static_cast<Int>(v);
  }
  return Reason("expected an integer");
}

absl::StatusOr<double> ReadDouble(element value) {
  switch (value.type()) {
    case element_type::DOUBLE:
      return value.get_double().value_unsafe();
    case element_type::INT64:
      return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64:
      return static_cast<double>(value.get_uint64().value_unsafe());
    case element_type::STRING: {
      double result = 0;
      if (!absl::SimpleAtod(Absl(value.get_string().value_unsafe()), &result)) {
        return Reason("not a number");
      }
      return result;
    }
    default:
      return Reason("expected a number");
  }
}

absl::Status ParseObject(element object, Message& message, const std::string& path);

// Sets one scalar value of `field` (appending when it is repeated); the error says why,
// without the field's path.
absl::Status SetScalar(element value, Message& message, const FieldDescriptor& field) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      if (value.type() != element_type::STRING) return Reason("expected a string");
      std::string text(value.get_string().value_unsafe());
      if (field.type() == FieldDescriptor::TYPE_BYTES) {
        return Reason("bytes fields are not supported in event payloads");
      }
      repeated ? r.AddString(&message, &field, std::move(text))
               : r.SetString(&message, &field, std::move(text));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      absl::StatusOr<int32_t> v = ReadInteger<int32_t>(value);
      if (!v.ok()) return v.status();
      repeated ? r.AddInt32(&message, &field, *v) : r.SetInt32(&message, &field, *v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      absl::StatusOr<int64_t> v = ReadInteger<int64_t>(value);
      if (!v.ok()) return v.status();
      repeated ? r.AddInt64(&message, &field, *v) : r.SetInt64(&message, &field, *v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      absl::StatusOr<uint32_t> v = ReadInteger<uint32_t>(value);
      if (!v.ok()) return v.status();
      repeated ? r.AddUInt32(&message, &field, *v) : r.SetUInt32(&message, &field, *v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      absl::StatusOr<uint64_t> v = ReadInteger<uint64_t>(value);
      if (!v.ok()) return v.status();
      repeated ? r.AddUInt64(&message, &field, *v) : r.SetUInt64(&message, &field, *v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      absl::StatusOr<double> v = ReadDouble(value);
      if (!v.ok()) return v.status();
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        repeated ? r.AddDouble(&message, &field, *v) : r.SetDouble(&message, &field, *v);
      } else {
        const float f = static_cast<float>(*v);
        repeated ? r.AddFloat(&message, &field, f) : r.SetFloat(&message, &field, f);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      if (value.type() != element_type::BOOL) return Reason("expected true or false");
      const bool v = value.get_bool().value_unsafe();
      repeated ? r.AddBool(&message, &field, v) : r.SetBool(&message, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      int number = 0;
      if (value.type() == element_type::STRING) {
        const auto* known =
            field.enum_type()->FindValueByName(std::string(value.get_string().value_unsafe()));
        if (known == nullptr) return Reason("unknown enum value");
        number = known->number();
      } else {
        absl::StatusOr<int32_t> v = ReadInteger<int32_t>(value);
        if (!v.ok()) return v.status();
        number = *v;
      }
      repeated ? r.AddEnumValue(&message, &field, number)
               : r.SetEnumValue(&message, &field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return Reason("unsupported field type");
}

// Sets one value of `field` (appending when it is repeated); errors name the field's path.
absl::Status SetValue(element value, Message& message, const FieldDescriptor& field,
                      const std::string& parent) {
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const std::string path = Join(parent, field.name());
    if (value.type() != element_type::OBJECT) return Invalid(path, "expected an object");
    const Reflection& r = *message.GetReflection();
    Message* child =
        field.is_repeated() ? r.AddMessage(&message, &field) : r.MutableMessage(&message, &field);
    return ParseObject(value, *child, path);
  }
  absl::Status status = SetScalar(value, message, field);
  if (status.ok()) return status;
  return absl::InvalidArgumentError(
      absl::StrCat(Join(parent, field.name()), ": ", status.message()));
}

// The fields of a message type by name, looked up without building a std::string per key
// (event messages have a handful of fields: a scan beats hashing). Built once per type.
class FieldIndex {
 public:
  // One cache per thread: no lock on the hot path.
  static const FieldIndex& Of(const Descriptor& descriptor) {
    thread_local absl::flat_hash_map<const Descriptor*, std::unique_ptr<FieldIndex>> indexes;
    std::unique_ptr<FieldIndex>& index = indexes[&descriptor];
    if (index == nullptr) index.reset(new FieldIndex(descriptor));
    return *index;
  }

  const FieldDescriptor* Find(std::string_view name) const {
    for (const auto& [field_name, field] : fields_) {
      if (field_name == name) return field;
    }
    return nullptr;
  }

  // Bit i set: field(i) must be present.
  uint64_t required() const { return required_; }

 private:
  explicit FieldIndex(const Descriptor& descriptor) {
    for (int i = 0; i < descriptor.field_count(); ++i) {
      const FieldDescriptor* field = descriptor.field(i);
      fields_.emplace_back(field->name(), field);
      const bool required = !field->is_repeated() && !field->has_optional_keyword() &&
                            field->real_containing_oneof() == nullptr;
      if (required && i < 64) required_ |= uint64_t{1} << i;
    }
  }

  std::vector<std::pair<std::string, const FieldDescriptor*>> fields_;
  uint64_t required_ = 0;
};

absl::Status ParseObject(element object, Message& message, const std::string& path) {
  const Descriptor& descriptor = *message.GetDescriptor();
  const FieldIndex& index = FieldIndex::Of(descriptor);
  uint64_t seen = 0;
  simdjson::dom::object members;
  if (object.get_object().get(members) != simdjson::SUCCESS) {
    return Invalid(path.empty() ? "payload" : path, "expected an object");
  }
  for (simdjson::dom::key_value_pair member : members) {
    // Stored payloads use the .proto field names (PrintJsonPayload).
    const FieldDescriptor* field = index.Find(member.key);
    if (field == nullptr) continue;  // written by a newer version: not ours to read
    if (member.value.type() == element_type::NULL_VALUE) continue;  // proto3: null is unset
    if (field->is_map()) return Invalid(Join(path, field->name()), "map fields are not supported");
    if (field->is_repeated()) {
      if (member.value.type() != element_type::ARRAY) {
        return Invalid(Join(path, field->name()), "expected an array");
      }
      message.GetReflection()->ClearField(&message, field);
      simdjson::dom::array items;
      if (member.value.get_array().get(items) != simdjson::SUCCESS) {
        return Invalid(Join(path, field->name()), "expected an array");
      }
      for (element item : items) {
        if (absl::Status s = SetValue(item, message, *field, path); !s.ok()) return s;
      }
    } else if (absl::Status s = SetValue(member.value, message, *field, path); !s.ok()) {
      return s;
    }
    if (field->index() < 64) seen |= uint64_t{1} << field->index();
  }
  if (const uint64_t missing = index.required() & ~seen; missing != 0) {
    for (int i = 0; i < descriptor.field_count() && i < 64; ++i) {
      if (missing & (uint64_t{1} << i)) {
        return Invalid(Join(path, descriptor.field(i)->name()), "required field missing");
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> PrintJsonPayload(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::InternalError(status.ToString());
  return json;
}

absl::Status ParseJsonPayload(std::string_view json, Message& message) {
  // One parser per thread: it keeps its buffers between calls (no allocation per event).
  thread_local simdjson::dom::parser parser;
  message.Clear();
  element root;
  if (simdjson::error_code error = parser.parse(json.data(), json.size()).get(root); error) {
    return absl::InvalidArgumentError(
        absl::StrCat("payload: ", Absl(simdjson::error_message(error))));
  }
  if (root.type() != element_type::OBJECT) {
    return absl::InvalidArgumentError("payload: expected a JSON object");
  }
  return ParseObject(root, message, "");
}

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", static_cast<unsigned char>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace ordo::events
