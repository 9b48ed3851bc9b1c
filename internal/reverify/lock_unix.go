//go:build unix

package reverify

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock for the life of the file: two
// runs appending to one output would each redo the other's rows.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
