package reports

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file at path with write, so that a crash or an
// error never leaves half a file there: write writes into a temporary file
// in the same directory, which is synced to disk, closed, given mode 0644 and
// renamed over path. The rename is atomic on POSIX file systems: readers see
// the old file or the whole new one. The directory is then synced, on a best
// effort basis, so that the rename itself survives a crash.
//
// If write or any step fails, the temporary file is removed, path is left
// as it was, and the first error is returned, wrapped with the path.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("reports: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close() // may already be closed; the first error is kept
			_ = os.Remove(tmp)
			err = fmt.Errorf("reports: write %s: %w", path, err)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir syncs a directory so that a rename in it is durable. Some systems
// cannot sync a directory; that is not an error of the write.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	_ = d.Sync()
}
