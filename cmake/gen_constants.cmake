# Generates the constants table from include/csat.h:
#   src/lib/base/constants_table.inc   rows CSAT__CONSTANT(name, "family") for src/lib/base/constants.c
#   bindings/constants.tsv  name<TAB>family<TAB>value, for bindings' code generators
# Regenerate after adding a constant to csat.h:
#   cmake -P cmake/gen_constants.cmake
# ctest constants_generated runs it with -DCHECK=ON: it generates into OUT_DIR
# (the build tree) and fails when a committed copy differs (is stale).
#
# What is listed (decided here, explicitly: an unclassified macro is an error,
# so a new constant cannot be forgotten):
#  - every member of an enumeration family, with the family's prefix; values
#    are unique within a family (checked), so a value names one member;
#  - limits and bounds (CSAT_MAX_*, CSAT_*_MAX_*, CSAT_PROMPT_KIND_MAX, ...)
#    with the empty family: constants, not members of an enumeration;
#  - not listed: the version macros (csat_version_num() is the run-time
#    truth), CSAT_AGG_ALL ((size_t)-1, not an int64 value), CSAT_EXTERN and
#    the include guard.
cmake_minimum_required(VERSION 3.16)
if(NOT SOURCE_DIR)
  get_filename_component(SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
endif()
if(NOT OUT_DIR)
  set(OUT_DIR "${SOURCE_DIR}")
endif()
include("${CMAKE_CURRENT_LIST_DIR}/csat_header_constants.cmake")

# Enumeration families (prefix: what). Append only: a family, once
# published, keeps its prefix.
set(families
  CSAT_ERR_        # error codes; CSAT_OK too (its one member without the prefix)
  CSAT_MODE_       # survey modes
  CSAT_Q_          # question kinds
  CSAT_EXHAUSTED_  # what happens when attempts run out
  CSAT_PROMPT_     # prompt kinds
  CSAT_CHANNEL_    # channels
  CSAT_OUTCOME_    # session outcomes
  CSAT_PENDING_    # pending work bits
  CSAT_REPLY_      # what a reply means
  CSAT_REASON_     # why a reply was not understood
  CSAT_ANSWER_     # answer status
  CSAT_ESCALATION_ # escalation result
  CSAT_DIM_        # aggregation dimension bits (CSAT_DIM_ALL: all of them)
  CSAT_PERIOD_     # aggregation periods
  CSAT_RANK_       # what csat_agg_rank ranks
  CSAT_TERMS_      # sides of csat_agg_top_terms
  CSAT_REPORT_     # report flag bits
  )
set(family_CSAT_OK CSAT_ERR_)
# Bounds inside a family's prefix that are not members.
set(bounds CSAT_PROMPT_KIND_MAX CSAT_OUTCOME_MAX)
# Other constants with the empty family: limits, and these.
set(limit_regex "^CSAT_((AGG_|JSON_)?(MIN|MAX)_|AGG_RECORD_MAX_|(BLOB|TEXT)_MAX$)")
set(plain CSAT_AGG_COUNT_MAX CSAT_AGG_BLOB_VERSION)
set(excluded CSAT_H CSAT_EXTERN CSAT_VERSION_MAJOR CSAT_VERSION_MINOR CSAT_VERSION_PATCH
  CSAT_VERSION_NUM CSAT_VERSION_STRING CSAT_AGG_ALL)

csat_header_constants("${SOURCE_DIR}/include/csat.h")

set(table "/* Generated from include/csat.h by cmake/gen_constants.cmake: do not edit.
 * Regenerate: cmake -P cmake/gen_constants.cmake (ctest constants_generated
 * fails while this file is stale). One row per listed constant, in header
 * order: CSAT__CONSTANT(name, family); family \"\" for limits and bounds. */
")
set(tsv "name\tfamily\tvalue\n")
set(rows 0)
foreach(name IN LISTS CSAT_HC_NAMES)
  if(name IN_LIST excluded)
    continue()
  endif()
  if(NOT CSAT_HC_KIND_${name} STREQUAL "int")
    message(FATAL_ERROR "include/csat.h: ${name} is not an integer constant "
      "(${CSAT_HC_VALUE_${name}}): list it in 'excluded' of cmake/gen_constants.cmake")
  endif()
  set(value "${CSAT_HC_VALUE_${name}}")
  set(family "")
  if(DEFINED family_${name})
    set(family "${family_${name}}")
  elseif(NOT name IN_LIST bounds)
    foreach(f IN LISTS families)
      string(FIND "${name}" "${f}" at)
      if(at EQUAL 0)
        if(NOT family STREQUAL "")
          message(FATAL_ERROR "${name} is in two families: ${family} and ${f}")
        endif()
        set(family "${f}")
      endif()
    endforeach()
  endif()
  if(family STREQUAL "" AND NOT name IN_LIST bounds AND NOT name IN_LIST plain
     AND NOT name MATCHES "${limit_regex}")
    message(FATAL_ERROR "include/csat.h: ${name} belongs to no family: add its family "
      "(or list it as a bound, limit or exclusion) in cmake/gen_constants.cmake")
  endif()
  if(NOT family STREQUAL "")
    if(DEFINED seen_${family}_${value})
      message(FATAL_ERROR "${name} and ${seen_${family}_${value}} share the value ${value} "
        "in family ${family}: a value must name one member")
    endif()
    set(seen_${family}_${value} ${name})
  endif()
  string(APPEND table "CSAT__CONSTANT(${name}, \"${family}\")\n")
  string(APPEND tsv "${name}\t${family}\t${value}\n")
  math(EXPR rows "${rows} + 1")
endforeach()

set(outputs "src/lib/base/constants_table.inc" "bindings/constants.tsv")
set(content_src/lib/base/constants_table.inc "${table}")
set(content_bindings/constants.tsv "${tsv}")
set(stale "")
foreach(out IN LISTS outputs)
  set(path "${OUT_DIR}/${out}")
  set(old "")
  if(EXISTS "${path}")
    file(READ "${path}" old)
  endif()
  if(NOT old STREQUAL "${content_${out}}")
    file(WRITE "${path}" "${content_${out}}") # only when changed: no needless rebuild
  endif()
  if(CHECK)
    set(committed "")
    if(EXISTS "${SOURCE_DIR}/${out}")
      file(READ "${SOURCE_DIR}/${out}" committed)
    endif()
    if(NOT committed STREQUAL "${content_${out}}")
      list(APPEND stale "${out}")
    endif()
  endif()
endforeach()
if(stale)
  message(FATAL_ERROR "FAIL: stale generated file(s): ${stale} (include/csat.h or "
    "cmake/gen_constants.cmake changed; regenerate with: cmake -P cmake/gen_constants.cmake; "
    "fresh copies are in ${OUT_DIR})")
endif()
message(STATUS "constants: ${rows} rows from include/csat.h")
