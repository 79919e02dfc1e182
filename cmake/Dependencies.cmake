# Finds the Debian packages edgeplan builds with. A missing one stops configuration with
# the name of the package that provides it, so `apt-get install` is one copy-paste away.

function(edgeplan_require_package found package what)
  if(NOT ${found})
    message(FATAL_ERROR
      "edgeplan needs ${what}: install the Debian package '${package}' "
      "(sudo apt-get install ${package}), or run ./setup.sh")
  endif()
endfunction()

find_package(nlohmann_json 3.10 QUIET CONFIG)
edgeplan_require_package(nlohmann_json_FOUND nlohmann-json3-dev "nlohmann/json")

find_package(fmt 9 QUIET CONFIG)
edgeplan_require_package(fmt_FOUND libfmt-dev "fmt")

find_package(CLI11 2.1 QUIET CONFIG)
edgeplan_require_package(CLI11_FOUND libcli11-dev "CLI11")

find_package(PkgConfig QUIET)
edgeplan_require_package(PKG_CONFIG_FOUND pkg-config "pkg-config")
pkg_check_modules(HWLOC QUIET IMPORTED_TARGET hwloc>=2.0)
edgeplan_require_package(HWLOC_FOUND libhwloc-dev "hwloc (>= 2.0)")

if(EDGEPLAN_BUILD_TESTS)
  find_package(Catch2 2 QUIET CONFIG)
  edgeplan_require_package(Catch2_FOUND catch2 "Catch2 v2")
endif()
if(EDGEPLAN_BUILD_BENCHMARKS)
  find_package(benchmark QUIET CONFIG)
  edgeplan_require_package(benchmark_FOUND libbenchmark-dev "Google Benchmark")
endif()

# dlopen for the NVML loader.
find_library(EDGEPLAN_DL_LIBRARY dl)
