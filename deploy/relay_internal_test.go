package deploy

import (
	"testing"

	"github.com/koomock/koomock/mock/assets"
)

// TestDownloadPrefix: the relay watches the path the asset centre serves its packages at.
func TestDownloadPrefix(t *testing.T) {
	if downloadPrefix != assets.DownloadPrefix+"/" {
		t.Errorf("downloadPrefix %q, the asset centre serves %q", downloadPrefix, assets.DownloadPrefix)
	}
}

// TestViaRelay: internal_path is pointed at the relay and stays JSON-escaped, its signature kept.
func TestViaRelay(t *testing.T) {
	got, err := viaRelay(`http://127.0.0.1:8080/asset-packages/A/V/p.tar.gz?Expires=1\u0026Signature=s`, "http://host.docker.internal:4321")
	if want := `http://host.docker.internal:4321/asset-packages/A/V/p.tar.gz?Expires=1\u0026Signature=s`; err != nil || got != want {
		t.Errorf("got %q %v, want %q", got, err, want)
	}
	if _, err := viaRelay(`bad \q escape`, "http://h:1"); err == nil {
		t.Error("a path that is not JSON-escaped was accepted")
	}
}
