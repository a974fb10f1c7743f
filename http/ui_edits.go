package http

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tandem-pm/tandem"
)

// Small edits from the detail pages: key results (metric, unit, target,
// current value), one's own comments, and workspace members added by email.

func (s *Server) editUIRoutes() []route {
	return []route{
		{Method: "POST", Pattern: "/w/{ws}/key-results/{id}/edit", Perm: tandem.PermEditAll, UI: true, Handle: s.handleKeyResultUpdate},
		{Method: "POST", Pattern: "/w/{ws}/comments/{id}/edit", Perm: tandem.PermEditItems, UI: true, Handle: s.handleCommentUpdate},
		{Method: "POST", Pattern: "/w/{ws}/comments/{id}/delete", Perm: tandem.PermEditItems, UI: true, Handle: s.handleCommentDelete},
		{Method: "POST", Pattern: "/w/{ws}/members", Perm: tandem.PermManageMembers, UI: true, Handle: s.handleMemberAdd},
	}
}

// handleKeyResultUpdate changes a key result's metric, unit, target and due
// date, and, when the current value changed, records it as today's
// measurement, all in one store write (tandem.KeyResultUpdate.Current).
func (s *Server) handleKeyResultUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	ctx, ws := r.Context(), rq.Workspace.ID
	k, err := s.Store.FindKeyResultByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := &formReader{v: r.PostForm}
	metric, unit := f.str("metric"), f.str("unit")
	target, due := f.float("target"), f.date("due_date")
	f.required("target")
	current, setCurrent := k.Current, false
	if f.str("current") != "" {
		current = f.float("current")
		setCurrent = current != k.Current
	}
	upd := tandem.KeyResultUpdate{Metric: &metric, Unit: &unit, Target: &target, DueDate: &due}
	if setCurrent {
		upd.Current = &current
	}
	check := *k
	upd.Apply(&check)
	f.merge(check.Validate())
	if len(f.p) == 0 {
		_, err = s.Store.UpdateKeyResult(ctx, ws, k.ID, upd, int64(f.int("version")))
		if tandem.ErrorCode(err) == tandem.EStale {
			f.p.Add("", "someone else changed this key result; reload the page and try again")
		} else if err := f.storeErr(err, "metric", tandem.EInvalid, tandem.EConflict); err != nil {
			return err
		}
	}
	if len(f.p) > 0 {
		return s.goalView(w, r, rq, k.GoalID, http.StatusUnprocessableEntity, func(d *goalData) {
			for _, row := range d.KRs {
				if row.KR.ID == k.ID {
					row.EditForm = r.PostForm
					row.EditError, row.EditErrors = keyResultFormErrors("saved", f.p, keyResultEditFields)
				}
			}
		})
	}
	return s.seeOtherWith(w, r, goalKind.base(rq)+"/"+k.GoalID+"#kr-"+k.ID, "Key result saved.")
}

// commentTarget returns the page a comment is shown on.
func commentTarget(rq *request, c *tandem.Comment) string {
	for _, k := range entityKinds {
		if k.entity == c.EntityType {
			return k.base(rq) + "/" + c.EntityID + "#comment-" + c.ID
		}
	}
	return "/w/" + url.PathEscape(rq.Workspace.Slug)
}

// mayChangeComment is the rule of the comments API: the author, or a
// member who may edit everything (manager, admin, owner).
func mayChangeComment(rq *request, c *tandem.Comment) error {
	if c.AuthorID == rq.User.ID || rq.Member.Role.Can(tandem.PermEditAll) {
		return nil
	}
	return tandem.Errorf(tandem.EForbidden, "Only the author or a manager can change this comment.")
}

func (s *Server) handleCommentUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	ctx, ws := r.Context(), rq.Workspace.ID
	c, err := s.Store.FindCommentByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := mayChangeComment(rq, c); err != nil {
		return err
	}
	body := normalizeText(r.PostFormValue("body"))
	back := commentTarget(rq, c)
	if strings.TrimSpace(body) == "" || body == c.Body {
		return seeOther(w, r, back)
	}
	if _, err := s.Store.UpdateComment(ctx, ws, c.ID, tandem.CommentUpdate{Body: &body}, 0); err != nil {
		return err
	}
	return s.seeOtherWith(w, r, back, "Comment saved.")
}

func (s *Server) handleCommentDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, ws := r.Context(), rq.Workspace.ID
	c, err := s.Store.FindCommentByID(ctx, ws, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := mayChangeComment(rq, c); err != nil {
		return err
	}
	if err := s.Store.DeleteComment(ctx, ws, c.ID); err != nil {
		return err
	}
	back := commentTarget(rq, c)
	back, _, _ = strings.Cut(back, "#")
	return s.seeOtherWith(w, r, back+"#comments", "Comment deleted.")
}

// handleMemberAdd adds an existing user, found by email, to the workspace
// with a role. Accounts are made by an operator (`tandem user create`);
// the form does not say whether an email has an account beyond "not found".
func (s *Server) handleMemberAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseUIForm(w, r); err != nil {
		return err
	}
	ctx, ws := r.Context(), rq.Workspace.ID
	email := strings.TrimSpace(r.PostFormValue("email"))
	role := tandem.Role(r.PostFormValue("role"))
	fail := func(status int, msg string) error {
		return s.memberListForm(w, r, rq, status, msg, r.PostForm)
	}
	if email == "" || !strings.Contains(email, "@") {
		return fail(http.StatusUnprocessableEntity, "Enter the email address of the person to add.")
	}
	if !role.Valid() {
		return fail(http.StatusUnprocessableEntity, "Choose one of the listed roles.")
	}
	if role == tandem.RoleOwner && rq.Member.Role != tandem.RoleOwner {
		return fail(http.StatusForbidden, "Only an owner can make someone an owner.")
	}
	u, err := s.Store.FindUserByEmail(ctx, email)
	if tandem.ErrorCode(err) == tandem.ENotFound {
		return fail(http.StatusUnprocessableEntity, "No account has the email "+email+". Ask an operator to create one (tandem user create), then add it here.")
	} else if err != nil {
		return err
	}
	if _, err := s.Store.FindMember(ctx, ws, u.ID); err == nil {
		return fail(http.StatusConflict, u.Name+" is a member already; change their role in the list.")
	} else if tandem.ErrorCode(err) != tandem.ENotFound {
		return err
	}
	if _, err := s.Store.SetMember(ctx, ws, u.ID, role); err != nil {
		if c := tandem.ErrorCode(err); c == tandem.EInvalid || c == tandem.EConflict {
			return fail(statusOf(c), tandem.ErrorMessage(err))
		}
		return err
	}
	return s.seeOtherWith(w, r, "/w/"+url.PathEscape(rq.Workspace.Slug)+"/members", u.Name+" added as "+humanLabel(string(role))+".")
}
