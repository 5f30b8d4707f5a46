package koomocktc

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// HostGateway is the name by which koomock's container reaches the host: Run maps it to Docker's
// host-gateway (--add-host=host.docker.internal:host-gateway).
const HostGateway = "host.docker.internal"

// HostURL returns the URL by which koomock's container reaches a server on this host, given the URL
// the server has here: http://127.0.0.1:34567/produce becomes http://host.docker.internal:34567/produce.
// The server must listen where that name arrives; see HostListener.
func HostURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Port() == "" {
		return "", fmt.Errorf("koomocktc: %q is not an http:// or https:// URL with a port", raw)
	}
	u.Host = net.JoinHostPort(HostGateway, u.Port())
	return u.String(), nil
}

// HostListener listens on a free port of this host where koomock's container reaches it as
// HostGateway: on Linux the host's address on Docker's default bridge (docker0), which is what
// host-gateway resolves to, so the server is not open to the rest of the network as it would be on
// 0.0.0.0; on loopback where that address is not on this host (Docker Desktop runs the engine in a
// VM and forwards host.docker.internal to the host's loopback). The test process reaches the server
// at the listener's address, the container at HostURL of it.
func HostListener(ctx context.Context) (net.Listener, error) {
	gateway, err := bridgeAddress(ctx)
	if err != nil {
		return nil, err
	}
	if gateway != "" {
		if ln, err := net.Listen("tcp", net.JoinHostPort(gateway, "0")); err == nil {
			return ln, nil
		}
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// bridgeAddress returns the host's IPv4 address on Docker's default bridge network, or "" when that
// bridge is not on this host. The bridge's interface says it best: the default network often lists
// no gateway in its IPAM configuration.
func bridgeAddress(ctx context.Context) (string, error) {
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return "", fmt.Errorf("koomocktc: reach the Docker engine: %w", err)
	}
	defer p.Close()
	res, err := p.Client().NetworkInspect(ctx, "bridge", client.NetworkInspectOptions{})
	if err != nil {
		return "", fmt.Errorf("koomocktc: inspect Docker's default bridge: %w", err)
	}
	if ifc, err := net.InterfaceByName(res.Network.Options["com.docker.network.bridge.name"]); err == nil {
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
				return n.IP.String(), nil
			}
		}
	}
	for _, c := range res.Network.IPAM.Config {
		if c.Gateway.IsValid() {
			return c.Gateway.String(), nil
		}
	}
	return "", nil
}

// publishedHost returns the host by which this process reaches the ports Run publishes, or "" to
// ask testcontainers (an explicit TESTCONTAINERS_HOST_OVERRIDE, or an engine over TCP, whose URL
// names its host). Run publishes on the engine's loopback only, so with the engine on a local socket
// the ports are on this machine's localhost. testcontainers would take a /.dockerenv file (CI
// runners, devcontainers) as a sign that the tests run in a container beside the engine, and dial
// the default gateway, where nothing of Run's is published; a test in a sibling container cannot
// reach a loopback port at all, so localhost is the only host that can be right.
func publishedHost(p *testcontainers.DockerProvider) string {
	if _, ok := os.LookupEnv("TESTCONTAINERS_HOST_OVERRIDE"); ok {
		return ""
	}
	u, err := url.Parse(p.Client().DaemonHost())
	if err != nil || (u.Scheme != "unix" && u.Scheme != "npipe") {
		return ""
	}
	return "localhost"
}

// onHost is a wait strategy that dials the target on a given host instead of the one
// testcontainers would pick; see publishedHost.
type onHost struct {
	wait.Strategy
	host string
}

// WaitUntilReady runs the strategy against the target as seen on the host.
func (s onHost) WaitUntilReady(ctx context.Context, target wait.StrategyTarget) error {
	return s.Strategy.WaitUntilReady(ctx, hostTarget{target, s.host})
}

// hostTarget is a wait target whose host is fixed.
type hostTarget struct {
	wait.StrategyTarget
	host string
}

// Host returns the fixed host.
func (t hostTarget) Host(context.Context) (string, error) { return t.host, nil }
