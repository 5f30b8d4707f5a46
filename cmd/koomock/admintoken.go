package main

import (
	"crypto/rand"
	"fmt"
	"github.com/koomock/koomock/i18n"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/koomock/koomock/store"
)

// adminTokenFile is the file, beside the database, where serve keeps an admin token it generated.
const adminTokenFile = "admin-token"

// generatedToken is an admin token serve made up because it listens beyond loopback and none was
// set (Jupyter's convention): a container then starts with no setup and is still guarded.
type generatedToken struct {
	value string
	// path is where it is kept, so that a restart on the same data keeps it; "" when it is not.
	path string
	// notKept says why it is not kept, when path is "".
	notKept string
}

// beyondLoopback reports whether serve would listen anywhere but loopback, where mock.New wants an
// admin token. An address that does not parse is left for the listener to report.
func beyondLoopback(addrs ...string) bool {
	for _, a := range addrs {
		if host, _, err := net.SplitHostPort(a); a != "" && err == nil && !isLoopbackHost(host) {
			return true
		}
	}
	return false
}

// loadOrMakeAdminToken returns the token kept beside the database db, or makes one and keeps it
// there. An in-memory database keeps nothing, so neither does its token; a file that cannot be
// written leaves the token for this run only, which the banner says.
func loadOrMakeAdminToken(db string) generatedToken {
	if db == store.Memory {
		return generatedToken{value: rand.Text(), notKept: "--db :memory: keeps nothing"}
	}
	path := filepath.Join(filepath.Dir(db), adminTokenFile)
	if b, err := os.ReadFile(path); err == nil {
		if t := strings.TrimSpace(string(b)); t != "" {
			return generatedToken{value: t, path: path}
		}
	}
	t := rand.Text()
	err := os.MkdirAll(filepath.Dir(path), 0o750)
	if err == nil {
		err = os.WriteFile(path, []byte(t+"\n"), 0o600)
	}
	if err != nil {
		return generatedToken{value: t, notKept: fmt.Sprintf("could not write %s: %v", path, err)}
	}
	return generatedToken{value: t, path: path}
}

// banner is what the start-up banner says of the token: its value, since koomock made it up and the
// developer needs it, and a console URL that logs in with it.
func (g generatedToken) banner(t *i18n.Printer, base string) []string {
	kept := t.T("banner.tokenKept", g.path)
	if g.path == "" {
		kept = t.T("banner.tokenThisRun", g.notKept)
	}
	return []string{
		row(t, "banner.adminToken", g.value+"   "+t.T("banner.tokenMadeUp", kept)),
		row(t, "banner.consoleLogin", base+"/console/login?token="+url.QueryEscape(g.value)),
	}
}
