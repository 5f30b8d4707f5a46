package seller

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/protocol"
)

// JointConfig configures the joint-operation parts of the reference seller. Without a KitKey the kit
// interfaces and the login web app are off.
type JointConfig struct {
	// KitKey verifies kit syncs (the key bound to the kit interfaces); InnerHMAC switches to the docs'
	// inner-HMAC reading of the formula.
	KitKey    string
	InnerHMAC bool
	// PrivateKey decrypts applicationSync's clientSecret, padded with OAEP (digest OAEP).
	PrivateKey *rsa.PrivateKey
	OAEP       protocol.OAEPHash
	// AppID is the seller's app credential, the one the unified login page is opened for.
	AppID string
	// LoginURL returns KooGallery's base URL for the unified login page (koomock's public URL); it is
	// read at each login because koomock may start after the seller. When nil or empty, the origin of
	// the tenants' domainName is used: koomock serves both.
	LoginURL func() string
	// HTTPClient calls the tenants' identity providers; http.DefaultClient when nil.
	HTTPClient *http.Client
	// RefreshBefore is how long before the access token's expiry (on the seller's clock) the seller
	// refreshes it; 10 minutes when zero.
	RefreshBefore time.Duration
}

// The 000101 answer of Huawei's sample when clientSecret cannot be decrypted.
const msgAppSecret = "something wrong with appSecret"

// tenantRecord is what the kit syncs taught the seller about a tenant.
type tenantRecord struct {
	ID, Code, Name, Domain, InstanceID string
	// ClientID and ClientSecret (decrypted) per appId.
	ClientID, ClientSecret, AppID string
	Users                         map[string]map[string]any
	Orgs                          map[string]map[string]any
}

// joint holds the seller's joint-operation state, in memory.
type joint struct {
	cfg *Config

	mu       sync.Mutex
	tenants  map[string]*tenantRecord
	sessions map[string]*session
	// idpOrigin is the scheme and host of the latest tenant domain, where koomock also serves the
	// unified login page; used when LoginURL is not set.
	idpOrigin string
}

func newJoint(cfg *Config, mux *http.ServeMux) *joint {
	j := &joint{cfg: cfg, tenants: map[string]*tenantRecord{}, sessions: map[string]*session{}}
	if cfg.Joint.KitKey == "" {
		return j
	}
	if cfg.Joint.RefreshBefore == 0 {
		cfg.Joint.RefreshBefore = 10 * time.Minute
	}
	if cfg.Joint.HTTPClient == nil {
		cfg.Joint.HTTPClient = http.DefaultClient
	}
	mux.HandleFunc("POST "+ProducePath+protocol.KitPathPrefix+"{sync}", j.handleKit)
	j.mountLogin(mux)
	return j
}

// kitRequired are the mandatory fields of each kit sync (spec saas-v2 §5).
var kitRequired = map[protocol.Activity][]string{
	protocol.TenantSync:      {"tenantId", "tenantCode", "name", "domainName", "flag", "testFlag", "timeStamp"},
	protocol.ApplicationSync: {"tenantId", "appId", "clientId", "clientSecret", "flag", "testFlag", "timeStamp"},
	protocol.AuthSync:        {"tenantId", "appId", "userList", "currentSyncTime", "flag", "testFlag", "timeStamp"},
	protocol.SingleOrgSync:   {"tenantId", "orgCode", "orgName", "flag", "testFlag", "timeStamp"},
	protocol.AllOrgSync:      {"tenantId", "orgInfoList", "testFlag", "timeStamp"},
}

// handleKit verifies a kit sync (000001 for the signature, 000002 for the timestamp, nonce or a
// missing field, 000101 for a clientSecret that does not decrypt) and applies it idempotently.
func (j *joint) handleKit(w http.ResponseWriter, r *http.Request) {
	sync := protocol.Activity(r.PathValue("sync"))
	required, known := kitRequired[sync]
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if !known || err != nil {
		j.reply(w, answer{ResultCode: protocol.ResultInvalidParam, ResultMsg: msgParam})
		return
	}
	if err := protocol.VerifyKit(j.cfg.Joint.KitKey, r.Header, body, j.cfg.Wall(), j.cfg.Joint.InnerHMAC); err != nil {
		j.cfg.Logger.Info("refused kit sync", "sync", sync, "reason", err)
		if errors.Is(err, protocol.ErrNoKitSign) || errors.Is(err, protocol.ErrSignatureMismatch) {
			j.reply(w, answer{ResultCode: protocol.ResultAuthFailed, ResultMsg: msgToken})
		} else {
			j.reply(w, answer{ResultCode: protocol.ResultInvalidParam, ResultMsg: msgParam})
		}
		return
	}
	f, err := protocol.DecodeObject(body)
	if err != nil {
		j.reply(w, answer{ResultCode: protocol.ResultInvalidParam, ResultMsg: msgParam})
		return
	}
	for _, k := range required {
		if _, ok := f[k]; !ok {
			j.reply(w, answer{ResultCode: protocol.ResultInvalidParam, ResultMsg: msgParam})
			return
		}
	}
	j.cfg.Logger.Info("kit sync", "sync", sync, "tenant", str(f, "tenantId"), "flag", f["flag"])
	j.reply(w, j.apply(sync, f))
}

func (j *joint) reply(w http.ResponseWriter, a answer) {
	body, _ := json.Marshal(a)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set(protocol.BodySignHeader, protocol.FormatBodySign(protocol.BodySign(j.cfg.Joint.KitKey, body)))
	w.Write(body)
}

func flagOf(f map[string]any) string {
	if n, ok := f["flag"].(json.Number); ok {
		return n.String()
	}
	return ""
}

// apply changes the seller's state; adds and deletes are idempotent.
func (j *joint) apply(sync protocol.Activity, f map[string]any) answer {
	ok := answer{ResultCode: protocol.ResultSuccess, ResultMsg: msgSuccess}
	id := str(f, "tenantId")
	j.mu.Lock()
	defer j.mu.Unlock()
	t := j.tenants[id]
	if t == nil {
		t = &tenantRecord{ID: id, Users: map[string]map[string]any{}, Orgs: map[string]map[string]any{}}
	}
	switch sync {
	case protocol.TenantSync:
		if flagOf(f) == "0" {
			delete(j.tenants, id)
			return ok
		}
		t.Code, t.Name, t.Domain, t.InstanceID = str(f, "tenantCode"), str(f, "name"), strings.TrimSuffix(str(f, "domainName"), "/"), str(f, "instanceId")
		if u, err := url.Parse(t.Domain); err == nil && u.Host != "" {
			j.idpOrigin = u.Scheme + "://" + u.Host
		}
	case protocol.ApplicationSync:
		secret, err := protocol.DecryptClientSecret(j.cfg.Joint.PrivateKey, str(f, "clientSecret"), j.cfg.Joint.OAEP)
		if err != nil || j.cfg.Joint.PrivateKey == nil {
			return answer{ResultCode: protocol.ResultMobileProblem, ResultMsg: msgAppSecret}
		}
		if flagOf(f) == "0" {
			t.ClientID, t.ClientSecret = "", ""
		} else {
			t.AppID, t.ClientID, t.ClientSecret = str(f, "appId"), str(f, "clientId"), secret
		}
	case protocol.AuthSync:
		list, _ := f["userList"].([]any)
		for _, item := range list {
			u, _ := item.(map[string]any)
			name := str(u, "userName")
			if flagOf(f) == "0" || flagOf(f) == "3" {
				delete(t.Users, name) // keyed per tenant: userName is unique only within it
			} else {
				t.Users[name] = u
			}
		}
	case protocol.SingleOrgSync:
		if flagOf(f) == "0" {
			delete(t.Orgs, str(f, "orgCode"))
		} else {
			t.Orgs[str(f, "orgCode")] = f
		}
	case protocol.AllOrgSync:
		list, _ := f["orgInfoList"].([]any)
		t.Orgs = map[string]map[string]any{}
		for _, item := range list {
			o, _ := item.(map[string]any)
			t.Orgs[str(o, "orgCode")] = o
		}
	}
	j.tenants[id] = t
	return ok
}

// tenant returns what the seller knows about a tenant.
func (j *joint) tenant(id string) (tenantRecord, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	t, ok := j.tenants[id]
	if !ok {
		return tenantRecord{}, false
	}
	return *t, true
}

// newSessionID draws a session cookie value.
func (j *joint) newSessionID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// DemoJoint is the joint-operation configuration that matches koomock's demo settings: the demo kit
// key, the demo seller key pair, the demo app, SHA-256 OAEP. loginURL returns koomock's public URL.
func DemoJoint(loginURL func() string) JointConfig {
	priv, err := protocol.ParseRSAPrivateKeyPEM(fixtures.DemoSellerPrivateKeyPEM)
	if err != nil {
		// The embedded demo key is fixed at build time; its tests parse it.
		panic("seller: demo private key: " + err.Error())
	}
	return JointConfig{KitKey: fixtures.DemoKitKey, PrivateKey: priv, OAEP: protocol.OAEPSHA256, AppID: fixtures.DemoAppID, LoginURL: loginURL}
}
