package seller

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/koomock/koomock/protocol"
)

// ProducePath is where the reference seller serves the basic interfaces.
const ProducePath = "/produce"

// maxBody caps what the seller reads of a callback.
const maxBody = 1 << 20

// Config configures a Seller.
type Config struct {
	// AccessKey is the key bound to the basic interfaces in the seller console. It also signs the
	// usage push.
	AccessKey string
	// MarketplaceURL is KooGallery's base URL for the open APIs (order query, usage push): koomock's
	// URL in tests, https://mkt.myhuaweicloud.com in production. Without it the seller provisions from
	// the callbacks alone and pushes no usage.
	MarketplaceURL string
	// AK and SK sign the open-API calls (APIG SDK-HMAC-SHA256), from 我的凭证 → 访问密钥.
	AK, SK string
	// HTTPClient calls the open APIs; a client with a 10 s timeout when nil.
	HTTPClient *http.Client
	// Now is the seller's business clock (token expiry, usage records, statistical times); time.Now
	// when nil. Tests may share koomock's virtual clock here.
	Now func() time.Time
	// Wall is the seller's real clock, for signatures: the 60 s window of the callbacks and kit syncs,
	// X-Sdk-Date and the usage push timestamp; time.Now when nil. koomock signs on real time even
	// when its own clock is virtual (see clock.Wall), so a test sharing that clock leaves Wall alone.
	Wall func() time.Time
	// Logger receives one line per callback; discarded when nil.
	Logger *slog.Logger

	// Joint operation (联营): the kit syncs and the login web app; see kit.go and login.go.
	Joint JointConfig
}

// activityFunc answers one basic-interface activity whose signature was verified.
type activityFunc func(ctx context.Context, f fields) any

// Seller is the reference seller. It is an http.Handler.
type Seller struct {
	cfg        Config
	mux        *http.ServeMux
	activities map[protocol.Activity]activityFunc

	mu sync.Mutex
	instanceState

	joint    *joint
	licenses licenseBook // License 2.0 codes (license.go)
}

// New returns a seller.
func New(cfg Config) *Seller {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Wall == nil {
		cfg.Wall = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	s := &Seller{cfg: cfg, mux: http.NewServeMux(), activities: map[protocol.Activity]activityFunc{}}
	s.mux.HandleFunc("POST "+ProducePath, s.handleProduce)
	// Each concern registers its activities in its own file.
	s.registerInstanceActivities()
	s.registerQueryActivity()
	s.registerLicenseActivities()
	s.joint = newJoint(&s.cfg, s.mux)
	return s
}

// handle registers the answer to an activity.
func (s *Seller) handle(a protocol.Activity, fn activityFunc) { s.activities[a] = fn }

// ServeHTTP implements http.Handler.
func (s *Seller) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// answer is the envelope of every answer; activities embed it in their own.
type answer struct {
	ResultCode protocol.ResultCode `json:"resultCode"`
	ResultMsg  string              `json:"resultMsg"`
}

// The result messages of Huawei's official sample.
const (
	msgSuccess    = "success."
	msgToken      = "token is invalid"
	msgParam      = "param is invalid"
	msgInstance   = "instance is invalid"
	msgProcessing = "request is processing"
	msgInner      = "other inner error"
)

func ok() answer              { return answer{protocol.ResultSuccess, msgSuccess} }
func badParam() answer        { return answer{protocol.ResultInvalidParam, msgParam} }
func unknownInstance() answer { return answer{protocol.ResultNoSuchInstance, msgInstance} }
func innerError() answer      { return answer{protocol.ResultInternalError, msgInner} }

func (s *Seller) handleProduce(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		s.reply(w, badParam())
		return
	}
	if err := protocol.VerifyV2(s.cfg.AccessKey, r.URL.Query(), body, s.cfg.Wall()); err != nil {
		s.cfg.Logger.Info("refused callback", "reason", err)
		s.reply(w, refusal(err))
		return
	}
	f, err := protocol.DecodeObject(body)
	if err != nil {
		s.reply(w, badParam())
		return
	}
	activity := fields(f).str(protocol.FieldActivity)
	s.cfg.Logger.Info("callback", "activity", activity)
	fn, found := s.activities[protocol.Activity(activity)]
	if !found {
		s.reply(w, answer{protocol.ResultInvalidParam, "unsupported activity"})
		return
	}
	s.reply(w, fn(r.Context(), f))
}

// refusal maps a verification failure to the official sample's answer: 000001 when the signature is
// missing or wrong, 000002 when the timestamp or nonce is.
func refusal(err error) answer {
	if errors.Is(err, protocol.ErrNoSignature) || errors.Is(err, protocol.ErrSignatureMismatch) {
		return answer{protocol.ResultAuthFailed, msgToken}
	}
	return badParam()
}

// reply writes the answer with HTTP 200 and a Body-Sign over the exact bytes sent. Non-ASCII
// characters go out as \uXXXX escapes, as KooGallery asks for free text such as appInfo.memo.
func (s *Seller) reply(w http.ResponseWriter, a any) {
	body, err := json.Marshal(a)
	if err != nil {
		http.Error(w, "marshal answer", http.StatusInternalServerError)
		return
	}
	body = protocol.EscapeNonASCII(body)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set(protocol.BodySignHeader, protocol.FormatBodySign(protocol.BodySign(s.cfg.AccessKey, body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// fields is a callback body.
type fields map[string]any

func (f fields) str(k string) string { return str(f, k) }

func str(f map[string]any, k string) string {
	v, _ := f[k].(string)
	return v
}

// missing reports whether any of the mandatory fields is absent or empty.
func (f fields) missing(keys ...string) bool {
	for _, k := range keys {
		if f.str(k) == "" {
			return true
		}
	}
	return false
}

// debug reports a debug or dial-test call (testFlag "1"): the seller answers it without real work,
// as Huawei's sample does.
func (f fields) debug() bool { return f.str(protocol.FieldTestFlag) == protocol.TestFlagDebug }
