package mock

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/feed"
)

// handleEvents streams journal entries as server-sent events, filtered like GET /_mock/exchanges;
// with ?after=ID (or a Last-Event-ID header, when an EventSource reconnects) it first sends what was
// recorded after that exchange, without them only what is recorded from now on.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	q, err := controlapi.ParseFilter(r.URL.Query())
	if err == nil && q.BeforeID > 0 {
		err = controlapi.Errorf(controlapi.CodeInvalid, "a live stream has no before; use after")
	}
	if err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	st := feed.Stream{
		Feed:   s.feed,
		Since:  q.AfterID,
		Match:  q.Matches,
		Encode: func(e *koomock.Exchange) ([]byte, error) { return json.Marshal(e) },
		Logger: s.cfg.Logger,
	}
	if r.URL.Query().Has("after") || r.Header.Get("Last-Event-ID") != "" {
		st.Missed = s.missed(q)
	}
	st.ServeHTTP(w, r)
}

// missed returns the journal entries matching q after an ID, oldest first, for a stream catching up.
func (s *Server) missed(q koomock.ExchangeFilter) func(context.Context, int64) ([]koomock.Exchange, error) {
	return func(ctx context.Context, after int64) ([]koomock.Exchange, error) {
		f := q
		f.AfterID, f.Limit = after, controlapi.MaxExchanges
		list, err := s.store.Exchanges(ctx, f)
		slices.Reverse(list)
		return list, err
	}
}

// inProcess carries control-API requests straight to the server's own handler, without a network
// hop: the console drives koomock through the same API, and the same guards, as every other client.
type inProcess struct{ s *Server }

// RoundTrip implements http.RoundTripper.
func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	// The console's request context carries its chi routing state, which the server's router would
	// take for its own (as for a mounted sub-router): hide it, so routing starts afresh.
	r := req.Clone(context.WithValue(req.Context(), chi.RouteCtxKey, (*chi.Context)(nil)))
	r.Host, r.RequestURI, r.RemoteAddr = req.URL.Host, req.URL.RequestURI(), "127.0.0.1:0"
	if r.Body == nil {
		r.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	t.s.handler.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
