package mock

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock/controlapi"
)

// runRegistry knows which verify runs are driving koomock, so that a reset does not pull the state
// from under one. A run lasts as long as the request that began it (POST /_mock/runs) stays open:
// a run that crashes, or is killed, closes its connection with its process, and is over without
// anyone having to time it out. DELETE /_mock/runs/{id} ends it at once, so that a reset right after
// a run is never refused for a run still winding down.
// Create it with newResetState.
type runRegistry struct {
	mu      sync.Mutex
	seq     int
	active  map[string]*activeRun
	closing chan struct{}
	closed  bool
}

type activeRun struct {
	run   controlapi.Run
	ended chan struct{}
}

// begin records a run, and returns the channels closed when it is ended and when koomock shuts down.
func (rr *runRegistry) begin(name string, at time.Time) (controlapi.Run, <-chan struct{}, <-chan struct{}) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	rr.seq++
	a := &activeRun{run: controlapi.Run{ID: "run-" + strconv.Itoa(rr.seq), Name: name, StartedAt: at}, ended: make(chan struct{})}
	rr.active[a.run.ID] = a
	return a.run, a.ended, rr.closing
}

// end forgets a run; it reports whether the run was active.
func (rr *runRegistry) end(id string) bool {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	a, ok := rr.active[id]
	if ok {
		delete(rr.active, id)
		close(a.ended)
	}
	return ok
}

// list returns the active runs, oldest first.
func (rr *runRegistry) list() []controlapi.Run {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	out := make([]controlapi.Run, 0, len(rr.active))
	for _, a := range rr.active {
		out = append(out, a.run)
	}
	slices.SortFunc(out, func(a, b controlapi.Run) int { return a.StartedAt.Compare(b.StartedAt) })
	return out
}

// close ends every open run request, so that shutting down does not wait for them.
func (rr *runRegistry) close() {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if !rr.closed {
		rr.closed = true
		close(rr.closing)
	}
}

// handleBeginRun marks a run as driving koomock, for as long as this request stays open: it answers
// 201 with the run at once, then holds the answer open until the run is ended or its client goes.
func (s *Server) handleBeginRun(w http.ResponseWriter, r *http.Request) {
	var req controlapi.RunRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	if req.Name == "" {
		req.Name = "a run"
	}
	run, ended, closing := s.resets.runs.begin(req.Name, s.cfg.Clock.Wall())
	defer s.resets.runs.end(run.ID)
	// The answer lasts as long as the run: no server deadline may cut it (nor the background read
	// whose end tells that the client went away).
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	_ = rc.SetReadDeadline(time.Time{})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // reverse proxies must pass the run on at once
	w.WriteHeader(http.StatusCreated)
	if err := json.NewEncoder(w).Encode(run); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		return
	}
	select {
	case <-r.Context().Done():
	case <-ended:
	case <-closing:
	}
}

// handleEndRun ends a run; ending one that is over already is not an error.
func (s *Server) handleEndRun(w http.ResponseWriter, r *http.Request) {
	s.resets.runs.end(chi.URLParam(r, "id"))
	w.WriteHeader(http.StatusNoContent)
}

// handleListRuns lists the runs driving koomock.
func (s *Server) handleListRuns(w http.ResponseWriter, r *http.Request) {
	controlapi.WriteJSON(w, http.StatusOK, controlapi.RunList{Runs: s.resets.runs.list()})
}
