# nativetls_ship(target output_dir debug_dir): writes the shipped form of a shared library target:
# output_dir/<name> stripped, with a .gnu_debuglink to debug_dir/<name>.debug holding its debug info,
# after checking (NativeTlsShipCheck.cmake) that it needs no glibc newer than NATIVETLS_GLIBC_FLOOR.
# The shipped file is renamed into place last, so a failed check leaves none and the next build retries.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(nativetls_default_floor 2.17) # glibc's first aarch64 release: nothing older exists there
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(nativetls_default_floor 2.14)
else()
  set(nativetls_default_floor "")
endif()
set(NATIVETLS_SHIP_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(NATIVETLS_GLIBC_FLOOR "${nativetls_default_floor}" CACHE STRING
    "Newest GLIBC_x.y symbol version the shipped library may need (empty: not checked)")

function(nativetls_ship target output_dir debug_dir)
  foreach(tool CMAKE_OBJCOPY CMAKE_READELF)
    if(NOT ${tool})
      message(FATAL_ERROR "${tool} not found: binutils for ${CMAKE_SYSTEM_PROCESSOR} are needed to strip the library")
    endif()
  endforeach()
  set(name "lib${target}.so")
  set(shipped "${output_dir}/${name}")
  set(debug "${debug_dir}/${name}.debug")
  set(check "")
  if(NATIVETLS_GLIBC_FLOOR)
    set(check COMMAND "${CMAKE_COMMAND}" "-DLIBRARY=${shipped}.tmp" "-DREADELF=${CMAKE_READELF}"
              "-DFLOOR=${NATIVETLS_GLIBC_FLOOR}" -P "${NATIVETLS_SHIP_DIR}/NativeTlsShipCheck.cmake")
  endif()
  add_custom_command(
    OUTPUT "${shipped}" "${debug}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${output_dir}" "${debug_dir}"
    COMMAND "${CMAKE_OBJCOPY}" --only-keep-debug "$<TARGET_FILE:${target}>" "${debug}"
    COMMAND "${CMAKE_OBJCOPY}" --strip-unneeded "--add-gnu-debuglink=${debug}" "$<TARGET_FILE:${target}>" "${shipped}.tmp"
    ${check}
    COMMAND "${CMAKE_COMMAND}" -E rename "${shipped}.tmp" "${shipped}"
    DEPENDS ${target}
    COMMENT "Stripping ${name} into ${output_dir}, debug info into ${debug_dir}"
    VERBATIM)
  add_custom_target(${target}_shipped ALL DEPENDS "${shipped}" "${debug}")
endfunction()
