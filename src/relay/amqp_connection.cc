// One AMQP connection and channel over rabbitmq-c 0.11, as absl::Status.
#include "relay/amqp_connection.h"

#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace ordo::relay {
namespace {

constexpr amqp_channel_t kChannel = 1;

timeval AsTimeval(absl::Duration d) {
  if (d < absl::ZeroDuration()) d = absl::ZeroDuration();
  const int64_t micros = absl::ToInt64Microseconds(d);
  timeval tv;
  tv.tv_sec = micros / 1000000;
  tv.tv_usec = micros % 1000000;
  return tv;
}

amqp_bytes_t Bytes(const std::string& s) {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char*>(s.data());
  return b;
}

std::string Text(amqp_bytes_t b) {
  return b.len == 0 ? std::string() : std::string(static_cast<const char*>(b.bytes), b.len);
}

std::string FieldText(const amqp_field_value_t& v) {
  switch (v.kind) {
    case AMQP_FIELD_KIND_UTF8:
    case AMQP_FIELD_KIND_BYTES:
      return Text(v.value.bytes);
    case AMQP_FIELD_KIND_I8:
      return std::to_string(v.value.i8);
    case AMQP_FIELD_KIND_U8:
      return std::to_string(v.value.u8);
    case AMQP_FIELD_KIND_I16:
      return std::to_string(v.value.i16);
    case AMQP_FIELD_KIND_U16:
      return std::to_string(v.value.u16);
    case AMQP_FIELD_KIND_I32:
      return std::to_string(v.value.i32);
    case AMQP_FIELD_KIND_U32:
      return std::to_string(v.value.u32);
    case AMQP_FIELD_KIND_I64:
      return std::to_string(v.value.i64);
    case AMQP_FIELD_KIND_U64:
      return std::to_string(v.value.u64);
    default:
      return "";
  }
}

absl::Status ServerError(const char* what, int code, const std::string& text) {
  const std::string message = absl::StrCat(what, ": the broker said ", code, " ", text);
  switch (code) {
    case AMQP_NOT_FOUND:
      return absl::NotFoundError(message);
    case AMQP_ACCESS_REFUSED:
      return absl::PermissionDeniedError(message);
    case AMQP_PRECONDITION_FAILED:
      return absl::FailedPreconditionError(message);
    default:
      return absl::UnavailableError(message);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<AmqpConnection>> AmqpConnection::Open(const std::string& url,
                                                                     absl::Duration timeout,
                                                                     int heartbeat_seconds) {
  std::string parsed_url = url;  // amqp_parse_url cuts it up in place
  amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (amqp_parse_url(parsed_url.data(), &info) != AMQP_STATUS_OK) {
    return absl::InvalidArgumentError("amqp_url: expected amqp://user:password@host:port/vhost");
  }
  std::unique_ptr<AmqpConnection> connection(new AmqpConnection(amqp_new_connection(), timeout));
  amqp_connection_state_t state = connection->state_;
  connection->broken_ = true;  // until the channel is open
  amqp_socket_t* socket = amqp_tcp_socket_new(state);
  if (socket == nullptr) return absl::ResourceExhaustedError("amqp: no socket");
  timeval tv = AsTimeval(timeout);
  if (int rc = amqp_socket_open_noblock(socket, info.host, info.port, &tv); rc != AMQP_STATUS_OK) {
    return absl::UnavailableError(absl::StrCat("amqp: cannot reach ", info.host, ":", info.port,
                                               ": ", amqp_error_string2(rc)));
  }
  amqp_set_handshake_timeout(state, &tv);
  amqp_set_rpc_timeout(state, &tv);
  // consumer_cancel_notify: without it the broker drops a consumer whose queue goes away
  // without a word, and the consumer would wait for deliveries that never come.
  amqp_table_entry_t capability;
  capability.key = amqp_cstring_bytes("consumer_cancel_notify");
  capability.value.kind = AMQP_FIELD_KIND_BOOLEAN;
  capability.value.value.boolean = 1;
  amqp_table_entry_t property;
  property.key = amqp_cstring_bytes("capabilities");
  property.value.kind = AMQP_FIELD_KIND_TABLE;
  property.value.value.table.num_entries = 1;
  property.value.value.table.entries = &capability;
  amqp_table_t client_properties;
  client_properties.num_entries = 1;
  client_properties.entries = &property;
  amqp_rpc_reply_t login = amqp_login_with_properties(
      state, info.vhost, 0, AMQP_DEFAULT_FRAME_SIZE, heartbeat_seconds, &client_properties,
      AMQP_SASL_METHOD_PLAIN, info.user, info.password);
  if (login.reply_type != AMQP_RESPONSE_NORMAL) {
    return absl::UnavailableError(absl::StrCat(
        "amqp: the broker at ", info.host, ":", info.port, " refused the login of ", info.user,
        login.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
            ? absl::StrCat(": ", amqp_error_string2(login.library_error))
            : ""));
  }
  amqp_channel_open(state, kChannel);
  connection->broken_ = false;
  if (absl::Status opened = connection->CheckReply("amqp channel open"); !opened.ok()) {
    return opened;
  }
  return connection;
}

AmqpConnection::~AmqpConnection() {
  if (!broken_) {
    amqp_channel_close(state_, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(state_);
}

absl::Status AmqpConnection::Broken(const char* what, int code) {
  broken_ = true;
  return absl::UnavailableError(absl::StrCat(what, ": ", amqp_error_string2(code)));
}

absl::Status AmqpConnection::CheckReply(const char* what) {
  if (broken_) return absl::UnavailableError(absl::StrCat(what, ": the connection is broken"));
  amqp_rpc_reply_t reply = amqp_get_rpc_reply(state_);
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return absl::OkStatus();
    case AMQP_RESPONSE_NONE:
      broken_ = true;
      return absl::UnavailableError(absl::StrCat(what, ": no reply from the broker"));
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return Broken(what, reply.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      break;
  }
  broken_ = true;  // the channel (or the connection) is closed either way
  if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    const auto* close = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
    amqp_connection_close_ok_t ok;
    amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
    return ServerError(what, close->reply_code, Text(close->reply_text));
  }
  if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
    const auto* close = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
    amqp_channel_close_ok_t ok;
    amqp_send_method(state_, kChannel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
    return ServerError(what, close->reply_code, Text(close->reply_text));
  }
  return absl::UnavailableError(absl::StrCat(what, ": unexpected reply from the broker"));
}

absl::Status AmqpConnection::DeclareExchange(const std::string& name, const std::string& type) {
  amqp_exchange_declare(state_, kChannel, Bytes(name), Bytes(type), /*passive=*/0,
                        /*durable=*/1, /*auto_delete=*/0, /*internal=*/0, amqp_empty_table);
  return CheckReply("amqp exchange declare");
}

absl::Status AmqpConnection::DeclareQueue(const std::string& name, const QueueOptions& options) {
  amqp_table_entry_t entries[2];
  int count = 0;
  auto add = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    entries[count].key = amqp_cstring_bytes(key);
    entries[count].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[count].value.value.bytes = Bytes(value);
    ++count;
  };
  add("x-dead-letter-exchange", options.dead_letter_exchange);
  add("x-dead-letter-routing-key", options.dead_letter_routing_key);
  amqp_table_t arguments;
  arguments.num_entries = count;
  arguments.entries = entries;
  amqp_queue_declare(state_, kChannel, Bytes(name), /*passive=*/0, /*durable=*/1,
                     /*exclusive=*/0, /*auto_delete=*/0, arguments);
  return CheckReply("amqp queue declare");
}

absl::Status AmqpConnection::BindQueue(const std::string& queue, const std::string& exchange,
                                       const std::string& binding_key) {
  amqp_queue_bind(state_, kChannel, Bytes(queue), Bytes(exchange), Bytes(binding_key),
                  amqp_empty_table);
  return CheckReply("amqp queue bind");
}

absl::Status AmqpConnection::DeleteQueue(const std::string& name) {
  amqp_queue_delete(state_, kChannel, Bytes(name), /*if_unused=*/0, /*if_empty=*/0);
  return CheckReply("amqp queue delete");
}

absl::Status AmqpConnection::EnableConfirms() {
  amqp_confirm_select(state_, kChannel);
  if (absl::Status s = CheckReply("amqp confirm select"); !s.ok()) return s;
  next_delivery_tag_ = 1;
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> AmqpConnection::Publish(const std::string& exchange,
                                                 const OutgoingMessage& message) {
  if (broken_) return absl::UnavailableError("amqp publish: the connection is broken");
  std::vector<amqp_table_entry_t> entries(message.headers.size());
  for (size_t i = 0; i < message.headers.size(); ++i) {
    const auto& [key, value] = message.headers[i];
    entries[i].key = Bytes(key);
    if (const std::string* text = std::get_if<std::string>(&value)) {
      entries[i].value.kind = AMQP_FIELD_KIND_UTF8;
      entries[i].value.value.bytes = Bytes(*text);
    } else {
      entries[i].value.kind = AMQP_FIELD_KIND_I64;
      entries[i].value.value.i64 = std::get<int64_t>(value);
    }
  }
  amqp_basic_properties_t properties;
  properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG |
                      AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_HEADERS_FLAG;
  properties.content_type = Bytes(message.content_type);
  properties.delivery_mode =
      message.persistent ? AMQP_DELIVERY_PERSISTENT : AMQP_DELIVERY_NONPERSISTENT;
  properties.message_id = Bytes(message.message_id);
  properties.type = Bytes(message.type);
  properties.headers.num_entries = static_cast<int>(entries.size());
  properties.headers.entries = entries.data();
  const int rc =
      amqp_basic_publish(state_, kChannel, Bytes(exchange), Bytes(message.routing_key),
                         /*mandatory=*/0, /*immediate=*/0, &properties, Bytes(message.body));
  if (rc != AMQP_STATUS_OK) return Broken("amqp publish", rc);
  return next_delivery_tag_ == 0 ? 0 : next_delivery_tag_++;
}

absl::StatusOr<std::optional<Confirm>> AmqpConnection::NextConfirm(absl::Duration timeout) {
  if (broken_) return absl::UnavailableError("amqp confirm: the connection is broken");
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    amqp_maybe_release_buffers(state_);
    amqp_frame_t frame;
    timeval tv = AsTimeval(deadline - absl::Now());
    const int rc = amqp_simple_wait_frame_noblock(state_, &frame, &tv);
    if (rc == AMQP_STATUS_TIMEOUT) return std::nullopt;
    if (rc != AMQP_STATUS_OK) return Broken("amqp confirm", rc);
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;
    switch (frame.payload.method.id) {
      case AMQP_BASIC_ACK_METHOD: {
        const auto* ack = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
        return Confirm{ack->delivery_tag, ack->multiple != 0, true};
      }
      case AMQP_BASIC_NACK_METHOD: {
        const auto* nack = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
        return Confirm{nack->delivery_tag, nack->multiple != 0, false};
      }
      case AMQP_BASIC_RETURN_METHOD: {  // not asked for (no mandatory flag); skip its body
        amqp_message_t returned;
        amqp_rpc_reply_t read = amqp_read_message(state_, frame.channel, &returned, 0);
        if (read.reply_type != AMQP_RESPONSE_NORMAL)
          return Broken("amqp confirm", read.library_error);
        amqp_destroy_message(&returned);
        break;
      }
      case AMQP_CHANNEL_CLOSE_METHOD: {
        broken_ = true;
        const auto* close = static_cast<amqp_channel_close_t*>(frame.payload.method.decoded);
        return ServerError("amqp confirm", close->reply_code, Text(close->reply_text));
      }
      case AMQP_CONNECTION_CLOSE_METHOD: {
        broken_ = true;
        const auto* close = static_cast<amqp_connection_close_t*>(frame.payload.method.decoded);
        return absl::UnavailableError(
            absl::StrCat("amqp confirm: the broker closed the connection: ", close->reply_code, " ",
                         Text(close->reply_text)));
      }
      default:
        break;
    }
    if (absl::Now() >= deadline) return std::nullopt;
  }
}

absl::Status AmqpConnection::Consume(const std::string& queue, int prefetch) {
  amqp_basic_qos(state_, kChannel, 0, static_cast<uint16_t>(prefetch), 0);
  if (absl::Status s = CheckReply("amqp qos"); !s.ok()) return s;
  amqp_basic_consume(state_, kChannel, Bytes(queue), amqp_empty_bytes, /*no_local=*/0,
                     /*no_ack=*/0, /*exclusive=*/0, amqp_empty_table);
  return CheckReply("amqp consume");
}

absl::StatusOr<std::optional<Delivery>> AmqpConnection::NextDelivery(absl::Duration timeout) {
  if (broken_) return absl::UnavailableError("amqp consume: the connection is broken");
  amqp_maybe_release_buffers(state_);
  amqp_envelope_t envelope;
  timeval tv = AsTimeval(timeout);
  amqp_rpc_reply_t reply = amqp_consume_message(state_, &envelope, &tv, 0);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
    Delivery d;
    d.delivery_tag = envelope.delivery_tag;
    d.redelivered = envelope.redelivered != 0;
    d.exchange = Text(envelope.exchange);
    d.routing_key = Text(envelope.routing_key);
    const amqp_basic_properties_t& p = envelope.message.properties;
    if (p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) d.message_id = Text(p.message_id);
    if (p._flags & AMQP_BASIC_TYPE_FLAG) d.type = Text(p.type);
    if (p._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) d.content_type = Text(p.content_type);
    if (p._flags & AMQP_BASIC_HEADERS_FLAG) {
      for (int i = 0; i < p.headers.num_entries; ++i) {
        d.headers[Text(p.headers.entries[i].key)] = FieldText(p.headers.entries[i].value);
      }
    }
    d.body = Text(envelope.message.body);
    amqp_destroy_envelope(&envelope);
    return d;
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      reply.library_error == AMQP_STATUS_TIMEOUT) {
    return std::nullopt;
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    // A frame other than a delivery: a close is the end of this connection, others pass.
    amqp_frame_t frame;
    timeval none = AsTimeval(absl::ZeroDuration());
    const int rc = amqp_simple_wait_frame_noblock(state_, &frame, &none);
    if (rc == AMQP_STATUS_TIMEOUT) return std::nullopt;
    if (rc != AMQP_STATUS_OK) return Broken("amqp consume", rc);
    if (frame.frame_type == AMQP_FRAME_METHOD &&
        (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
         frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD)) {
      broken_ = true;
      return absl::UnavailableError("amqp consume: the broker closed the channel");
    }
    if (frame.frame_type == AMQP_FRAME_METHOD &&
        frame.payload.method.id == AMQP_BASIC_CANCEL_METHOD) {
      broken_ = true;  // nothing more comes on this consumer: connect and consume again
      return absl::UnavailableError(
          "amqp consume: the broker cancelled the consumer (its queue was deleted?)");
    }
    return std::nullopt;
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) {
    return Broken("amqp consume", reply.library_error);
  }
  broken_ = true;
  return absl::UnavailableError("amqp consume: the broker closed the channel");
}

absl::Status AmqpConnection::Ack(uint64_t delivery_tag) {
  if (broken_) return absl::UnavailableError("amqp ack: the connection is broken");
  if (int rc = amqp_basic_ack(state_, kChannel, delivery_tag, 0); rc != AMQP_STATUS_OK) {
    return Broken("amqp ack", rc);
  }
  return absl::OkStatus();
}

absl::Status AmqpConnection::Nack(uint64_t delivery_tag, bool requeue) {
  if (broken_) return absl::UnavailableError("amqp nack: the connection is broken");
  if (int rc = amqp_basic_nack(state_, kChannel, delivery_tag, 0, requeue ? 1 : 0);
      rc != AMQP_STATUS_OK) {
    return Broken("amqp nack", rc);
  }
  return absl::OkStatus();
}

}  // namespace ordo::relay
