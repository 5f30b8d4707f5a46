package store

import (
	"context"
	"sync"

	"github.com/koomock/koomock"
)

// jointCache remembers tenants and apps as last read: the identity provider looks both up on every
// call (the tenant of a domain, the app of a client ID), they change rarely, and reading each from
// SQLite with its JSON was a sixth of the token endpoint's work. Every write to either table (and
// Reset) empties it after the write. A read stores what it found only if no write ended since the read
// began (the generation), so a value read before a write is never kept after it.
type jointCache struct {
	mu      sync.Mutex
	gen     uint64
	tenants map[string]koomock.Tenant // by ID
	codes   map[string]koomock.Tenant // by code
	apps    map[string]koomock.App    // by client ID
}

// maxCached bounds each map; past it the cache is emptied (tenants are a handful in practice).
const maxCached = 4096

func (c *jointCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// invalidate forgets everything; called after every write to tenants or apps.
func (c *jointCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.tenants, c.codes, c.apps = nil, nil, nil
	c.mu.Unlock()
}

// cached returns the value under key in the map m picks, if any.
func cached[V any](c *jointCache, m func(*jointCache) *map[string]V, key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := (*m(c))[key]
	return v, ok
}

// remember stores v under key if no write ended since generation gen.
func remember[V any](c *jointCache, m func(*jointCache) *map[string]V, gen uint64, key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	p := m(c)
	if *p == nil || len(*p) >= maxCached {
		*p = map[string]V{}
	}
	(*p)[key] = v
}

func byID(c *jointCache) *map[string]koomock.Tenant    { return &c.tenants }
func byCode(c *jointCache) *map[string]koomock.Tenant  { return &c.codes }
func byClientID(c *jointCache) *map[string]koomock.App { return &c.apps }

// readThrough returns the value under key from the cache, or from read, remembering it.
func readThrough[V any](ctx context.Context, c *jointCache, m func(*jointCache) *map[string]V, key string, read func() (V, error)) (V, error) {
	if err := ctx.Err(); err != nil { // as a query would
		var zero V
		return zero, err
	}
	if v, ok := cached(c, m, key); ok {
		return v, nil
	}
	gen := c.generation()
	v, err := read()
	if err == nil {
		remember(c, m, gen, key, v)
	}
	return v, err
}
