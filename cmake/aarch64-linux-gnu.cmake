# Toolchain file: libnativetls.so for linux-aarch64, cross-compiled on an x86_64 Debian machine.
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DNATIVETLS_AARCH64_SYSROOT=<dir> ...
# The compiler and C library come from Debian's cross packages (gcc-aarch64-linux-gnu,
# libc6-dev-arm64-cross); OpenSSL's arm64 headers and libraries from Debian's libssl-dev:arm64 and
# libssl3:arm64, unpacked into <dir> by scripts/aarch64-sysroot.sh (pom.xml runs it first). Only that
# directory is searched for libraries and headers, so nothing of the host's x86_64 OpenSSL leaks in.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# try_compile projects read this file again: they need the directory too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES NATIVETLS_AARCH64_SYSROOT)

find_program(NATIVETLS_AARCH64_GCC aarch64-linux-gnu-gcc)
if(NOT NATIVETLS_AARCH64_GCC)
  message(FATAL_ERROR "linux-aarch64 build: the cross compiler aarch64-linux-gnu-gcc is missing: install Debian's "
    "package gcc-aarch64-linux-gnu (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross; .ci/run does this), "
    "or build x86_64 only with -Dnativetls.aarch64.skip=true (the jar then lacks linux-aarch64)")
endif()
if(NOT EXISTS /usr/aarch64-linux-gnu/include/stdio.h)
  message(FATAL_ERROR "linux-aarch64 build: the arm64 C library headers are missing: install Debian's package "
    "libc6-dev-arm64-cross (apt-get install libc6-dev-arm64-cross; .ci/run does this)")
endif()
if(NOT NATIVETLS_AARCH64_SYSROOT OR NOT EXISTS "${NATIVETLS_AARCH64_SYSROOT}/usr/include/openssl/ssl.h")
  message(FATAL_ERROR "linux-aarch64 build: no arm64 OpenSSL headers in NATIVETLS_AARCH64_SYSROOT="
    "'${NATIVETLS_AARCH64_SYSROOT}': unpack Debian's libssl-dev:arm64 there with "
    "scripts/aarch64-sysroot.sh <dir> libssl-dev libssl3 (Maven does this)")
endif()

set(CMAKE_C_COMPILER "${NATIVETLS_AARCH64_GCC}")
set(CMAKE_FIND_ROOT_PATH "${NATIVETLS_AARCH64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Debian puts the arch-specific openssl/configuration.h under include/<multiarch>/.
set(CMAKE_C_STANDARD_INCLUDE_DIRECTORIES "${NATIVETLS_AARCH64_SYSROOT}/usr/include/aarch64-linux-gnu")
# libssl.so.3 names libcrypto.so.3: let the linker find it in the same directory.
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-Wl,-rpath-link,${NATIVETLS_AARCH64_SYSROOT}/usr/lib/aarch64-linux-gnu")
