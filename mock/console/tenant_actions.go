package console

import (
	"net/http"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// The tenant actions: each is one control-API call of the kit, and shows the tenant's page with the
// kit syncs the call sent.

// formTenant reads the required tenant ID of a tenant form.
func formTenant(r *http.Request) (string, error) {
	id := strings.TrimSpace(r.PostFormValue("tenantId"))
	if id == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the tenant")
	}
	return id, nil
}

// kitChange runs one change of the tenant the form names and shows its page with what it sent.
func kitChange(r *http.Request, change func(id string) (controlapi.KitResult, error)) (string, error) {
	id, err := formTenant(r)
	if err != nil {
		return "", err
	}
	res, err := change(id)
	if err != nil {
		return "", err
	}
	return changedPath(id, res.Exchanges), nil
}

func (c *Console) createTenant(r *http.Request) (string, error) {
	req := controlapi.TenantRequest{
		Name:             strings.TrimSpace(r.PostFormValue("name")),
		TenantID:         strings.TrimSpace(r.PostFormValue("tenantId")),
		TenantCode:       strings.TrimSpace(r.PostFormValue("tenantCode")),
		InstanceID:       strings.TrimSpace(r.PostFormValue("instanceId")),
		LoginCallbackURL: strings.TrimSpace(r.PostFormValue("loginCallbackUrl")),
	}
	if r.PostFormValue("testFlag") == "1" {
		req.TestFlag = 1
	}
	res, err := c.cfg.API.CreateTenant(r.Context(), req)
	if err != nil {
		return "", err
	}
	return changedPath(res.Tenant.ID, res.Exchanges), nil
}

func (c *Console) renameTenant(r *http.Request) (string, error) {
	return kitChange(r, func(id string) (controlapi.KitResult, error) {
		return c.cfg.API.RenameTenant(r.Context(), id, strings.TrimSpace(r.PostFormValue("name")))
	})
}

func (c *Console) deleteTenant(r *http.Request) (string, error) {
	id, err := formTenant(r)
	if err != nil {
		return "", err
	}
	res, err := c.cfg.API.DeleteTenant(r.Context(), id)
	if err != nil {
		return "", err
	}
	return changedPath("", res.Exchanges), nil
}

func (c *Console) resyncTenant(r *http.Request) (string, error) {
	return kitChange(r, func(id string) (controlapi.KitResult, error) { return c.cfg.API.Resync(r.Context(), id) })
}

func (c *Console) updateApp(r *http.Request) (string, error) {
	return kitChange(r, func(id string) (controlapi.KitResult, error) {
		return c.cfg.API.UpdateApp(r.Context(), id, controlapi.AppRequest{
			RotateSecret:     r.PostFormValue("rotateSecret") == "true",
			LoginCallbackURL: strings.TrimSpace(r.PostFormValue("loginCallbackUrl")),
			CASServiceURL:    strings.TrimSpace(r.PostFormValue("casServiceUrl")),
		})
	})
}

func (c *Console) deleteApp(r *http.Request) (string, error) {
	return kitChange(r, func(id string) (controlapi.KitResult, error) { return c.cfg.API.DeleteApp(r.Context(), id) })
}

// formUser reads a user form: the fields authSync carries.
func formUser(r *http.Request) (koomock.User, error) {
	n, err := formInt(r, "employeeType")
	if err != nil {
		return koomock.User{}, err
	}
	v := func(field string) string { return strings.TrimSpace(r.PostFormValue(field)) }
	return koomock.User{
		UserName: v("userName"), Name: v("name"), OrgCode: v("orgCode"), Role: v("role"),
		Disabled: r.PostFormValue("disabled") == "true", Position: v("position"), EmployeeCode: v("employeeCode"),
		EmployeeType: n, Mobile: v("mobile"), Email: v("email"), WorkPlace: v("workPlace"), EntryDate: v("entryDate"),
		Password: v("password"),
	}, nil
}

func (c *Console) authorizeUser(r *http.Request) (string, error) {
	u, err := formUser(r)
	if err != nil {
		return "", err
	}
	return kitChange(r, func(id string) (controlapi.KitResult, error) {
		return c.cfg.API.AuthorizeUsers(r.Context(), id, []koomock.User{u})
	})
}

func (c *Console) updateUser(r *http.Request) (string, error) {
	u, err := formUser(r)
	if err != nil {
		return "", err
	}
	if u.UserName == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the user")
	}
	return kitChange(r, func(id string) (controlapi.KitResult, error) { return c.cfg.API.UpdateUser(r.Context(), id, u) })
}

// formUserName reads the required user name of a user's button.
func formUserName(r *http.Request) (string, error) {
	name := strings.TrimSpace(r.PostFormValue("userName"))
	if name == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the user")
	}
	return name, nil
}

func (c *Console) deleteUser(r *http.Request) (string, error) {
	name, err := formUserName(r)
	if err != nil {
		return "", err
	}
	return kitChange(r, func(id string) (controlapi.KitResult, error) { return c.cfg.API.DeleteUser(r.Context(), id, name) })
}

func (c *Console) deauthorizeUser(r *http.Request) (string, error) {
	name, err := formUserName(r)
	if err != nil {
		return "", err
	}
	return kitChange(r, func(id string) (controlapi.KitResult, error) { return c.cfg.API.DeauthorizeUser(r.Context(), id, name) })
}

func (c *Console) putOrg(r *http.Request) (string, error) {
	o := koomock.Org{Code: strings.TrimSpace(r.PostFormValue("orgCode")), Name: strings.TrimSpace(r.PostFormValue("orgName")),
		ParentCode: strings.TrimSpace(r.PostFormValue("parentCode"))}
	if o.Code == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the department's code")
	}
	return kitChange(r, func(id string) (controlapi.KitResult, error) { return c.cfg.API.PutOrg(r.Context(), id, o) })
}

func (c *Console) deleteOrg(r *http.Request) (string, error) {
	code := strings.TrimSpace(r.PostFormValue("orgCode"))
	if code == "" {
		return "", controlapi.Errorf(controlapi.CodeInvalid, "name the department's code")
	}
	return kitChange(r, func(id string) (controlapi.KitResult, error) { return c.cfg.API.DeleteOrg(r.Context(), id, code) })
}
