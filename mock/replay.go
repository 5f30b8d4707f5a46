package mock

import (
	"net/http"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/notify"
	"github.com/koomock/koomock/mock/saas"
	"github.com/koomock/koomock/protocol"
)

// handleReplay re-sends a recorded callback with a fresh timestamp, nonce and signature (same URL,
// body and probe), judges the answer with the checks of its activity that need no marketplace state
// (saas.Judging), and records it as a new exchange. Checks that compare with earlier answers
// (idempotency, uniqueness) belong to the market's own flows and are not repeated here.
func (s *Server) handleReplay(w http.ResponseWriter, r *http.Request) {
	d, err := s.redelivery(r)
	if err != nil {
		controlapi.WriteError(w, s.cfg.Logger, err)
		return
	}
	if d.Probe == "" {
		d.Allow, d.Checks = saas.Judging(protocol.Activity(d.Activity), d.Body)
	}
	replayed, err := s.notifier.Send(r.Context(), d)
	if err != nil {
		controlapi.WriteError(w, s.cfg.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ExchangeResult{Exchange: replayed})
}

// redelivery is the delivery behind the exchange the request names, to be signed afresh: what replay
// sends and what the curl reproduction shows.
func (s *Server) redelivery(r *http.Request) (notify.Callback, error) {
	e, err := s.exchangeParam(r)
	if err != nil {
		return notify.Callback{}, err
	}
	d, err := notify.Redelivery(&e, s.keyFor(&e))
	if err != nil {
		return d, controlapi.Errorf(controlapi.CodeConflict, "%v", err)
	}
	return d, nil
}
