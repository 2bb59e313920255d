// The HTTP vocabulary shared by both protocol versions (include/paf/http.h).
#include <gtest/gtest.h>

#include <string>

#include "paf/http.h"

namespace paf {
namespace {

TEST(Headers, LookupIsCaseInsensitiveAndKeepsOrderAndDuplicates) {
  Headers headers{{"Set-Cookie", "a=1"}, {"Content-Type", "text/plain"}, {"set-cookie", "b=2"}};
  EXPECT_EQ(headers.get("content-type"), "text/plain");
  EXPECT_EQ(headers.get("SET-COOKIE"), "a=1");
  EXPECT_EQ(headers.count("set-cookie"), 2u);
  EXPECT_FALSE(headers.get("missing"));
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[2].name, "set-cookie");
  EXPECT_EQ(headers[2].value, "b=2");
}

TEST(Headers, SetReplacesEveryFieldOfTheName) {
  Headers headers{{"a", "1"}, {"b", "2"}, {"A", "3"}};
  headers.set("a", "4");
  EXPECT_EQ(headers.count("a"), 1u);
  EXPECT_EQ(headers.get("a"), "4");
  EXPECT_EQ(headers.remove("b"), 1u);
  EXPECT_EQ(headers.size(), 1u);
}

TEST(Headers, TokenListsAreSearchedCaseInsensitively) {
  Headers headers{{"Connection", "keep-alive, Upgrade"}, {"connection", " close "}};
  EXPECT_TRUE(headers.has_token("connection", "upgrade"));
  EXPECT_TRUE(headers.has_token("connection", "close"));
  EXPECT_FALSE(headers.has_token("connection", "keep"));
}

TEST(Headers, ManyFieldsKeepTheirOrderThroughRemovalCopyAndMove) {
  // Past the fields held in the object itself, and back below their number.
  Headers headers;
  for (int i = 0; i < 40; ++i) headers.add("f" + std::to_string(i), std::to_string(i * i));
  ASSERT_EQ(headers.size(), 40u);
  EXPECT_EQ(headers.get("f39"), "1521");
  EXPECT_EQ(headers.remove_if([](Headers::Field field) { return field.name.size() == 3; }), 30u);
  ASSERT_EQ(headers.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(headers[i].value, std::to_string(i * i));
  Headers copy = headers;
  headers.add("late", "1");
  EXPECT_EQ(copy.size(), 10u);
  EXPECT_FALSE(copy.has("late"));
  std::string_view view = headers[9].value;
  Headers moved = std::move(headers);
  EXPECT_TRUE(headers.empty());
  EXPECT_EQ(view.data(), moved[9].value.data());  // the text did not move
  EXPECT_EQ(moved.size(), 11u);
  EXPECT_EQ(moved.get("f9"), "81");
  EXPECT_EQ(moved.remove_if([](Headers::Field) { return true; }), 11u);
  EXPECT_TRUE(moved.empty());
  moved.add("again", "yes");
  EXPECT_EQ(moved.get("again"), "yes");
  headers = std::move(moved);
  EXPECT_EQ(headers.size(), 1u);
  EXPECT_TRUE(moved.empty());
  headers.clear();
  for (int i = 0; i < 9; ++i) headers.add("g", std::to_string(i));
  EXPECT_EQ(headers.count("g"), 9u);
  EXPECT_EQ(headers[8].value, "8");
}

TEST(Headers, AFieldMayBeAddedFromAViewOfTheSameHeaders) {
  Headers headers{{"a", "first value"}};
  for (int i = 0; i < 30; ++i) {  // the storage grows under the views several times
    Headers::Field last = headers[headers.size() - 1];
    headers.add(last.name, last.value);
  }
  ASSERT_EQ(headers.size(), 31u);
  for (const Headers::Field field : headers) {
    EXPECT_EQ(field.name, "a");
    EXPECT_EQ(field.value, "first value");
  }
  headers.set("b", *headers.get("a"));
  EXPECT_EQ(headers.get("b"), "first value");
}

TEST(Request, PathAndQueryOfTheTarget) {
  Request request(Method::GET, "/a/b?x=1&y=2#frag");
  EXPECT_EQ(request.path(), "/a/b");
  EXPECT_EQ(request.query(), "x=1&y=2");
  EXPECT_EQ(Request(Method::GET, "/").query(), "");
}

TEST(Request, OtherMethodsKeepTheirName) {
  Request request;
  request.set_method_name("PROPFIND");
  EXPECT_EQ(request.method, Method::other);
  EXPECT_EQ(request.method_name(), "PROPFIND");
  request.set_method_name("POST");
  EXPECT_EQ(request.method, Method::POST);
  EXPECT_EQ(request.method_name(), "POST");
}

TEST(Request, TargetAuthorityAndMethodAreSetInAnyOrderAndFromEachOther) {
  Request request;
  request.set_authority("example.com:8443");
  request.set_method_name("PROPFIND");
  for (int i = 0; i < 50; ++i) request.set_target("/path/" + std::to_string(i) + "?q=" + std::string(i, 'x'));
  EXPECT_EQ(request.target(), "/path/49?q=" + std::string(49, 'x'));
  EXPECT_EQ(request.authority(), "example.com:8443");
  EXPECT_EQ(request.method_name(), "PROPFIND");
  request.set_target(request.authority());  // CONNECT's target is its authority
  EXPECT_EQ(request.target(), "example.com:8443");
  request.set_authority(request.target().substr(0, 7));
  EXPECT_EQ(request.authority(), "example");
  EXPECT_EQ(request.target(), "example.com:8443");
  Request copy = request;
  request.set_target("/other");
  EXPECT_EQ(copy.target(), "example.com:8443");
  EXPECT_EQ(copy.method_name(), "PROPFIND");
  request.set_method_name("GET");
  EXPECT_EQ(request.method_name(), "GET");
  EXPECT_EQ(request.target(), "/other");
  EXPECT_EQ(request.authority(), "example");
}

TEST(Request, WithoutAnAuthorityItIsTheHostField) {
  Request request(Method::GET, "/", {{"Host", "h.example"}});
  EXPECT_EQ(request.authority(), "h.example");
  request.set_authority("a.example");
  EXPECT_EQ(request.authority(), "a.example");
}

TEST(Buffer, AppendsAViewOfItself) {
  Buffer buffer(std::string_view("abc"));
  for (int i = 0; i < 10; ++i) buffer.append(buffer.view());  // grows past its storage each time
  EXPECT_EQ(buffer.size(), 3u << 10);
  EXPECT_EQ(buffer.view().substr(0, 9), "abcabcabc");
  EXPECT_EQ(buffer.view().substr(buffer.size() - 3), "abc");
  buffer.append(buffer.view().substr(1, 2));
  EXPECT_EQ(buffer.view().substr(buffer.size() - 5), "abcbc");
}

TEST(Http, TokensAndReasons) {
  EXPECT_TRUE(is_token("Content-Type"));
  EXPECT_FALSE(is_token("Host "));
  EXPECT_FALSE(is_token(""));
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_FALSE(status_allows_body(304));
  EXPECT_TRUE(status_allows_body(200));
}

}  // namespace
}  // namespace paf
