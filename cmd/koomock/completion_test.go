package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestVersionSpellings(t *testing.T) {
	_, want, _ := cli(t, nil, "version")
	for _, args := range [][]string{{"--version"}, {"-version"}} {
		if code, out, _ := cli(t, nil, args...); code != exitOK || out != want || !strings.HasPrefix(out, "koomock ") {
			t.Errorf("%v: exit %d, %q; want %q", args, code, out, want)
		}
	}
}

func TestHelpCommandIsTheCommandsHelp(t *testing.T) {
	for _, c := range append(commands(), command{name: "help"}) {
		code, _, viaHelp := cli(t, nil, "help", c.name)
		_, _, viaFlag := cli(t, nil, c.name, "--help")
		if code != exitOK || viaHelp != viaFlag || !strings.Contains(viaHelp, "Usage: koomock") {
			t.Errorf("koomock help %s: exit %d, %q; koomock %s --help: %q", c.name, code, viaHelp, c.name, viaFlag)
		}
	}
	if _, _, errOut := cli(t, nil, "help", "serve"); !strings.Contains(errOut, "--seller-url") {
		t.Errorf("koomock help serve does not list serve's flags: %q", errOut)
	}
	if code, _, errOut := cli(t, nil, "help", "nosuch"); code != exitUsage || !strings.Contains(errOut, `unknown command "nosuch"`) {
		t.Errorf("koomock help nosuch: exit %d, %q", code, errOut)
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, shell := range shells {
		code, out, errOut := cli(t, nil, "completion", shell)
		if code != exitOK || errOut != "" {
			t.Fatalf("completion %s: exit %d, %s", shell, code, errOut)
		}
		for _, want := range []string{"serve", "verify", "completion", "seller-url", "admin-token", "tls-dir"} {
			if !strings.Contains(out, want) {
				t.Errorf("the %s script does not complete %q", shell, want)
			}
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "powershell"}, {"completion", "bash", "zsh"}} {
		if code, _, errOut := cli(t, nil, args...); code != exitUsage || !strings.Contains(errOut, "bash, zsh, fish") {
			t.Errorf("%v: exit %d, %q; want a usage error naming the shells", args, code, errOut)
		}
	}
}

// TestBashCompletionCompletes loads the bash script into a real bash and asks it to complete.
func TestBashCompletionCompletes(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	_, script, _ := cli(t, nil, "completion", "bash")
	path := filepath.Join(t.TempDir(), "koomock.bash")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bash, "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	complete := func(words ...string) string {
		t.Helper()
		// COMP_WORDS as bash fills it for "koomock WORDS...", the cursor on the last word.
		prog := "source " + path + "; COMP_WORDS=(koomock " + strings.Join(words, " ") + "); COMP_CWORD=" +
			string(rune('0'+len(words))) + "; _koomock; echo \"${COMPREPLY[*]}\""
		out, err := exec.Command(bash, "--norc", "-c", prog).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", words, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"se"}, "serve"},
		{[]string{"ver"}, "verify version"},
		{[]string{"serve", "--seller-u"}, "--seller-url"},
		{[]string{"verify", "--mock-u"}, "--mock-url"},
		{[]string{"help", "heal"}, "healthcheck"},
		{[]string{"completion", "z"}, "zsh"},
		{[]string{"config", "fi"}, "fire"},
		{[]string{"config", "serve", "--public"}, "--public-url"},
	} {
		if got := complete(tc.words...); got != tc.want {
			t.Errorf("koomock %s<TAB>: %q, want %q", strings.Join(tc.words, " "), got, tc.want)
		}
	}
}

// TestZshAndFishCompletionsLoad checks the zsh and fish scripts in those shells, where installed (CI
// installs them): each parses, zsh registers the function, and fish completes commands and flags.
func TestZshAndFishCompletionsLoad(t *testing.T) {
	dir := t.TempDir()
	script := func(shell string) string {
		_, out, _ := cli(t, nil, "completion", shell)
		path := filepath.Join(dir, "koomock."+shell)
		if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	t.Run("zsh", func(t *testing.T) {
		zsh, err := exec.LookPath("zsh")
		if err != nil {
			t.Skip("no zsh")
		}
		path := script("zsh")
		if out, err := exec.Command(zsh, "-n", path).CombinedOutput(); err != nil {
			t.Fatalf("zsh -n: %v\n%s", err, out)
		}
		cmd := exec.Command(zsh, "-f", "-c", "autoload -Uz compinit; compinit -u -d "+filepath.Join(dir, "zcompdump")+"; source "+path+"; print ${_comps[koomock]}")
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "_koomock" {
			t.Errorf("zsh does not register the completion: %v\n%s", err, out)
		}
	})
	t.Run("fish", func(t *testing.T) {
		fish, err := exec.LookPath("fish")
		if err != nil {
			t.Skip("no fish")
		}
		path := script("fish")
		if out, err := exec.Command(fish, "--no-execute", path).CombinedOutput(); err != nil {
			t.Fatalf("fish --no-execute: %v\n%s", err, out)
		}
		for line, want := range map[string]string{
			"koomock se":               "serve\trun the marketplace emulator",
			"koomock serve --seller-u": "--seller-url\tthe seller's production interface URL",
			"koomock help heal":        "healthcheck",
			"koomock completion z":     "zsh",
		} {
			cmd := exec.Command(fish, "--no-config", "-c", "source "+path+"; complete -C '"+line+"'")
			cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), want) {
				t.Errorf("fish completes %q as %q, %v; want %q", line, out, err, want)
			}
		}
	})
}
