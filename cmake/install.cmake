# What `cmake --install` (and `make install`, and the .deb) puts where: the three programs, the
# library with its headers, the ways to find it (a CMake package, pipex.pc), the man pages and
# bash completion. Included by the top CMakeLists.txt when pipex is the top-level project.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Installed as libpipex.a and libpipex-base.a, found as pipex::engine and pipex::base.
set_target_properties(pipex_engine PROPERTIES OUTPUT_NAME pipex EXPORT_NAME engine)
set_target_properties(pipex_base PROPERTIES OUTPUT_NAME pipex-base EXPORT_NAME base)

install(TARGETS pipex pipex-audit pipex-check RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS pipex_engine pipex_base EXPORT pipexTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/pipex DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# find_package(pipex 1.0): any 1.x is accepted, 2.0 is not.
set(PIPEX_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/pipex)
install(EXPORT pipexTargets NAMESPACE pipex:: DESTINATION ${PIPEX_CMAKE_DIR})
configure_package_config_file(cmake/pipexConfig.cmake.in
  ${PROJECT_BINARY_DIR}/pipexConfig.cmake INSTALL_DESTINATION ${PIPEX_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pipexConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/pipexConfig.cmake ${PROJECT_BINARY_DIR}/pipexConfigVersion.cmake
  DESTINATION ${PIPEX_CMAKE_DIR})

# pipex.pc finds its prefix from where it lies, so that `cmake --install --prefix DIR` (chosen
# after configuring) gives a file that is right.
file(RELATIVE_PATH PIPEX_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(cmake/pipex.pc.in ${PROJECT_BINARY_DIR}/pipex.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/pipex.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES docs/man/pipex.1 docs/man/pipex-audit.1 docs/man/pipex-check.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES docs/man/pipex.3 DESTINATION ${CMAKE_INSTALL_MANDIR}/man3)
# Sources named PROGRAM.bash, installed under the program's own name, as bash-completion looks
# them up.
foreach(program pipex pipex-audit pipex-check)
  install(FILES completion/${program}.bash RENAME ${program}
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endforeach()
install(FILES LICENSE README.md CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
