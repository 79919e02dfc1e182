# Script mode (cmake -P): writes a C++ file holding every catalogue file as a byte array, so
# the binary carries its catalogue and works from any directory. Byte arrays rather than
# string literals: compilers cap literal length (MSVC 64 KiB) and raw strings would break
# on a ")" delimiter inside the data.
#   -DDATA_DIR=<data/>  -DOUTPUT=<file.cpp>  -DFILES=<a.json|b/c.json|...> (relative, sorted)
cmake_minimum_required(VERSION 3.25)

string(REPLACE "|" ";" files "${FILES}")
set(body "")
set(table "")
set(index 0)
foreach(relative IN LISTS files)
  # Indentation is a third of the pretty-printed bytes and the lexer reads every one at
  # start-up; JSON strings cannot hold a raw newline, so spaces after one are never data.
  file(READ "${DATA_DIR}/${relative}" text)
  string(REGEX REPLACE "\n[ ]+" "\n" text "${text}")
  string(LENGTH "${text}" size)
  string(HEX "${text}" hex)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],)(0x[0-9a-f][0-9a-f],))" "\\1\n" bytes "${bytes}")
  string(APPEND body "const unsigned char file_${index}[] = {\n${bytes}0x00};\n\n")
  string(APPEND table "    {\"${relative}\", file_${index}, ${size}},\n")
  math(EXPR index "${index} + 1")
endforeach()

set(content "// Generated from data/ by cmake/EmbedCatalog.cmake at build time: do not edit.
#include \"embedded.hpp\"

namespace edgeplan::catalog_embedded {

namespace {

${body}} // namespace

extern const File files[] = {
${table}    {nullptr, nullptr, 0},
};
extern const std::size_t file_count = ${index};

} // namespace edgeplan::catalog_embedded
")
# Only touch the output when it changes, so an unchanged catalogue rebuilds nothing.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" previous)
  if(previous STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
