// Package console is koomock's web console: KooGallery's seller centre on the seller's laptop.
// Server-rendered HTML from embedded templates, a little plain JavaScript, no build step.
//
// The console holds no state of the marketplace and reaches none directly: every page reads through
// the control API (a controlapi.Client) and every action is one control-API call, so nothing can be
// done only from the console. The one exception is the live journal, which follows the feed that the
// control API's own GET /_mock/events follows.
//
// Routes (mounted under /console, Prefix, by package mock):
//
//	GET  /                    overview: settings, what to paste into the seller, recent exchanges
//	GET  /orders              buy, probe, list orders
//	GET  /orders/{orderID}    an order, its instance and its exchanges
//	GET  /instances           every instance; query the checked ones
//	GET  /instances/{id}      an instance: state, orders, callbacks, history, its lifecycle actions
//	GET  /deliveries          callbacks still retried or given up on, with their attempts; re-send
//	GET  /journal             every exchange, newest first, filterable, live
//	GET  /journal/{id}        one exchange: request, signing, answer, verdicts, curl, replay
//	GET  /journal/events      the live journal as server-sent events of rendered rows
//	GET  /licenses            license codes: buy, make test codes, each code's state and last heartbeat
//	GET  /licenses/{code}     one code: its history, heartbeats from the journal, its lifecycle actions
//	GET  /assets              the asset centre: every asset with its versions and templates; add one
//	GET  /assets/{assetID}    an asset: upload a version (with a progress bar), attach a template,
//	                          delete versions, detach templates
//	GET  /cases               debug cases and the products' dial-test states
//	GET  /cases/{id}          one debug case with its replays
//	GET  /tenants             joint-operation tenants: create one
//	GET  /tenants/{tenantID}  a tenant: its app, departments, users and the kit syncs sent
//	GET  /clock               the clock: switch to virtual time, advance it
//	GET  /faults              the faults flows offer: switch them on and off
//	POST /actions/{name}      one control-API operation (actions.go lists them with their twins)
//	GET  /login               the admin token's form, when one is set
//	POST /login               log in with the admin token
//	POST /logout              end the session
//	POST /lang                the language switch: remember en or zh-CN in a cookie, back to the page
//	GET  /static/...          the stylesheet and script
//
// Language: every page is rendered in the language of the koomock_lang cookie (the switch in the
// header), else the browser's Accept-Language, in English or Chinese (package i18n); templates say
// {{t "key"}} and {{why verdict}}.
//
// Adding a page: a template in templates/, a loader in its own file, one line in pages(). Adding a
// button: one line in actions() naming its control-API twin, and a form in a template.
//
// Safety: html/template escapes everything a seller sends back; the Content-Security-Policy admits
// only the console's own script and stylesheet; every form carries a CSRF token bound to the session;
// with an admin token set, a login is required and the session lives in an HttpOnly, SameSite=Strict
// cookie.
package console
