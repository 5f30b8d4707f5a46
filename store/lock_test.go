package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/koomock/koomock/store"
)

// TestOneHolderPerDatabase: while a database file is open, a second Open of it is refused with the
// path and the holder's PID; once the first closes, it opens again.
func TestOneHolderPerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "koomock.db")
	first := mustOpen(t, path)
	_, err := store.Open(context.Background(), path)
	var inUse *store.InUseError
	if !errors.As(err, &inUse) || !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second Open = %v, want an InUseError", err)
	}
	if inUse.Path != path || inUse.PID != os.Getpid() {
		t.Errorf("InUseError = %+v, want path %s and PID %d", inUse, path, os.Getpid())
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "PID "+strconv.Itoa(os.Getpid())) {
		t.Errorf("message %q does not name the database and the PID", msg)
	}
	first.Close()
	mustOpen(t, path)
}
