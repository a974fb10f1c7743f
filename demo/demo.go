// Package demo seeds the demo scenario of DESIGN.md: a bank's Digital
// Transformation program and its Mobile Banking App product, in workspace
// "demo". It uses only the domain's service interfaces, so it runs on any store.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/tandem-pm/tandem"
)

// Slug is the demo workspace's slug.
const Slug = "demo"

// Password is every demo account's password. The demo is for trying Tandem
// out on one's own machine; never seed it on a shared server.
const Password = "tandem-demo"

// Account is one demo sign-in.
type Account struct {
	Email string
	Name  string
	Role  tandem.Role
}

// Accounts are the demo's people, named by role.
var Accounts = []Account{
	{"program.manager@demo.tandem.test", "Program Manager", tandem.RoleOwner},
	{"product.manager@demo.tandem.test", "Product Manager", tandem.RoleManager},
	{"sponsor@demo.tandem.test", "Sponsor", tandem.RoleViewer},
	{"tech.lead@demo.tandem.test", "Tech Lead", tandem.RoleContributor},
	{"admin@demo.tandem.test", "Workspace Admin", tandem.RoleAdmin},
}

// Seed creates the demo workspace unless it exists (then it does nothing and
// reports created=false). today anchors the plan's dates so that the demo
// always looks under way.
func Seed(ctx context.Context, st tandem.Store, today time.Time) (created bool, err error) {
	if _, err := st.FindWorkspace(ctx, Slug); err == nil {
		return false, nil
	} else if tandem.ErrorCode(err) != tandem.ENotFound {
		return false, err
	}
	s := &seeder{st: st, users: map[string]string{}}
	s.base = tandem.DateOf(today).AddDays(-int(today.Weekday()+6)%7 - 42) // a Monday six weeks ago
	if err := s.run(ctx); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	return true, nil
}

type seeder struct {
	st    tandem.Store
	ws    string
	base  tandem.Date
	users map[string]string // name → user ID
	items map[string]string // title → item ID
}

func (s *seeder) day(n int) tandem.Date { return s.base.AddDays(n) }

// calendar is the bank's working calendar and the workspace default: Monday
// to Friday, 8 hours, closed on the TARGET2 holidays (the days the euro
// payment system is shut: New Year's Day, Good Friday, Easter Monday,
// 1 May, 25 and 26 December) of every year from the plan's start to days
// after it.
func (s *seeder) calendar(days int) *tandem.Calendar {
	const day = "09:00-12:30,13:30-18:00"
	c := &tandem.Calendar{Name: "Northbank (TARGET2 holidays)", Default: true,
		Week: tandem.WorkWeek{Monday: day, Tuesday: day, Wednesday: day, Thursday: day, Friday: day}}
	from, to := s.day(0), s.day(days)
	for y := from.Year; y <= to.Year; y++ {
		easter := easterSunday(y)
		for _, h := range []tandem.CalendarException{
			{Name: "New Year's Day", From: tandem.Date{Year: y, Month: 1, Day: 1}},
			{Name: "Good Friday", From: easter.AddDays(-2)},
			{Name: "Easter Monday", From: easter.AddDays(1)},
			{Name: "Labour Day", From: tandem.Date{Year: y, Month: 5, Day: 1}},
			{Name: "Christmas Day", From: tandem.Date{Year: y, Month: 12, Day: 25}},
			{Name: "St Stephen's Day", From: tandem.Date{Year: y, Month: 12, Day: 26}},
		} {
			if !h.From.Before(from) && !to.Before(h.From) {
				c.Exceptions = append(c.Exceptions, h)
			}
		}
	}
	return c
}

// easterSunday returns the date of Easter Sunday in the Gregorian calendar
// (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
func easterSunday(y int) tandem.Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	return tandem.Date{Year: y, Month: month, Day: (h+l-7*m+114)%31 + 1}
}

func (s *seeder) run(ctx context.Context) error {
	for _, a := range Accounts {
		u, err := s.st.FindUserByEmail(ctx, a.Email)
		if tandem.ErrorCode(err) == tandem.ENotFound {
			u = &tandem.User{Email: a.Email, Name: a.Name}
			err = s.st.CreateUser(ctx, u, Password)
		}
		if err != nil {
			return err
		}
		s.users[a.Name] = u.ID
	}
	pm := s.users["Program Manager"]
	ctx = tandem.WithActor(ctx, pm)
	ws := &tandem.Workspace{Slug: Slug, Name: "Northbank Digital"}
	if err := s.st.CreateWorkspace(ctx, ws, pm); err != nil {
		return err
	}
	s.ws = ws.ID
	for _, a := range Accounts[1:] {
		if _, err := s.st.SetMember(ctx, ws.ID, s.users[a.Name], a.Role); err != nil {
			return err
		}
	}

	goals, err := s.goals(ctx)
	if err != nil {
		return err
	}
	cal := s.calendar(420)
	if err := s.st.CreateCalendar(ctx, ws.ID, cal); err != nil {
		return err
	}
	prog := &tandem.Program{
		Name:      "Digital Transformation",
		Objective: "Move Northbank's customers and operations to digital channels on a modern, API-first core by the end of next year.",
		Scope: "Customer portal relaunch, migration of the core banking API off the mainframe, a customer data platform, " +
			"and version 2 of the mobile app. Branch network changes are out of scope.",
		Sponsor: "Chief Digital Officer", ManagerID: pm, Status: tandem.ProgramActive,
		Health: tandem.HealthAmber, HealthReason: "Core API migration is two weeks behind; mobile app v2 depends on it.",
		StartDate: s.day(0), EndDate: s.day(420),
		Budget:  tandem.Money{Amount: 1_250_000_000, Currency: "EUR"},
		GoalIDs: []string{goals["digital"], goals["core"]},
	}
	if err := s.st.CreateProgram(ctx, ws.ID, prog); err != nil {
		return err
	}

	type projectSpec struct {
		key, name, desc string
		health, reason  string
		start, end      int
		budget          int64
		manager         string
	}
	projects := map[string]string{}
	for _, p := range []projectSpec{
		{"portal", "Customer Portal", "Relaunch of the web self-service portal on the new design system.", tandem.HealthGreen, "", 0, 180, 280_000_000, "Program Manager"},
		{"core", "Core API Migration", "Strangler migration of account, payment and card services from the mainframe to the new API platform.", tandem.HealthAmber, "Payments API load tests found a throughput gap; two weeks behind.", 0, 300, 520_000_000, "Tech Lead"},
		{"data", "Data Platform", "A customer data platform: event pipeline, Customer 360 view, consent management.", tandem.HealthGreen, "", 14, 240, 210_000_000, "Program Manager"},
		{"mobile", "Mobile App v2", "Rebuild of the mobile banking app on the new accounts and payments APIs.", tandem.HealthRed, "Cannot start integration until Accounts API v2 is live.", 28, 330, 240_000_000, "Product Manager"},
	} {
		x := &tandem.Project{ProgramID: prog.ID, Name: p.name, Description: p.desc, ManagerID: s.users[p.manager],
			Status: tandem.ProjectActive, Health: p.health, HealthReason: p.reason,
			StartDate: s.day(p.start), EndDate: s.day(p.end), Budget: tandem.Money{Amount: p.budget, Currency: "EUR"},
			CalendarID: cal.ID}
		if err := s.st.CreateProject(ctx, ws.ID, x); err != nil {
			return err
		}
		projects[p.key] = x.ID
	}

	product := &tandem.Product{
		Name:     "Mobile Banking App",
		Vision:   "The bank in your pocket: everything a retail customer does at a branch, done in under a minute on the phone.",
		Strategy: "Win daily engagement with instant payments and insights; cut cost to serve by moving servicing journeys (cards, disputes, address changes) into the app.",
		OwnerID:  s.users["Product Manager"],
		GoalIDs:  []string{goals["digital"], goals["cost"]},
	}
	if err := s.st.CreateProduct(ctx, ws.ID, product); err != nil {
		return err
	}
	if err := s.plan(ctx, projects, product.ID, goals); err != nil {
		return err
	}
	if err := s.comments(ctx); err != nil {
		return err
	}
	return s.feedback(ctx, s.st, product.ID) // demo/feedback.go
}

func (s *seeder) goals(ctx context.Context) (map[string]string, error) {
	ids := map[string]string{}
	type krSpec struct {
		metric, unit     string
		baseline, target float64
		dir              tandem.Direction
		measurements     []float64 // one a month, oldest first
	}
	type goalSpec struct {
		key, parent, title, desc string
		krs                      []krSpec
	}
	specs := []goalSpec{
		{"bank", "", "Become the most recommended digital bank in the region", "Northbank's three-year strategy.", nil},
		{"digital", "bank", "Grow digital engagement", "More customers do more of their banking in digital channels.", []krSpec{
			{"Digital active users", "users", 1_200_000, 1_560_000, tandem.Increase, []float64{1_215_000, 1_248_000, 1_296_000}},
			{"Share of payments started in the app", "%", 41, 60, tandem.Increase, []float64{42.5, 44.1, 47.9}},
		}},
		{"cost", "bank", "Reduce cost to serve", "Servicing journeys move from branches and call centres to self-service.", []krSpec{
			{"Cost per transaction", "EUR", 0.42, 0.30, tandem.Decrease, []float64{0.41, 0.39, 0.38}},
			{"Calls to the contact centre per 1,000 customers", "calls", 310, 220, tandem.Decrease, []float64{305, 296}},
		}},
		{"core", "bank", "Modernise the core platform", "Retire the mainframe's customer-facing workloads.", []krSpec{
			{"Services migrated off the mainframe", "services", 0, 40, tandem.Increase, []float64{4, 9, 13}},
		}},
		{"nps", "digital", "Lift app store rating", "", []krSpec{
			{"App store rating", "stars", 3.6, 4.5, tandem.Increase, []float64{3.7, 3.9}},
		}},
	}
	for _, g := range specs {
		goal := &tandem.Goal{ParentID: ids[g.parent], Title: g.title, Description: g.desc,
			OwnerID: s.users["Program Manager"], StartDate: s.day(0), DueDate: s.day(540)}
		if err := s.st.CreateGoal(ctx, s.ws, goal); err != nil {
			return nil, err
		}
		ids[g.key] = goal.ID
		for _, k := range g.krs {
			kr := &tandem.KeyResult{GoalID: goal.ID, Metric: k.metric, Unit: k.unit, Baseline: k.baseline,
				Target: k.target, Current: k.baseline, Direction: k.dir, DueDate: s.day(540)}
			if err := s.st.CreateKeyResult(ctx, s.ws, kr); err != nil {
				return nil, err
			}
			for i, v := range k.measurements {
				m := &tandem.Measurement{KeyResultID: kr.ID, Date: s.day(30 * (i + 1)), Value: v}
				if err := s.st.AddMeasurement(ctx, s.ws, m); err != nil {
					return nil, err
				}
			}
		}
	}
	return ids, nil
}

// plan creates each project's items and the dependencies between them.
func (s *seeder) plan(ctx context.Context, projects map[string]string, product string, goals map[string]string) error {
	s.items = map[string]string{}
	type itemSpec struct {
		project, kind, title, parent string
		days                         float64
		start                        int
		status                       string
		progress                     int
		assignee                     string
		product                      bool
	}
	const (
		backlog = tandem.StatusBacklog
		planned = tandem.StatusPlanned
		doing   = tandem.StatusInProgress
		done    = tandem.StatusDone
	)
	specs := []itemSpec{
		// Core API Migration
		{"core", tandem.KindEpic, "Accounts API v2", "", 0, 0, doing, 60, "Tech Lead", false},
		{"core", tandem.KindTask, "Design accounts domain model", "Accounts API v2", 10, 0, done, 100, "Tech Lead", false},
		{"core", tandem.KindTask, "Build accounts read services", "Accounts API v2", 25, 14, done, 100, "Tech Lead", false},
		{"core", tandem.KindTask, "Dual-run accounts against the mainframe", "Accounts API v2", 20, 49, doing, 40, "Tech Lead", false},
		{"core", tandem.KindMilestone, "Accounts API v2 live", "Accounts API v2", 0, 77, planned, 0, "", false},
		{"core", tandem.KindEpic, "Payments API", "", 0, 28, doing, 25, "Tech Lead", false},
		{"core", tandem.KindTask, "Instant payments gateway", "Payments API", 30, 28, doing, 50, "Tech Lead", false},
		{"core", tandem.KindTask, "Payments load and resilience tests", "Payments API", 15, 70, planned, 0, "Tech Lead", false},
		{"core", tandem.KindMilestone, "Payments API live", "Payments API", 0, 100, planned, 0, "", false},
		{"core", tandem.KindTask, "Decommission mainframe account screens", "", 20, 110, backlog, 0, "", false},
		// Data Platform
		{"data", tandem.KindTask, "Event pipeline", "", 30, 14, done, 100, "Tech Lead", false},
		{"data", tandem.KindTask, "Customer 360 view", "", 35, 56, doing, 30, "Tech Lead", false},
		{"data", tandem.KindTask, "Consent management service", "", 20, 70, planned, 0, "", false},
		{"data", tandem.KindMilestone, "Customer 360 available", "", 0, 105, planned, 0, "", false},
		// Customer Portal
		{"portal", tandem.KindTask, "Design system components", "", 20, 0, done, 100, "Product Manager", false},
		{"portal", tandem.KindTask, "Portal account overview", "", 25, 28, doing, 70, "Tech Lead", false},
		{"portal", tandem.KindTask, "Personalised offers on the portal", "", 20, 105, backlog, 0, "", false},
		{"portal", tandem.KindMilestone, "Portal relaunch", "", 0, 140, planned, 0, "", false},
		// Mobile App v2 (also the product's backlog)
		{"mobile", tandem.KindInitiative, "Everyday banking in the app", "", 0, 28, doing, 10, "Product Manager", true},
		{"mobile", tandem.KindFeature, "Instant payments to contacts", "Everyday banking in the app", 25, 105, planned, 0, "", true},
		{"mobile", tandem.KindFeature, "Spending insights", "Everyday banking in the app", 20, 84, planned, 0, "", true},
		{"mobile", tandem.KindFeature, "Card freeze and replace", "Everyday banking in the app", 10, 84, planned, 0, "", true},
		{"mobile", tandem.KindFeature, "Dispute a transaction", "Everyday banking in the app", 15, 120, backlog, 0, "", true},
		{"mobile", tandem.KindTask, "Biometric sign-in", "", 10, 28, doing, 60, "Tech Lead", true},
		{"mobile", tandem.KindTask, "App integration with Accounts API v2", "", 15, 84, planned, 0, "Tech Lead", false},
		{"mobile", tandem.KindMilestone, "Mobile app v2 in stores", "", 0, 160, planned, 0, "", true},
		{"", tandem.KindFeature, "Savings goals", "", 15, 0, backlog, 0, "", true},
		{"", tandem.KindFeature, "Dark mode", "", 5, 0, backlog, 0, "", true},
	}
	for _, it := range specs {
		x := &tandem.Item{Kind: it.kind, Title: it.title, ProjectID: projects[it.project], ParentID: s.items[it.parent],
			Status: it.status, Progress: it.progress, AssigneeID: s.users[it.assignee], DurationDays: it.days}
		if it.product {
			x.ProductID = product
			x.GoalIDs = []string{goals["digital"]}
		}
		if it.project != "" && it.kind != tandem.KindInitiative && it.kind != tandem.KindEpic {
			x.PlannedStart = s.day(it.start)
			x.PlannedFinish = s.day(it.start + int(it.days*7/5))
			x.EffortHours = it.days * 8
		}
		if err := s.st.CreateItem(ctx, s.ws, x); err != nil {
			return fmt.Errorf("item %q: %w", it.title, err)
		}
		s.items[it.title] = x.ID
	}
	links := []struct {
		pred, succ, typ string
		lag             float64
	}{
		{"Design accounts domain model", "Build accounts read services", "FS", 0},
		{"Build accounts read services", "Dual-run accounts against the mainframe", "FS", 0},
		{"Dual-run accounts against the mainframe", "Accounts API v2 live", "FS", 0},
		{"Instant payments gateway", "Payments load and resilience tests", "FS", 0},
		{"Payments load and resilience tests", "Payments API live", "FS", 0},
		{"Accounts API v2 live", "Decommission mainframe account screens", "FS", 5},
		{"Event pipeline", "Customer 360 view", "FS", 0},
		{"Customer 360 view", "Consent management service", "SS", 10},
		{"Consent management service", "Customer 360 available", "FS", 0},
		{"Customer 360 view", "Customer 360 available", "FF", 0},
		{"Design system components", "Portal account overview", "FS", 0},
		{"Customer 360 available", "Personalised offers on the portal", "FS", 0},
		{"Personalised offers on the portal", "Portal relaunch", "FS", 0},
		{"Portal account overview", "Portal relaunch", "FS", 0},
		// Across projects: the program's critical chain.
		{"Accounts API v2 live", "App integration with Accounts API v2", "FS", 0},
		{"App integration with Accounts API v2", "Spending insights", "FS", 0},
		{"App integration with Accounts API v2", "Card freeze and replace", "FS", 0},
		{"Payments API live", "Instant payments to contacts", "FS", 0},
		{"Customer 360 available", "Spending insights", "FS", -5},
		{"Instant payments to contacts", "Mobile app v2 in stores", "FS", 0},
		{"Spending insights", "Mobile app v2 in stores", "FS", 0},
		{"Card freeze and replace", "Mobile app v2 in stores", "FS", 0},
		{"Biometric sign-in", "Mobile app v2 in stores", "FS", 0},
		{"Dispute a transaction", "Mobile app v2 in stores", "FS", 0},
	}
	for _, l := range links {
		d := &tandem.Dependency{PredecessorID: s.items[l.pred], SuccessorID: s.items[l.succ], Type: l.typ, LagDays: l.lag}
		if err := s.st.CreateDependency(ctx, s.ws, d); err != nil {
			return fmt.Errorf("dependency %q → %q: %w", l.pred, l.succ, err)
		}
	}
	return nil
}

func (s *seeder) comments(ctx context.Context) error {
	for _, c := range []struct{ author, item, body string }{
		{"Tech Lead", "Dual-run accounts against the mainframe", "Reconciliation differences are down to 0.02% of balances; the rest are timing (end-of-day batch). Expect sign-off next week."},
		{"Program Manager", "Accounts API v2 live", "This milestone gates the mobile app integration. Any slip here moves **Mobile app v2 in stores** one for one."},
		{"Product Manager", "Instant payments to contacts", "Top request in app reviews and the support queue: customers ask for it almost daily."},
		{"Program Manager", "Payments load and resilience tests", "The sponsor asked that the board pack shows the throughput gap and its mitigation."},
	} {
		cm := &tandem.Comment{EntityType: tandem.EntityItem, EntityID: s.items[c.item], AuthorID: s.users[c.author], Body: c.body}
		if err := s.st.CreateComment(tandem.WithActor(ctx, s.users[c.author]), s.ws, cm); err != nil {
			return err
		}
	}
	return nil
}
