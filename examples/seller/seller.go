package seller

import (
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
	// AccessKey is the key bound to the basic interfaces in the seller console.
	AccessKey string
	// Now is the seller's clock, for the 60 s signature window; time.Now when nil.
	Now func() time.Time
	// Logger receives one line per callback; discarded when nil.
	Logger *slog.Logger

	// Joint operation (联营): the kit syncs and the login web app; see kit.go and login.go.
	Joint JointConfig
}

// Seller is the reference seller. It is an http.Handler.
type Seller struct {
	cfg Config
	mux *http.ServeMux

	mu        sync.Mutex
	instances map[string]string // orderId + "\x00" + orderLineId → instanceId

	joint *joint
}

// New returns a seller.
func New(cfg Config) *Seller {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Seller{cfg: cfg, mux: http.NewServeMux(), instances: map[string]string{}}
	s.mux.HandleFunc("POST "+ProducePath, s.handleProduce)
	s.joint = newJoint(&s.cfg, s.mux)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Seller) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// answer is the envelope of every basic-interface answer.
type answer struct {
	ResultCode protocol.ResultCode `json:"resultCode"`
	ResultMsg  string              `json:"resultMsg"`
	InstanceID string              `json:"instanceId,omitempty"`
}

// The result messages of Huawei's official sample.
const (
	msgSuccess = "success."
	msgToken   = "token is invalid"
	msgParam   = "param is invalid"
)

func (s *Seller) handleProduce(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		s.reply(w, answer{ResultCode: protocol.ResultInvalidParam, ResultMsg: msgParam})
		return
	}
	if err := protocol.VerifyV2(s.cfg.AccessKey, r.URL.Query(), body, s.cfg.Now()); err != nil {
		s.cfg.Logger.Info("refused callback", "reason", err)
		s.reply(w, refusal(err))
		return
	}
	fields, err := protocol.DecodeObject(body)
	if err != nil {
		s.reply(w, answer{ResultCode: protocol.ResultInvalidParam, ResultMsg: msgParam})
		return
	}
	activity, _ := fields[protocol.FieldActivity].(string)
	s.cfg.Logger.Info("callback", "activity", activity)
	switch protocol.Activity(activity) {
	case protocol.NewInstance:
		s.reply(w, s.newInstance(fields))
	default:
		s.reply(w, answer{ResultCode: protocol.ResultInvalidParam, ResultMsg: "unsupported activity"})
	}
}

// refusal maps a verification failure to the official sample's answer: 000001 when the signature is
// missing or wrong, 000002 when the timestamp or nonce is.
func refusal(err error) answer {
	if errors.Is(err, protocol.ErrNoSignature) || errors.Is(err, protocol.ErrSignatureMismatch) {
		return answer{ResultCode: protocol.ResultAuthFailed, ResultMsg: msgToken}
	}
	return answer{ResultCode: protocol.ResultInvalidParam, ResultMsg: msgParam}
}

// newInstance creates an instance once per order line: a resend with a new businessId returns the
// instance created the first time.
func (s *Seller) newInstance(f map[string]any) answer {
	orderID, lineID, businessID := str(f, protocol.FieldOrderID), str(f, protocol.FieldOrderLineID), str(f, protocol.FieldBusinessID)
	if orderID == "" || lineID == "" || businessID == "" {
		return answer{ResultCode: protocol.ResultInvalidParam, ResultMsg: msgParam}
	}
	key := orderID + "\x00" + lineID
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.instances[key]
	if !ok {
		id = businessID
		s.instances[key] = id
	}
	return answer{ResultCode: protocol.ResultSuccess, ResultMsg: msgSuccess, InstanceID: id}
}

func str(f map[string]any, k string) string {
	v, _ := f[k].(string)
	return v
}

// reply writes the answer with HTTP 200 and a Body-Sign over the exact bytes sent.
func (s *Seller) reply(w http.ResponseWriter, a answer) {
	body, err := json.Marshal(a)
	if err != nil {
		http.Error(w, "marshal answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set(protocol.BodySignHeader, protocol.FormatBodySign(protocol.BodySign(s.cfg.AccessKey, body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
