package client

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/tandem-pm/tandem"
)

func TestPatchOf(t *testing.T) {
	title, zero := "New", 0
	got, _ := json.Marshal(PatchOf(tandem.ItemUpdate{Title: &title, Progress: &zero}))
	if want := `{"progress":0,"title":"New"}`; string(got) != want {
		t.Errorf("PatchOf(ItemUpdate) = %s, want %s", got, want)
	}
	got, _ = json.Marshal(PatchOf(map[string]any{"parent_id": nil}))
	if want := `{"parent_id":null}`; string(got) != want {
		t.Errorf("PatchOf(map) = %s, want %s", got, want)
	}
	got, _ = json.Marshal(PatchOf((*tandem.GoalUpdate)(nil)))
	if string(got) != `{}` {
		t.Errorf("PatchOf(nil) = %s, want {}", got)
	}
}

func TestQuery(t *testing.T) {
	top := ""
	tests := []struct {
		filter any
		want   string
	}{
		{tandem.ItemFilter{Kind: "task", ProjectID: "p", Page: tandem.Page{Limit: 10, Cursor: "c"}}, "cursor=c&kind=task&limit=10&project_id=p"},
		{tandem.GoalFilter{ParentID: &top}, "parent_id="},
		{tandem.GoalFilter{}, ""},
		{&tandem.ActivityFilter{EntityType: "item", ActorID: "u"}, "actor_id=u&entity_type=item"},
	}
	for _, tt := range tests {
		if got := Query(tt.filter).Encode(); got != tt.want {
			t.Errorf("Query(%+v) = %q, want %q", tt.filter, got, tt.want)
		}
	}
}

func TestErrorUnwrapsToDomainError(t *testing.T) {
	var err error = &Error{Status: 422, Code: tandem.EInvalid, Detail: "The item is not valid.",
		Fields: []tandem.FieldError{{Field: "title", Message: "is required"}}}
	if tandem.ErrorCode(err) != tandem.EInvalid {
		t.Errorf("ErrorCode = %q", tandem.ErrorCode(err))
	}
	var te *tandem.Error
	if !errors.As(err, &te) || len(te.Fields) != 1 || te.Message != "The item is not valid." {
		t.Errorf("errors.As gave %+v", te)
	}
	if got, want := err.Error(), "422 invalid: The item is not valid. (title: is required)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
