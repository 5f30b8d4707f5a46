package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
)

// maxTemplateBytes bounds an attached template: one file of text, kept in the asset's record.
const maxTemplateBytes = 1 << 20

// checkTemplateName: a template is one .tf or .tf.json file, its name safe in a URL.
func checkTemplateName(name string) error {
	stem, ok := strings.CutSuffix(name, ".tf.json")
	if !ok {
		stem, ok = strings.CutSuffix(name, ".tf")
	}
	if !ok || !packageStem.MatchString(stem) {
		return controlapi.Errorf(controlapi.CodeInvalid, "template name %q: letters, digits, -, _ and parentheses, ending in .tf or .tf.json", name)
	}
	return nil
}

// AttachTemplate attaches (or replaces) a template read from body.
func (s *Service) AttachTemplate(ctx context.Context, id, name string, body io.Reader) (koomock.Asset, error) {
	if err := checkTemplateName(name); err != nil {
		return koomock.Asset{}, err
	}
	b, err := io.ReadAll(io.LimitReader(body, maxTemplateBytes+1))
	if err != nil {
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "the template upload failed: %v", err)
	}
	if len(b) > maxTemplateBytes {
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "the template is over 1 MiB")
	}
	if len(b) == 0 {
		return koomock.Asset{}, controlapi.Errorf(controlapi.CodeInvalid, "the template is empty")
	}
	sum := sha256.Sum256(b)
	t := koomock.AssetTemplate{Name: name, Size: len(b), SHA256: hex.EncodeToString(sum[:]), CreatedAt: s.Now(), Content: string(b)}
	return s.changeTemplates(ctx, id, func(a *koomock.Asset) error {
		for i := range a.Templates {
			if a.Templates[i].Name == name {
				a.Templates[i] = t
				return nil
			}
		}
		a.Templates = append(a.Templates, t)
		return nil
	})
}

// DetachTemplate removes a template, refusing the asset's last one: an auto-deploy asset needs one.
func (s *Service) DetachTemplate(ctx context.Context, id, name string) (koomock.Asset, error) {
	return s.changeTemplates(ctx, id, func(a *koomock.Asset) error {
		kept := a.Templates[:0:0]
		for _, t := range a.Templates {
			if t.Name != name {
				kept = append(kept, t)
			}
		}
		switch {
		case len(kept) == len(a.Templates):
			return controlapi.Errorf(controlapi.CodeNotFound, "asset %s has no template %s", id, name)
		case len(kept) == 0:
			return controlapi.Errorf(controlapi.CodeConflict, "%s is asset %s's last template, and an auto-deploy asset needs at least one: attach another first", name, id)
		}
		a.Templates = kept
		return nil
	})
}

// changeTemplates applies fn to the asset and stores it.
func (s *Service) changeTemplates(ctx context.Context, id string, fn func(*koomock.Asset) error) (koomock.Asset, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	a, err := s.asset(ctx, id)
	if err != nil {
		return a, err
	}
	if err := fn(&a); err != nil {
		return a, err
	}
	if err := s.Store.PutAsset(ctx, a); err != nil {
		return a, err
	}
	return withoutContent(a), nil
}

// withoutContent is the asset as answers show it: templates listed, not their text.
func withoutContent(a koomock.Asset) koomock.Asset {
	ts := make([]koomock.AssetTemplate, len(a.Templates))
	for i, t := range a.Templates {
		t.Content = ""
		ts[i] = t
	}
	a.Templates = ts
	return a
}

func (s *Service) handleAttachTemplate(w http.ResponseWriter, r *http.Request) {
	a, err := s.AttachTemplate(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "name"), r.Body)
	if err != nil {
		controlapi.WriteError(w, s.Logger, err)
		return
	}
	controlapi.WriteJSON(w, http.StatusOK, a)
}

func (s *Service) template(r *http.Request, _ controlapi.NoBody) (koomock.AssetTemplate, error) {
	id, name := chi.URLParam(r, "id"), chi.URLParam(r, "name")
	a, err := s.asset(r.Context(), id)
	if err != nil {
		return koomock.AssetTemplate{}, err
	}
	for _, t := range a.Templates {
		if t.Name == name {
			return t, nil
		}
	}
	return koomock.AssetTemplate{}, controlapi.Errorf(controlapi.CodeNotFound, "asset %s has no template %s", id, name)
}
