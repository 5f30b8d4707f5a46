package main

import (
	"errors"
	"path/filepath"
	"runtime"
)

// defaultDBPath is koomock.db in the user's data directory: $XDG_DATA_HOME/koomock, else
// ~/.local/share/koomock on Linux, ~/Library/Application Support/koomock on macOS, and
// %LocalAppData%\koomock on Windows.
func defaultDBPath(getenv func(string) string) (string, error) {
	var dir string
	switch {
	case getenv("XDG_DATA_HOME") != "":
		dir = getenv("XDG_DATA_HOME")
	case runtime.GOOS == "windows" && getenv("LocalAppData") != "":
		dir = getenv("LocalAppData")
	case runtime.GOOS == "darwin" && getenv("HOME") != "":
		dir = filepath.Join(getenv("HOME"), "Library", "Application Support")
	case getenv("HOME") != "":
		dir = filepath.Join(getenv("HOME"), ".local", "share")
	default:
		return "", errors.New("no data directory (HOME is not set): pass --db FILE or --db :memory:")
	}
	return filepath.Join(dir, "koomock", "koomock.db"), nil
}
