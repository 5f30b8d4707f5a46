package kit

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// routes are the tenant routes of the control API, mounted at /_mock/tenants.
func (k *Kit) routes() chi.Router {
	r := chi.NewRouter()
	r.Post("/", controlapi.Handle(k.Logger, http.StatusCreated, func(r *http.Request, req controlapi.TenantRequest) (controlapi.KitResult, error) {
		return k.CreateTenant(r.Context(), req)
	}))
	r.Get("/", controlapi.Handle(k.Logger, http.StatusOK, k.list))
	r.Route("/{id}", func(r chi.Router) {
		r.Get("/", controlapi.Handle(k.Logger, http.StatusOK, func(r *http.Request, _ controlapi.NoBody) (controlapi.TenantState, error) {
			return k.Tenant(r.Context(), chi.URLParam(r, "id"))
		}))
		r.Patch("/", change(k, func(ctx context.Context, id string, _ *http.Request, req controlapi.TenantPatch) (controlapi.KitResult, error) {
			return k.Rename(ctx, id, req.Name)
		}))
		r.Delete("/", change(k, func(ctx context.Context, id string, _ *http.Request, _ controlapi.NoBody) (controlapi.KitResult, error) {
			return k.Delete(ctx, id)
		}))
		r.Put("/app", change(k, func(ctx context.Context, id string, _ *http.Request, req controlapi.AppRequest) (controlapi.KitResult, error) {
			return k.UpdateApp(ctx, id, req)
		}))
		r.Delete("/app", change(k, func(ctx context.Context, id string, _ *http.Request, _ controlapi.NoBody) (controlapi.KitResult, error) {
			return k.DeleteApp(ctx, id)
		}))
		r.Post("/users", change(k, func(ctx context.Context, id string, _ *http.Request, req controlapi.UsersRequest) (controlapi.KitResult, error) {
			return k.AuthorizeUsers(ctx, id, req.Users)
		}))
		r.Put("/users/{name}", change(k, func(ctx context.Context, id string, r *http.Request, u koomock.User) (controlapi.KitResult, error) {
			u.UserName = chi.URLParam(r, "name")
			return k.UpdateUser(ctx, id, u)
		}))
		r.Delete("/users/{name}", change(k, func(ctx context.Context, id string, r *http.Request, _ controlapi.NoBody) (controlapi.KitResult, error) {
			return k.DeleteUser(ctx, id, chi.URLParam(r, "name"))
		}))
		r.Post("/users/{name}/deauthorize", change(k, func(ctx context.Context, id string, r *http.Request, _ controlapi.NoBody) (controlapi.KitResult, error) {
			return k.DeauthorizeUser(ctx, id, chi.URLParam(r, "name"))
		}))
		r.Put("/orgs/{code}", change(k, func(ctx context.Context, id string, r *http.Request, o koomock.Org) (controlapi.KitResult, error) {
			o.Code = chi.URLParam(r, "code")
			return k.PutOrg(ctx, id, o)
		}))
		r.Delete("/orgs/{code}", change(k, func(ctx context.Context, id string, r *http.Request, _ controlapi.NoBody) (controlapi.KitResult, error) {
			return k.DeleteOrg(ctx, id, chi.URLParam(r, "code"))
		}))
		r.Post("/resync", change(k, func(ctx context.Context, id string, _ *http.Request, _ controlapi.NoBody) (controlapi.KitResult, error) {
			return k.Resync(ctx, id)
		}))
		r.Post("/probes", controlapi.Handle(k.Logger, http.StatusOK, func(r *http.Request, req controlapi.KitProbeRequest) (controlapi.ExchangeResult, error) {
			e, err := k.Probe(r.Context(), chi.URLParam(r, "id"), req)
			return controlapi.ExchangeResult{Exchange: e}, err
		}))
		r.Post("/clock/advance", controlapi.Handle(k.Logger, http.StatusOK, func(r *http.Request, req controlapi.AdvanceRequest) (controlapi.TenantState, error) {
			return k.AdvanceClock(r.Context(), chi.URLParam(r, "id"), req.By)
		}))
	})
	return r
}

// change is a control route that changes the tenant named in the path: fn gets the tenant's ID, the
// request (for the other path parameters) and the decoded body.
func change[Req any](k *Kit, fn func(ctx context.Context, id string, r *http.Request, req Req) (controlapi.KitResult, error)) http.HandlerFunc {
	return controlapi.Handle(k.Logger, http.StatusOK, func(r *http.Request, req Req) (controlapi.KitResult, error) {
		return fn(r.Context(), chi.URLParam(r, "id"), r, req)
	})
}

func (k *Kit) list(r *http.Request, _ controlapi.NoBody) (controlapi.TenantList, error) {
	limit := 100
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return controlapi.TenantList{}, controlapi.Errorf(controlapi.CodeInvalid, "limit must be 1 to 1000")
		}
		limit = n
	}
	list, err := k.Store.Tenants(r.Context(), limit)
	if err != nil {
		return controlapi.TenantList{}, err
	}
	if list == nil {
		list = []koomock.Tenant{}
	}
	for i := range list {
		list[i].DomainName = k.Domain(list[i].Code)
	}
	return controlapi.TenantList{Tenants: list}, nil
}
