package kit

import (
	"context"
	"errors"
	"fmt"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// Rename changes a tenant's name: tenantSync flag 2 (modify: name or domain only).
func (k *Kit) Rename(ctx context.Context, id, name string) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	if name == "" || len(name) > 255 {
		return controlapi.KitResult{}, controlapi.Errorf(controlapi.CodeInvalid, "name is 1 to 255 characters")
	}
	t.Name = name
	if err := k.Store.UpdateTenant(ctx, t); err != nil {
		return controlapi.KitResult{}, err
	}
	e, err := k.sendTenant(ctx, t, protocol.KitFlagModify)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	return k.result(ctx, id, []*koomock.Exchange{e})
}

// Delete removes a tenant: tenantSync flag 0. The tenant is gone from koomock even when the seller
// failed to answer, as it is from KooGallery; the journal keeps the failed sync.
func (k *Kit) Delete(ctx context.Context, id string) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	st, err := k.Tenant(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	e, err := k.sendTenant(ctx, t, protocol.KitFlagDelete)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	if err := k.Store.DeleteTenant(ctx, id); err != nil {
		return controlapi.KitResult{}, err
	}
	return controlapi.KitResult{TenantState: st, Exchanges: []*koomock.Exchange{e}}, nil
}

func (k *Kit) app(ctx context.Context, t koomock.Tenant) (koomock.App, error) {
	apps, err := k.Store.Apps(ctx, t.ID)
	if err != nil {
		return koomock.App{}, err
	}
	if len(apps) == 0 {
		return koomock.App{}, controlapi.Errorf(controlapi.CodeNotFound, "tenant %s has no app bound", t.ID)
	}
	return apps[0], nil
}

// UpdateApp modifies the app bound to a tenant: applicationSync flag 2 with the (new) secret.
func (k *Kit) UpdateApp(ctx context.Context, id string, req controlapi.AppRequest) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	a, err := k.app(ctx, t)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	switch {
	case req.ClientSecret != "":
		a.ClientSecret = req.ClientSecret
	case req.RotateSecret:
		a.ClientSecret = k.IDs.Token(24)
	}
	if req.LoginCallbackURL != "" {
		a.LoginCallbackURL = req.LoginCallbackURL
	}
	if req.CASServiceURL != "" {
		a.CASServiceURL = req.CASServiceURL
	}
	if err := checkCallbacks(a); err != nil {
		return controlapi.KitResult{}, err
	}
	if err := k.Store.PutApp(ctx, a); err != nil {
		return controlapi.KitResult{}, err
	}
	e, err := k.sendApp(ctx, t, a, protocol.KitFlagModify)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	return k.result(ctx, id, []*koomock.Exchange{e})
}

// DeleteApp unbinds the app from a tenant: applicationSync flag 0; its client stops working.
func (k *Kit) DeleteApp(ctx context.Context, id string) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	a, err := k.app(ctx, t)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	e, err := k.sendApp(ctx, t, a, protocol.KitFlagDelete)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	if err := k.Store.DeleteApp(ctx, a.ClientID); err != nil {
		return controlapi.KitResult{}, err
	}
	return k.result(ctx, id, []*koomock.Exchange{e})
}

// AuthorizeUsers stores users as authorised and sends authSync flag 1, 500 users per call. A user
// without a password gets a fresh one, shown once in the answer.
func (k *Kit) AuthorizeUsers(ctx context.Context, id string, users []koomock.User) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	if len(users) == 0 {
		return controlapi.KitResult{}, controlapi.Errorf(controlapi.CodeInvalid, "name at least one user")
	}
	drawn := map[string]string{}
	for i := range users {
		u := &users[i]
		if err := k.normalizeUser(ctx, t, u); err != nil {
			return controlapi.KitResult{}, err
		}
		if old, err := k.Store.User(ctx, t.ID, u.UserName); err == nil && u.Password == "" {
			u.Password = old.Password
		}
		if u.Password == "" {
			u.Password = k.IDs.Token(8)
			drawn[u.UserName] = u.Password
		}
		u.Authorized = true
	}
	for _, u := range users {
		if err := k.Store.PutUser(ctx, u); err != nil {
			return controlapi.KitResult{}, err
		}
	}
	sent, err := k.sendUsers(ctx, t, users, protocol.KitFlagAdd)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	res, err := k.result(ctx, id, sent)
	for i, u := range res.Users {
		if p, ok := drawn[u.UserName]; ok {
			res.Users[i].Password = p
		}
	}
	return res, err
}

// normalizeUser checks a user against authSync's field rules and fills the identity-provider ID.
func (k *Kit) normalizeUser(ctx context.Context, t koomock.Tenant, u *koomock.User) error {
	u.TenantID = t.ID
	if u.Role == "" {
		u.Role = "user"
	}
	switch {
	case u.UserName == "" || len(u.UserName) > 64:
		return controlapi.Errorf(controlapi.CodeInvalid, "userName is 1 to 64 characters")
	case u.Role != "user" && u.Role != "admin":
		return controlapi.Errorf(controlapi.CodeInvalid, "role is user or admin, not %q", u.Role)
	case u.EmployeeType < 0 || u.EmployeeType > 4:
		return controlapi.Errorf(controlapi.CodeInvalid, "employeeType is 1 (formal), 2 (intern), 3 (dispatch) or 4 (outsourced)")
	case len(u.Name) > 64 || len(u.Mobile) > 32 || len(u.Email) > 128 || len(u.Position) > 64 || len(u.EmployeeCode) > 64:
		return controlapi.Errorf(controlapi.CodeInvalid, "user %s: a field is longer than authSync allows", u.UserName)
	}
	if u.Name == "" {
		u.Name = u.UserName
	}
	if u.OrgCode == "" {
		orgs, err := k.Store.Orgs(ctx, t.ID)
		if err != nil {
			return err
		}
		if len(orgs) > 0 {
			u.OrgCode = orgs[0].Code
		}
	} else if _, err := k.Store.Org(ctx, t.ID, u.OrgCode); errors.Is(err, store.ErrNotFound) {
		return controlapi.Errorf(controlapi.CodeInvalid, "user %s: department %s does not exist", u.UserName, u.OrgCode)
	}
	if old, err := k.Store.User(ctx, t.ID, u.UserName); err == nil {
		u.ID = old.ID
	}
	if u.ID == "" {
		u.ID = k.IDs.UUID()
	}
	return nil
}

func (k *Kit) user(ctx context.Context, t koomock.Tenant, name string) (koomock.User, error) {
	u, err := k.Store.User(ctx, t.ID, name)
	if errors.Is(err, store.ErrNotFound) {
		return u, controlapi.Errorf(controlapi.CodeNotFound, "tenant %s has no user %s", t.ID, name)
	}
	return u, err
}

// UpdateUser modifies a user: authSync flag 2. Disabling a user ends their logins.
func (k *Kit) UpdateUser(ctx context.Context, id string, u koomock.User) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	old, err := k.user(ctx, t, u.UserName)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	if err := k.normalizeUser(ctx, t, &u); err != nil {
		return controlapi.KitResult{}, err
	}
	u.Authorized = old.Authorized
	if u.Password == "" {
		u.Password = old.Password
	}
	if err := k.Store.PutUser(ctx, u); err != nil {
		return controlapi.KitResult{}, err
	}
	if u.Disabled {
		k.Store.RevokeUser(ctx, t.ID, u.UserName)
	}
	sent, err := k.sendUsers(ctx, t, []koomock.User{u}, protocol.KitFlagModify)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	return k.result(ctx, id, sent)
}

// DeleteUser removes a user: authSync flag 0; their tokens and sessions are revoked.
func (k *Kit) DeleteUser(ctx context.Context, id, name string) (controlapi.KitResult, error) {
	return k.removeUser(ctx, id, name, protocol.KitFlagDelete)
}

// DeauthorizeUser cancels a user's authorisation: authSync flag 3; the user stays in the tenant but
// can no longer log in to the seller's app.
func (k *Kit) DeauthorizeUser(ctx context.Context, id, name string) (controlapi.KitResult, error) {
	return k.removeUser(ctx, id, name, protocol.KitFlagCancelAuth)
}

func (k *Kit) removeUser(ctx context.Context, id, name string, flag int) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	u, err := k.user(ctx, t, name)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	if flag == protocol.KitFlagDelete {
		err = k.Store.DeleteUser(ctx, t.ID, name)
	} else {
		u.Authorized = false
		err = k.Store.PutUser(ctx, u)
	}
	if err != nil {
		return controlapi.KitResult{}, err
	}
	if _, err := k.Store.RevokeUser(ctx, t.ID, name); err != nil {
		return controlapi.KitResult{}, err
	}
	sent, err := k.sendUsers(ctx, t, []koomock.User{u}, flag)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	return k.result(ctx, id, sent)
}

// PutOrg adds a department (singleOrgSync flag 1) or changes one (flag 2).
func (k *Kit) PutOrg(ctx context.Context, id string, o koomock.Org) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	o.TenantID = t.ID
	switch {
	case o.Code == "" || len(o.Code) > 64 || o.Name == "" || len(o.Name) > 128 || len(o.ParentCode) > 64:
		return controlapi.KitResult{}, controlapi.Errorf(controlapi.CodeInvalid, "orgCode is 1 to 64 characters, orgName 1 to 128, parentCode at most 64")
	case o.ParentCode == o.Code:
		return controlapi.KitResult{}, controlapi.Errorf(controlapi.CodeInvalid, "a department cannot be its own parent")
	}
	if o.ParentCode != "" {
		if _, err := k.Store.Org(ctx, t.ID, o.ParentCode); errors.Is(err, store.ErrNotFound) {
			return controlapi.KitResult{}, controlapi.Errorf(controlapi.CodeInvalid, "parent department %s does not exist", o.ParentCode)
		}
	}
	flag := protocol.KitFlagModify
	if _, err := k.Store.Org(ctx, t.ID, o.Code); errors.Is(err, store.ErrNotFound) {
		flag = protocol.KitFlagAdd
	}
	if err := k.Store.PutOrg(ctx, o); err != nil {
		return controlapi.KitResult{}, err
	}
	e, err := k.sendOrg(ctx, t, o, flag)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	return k.result(ctx, id, []*koomock.Exchange{e})
}

// DeleteOrg removes a department: singleOrgSync flag 0.
func (k *Kit) DeleteOrg(ctx context.Context, id, code string) (controlapi.KitResult, error) {
	t, err := k.tenantReady(ctx, id)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	o, err := k.Store.Org(ctx, t.ID, code)
	if errors.Is(err, store.ErrNotFound) {
		return controlapi.KitResult{}, controlapi.Errorf(controlapi.CodeNotFound, "tenant %s has no department %s", id, code)
	} else if err != nil {
		return controlapi.KitResult{}, err
	}
	if err := k.Store.DeleteOrg(ctx, t.ID, code); err != nil {
		return controlapi.KitResult{}, err
	}
	e, err := k.sendOrg(ctx, t, o, protocol.KitFlagDelete)
	if err != nil {
		return controlapi.KitResult{}, err
	}
	return k.result(ctx, id, []*koomock.Exchange{e})
}

// AdvanceClock lets time pass for the tenant's identity provider only.
func (k *Kit) AdvanceClock(ctx context.Context, id string, by string) (controlapi.TenantState, error) {
	d, err := controlapi.ParseDuration(by)
	if err != nil {
		return controlapi.TenantState{}, controlapi.Errorf(controlapi.CodeInvalid, "%v", err)
	}
	t, err := k.tenant(ctx, id)
	if err != nil {
		return controlapi.TenantState{}, err
	}
	t.ClockOffset += d
	if err := k.Store.UpdateTenant(ctx, t); err != nil {
		return controlapi.TenantState{}, fmt.Errorf("advance tenant clock: %w", err)
	}
	return k.Tenant(ctx, id)
}
