# cmake -DREADME=README.md -DEXAMPLE=examples/01_quickstart.c -DWORK=dir -P check_readme.cmake
#
# The README's "Using the library" code is what people copy, so it must be a
# program that builds and runs: it is examples/01_quickstart.c, byte for
# byte. This takes the first ```c block after that heading and fails on any
# difference (then WORK/readme_block.c holds the block for a diff).
cmake_minimum_required(VERSION 3.16)
foreach(var README EXAMPLE WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_readme.cmake: -D${var}=... is required")
  endif()
endforeach()

file(READ "${README}" readme)
file(READ "${EXAMPLE}" example)

set(heading "## Using the library")
string(FIND "${readme}" "${heading}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${README}: no heading \"${heading}\"")
endif()
string(SUBSTRING "${readme}" ${at} -1 rest)
set(open "\n```c\n")
string(FIND "${rest}" "${open}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${README}: no ```c block after \"${heading}\"")
endif()
string(LENGTH "${open}" len)
math(EXPR at "${at} + ${len}")
string(SUBSTRING "${rest}" ${at} -1 rest)
# The block ends at a line that is only ```; the newline before it belongs
# to the code's last line.
string(FIND "${rest}" "\n```" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${README}: the ```c block after \"${heading}\" is not closed")
endif()
math(EXPR at "${at} + 1")
string(SUBSTRING "${rest}" 0 ${at} block)

if("${block}" STREQUAL "${example}")
  message(STATUS "README.md's example is ${EXAMPLE}, byte for byte")
  return()
endif()

# Say where they part: the line of the first differing byte.
file(MAKE_DIRECTORY "${WORK}")
file(WRITE "${WORK}/readme_block.c" "${block}")
string(LENGTH "${block}" n1)
string(LENGTH "${example}" n2)
include(${CMAKE_CURRENT_LIST_DIR}/first_difference.cmake)
csat_first_difference("${block}" "${example}" line)
message(FATAL_ERROR "README.md's example and ${EXAMPLE} differ from line ${line} "
  "(README block: ${n1} bytes, example: ${n2} bytes); compare with\n"
  "  diff ${WORK}/readme_block.c ${EXAMPLE}")
