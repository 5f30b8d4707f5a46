package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAssetAdd: koomock asset add uploads a file as a version of the asset it names (creating it the
// first time), prints the data source block, and exits 1 when koomock refuses the package, 2 when no
// koomock answers.
func TestAssetAdd(t *testing.T) {
	api := startKoomock(t, "")
	dir := t.TempDir()
	file := filepath.Join(dir, "licenseclient_linux-amd64.tar.gz")
	body := []byte("the reference license client, packaged")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(body)
	sum := hex.EncodeToString(h[:])
	code, out, errOut := cli(t, nil, "asset", "add", file, "--name", "License client", "--version", "V1.0", "--mock-url", api.BaseURL)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"sha256 " + sum, `data "huaweicloud_koogallery_assets"`, `asset_version = "V1.0"`, `jsondecode("\"${local.software_url}\"")`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, out, errOut := cli(t, nil, "asset", "add", "--name", "License client", "--version", "V2.0", "--mock-url", api.BaseURL, file); code != exitOK {
		t.Fatalf("second version: exit %d\n%s\n%s", code, out, errOut)
	}
	all, err := api.Assets(context.Background())
	if err != nil || len(all) != 1 || len(all[0].Versions) != 2 || all[0].Versions[1].Package.SHA256 != sum {
		t.Fatalf("assets = %+v, %v", all, err)
	}
	if code, out, _ := cli(t, nil, "asset", "list", "--mock-url", api.BaseURL); code != exitOK || !strings.Contains(out, "V2.0") || !strings.Contains(out, all[0].ID) {
		t.Errorf("list: exit %d\n%s", code, out)
	}

	bad := filepath.Join(dir, "client.rar")
	os.WriteFile(bad, body, 0o600)
	if code, _, errOut := cli(t, nil, "asset", "add", bad, "--name", "License client", "--version", "V3.0", "--mock-url", api.BaseURL); code != exitRule || !strings.Contains(errOut, ".tar.gz") {
		t.Errorf("forbidden format: exit %d %s", code, errOut)
	}
	if code, _, errOut := cli(t, nil, "asset", "add", file, "--name", "x", "--version", "V1.0", "--mock-url", "http://127.0.0.1:1"); code != exitUsage || !strings.Contains(errOut, "no koomock at") {
		t.Errorf("no koomock: exit %d %s", code, errOut)
	}
	if code, _, errOut := cli(t, nil, "asset", "add", file, "--name", "x"); code != exitUsage || !strings.Contains(errOut, "--version") {
		t.Errorf("no version: exit %d %s", code, errOut)
	}
	if code, _, _ := cli(t, nil, "asset"); code != exitUsage {
		t.Errorf("no subcommand: exit %d", code)
	}
}
