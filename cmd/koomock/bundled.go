package main

import (
	"net"

	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
)

// bundledSellerNote is what the banner, the settings and the console say when koomock runs the
// bundled reference seller, so a newcomer knows the passing exchanges are not their service's.
const bundledSellerNote = "the bundled reference seller; set --seller-url to test yours"

// listenBundledSeller opens the listener of the bundled reference seller on loopback and points the
// joint settings at it: the demo kit key unless another is set, its login callback, and no seller
// public key (the bundled seller holds the demo private key). The listener comes before koomock,
// which needs the seller's URL; the seller itself is built once koomock listens, because it calls
// koomock back (order query, usage push, login). It returns the seller's base URL.
func listenBundledSeller(joint *mock.JointConfig) (net.Listener, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	base := "http://" + ln.Addr().String()
	if joint.KitKey == "" {
		joint.KitKey = fixtures.DemoKitKey
	}
	joint.LoginCallbackURL = base + seller.CallbackPath
	joint.SellerPublicKeyPEM = nil
	return ln, base, nil
}

// serveBundledSeller prepares `koomock serve` with no --seller-url: cfg's callbacks go to the bundled
// reference seller, as `verify` does, so the first buy shows a passing exchange. A login callback of
// the user's own (--login-callback-url) is kept: it is their web app, not the seller's production
// interface. start serves the seller once koomock listens and returns how to stop it.
func serveBundledSeller(cfg *mock.Config, sf sellerFlags) (start func(*mock.Server) (stop func()), err error) {
	own := cfg.Joint.LoginCallbackURL
	ln, base, err := listenBundledSeller(&cfg.Joint)
	if err != nil {
		return nil, err
	}
	if own != "" {
		cfg.Joint.LoginCallbackURL = own
	}
	cfg.Market.SellerURL, cfg.Market.BundledSeller = base+seller.ProducePath, true
	key := cfg.Market.AccessKey
	if key == "" {
		key = fixtures.DemoAccessKey
	}
	joint := cfg.Joint
	return func(srv *mock.Server) func() {
		return serveReferenceSeller(ln, referenceSellerConfig(key, sf, joint, srv))
	}, nil
}
