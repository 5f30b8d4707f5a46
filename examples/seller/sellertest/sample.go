package sellertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/protocol"
)

// A SampleVariant is a seller built the way Huawei's official SaaS V2 sample is (the Spring Boot
// project with IsvProduceController, IsvProduceAPI and IsvProduceServiceImpl that most sellers copy,
// spec saas-v2 §2.5): KooGallery accepts it, so koomock's verdict must be a pass, with warnings for
// what goes beyond KooGallery. Its business parts are the reference seller's, reached the way the
// sample's are.
type SampleVariant struct {
	Name string
	// Says what the variant does as the sample does.
	Does string
	// Warns are the advisory rules the suite must warn about (and fail under --strict).
	Warns []koomock.Rule
	// Breaks are exactly the rules the suite must fail (none for a seller KooGallery accepts).
	Breaks []koomock.Rule
	// Profile is the product profile to verify it under ("" for every product the reference seller
	// sells).
	Profile string
	wrap    func(cfg seller.Config, next http.Handler) http.Handler
}

// SampleVariants are the official sample as a partner completes it following its comments, and as
// published.
var SampleVariants = []SampleVariant{
	{Name: "official-sample",
		Does:  "no field validation (HTTP 500 on a null scene or status), testFlag \"1\" answered at once, raw UTF-8 memo, unset answer fields as null, one instance per order, 000003 for unknown instances",
		Warns: []koomock.Rule{koomock.RuleNullField, koomock.RuleMissingField, koomock.RuleQueryMemo, koomock.RuleOrderQuery},
		// The sample's dispatch table predates orderNotify: products built on it do not declare it.
		Profile: "all,period,onetime,ondemand,package,trial,async,upgrade,changeCheck,bodySign",
		wrap:    func(cfg seller.Config, next http.Handler) http.Handler { return springSample(cfg, next, false) }},
	{Name: "official-sample-as-published",
		Does:   "the sample with no business code: a new instance per newInstance call, 000000 for an instance it never created, appInfo invented for any ID",
		Warns:  []koomock.Rule{koomock.RuleNullField, koomock.RuleMissingField, koomock.RuleQueryMemo, koomock.RuleOrderQuery},
		Breaks: []koomock.Rule{koomock.RuleIdempotent, koomock.RuleUnknownInstance},
		// As published it pushes no usage, so it cannot sell pay-per-use or package products.
		Profile: "all,period,onetime,trial,async,upgrade,changeCheck,bodySign",
		wrap:    func(cfg seller.Config, next http.Handler) http.Handler { return springSample(cfg, next, true) }},
}

// Handler returns the sample-shaped seller built on the reference seller from cfg.
func (v SampleVariant) Handler(cfg seller.Config) http.Handler { return v.wrap(cfg, seller.New(cfg)) }

// sampleActivities is the sample's dispatch table; any other activity is a null lookup (HTTP 500).
var sampleActivities = []protocol.Activity{protocol.NewInstance, protocol.QueryInstance, protocol.RefreshInstance,
	protocol.UpdateInstanceStatus, protocol.ReleaseInstance, protocol.UpgradeInstance, protocol.ChangeInstanceCheck}

// springSample answers the basic interfaces the way the sample does. published leaves out the business
// code the sample's comments ask the partner for: every newInstance then gets a new instance ID (its
// businessId), and an instance the seller never created is answered as if it existed.
func springSample(cfg seller.Config, next http.Handler, published bool) http.Handler {
	s := &sample{cfg: cfg, next: next, published: published, aliases: map[string]string{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != seller.ProducePath {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		f, err := protocol.DecodeObject(body)
		activity := protocol.Activity(str(f, protocol.FieldActivity))
		if err != nil || !slices.Contains(protocol.SaaSActivities, activity) && !slices.Contains(sampleActivities, activity) {
			next.ServeHTTP(w, r) // license callbacks and the kit: not the sample's SaaS controller
			return
		}
		s.serve(w, r, f, body, activity)
	})
}

type sample struct {
	cfg       seller.Config
	next      http.Handler
	published bool
	mu        sync.Mutex
	aliases   map[string]string // published: the instance ID answered → the reference seller's
	n         atomic.Int64
}

func (s *sample) serve(w http.ResponseWriter, r *http.Request, f map[string]any, body []byte, activity protocol.Activity) {
	if !slices.Contains(sampleActivities, activity) {
		springError(w, r)
		return
	}
	if protocol.VerifyV2(s.cfg.AccessKey, r.URL.Query(), body, now(s.cfg)) != nil {
		s.forward(w, r, activity, nil) // the reference refuses with 000001 or 000002, as the sample does
		return
	}
	if str(f, protocol.FieldTestFlag) == protocol.TestFlagDebug && activity != protocol.QueryInstance {
		a := map[string]any{"resultCode": string(protocol.ResultSuccess), "resultMsg": "success."}
		if activity == protocol.NewInstance {
			a["instanceId"] = str(f, protocol.FieldBusinessID)
		}
		jackson(w, activity, a)
		return
	}
	switch {
	case activity == protocol.RefreshInstance && f["scene"] == nil, activity == protocol.UpdateInstanceStatus && f["status"] == nil:
		springError(w, r) // a Java switch on a null String
		return
	case activity != protocol.NewInstance && activity != protocol.QueryInstance && str(f, protocol.FieldInstanceID) == "":
		code := protocol.ResultNoSuchInstance
		if s.published {
			code = protocol.ResultSuccess
		}
		jackson(w, activity, map[string]any{"resultCode": string(code), "resultMsg": "instance is invalid"})
		return
	case activity == protocol.NewInstance && (str(f, protocol.FieldOrderID) == "" || str(f, protocol.FieldOrderLineID) == "" || str(f, protocol.FieldBusinessID) == ""):
		// No validation: the sample answers success with instanceId = businessId.
		jackson(w, activity, map[string]any{"resultCode": string(protocol.ResultSuccess), "resultMsg": "success.", "instanceId": f[protocol.FieldBusinessID]})
		return
	}
	if s.published {
		r = s.unalias(r, f)
	}
	s.forward(w, r, activity, f)
}

// forward lets the reference seller answer, then sends its answer as the sample's Jackson writes it.
func (s *sample) forward(w http.ResponseWriter, r *http.Request, activity protocol.Activity, f map[string]any) {
	rec := httptest.NewRecorder()
	s.next.ServeHTTP(rec, r)
	var a map[string]any
	if json.Unmarshal(rec.Body.Bytes(), &a) != nil {
		copyAnswer(w, rec)
		return
	}
	if s.published && f != nil {
		s.publishedAnswer(activity, f, a)
	}
	jackson(w, activity, a)
}

// publishedAnswer is what the sample without business code answers where the reference seller knows
// better: the businessId as a new instance ID, success for instances it never created, appInfo
// invented for IDs it does not have.
func (s *sample) publishedAnswer(activity protocol.Activity, f, a map[string]any) {
	switch activity {
	case protocol.NewInstance:
		if real, ok := a["instanceId"].(string); ok && real != "" {
			alias := fmt.Sprintf("%s-%d", str(f, protocol.FieldBusinessID), s.n.Add(1))
			s.mu.Lock()
			s.aliases[alias] = real
			s.mu.Unlock()
			a["instanceId"] = alias
		}
	case protocol.QueryInstance:
		if a["resultCode"] != string(protocol.ResultSuccess) {
			return
		}
		requested := strings.Split(str(f, "requestedIds"), ",")
		byReal := map[string]map[string]any{}
		for _, i := range asList(a["info"]) {
			if m, ok := i.(map[string]any); ok {
				byReal[str(m, "instanceId")] = m
			}
		}
		var info []any
		for _, id := range requested {
			m := byReal[s.real(id)]
			if m == nil {
				m = map[string]any{"appInfo": map[string]any{"frontEndUrl": "https://sample.example.com", "memo": "示例"}}
			}
			m["instanceId"] = id
			info = append(info, m)
		}
		a["info"] = info
	default:
		if a["resultCode"] == string(protocol.ResultNoSuchInstance) {
			a["resultCode"], a["resultMsg"] = string(protocol.ResultSuccess), "success."
		}
	}
}

func (s *sample) real(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if real, ok := s.aliases[id]; ok {
		return real
	}
	return id
}

// unalias rewrites the instance IDs of a callback to the reference seller's, re-signed, and keeps the
// IDs koomock asked for in f["requestedIds"] for the answer.
func (s *sample) unalias(r *http.Request, f map[string]any) *http.Request {
	ids := str(f, protocol.FieldInstanceID)
	if ids == "" {
		return r
	}
	f["requestedIds"] = ids
	list := strings.Split(ids, ",")
	for i, id := range list {
		list[i] = s.real(id)
	}
	body := map[string]any{}
	for k, v := range f {
		if k != "requestedIds" {
			body[k] = v
		}
	}
	body[protocol.FieldInstanceID] = strings.Join(list, ",")
	raw, _ := json.Marshal(body)
	canonical, err := protocol.CanonicalJSON(raw)
	if err != nil {
		return r
	}
	nonce := r.URL.Query().Get(protocol.QueryNonce)
	sig := protocol.SignV2(s.cfg.AccessKey, nonce, now(s.cfg), canonical)
	q := r.URL.Query()
	for k, v := range sig.Query() {
		q[k] = v
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	r2.Body = io.NopCloser(bytes.NewReader(canonical))
	r2.ContentLength = int64(len(canonical))
	return r2
}

// jackson writes an answer as Spring Boot's default Jackson does: the answer class's unset fields as
// null, non-ASCII characters raw, and no Body-Sign (the V2 sample sends none).
func jackson(w http.ResponseWriter, activity protocol.Activity, a map[string]any) {
	for _, k := range []string{"resultCode", "resultMsg", "instanceId"} {
		if _, ok := a[k]; !ok {
			a[k] = nil
		}
	}
	if _, ok := a["info"]; !ok && activity == protocol.QueryInstance {
		a["info"] = nil
	}
	body, _ := json.Marshal(a)
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// springError is Spring Boot's default error answer to an exception in a controller.
func springError(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `{"timestamp":"2026-12-04T00:00:00.000+00:00","status":500,"error":"Internal Server Error","path":%q}`, r.URL.Path)
}
