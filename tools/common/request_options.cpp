#include "request_options.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "paf/posix/mimic.h"

namespace paf::tools {

Method RequestOptions::request_method() const {
  if (method) return method_from_name(*method);
  return data ? Method::POST : Method::GET;
}

Headers RequestOptions::request_headers() const {
  Headers fields;
  for (const auto& [name, value] : headers) fields.add(name, value);
  if (data && !fields.has("content-type"))
    fields.add("content-type", "application/x-www-form-urlencoded");
  return fields;
}

OptionParse parse_request_option(int argc, char** argv, int& i, RequestOptions& options,
                                 std::string_view short_data, const char* tool) {
  std::string_view arg = argv[i];
  auto value = [&](std::string& into) {
    if (i + 1 >= argc) return false;
    into = argv[++i];
    return true;
  };
  std::string text;
  if (arg == "-X") {
    if (!value(text)) return OptionParse::bad_usage;
    if (method_from_name(text) == Method::other) {
      std::fprintf(stderr, "%s: unsupported method %s\n", tool, text.c_str());
      return OptionParse::bad_usage;
    }
    options.method = text;
  } else if (arg == "-H") {
    if (!value(text)) return OptionParse::bad_usage;
    auto colon = text.find(':');
    if (colon == std::string::npos) return OptionParse::bad_usage;
    std::string name = text.substr(0, colon), field = text.substr(colon + 1);
    while (!field.empty() && field.front() == ' ') field.erase(0, 1);
    options.headers.emplace_back(name, field);
  } else if (arg == short_data || arg == "--data" || arg == "--data-binary") {
    if (!value(text)) return OptionParse::bad_usage;
    if (arg == "--data-binary" && text.starts_with("@")) {
      std::string contents;
      if (!read_file(text.substr(1), contents)) {
        std::fprintf(stderr, "%s: cannot read %s\n", tool, text.c_str() + 1);
        return OptionParse::unreadable;
      }
      text = contents;
    }
    options.data = text;
  } else if (arg == "-k" || arg == "--insecure") {
    options.insecure = true;
  } else if (arg == "--cacert") {
    if (!value(text)) return OptionParse::bad_usage;
    options.cacert = text;
  } else if (arg == "--http1.1") {
    options.http = RequestOptions::Http::http1_1;
  } else if (arg == "--http2") {
    options.http = RequestOptions::Http::http2;
  } else if (arg == "--http2-prior-knowledge") {
    options.http = RequestOptions::Http::prior_knowledge;
  } else if (arg == "--unix-socket") {
    if (!value(text)) return OptionParse::bad_usage;
    options.unix_socket = text;
  } else if (arg == "--net") {
    if (!value(text) || !parse_net(text, options.net)) return OptionParse::bad_usage;
  } else if (arg == "--net-config") {
    if (!value(text)) return OptionParse::bad_usage;
    options.net.config = text;
  } else {
    return OptionParse::not_mine;
  }
  return OptionParse::taken;
}

bool read_file(const std::string& path, std::string& contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  contents = text.str();
  return true;
}

bool parse_seconds(std::string_view text, double& seconds) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < 0) return false;
  seconds = value;
  return true;
}

std::string_view tls_version_name(TlsVersion version) {
  return version == TlsVersion::tls1_3 ? "TLSv1.3" : "TLSv1.2";
}

std::expected<TlsConfig, int> client_tls(const RequestOptions& options, const char* tool) {
  auto builder = TlsConfig::client();
  if (options.insecure) {
    builder.insecure_for_tests();
  } else {
    std::string bundle;
    const std::string path = options.cacert.value_or("/etc/ssl/certs/ca-certificates.crt");
    if (!read_file(path, bundle)) {
      std::fprintf(stderr, "%s: cannot read %s\n", tool, path.c_str());
      return std::unexpected(77);
    }
    builder.trust_ca(bundle);
  }
  if (options.http == RequestOptions::Http::http1_1)
    builder.alpn({"http/1.1"});
  else
    builder.alpn({"h2", "http/1.1"});
  auto tls = builder.build();
  if (!tls) {
    std::fprintf(stderr, "%s: TLS: %.*s\n", tool, int(tls.error().message.size()),
                 tls.error().message.data());
    return std::unexpected(35);
  }
  return std::move(*tls);
}

mimic::Ctx host_context(const RequestOptions& options, posix::EpollLoopBackend& backend,
                        const TlsConfig& tls) {
  mimic::Ctx ctx = posix::with_host_protocols({}, backend).with(mimic::keys::tls, tls);
  if (options.unix_socket) ctx = ctx.with(mimic::keys::unix_path, Buffer(*options.unix_socket));
  return ctx;
}

std::optional<mimic::Ctx> request_context(const RequestOptions& options, Loop& loop,
                                          posix::EpollLoopBackend& backend, const TlsConfig& tls,
                                          std::optional<LwipNetwork>& network, const char* tool) {
  if (!options.net.tap_interface) return host_context(options, backend, tls);
  if (!(network = start_lwip(loop, backend, options.net, tool))) return std::nullopt;
  return stack_context(*network, tls);
}

ClientConfig client_config(const RequestOptions& options) {
  ClientConfig config;
  config.h2_prior_knowledge = options.http == RequestOptions::Http::prior_knowledge;
  return config;
}

}  // namespace paf::tools
