# cmake -DPROG=path/to/example -DEXPECTED=examples/expected/NAME.out
#       -DACTUAL=build/examples/NAME.out -P check_output.cmake
#
# Runs one example and compares what it prints with its golden output, so an
# example that still exits 0 but tells its reader something else fails. CR
# bytes are dropped on both sides: the CSV of 06_report ends its lines with
# CRLF (RFC 4180), and the golden files are kept as plain text.
cmake_minimum_required(VERSION 3.16)
foreach(var PROG EXPECTED ACTUAL)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_output.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND "${PROG}" RESULT_VARIABLE rc
  OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(NOTICE "--- stdout\n${out}--- stderr\n${err}---")
  message(FATAL_ERROR "${PROG} exited with ${rc}")
endif()
file(READ "${EXPECTED}" want)
string(REPLACE "\r" "" out "${out}")
string(REPLACE "\r" "" want "${want}")
if("${out}" STREQUAL "${want}")
  message(STATUS "${PROG}: output as in ${EXPECTED}")
  return()
endif()

# Name the first line that differs, and keep the output for a diff.
file(WRITE "${ACTUAL}" "${out}")
include(${CMAKE_CURRENT_LIST_DIR}/first_difference.cmake)
csat_first_difference("${out}" "${want}" line)
message(NOTICE "--- stdout\n${out}--- stderr\n${err}---")
message(FATAL_ERROR "${PROG}: output differs from ${EXPECTED} at line ${line}; compare with\n"
  "  diff ${EXPECTED} ${ACTUAL}")
