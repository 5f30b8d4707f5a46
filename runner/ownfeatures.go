package runner

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"
)

// The folders the embedded suite and a seller's own features appear under in reports.
const (
	embeddedDir = "koomock"
	ownDir      = "own"
)

// suiteFS puts the embedded suite and the seller's own features side by side, under koomock/ and
// own/, so reports tell them apart; with onlyOwn, the own features alone.
func suiteFS(embedded, own fs.FS, onlyOwn bool) (fs.FS, []string) {
	if onlyOwn {
		return mountFS{ownDir: own}, []string{ownDir}
	}
	return mountFS{embeddedDir: embedded, ownDir: own}, []string{embeddedDir, ownDir}
}

// mountFS serves several file systems, each under its own top-level folder. The root itself is never
// opened: the runner names the folders as godog's paths.
type mountFS map[string]fs.FS

// Open implements fs.FS.
func (m mountFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	top, rest, _ := strings.Cut(name, "/")
	sub, ok := m[top]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if rest == "" {
		rest = "."
	}
	return sub.Open(rest)
}

// CheckFeatures parses every .feature file under fsys and reports the first that is not valid
// Gherkin, with its position, or that the folder holds none: godog would otherwise print the problem
// on the process's own stderr and refuse the run without saying which file.
func CheckFeatures(fsys fs.FS, where string) error {
	n := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".feature" {
			return nil
		}
		n++
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if _, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), (&messages.Incrementing{}).NewId); err != nil {
			msg := strings.TrimPrefix(strings.TrimSpace(err.Error()), "Parser errors:")
			return fmt.Errorf("%s is not valid Gherkin: %s", path.Join(where, p), strings.ReplaceAll(strings.TrimSpace(msg), "\n", "; "))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return errors.New(where + " holds no .feature files")
	}
	return nil
}
