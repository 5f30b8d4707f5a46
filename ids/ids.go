// Package ids makes every identifier koomock hands out (order IDs, business IDs, nonces, codes and
// tokens) from one injectable source of randomness, so that tests can make them reproducible.
package ids

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// Source is safe for concurrent use.
type Source struct {
	mu sync.Mutex
	r  io.Reader
}

// New returns a source reading randomness from r, or from crypto/rand when r is nil.
func New(r io.Reader) *Source {
	if r == nil {
		r = rand.Reader
	}
	return &Source{r: r}
}

func (s *Source) read(n int) []byte {
	b := make([]byte, n)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := io.ReadFull(s.r, b); err != nil {
		// crypto/rand never fails on supported platforms, and test readers are infinite; a failure
		// here means a broken injected reader, which is a programming error.
		panic(fmt.Sprintf("ids: read randomness: %v", err))
	}
	return b
}

// Alnum returns n random upper-case letters and digits.
func (s *Source) Alnum(n int) string {
	b := s.read(n)
	var sb strings.Builder
	for _, c := range b {
		sb.WriteByte(alnum[int(c)%len(alnum)])
	}
	return sb.String()
}

// OrderID returns an order ID shaped like KooGallery's ("CS" + yyMMddHHmm + 5 letters and digits,
// e.g. CS2211181819B4LVS), so sellers that parse or store them see realistic values.
func (s *Source) OrderID(now time.Time) string {
	return "CS" + now.UTC().Format("0601021504") + s.Alnum(5)
}

// UUID returns a random RFC 4122 version 4 UUID, the shape of KooGallery's businessId.
func (s *Source) UUID() string {
	b := s.read(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Nonce returns 64 upper-case hex characters, the shape of the nonces in KooGallery's examples.
func (s *Source) Nonce() string {
	return strings.ToUpper(hex.EncodeToString(s.read(32)))
}

// Token returns n random bytes as lower-case hex, for opaque tokens and codes.
func (s *Source) Token(n int) string {
	return hex.EncodeToString(s.read(n))
}
