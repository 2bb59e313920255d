// Compile-only: every standard header the freestanding build allows (the list
// in cmake/freestanding.cmake and platform/libc/README.md) compiles with the
// freestanding flags. Each is also used a little, so templates instantiate.
#include <algorithm>
#include <any>
#include <array>
#include <atomic>
#include <bit>
#include <bitset>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <climits>
#include <compare>
#include <concepts>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <expected>
#include <forward_list>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <numeric>
#include <optional>
#include <queue>
#include <ranges>
#include <ratio>
#include <source_location>
#include <span>
#include <stack>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>
#include <version>

int all_headers_used(int x) {
  std::array<int, 3> a{3, 1, 2};
  std::sort(a.begin(), a.end());
  std::vector<int> v(a.begin(), a.end());
  std::deque<int> d(v.begin(), v.end());
  std::forward_list<int> fl(d.begin(), d.end());
  std::string text = "paf " + std::to_string(x);
  std::bitset<8> bits(static_cast<unsigned>(x));
  std::any any = x;
  std::queue<int> q(d);
  std::stack<int> s;
  s.push(x);
  std::optional<int> o = x;
  std::variant<int, std::string_view> var = std::string_view("paf");
  std::expected<int, int> e = x;
  std::move_only_function<int(int)> f = [](int y) { return y + 1; };
  auto p = std::make_unique<int>(x);
  auto shared = std::make_shared<int>(x);
  std::atomic<int> counter{0};
  counter.fetch_add(1);
  char digits[16];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, x);
  (void)ec;
  auto span = std::span<const int>(v);
  auto elapsed = std::chrono::milliseconds(5) + std::chrono::seconds(1);
  int evens = static_cast<int>(std::ranges::count_if(v, [](int i) { return i % 2 == 0; }));
  return std::accumulate(span.begin(), span.end(), 0) + static_cast<int>(text.size()) + std::stoi(text.substr(4)) +
         static_cast<int>(bits.count()) + std::any_cast<int>(any) +
         static_cast<int>(std::distance(fl.begin(), fl.end())) + q.front() + s.top() + *o +
         static_cast<int>(std::get<1>(var).size()) + *e + f(x) + *p + *shared + counter.load() +
         static_cast<int>(end - digits) + static_cast<int>(elapsed.count() % 7) + evens +
         std::popcount(static_cast<unsigned>(x)) + std::numeric_limits<int>::digits +
         static_cast<int>(std::strlen("paf")) + std::abs(-x) +
         static_cast<int>(std::source_location::current().line() % 2);
}
