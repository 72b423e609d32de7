# The .deb: `cpack -G DEB` in the build directory. The package always installs under /usr with
# its configuration in /etc, so the maintainer scripts are configured for those paths here.

set(deb_etc "/etc")
if(IS_ABSOLUTE "${CMAKE_INSTALL_SYSCONFDIR}")
  set(deb_etc "${CMAKE_INSTALL_SYSCONFDIR}")
endif()
set(DCC_BINDIR "/usr/${CMAKE_INSTALL_BINDIR}")
set(DCC_MASQUERADE_DIR "/usr/lib/distcc")
if(CMAKE_LIBRARY_ARCHITECTURE)
  set(DCC_MULTIARCH "${CMAKE_LIBRARY_ARCHITECTURE}")
else()
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -dumpmachine OUTPUT_VARIABLE DCC_MULTIARCH
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()

set(control "${CMAKE_CURRENT_BINARY_DIR}/debian")
foreach(script postinst prerm postrm)
  configure_file(debian/${script}.in ${control}/${script} @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                  WORLD_READ WORLD_EXECUTE)
endforeach()
configure_file(debian/triggers.in ${control}/triggers @ONLY)
# Files the administrator edits: dpkg keeps their changes on upgrade and asks on conflicts.
set(conffiles
    ${deb_etc}/distcc/hosts
    ${deb_etc}/default/distccd
    ${deb_etc}/systemd/system/distccd.service.d/00gentoo.conf
    ${deb_etc}/init.d/distccd
    ${deb_etc}/conf.d/distccd
    ${deb_etc}/xinetd.d/distccd
    ${deb_etc}/logrotate.d/distccd)
list(JOIN conffiles "\n" conffiles_text)
file(WRITE ${control}/conffiles "${conffiles_text}\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME distcc-cpp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "distcc-cpp maintainers <distcc-cpp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "distributed C/C++ compiler, compatible with distcc 3.4")
set(CPACK_PACKAGE_DESCRIPTION
    "A C++20 reimplementation of distcc: the distcc client, the distccd compile server, \
distccmon-text, lsdistcc, distcc-config and update-distcc-symlinks. It speaks distcc's \
protocol, so it works in a farm of distcc 3.4 machines. Replaces Debian's distcc package.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
# Install into a staging root with DESTDIR: the package has absolute paths (/etc/...).
set(CPACK_SET_DESTDIR ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# postinst creates the user distcc with adduser (or useradd from passwd).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser | passwd")
# Same programs, man pages and /etc/distcc/hosts as Debian's distcc: one or the other.
set(CPACK_DEBIAN_PACKAGE_CONFLICTS distcc)
set(CPACK_DEBIAN_PACKAGE_REPLACES distcc)
set(CPACK_DEBIAN_PACKAGE_PROVIDES distcc)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "xinetd, logrotate")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${control}/postinst ${control}/prerm ${control}/postrm ${control}/triggers ${control}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_STRIP_FILES ON)
include(CPack)
