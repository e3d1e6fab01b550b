# ctest limits_readme: README's Limits table says what include/csat.h says.
# Each row names its constants in backquotes, in the order of its numbers:
#   | prompt text / audio reference | 4096 / 1024 bytes (`CSAT_MAX_PROMPT_BYTES` / `CSAT_MAX_AUDIO_BYTES`) |
# Numbers may carry a unit (KiB, MiB, ms, days: converted to bytes or ms);
# the lower end of a range "0..10" and digits inside a word ("UTF-8") are
# not limits. Every published limit (CSAT_MAX_*, CSAT_MIN_*, CSAT_*_MAX_*,
# CSAT_BLOB_MAX, CSAT_TEXT_MAX) must appear in the table.
# Usage: cmake -DSOURCE_DIR=<top> -P check_limits.cmake
cmake_minimum_required(VERSION 3.16)
include("${CMAKE_CURRENT_LIST_DIR}/../cmake/csat_header_constants.cmake")
csat_header_constants("${SOURCE_DIR}/include/csat.h")

function(fail msg)
  message(SEND_ERROR "FAIL: ${msg}")
endfunction()

file(READ "${SOURCE_DIR}/README.md" readme)
if(NOT readme MATCHES "\n## Limits\n(.*)")
  message(FATAL_ERROR "FAIL: README.md has no '## Limits' section")
endif()
# The section's first table: a run of lines starting with '|'.
string(REGEX MATCH "\n(\\|[^\n]*\n)+" table "${CMAKE_MATCH_1}")
string(REGEX MATCHALL "\\|[^\n]*" rows "${table}")
list(LENGTH rows nrows)
if(nrows LESS 3)
  message(FATAL_ERROR "FAIL: README.md's Limits section has no table")
endif()
list(REMOVE_AT rows 0 1) # header and rule

set(named "")
set(checked 0)
foreach(row IN LISTS rows)
  if(NOT row MATCHES "^\\|([^|]*)\\|([^|]*)\\|$")
    fail("README.md: not a two-column row: ${row}")
    continue()
  endif()
  string(STRIP "${CMAKE_MATCH_1}" input)
  set(cell "${CMAKE_MATCH_2}")
  string(REGEX MATCHALL "`CSAT_[A-Z0-9_]+`" names "${cell}")
  string(REGEX REPLACE "`[^`]*`" "" prose "${cell}")
  # Numbers with their unit; a range's lower end and digits in words dropped.
  string(REGEX REPLACE "[0-9]+\\.\\." "" prose "${prose}")
  string(REGEX REPLACE "[A-Za-z-][0-9]+" "" prose "${prose}")
  string(REGEX MATCHALL "[0-9]+( (KiB|MiB|ms|days))?" numbers "${prose}")
  list(LENGTH names nn)
  list(LENGTH numbers nv)
  if(nn EQUAL 0 OR NOT nn EQUAL nv)
    fail("README.md, limits of '${input}': ${nv} numbers but ${nn} constant names")
    continue()
  endif()
  math(EXPR last "${nn} - 1")
  foreach(i RANGE ${last})
    list(GET names ${i} name)
    list(GET numbers ${i} number)
    string(REPLACE "`" "" name "${name}")
    string(REGEX MATCH "^[0-9]+" v "${number}")
    if(number MATCHES "KiB$")
      math(EXPR v "${v} * 1024")
    elseif(number MATCHES "MiB$")
      math(EXPR v "${v} * 1024 * 1024")
    elseif(number MATCHES "days$")
      math(EXPR v "${v} * 24 * 3600 * 1000")
    endif()
    if(NOT "${CSAT_HC_KIND_${name}}" STREQUAL "int")
      fail("README.md, limits of '${input}': ${name} is not an integer constant of csat.h")
    elseif(NOT v EQUAL CSAT_HC_VALUE_${name})
      fail("README.md, limits of '${input}': says ${number}, csat.h has ${name} ${CSAT_HC_VALUE_${name}}")
    endif()
    list(APPEND named ${name})
    math(EXPR checked "${checked} + 1")
  endforeach()
endforeach()

foreach(name IN LISTS CSAT_HC_NAMES)
  if(name MATCHES "^CSAT_((AGG_|JSON_)?(MIN|MAX)_|AGG_RECORD_MAX_|(BLOB|TEXT)_MAX$)"
     AND NOT name IN_LIST named)
    fail("README.md's Limits table does not mention ${name}")
  endif()
endforeach()
message(STATUS "README.md's Limits table: ${checked} limits equal csat.h's")
