package koomocktc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/ids"
)

const (
	// DefaultImage is the image Run starts when the engine has it: what `make docker-build` tags.
	// Without it (and without WithImage), Run builds the image from the koomock module it was
	// compiled from, once per code version, and tags it BuiltImageRepo:tc-HASH.
	DefaultImage = "koomock:latest"
	// Port is the port koomock listens on inside the container.
	Port = "8080/tcp"
	// StartupTimeout bounds how long Run waits for /healthz. koomock answers within a second of
	// starting; the rest is for a loaded CI machine.
	StartupTimeout = 60 * time.Second
	// pollInterval is how often Run asks /healthz while waiting: short, because starting is fast and
	// the poll interval is added to every test's start-up.
	pollInterval = 25 * time.Millisecond
)

// Container is koomock running in a container.
type Container struct {
	*testcontainers.DockerContainer
	// URL is koomock's base URL from the test process, e.g. http://localhost:32771.
	URL string
	// PublicURL is the base URL koomock hands out (tenant domainName, login redirects).
	PublicURL string
	// SellerURL is where koomock sends callbacks, as the container sees it; empty when not set.
	SellerURL string
	// AccessKey signs the basic-interface callbacks; the seller verifies with the same key. By
	// default koomock's public demo key (fixtures.DemoAccessKey).
	AccessKey string
	// AK and SK sign the seller's calls to KooGallery's open APIs (order query, usage push, license
	// APIs); by default koomock's public demo pair (fixtures.DemoAK, fixtures.DemoSK).
	AK, SK string
	// AdminToken authorises calls to the control API (/_mock/...). Run makes a fresh one unless
	// WithAdminToken gives one.
	AdminToken string
}

// Client returns a control API client for the container, carrying the admin token.
func (c *Container) Client() *controlapi.Client {
	return &controlapi.Client{BaseURL: c.URL, Token: c.AdminToken}
}

// settings are what Run's own options set.
type settings struct {
	image      string
	sellerURL  string
	publicURL  string
	accessKey  string
	ak, sk     string
	adminToken string
}

// Option configures Run. It is a testcontainers.ContainerCustomizer, so Run takes koomock's options
// and testcontainers' own (networks, log consumers, extra environment) in one list.
type Option func(*settings) error

// Customize does nothing: Run applies Options before testcontainers' own customizers.
func (o Option) Customize(*testcontainers.GenericContainerRequest) error { return nil }

// WithImage starts the given image instead of DefaultImage or the one Run builds; testcontainers
// pulls it when the engine does not have it.
func WithImage(name string) Option {
	return func(s *settings) error {
		if name == "" {
			return errors.New("koomocktc: empty image name")
		}
		s.image = name
		return nil
	}
}

// WithSellerURL sets the seller's production interface URL, as the container reaches it: see
// HostURL for a seller on the host, or a network alias for a seller in a container. Without it, the
// container sends its callbacks to koomock's bundled reference seller, run inside it.
func WithSellerURL(u string) Option {
	return func(s *settings) error {
		if err := checkURL("seller URL", u); err != nil {
			return err
		}
		s.sellerURL = u
		return nil
	}
}

// WithPublicURL sets the base URL koomock hands out (tenant domainName, login redirects): the URL
// the seller reaches koomock by, e.g. http://koomock:8080 on a shared network. By default Run maps
// koomock to a fixed loopback port and uses http://localhost:PORT, which the host reaches.
func WithPublicURL(u string) Option {
	return func(s *settings) error {
		if err := checkURL("public URL", u); err != nil {
			return err
		}
		s.publicURL = u
		return nil
	}
}

// WithAccessKey sets the key koomock signs the basic-interface callbacks with.
func WithAccessKey(key string) Option {
	return func(s *settings) error {
		if key == "" {
			return errors.New("koomocktc: empty access key")
		}
		s.accessKey = key
		return nil
	}
}

// WithAKSK sets the access key ID and secret key the seller signs its open-API calls with.
func WithAKSK(ak, sk string) Option {
	return func(s *settings) error {
		if ak == "" || sk == "" {
			return errors.New("koomocktc: empty AK or SK")
		}
		s.ak, s.sk = ak, sk
		return nil
	}
}

// WithAdminToken sets the control API's admin token instead of a fresh random one.
func WithAdminToken(token string) Option {
	return func(s *settings) error {
		if token == "" {
			return errors.New("koomocktc: empty admin token")
		}
		s.adminToken = token
		return nil
	}
}

func checkURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("koomocktc: %s %q is not an absolute http:// or https:// URL", what, raw)
	}
	return nil
}

// Run starts koomock in a container and waits until it answers /healthz. Register
// testcontainers.CleanupContainer(t, ctr) before checking the error: Run can return a container
// together with an error.
//
// The image is WithImage's, or DefaultImage when the engine has it, or else one Run builds from the
// koomock module it was compiled from (see DefaultImage): the first Run of a process may take the
// time of a go build and a docker build, the ones after it none.
func Run(ctx context.Context, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	s := settings{accessKey: fixtures.DemoAccessKey, ak: fixtures.DemoAK, sk: fixtures.DemoSK}
	for _, opt := range opts {
		if o, ok := opt.(Option); ok {
			if err := o(&s); err != nil {
				return nil, err
			}
		}
	}
	if s.adminToken == "" {
		s.adminToken = ids.New(nil).Token(24)
	}
	// The port is published on loopback only: the control API drives callbacks at any URL and is not
	// for the network. The public URL must be known before koomock starts, so without one Run picks
	// the host port itself instead of letting Docker pick.
	binding := network.PortBinding{HostIP: netip.MustParseAddr("127.0.0.1")}
	if s.publicURL == "" {
		port, err := freeLoopbackPort()
		if err != nil {
			return nil, fmt.Errorf("koomocktc: pick a host port: %w", err)
		}
		binding.HostPort = strconv.Itoa(port)
		s.publicURL = "http://localhost:" + strconv.Itoa(port)
	}
	env := map[string]string{
		"KOOMOCK_PUBLIC_URL":  s.publicURL,
		"KOOMOCK_ACCESS_KEY":  s.accessKey,
		"KOOMOCK_AK":          s.ak,
		"KOOMOCK_SK":          s.sk,
		"KOOMOCK_ADMIN_TOKEN": s.adminToken,
	}
	if s.sellerURL != "" {
		env["KOOMOCK_SELLER_URL"] = s.sellerURL
	}
	port, err := network.ParsePort(Port)
	if err != nil {
		return nil, err
	}
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return nil, fmt.Errorf("koomocktc: reach the Docker engine: %w", err)
	}
	defer p.Close()
	if s.image == "" {
		if s.image, err = resolveImage(ctx, p); err != nil {
			return nil, err
		}
	}
	host := publishedHost(p)
	var health wait.Strategy = wait.ForHTTP("/healthz").WithPort(Port).WithStartupTimeout(StartupTimeout).WithPollInterval(pollInterval)
	if host != "" {
		health = onHost{health, host}
	}
	customizers := append([]testcontainers.ContainerCustomizer{
		testcontainers.WithExposedPorts(Port),
		testcontainers.WithEnv(env),
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			// Docker resolves host-gateway to the host's address on the default bridge (on Linux
			// the docker0 address; Docker Desktop maps it to the host).
			hc.ExtraHosts = append(hc.ExtraHosts, HostGateway+":host-gateway")
			if hc.PortBindings == nil {
				hc.PortBindings = network.PortMap{}
			}
			hc.PortBindings[port] = []network.PortBinding{binding}
		}),
		testcontainers.WithWaitStrategy(health),
	}, opts...)

	ctr, err := testcontainers.Run(ctx, s.image, customizers...)
	var c *Container
	if ctr != nil {
		c = &Container{DockerContainer: ctr, PublicURL: s.publicURL, SellerURL: s.sellerURL, AccessKey: s.accessKey, AK: s.ak, SK: s.sk, AdminToken: s.adminToken}
	}
	if err != nil {
		return c, fmt.Errorf("koomocktc: start %s: %w", s.image, err)
	}
	if host == "" {
		if host, err = ctr.Host(ctx); err != nil {
			return c, fmt.Errorf("koomocktc: container host: %w", err)
		}
	}
	mapped, err := ctr.MappedPort(ctx, Port)
	if err != nil {
		return c, fmt.Errorf("koomocktc: mapped port: %w", err)
	}
	c.URL = "http://" + net.JoinHostPort(host, mapped.Port())
	return c, nil
}

// freeLoopbackPort asks the kernel for a free port on loopback and releases it for Docker to bind.
// Another process could take it in between; Docker then fails to start the container with "port is
// already allocated", which Run reports.
func freeLoopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
