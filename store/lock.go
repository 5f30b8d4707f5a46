package store

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrInUse is what Open returns (as a *InUseError) when another koomock holds the database.
var ErrInUse = errors.New("database in use")

// InUseError says which database another process holds, and which process it is.
type InUseError struct {
	// Path is the database file.
	Path string
	// PID is the holder's process ID, as it wrote it into the lock file; 0 when unreadable.
	PID int
}

func (e *InUseError) Error() string {
	holder := "another koomock"
	if e.PID > 0 {
		holder += " (PID " + strconv.Itoa(e.PID) + ")"
	}
	return fmt.Sprintf("database %s is in use by %s: stop it, or give this one its own --db", e.Path, holder)
}

// Is makes errors.Is(err, ErrInUse) hold.
func (e *InUseError) Is(target error) bool { return target == ErrInUse }

// lockFile is the exclusive hold on one database file. Two koomocks on one database would both run
// the scheduler (every retried callback sent twice) and fight over SQLite's write lock, so the second
// one is refused at Open instead. The lock is the kernel's (flock), so a process killed with -9 drops
// it with its descriptors: no stale lock file to remove by hand.
type lockFile struct{ f *os.File }

// lockPath is the lock file beside the database: SQLite's own -wal and -shm files sit there too.
func lockPath(db string) string { return db + ".lock" }

// acquireLock takes the lock of database db, writing this process's PID into it for the next one to
// name, or returns an *InUseError naming the holder.
func acquireLock(db string) (*lockFile, error) {
	f, err := os.OpenFile(lockPath(db), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock database %s: %w", db, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock database %s: %w", db, err)
	}
	if !held {
		b, _ := os.ReadFile(lockPath(db))
		f.Close()
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		return nil, &InUseError{Path: db, PID: pid}
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &lockFile{f: f}, nil
}

// release drops the lock. The file stays: removing it would let a third process lock a new file
// while a second still waits on the old one.
func (l *lockFile) release() {
	if l != nil {
		l.f.Close()
	}
}
