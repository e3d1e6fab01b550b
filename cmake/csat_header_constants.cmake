# Reads the object-like macros CSAT_* of a header and evaluates the integer
# ones as the C compiler would (64-bit). Used by cmake/gen_constants.cmake and
# tests/check_limits.cmake (cmake -P scripts: no other tool is needed).
#
# csat_header_constants(HEADER) sets in the caller's scope:
#   CSAT_HC_NAMES            every CSAT_* macro, in header order (a macro
#                            defined more than once, like CSAT_EXTERN, once)
#   CSAT_HC_KIND_<name>      int, string, empty or other
#   CSAT_HC_VALUE_<name>     the decimal value (int) or the text (others)
# Understood in an int: decimal and hex literals with u/l suffixes, the
# casts (int32_t) (int64_t) (uint32_t) (uint64_t), + - * / % << >> | & ^ ~,
# parentheses and earlier CSAT_* int macros. Anything else (a (size_t) cast,
# an undefined name) makes the macro "other".
function(csat_header_constants header)
  file(READ "${header}" text)
  # Join continuation lines so a macro is one line.
  string(REGEX REPLACE "\\\\\n" " " text "${text}")
  string(REGEX MATCHALL "\n#[ \t]*define[ \t]+CSAT_[A-Za-z0-9_]*[^\n]*" defines "\n${text}")
  set(names "")
  foreach(line IN LISTS defines)
    string(REGEX REPLACE "^\n#[ \t]*define[ \t]+" "" line "${line}")
    string(REGEX MATCH "^[A-Za-z0-9_]+" name "${line}")
    string(LENGTH "${name}" n)
    string(SUBSTRING "${line}" ${n} -1 rest)
    if(rest MATCHES "^\\(")
      continue() # function-like
    endif()
    string(REGEX REPLACE "/[*/].*$" "" rest "${rest}")
    string(STRIP "${rest}" rest)
    if(name IN_LIST names)
      continue()
    endif()
    list(APPEND names ${name})
    if(rest STREQUAL "")
      set(kind empty)
      set(value "")
    elseif(rest MATCHES "^\"")
      set(kind string)
      set(value "${rest}")
    else()
      set(expr "${rest}")
      string(REGEX MATCHALL "CSAT_[A-Za-z0-9_]+" refs "${expr}")
      set(kind int)
      foreach(ref IN LISTS refs)
        if("${CSAT_HC_KIND_${ref}}" STREQUAL "int")
          string(REGEX REPLACE "(^|[^A-Za-z0-9_])${ref}([^A-Za-z0-9_]|$)"
                 "\\1(${CSAT_HC_VALUE_${ref}})\\2" expr "${expr}")
        else()
          set(kind other)
        endif()
      endforeach()
      string(REGEX REPLACE "\\((u?int(32|64)_t)\\)" "" expr "${expr}")
      string(REGEX REPLACE "(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]+" "\\1" expr "${expr}")
      if(NOT kind STREQUAL "int" OR NOT expr MATCHES "^[0-9a-fA-FxX+*/%<>|&^~() -]+$")
        set(kind other)
        set(value "${rest}")
      else()
        math(EXPR value "${expr}")
      endif()
    endif()
    set(CSAT_HC_KIND_${name} ${kind})
    set(CSAT_HC_VALUE_${name} "${value}")
    set(CSAT_HC_KIND_${name} ${kind} PARENT_SCOPE)
    set(CSAT_HC_VALUE_${name} "${value}" PARENT_SCOPE)
  endforeach()
  set(CSAT_HC_NAMES ${names} PARENT_SCOPE)
endfunction()
