package console

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/feed"
)

// Prefix is where the console is mounted.
const Prefix = "/console"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config configures a Console.
type Config struct {
	// API reaches koomock's control API; every page reads through it, every action is one call of it.
	// Required.
	API *controlapi.Client
	// Feed is the journal's live feed; required.
	Feed *feed.Broadcaster
	// Token is the admin token; when set the console asks for it once and keeps a session.
	Token string
	// IDs makes the CSRF key and session IDs; required.
	IDs *ids.Source
	// Now is real time, for session expiry (never the virtual clock: advancing it must not log anyone
	// out); time.Now when nil.
	Now func() time.Time
	// Logger logs koomock's own failures; discarded when nil.
	Logger *slog.Logger
}

// Console serves the web console. Build it with New.
type Console struct {
	cfg      Config
	pages    []page
	actions  map[string]action
	tmpl     map[string]*template.Template // page name → layout + partials + page
	rows     *template.Template            // the partials, for rows streamed to the live journal
	csrfKey  []byte
	sessions sessions
}

// page is one screen: its route under Prefix, its template (templates/NAME.html, defining "title" and
// "main"), its navigation entry, and the function that loads what it shows.
type page struct {
	pattern string
	name    string
	// title is the navigation label; "" keeps the page out of the navigation.
	title string
	// section is the navigation entry highlighted on the page.
	section string
	load    func(c *Console, r *http.Request) (any, error)
}

// pages lists every page; the navigation follows this order.
func pages() []page {
	return []page{
		{pattern: "/", name: "overview", title: "Overview", section: "overview", load: (*Console).overview},
		{pattern: "/orders", name: "orders", title: "Orders and instances", section: "orders", load: (*Console).orders},
		{pattern: "/orders/{orderID}", name: "order", section: "orders", load: (*Console).order},
		{pattern: "/instances", name: "instances", section: "orders", load: (*Console).instances},
		{pattern: "/instances/{instanceID}", name: "instance", section: "orders", load: (*Console).instance},
		{pattern: "/deliveries", name: "deliveries", section: "orders", load: (*Console).deliveries},
		{pattern: "/journal", name: "journal", title: "Journal", section: "journal", load: (*Console).journal},
		{pattern: "/journal/{id:[0-9]+}", name: "exchange", section: "journal", load: (*Console).exchange},
		{pattern: "/licenses", name: "licenses", title: "License codes", section: "licenses", load: (*Console).licenses},
		{pattern: "/licenses/{code}", name: "license", section: "licenses", load: (*Console).license},
		{pattern: "/assets", name: "assets", title: "Asset centre", section: "assets", load: (*Console).assets},
		{pattern: "/assets/{assetID}", name: "asset", section: "assets", load: (*Console).asset},
		{pattern: "/cases", name: "cases", title: "Debug cases", section: "cases", load: (*Console).cases},
		{pattern: "/cases/{id:[0-9]+}", name: "case", section: "cases", load: (*Console).debugCase},
		{pattern: "/tenants", name: "tenants", title: "Tenants and users", section: "tenants", load: (*Console).tenants},
		{pattern: "/tenants/{tenantID}", name: "tenant", section: "tenants", load: (*Console).tenant},
		{pattern: "/clock", name: "clock", title: "Clock", section: "clock", load: (*Console).clock},
		{pattern: "/faults", name: "faults", title: "Faults", section: "faults", load: (*Console).faults},
	}
}

// New builds the console and parses its templates.
func New(cfg Config) (*Console, error) {
	if cfg.API == nil || cfg.Feed == nil || cfg.IDs == nil {
		return nil, errors.New("console: API, Feed and IDs are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Console{cfg: cfg, pages: pages(), actions: map[string]action{}, tmpl: map[string]*template.Template{},
		csrfKey: []byte(cfg.IDs.Nonce())}
	for _, a := range actions() {
		c.actions[a.name] = a
	}
	base, err := template.New("").Funcs(funcs).Funcs(languageFuncs(nil)).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("console templates: %w", err)
	}
	c.rows = base
	names := []string{"login", "error"}
	for _, p := range c.pages {
		names = append(names, p.name)
	}
	for _, name := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", name, err)
		}
		c.tmpl[name] = t
	}
	return c, nil
}

// Routes returns the console's routes, to be mounted at Prefix.
func (c *Console) Routes() chi.Router {
	r := chi.NewRouter()
	r.Use(securityHeaders)
	static, _ := fs.Sub(staticFS, "static")
	r.Handle("/static/*", http.StripPrefix(Prefix+"/static/", http.FileServerFS(static)))
	r.Group(func(r chi.Router) {
		r.Use(c.checkCSRF)
		r.Get("/login", c.handleLoginPage)
		r.Post("/login", c.handleLogin)
		r.Post("/lang", c.handleLang)
		r.Group(func(r chi.Router) {
			r.Use(c.requireSession)
			for _, p := range c.pages {
				r.Get(p.pattern, c.servePage(p))
			}
			r.Get("/journal/events", c.handleJournalEvents)
			r.Post("/actions/{name}", c.handleAction)
			r.Post("/logout", c.handleLogout)
		})
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		c.renderError(w, r, controlapi.Errorf(controlapi.CodeNotFound, "the console has no page %s", r.URL.Path))
	})
	return r
}

// navItem is one entry of the navigation.
type navItem struct {
	Name, Title, Path string
}

// view is what every template gets: the page's data and what the layout needs.
type view struct {
	Nav      []navItem
	Section  string
	CSRF     string
	LoggedIn bool
	Data     any
	// Lang is the page's language (en, zh-CN), Langs the switch between languages, Here the page's own
	// path, where the switch comes back to.
	Lang  string
	Langs []langChoice
	Here  string
}

func (c *Console) newView(r *http.Request, t *i18n.Printer, section string, data any) view {
	v := view{Section: section, CSRF: c.csrfToken(r), LoggedIn: c.cfg.Token != "" && c.sessionID(r) != "", Data: data,
		Lang: t.Lang(), Langs: choices(t), Here: safeBack(r.URL.RequestURI())}
	for _, p := range c.pages {
		if p.title != "" {
			v.Nav = append(v.Nav, navItem{Name: p.name, Title: t.T("nav." + p.name), Path: Prefix + p.pattern})
		}
	}
	return v
}

func (c *Console) servePage(p page) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		data, err := p.load(c, r)
		if err != nil {
			c.renderError(w, r, err)
			return
		}
		c.render(w, r, http.StatusOK, p.name, p.section, data)
	}
}

// render executes a page into a buffer first, so that a template failure becomes a clean error page
// instead of half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name, section string, data any) {
	var b bytes.Buffer
	t := lang(r)
	tmpl, err := c.tmpl[name].Clone()
	if err == nil {
		err = tmpl.Funcs(languageFuncs(t)).ExecuteTemplate(&b, "layout", c.newView(r, t, section, data))
	}
	if err != nil {
		c.cfg.Logger.Error("console: render", "page", name, "err", err)
		http.Error(w, "koomock failed to render this page; its log has the details", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// errorPage is what the error template shows.
type errorPage struct {
	Status  int
	Message string
	Back    string
}

// renderError shows a control-API error as a page with its status; koomock's own failures are logged
// and shown without their details, as the control API does.
func (c *Console) renderError(w http.ResponseWriter, r *http.Request, err error) {
	var e *controlapi.Error
	if !errors.As(err, &e) {
		// A browser that left mid-request (a closed tab, a live journal reconnecting) is no failure.
		level := slog.LevelError
		if errors.Is(err, context.Canceled) {
			level = slog.LevelDebug
		}
		c.cfg.Logger.Log(r.Context(), level, "console", "path", r.URL.Path, "err", err)
		e = controlapi.Errorf(controlapi.CodeInternal, "koomock failed to handle the request; its log has the details")
	}
	back := safeBack(r.PostFormValue("back"))
	if back == "" {
		back = refererBack(r)
	}
	c.render(w, r, e.Status(), "error", "", errorPage{Status: e.Status(), Message: e.Message, Back: back})
}

// refererBack is the console page a refused form was sent from, so that its error page leads back
// there; the overview when the browser did not say or the page is not the console's.
func refererBack(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host {
		return Prefix + "/"
	}
	if back := safeBack(u.RequestURI()); back != "" {
		return back
	}
	return Prefix + "/"
}

// securityHeaders keeps the browser from running anything but the console's own script and stylesheet,
// from framing the console, and from caching pages that show secrets.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
