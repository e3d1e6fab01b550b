# The install tree as a host project meets it (run by ctest, see
# tests/CMakeLists.txt):
#   MODE=install       cmake --install the build into WORK/prefix, check the tree
#   MODE=find_package  build this directory's project with find_package(csat)
#   MODE=pkg_config    compile main.c with `pkg-config --cflags --libs csat`
# Each mode runs the programs it built against the installed library.
# Inputs (-D): MODE BUILD_DIR CONFIG WORK LIBDIR INCLUDEDIR GENERATOR
#              VERSION SOVERSION C_COMPILER EXTRA_FLAGS (space-separated) PKG_CONFIG
cmake_minimum_required(VERSION 3.16)

set(prefix "${WORK}/prefix")
set(libdir "${prefix}/${LIBDIR}")
separate_arguments(extra_flags UNIX_COMMAND "${EXTRA_FLAGS}")

function(run)
  string(REPLACE ";" " " shown "${ARGN}")
  message(STATUS "$ ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}):\n${out}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# Run a program built against the install, finding libcsat.so.1 there.
function(run_program program)
  run(${CMAKE_COMMAND} -E env "LD_LIBRARY_PATH=${libdir}" ${program})
  message(STATUS "${run_output}")
endfunction()

if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${prefix}")
  set(config_args "")
  if(CONFIG)
    set(config_args --config "${CONFIG}")
  endif()
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}" ${config_args})
  foreach(f "${INCLUDEDIR}/csat.h" "${LIBDIR}/libcsat.so.${VERSION}" "${LIBDIR}/libcsat.so.${SOVERSION}"
          "${LIBDIR}/libcsat.so" "${LIBDIR}/libcsat.a" "${LIBDIR}/pkgconfig/csat.pc"
          "${LIBDIR}/cmake/csat/csatConfig.cmake"
          "${LIBDIR}/cmake/csat/csatConfigVersion.cmake"
          "${LIBDIR}/cmake/csat/csatTargets.cmake")
    if(NOT EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "not installed: ${f}")
    endif()
  endforeach()
  # The linker name and the SONAME are links to the real file.
  file(READ_SYMLINK "${libdir}/libcsat.so" link)
  file(READ_SYMLINK "${libdir}/libcsat.so.${SOVERSION}" soname_link)
  if(NOT link STREQUAL "libcsat.so.${SOVERSION}" OR NOT soname_link STREQUAL "libcsat.so.${VERSION}")
    message(FATAL_ERROR "libcsat.so -> ${link}, libcsat.so.${SOVERSION} -> ${soname_link}")
  endif()
  file(GLOB_RECURSE tree RELATIVE "${prefix}" "${prefix}/*")
  list(SORT tree)
  string(REPLACE ";" "\n  " tree "${tree}")
  message(STATUS "installed:\n  ${tree}")

elseif(MODE STREQUAL "find_package")
  set(build "${WORK}/find_package")
  file(REMOVE_RECURSE "${build}")
  string(REPLACE ";" " " flags "${extra_flags}")
  run(${CMAKE_COMMAND} -S "${CMAKE_CURRENT_LIST_DIR}" -B "${build}" -G "${GENERATOR}"
      "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_C_COMPILER=${C_COMPILER}"
      "-DCMAKE_BUILD_TYPE=${CONFIG}" "-DCMAKE_C_FLAGS=${flags}"
      "-DCMAKE_EXE_LINKER_FLAGS=${flags}")
  # The package must come from the temporary install, not from the system.
  file(STRINGS "${build}/CMakeCache.txt" csat_dir REGEX "^csat_DIR:")
  if(NOT csat_dir MATCHES "=${libdir}/cmake/csat$")
    message(FATAL_ERROR "find_package(csat) used another package: ${csat_dir}")
  endif()
  run(${CMAKE_COMMAND} --build "${build}" --config "${CONFIG}")
  run_program("${build}/consumer")
  run_program("${build}/consumer_static")

elseif(MODE STREQUAL "pkg_config")
  if(NOT PKG_CONFIG)
    message("SKIPPED: pkg-config was not found when the build was configured")
    return()
  endif()
  set(build "${WORK}/pkg_config")
  file(REMOVE_RECURSE "${build}")
  file(MAKE_DIRECTORY "${build}")
  # PKG_CONFIG_LIBDIR too, so that a csat.pc elsewhere on the system is not used.
  set(pc_env "PKG_CONFIG_PATH=${libdir}/pkgconfig" "PKG_CONFIG_LIBDIR=${libdir}/pkgconfig")
  run(${CMAKE_COMMAND} -E env ${pc_env} "${PKG_CONFIG}" --modversion csat)
  string(STRIP "${run_output}" version)
  if(NOT version STREQUAL "${VERSION}")
    message(FATAL_ERROR "pkg-config --modversion csat: '${version}'")
  endif()
  run(${CMAKE_COMMAND} -E env ${pc_env} "${PKG_CONFIG}" --cflags --libs csat)
  string(STRIP "${run_output}" pc_flags)
  message(STATUS "pkg-config --cflags --libs csat: ${pc_flags}")
  separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
  run("${C_COMPILER}" ${extra_flags} "${CMAKE_CURRENT_LIST_DIR}/main.c" ${pc_flags}
      -o "${build}/consumer")
  run_program("${build}/consumer")

else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
