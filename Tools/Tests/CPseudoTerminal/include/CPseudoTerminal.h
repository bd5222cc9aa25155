// Test support: a pseudo-terminal and a child process on it (glibc's XOPEN/GNU calls that Swift's
// Glibc module does not show: posix_openpt, grantpt, unlockpt, ptsname_r, POSIX_SPAWN_SETSID).
#ifndef CPSEUDOTERMINAL_H
#define CPSEUDOTERMINAL_H

#include <stddef.h>
#include <sys/types.h>

/// Opens a new pseudo-terminal's master side (close-on-exec, non-blocking) and writes the slave's
/// path into `name`. Returns the master descriptor, or -1 with errno set.
int CPseudoTerminal_open(char *_Nonnull name, size_t size);

/// Starts `path` with `argv` and `envp` in a new session whose controlling terminal is the slave
/// `slave` (also its standard input, output and error), with default signal dispositions and an
/// empty signal mask, and no other descriptor. Returns 0 and sets *pid, or an errno value.
int CPseudoTerminal_spawn(pid_t *_Nonnull pid, const char *_Nonnull path, char *_Nullable const *_Nonnull argv,
                          char *_Nullable const *_Nonnull envp, const char *_Nonnull slave);

#endif
