package mock

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/clock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	controlapi.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
}

// handleSettings answers the effective settings, secrets masked unless ?reveal=true asks for them:
// the caller is an administrator (loopback, or holding the admin token), and a seller needs the key
// to configure their service.
func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) {
	reveal := r.URL.Query().Get("reveal") == "true"
	mask := protocol.MaskSecret
	if reveal {
		mask = func(secret string) string { return secret }
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.Settings{
		Version:         s.cfg.Version,
		PublicURL:       s.PublicURL(),
		SellerURL:       s.cfg.Market.SellerURL,
		BundledSeller:   s.cfg.Market.BundledSeller,
		AccessKey:       mask(s.cfg.Market.AccessKey),
		AK:              s.cfg.Market.AK,
		SK:              mask(s.cfg.Market.SK),
		CallbackTimeout: s.cfg.Market.CallbackTimeout.String(),
		Strict:          s.cfg.Strict,
		RequireBodySign: s.cfg.Market.RequireBodySign,
		HTTPS:           s.httpsSettings(),
		Market: controlapi.MarketSettings{
			RetryEvery: s.cfg.Market.RetryEvery.String(), RetryCreateFor: s.cfg.Market.RetryCreateFor.String(),
			RetryOtherFor: s.cfg.Market.RetryOtherFor.String(), AsyncPollEvery: s.cfg.Market.AsyncPollEvery.String(),
			FreezeFor: s.cfg.Market.FreezeFor.String(), TestFlagZero: s.cfg.Market.TestFlagZero, ProductInfoString: s.cfg.Market.ProductInfoString,
			ExpireTimeDigits: s.cfg.Market.ExpireTimeDigits, StrictUsageInfo: s.cfg.Market.StrictUsageInfo, UsagePushAPIG: s.cfg.Market.UsagePushAPIG,
		},
		Joint:            s.jointSettings(reveal),
		LicenseURL:       s.cfg.License.URL,
		LicenseKey:       mask(s.license.Key()),
		DemoLicenseCodes: s.DemoLicenseCodes(),
	})
}

func (s *Server) listExchanges(r *http.Request, _ controlapi.NoBody) (controlapi.ExchangeList, error) {
	f, err := controlapi.ParseFilter(r.URL.Query())
	if err != nil {
		return controlapi.ExchangeList{}, err
	}
	list, err := s.store.Exchanges(r.Context(), f)
	if list == nil {
		list = []koomock.Exchange{}
	}
	return controlapi.ExchangeList{Exchanges: list}, err
}

func (s *Server) exchangeParam(r *http.Request) (koomock.Exchange, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return koomock.Exchange{}, controlapi.Errorf(controlapi.CodeInvalid, "exchange ID must be a number")
	}
	e, err := s.store.Exchange(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return e, controlapi.Errorf(controlapi.CodeNotFound, "exchange %d does not exist", id)
	}
	return e, err
}

func (s *Server) getExchange(r *http.Request, _ controlapi.NoBody) (controlapi.ExchangeResult, error) {
	e, err := s.exchangeParam(r)
	return controlapi.ExchangeResult{Exchange: &e}, err
}

func (s *Server) curl(r *http.Request, _ controlapi.NoBody) (controlapi.Reproduction, error) {
	d, err := s.redelivery(r)
	if err != nil {
		return controlapi.Reproduction{}, err
	}
	cmd, err := s.notifier.Reproduce(r.Context(), d)
	return controlapi.Reproduction{Curl: cmd}, err
}

func (s *Server) clockState() controlapi.ClockState {
	return controlapi.ClockState{Virtual: s.cfg.Clock.Virtual(), Now: s.cfg.Clock.Now()}
}

func (s *Server) getClock(*http.Request, controlapi.NoBody) (controlapi.ClockState, error) {
	return s.clockState(), nil
}

func (s *Server) setClock(_ *http.Request, req controlapi.ClockRequest) (controlapi.ClockState, error) {
	switch req.Mode {
	case "virtual":
		if err := s.cfg.Clock.Freeze(req.Now); err != nil {
			return controlapi.ClockState{}, controlapi.Errorf(controlapi.CodeConflict, "%v", err)
		}
	case "real":
		s.cfg.Clock.Resume()
		s.scheduler.Poke()
	default:
		return controlapi.ClockState{}, controlapi.Errorf(controlapi.CodeInvalid, `mode must be "virtual" or "real"`)
	}
	return s.clockState(), nil
}

func (s *Server) advanceClock(r *http.Request, req controlapi.AdvanceRequest) (controlapi.ClockState, error) {
	d, err := controlapi.ParseDuration(req.By)
	if err != nil {
		return controlapi.ClockState{}, controlapi.Errorf(controlapi.CodeInvalid, "%v", err)
	}
	if _, err := s.scheduler.Advance(r.Context(), d); err != nil {
		code := controlapi.CodeInvalid
		if errors.Is(err, clock.ErrNotVirtual) {
			code = controlapi.CodeConflict
		}
		return controlapi.ClockState{}, controlapi.Errorf(code, "%v", err)
	}
	return s.clockState(), nil
}

func (s *Server) listJobs(r *http.Request, _ controlapi.NoBody) (controlapi.JobList, error) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return controlapi.JobList{}, controlapi.Errorf(controlapi.CodeInvalid, "limit must be 1 to 1000")
		}
		limit = n
	}
	jobs, err := s.store.Jobs(r.Context(), r.URL.Query().Get("kind"), limit)
	if err != nil {
		return controlapi.JobList{}, err
	}
	out := make([]controlapi.Job, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, controlapi.Job{Kind: j.Kind, Key: j.Key, DueAt: j.DueAt, Attempt: j.Attempt})
	}
	return controlapi.JobList{Jobs: out}, nil
}
