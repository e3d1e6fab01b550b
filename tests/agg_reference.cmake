# The aggregation reference check (ctest agg_reference): agg_gen writes random
# answers and the library's metrics into WORK, then tests/agg_reference.py
# recomputes every metric independently and compares. Without python3 the
# test prints SKIPPED.
if(NOT PYTHON OR NOT EXISTS "${PYTHON}")
  message("SKIPPED: python3 not found")
  return()
endif()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${GEN}" "${WORK}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "agg_gen failed (${rc})")
endif()
execute_process(COMMAND "${PYTHON}" "${SCRIPT}" "${WORK}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the library's metrics differ from the reference (${rc})")
endif()
