# Every copy of the version outside include/csat.h (its one source), checked
# by tests/check_version.cmake (ctest version_copies). A new copy (a binding's
# package file, ...) is added here, in the same commit that adds the file.
#
# csat_version_copy(GLOB REGEX PRESENCE), one call per copy:
#   GLOB      files relative to the top directory (a glob: a file name may
#             hold the version, like a rockspec's)
#   REGEX     a CMake regex matched against each line; its last group is
#             the version as written: "0.1.0" must equal the header's
#             version, "0.1" its first two parts (find_package requests)
#   PRESENCE  required: the glob must match a file, every file must hold a
#             match, and every matching line is checked; first: the same,
#             but only each file's first matching line is checked; optional:
#             as required, but a glob that matches no file passes (a copy
#             that does not exist yet)

# The changelog names the newest version first: "## [0.1.0] - date" once
# released, "The work toward 0.1.0" while unreleased (older releases stay as
# they were, so only the first such line is checked).
csat_version_copy("CHANGELOG.md"
  "^(## \\[|The work toward )([0-9]+\\.[0-9]+\\.[0-9]+)" first)
csat_version_copy("README.md" "^What ([0-9]+\\.[0-9]+\\.[0-9]+) does" required)
csat_version_copy("README.md" "find_package\\(csat ([0-9]+\\.[0-9]+) REQUIRED\\)" required)
csat_version_copy("tests/consumer/CMakeLists.txt"
  "find_package\\(csat ([0-9]+\\.[0-9]+) REQUIRED\\)" required)

# Bindings (not written yet): their package files carry the version too.
csat_version_copy("bindings/*/pyproject.toml" "^version *= *\"([0-9][0-9.]*)\"" optional)
csat_version_copy("bindings/*/*.rockspec" "^version *= *\"([0-9][0-9.]*)-[0-9]+\"" optional)
csat_version_copy("bindings/*/*.control" "^default_version *= *'([0-9][0-9.]*)'" optional)
