# Runs at install time (from cmake --install or CPack), when the prefix is final: `cmake
# --install --prefix P` and CPack choose it after configuring, so the files that name installed
# paths are generated here rather than by configure_file at configure time.
#
# Set by packaging/CMakeLists.txt: DCC_PACKAGING_DIR, DCC_GENERATED_DIR, and the install dirs
# DCC_BINDIR_SETTING, DCC_SYSCONFDIR_SETTING, DCC_LIBDIR_SETTING (relative to the prefix, or absolute).

# GNUInstallDirs' rule for a relative sysconfdir: the prefix /usr (or /) keeps it in /etc.
function(dcc_full_dir setting kind out)
  if(IS_ABSOLUTE "${setting}")
    set(dir "${setting}")
  elseif(kind STREQUAL "sysconf" AND (CMAKE_INSTALL_PREFIX STREQUAL "/usr" OR CMAKE_INSTALL_PREFIX STREQUAL "/"))
    set(dir "/${setting}")
  else()
    set(dir "${CMAKE_INSTALL_PREFIX}/${setting}")
  endif()
  string(REGEX REPLACE "//+" "/" dir "${dir}")
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

dcc_full_dir("${DCC_BINDIR_SETTING}" bin DCC_BINDIR)
dcc_full_dir("${DCC_SYSCONFDIR_SETTING}" sysconf DCC_SYSCONFDIR)
dcc_full_dir("${DCC_LIBDIR_SETTING}" lib DCC_LIBDIR_FULL)
set(DCC_MASQUERADE_DIR "${DCC_LIBDIR_FULL}/distcc")
# systemd reads units from <prefix>/lib/systemd/system for /usr and /usr/local alike.
dcc_full_dir("lib/systemd/system" lib DCC_UNITDIR)

set(gen "${DCC_GENERATED_DIR}")
file(REMOVE_RECURSE "${gen}")
configure_file("${DCC_PACKAGING_DIR}/systemd/distccd.service.in" "${gen}/distccd.service" @ONLY)
configure_file("${DCC_PACKAGING_DIR}/openrc/distccd.initd.in" "${gen}/init.d/distccd" @ONLY)
configure_file("${DCC_PACKAGING_DIR}/xinetd/distccd.in" "${gen}/xinetd/distccd" @ONLY)
# Portage puts /usr/lib/distcc/bin in PATH; Gentoo keeps it as a link to the directory itself.
file(MAKE_DIRECTORY "${gen}/masquerade")
file(CREATE_LINK "." "${gen}/masquerade/bin" SYMBOLIC)

set(conf_mode PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
set(exec_mode PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(etc "${DCC_SYSCONFDIR}")

# A configuration file the administrator edits: installed once, never overwritten by a later
# install (a package manager has its own conffile handling; its staging root starts empty).
function(dcc_install_config source dir name)
  if(EXISTS "$ENV{DESTDIR}${dir}/${name}")
    message(STATUS "Keeping existing: $ENV{DESTDIR}${dir}/${name}")
    return()
  endif()
  file(INSTALL "${source}" DESTINATION "${dir}" RENAME "${name}" ${conf_mode})
endfunction()

dcc_install_config("${DCC_PACKAGING_DIR}/etc/hosts" "${etc}/distcc" hosts)
dcc_install_config("${DCC_PACKAGING_DIR}/systemd/00gentoo.conf" "${etc}/systemd/system/distccd.service.d" 00gentoo.conf)
dcc_install_config("${DCC_PACKAGING_DIR}/systemd/distccd.default" "${etc}/default" distccd)
dcc_install_config("${DCC_PACKAGING_DIR}/openrc/distccd.confd" "${etc}/conf.d" distccd)
dcc_install_config("${gen}/xinetd/distccd" "${etc}/xinetd.d" distccd)
dcc_install_config("${DCC_PACKAGING_DIR}/logrotate/distccd" "${etc}/logrotate.d" distccd)
# Programs' paths change with the prefix: these follow every install.
file(INSTALL "${gen}/distccd.service" DESTINATION "${DCC_UNITDIR}" ${conf_mode})
file(INSTALL "${gen}/init.d/distccd" DESTINATION "${etc}/init.d" ${exec_mode})
file(INSTALL "${gen}/masquerade/bin" DESTINATION "${DCC_MASQUERADE_DIR}")
