# ctest driver: install the built neardup into a scratch prefix, build the
# example project against it with find_package(neardup), and run it.
# Expects BUILD_DIR, SOURCE_DIR and WORK_DIR.
set(CXX_COMPILER_ARG "")
if(CXX_COMPILER)
  set(CXX_COMPILER_ARG -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
  RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
# EXAMPLE_FLAGS (optional): compile and link flags the library was built
# with that its users need too (the sanitizers). CXX_COMPILER (optional): the
# library's compiler, whose sanitizer runtime the example must link.
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build
  -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release
  "-DCMAKE_CXX_FLAGS=${EXAMPLE_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXAMPLE_FLAGS}"
  ${CXX_COMPILER_ARG}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the example against the installed package failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the example failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/compare_strings RESULT_VARIABLE rc
  OUTPUT_VARIABLE out)
message("${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "score [0-9.]+\n  a\\[")
  message(FATAL_ERROR "the example found no shared passage (exit ${rc})")
endif()
