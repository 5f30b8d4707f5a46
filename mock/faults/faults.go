// Package faults keeps the scripted faults a developer switches on through the control API, and lets
// each flow ask whether one fires.
//
// Flows declare the faults they offer (Declare) with a description and what Value means; the control
// API refuses undeclared names. Take consumes one firing of a matching fault: the most recently set
// fault with the same name whose target is empty or equal to the one asked for. Faults are kept in
// memory for the hot paths and written through to the store, so they survive a restart.
//
// Control API (mounted under /_mock by package mock):
//
//	GET    /faults       the active faults and the catalogue of declared ones
//	POST   /faults       switch a fault on
//	DELETE /faults       clear every fault
//	DELETE /faults/{id}  clear one fault
package faults

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/store"
)

// Declaration describes a fault a flow offers.
type Declaration struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Value says what the fault's value means, "" when it takes none.
	Value string `json:"value,omitempty"`
	// Choices are the values the flow knows, suggested by forms; other values are still accepted.
	Choices []string `json:"choices,omitempty"`
	// Targets lists the activities or APIs it can be narrowed to.
	Targets []string `json:"targets,omitempty"`
}

// Registry holds declared and active faults. Create it with Load.
type Registry struct {
	store *store.DB

	mu       sync.Mutex
	declared map[string]Declaration
	active   []koomock.Fault
}

// Load returns a registry with the faults stored in db.
func Load(ctx context.Context, db *store.DB) (*Registry, error) {
	active, err := db.Faults(ctx)
	if err != nil {
		return nil, err
	}
	return &Registry{store: db, declared: map[string]Declaration{}, active: active}, nil
}

// Declare makes a fault available. Flows call it when they are built.
func (r *Registry) Declare(d Declaration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.declared[d.Name] = d
}

// Declared returns the catalogue, sorted by name.
func (r *Registry) Declared() []Declaration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Declaration, 0, len(r.declared))
	for _, d := range r.declared {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Active returns the active faults, oldest first.
func (r *Registry) Active() []koomock.Fault {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.active)
}

// Set switches a fault on and returns it with its ID. The name must be declared, and the target, if
// any, one the declaration lists.
func (r *Registry) Set(ctx context.Context, f koomock.Fault) (koomock.Fault, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.declared[f.Name]
	if !ok {
		return f, fmt.Errorf("%w: %q", ErrUnknown, f.Name)
	}
	if f.Target != "" && len(d.Targets) > 0 && !slices.Contains(d.Targets, f.Target) {
		return f, fmt.Errorf("%w: fault %s applies to %v, not %q", ErrBadTarget, f.Name, d.Targets, f.Target)
	}
	if f.Remaining < 0 {
		return f, fmt.Errorf("%w: remaining must be 0 (until cleared) or more", ErrBadTarget)
	}
	f.ID = 0
	if err := r.store.PutFault(ctx, &f); err != nil {
		return f, err
	}
	r.active = append(r.active, f)
	return f, nil
}

// Clear switches one fault off.
func (r *Registry) Clear(ctx context.Context, id int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	i := slices.IndexFunc(r.active, func(f koomock.Fault) bool { return f.ID == id })
	if i < 0 {
		return fmt.Errorf("%w: %d", ErrNoSuchFault, id)
	}
	if err := r.store.DeleteFault(ctx, id); err != nil {
		return err
	}
	r.active = slices.Delete(r.active, i, i+1)
	return nil
}

// ClearAll switches every fault off.
func (r *Registry) ClearAll(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range r.active {
		if err := r.store.DeleteFault(ctx, f.ID); err != nil {
			return err
		}
	}
	r.active = nil
	return nil
}

// Take reports whether the fault name fires for target, consuming one firing of a counted fault.
// The latest matching fault wins, so a newer setting overrides an older one.
func (r *Registry) Take(ctx context.Context, name, target string) (koomock.Fault, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.active) - 1; i >= 0; i-- {
		f := r.active[i]
		if f.Name != name || (f.Target != "" && f.Target != target) {
			continue
		}
		if f.Remaining > 0 {
			f.Remaining--
			if f.Remaining == 0 {
				r.active = slices.Delete(r.active, i, i+1)
				r.store.DeleteFault(ctx, f.ID)
			} else {
				r.active[i] = f
				r.store.PutFault(ctx, &f)
			}
			f.Remaining++ // report the fault as it was when it fired
		}
		return f, true
	}
	return koomock.Fault{}, false
}
