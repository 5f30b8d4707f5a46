package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestServeRefusesADatabaseInUse: a second koomock serve on the same --db exits 2 with one line
// naming the database and the PID holding it, instead of running a second scheduler on it; the
// first keeps serving, and in-memory databases are never shared, so never refused.
func TestServeRefusesADatabaseInUse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "koomock.db")
	api, _, stop := startServe(t, "--db", db)
	defer stop()

	code, _, errOut := cli(t, nil, "serve", "--addr", "127.0.0.1:0", "--db", db)
	line := strings.TrimSpace(errOut)
	if code != exitUsage || strings.Contains(line, "\n") {
		t.Fatalf("second serve: exit %d, stderr %q; want exit 2 and one line", code, errOut)
	}
	if !strings.Contains(line, db) || !strings.Contains(line, "PID "+strconv.Itoa(os.Getpid())) {
		t.Errorf("stderr %q does not name the database and the PID holding it", line)
	}
	if _, err := api.Settings(t.Context()); err != nil {
		t.Errorf("the first koomock after the second was refused: %v", err)
	}

	_, _, stopMem := startServe(t, "--db", ":memory:")
	defer stopMem()
	_, _, stopMem2 := startServe(t, "--db", ":memory:")
	defer stopMem2()
}
