package http

import (
	"context"
	"testing"

	"github.com/tandem-pm/tandem"
)

const seedPassword = "correct horse battery"

// seeded names what seedWorkspace made.
type seeded struct {
	WS                         *tandem.Workspace
	Owner, Viewer, Contributor *tandem.User
	Goal, SubGoal              *tandem.Goal
	KR                         *tandem.KeyResult
	Program                    *tandem.Program
	Project                    *tandem.Project
	Product                    *tandem.Product
	Epic, TaskA, TaskB         *tandem.Item
	Dep                        *tandem.Dependency
}

// seedWorkspace fills store with a small, realistic workspace through the
// domain's services, so that it works against any tandem.Store.
func seedWorkspace(t testing.TB, store tandem.Store) *seeded {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sd := &seeded{}
	sd.Owner = &tandem.User{Email: "pm@example.com", Name: "Program Manager"}
	must(store.CreateUser(ctx, sd.Owner, seedPassword))
	sd.Viewer = &tandem.User{Email: "sponsor@example.com", Name: "Sponsor"}
	must(store.CreateUser(ctx, sd.Viewer, seedPassword))
	sd.Contributor = &tandem.User{Email: "dev@example.com", Name: "Engineer"}
	must(store.CreateUser(ctx, sd.Contributor, seedPassword))
	sd.WS = &tandem.Workspace{Slug: "acme", Name: "Acme Bank"}
	must(store.CreateWorkspace(ctx, sd.WS, sd.Owner.ID))
	_, err := store.SetMember(ctx, sd.WS.ID, sd.Viewer.ID, tandem.RoleViewer)
	must(err)
	_, err = store.SetMember(ctx, sd.WS.ID, sd.Contributor.ID, tandem.RoleContributor)
	must(err)

	ctx = tandem.WithActor(ctx, sd.Owner.ID)
	ws := sd.WS.ID
	sd.Goal = &tandem.Goal{Title: "Grow digital banking", Description: "More customers bank **online**.", OwnerID: sd.Owner.ID,
		DueDate: tandem.Date{Year: 2027, Month: 12, Day: 31}}
	must(store.CreateGoal(ctx, ws, sd.Goal))
	sd.SubGoal = &tandem.Goal{Title: "Mobile adoption", ParentID: sd.Goal.ID}
	must(store.CreateGoal(ctx, ws, sd.SubGoal))
	sd.KR = &tandem.KeyResult{GoalID: sd.Goal.ID, Metric: "Digital active users", Unit: "k", Baseline: 100, Target: 130, Direction: tandem.Increase}
	must(store.CreateKeyResult(ctx, ws, sd.KR))
	must(store.AddMeasurement(ctx, ws, &tandem.Measurement{KeyResultID: sd.KR.ID, Date: tandem.Date{Year: 2026, Month: 6, Day: 30}, Value: 112, Note: "Q2"}))

	sd.Program = &tandem.Program{Name: "Digital Transformation", Objective: "Move the bank's customers to digital channels.\n\n- portal\n- core API",
		Sponsor: "Executive Board", ManagerID: sd.Owner.ID, Status: tandem.ProgramActive, Health: tandem.HealthAmber,
		HealthReason: "Core API migration is two weeks late", Budget: tandem.Money{Amount: 250000000, Currency: "EUR"},
		StartDate: tandem.Date{Year: 2026, Month: 1, Day: 1}, EndDate: tandem.Date{Year: 2027, Month: 6, Day: 30}, GoalIDs: []string{sd.Goal.ID}}
	must(store.CreateProgram(ctx, ws, sd.Program))
	sd.Project = &tandem.Project{ProgramID: sd.Program.ID, Name: "Customer portal", ManagerID: sd.Owner.ID, Status: tandem.ProjectActive,
		Health: tandem.HealthGreen, Budget: tandem.Money{Amount: 80000000, Currency: "EUR"},
		StartDate: tandem.Date{Year: 2026, Month: 10, Day: 1}, EndDate: tandem.Date{Year: 2027, Month: 3, Day: 31}}
	must(store.CreateProject(ctx, ws, sd.Project))
	must(store.CreateProject(ctx, ws, &tandem.Project{ProgramID: sd.Program.ID, Name: "Core API migration", Status: tandem.ProjectActive,
		Health: tandem.HealthRed, HealthReason: "Vendor contract unsigned", Budget: tandem.Money{Amount: 120000000, Currency: "EUR"},
		StartDate: tandem.Date{Year: 2026, Month: 7, Day: 1}, EndDate: tandem.Date{Year: 2027, Month: 6, Day: 30}}))
	sd.Product = &tandem.Product{Name: "Mobile Banking App", Vision: "Banking in your pocket.", OwnerID: sd.Owner.ID, GoalIDs: []string{sd.SubGoal.ID}}
	must(store.CreateProduct(ctx, ws, sd.Product))

	sd.Epic = &tandem.Item{Kind: tandem.KindEpic, Title: "Self-service onboarding", ProjectID: sd.Project.ID, Status: tandem.StatusInProgress, Progress: 40,
		PlannedStart: tandem.Date{Year: 2026, Month: 11, Day: 2}, PlannedFinish: tandem.Date{Year: 2026, Month: 12, Day: 18}}
	must(store.CreateItem(ctx, ws, sd.Epic))
	sd.TaskA = &tandem.Item{Kind: tandem.KindTask, Title: "Design sign-up flow", ParentID: sd.Epic.ID, ProjectID: sd.Project.ID,
		Status: tandem.StatusDone, AssigneeID: sd.Contributor.ID, Progress: 100, Description: "See [the brief](https://example.com/brief).",
		PlannedStart: tandem.Date{Year: 2026, Month: 11, Day: 2}, PlannedFinish: tandem.Date{Year: 2026, Month: 11, Day: 13}}
	must(store.CreateItem(ctx, ws, sd.TaskA))
	sd.TaskB = &tandem.Item{Kind: tandem.KindTask, Title: "Build sign-up API", ParentID: sd.Epic.ID, ProjectID: sd.Project.ID,
		ProductID: sd.Product.ID, Status: tandem.StatusPlanned, AssigneeID: sd.Contributor.ID, DurationDays: 5,
		PlannedStart: tandem.Date{Year: 2026, Month: 11, Day: 16}, PlannedFinish: tandem.Date{Year: 2026, Month: 11, Day: 20}}
	must(store.CreateItem(ctx, ws, sd.TaskB))
	must(store.CreateItem(ctx, ws, &tandem.Item{Kind: tandem.KindMilestone, Title: "Onboarding live", ParentID: sd.Epic.ID,
		ProjectID: sd.Project.ID, Status: tandem.StatusPlanned, PlannedStart: tandem.Date{Year: 2026, Month: 12, Day: 18}}))
	sd.Dep = &tandem.Dependency{PredecessorID: sd.TaskA.ID, SuccessorID: sd.TaskB.ID, Type: tandem.FinishToStart, LagDays: 2}
	must(store.CreateDependency(ctx, ws, sd.Dep))
	must(store.CreateComment(ctx, ws, &tandem.Comment{EntityType: tandem.EntityProgram, EntityID: sd.Program.ID,
		AuthorID: sd.Owner.ID, AuthorName: sd.Owner.Name, Body: "Steering committee on *Friday*."}))
	return sd
}
