package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/koomock/koomock"
)

// CreateTenant stores a new tenant; ErrExists when its ID or code is taken.
func (s *DB) CreateTenant(ctx context.Context, t koomock.Tenant) error {
	defer s.joint.invalidate()
	res, err := s.sql.ExecContext(ctx, `INSERT INTO tenants (tenant_id, tenant_code, created_ms, data)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, t.ID, t.Code, t.CreatedAt.UnixMilli(), mustJSON(t))
	if err != nil {
		return fmt.Errorf("create tenant %s: %w", t.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("create tenant %s (code %s): %w", t.ID, t.Code, ErrExists)
	}
	return nil
}

// UpdateTenant replaces a stored tenant (its code cannot change).
func (s *DB) UpdateTenant(ctx context.Context, t koomock.Tenant) error {
	defer s.joint.invalidate()
	res, err := s.sql.ExecContext(ctx, `UPDATE tenants SET data = ? WHERE tenant_id = ?`, mustJSON(t), t.ID)
	if err != nil {
		return fmt.Errorf("update tenant %s: %w", t.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update tenant %s: %w", t.ID, ErrNotFound)
	}
	return nil
}

// Tenant returns the tenant with the given ID.
func (s *DB) Tenant(ctx context.Context, id string) (koomock.Tenant, error) {
	return readThrough(ctx, &s.joint, byID, id, func() (koomock.Tenant, error) {
		var t koomock.Tenant
		if err := s.getJSON(ctx, &t, `SELECT data FROM tenants WHERE tenant_id = ?`, id); err != nil {
			return t, fmt.Errorf("tenant %s: %w", id, err)
		}
		return t, nil
	})
}

// TenantByCode returns the tenant with the given code.
func (s *DB) TenantByCode(ctx context.Context, code string) (koomock.Tenant, error) {
	return readThrough(ctx, &s.joint, byCode, code, func() (koomock.Tenant, error) {
		var t koomock.Tenant
		if err := s.getJSON(ctx, &t, `SELECT data FROM tenants WHERE tenant_code = ?`, code); err != nil {
			return t, fmt.Errorf("tenant code %s: %w", code, err)
		}
		return t, nil
	})
}

// Tenants returns the newest tenants first, at most limit of them.
func (s *DB) Tenants(ctx context.Context, limit int) ([]koomock.Tenant, error) {
	return listJSON[koomock.Tenant](ctx, s, `SELECT data FROM tenants ORDER BY created_ms DESC, tenant_id LIMIT ?`, limit)
}

// DeleteTenant removes a tenant with its app, departments, users and grants.
func (s *DB) DeleteTenant(ctx context.Context, id string) error {
	defer s.joint.invalidate()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, table := range []string{"tenants", "tenant_apps", "tenant_orgs", "tenant_users", "idp_grants"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE tenant_id = ?`, id); err != nil {
				return fmt.Errorf("delete tenant %s: %w", id, err)
			}
		}
		return nil
	})
}

// PutApp creates or replaces an app binding; ErrExists when its client ID belongs to another tenant.
func (s *DB) PutApp(ctx context.Context, a koomock.App) error {
	defer s.joint.invalidate()
	res, err := s.sql.ExecContext(ctx, `INSERT INTO tenant_apps (client_id, tenant_id, app_id, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (client_id) DO UPDATE SET app_id = excluded.app_id, data = excluded.data
		WHERE tenant_apps.tenant_id = excluded.tenant_id`, a.ClientID, a.TenantID, a.AppID, mustJSON(a))
	if err != nil {
		return fmt.Errorf("put app %s: %w", a.ClientID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("client ID %s belongs to another tenant: %w", a.ClientID, ErrExists)
	}
	return nil
}

// DeleteApp removes an app binding.
func (s *DB) DeleteApp(ctx context.Context, clientID string) error {
	defer s.joint.invalidate()
	_, err := s.sql.ExecContext(ctx, `DELETE FROM tenant_apps WHERE client_id = ?`, clientID)
	return err
}

// AppByClient returns the app with the given client ID.
func (s *DB) AppByClient(ctx context.Context, clientID string) (koomock.App, error) {
	return readThrough(ctx, &s.joint, byClientID, clientID, func() (koomock.App, error) {
		var a koomock.App
		if err := s.getJSON(ctx, &a, `SELECT data FROM tenant_apps WHERE client_id = ?`, clientID); err != nil {
			return a, fmt.Errorf("client %s: %w", clientID, err)
		}
		return a, nil
	})
}

// Apps returns the apps bound to a tenant.
func (s *DB) Apps(ctx context.Context, tenantID string) ([]koomock.App, error) {
	return listJSON[koomock.App](ctx, s, `SELECT data FROM tenant_apps WHERE tenant_id = ? ORDER BY client_id`, tenantID)
}

// PutOrg creates or replaces a department.
func (s *DB) PutOrg(ctx context.Context, o koomock.Org) error {
	_, err := s.sql.ExecContext(ctx, `INSERT INTO tenant_orgs (tenant_id, org_code, data) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, org_code) DO UPDATE SET data = excluded.data`, o.TenantID, o.Code, mustJSON(o))
	if err != nil {
		return fmt.Errorf("put department %s: %w", o.Code, err)
	}
	return nil
}

// DeleteOrg removes a department; ErrNotFound when it does not exist.
func (s *DB) DeleteOrg(ctx context.Context, tenantID, code string) error {
	res, err := s.sql.ExecContext(ctx, `DELETE FROM tenant_orgs WHERE tenant_id = ? AND org_code = ?`, tenantID, code)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("department %s: %w", code, ErrNotFound)
	}
	return nil
}

// Org returns one department.
func (s *DB) Org(ctx context.Context, tenantID, code string) (koomock.Org, error) {
	var o koomock.Org
	if err := s.getJSON(ctx, &o, `SELECT data FROM tenant_orgs WHERE tenant_id = ? AND org_code = ?`, tenantID, code); err != nil {
		return o, fmt.Errorf("department %s: %w", code, err)
	}
	return o, nil
}

// Orgs returns a tenant's departments ordered by code.
func (s *DB) Orgs(ctx context.Context, tenantID string) ([]koomock.Org, error) {
	return listJSON[koomock.Org](ctx, s, `SELECT data FROM tenant_orgs WHERE tenant_id = ? ORDER BY org_code`, tenantID)
}

// PutUser creates or replaces a user.
func (s *DB) PutUser(ctx context.Context, u koomock.User) error {
	_, err := s.sql.ExecContext(ctx, `INSERT INTO tenant_users (tenant_id, user_name, data) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, user_name) DO UPDATE SET data = excluded.data`, u.TenantID, u.UserName, mustJSON(u))
	if err != nil {
		return fmt.Errorf("put user %s: %w", u.UserName, err)
	}
	return nil
}

// DeleteUser removes a user; ErrNotFound when it does not exist.
func (s *DB) DeleteUser(ctx context.Context, tenantID, userName string) error {
	res, err := s.sql.ExecContext(ctx, `DELETE FROM tenant_users WHERE tenant_id = ? AND user_name = ?`, tenantID, userName)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %s: %w", userName, ErrNotFound)
	}
	return nil
}

// User returns one user of a tenant.
func (s *DB) User(ctx context.Context, tenantID, userName string) (koomock.User, error) {
	var u koomock.User
	if err := s.getJSON(ctx, &u, `SELECT data FROM tenant_users WHERE tenant_id = ? AND user_name = ?`, tenantID, userName); err != nil {
		return u, fmt.Errorf("user %s: %w", userName, err)
	}
	return u, nil
}

// Users returns a tenant's users ordered by name.
func (s *DB) Users(ctx context.Context, tenantID string) ([]koomock.User, error) {
	return listJSON[koomock.User](ctx, s, `SELECT data FROM tenant_users WHERE tenant_id = ? ORDER BY user_name`, tenantID)
}

// UsersNamed returns every user with the given account name, in any tenant.
func (s *DB) UsersNamed(ctx context.Context, userName string) ([]koomock.User, error) {
	return listJSON[koomock.User](ctx, s, `SELECT data FROM tenant_users WHERE user_name = ? ORDER BY tenant_id`, userName)
}

// PutGrant stores an identity-provider credential.
func (s *DB) PutGrant(ctx context.Context, g koomock.Grant) error {
	used := 0
	if g.Used {
		used = 1
	}
	_, err := s.sql.ExecContext(ctx, `INSERT INTO idp_grants (token, kind, tenant_id, family, used, expires_ms, data)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token) DO UPDATE SET used = excluded.used, data = excluded.data`,
		g.Token, g.Kind, g.TenantID, g.Family, used, g.ExpiresAt.UnixMilli(), mustJSON(g))
	if err != nil {
		return fmt.Errorf("put %s grant: %w", g.Kind, err)
	}
	return nil
}

// Grant returns the credential with the given token and kind.
func (s *DB) Grant(ctx context.Context, kind koomock.GrantKind, token string) (koomock.Grant, error) {
	var g koomock.Grant
	err := s.getJSON(ctx, &g, `SELECT data FROM idp_grants WHERE token = ? AND kind = ?`, token, kind)
	if err != nil {
		return g, fmt.Errorf("%s: %w", kind, err)
	}
	return g, nil
}

// ErrUsed is returned by RedeemGrant for a code or ticket already redeemed.
var ErrUsed = errors.New("already used")

// RedeemGrant marks a single-use credential used and returns it as it was before: atomically, so
// that of two concurrent redemptions exactly one wins. A credential already used is returned with
// ErrUsed.
func (s *DB) RedeemGrant(ctx context.Context, kind koomock.GrantKind, token string) (koomock.Grant, error) {
	g, err := s.Grant(ctx, kind, token)
	if err != nil {
		return g, err
	}
	if g.Used {
		return g, ErrUsed
	}
	used := g
	used.Used = true
	res, err := s.sql.ExecContext(ctx, `UPDATE idp_grants SET used = 1, data = ? WHERE token = ? AND used = 0`, mustJSON(used), token)
	if err != nil {
		return g, fmt.Errorf("redeem %s: %w", kind, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return g, ErrUsed
	}
	return g, nil
}

// RevokeFamily revokes every token issued from an authorization code (RFC 6749 §4.1.2) and returns
// how many were live.
func (s *DB) RevokeFamily(ctx context.Context, family string) (int, error) {
	return s.revokeWhere(ctx, `family = ? AND kind IN ('access', 'refresh')`, family)
}

// RevokeUser revokes every token, ticket and session of a user (deauthorised, disabled or deleted).
func (s *DB) RevokeUser(ctx context.Context, tenantID, userName string) (int, error) {
	list, err := listJSON[koomock.Grant](ctx, s, `SELECT data FROM idp_grants WHERE tenant_id = ?`, tenantID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range list {
		if g.UserName == userName && !g.Revoked {
			g.Revoked = true
			if err := s.PutGrant(ctx, g); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

func (s *DB) revokeWhere(ctx context.Context, where string, args ...any) (int, error) {
	list, err := listJSON[koomock.Grant](ctx, s, `SELECT data FROM idp_grants WHERE `+where, args...)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range list {
		if g.Revoked {
			continue
		}
		g.Revoked = true
		if err := s.PutGrant(ctx, g); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// DeleteGrant removes a credential (a login session at logout).
func (s *DB) DeleteGrant(ctx context.Context, token string) error {
	_, err := s.sql.ExecContext(ctx, `DELETE FROM idp_grants WHERE token = ?`, token)
	return err
}
