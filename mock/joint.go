package mock

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/idp"
	"github.com/koomock/koomock/mock/kit"
	"github.com/koomock/koomock/protocol"
)

// JointConfig configures joint operation (联营): the kit syncs and the tenant identity provider. The
// zero value works: the demo kit key, the demo seller key pair, the demo tenant, app and user.
type JointConfig struct {
	// KitKey signs the kit syncs (the key bound to the kit interfaces); empty means the seller has no
	// kit interfaces, and creating tenants is refused. `koomock serve` defaults it to the demo kit key.
	KitKey string
	// KitInnerHMAC signs kit syncs with the docs' inner-HMAC reading instead of the official sample's
	// formula (spec saas-v2 §2.3).
	KitInnerHMAC bool
	// SellerPublicKeyPEM is the seller's RSA public key (≥ 3072 bits) clientSecret is encrypted with;
	// the demo key pair's public half when empty.
	SellerPublicKeyPEM []byte
	// OAEPHash is the OAEP digest of that encryption; protocol.OAEPSHA256 when empty.
	OAEPHash protocol.OAEPHash
	// AppID is the seller's app credential; fixtures.DemoAppID when empty.
	AppID string
	// ClientID and ClientSecret are the demo tenant's OAuth client; the fixtures' when empty.
	ClientID, ClientSecret string
	// LoginCallbackURL is the registered OAuth callback and CAS service of the demo tenant's app and,
	// by default, of every new tenant's.
	LoginCallbackURL string
	// DemoUser and DemoPassword log in on the unified login page; the fixtures' when empty.
	DemoUser, DemoPassword string
	// CodeTTL bounds authorization codes and CAS service tickets; 5 minutes when zero.
	CodeTTL time.Duration
	// RotateRefreshTokens issues a new refresh token on every refresh and revokes the old one.
	RotateRefreshTokens bool
	// CASJSONDefault answers CAS validation in JSON unless format=XML.
	CASJSONDefault bool

	publicKey *rsa.PublicKey
}

func (j *JointConfig) normalize() error {
	if j.AppID == "" {
		j.AppID = fixtures.DemoAppID
	}
	if j.ClientID == "" && j.ClientSecret == "" {
		j.ClientID, j.ClientSecret = fixtures.DemoClientID, fixtures.DemoClientSecret
	}
	if j.ClientID == "" || j.ClientSecret == "" {
		return errors.New("client ID and client secret go together: set both or neither")
	}
	if j.DemoUser == "" {
		j.DemoUser = fixtures.DemoUser
	}
	if j.DemoPassword == "" {
		j.DemoPassword = fixtures.DemoPassword
	}
	if len(j.AppID) > 64 || len(j.ClientID) > 64 || len(j.DemoUser) > 64 {
		return errors.New("app ID, client ID and demo user are at most 64 characters")
	}
	h, err := protocol.ParseOAEPHash(string(j.OAEPHash))
	if err != nil {
		return err
	}
	j.OAEPHash = h
	if len(j.SellerPublicKeyPEM) == 0 {
		j.SellerPublicKeyPEM = fixtures.DemoSellerPublicKeyPEM
	}
	if j.publicKey, err = protocol.ParseRSAPublicKeyPEM(j.SellerPublicKeyPEM); err != nil {
		return fmt.Errorf("seller public key: %w", err)
	}
	if j.LoginCallbackURL != "" {
		u, err := url.Parse(j.LoginCallbackURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
			return fmt.Errorf("login callback URL %q is not an absolute http:// or https:// URL without a fragment", j.LoginCallbackURL)
		}
	}
	if j.CodeTTL < 0 {
		return errors.New("code lifetime must be positive")
	}
	if j.CodeTTL == 0 {
		j.CodeTTL = idp.DefaultCodeTTL
	}
	return nil
}

// newJoint builds the kit flow and the identity provider and stores the demo tenant.
func (s *Server) newJoint() error {
	j := s.cfg.Joint
	s.kit = j.newKit(s.cfg.Market.SellerURL, s.cfg.Clock.Now, s.DomainURL)
	s.kit.Store, s.kit.Notifier, s.kit.IDs, s.kit.Logger = s.store, s.notifier, s.cfg.IDs, s.cfg.Logger
	s.idp = &idp.IdP{
		Store: s.store, Recorder: s.recorder, Spec: s.marketplace, Now: s.cfg.Clock.Now, IDs: s.cfg.IDs,
		TenantPrefix: kit.TenantPrefix, CodeTTL: j.CodeTTL, RotateRefresh: j.RotateRefreshTokens,
		CASJSONDefault: j.CASJSONDefault, Faults: s.faults, Logger: s.cfg.Logger,
	}
	return s.seedDemoTenant(context.Background())
}

// seedDemoTenant stores the demo tenant, its app and users, unless they exist: at start and after a
// reset.
func (s *Server) seedDemoTenant(ctx context.Context) error {
	j := s.cfg.Joint
	err := s.kit.SeedDemo(ctx, kit.Demo{ClientID: j.ClientID, ClientSecret: j.ClientSecret,
		LoginCallbackURL: j.LoginCallbackURL, User: j.DemoUser, Password: j.DemoPassword})
	if err != nil {
		return fmt.Errorf("demo tenant: %w", err)
	}
	return nil
}

// StandaloneKit returns the kit as a server with this configuration builds it, but without a store
// or a server: enough to address, sign and judge its debug syncs (kit.DebugSync) on the wall clock.
// `koomock fire` sends them with no koomock running; publicURL stands for koomock's public URL in
// tenantSync's domainName.
func (j JointConfig) StandaloneKit(sellerURL, publicURL string) (*kit.Kit, error) {
	if err := j.normalize(); err != nil {
		return nil, err
	}
	return j.newKit(sellerURL, time.Now, func() string { return publicURL }), nil
}

// newKit is the kit's addressing and signing from a normalized configuration: what the server's kit and
// a standalone one share.
func (j JointConfig) newKit(sellerURL string, now func() time.Time, publicURL func() string) *kit.Kit {
	return &kit.Kit{
		Now: now, PublicURL: publicURL, SellerURL: sellerURL,
		KitKey: j.KitKey, InnerHMAC: j.KitInnerHMAC, PublicKey: j.publicKey, OAEP: j.OAEPHash,
		AppID: j.AppID, LoginCallbackURL: j.LoginCallbackURL,
	}
}

// signingKey is the key a recorded callback is signed again with: the kit key for kit syncs.
func (s *Server) signingKey(e *koomock.Exchange) string {
	if e.Signing != nil && (e.Signing.Scheme == protocol.SchemeKit || e.Signing.Scheme == protocol.SchemeKitInnerHMAC) {
		return s.cfg.Joint.KitKey
	}
	return s.cfg.Market.AccessKey
}

// jointSettings are the joint-operation settings the control API shows: the seller's own secrets
// masked unless revealed, the public demo values in clear.
func (s *Server) jointSettings(reveal bool) *controlapi.JointSettings {
	j := s.cfg.Joint
	show := func(v, demo string) string {
		if v == demo || reveal {
			return v
		}
		return protocol.MaskSecret(v)
	}
	key := "demo"
	if string(j.SellerPublicKeyPEM) != string(fixtures.DemoSellerPublicKeyPEM) {
		key = "yours (" + strconv.Itoa(j.publicKey.N.BitLen()) + " bits)"
	}
	scheme := protocol.SchemeKit
	if j.KitInnerHMAC {
		scheme = protocol.SchemeKitInnerHMAC
	}
	kitKey := ""
	if j.KitKey != "" {
		kitKey = show(j.KitKey, fixtures.DemoKitKey)
	}
	return &controlapi.JointSettings{
		KitKey: kitKey, KitSignature: scheme, OAEPHash: string(j.OAEPHash), SellerPublicKey: key,
		AppID: j.AppID, LoginCallbackURL: j.LoginCallbackURL,
		DemoTenantID: fixtures.DemoTenantID, DemoTenantCode: fixtures.DemoTenantCode, DemoDomain: s.DomainURL(),
		DemoClientID: j.ClientID, DemoClientSecret: show(j.ClientSecret, fixtures.DemoClientSecret),
		DemoUser: j.DemoUser, DemoPassword: show(j.DemoPassword, fixtures.DemoPassword),
		UnifiedLoginURL: s.PublicURL() + "/unified-login/portal-login?" + url.Values{"ind": {"UNOP"}, "appId": {j.AppID}}.Encode(),
		WorkbenchURL:    s.PublicURL() + idp.WorkbenchPath + "/",
		CodeTTL:         j.CodeTTL.String(), RotateRefresh: j.RotateRefreshTokens, CASJSONDefault: j.CASJSONDefault,
	}
}
