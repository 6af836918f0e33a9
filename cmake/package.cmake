# The .deb that `make package` (cpack) builds from the install rules: one package holding the
# programs, their man pages and completion, and the library for developers.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pipex)
set(CPACK_PACKAGE_VENDOR "the pipex authors")
set(CPACK_PACKAGE_CONTACT "the pipex authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The long description, under the summary line (CPack indents it as dpkg wants).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "pipex runs `< INFILE CMD1 | ... | CMDN > OUTFILE` as bash does, with the same
output, status and error lines, and with every stage holding only fds 0, 1 and 2 and nothing
left running. pipex-audit proves the same of any program's process tree (fd leaks and where
they came from, zombies, orphans, who holds a pipe when it hangs); pipex-check tests any pipex
implementation. The C++20 library (headers, libpipex.a, a CMake package and pipex.pc) runs
pipelines with the same guarantees.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The dependencies are read from the programs themselves (dpkg-shlibdeps); pipex-check runs
# bash as its oracle, and valgrind when it is there.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "bash")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "valgrind, bash-completion")
set(CPACK_STRIP_FILES ON)
include(CPack)
