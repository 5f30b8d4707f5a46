package koomocktc_test

import (
	"context"
	"strings"
	"testing"

	"github.com/koomock/koomock/koomocktc"
)

func TestHostURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://127.0.0.1:34567/produce", "http://host.docker.internal:34567/produce"},
		{"https://172.17.0.1:8443/produce?x=1", "https://host.docker.internal:8443/produce?x=1"},
		{"http://[::1]:8080", "http://host.docker.internal:8080"},
	} {
		got, err := koomocktc.HostURL(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("HostURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "localhost:8080", "ftp://127.0.0.1:21/", "http://127.0.0.1/produce"} {
		if got, err := koomocktc.HostURL(bad); err == nil {
			t.Errorf("HostURL(%q) = %q, want an error", bad, got)
		}
	}
}

// Bad options are refused before anything talks to Docker.
func TestRunRefusesBadOptions(t *testing.T) {
	for name, opt := range map[string]koomocktc.Option{
		"empty image":     koomocktc.WithImage(""),
		"relative seller": koomocktc.WithSellerURL("/produce"),
		"public URL":      koomocktc.WithPublicURL("koomock:8080"),
		"empty key":       koomocktc.WithAccessKey(""),
		"empty token":     koomocktc.WithAdminToken(""),
		"empty SK":        koomocktc.WithAKSK("AK", ""),
	} {
		ctr, err := koomocktc.Run(context.Background(), opt)
		if err == nil || ctr != nil || !strings.HasPrefix(err.Error(), "koomocktc: ") {
			t.Errorf("%s: container %v, error %v; want no container and a koomocktc error", name, ctr, err)
		}
	}
}
