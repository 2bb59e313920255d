// The HTTP vocabulary shared by both protocol versions (include/paf/http.h).
#include <gtest/gtest.h>

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
