package archtest

import (
	"fmt"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/koomock/koomock/mock/mocktest"
)

// route is one route, served (from the router) or documented (from a route map), with its path
// parameters' names dropped ({orderId} and {orderID} are one route).
type route struct {
	Method string // "*" for any method
	Path   string // trailing slash trimmed but for "/"
	Area   bool   // the path and everything under it: a served "/static/*", a documented "/_mock/orders..." or "*"
	Pkg    string // documented only: the package an index line sends the reader to, "(package saas)"
	Where  string // documented only: file and line
}

func (r route) String() string {
	s := r.Method + " " + r.Path
	if r.Area {
		s += "..."
	}
	return s
}

// param is a chi path parameter, with or without a pattern.
var param = regexp.MustCompile(`\{[^}]*\}`)

// normalPath drops parameter names and a trailing slash.
func normalPath(p string) string {
	p = param.ReplaceAllString(p, "{}")
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return p
}

// servedRoutes walks the real server's router. A route served for every method (chi's Handle, as the
// console's static files are) counts as "*".
func servedRoutes(t *testing.T) []route {
	t.Helper()
	srv := mocktest.New(t, mocktest.Options{NoSeller: true, RealClock: true}).Server
	router, ok := srv.Handler().(chi.Routes)
	if !ok {
		t.Fatalf("the server's handler is a %T, not a chi router to walk", srv.Handler())
	}
	methods := map[string][]string{}
	err := chi.Walk(router, func(method, path string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		path = strings.ReplaceAll(path, "/*/", "/") // a mounted sub-router
		methods[path] = append(methods[path], method)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var routes []route
	for path, ms := range methods {
		area := strings.HasSuffix(path, "/*")
		path = normalPath(strings.TrimSuffix(path, "/*"))
		if slices.Contains(ms, http.MethodConnect) && slices.Contains(ms, http.MethodTrace) {
			ms = []string{"*"}
		}
		for _, m := range ms {
			routes = append(routes, route{Method: m, Path: path, Area: area})
		}
	}
	slices.SortFunc(routes, func(a, b route) int { return strings.Compare(a.Path+" "+a.Method, b.Path+" "+b.Method) })
	return routes
}

var (
	// routeLine is a route map's line: a method (or * for any) and one or more paths, then what it is.
	routeLine = regexp.MustCompile(`^\t(GET|HEAD|POST|PUT|PATCH|DELETE|\*)\s+(/.*)$`)
	// mountedUnder is how the paragraph before a route map says where its paths are mounted.
	mountedUnder = regexp.MustCompile(`mounted under (/[^\s),]*)`)
	// packageRef is how an index line names the package whose own route map lists the routes.
	packageRef = regexp.MustCompile(`\(package (\w+)\)`)
)

// routeMaps reads the package comment of mock and of every package under it and returns each
// package's route map by package name. A route map is an indented block of route lines; indented
// lines that are not routes continue the line above. Its paths are absolute unless the paragraph just
// before the block says "mounted under /prefix".
func routeMaps(t *testing.T) map[string][]route {
	t.Helper()
	maps := map[string][]route{}
	root := repoRoot(t)
	fset := token.NewFileSet()
	err := filepath.WalkDir(filepath.Join(root, "mock"), func(file string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(file, ".go") || strings.HasSuffix(file, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, file, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil || f.Doc == nil {
			return err
		}
		rel, _ := filepath.Rel(root, file)
		routes := parseRouteMap(filepath.ToSlash(rel), fset.Position(f.Doc.Pos()).Line, f.Doc.Text())
		maps[f.Name.Name] = append(maps[f.Name.Name], routes...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return maps
}

// parseRouteMap reads the route lines of one package comment, which starts at the given line of file.
func parseRouteMap(file string, first int, text string) []route {
	var routes []route
	prefix, paragraph := "", "" // paragraph: the latest paragraph of prose, which introduces a block
	inBlock, newParagraph := false, true
	lastLine := -1 // the routes from this index on come from the latest route line
	for i, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "\t") {
			switch {
			case line == "":
				newParagraph = true
			case newParagraph || inBlock:
				paragraph, newParagraph = line, false
			default:
				paragraph += " " + line
			}
			inBlock, lastLine = false, -1
			continue
		}
		if !inBlock {
			inBlock, prefix = true, ""
			if m := mountedUnder.FindStringSubmatch(paragraph); m != nil {
				prefix = strings.TrimSuffix(m[1], "/")
			}
		}
		m := routeLine.FindStringSubmatch(line)
		if m == nil { // continues the route line above; it may name the package
			if p := packageRef.FindStringSubmatch(line); p != nil && lastLine >= 0 {
				for j := lastLine; j < len(routes); j++ {
					routes[j].Pkg = p[1]
				}
			}
			continue
		}
		lastLine = len(routes)
		pkg := ""
		if p := packageRef.FindStringSubmatch(m[2]); p != nil {
			pkg = p[1]
		}
		for _, f := range strings.Fields(m[2]) {
			if !strings.HasPrefix(f, "/") {
				break
			}
			f = strings.TrimSuffix(f, ",")
			routes = append(routes, route{Method: m[1], Path: normalPath(prefix + strings.TrimSuffix(f, "...")),
				Area: m[1] == "*" || strings.HasSuffix(f, "..."), Pkg: pkg, Where: fmt.Sprintf("%s:%d", file, first+i)})
		}
	}
	return routes
}

// covers tells whether a documented route (exact, or an area) includes a served one.
func covers(d, s route) bool {
	if d.Method != "*" && s.Method != "*" && d.Method != s.Method {
		return false
	}
	if d.Area {
		return s.Path == d.Path || strings.HasPrefix(s.Path, d.Path+"/") || d.Path == "/"
	}
	return !s.Area && s.Path == d.Path
}

// listsExactly tells whether a flow's route map names a served route itself, by its method and path,
// rather than only inside an area ("/static/..." still lists a served "/static/*").
func listsExactly(d, s route) bool {
	return d.Method != "*" && covers(d, s) && (!d.Area || (s.Area && s.Path == d.Path))
}

// TestRouteMapsMatchTheRouter checks the route maps in package comments (mock's doc.go and each flow's)
// against the real server's router. mock's map is the index: every served route is in it, exactly or
// within an area, and where the index line names a package ("(package saas)"), that package's own map
// lists the route by method and path. The other way round, every route a map documents is served.
func TestRouteMapsMatchTheRouter(t *testing.T) {
	served := servedRoutes(t)
	maps := routeMaps(t)
	index := maps["mock"]
	if len(index) == 0 {
		t.Fatal("mock's package comment has no route map")
	}
	for _, s := range served {
		var in []route
		for _, d := range index {
			if covers(d, s) {
				in = append(in, d)
			}
		}
		if len(in) == 0 {
			t.Errorf("%s is served but not in mock's route map (mock/doc.go)", s)
		}
		for _, d := range in {
			if d.Pkg == "" {
				continue
			}
			own, ok := maps[d.Pkg]
			if !ok {
				t.Errorf("%s: package %s has no route map", d.Where, d.Pkg)
				continue
			}
			if !slices.ContainsFunc(own, func(o route) bool { return listsExactly(o, s) }) {
				t.Errorf("%s is served, and %s sends the reader to package %s, whose route map lacks it", s, d.Where, d.Pkg)
			}
		}
	}
	for _, routes := range maps {
		for _, d := range routes {
			if !slices.ContainsFunc(served, func(s route) bool { return covers(d, s) }) {
				t.Errorf("%s: %s is documented but not served", d.Where, d)
			}
		}
	}
}
