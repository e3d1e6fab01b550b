# cmake -DIN=include/csat.h -DOUT=grown/csat.h -P grow_header.cmake
#
# Writes a copy of csat.h in which every struct that carries a struct_size
# has one member appended, as a later version of the header would: the
# struct_growth test builds the library and a host program against it.
# Fails unless every struct the host fills or sizes was grown.
cmake_minimum_required(VERSION 3.16)
set(MEMBER "  int64_t grown_test_member_; /* appended by tests/struct_growth */")
# Structs the host fills or sizes: each must be found and grown.
set(REQUIRED csat_error csat_allocator csat_contact csat_host csat_reply csat_answer
  csat_agg_config csat_agg_answer csat_agg_record_answer csat_agg_record csat_agg_key
  csat_metrics csat_category_counts csat_comparison csat_alert_params csat_alert
  csat_rank_params csat_rank csat_term csat_report_options)

file(READ "${IN}" text)
# Split into lines: protect what a CMake list would break on (';', '\',
# brackets).
string(REPLACE ";" "<SEMI>" text "${text}")
string(REPLACE "\\" "<BS>" text "${text}")
string(REPLACE "[" "<LB>" text "${text}")
string(REPLACE "]" "<RB>" text "${text}")
string(REPLACE "\n" ";" lines "${text}")
set(out "")
set(name "")
set(sized 0)
set(grown "")
foreach(line IN LISTS lines)
  if(line MATCHES "^typedef struct (csat_[a-z_0-9]+) {")
    set(name "${CMAKE_MATCH_1}")
    set(sized 0)
  elseif(name AND line MATCHES "^  size_t struct_size<SEMI>")
    set(sized 1)
  elseif(name AND line MATCHES "^} (csat_[a-z_0-9]+)<SEMI>")
    if(sized)
      string(REPLACE ";" "<SEMI>" member "${MEMBER}")
      string(APPEND out "${member}\n")
      list(APPEND grown ${name})
    endif()
    set(name "")
  endif()
  string(APPEND out "${line}\n")
endforeach()
string(REGEX REPLACE "\n$" "" out "${out}")
string(REPLACE "<SEMI>" ";" out "${out}")
string(REPLACE "<BS>" "\\" out "${out}")
string(REPLACE "<LB>" "[" out "${out}")
string(REPLACE "<RB>" "]" out "${out}")

foreach(s IN LISTS REQUIRED)
  if(NOT s IN_LIST grown)
    message(FATAL_ERROR "grow_header: struct ${s} not found with a struct_size in ${IN}")
  endif()
endforeach()
list(LENGTH grown n)
file(WRITE "${OUT}.tmp" "${out}")
file(RENAME "${OUT}.tmp" "${OUT}")
message(STATUS "grow_header: ${n} structs grown: ${grown}")
