package openapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// MarketplaceFile is the name of the document of the APIs koomock serves.
const MarketplaceFile = "marketplace.yaml"

// ErrNoOperation is returned when no operation of the document matches a request's method and path.
var ErrNoOperation = errors.New("no operation in the document matches the request")

// routerFor builds, once, the router over the document's paths. Servers are cleared so that requests
// match whatever host koomock is reached by (kin-openapi#356).
func (s *Spec) routerFor() (routers.Router, error) {
	s.routerOnce.Do(func() {
		doc := *s.doc
		doc.Servers = nil
		s.router, s.routerErr = gorillamux.NewRouter(&doc)
	})
	return s.router, s.routerErr
}

// requestOptions are the validator's options for every request (it only reads them).
var requestOptions = &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}

// maxCachedRoutes bounds the route cache: paths with parameters (an order ID) are each one entry.
const maxCachedRoutes = 4096

// cachedRoute is what the router found for one method and path.
type cachedRoute struct {
	route  *routers.Route
	params map[string]string
}

// findRoute is the router's FindRoute, remembered per method and path: the router depends on nothing
// else (servers are cleared), and matching every path's pattern in turn shows in the hot path.
func (s *Spec) findRoute(router routers.Router, r *http.Request) (*routers.Route, map[string]string, error) {
	key := r.Method + " " + r.URL.Path
	if v, ok := s.routes.Load(key); ok {
		c := v.(cachedRoute)
		return c.route, maps.Clone(c.params), nil
	}
	found, params, err := router.FindRoute(r)
	if err != nil {
		return nil, nil, err
	}
	// Security requirements are met by construction (requestOptions authenticates nothing: the
	// gateway emulation does, in its own format); checking them only read the body once more.
	route := *found
	if found.Operation != nil {
		op := *found.Operation
		op.Security = &openapi3.SecurityRequirements{}
		route.Operation = &op
	}
	if s.cachedRoutes.Load() < maxCachedRoutes {
		if _, loaded := s.routes.LoadOrStore(key, cachedRoute{&route, maps.Clone(params)}); !loaded {
			s.cachedRoutes.Add(1)
		}
	}
	return &route, params, nil
}

// routing holds the router state of a Spec.
type routing struct {
	routerOnce   sync.Once
	routes       sync.Map // method and path to cachedRoute
	cachedRoutes atomic.Int64
	router       routers.Router
	routerErr    error
}

// CheckHTTPRequest validates an incoming request, whose body has already been read into body,
// against the operation its method and path match. Authentication is not checked here: koomock's API
// Gateway emulation does that with its own error format.
func (s *Spec) CheckHTTPRequest(ctx context.Context, r *http.Request, body []byte) ([]Violation, error) {
	router, err := s.routerFor()
	if err != nil {
		return nil, fmt.Errorf("build router: %w", err)
	}
	// A shallow copy with a body of its own: the validator reads headers and replaces the body, and
	// a deep copy of every header per request shows in the hot path.
	clone := r.WithContext(ctx)
	clone.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := s.findRoute(router, clone)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s", ErrNoOperation, r.Method, r.URL.Path)
	}
	in := &openapi3filter.RequestValidationInput{Request: clone, PathParams: params, Route: route, Options: requestOptions}
	err = openapi3filter.ValidateRequest(ctx, in)
	if err == nil {
		return nil, nil
	}
	var out []Violation
	collectRequest(err, &out)
	return out, nil
}

// collectRequest flattens kin-openapi's request errors. It switches on the concrete error rather than
// using errors.As, because a RequestError wraps a MultiError of schema errors and errors.As would find
// the inner ones first, losing which parameter they are about.
func collectRequest(err error, out *[]Violation) {
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, inner := range e {
			collectRequest(inner, out)
		}
	case *openapi3filter.RequestError:
		switch {
		case e.Parameter != nil:
			*out = append(*out, Violation{In: e.Parameter.In, Pointer: "/" + e.Parameter.Name, Message: requestReason(e)})
		case e.Err != nil:
			var inner []Violation
			collect(e.Err, &inner)
			for _, v := range inner {
				v.In = "body"
				*out = append(*out, v)
			}
		default:
			*out = append(*out, Violation{In: "body", Message: requestReason(e)})
		}
	case *openapi3.SchemaError:
		*out = append(*out, Violation{In: "body", Pointer: pointer(e.JSONPointer()), Message: schemaMessage(e)})
	case *openapi3filter.SecurityRequirementsError:
		*out = append(*out, Violation{In: "header", Message: "security requirements not met"})
	default:
		*out = append(*out, Violation{Message: err.Error()})
	}
}

// requestReason is kin-openapi's reason without its dump of the schema.
func requestReason(re *openapi3filter.RequestError) string {
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		return schemaMessage(se)
	}
	if re.Err != nil && re.Reason == "" {
		return re.Err.Error()
	}
	return re.Reason
}

// Operations lists the document's operations as "METHOD /path" (path templates as written, with
// {param} segments), for checking a router against the document.
func (s *Spec) Operations() []string {
	var out []string
	for path, item := range s.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	return out
}
