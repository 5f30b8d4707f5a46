package mock

import (
	"context"

	"github.com/go-chi/chi/v5"
)

// flow is the contract every flow under mock/ meets (docs/adding-a-flow.md): built by the server
// from its parts, it is started with Open (declaring its faults, delivery kinds and jobs, loading
// what it keeps in memory), mounts its control routes on the server's /_mock router and its
// seller-facing routes at the root behind KooGallery's public headers (either may mount nothing), and
// is stopped with Close when it has one (closer).
type flow interface {
	Open(ctx context.Context) error
	ControlRoutes(r chi.Router)
	PublicRoutes(r chi.Router)
}

// closer is a flow with something to stop.
type closer interface{ Close() }

// openFlows starts every flow in list order. On a failure it closes the ones already open, so that
// New leaves nothing running.
func (s *Server) openFlows(ctx context.Context) error {
	list := s.flows()
	for i, f := range list {
		if err := f.Open(ctx); err != nil {
			closeFlows(list[:i])
			return err
		}
	}
	return nil
}

// closeFlows stops the flows that have something to stop, in reverse order.
func closeFlows(list []flow) {
	for i := len(list) - 1; i >= 0; i-- {
		if c, ok := list[i].(closer); ok {
			c.Close()
		}
	}
}

// flows lists every flow, in dependency order: the server mounts each one's routes from here, and
// nowhere else. The market comes first: it mounts its routes at /_mock's root.
func (s *Server) flows() []flow {
	return []flow{s.faults, s.courier, s.market, s.saasAPI, s.dialer, s.kit, s.idp, s.license, s.assets}
}
