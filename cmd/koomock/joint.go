package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/protocol"
)

// jointFlags are the joint-operation (联营) flags serve and verify share.
type jointFlags struct {
	kitKey string
	// kitInnerHMAC signs kit syncs with the docs' inner-HMAC reading (spec saas-v2 §2.3: the official
	// sample has none, so it is off by default).
	kitInnerHMAC     bool
	sellerPublicKey  string
	oaepHash         string
	appID            string
	loginCallbackURL string
}

func (j *jointFlags) register(fs *flagSet, kitDefault string) {
	j.registerKit(fs, kitDefault)
	fs.StringVar(&j.loginCallbackURL, "login-callback-url", "", "the `URL` registered as the app's OAuth callback and CAS service")
}

// registerKit adds the flags that say how kit syncs are signed and what applicationSync encrypts
// with: all `koomock fire` needs of them.
func (j *jointFlags) registerKit(fs *flagSet, kitDefault string) {
	fs.StringVar(&j.kitKey, "kit-key", "", "the access `key` bound to the kit interfaces, which signs the kit syncs"+kitDefault)
	fs.BoolVar(&j.kitInnerHMAC, "kit-inner-hmac", false, "sign kit syncs over lowerhex(HMAC(body)) instead of the body itself (the docs' reading; Huawei's sample has no inner HMAC)")
	fs.StringVar(&j.sellerPublicKey, "seller-public-key", "", "PEM `file` of the seller's RSA public key (≥ 3072 bits) that encrypts applicationSync's clientSecret (default: koomock's demo key pair)")
	fs.StringVar(&j.oaepHash, "oaep-hash", "", "OAEP `digest` of the clientSecret encryption: sha256 (default), sha1 (Java RSA/ECB/OAEPPadding) or sha256-mgf1-sha1 (Java OAEPWithSHA-256AndMGF1Padding)")
	fs.StringVar(&j.appID, "app-id", "", "the app credential's `ID` the unified login page is opened for (default: koomock's demo app)")
}

// config turns the flags into koomock's joint settings.
func (j *jointFlags) config() (mock.JointConfig, error) {
	c := mock.JointConfig{KitKey: j.kitKey, KitInnerHMAC: j.kitInnerHMAC, AppID: j.appID, LoginCallbackURL: j.loginCallbackURL}
	h, err := protocol.ParseOAEPHash(j.oaepHash)
	if err != nil {
		return c, err
	}
	c.OAEPHash = h
	if j.sellerPublicKey != "" {
		pem, err := os.ReadFile(j.sellerPublicKey)
		if err != nil {
			return c, fmt.Errorf("--seller-public-key: %w", err)
		}
		if _, err := protocol.ParseRSAPublicKeyPEM(pem); err != nil {
			return c, fmt.Errorf("--seller-public-key %s: %w", j.sellerPublicKey, err)
		}
		c.SellerPublicKeyPEM = pem
	}
	return c, nil
}

// demoFlags are serve's settings of the demo tenant, so a seller logs in without any setup.
type demoFlags struct {
	clientID, clientSecret   string
	demoUser, demoPassword   string
	codeTTL                  durationValue
	rotateRefresh, casJSONOn bool
}

func (d *demoFlags) register(fs *flagSet) {
	fs.StringVar(&d.clientID, "client-id", "", "the demo tenant's OAuth client `ID` (default "+fixtures.DemoClientID+")")
	fs.StringVar(&d.clientSecret, "client-secret", "", "the demo tenant's OAuth client `secret` (default "+fixtures.DemoClientSecret+")")
	fs.StringVar(&d.demoUser, "demo-user", "", "the demo user's `account` on the login page (default "+fixtures.DemoUser+")")
	fs.StringVar(&d.demoPassword, "demo-password", "", "the demo user's `password` (default "+fixtures.DemoPassword+")")
	fs.Var(&d.codeTTL, "code-ttl", "lifetime of OAuth authorization codes and CAS service tickets (default 5m)")
	fs.BoolVar(&d.rotateRefresh, "rotate-refresh-tokens", false, "issue a new refresh token on every refresh and revoke the old one (the docs leave it open; by default the same refresh token lives its 30 days)")
	fs.BoolVar(&d.casJSONOn, "cas-json-default", false, "answer CAS validation in JSON unless format=XML (KooGallery's page says JSON is the default; the CAS protocol says XML)")
}

func (d *demoFlags) apply(c *mock.JointConfig) error {
	if (d.clientID == "") != (d.clientSecret == "") {
		return errors.New("--client-id and --client-secret go together")
	}
	c.ClientID, c.ClientSecret = d.clientID, d.clientSecret
	c.DemoUser, c.DemoPassword = d.demoUser, d.demoPassword
	c.CodeTTL, c.RotateRefreshTokens, c.CASJSONDefault = time.Duration(d.codeTTL), d.rotateRefresh, d.casJSONOn
	return nil
}

// jointBanner is what a joint-operation seller pastes into its web app: the demo tenant's domain,
// client and user. The demo values are public and printed in full; a user's own secret is masked.
func jointBanner(t *i18n.Printer, srv *mock.Server, c mock.JointConfig) []string {
	secret := fixtures.DemoClientSecret
	if c.ClientSecret != "" && c.ClientSecret != fixtures.DemoClientSecret {
		secret = protocol.MaskSecret(c.ClientSecret) + "   " + t.T("banner.yours")
	}
	password := fixtures.DemoPassword
	if c.DemoPassword != "" && c.DemoPassword != fixtures.DemoPassword {
		password = protocol.MaskSecret(c.DemoPassword) + "   " + t.T("banner.yours")
	}
	kit := fixtures.DemoKitKey + "   " + t.T("banner.demoKitKey")
	if c.KitKey != fixtures.DemoKitKey {
		kit = protocol.MaskSecret(c.KitKey) + "   " + t.T("banner.yours")
	}
	callback := c.LoginCallbackURL
	if callback == "" {
		callback = t.T("banner.noCallback")
	}
	or := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}
	appID := or(c.AppID, fixtures.DemoAppID)
	domain := srv.DomainURL()
	lines := []string{
		row(t, "banner.kitKey", kit),
		row(t, "banner.domain", domain+"   "+t.T("banner.domainNote", domain+"/t/CODE")),
	}
	// KooGallery's domains are https://; with HTTP only, koomock's are not, and the seller should know.
	if !strings.HasPrefix(domain, "https://") {
		lines = append(lines, more(t.T("banner.httpOnly")))
	}
	return append(lines,
		row(t, "banner.unifiedLogin", srv.PublicURL()+"/unified-login/portal-login?ind=UNOP&appId="+appID),
		row(t, "banner.workbench", srv.PublicURL()+"/workbench/   "+t.T("banner.workbenchNote")),
		row(t, "banner.clientID", or(c.ClientID, fixtures.DemoClientID)),
		row(t, "banner.clientSecret", secret),
		row(t, "banner.loginCallback", callback),
		row(t, "banner.demoUser", or(c.DemoUser, fixtures.DemoUser)+" / "+password+"   "+t.T("banner.tenant", fixtures.DemoTenantID)),
	)
}
