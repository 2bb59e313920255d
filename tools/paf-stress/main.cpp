// paf-stress: a load generator on paf::Client, after paf-le-chien's stress
// tool. -c clients each have their own paf::Client, capped at one connection
// per origin, so each client is one connection (per origin): HTTP/1.1 sends
// one request at a time on it (no pipelining, as browsers do), HTTP/2 keeps
// -m streams in flight. Each client sends -n requests, or as many as it can
// for -d seconds; the URLs are taken in turn (round robin).
//
// With -r RATE the load is an open model: the c x n requests (or those of
// -d seconds) are scheduled RATE a second whatever the answers, each sent by
// a client free to take it, and a request's latency runs from its scheduled
// time, so that a stalling server delays (and counts against) every request
// due meanwhile instead of only those in flight: coordinated omission is
// corrected, as wrk2 does.
//
// -t N splits the clients (and the rate) over N worker processes, each with
// its own loop, for when one core cannot load the server; their results add
// up. Processes rather than threads: mbedTLS's random generator, which every
// TLS handshake draws from, is built without locks (no MBEDTLS_THREADING_C).
//
//   paf-stress [-c CLIENTS] [-n REQUESTS | -d SECONDS] [-m STREAMS] [-r RATE] [-t N]
//              [--timeout S]
//              [--http1.1 | --http2 | --http2-prior-knowledge] [-X METHOD]
//              [-H 'Name: value']... [-D DATA | --data-binary @FILE] [-k]
//              [--cacert FILE] [--unix-socket PATH] [--net tap:IFACE [--net-config WORDS]]
//              [--fail] [--buckets MS] [--json] URL...
//   (defaults: -c 50 -n 200 -m 1 -t 1, 10 ms buckets)
//
// With --net tap:IFACE the clients connect over paf's own TCP/IP stack
// (lwIP) on the TAP interface IFACE instead of the host's sockets, as
// paf-server can serve (tools/common/lwip_network.h: DHCP or --net-config's
// words, names resolved by the stack's DNS servers); one process only (not
// with -t, whose workers would share the interface).
//
// Without -r, a request's latency runs from the moment it is handed to the
// client to its response body's end. It prints the summary, percentiles (log-linear
// histogram, within 0.4%), status codes, connections by protocol and TLS
// version, the latencies drawn in buckets, and errors by kind; a 5xx answer
// is an error (and a 4xx with --fail). Exit status: 0 without error, 1 with
// any ("Got N error(s)"), 2 bad usage.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "paf/client.h"
#include "paf/loop.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/tls.h"
#include "report.h"
#include "request_options.h"

namespace {

using namespace paf;
using tools::FailureKind;

constexpr const char* kSynopsis =
    "usage: paf-stress [-c CLIENTS] [-n REQUESTS | -d SECONDS] [-m STREAMS] [-r RATE] [-t N]"
    " [--timeout S] [--http1.1 | --http2 | --http2-prior-knowledge] [-X METHOD]"
    " [-H 'Name: value']... [-D DATA | --data-binary @FILE] [-k] [--cacert FILE]"
    " [--unix-socket PATH] [--net tap:IFACE [--net-config WORDS]] [--fail] [--buckets MS]"
    " [--json] URL...\n";

int usage() {
  std::fputs(kSynopsis, stderr);
  return 2;
}

// --help: the synopsis and what each option does, on stdout.
void help() {
  std::fputs(kSynopsis, stdout);
  std::fputs(
      "Sends requests from CLIENTS clients, each on its own connection, to the URLs in turn;\n"
      "prints the latencies (percentiles and a histogram), status codes and errors by kind.\n"
      "  -c CLIENTS     concurrent clients, one connection each (default 50)\n"
      "  -n REQUESTS    requests per client (default 200)\n"
      "  -d SECONDS     send for this long instead of -n\n"
      "  -m STREAMS     HTTP/2 streams in flight per connection (default 1; HTTP/1.1: 1)\n"
      "  -r RATE        open model: RATE requests a second in all, latencies from each\n"
      "                 request's scheduled time (coordinated omission corrected)\n"
      "  -t N           N worker processes sharing the clients and the rate (default 1)\n"
      "  --timeout S    a request taking longer is an error (timeout); paf::Client's\n"
      "                 own limits hold too: 30 s to connect, 60 s to the response\n"
      "  --http1.1, --http2, --http2-prior-knowledge, -X, -H, -D, --data-binary @FILE, -k,\n"
      "  --cacert FILE, --unix-socket PATH   as paf-client's\n"
      "  --net tap:IFACE [--net-config WORDS]  over paf's lwIP on the TAP interface IFACE\n"
      "                 instead of the host's sockets; one process only: not with -t N > 1\n"
      "  --fail         4xx answers are errors too (5xx always are)\n"
      "  --buckets MS   the drawn histogram's bucket width (default 10 ms)\n"
      "  --json         the result as one JSON object\n"
      "Exit status: 0 without error, 1 with any (\"Got N error(s)\"), 2 bad usage.\n",
      stdout);
}

struct Options {
  tools::RequestOptions request;  // -X, -H, -D, --data-binary, -k, --cacert, --http*,
                                  // --unix-socket, --net, --net-config
  std::size_t clients = 50, requests = 200, streams = 1, workers = 1;
  bool requests_given = false;
  std::optional<double> duration, timeout, rate;
  double bucket_ms = 10;
  bool json = false, fail_on_4xx = false;
  bool progress = true;  // on stderr when it is a terminal (not in -t's workers)
  std::vector<std::string> urls;
};

bool parse_count(std::string_view text, std::size_t& count) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  return error == std::errc{} && end == text.data() + text.size() && count > 0;
}

// Fills `options` from the command line: 0 to run, -1 when --help was
// answered, else 2 (bad usage, said on stderr).
int parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help();
      return -1;
    }
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    switch (tools::parse_request_option(argc, argv, i, options.request, "-D", "paf-stress")) {
      case tools::OptionParse::taken:
        continue;
      case tools::OptionParse::bad_usage:
        return usage();
      case tools::OptionParse::unreadable:
        return 2;
      case tools::OptionParse::not_mine:
        break;
    }
    std::string text;
    double seconds = 0;
    if (arg == "-c" || arg == "-n" || arg == "-m" || arg == "-t") {
      std::size_t& count = arg == "-c"   ? options.clients
                           : arg == "-n" ? options.requests
                           : arg == "-m" ? options.streams
                                         : options.workers;
      if (!value(text) || !parse_count(text, count)) return usage();
      if (arg == "-n") options.requests_given = true;
    } else if (arg == "-d" || arg == "--timeout") {
      if (!value(text) || !tools::parse_seconds(text, seconds) || seconds == 0) return usage();
      (arg == "-d" ? options.duration : options.timeout) = seconds;
    } else if (arg == "-r") {
      double rate = 0;
      if (!value(text) || !tools::parse_seconds(text, rate) || rate < 0.001) return usage();
      options.rate = rate;
    } else if (arg == "--buckets") {
      if (!value(text) || !tools::parse_seconds(text, options.bucket_ms) ||
          options.bucket_ms < 0.001)
        return usage();
    } else if (arg == "--json") {
      options.json = true;
    } else if (arg == "--fail" || arg == "-f") {
      options.fail_on_4xx = true;
    } else if (arg.starts_with("-")) {
      return usage();
    } else {
      options.urls.emplace_back(arg);
    }
  }
  // -t's workers are processes: they cannot share one TAP interface (one
  // process opens it at a time), each would need its own.
  if (options.request.net.tap_interface && options.workers > 1) {
    std::fprintf(stderr,
                 "paf-stress: --net tap:IFACE runs in one process: not with -t %zu (-t 1 only)\n",
                 options.workers);
    return 2;
  }
  if (options.urls.empty() || options.request.conflicting()) return usage();
  return 0;
}

std::uint64_t nanoseconds(double seconds) { return static_cast<std::uint64_t>(seconds * 1e9); }

class SimulatedClient;

// The whole run: the clients, the URLs they share in turn, the results.
class Stress {
 public:
  Stress(const Options& options, Loop& loop, const mimic::Ctx& ctx, ClientConfig config);

  void start();
  const tools::StressResults& results() const { return results_; }

  const Options& options() const { return options_; }
  Loop& loop() { return loop_; }
  const mimic::Ctx& ctx() const { return ctx_; }
  const ClientConfig& config() const { return config_; }
  tools::StressResults& results() { return results_; }
  const std::string& next_url() { return options_.urls[next_url_++ % options_.urls.size()]; }
  // Whether a client may send one more request now (-d: before the deadline).
  bool running() const { return !deadline_ns_ || loop_.now_ns() < *deadline_ns_; }
  // -r: the scheduled time of the next request if it is due (taking it).
  std::optional<std::uint64_t> take_due();
  // -r: whether every request there is to send was taken.
  bool schedule_exhausted() const;
  void client_done();

 private:
  void show_progress();
  std::uint64_t scheduled_time(std::uint64_t index) const {
    return started_ns_ + static_cast<std::uint64_t>(double(index) * 1e9 / *options_.rate);
  }
  void on_schedule();

  const Options& options_;
  Loop& loop_;
  mimic::Ctx ctx_;
  ClientConfig config_;
  tools::StressResults results_;
  std::vector<std::unique_ptr<SimulatedClient>> clients_;
  std::size_t next_url_ = 0, clients_running_ = 0, clients_open_ = 0;
  std::uint64_t scheduled_ = 0;         // -r: requests taken so far
  std::optional<std::uint64_t> total_;  // -r: requests to schedule (c x n), unless -d alone
  std::size_t next_client_ = 0;
  std::uint64_t started_ns_ = 0;
  std::optional<std::uint64_t> deadline_ns_;
  TimerId progress_timer_;
  bool progress_ = false;
};

// One simulated client: its own paf::Client, so its own connection.
class SimulatedClient {
 public:
  explicit SimulatedClient(Stress& stress)
      : stress_(stress),
        client_(stress.loop(), mimic_connector(stress.ctx(), stress.loop()), stress.config()) {
    client_.on_connection([this](const ConnectionInfo& info) { on_connection(info); });
  }

  void fill() {
    const bool open_model = stress_.options().rate.has_value();
    while (in_flight_ < window_) {
      std::uint64_t started_ns = stress_.loop().now_ns();
      if (open_model) {
        auto due = stress_.take_due();
        if (!due) break;
        started_ns = *due;
      } else if (!more_to_send()) {
        break;
      }
      send(started_ns);
    }
    const bool more = open_model ? !stress_.schedule_exhausted() : more_to_send();
    if (in_flight_ == 0 && !more && !done_) {
      done_ = true;
      stress_.client_done();
    }
  }

  Client& client() { return client_; }
  bool done() const { return done_; }

 private:
  bool more_to_send() const {
    const Options& options = stress_.options();
    if (options.requests_given || !options.duration) {
      if (sent_ >= options.requests) return false;
    }
    return stress_.running();
  }

  void send(std::uint64_t started_ns) {
    ++sent_;
    ++in_flight_;
    const std::string& url = stress_.next_url();
    const Options& options = stress_.options();
    Exchange exchange{started_ns, connections_, connections_ > 0 && client_.connection_count() > 0};
    auto started =
        client_.fetch(options.request.request_method(), url, options.request.request_headers(),
                      Buffer(options.request.data.value_or("")),
                      [this, exchange](Result<Response> response, BodyReader body) {
                        on_response(exchange, std::move(response), std::move(body));
                      });
    if (!started) {
      // A URL that does not parse: every request to it fails alike.
      finish(exchange, Error{Errc::invalid_argument, started.error().message});
    }
  }

  struct Exchange {
    std::uint64_t started_ns;  // its latency's start: now, or (-r) its scheduled time
    std::size_t connections_before;
    bool connected;  // a connection was open when it was sent
  };

  void on_connection(const ConnectionInfo& info) {
    ++connections_;
    std::string protocol = info.version == HttpVersion::http_2 ? "HTTP/2" : "HTTP/1.1";
    if (info.secure != nullptr) {
      // Mimic's TLS protocols make paf's TlsFlow.
      const auto* tls = static_cast<const TlsFlow*>(info.secure);
      protocol += " over " + std::string(tools::tls_version_name(tls->version()));
    } else if (info.version == HttpVersion::http_2) {
      protocol += " cleartext (h2c)";
    }
    ++stress_.results().connections[protocol];
    if (info.version == HttpVersion::http_2) window_ = stress_.options().streams;
    stress_.loop().post([this] { fill(); });
  }

  void on_response(Exchange exchange, Result<Response> response, BodyReader body) {
    if (!response) return finish(exchange, response.error());
    const int status = response->status;
    body.on_data([this](Bytes bytes) { stress_.results().body_bytes += bytes.size(); });
    body.on_end([this, exchange, status](Result<void> end) {
      if (!end) return finish(exchange, end.error());
      finish(exchange, status);
    });
  }

  // A whole answer with `status`.
  void finish(Exchange exchange, int status) {
    tools::StressResults& results = stress_.results();
    const std::uint64_t latency = stress_.loop().now_ns() - exchange.started_ns;
    ++results.answered;
    results.latencies.record(latency);
    results.buckets.record(latency);
    ++results.statuses[status];
    if (status >= 500 || (status >= 400 && stress_.options().fail_on_4xx)) {
      char message[48];
      std::snprintf(message, sizeof message, "the server answered %d", status);
      results.record_failure(FailureKind::status, message);
    }
    ended();
  }

  void finish(Exchange exchange, const Error& error) {
    const bool connected = exchange.connected || connections_ > exchange.connections_before;
    stress_.results().record_failure(kind_of(error, connected), error.message);
    ended();
  }

  static FailureKind kind_of(const Error& error, bool connected) {
    switch (error.code) {
      case Errc::timed_out:
        return FailureKind::timeout;
      case Errc::tls_error:
        return FailureKind::tls;
      case Errc::protocol_error:
      case Errc::limit_exceeded:
        return FailureKind::protocol;
      case Errc::closed:
      case Errc::io_error:
        return connected ? FailureKind::reset : FailureKind::connect;
      default:
        return connected ? FailureKind::other : FailureKind::connect;
    }
  }

  void ended() {
    ++stress_.results().requests;
    --in_flight_;
    // Not from within the client's callback: the next request starts afresh.
    stress_.loop().post([this] { fill(); });
  }

  Stress& stress_;
  Client client_;
  std::size_t sent_ = 0, in_flight_ = 0;
  std::size_t window_ = 1;  // 1 until the connection speaks HTTP/2, then -m
  std::size_t connections_ = 0;
  bool done_ = false;
};

Stress::Stress(const Options& options, Loop& loop, const mimic::Ctx& ctx, ClientConfig config)
    : options_(options),
      loop_(loop),
      ctx_(ctx),
      config_(config),
      results_(static_cast<std::uint64_t>(options.bucket_ms * 1e6)) {
  for (std::size_t i = 0; i < options.clients; ++i)
    clients_.push_back(std::make_unique<SimulatedClient>(*this));
  progress_ = options.progress && !options.json && ::isatty(STDERR_FILENO);
  results_.rate_asked = options.rate.value_or(0);
}

void Stress::start() {
  started_ns_ = loop_.now_ns();
  if (options_.duration) deadline_ns_ = started_ns_ + nanoseconds(*options_.duration);
  clients_running_ = clients_.size();
  if (options_.rate && (options_.requests_given || !options_.duration))
    total_ = std::uint64_t{options_.clients} * options_.requests;
  for (auto& client : clients_) client->fill();
  if (options_.rate && !schedule_exhausted())
    loop_.add_timer_at(scheduled_time(scheduled_), [this] { on_schedule(); });
  if (progress_) progress_timer_ = loop_.add_timer_after(kSecond, [this] { show_progress(); });
}

void Stress::show_progress() {
  const std::uint64_t elapsed = loop_.now_ns() - started_ns_;
  std::fprintf(stderr, "\r%llu requests, %.0f req/s, %llu errors   ",
               (unsigned long long)results_.requests,
               double(results_.requests) / (double(elapsed) / 1e9),
               (unsigned long long)results_.failure_count());
  progress_timer_ = loop_.add_timer_after(kSecond, [this] { show_progress(); });
}

std::optional<std::uint64_t> Stress::take_due() {
  if (schedule_exhausted()) return std::nullopt;
  const std::uint64_t at = scheduled_time(scheduled_);
  if (at > loop_.now_ns()) return std::nullopt;
  ++scheduled_;
  return at;
}

bool Stress::schedule_exhausted() const {
  if (total_ && scheduled_ >= *total_) return true;
  return deadline_ns_ && scheduled_time(scheduled_) >= *deadline_ns_;
}

// A request fell due: the clients take what is due in turn, each as many as
// it has room for; what none can take waits for the first to finish (its
// latency still counts from its scheduled time).
void Stress::on_schedule() {
  for (std::size_t tried = 0; tried < clients_.size(); ++tried) {
    SimulatedClient& client = *clients_[next_client_++ % clients_.size()];
    if (!client.done()) client.fill();
    if (schedule_exhausted() || scheduled_time(scheduled_) > loop_.now_ns()) break;
  }
  if (!schedule_exhausted()) {
    // Overdue requests (every client busy) are taken as clients finish; the
    // timer then only looks again in a millisecond rather than every turn.
    const std::uint64_t now = loop_.now_ns(), next = scheduled_time(scheduled_);
    loop_.add_timer_at(next > now ? next : now + 1'000'000, [this] { on_schedule(); });
    return;
  }
  // The last was taken: the idle clients are done.
  for (auto& client : clients_)
    if (!client->done()) client->fill();
}

void Stress::client_done() {
  if (--clients_running_ != 0) return;
  results_.elapsed_ns = loop_.now_ns() - started_ns_;
  if (progress_) {
    loop_.cancel_timer(progress_timer_);
    std::fprintf(stderr, "\r\033[K");
  }
  // Close gracefully (HTTP/2: GOAWAY), then stop; a peer that holds on is
  // not waited for past a few seconds.
  clients_open_ = clients_.size();
  for (auto& client : clients_)
    client->client().shutdown([this] {
      if (--clients_open_ == 0) loop_.stop();
    });
  loop_.add_timer_after(5 * kSecond, [this] { loop_.stop(); });
}

// Runs `options`' clients on a loop of its own; nothing if there is none
// (said on stderr).
std::optional<tools::StressResults> run_one_loop(const Options& options) {
  auto backend = posix::EpollLoopBackend::create();
  if (!backend) {
    std::fprintf(stderr, "paf-stress: no event loop: %.*s\n", int(backend.error().message.size()),
                 backend.error().message.data());
    return std::nullopt;
  }
  Loop loop(**backend);
  auto tls = tools::client_tls(options.request, "paf-stress");
  if (!tls) return std::nullopt;
  ClientConfig config = tools::client_config(options.request);
  config.max_connections_per_origin = 1;  // a client is a connection
  if (options.timeout) config.request_timeout_ns = nanoseconds(*options.timeout);

  std::optional<tools::LwipNetwork> lwip;  // with --net: outlives the clients
  auto ctx = tools::request_context(options.request, loop, **backend, *tls, lwip, "paf-stress");
  if (!ctx) return std::nullopt;
  Stress stress(options, loop, *ctx, config);
  stress.start();
  (void)loop.run();
  // lwIP sends what the closed connections still hold as the server
  // acknowledges it (the host's kernel would after exit).
  if (lwip) (void)tools::finish_sending(loop, *lwip, seconds(2), "paf-stress");
  return stress.results();
}

// -t: each worker process runs its share of the clients (and of the rate) and
// writes its results (tools::serialize) to a pipe; they are added up here.
std::optional<tools::StressResults> run_workers(const Options& options) {
  const std::size_t workers = std::min(options.workers, options.clients);
  std::vector<pid_t> pids;
  std::vector<int> pipes;
  std::fflush(nullptr);
  for (std::size_t worker = 0; worker < workers; ++worker) {
    Options share = options;
    share.clients = options.clients / workers + (worker < options.clients % workers ? 1 : 0);
    if (options.rate) share.rate = *options.rate * double(share.clients) / double(options.clients);
    share.progress = false;
    int ends[2];
    if (::pipe(ends) != 0) break;
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(ends[0]);
      for (int other : pipes) ::close(other);
      auto results = run_one_loop(share);
      std::string text = results ? tools::serialize(*results) : std::string();
      for (std::size_t written = 0; written < text.size();) {
        const ssize_t wrote = ::write(ends[1], text.data() + written, text.size() - written);
        if (wrote <= 0) ::_exit(1);
        written += static_cast<std::size_t>(wrote);
      }
      ::_exit(results ? 0 : 1);
    }
    ::close(ends[1]);
    if (pid < 0) {
      ::close(ends[0]);
      break;
    }
    pids.push_back(pid);
    pipes.push_back(ends[0]);
  }
  bool all_well = pids.size() == workers;
  tools::StressResults total(static_cast<std::uint64_t>(options.bucket_ms * 1e6));
  total.rate_asked = options.rate.value_or(0);
  for (std::size_t i = 0; i < pids.size(); ++i) {
    std::string text;
    char chunk[65536];
    for (ssize_t got; (got = ::read(pipes[i], chunk, sizeof chunk)) != 0;) {
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) break;
      text.append(chunk, static_cast<std::size_t>(got));
    }
    ::close(pipes[i]);
    int status = 0;
    while (::waitpid(pids[i], &status, 0) < 0 && errno == EINTR) {
    }
    tools::StressResults results(total.buckets.width_ns());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !tools::deserialize(text, results)) {
      std::fprintf(stderr, "paf-stress: worker %zu failed\n", i + 1);
      all_well = false;
      continue;
    }
    total.merge(results);
  }
  if (!all_well) return std::nullopt;
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (int parsed = parse(argc, argv, options); parsed != 0) return parsed < 0 ? 0 : parsed;
  auto results = options.workers > 1 ? run_workers(options) : run_one_loop(options);
  if (!results) return 1;
  if (options.json)
    tools::print_json(*results, stdout);
  else
    tools::print_text(*results, stdout);
  std::fflush(stdout);
  return results->failure_count() == 0 ? 0 : 1;
}
