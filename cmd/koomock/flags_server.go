package main

import (
	"time"

	"github.com/koomock/koomock/mock"
)

// serverFlags are the HTTP server's timeouts and connection cap. The defaults (mock.Default*) leave a
// seller's slow client room; 0 turns a limit off.
type serverFlags struct {
	readHeaderTimeout, readTimeout, writeTimeout, idleTimeout time.Duration
	maxConns                                                  int
}

func (s *serverFlags) register(fs *flagSet) {
	fs.DurationVar(&s.readHeaderTimeout, "read-header-timeout", mock.DefaultReadHeaderTimeout, "how long a client may take to send a request's headers; 0: no limit")
	fs.DurationVar(&s.readTimeout, "read-timeout", mock.DefaultReadTimeout, "how long a client may take to send a whole request, body included; 0: no limit")
	fs.DurationVar(&s.writeTimeout, "write-timeout", mock.DefaultWriteTimeout, "how long an answer may take, from the request's headers to its end (event streams are exempt); 0: no limit")
	fs.DurationVar(&s.idleTimeout, "idle-timeout", mock.DefaultIdleTimeout, "how long a keep-alive connection may wait for its next request; 0: no limit")
	fs.IntVar(&s.maxConns, "max-conns", mock.DefaultMaxConns, "the most connections each listener serves at once (more wait their turn); 0: no cap")
}

// apply sets the limits; a flag at 0 turns its limit off, which mock.Limits spells negative.
func (s *serverFlags) apply(c *mock.Config) {
	off := func(d time.Duration) time.Duration {
		if d == 0 {
			return -1
		}
		return d
	}
	c.Limits = mock.Limits{
		ReadHeaderTimeout: off(s.readHeaderTimeout), ReadTimeout: off(s.readTimeout),
		WriteTimeout: off(s.writeTimeout), IdleTimeout: off(s.idleTimeout), MaxConns: s.maxConns,
	}
	if s.maxConns == 0 {
		c.Limits.MaxConns = -1
	}
}
