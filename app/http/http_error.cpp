#include "http/http_error.h"

#include "json/json.h"

namespace downstream::http {

std::string error_json(std::string_view message) {
    json::Buffer buffer;
    json::Writer writer(buffer);
    writer.StartObject();
    writer.Key("status");
    writer.String("error");
    writer.Key("message");
    writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
    writer.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

void write_error(ResponseWriter& writer, const HttpError& error) {
    const std::string body = error_json(error.message);
    HeaderList headers{{"Content-Type", "application/json"},
                       {"Content-Length", std::to_string(body.size())}};
    headers.insert(headers.end(), error.headers.begin(), error.headers.end());
    writer.start(error.status, headers);
    writer.write(body);
}

}  // namespace downstream::http
