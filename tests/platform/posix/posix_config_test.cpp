// paf_config_read on the POSIX platform: items are files under $PAF_CONFIG_DIR.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "paf/platform.h"

namespace {

class PosixConfig : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("paf-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "opt/paf");
    std::ofstream(dir_ / "opt/paf/cert.pem", std::ios::binary) << content_;
    ::setenv("PAF_CONFIG_DIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("PAF_CONFIG_DIR");
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  const std::string content_ = std::string(3000, 'x') + "\n-----END-----\n";
};

TEST_F(PosixConfig, ReadsTheFileOfThatNameUnderTheDirectory) {
  std::string buf(4096, '\0');
  std::size_t length = 0;
  ASSERT_EQ(paf_config_read("opt/paf/cert.pem", buf.data(), buf.size(), &length), PAF_R_OK);
  EXPECT_EQ(buf.substr(0, length), content_);
}

TEST_F(PosixConfig, TooSmallABufferGivesAgainWithTheLengthAndIsLeftAlone) {
  std::array<char, 16> small{};
  std::size_t length = 0;
  EXPECT_EQ(paf_config_read("opt/paf/cert.pem", small.data(), small.size(), &length), PAF_R_AGAIN);
  EXPECT_EQ(length, content_.size());
  EXPECT_EQ(small, (std::array<char, 16>{}));
  length = 0;
  EXPECT_EQ(paf_config_read("opt/paf/cert.pem", nullptr, 0, &length), PAF_R_AGAIN);
  EXPECT_EQ(length, content_.size());
}

TEST_F(PosixConfig, UnknownOrInvalidNamesAreEinval) {
  std::array<char, 16> buf{};
  std::size_t length = 0;
  EXPECT_EQ(paf_config_read("opt/paf/missing.pem", buf.data(), buf.size(), &length), PAF_R_EINVAL);
  EXPECT_EQ(paf_config_read("opt/paf", buf.data(), buf.size(), &length), PAF_R_EINVAL);
  EXPECT_EQ(paf_config_read("", buf.data(), buf.size(), &length), PAF_R_EINVAL);
  EXPECT_EQ(paf_config_read(nullptr, buf.data(), buf.size(), &length), PAF_R_EINVAL);
  EXPECT_EQ(paf_config_read(std::string(PAF_CONFIG_NAME_MAX + 1, 'a').c_str(), buf.data(),
                            buf.size(), &length),
            PAF_R_EINVAL);
}

TEST_F(PosixConfig, NamesCannotLeaveTheDirectory) {
  std::ofstream(dir_.parent_path() / "paf-config-outside", std::ios::binary) << "secret";
  std::array<char, 64> buf{};
  std::size_t length = 0;
  EXPECT_EQ(paf_config_read("../paf-config-outside", buf.data(), buf.size(), &length),
            PAF_R_EINVAL);
  EXPECT_EQ(paf_config_read("opt/../../paf-config-outside", buf.data(), buf.size(), &length),
            PAF_R_EINVAL);
  EXPECT_EQ(paf_config_read((dir_.parent_path() / "paf-config-outside").c_str(), buf.data(),
                            buf.size(), &length),
            PAF_R_EINVAL);
  std::filesystem::remove(dir_.parent_path() / "paf-config-outside");
}

TEST_F(PosixConfig, WithoutTheVariableNothingIsFound) {
  ::unsetenv("PAF_CONFIG_DIR");
  std::array<char, 16> buf{};
  std::size_t length = 0;
  EXPECT_EQ(paf_config_read("opt/paf/cert.pem", buf.data(), buf.size(), &length), PAF_R_EINVAL);
}

}  // namespace
