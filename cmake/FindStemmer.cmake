# SPDX-License-Identifier: MIT
# Finds Snowball's libstemmer (Debian: libstemmer-dev), which the deck lint uses to
# reduce words to their stems. Defines Stemmer::Stemmer and Stemmer_FOUND.
# Installed beside allianceConfig.cmake: a static liballiance needs it at link time.
find_path(Stemmer_INCLUDE_DIR NAMES libstemmer.h)
find_library(Stemmer_LIBRARY NAMES stemmer)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Stemmer REQUIRED_VARS Stemmer_LIBRARY Stemmer_INCLUDE_DIR)
if(Stemmer_FOUND AND NOT TARGET Stemmer::Stemmer)
  add_library(Stemmer::Stemmer UNKNOWN IMPORTED)
  set_target_properties(Stemmer::Stemmer PROPERTIES
      IMPORTED_LOCATION "${Stemmer_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${Stemmer_INCLUDE_DIR}")
endif()
mark_as_advanced(Stemmer_INCLUDE_DIR Stemmer_LIBRARY)
