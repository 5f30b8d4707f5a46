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
		SellerURL:       s.cfg.SellerURL,
		AccessKey:       mask(s.cfg.AccessKey),
		AK:              s.cfg.AK,
		SK:              mask(s.cfg.SK),
		CallbackTimeout: s.cfg.CallbackTimeout.String(),
		Strict:          s.cfg.Strict,
		RequireBodySign: s.cfg.RequireBodySign,
		HTTPS:           s.httpsSettings(),
		Market: controlapi.MarketSettings{
			RetryEvery: s.cfg.RetryEvery.String(), RetryCreateFor: s.cfg.RetryCreateFor.String(),
			RetryOtherFor: s.cfg.RetryOtherFor.String(), AsyncPollEvery: s.cfg.AsyncPollEvery.String(),
			FreezeFor: s.cfg.FreezeFor.String(), TestFlagZero: s.cfg.TestFlagZero, ProductInfoString: s.cfg.ProductInfoString,
			ExpireTimeDigits: s.cfg.ExpireTimeDigits, StrictUsageInfo: s.cfg.StrictUsageInfo, UsagePushAPIG: s.cfg.UsagePushAPIG,
		},
		Joint:            s.jointSettings(reveal),
		LicenseURL:       s.cfg.License.URL,
		LicenseKey:       mask(s.license.Key()),
		DemoLicenseCodes: s.DemoLicenseCodes(),
	})
}

func (s *Server) handleListExchanges(w http.ResponseWriter, r *http.Request) {
	f, err := controlapi.ParseFilter(r.URL.Query())
	if err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	list, err := s.store.Exchanges(r.Context(), f)
	if err != nil {
		controlapi.WriteError(w, s.cfg.Logger, err)
		return
	}
	if list == nil {
		list = []koomock.Exchange{}
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ExchangeList{Exchanges: list})
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

func (s *Server) handleGetExchange(w http.ResponseWriter, r *http.Request) {
	e, err := s.exchangeParam(r)
	if err != nil {
		controlapi.WriteError(w, s.cfg.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ExchangeResult{Exchange: &e})
}

func (s *Server) handleCurl(w http.ResponseWriter, r *http.Request) {
	d, err := s.redelivery(r)
	if err != nil {
		controlapi.WriteError(w, s.cfg.Logger, err)
		return
	}
	cmd, err := s.notifier.Reproduce(r.Context(), d)
	if err != nil {
		controlapi.WriteError(w, s.cfg.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.Reproduction{Curl: cmd})
}

func (s *Server) clockState() controlapi.ClockState {
	return controlapi.ClockState{Virtual: s.cfg.Clock.Virtual(), Now: s.cfg.Clock.Now()}
}

func (s *Server) handleGetClock(w http.ResponseWriter, r *http.Request) {
	controlapi.WriteJSON(w, http.StatusOK, s.clockState())
}

func (s *Server) handleSetClock(w http.ResponseWriter, r *http.Request) {
	var req controlapi.ClockRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	switch req.Mode {
	case "virtual":
		if err := s.cfg.Clock.Freeze(req.Now); err != nil {
			controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeConflict, "%v", err))
			return
		}
	case "real":
		s.cfg.Clock.Resume()
		s.scheduler.Poke()
	default:
		controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInvalid, `mode must be "virtual" or "real"`))
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, s.clockState())
}

func (s *Server) handleAdvanceClock(w http.ResponseWriter, r *http.Request) {
	var req controlapi.AdvanceRequest
	if err := controlapi.Decode(r, &req); err != nil {
		controlapi.WriteError(w, nil, err)
		return
	}
	d, err := controlapi.ParseDuration(req.By)
	if err != nil {
		controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInvalid, "%v", err))
		return
	}
	if _, err := s.scheduler.Advance(r.Context(), d); err != nil {
		code := controlapi.CodeInvalid
		if errors.Is(err, clock.ErrNotVirtual) {
			code = controlapi.CodeConflict
		}
		controlapi.WriteError(w, nil, controlapi.Errorf(code, "%v", err))
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, s.clockState())
}

func (s *Server) handleListJobs(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			controlapi.WriteError(w, nil, controlapi.Errorf(controlapi.CodeInvalid, "limit must be 1 to 1000"))
			return
		}
		limit = n
	}
	jobs, err := s.store.Jobs(r.Context(), r.URL.Query().Get("kind"), limit)
	if err != nil {
		controlapi.WriteError(w, s.cfg.Logger, err)
		return
	}
	out := make([]controlapi.Job, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, controlapi.Job{Kind: j.Kind, Key: j.Key, DueAt: j.DueAt, Attempt: j.Attempt})
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.JobList{Jobs: out})
}
