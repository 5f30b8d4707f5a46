package kit

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// Routes returns the tenant routes of the control API, to be mounted at /_mock/tenants.
func (k *Kit) Routes() chi.Router {
	r := chi.NewRouter()
	r.Post("/", k.handleCreate)
	r.Get("/", k.handleList)
	r.Route("/{id}", func(r chi.Router) {
		r.Get("/", k.handleGet)
		r.Patch("/", k.handleRename)
		r.Delete("/", k.handleDelete)
		r.Put("/app", k.handleUpdateApp)
		r.Delete("/app", func(w http.ResponseWriter, r *http.Request) { k.answer(w, r, k.DeleteApp) })
		r.Post("/users", k.handleAuthorize)
		r.Put("/users/{name}", k.handleUpdateUser)
		r.Delete("/users/{name}", func(w http.ResponseWriter, r *http.Request) {
			k.answer(w, r, func(ctx context.Context, id string) (controlapi.KitResult, error) {
				return k.DeleteUser(ctx, id, chi.URLParam(r, "name"))
			})
		})
		r.Post("/users/{name}/deauthorize", func(w http.ResponseWriter, r *http.Request) {
			k.answer(w, r, func(ctx context.Context, id string) (controlapi.KitResult, error) {
				return k.DeauthorizeUser(ctx, id, chi.URLParam(r, "name"))
			})
		})
		r.Put("/orgs/{code}", k.handlePutOrg)
		r.Delete("/orgs/{code}", func(w http.ResponseWriter, r *http.Request) {
			k.answer(w, r, func(ctx context.Context, id string) (controlapi.KitResult, error) {
				return k.DeleteOrg(ctx, id, chi.URLParam(r, "code"))
			})
		})
		r.Post("/resync", func(w http.ResponseWriter, r *http.Request) { k.answer(w, r, k.Resync) })
		r.Post("/probes", k.handleProbe)
		r.Post("/clock/advance", k.handleAdvance)
	})
	return r
}

func (k *Kit) fail(w http.ResponseWriter, err error) { controlapi.WriteError(w, k.Logger, err) }

// answer runs a change of the tenant named in the path and writes its result.
func (k *Kit) answer(w http.ResponseWriter, r *http.Request, change func(context.Context, string) (controlapi.KitResult, error)) {
	res, err := change(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		k.fail(w, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, res)
}

func (k *Kit) handleCreate(w http.ResponseWriter, r *http.Request) {
	var req controlapi.TenantRequest
	if err := controlapi.Decode(r, &req); err != nil {
		k.fail(w, err)
		return
	}
	res, err := k.CreateTenant(r.Context(), req)
	if err != nil {
		k.fail(w, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusCreated, res)
}

func (k *Kit) handleList(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			k.fail(w, controlapi.Errorf(controlapi.CodeInvalid, "limit must be 1 to 1000"))
			return
		}
		limit = n
	}
	list, err := k.Store.Tenants(r.Context(), limit)
	if err != nil {
		k.fail(w, err)
		return
	}
	if list == nil {
		list = []koomock.Tenant{}
	}
	for i := range list {
		list[i].DomainName = k.Domain(list[i].Code)
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.TenantList{Tenants: list})
}

func (k *Kit) handleGet(w http.ResponseWriter, r *http.Request) {
	st, err := k.Tenant(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		k.fail(w, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, st)
}

func (k *Kit) handleRename(w http.ResponseWriter, r *http.Request) {
	var req controlapi.TenantPatch
	if err := controlapi.Decode(r, &req); err != nil {
		k.fail(w, err)
		return
	}
	k.answer(w, r, func(ctx context.Context, id string) (controlapi.KitResult, error) { return k.Rename(ctx, id, req.Name) })
}

func (k *Kit) handleDelete(w http.ResponseWriter, r *http.Request) { k.answer(w, r, k.Delete) }

func (k *Kit) handleUpdateApp(w http.ResponseWriter, r *http.Request) {
	var req controlapi.AppRequest
	if err := controlapi.Decode(r, &req); err != nil {
		k.fail(w, err)
		return
	}
	k.answer(w, r, func(ctx context.Context, id string) (controlapi.KitResult, error) { return k.UpdateApp(ctx, id, req) })
}

func (k *Kit) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	var req controlapi.UsersRequest
	if err := controlapi.Decode(r, &req); err != nil {
		k.fail(w, err)
		return
	}
	k.answer(w, r, func(ctx context.Context, id string) (controlapi.KitResult, error) {
		return k.AuthorizeUsers(ctx, id, req.Users)
	})
}

func (k *Kit) handleUpdateUser(w http.ResponseWriter, r *http.Request) {
	var u koomock.User
	if err := controlapi.Decode(r, &u); err != nil {
		k.fail(w, err)
		return
	}
	u.UserName = chi.URLParam(r, "name")
	k.answer(w, r, func(ctx context.Context, id string) (controlapi.KitResult, error) { return k.UpdateUser(ctx, id, u) })
}

func (k *Kit) handlePutOrg(w http.ResponseWriter, r *http.Request) {
	var o koomock.Org
	if err := controlapi.Decode(r, &o); err != nil {
		k.fail(w, err)
		return
	}
	o.Code = chi.URLParam(r, "code")
	k.answer(w, r, func(ctx context.Context, id string) (controlapi.KitResult, error) { return k.PutOrg(ctx, id, o) })
}

func (k *Kit) handleProbe(w http.ResponseWriter, r *http.Request) {
	var req controlapi.KitProbeRequest
	if err := controlapi.Decode(r, &req); err != nil {
		k.fail(w, err)
		return
	}
	e, err := k.Probe(r.Context(), chi.URLParam(r, "id"), req)
	if err != nil {
		k.fail(w, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, controlapi.ExchangeResult{Exchange: e})
}

func (k *Kit) handleAdvance(w http.ResponseWriter, r *http.Request) {
	var req controlapi.AdvanceRequest
	if err := controlapi.Decode(r, &req); err != nil {
		k.fail(w, err)
		return
	}
	st, err := k.AdvanceClock(r.Context(), chi.URLParam(r, "id"), req.By)
	if err != nil {
		k.fail(w, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, st)
}
