package match

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Store serves the current Matcher and swaps in reloaded rules atomically;
// a reload that fails keeps the previous rules serving.
type Store struct {
	dir     string
	current atomic.Pointer[Matcher]

	mu      sync.Mutex // serializes reloads
	lastErr error
}

// NewStore loads the rules in dir, or the embedded rules when dir is "".
func NewStore(dir string) (*Store, error) {
	s := &Store{dir: dir}
	m, err := s.load()
	if err != nil {
		return nil, err
	}
	s.current.Store(m)
	return s, nil
}

func (s *Store) load() (*Matcher, error) {
	if s.dir == "" {
		return Default()
	}
	return Load(s.dir)
}

// Current is the matcher in service.
func (s *Store) Current() *Matcher { return s.current.Load() }

// Reload re-reads the rules. On error the old rules stay in service and
// the error (with file:line:col) is returned and remembered for readyz.
func (s *Store) Reload() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.load()
	if err != nil {
		s.lastErr = fmt.Errorf("reloading rules (previous rules %s still serving): %w", s.Current().Version(), err)
		return s.lastErr
	}
	s.current.Store(m)
	s.lastErr = nil
	return nil
}

// LastReloadError is the error of the latest reload, nil when it succeeded.
func (s *Store) LastReloadError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}
