package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"

	"github.com/koomock/koomock/koomocktc"
)

// downloadPrefix is where koomock serves the packages the deployed-object API hands out
// (assets.DownloadPrefix; a test holds them equal).
const downloadPrefix = "/asset-packages/"

// Download is one package download the relay passed to the container.
type Download struct {
	Path   string
	Status int
	// Bytes is how many bytes of the body reached the container; SHA256 their hash, meaningful when
	// Status is 200 (a whole body, not a range).
	Bytes  int64
	SHA256 string
}

// relay forwards the container's requests to koomock, keeping the Host header, and watches them.
type relay struct {
	srv *http.Server
	ln  net.Listener
	// URL is the relay's address as the container reaches it.
	URL string
	// calls receives a value (without blocking) whenever a request other than a download is done.
	calls chan struct{}

	mu        sync.Mutex
	downloads []Download
}

// startRelay listens where containers reach the host and forwards to target.
func startRelay(ctx context.Context, target string) (*relay, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	ln, err := koomocktc.HostListener(ctx)
	if err != nil {
		return nil, err
	}
	containerURL, err := koomocktc.HostURL("http://" + ln.Addr().String())
	if err != nil {
		ln.Close()
		return nil, err
	}
	r := &relay{ln: ln, URL: containerURL, calls: make(chan struct{}, 1)}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			pr.Out.Host = pr.In.Host // open-API signatures cover the Host the client signed
		},
		ModifyResponse: func(resp *http.Response) error {
			if strings.HasPrefix(resp.Request.URL.Path, downloadPrefix) {
				resp.Body = &watched{ReadCloser: resp.Body, h: sha256.New(), done: func(n int64, sum string) {
					r.mu.Lock()
					r.downloads = append(r.downloads, Download{Path: resp.Request.URL.Path, Status: resp.StatusCode, Bytes: n, SHA256: sum})
					r.mu.Unlock()
				}}
			}
			return nil
		},
	}
	r.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		proxy.ServeHTTP(w, req)
		select {
		case r.calls <- struct{}{}:
		default:
		}
	})}
	go r.srv.Serve(ln)
	return r, nil
}

// Downloads returns the downloads so far.
func (r *relay) Downloads() []Download {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Download(nil), r.downloads...)
}

// Close stops the relay.
func (r *relay) Close() error { return r.srv.Close() }

// watched hashes a body as it is read and reports once it is closed.
type watched struct {
	io.ReadCloser
	h    hash.Hash
	n    int64
	done func(n int64, sum string)
	once sync.Once
}

func (w *watched) Read(p []byte) (int, error) {
	n, err := w.ReadCloser.Read(p)
	w.h.Write(p[:n])
	w.n += int64(n)
	return n, err
}

func (w *watched) Close() error {
	err := w.ReadCloser.Close()
	w.once.Do(func() { w.done(w.n, hex.EncodeToString(w.h.Sum(nil))) })
	return err
}
