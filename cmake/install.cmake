# `cmake --install`: static libraries, headers, a CMake package (find_package(paf)
# gives paf::paf and paf::paf_acme and, per build, paf::paf_posix or
# paf::paf_libc) and pkg-config
# files (paf.pc, and paf-posix.pc in the hosted build).
include(CMakePackageConfigHelpers)

set(paf_install_targets paf paf_llhttp paf_nghttp2 paf_mbedtls paf_bearssl paf_lwip paf_uriparser)
foreach(optional paf_openssl_gcm paf_cares paf_cjson paf_acme paf_posix paf_posix_main paf_libc paf_virtio)
  if(TARGET ${optional})
    list(APPEND paf_install_targets ${optional})
  endif()
endforeach()
# paf_libc's strtod and printf's %e/%f/%g (the hosted build has it for tests only).
if(PAF_FREESTANDING)
  list(APPEND paf_install_targets paf_double_conversion)
endif()

install(TARGETS ${paf_install_targets} EXPORT pafTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/paf DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# The dependencies' public headers (and paf's configuration of them), so that an
# application can also call mbedTLS, nghttp2, llhttp or lwIP directly: it links
# paf::paf_mbedtls (and so on), which carry these paths. paf::paf does not:
# paf's own headers include none of them.
set(paf_third_party_include ${CMAKE_INSTALL_INCLUDEDIR}/paf/third_party)
install(FILES "${PAF_THIRD_PARTY_DIR}/llhttp/include/llhttp.h"
              "${CMAKE_SOURCE_DIR}/src/tls/config/paf_mbedtls_config.h"
              "${CMAKE_SOURCE_DIR}/src/tls/config/gcm_alt.h"
              "${CMAKE_SOURCE_DIR}/src/net/port/lwipopts.h"
        DESTINATION ${paf_third_party_include})
install(DIRECTORY "${PAF_THIRD_PARTY_DIR}/nghttp2/lib/includes/nghttp2"
        DESTINATION ${paf_third_party_include} FILES_MATCHING PATTERN "*.h")
install(FILES "${CMAKE_BINARY_DIR}/generated/nghttp2/nghttp2ver.h"
        DESTINATION ${paf_third_party_include}/nghttp2)
install(DIRECTORY "${PAF_THIRD_PARTY_DIR}/mbedtls/include/mbedtls"
                  "${PAF_THIRD_PARTY_DIR}/mbedtls/include/psa"
        DESTINATION ${paf_third_party_include})
install(DIRECTORY "${PAF_THIRD_PARTY_DIR}/uriparser/include/uriparser"
        DESTINATION ${paf_third_party_include})
install(DIRECTORY "${PAF_THIRD_PARTY_DIR}/bearssl/inc/"
        DESTINATION ${paf_third_party_include} FILES_MATCHING PATTERN "*.h")
install(DIRECTORY "${PAF_THIRD_PARTY_DIR}/lwip/src/include/lwip"
                  "${PAF_THIRD_PARTY_DIR}/lwip/src/include/netif"
                  "${CMAKE_SOURCE_DIR}/src/net/port/arch"
        DESTINATION ${paf_third_party_include})

install(EXPORT pafTargets NAMESPACE paf:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/paf)
configure_package_config_file(cmake/pafConfig.cmake.in
  "${CMAKE_BINARY_DIR}/pafConfig.cmake" INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/paf)
write_basic_package_version_file("${CMAKE_BINARY_DIR}/pafConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_BINARY_DIR}/pafConfig.cmake" "${CMAKE_BINARY_DIR}/pafConfigVersion.cmake"
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/paf)

# pkg-config files find the prefix from where they are, so the tree relocates.
file(RELATIVE_PATH PAF_PC_PREFIX_FROM_PCDIR "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
# pkg-config: libpaf.a needs the dependencies after it on the link line.
set(PAF_PC_LIBS "-lpaf -lpaf_nghttp2 -lpaf_llhttp -lpaf_mbedtls -lpaf_bearssl -lpaf_lwip -lpaf_uriparser")
if(TARGET paf_openssl_gcm)
  string(REPLACE "-lpaf_bearssl" "-lpaf_bearssl -lpaf_openssl_gcm" PAF_PC_LIBS "${PAF_PC_LIBS}")
endif()
configure_file(cmake/paf.pc.in "${CMAKE_BINARY_DIR}/paf.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/paf.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(TARGET paf_posix)
  configure_file(cmake/paf-posix.pc.in "${CMAKE_BINARY_DIR}/paf-posix.pc" @ONLY)
  install(FILES "${CMAKE_BINARY_DIR}/paf-posix.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
