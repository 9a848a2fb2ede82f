# Writes OUT, a C++ file defining EmbeddedMigrations() from every
# DIR/NNNN_name.sql, in version order.
file(GLOB files RELATIVE ${DIR} ${DIR}/*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  string(REGEX MATCH "^([0-9]+)_(.*)\\.sql$" m ${f})
  if(NOT m)
    message(FATAL_ERROR "migration ${f} must be named NNNN_name.sql")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  set(name ${CMAKE_MATCH_2})
  file(READ ${DIR}/${f} sql)
  string(APPEND body "      {${version}, \"${name}\", R\"__sql__(${sql})__sql__\"},\n")
endforeach()
file(WRITE ${OUT}.tmp
"// Generated from storage/migrations by embed_migrations.cmake.
#include \"storage/migrations.h\"

namespace identity::storage {

const std::vector<Migration>& EmbeddedMigrations() {
  static const std::vector<Migration> kMigrations = {
${body}  };
  return kMigrations;
}

}  // namespace identity::storage
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
