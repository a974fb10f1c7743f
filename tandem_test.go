package tandem

import (
	"encoding/json"
	"math"
	"testing"
)

func TestDateJSON(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{`"2025-01-31"`, Date{2025, 1, 31}, false},
		{`null`, Date{}, false},
		{`""`, Date{}, false},
		{`"2025-02-30"`, Date{}, true},
		{`"31/01/2025"`, Date{}, true},
		{`20250131`, Date{}, true},
	} {
		var d Date
		err := json.Unmarshal([]byte(tc.in), &d)
		if (err != nil) != tc.wantErr || d != tc.want {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v, error %v", tc.in, d, err, tc.want, tc.wantErr)
		}
	}
	b, _ := json.Marshal(struct{ A, B Date }{Date{2024, 3, 4}, Date{}})
	if got, want := string(b), `{"A":"2024-03-04","B":null}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	if got := (Date{2024, 2, 28}).AddDays(2); got != (Date{2024, 3, 1}) {
		t.Errorf("AddDays across a leap day = %v", got)
	}
}

func TestRolePermissions(t *testing.T) {
	want := map[Role][4]bool{ // read, edit items, edit all, manage members
		RoleOwner:       {true, true, true, true},
		RoleAdmin:       {true, true, true, true},
		RoleManager:     {true, true, true, false},
		RoleContributor: {true, true, false, false},
		RoleViewer:      {true, false, false, false},
		Role("king"):    {false, false, false, false},
	}
	for role, w := range want {
		for i, perm := range []Permission{PermRead, PermEditItems, PermEditAll, PermManageMembers} {
			if got := role.Can(perm); got != w[i] {
				t.Errorf("%s.Can(%d) = %v, want %v", role, perm, got, w[i])
			}
		}
	}
}

func TestKeyResultProgress(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		baseline, target, current float64
		want                      float64
	}{
		{"half way up", 100, 200, 150, 0.5},
		{"half way down", 0.42, 0.30, 0.36, 0.5},
		{"beyond the target", 0, 10, 12, 1},
		{"worse than the baseline", 0, 10, -3, 0},
	} {
		k := KeyResult{Baseline: tc.baseline, Target: tc.target, Current: tc.current}
		k.ComputeProgress()
		if math.Abs(k.Progress-tc.want) > 1e-9 {
			t.Errorf("%s: progress = %v, want %v", tc.name, k.Progress, tc.want)
		}
	}
}

func TestRollUpGoalProgress(t *testing.T) {
	root := &Goal{Meta: Meta{ID: "r"}}
	a := &Goal{Meta: Meta{ID: "a"}, ParentID: "r"}
	b := &Goal{Meta: Meta{ID: "b"}, ParentID: "r"}
	krs := []*KeyResult{
		{GoalID: "a", Baseline: 0, Target: 10, Current: 10}, // 1
		{GoalID: "a", Baseline: 0, Target: 10, Current: 0},  // 0
		{GoalID: "b", Baseline: 0, Target: 4, Current: 1},   // 0.25
		{GoalID: "r", Baseline: 0, Target: 2, Current: 2},   // 1
	}
	RollUpGoalProgress([]*Goal{root, a, b}, krs)
	if a.Progress != 0.5 || b.Progress != 0.25 {
		t.Errorf("children = %v, %v; want 0.5, 0.25", a.Progress, b.Progress)
	}
	if want := (1 + 0.5 + 0.25) / 3; math.Abs(root.Progress-want) > 1e-9 {
		t.Errorf("root = %v, want %v", root.Progress, want)
	}
}

func TestPasswordHash(t *testing.T) {
	h := HashPassword("correct horse battery staple")
	if !CheckPassword(h, "correct horse battery staple") {
		t.Error("the right password does not match its hash")
	}
	if CheckPassword(h, "correct horse battery stapler") {
		t.Error("a wrong password matches")
	}
	if h2 := HashPassword("correct horse battery staple"); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "plain"} {
		if CheckPassword(bad, "x") {
			t.Errorf("CheckPassword(%q) matched", bad)
		}
	}
	if err := ValidatePassword("short"); ErrorCode(err) != EInvalid {
		t.Errorf("ValidatePassword(short) = %v, want invalid", err)
	}
}

func TestValidationNamesFields(t *testing.T) {
	x := &Item{Kind: "story", Title: " ", Status: StatusBacklog, Progress: 120, GoalIDs: []string{}}
	err := x.Validate()
	var e *Error
	if !asError(err, &e) {
		t.Fatalf("Validate = %v, want *Error", err)
	}
	fields := map[string]bool{}
	for _, f := range e.Fields {
		fields[f.Field] = true
	}
	for _, f := range []string{"kind", "title", "progress"} {
		if !fields[f] {
			t.Errorf("no error for %s in %v", f, e.Fields)
		}
	}
	d := &Dependency{PredecessorID: NewID(), Type: "XX"}
	d.SuccessorID = d.PredecessorID
	if err := d.Validate(); ErrorCode(err) != EInvalid {
		t.Errorf("self-dependency with a bad type: %v", err)
	}
}

func asError(err error, e **Error) bool {
	v, ok := err.(*Error)
	*e = v
	return ok
}
