package license

import "context"

// Reset forgets every code, after the store was emptied (koomock's reset), and issues the demo test
// codes again, as on a fresh start.
func (s *Service) Reset(ctx context.Context) error {
	s.writeMu.Lock()
	s.mu.Lock()
	clear(s.codes)
	s.mu.Unlock()
	s.writeMu.Unlock()
	return s.ensureDemoCodes(ctx)
}
