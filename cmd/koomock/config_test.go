package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/koomock/koomock/fixtures"
)

// TestConfigFileLayers: koomock.yaml holds the seller's URL and key (in a file); KOOMOCK_* variables
// override it, and flags override both.
func TestConfigFileLayers(t *testing.T) {
	url := referenceSeller(t, nil)
	dir := t.TempDir()
	writeFile(t, dir, "access-key", fixtures.DemoAccessKey+"\n")
	cfg := writeFile(t, dir, "koomock.yaml", `# the seller under test
seller-url: `+url+`
access-key-file: `+filepath.Join(dir, "access-key")+`
profile:
  product: saas
  modes: [yearly, onetime]
seed: 11
addr: 0.0.0.0:9999   # a serve setting: verify ignores it
accept:
  - tampered-signature=000001,000005
`)
	code, out, errOut := cli(t, nil, "verify", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "seed 11") {
		t.Fatalf("settings from the file: exit %d\n%s\n%s", code, out, errOut)
	}
	// The key really came from the file: a wrong key in the environment wins and the seller refuses.
	code, out, _ = cli(t, map[string]string{"KOOMOCK_ACCESS_KEY": "not-the-key", "KOOMOCK_SEED": "12"}, "verify", "--config", cfg)
	if code != exitRule || !strings.Contains(out, "seed 12") {
		t.Errorf("environment over file: exit %d\n%s", code, out)
	}
	code, out, _ = cli(t, map[string]string{"KOOMOCK_SEED": "12", "KOOMOCK_CONFIG": cfg}, "verify", "--seed", "13")
	if code != exitOK || !strings.Contains(out, "seed 13") {
		t.Errorf("flag over environment, file from KOOMOCK_CONFIG: exit %d\n%s", code, out)
	}
}

func TestConfigCommandMasksSecrets(t *testing.T) {
	dir := t.TempDir()
	secret := "my-very-own-access-key"
	writeFile(t, dir, "key", secret)
	writeFile(t, dir, "koomock.yaml", "seller-url: https://seller.example.com/produce\naccess-key-file: key\ntags: '@saas'\n")
	t.Chdir(dir) // the default file is koomock.yaml in the working directory
	code, out, errOut := cli(t, map[string]string{"KOOMOCK_SEED": "4"}, "config", "--format", "pretty")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"koomock verify settings (config file: koomock.yaml",
		"seller-url           https://seller.example.com/produce       koomock.yaml:1",
		"access-key           <key:22 chars>                           koomock.yaml:2 (access-key-file)",
		"seed                 4                                        KOOMOCK_SEED",
		"format               pretty                                   flag",
		"concurrency          0                                        default",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("koomock config lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, secret) {
		t.Errorf("koomock config printed the access key:\n%s", out)
	}
	if code, out, _ := cli(t, nil, "config", "serve"); code != exitOK || !strings.Contains(out, "koomock serve settings") || !strings.Contains(out, "addr") {
		t.Errorf("koomock config serve: exit %d\n%s", code, out)
	}
}

func TestConfigFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"unknown key", "seller-url: http://x/produce\nseler-url: http://y\n", `:2: "seler-url" is not a koomock setting`},
		{"bad value", "concurrency: many\n", `koomock.yaml:1: "many" is not a valid --concurrency`},
		{"missing key file", "access-key-file: /nonexistent/key\n", "no such file"},
		{"not a mapping", "- seller-url\n", "want a mapping"},
		{"bad profile part", "profile: {products: saas}\n", "not part of a profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeFile(t, dir, "koomock.yaml", tt.content)
			code, _, errOut := cli(t, nil, "verify", "--config", cfg)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 mentioning %q", code, errOut, tt.want)
			}
		})
	}
	if code, _, errOut := cli(t, nil, "verify", "--config", filepath.Join(dir, "absent.yaml")); code != exitUsage || !strings.Contains(errOut, "absent.yaml") {
		t.Errorf("a --config file that does not exist: exit %d, %q", code, errOut)
	}
}
