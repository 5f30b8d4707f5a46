package mock

import (
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// The HTTP server's defaults, sized for a seller's slowest honest client rather than for an attacker:
// koomock runs on a laptop or a CI runner, but a container port may be reachable by more than the
// seller's own software (issue 16: 300 slow-body or idle connections stayed open indefinitely).
const (
	// DefaultReadHeaderTimeout bounds sending the request line and headers.
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultReadTimeout bounds reading a whole request, body included: 4 MiB at 70 KB/s.
	DefaultReadTimeout = time.Minute
	// DefaultWriteTimeout bounds a request from its headers to the end of its answer. It is longer
	// than anything koomock holds an answer for (the license-gateway-latency fault's 2 minutes, a
	// purchase waiting on a slow seller); event streams extend it event by event (mock/feed).
	DefaultWriteTimeout = 5 * time.Minute
	// DefaultIdleTimeout is how long a keep-alive connection may wait for its next request.
	DefaultIdleTimeout = 2 * time.Minute
	// DefaultMaxConns caps the connections one listener serves at once; more wait to be accepted.
	DefaultMaxConns = 1024
)

// Limits bounds what clients can hold of koomock's HTTP server, per listener. In a Config, a zero
// field takes its default and a negative one turns the limit off.
type Limits struct {
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxConns is the most connections each listener (HTTP, HTTPS) serves at once.
	MaxConns int
}

// normalize fills in the defaults; afterwards 0 means off, as net/http and a missing cap take it.
func (l Limits) normalize() Limits {
	pick := func(v, def time.Duration) time.Duration {
		switch {
		case v == 0:
			return def
		case v < 0:
			return 0
		}
		return v
	}
	l.ReadHeaderTimeout = pick(l.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	l.ReadTimeout = pick(l.ReadTimeout, DefaultReadTimeout)
	l.WriteTimeout = pick(l.WriteTimeout, DefaultWriteTimeout)
	l.IdleTimeout = pick(l.IdleTimeout, DefaultIdleTimeout)
	switch {
	case l.MaxConns == 0:
		l.MaxConns = DefaultMaxConns
	case l.MaxConns < 0:
		l.MaxConns = 0
	}
	return l
}

// limit caps a TCP listener's connections: beyond MaxConns, Accept waits, and the kernel's backlog
// holds the newcomers, so no connection is refused, only served later.
func (l Limits) limit(ln net.Listener) net.Listener {
	if l.MaxConns <= 0 {
		return ln
	}
	return netutil.LimitListener(ln, l.MaxConns)
}

// httpServer is the one server behind both listeners, with the limits applied.
func (s *Server) httpServer() *http.Server {
	l := s.cfg.Limits
	return &http.Server{Handler: s.handler, ConnState: s.unused.Track,
		ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout, WriteTimeout: l.WriteTimeout, IdleTimeout: l.IdleTimeout,
		ErrorLog: slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn)}
}
