//go:build unix

package lookup

import (
	"os"
	"syscall"
)

// privateDir says dir is a directory (not a link) that only this user can enter: owned by this
// user, mode 0700. The temp dir is shared by every user of the machine, so a directory of the
// expected name made by someone else could hand this process facts it did not read.
func privateDir(dir string) bool {
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
