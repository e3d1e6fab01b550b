# The agg_tsan test of a build without ThreadSanitizer (tests/CMakeLists.txt).
if("$ENV{CSAT_REQUIRE_TSAN}" STREQUAL "1")
  message(FATAL_ERROR "agg_tsan: ThreadSanitizer required (CSAT_REQUIRE_TSAN=1): ${REASON}")
endif()
message("SKIPPED: agg_tsan needs ThreadSanitizer: ${REASON}")
