package schedule

// Exclusive runs fn while no job runs, and none starts: koomock's reset empties the store under it,
// so that a job half-run cannot write back what the reset just removed.
func (s *Scheduler) Exclusive(fn func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn()
}
