// Package graceful shuts HTTP servers down without waiting on connections that never sent a request.
//
// http.Server.Shutdown treats a connection that has not sent its first request as busy for up to five
// seconds (golang/go#22682), and HTTP clients leave such connections behind routinely: a transport
// that dialled for a request which another connection then served keeps the new one idle in its pool.
// Without this, `koomock verify` now and then ended with a five-second stall.
package graceful

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// Unused tracks a server's connections that have not sent a request yet. Install Track as the
// server's ConnState hook before it serves; the zero value is ready to use.
type Unused struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// Track is an http.Server ConnState hook.
func (u *Unused) Track(c net.Conn, state http.ConnState) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if state == http.StateNew {
		if u.conns == nil {
			u.conns = map[net.Conn]struct{}{}
		}
		u.conns[c] = struct{}{}
		return
	}
	delete(u.conns, c)
}

// Shutdown closes the connections that never sent a request (nothing is under way on them), then
// shuts srv down gracefully as http.Server.Shutdown does.
func (u *Unused) Shutdown(ctx context.Context, srv *http.Server) error {
	u.mu.Lock()
	for c := range u.conns {
		c.Close()
		delete(u.conns, c)
	}
	u.mu.Unlock()
	return srv.Shutdown(ctx)
}
