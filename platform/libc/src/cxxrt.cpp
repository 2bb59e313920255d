// The C++ runtime pieces that libstdc++'s headers and g++'s code generation
// expect from libsupc++/libstdc++.so, for code built without exceptions and
// RTTI: operator new/delete, the pure-virtual trap, static destructors, and
// std::__throw_* (which libstdc++'s headers call where they would throw; here
// each prints why and aborts, as an uncaught exception would).
#include <bits/functexcept.h>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "exit_handlers.h"

namespace {

[[noreturn]] void fatal(const char* what, const char* detail = nullptr) {
  if (detail) std::printf("fatal: %s: %s\n", what, detail);
  else std::printf("fatal: %s\n", what);
  std::abort();
}

// Without exceptions, a throwing operator new that cannot allocate has no
// other way to report it: code that can cope uses the nothrow forms.
void* allocate(std::size_t size) {
  void* p = std::malloc(size ? size : 1);
  if (!p) fatal("out of memory in operator new");
  return p;
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
  void* p = std::aligned_alloc(static_cast<std::size_t>(alignment), size ? size : 1);
  if (!p) fatal("out of memory in operator new");
  return p;
}

}  // namespace

// The tag of the nothrow forms (`new (std::nothrow) T`), which libsupc++ defines.
namespace std {
const nothrow_t nothrow{};
}  // namespace std

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, std::align_val_t alignment) {
  return allocate_aligned(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return allocate_aligned(size, alignment);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size ? size : 1);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return std::aligned_alloc(static_cast<std::size_t>(alignment), size ? size : 1);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return std::aligned_alloc(static_cast<std::size_t>(alignment), size ? size : 1);
}

// Every delete is free(): the allocator knows each block's size and alignment.
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

extern "C" {

// The identity of "this program" for __cxa_atexit: there is one, so any value.
void* __dso_handle = &__dso_handle;

int __cxa_atexit(void (*destructor)(void*), void* object, void* dso) {
  (void)dso;
  return paf_libc_register_exit_handler(destructor, object);
}

[[noreturn]] void __cxa_pure_virtual() { fatal("pure virtual function called"); }
[[noreturn]] void __cxa_deleted_virtual() { fatal("deleted virtual function called"); }

}  // extern "C"

namespace std {

// std::make_shared without RTTI asks the library whether a type_info is its
// private tag; only the tag's own fake type_info is (there is no real one).
bool _Sp_make_shared_tag::_S_eq(const type_info& ti) noexcept { return &ti == &_S_ti(); }

void __throw_bad_exception() { fatal("std::bad_exception"); }
void __throw_bad_alloc() { fatal("std::bad_alloc"); }
void __throw_bad_array_new_length() { fatal("std::bad_array_new_length"); }
void __throw_bad_cast() { fatal("std::bad_cast"); }
void __throw_bad_typeid() { fatal("std::bad_typeid"); }
void __throw_logic_error(const char* what) { fatal("std::logic_error", what); }
void __throw_domain_error(const char* what) { fatal("std::domain_error", what); }
void __throw_invalid_argument(const char* what) { fatal("std::invalid_argument", what); }
void __throw_length_error(const char* what) { fatal("std::length_error", what); }
void __throw_out_of_range(const char* what) { fatal("std::out_of_range", what); }
void __throw_out_of_range_fmt(const char* format, ...) {
  // The format uses libstdc++'s own %zu/%s subset, which ours covers.
  char message[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  fatal("std::out_of_range", message);
}
void __throw_runtime_error(const char* what) { fatal("std::runtime_error", what); }
void __throw_range_error(const char* what) { fatal("std::range_error", what); }
void __throw_overflow_error(const char* what) { fatal("std::overflow_error", what); }
void __throw_underflow_error(const char* what) { fatal("std::underflow_error", what); }
void __throw_system_error(int error) { fatal("std::system_error", std::strerror(error)); }
void __throw_bad_function_call() { fatal("std::bad_function_call"); }
void __throw_ios_failure(const char* what) { fatal("std::ios_base::failure", what); }
void __throw_ios_failure(const char* what, int) { fatal("std::ios_base::failure", what); }
void __throw_future_error(int) { fatal("std::future_error"); }

}  // namespace std
