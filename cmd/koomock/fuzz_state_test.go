package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// FuzzReadState gives the --state reader any bytes as a YAML or JSON file. It must load them or
// refuse them with one line naming the file, a line of it and (for a field) the field, never
// panic; and a state that loads, written back as YAML, loads again to the same state. Seed corpus:
// testdata/fuzz/FuzzReadState/ and examples/state/koomock-state.yaml.
func FuzzReadState(f *testing.F) {
	example, err := os.ReadFile(exampleState)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add([]byte(`{"clock":"2026-01-01","orders":[{"name":"a","productId":"x"}]}`))
	f.Add([]byte("orders:\n  - &o {name: a}\n  - *o\n"))
	f.Add([]byte("tenants:\n  - tenantCode: ACME\n    users: [{userName: u}]\nlicenseCodes: [{test: true, count: 2}]\n"))
	f.Add([]byte("clock: [\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "state.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := readState(path)
		if err != nil {
			var se *stateError
			if !errors.As(err, &se) {
				t.Fatalf("not a state-file error: %v", err)
			}
			lines := bytes.Count(data, []byte("\n")) + 1
			prefix := fmt.Sprintf("--state %s:%d: ", path, se.line)
			msg := err.Error()
			if se.line < 1 || se.line > lines || !strings.HasPrefix(msg, prefix) || strings.ContainsAny(msg, "\n\r") || se.msg == "" {
				t.Fatalf("error not one line at a line of the file (%d lines): %q", lines, msg)
			}
			return
		}
		again, err := yaml.Marshal(st.state)
		if err != nil {
			t.Fatalf("marshal a loaded state: %v", err)
		}
		if err := os.WriteFile(path, again, 0o600); err != nil {
			t.Fatal(err)
		}
		st2, err := readState(path)
		if err != nil {
			t.Fatalf("a loaded state written back does not load: %v\n%s", err, again)
		}
		if a, b := fmt.Sprintf("%+v", st.state), fmt.Sprintf("%+v", st2.state); a != b || !st.clock.Equal(st2.clock) {
			t.Fatalf("state changed on the round trip:\n%s\n%s", a, b)
		}
	})
}
