# cmake -DLIBRARY=<so> -DREADELF=<readelf> -DFLOOR=<x.y> -P NativeTlsShipCheck.cmake
# Checks a library about to ship. It fails when the library needs a glibc symbol version newer than
# FLOOR: the oldest glibc it runs on is a promise to users (x86_64: 2.14, aarch64: 2.17), and one new
# libc call or a newer toolchain can raise it without any other sign. It also fails on an RPATH or
# RUNPATH: a build directory named there (the cross build's sysroot) would be searched on users' machines.
foreach(var LIBRARY READELF FLOOR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "NativeTlsShipCheck.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND "${READELF}" --dynamic --dyn-syms --version-info --wide "${LIBRARY}"
                OUTPUT_VARIABLE dump ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "glibc floor: ${READELF} could not read ${LIBRARY}: ${err}")
endif()

if(dump MATCHES "\\((RPATH|RUNPATH)\\)[^\n]*")
  file(REMOVE "${LIBRARY}")
  message(FATAL_ERROR "ship check: ${LIBRARY} carries ${CMAKE_MATCH_0}: it must find libssl where the system has it")
endif()

# The versions the library requires (.gnu.version_r), e.g. "Name: GLIBC_2.14".
string(REGEX MATCHALL "Name: GLIBC_[0-9]+(\\.[0-9]+)+" needed "${dump}")
if(NOT needed)
  message(FATAL_ERROR "glibc floor: ${LIBRARY} requires no GLIBC_ symbol version at all: not a glibc library?")
endif()
set(highest 0)
foreach(entry IN LISTS needed)
  string(REPLACE "Name: GLIBC_" "" version "${entry}")
  if(version VERSION_GREATER highest)
    set(highest "${version}")
  endif()
endforeach()

if(highest VERSION_GREATER FLOOR)
  # Name the symbols that need more than the floor (the dynamic symbol table: "name@GLIBC_x.y").
  string(REGEX MATCHALL "[A-Za-z0-9_]+@GLIBC_[0-9]+(\\.[0-9]+)+" symbols "${dump}")
  set(culprits "")
  foreach(symbol IN LISTS symbols)
    string(REGEX REPLACE ".*@GLIBC_" "" version "${symbol}")
    if(version VERSION_GREATER FLOOR)
      list(APPEND culprits "${symbol}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES culprits)
  list(JOIN culprits ", " culprits)
  file(REMOVE "${LIBRARY}") # a rejected library must not be picked up by a later step
  message(FATAL_ERROR "glibc floor: ${LIBRARY} needs GLIBC_${highest}, above its floor GLIBC_${FLOOR} "
    "(${culprits}): use an older interface, or raise NATIVETLS_GLIBC_FLOOR on purpose and say so in the README")
endif()
message(STATUS "ship check: ${LIBRARY} needs GLIBC_${highest} at most (floor ${FLOOR}), no RUNPATH")
