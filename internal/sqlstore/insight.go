package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tandem-pm/tandem"
)

// This file implements tandem.InsightService: feedback, ideas and their
// votes, interviews and highlights, the stored themes, and evidence links.

// jsonList writes a string slice as a JSON array (never null).
func jsonList(xs []string) string {
	if xs == nil {
		xs = []string{}
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// listCol reads a JSON array of strings from a text column.
type listCol struct{ xs *[]string }

func (x listCol) Scan(v any) error {
	var b []byte
	if err := (bytesCol{&b}).Scan(v); err != nil {
		return err
	}
	*x.xs = []string{}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, x.xs)
}

// intsCol reads a JSON array of integers from a text column.
type intsCol struct{ xs *[]int }

func (x intsCol) Scan(v any) error {
	var b []byte
	if err := (bytesCol{&b}).Scan(v); err != nil {
		return err
	}
	*x.xs = []int{}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, x.xs)
}

func jsonInts(xs []int) string {
	if xs == nil {
		xs = []int{}
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

type scanner interface{ Scan(dest ...any) error }

// inTable reports whether table has a row id in workspace ws.
func (t *tx) inTable(ctx context.Context, table, ws, id string) (bool, error) {
	return t.exists(ctx, `SELECT 1 FROM `+table+` WHERE id = $1 AND workspace_id = $2`, id, ws)
}

// checkRefs returns EInvalid for references that are not in the workspace.
func (t *tx) checkRefs(ctx context.Context, ws, what string, refs ...[3]string) error {
	var p tandem.Problems
	for _, r := range refs {
		field, table, id := r[0], r[1], r[2]
		if id == "" {
			continue
		}
		ok, err := t.inTable(ctx, table, ws, id)
		if err != nil {
			return err
		}
		if !ok {
			p.Add(field, "does not exist in this workspace")
		}
	}
	return p.Err(what)
}

// ---- Feedback ----

const feedbackCols = `id, workspace_id, version, created_at, updated_at, body, source, customer_name, customer_email, account, account_tier,
	revenue_amount, revenue_currency, received_on, tags, sentiment_score, sentiment_label, theme_id`

func scanFeedback(r interface{ Scan(...any) error }, f *tandem.Feedback) error {
	return r.Scan(&f.ID, &f.WorkspaceID, &f.Version, ts{&f.CreatedAt}, ts{&f.UpdatedAt}, &f.Text, &f.Source, &f.CustomerName, &f.CustomerEmail,
		&f.Account, &f.AccountTier, &f.AccountRevenue.Amount, &f.AccountRevenue.Currency, date{&f.ReceivedOn}, listCol{&f.Tags},
		&f.SentimentScore, &f.SentimentLabel, ns{&f.ThemeID})
}

func (t *tx) findFeedback(ctx context.Context, ws, id string) (*tandem.Feedback, error) {
	return findByID(ctx, t, "feedback", "feedback", feedbackCols, scanFeedback, ws, id)
}

// FindFeedbackByID returns one piece of feedback.
func (s *Store) FindFeedbackByID(ctx context.Context, ws, id string) (*tandem.Feedback, error) {
	return s.reader(ctx).findFeedback(ctx, ws, id)
}

// FindFeedback lists feedback, newest first.
func (s *Store) FindFeedback(ctx context.Context, ws string, f tandem.FeedbackFilter) ([]*tandem.Feedback, string, error) {
	t := s.reader(ctx)
	var w filter
	w.add("workspace_id = %s", ws)
	if f.Source != "" {
		w.add("source = %s", f.Source)
	}
	switch f.ThemeID {
	case "":
	case "none":
		w.add("theme_id IS NULL")
	default:
		w.add("theme_id = %s", f.ThemeID)
	}
	if f.Sentiment != "" {
		w.add("sentiment_label = %s", f.Sentiment)
	}
	if f.Account != "" {
		w.add("account = %s", f.Account)
	}
	if f.Tag != "" {
		quoted := jsonList([]string{f.Tag}) // ["tag"]: the tag as JSON writes it
		w.add(`tags LIKE %s ESCAPE '\'`, likeExact(quoted[1:len(quoted)-1]))
	}
	if f.Q != "" {
		w.add(`LOWER(body) LIKE %s ESCAPE '\'`, likeQ(f.Q))
	}
	tail, err := w.page(f.Page, "id", true)
	if err != nil {
		return nil, "", err
	}
	return findPage(ctx, t, "feedback", `SELECT `+feedbackCols+` FROM feedback`+w.where()+tail, w.args, f.Page, scanFeedback,
		func(x *tandem.Feedback) string { return x.ID })
}

// likeExact returns a LIKE pattern that finds s anywhere, as it is.
func likeExact(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

func (t *tx) insertFeedback(ctx context.Context, ws string, x *tandem.Feedback) error {
	x.Defaults()
	if err := x.Validate(); err != nil {
		return err
	}
	x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
	_, err := t.exec(ctx, `INSERT INTO feedback (`+feedbackCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		x.ID, ws, x.Version, tsv(t.now), tsv(t.now), x.Text, x.Source, x.CustomerName, x.CustomerEmail, x.Account, x.AccountTier,
		x.AccountRevenue.Amount, x.AccountRevenue.Currency, datev(x.ReceivedOn), jsonList(x.Tags), x.SentimentScore, x.SentimentLabel, nullStr(x.ThemeID))
	if err != nil {
		return t.dbErr(err, "feedback")
	}
	return t.record(ctx, ws, tandem.EntityFeedback, x.ID, tandem.ActionCreate, clipSummary(x.Text), nil, x)
}

func clipSummary(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 80 {
		s = string([]rune(s)[:79]) + "…"
	}
	return s
}

// CreateFeedback stores one piece of feedback. Its theme is set by theme
// extraction only.
func (s *Store) CreateFeedback(ctx context.Context, ws string, x *tandem.Feedback) error {
	x.ThemeID = ""
	return s.inTx(ctx, func(t *tx) error { return t.insertFeedback(ctx, ws, x) })
}

// ImportFeedback stores all of xs in one transaction, or none. A problem
// names the row (1-based) it was found in.
func (s *Store) ImportFeedback(ctx context.Context, ws string, xs []*tandem.Feedback) error {
	for i, x := range xs {
		x.Defaults()
		x.ThemeID = ""
		if err := x.Validate(); err != nil {
			var e *tandem.Error
			if errors.As(err, &e) {
				return &tandem.Error{Code: e.Code, Message: fmt.Sprintf("Row %d: %s", i+1, e.Message), Fields: e.Fields}
			}
			return err
		}
	}
	return s.inTx(ctx, func(t *tx) error {
		for start := 0; start < len(xs); start += importBatch {
			if err := t.insertFeedbackBatch(ctx, ws, xs[start:min(start+importBatch, len(xs))]); err != nil {
				return err
			}
		}
		return nil
	})
}

// importBatch is how many rows one INSERT of an import writes: few round
// trips to PostgreSQL, far below both databases' limits on parameters.
const importBatch = 100

// insertFeedbackBatch inserts validated feedback and its activity rows with
// one multi-row INSERT each.
func (t *tx) insertFeedbackBatch(ctx context.Context, ws string, xs []*tandem.Feedback) error {
	var fq, aq strings.Builder
	fq.WriteString(`INSERT INTO feedback (` + feedbackCols + `) VALUES `)
	aq.WriteString(`INSERT INTO activity (id, workspace_id, actor_id, at, entity_type, entity_id, action, summary, before_json, after_json) VALUES `)
	fargs := make([]any, 0, len(xs)*18)
	aargs := make([]any, 0, len(xs)*10)
	tuple := func(b *strings.Builder, first, n, i int) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range n {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "$%d", first+j+1)
		}
		b.WriteByte(')')
	}
	for i, x := range xs {
		x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		tuple(&fq, len(fargs), 18, i)
		fargs = append(fargs, x.ID, ws, x.Version, tsv(t.now), tsv(t.now), x.Text, x.Source, x.CustomerName, x.CustomerEmail, x.Account, x.AccountTier,
			x.AccountRevenue.Amount, x.AccountRevenue.Currency, datev(x.ReceivedOn), jsonList(x.Tags), x.SentimentScore, x.SentimentLabel, nil)
		after, err := jsonOrNil(x)
		if err != nil {
			return err
		}
		tuple(&aq, len(aargs), 10, i)
		aargs = append(aargs, tandem.NewID(), ws, nullStr(t.actor), tsv(t.now), tandem.EntityFeedback, x.ID, tandem.ActionCreate, clipSummary(x.Text), nil, after)
	}
	if _, err := t.exec(ctx, fq.String(), fargs...); err != nil {
		return fmt.Errorf("import feedback: %w", t.dbErr(err, "feedback"))
	}
	if _, err := t.exec(ctx, aq.String(), aargs...); err != nil {
		return fmt.Errorf("import feedback: record activity: %w", err)
	}
	return nil
}

// UpdateFeedback changes a piece of feedback; version 0 skips the check.
func (s *Store) UpdateFeedback(ctx context.Context, ws, id string, upd tandem.FeedbackUpdate, version int64) (*tandem.Feedback, error) {
	var out *tandem.Feedback
	err := s.inTx(ctx, func(t *tx) error {
		cur, err := t.findFeedback(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("feedback", id, version, cur.Version); err != nil {
			return err
		}
		x := *cur
		x.Tags = slices.Clone(cur.Tags)
		upd.Apply(&x)
		if err := x.Validate(); err != nil {
			return err
		}
		x.Version, x.UpdatedAt = cur.Version+1, t.now
		_, err = t.exec(ctx, `UPDATE feedback SET version = $1, updated_at = $2, body = $3, source = $4, customer_name = $5, customer_email = $6,
			account = $7, account_tier = $8, revenue_amount = $9, revenue_currency = $10, received_on = $11, tags = $12
			WHERE id = $13 AND workspace_id = $14`,
			x.Version, tsv(t.now), x.Text, x.Source, x.CustomerName, x.CustomerEmail, x.Account, x.AccountTier,
			x.AccountRevenue.Amount, x.AccountRevenue.Currency, datev(x.ReceivedOn), jsonList(x.Tags), id, ws)
		if err != nil {
			return t.dbErr(err, "feedback")
		}
		out = &x
		return t.record(ctx, ws, tandem.EntityFeedback, id, tandem.ActionUpdate, clipSummary(x.Text), cur, &x)
	})
	return out, err
}

// DeleteFeedback deletes a piece of feedback and the evidence that quotes it.
func (s *Store) DeleteFeedback(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		cur, err := t.findFeedback(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := t.deleteEvidenceWhere(ctx, ws, "feedback_id", id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM feedback WHERE id = $1 AND workspace_id = $2`, id, ws); err != nil {
			return fmt.Errorf("delete feedback: %w", err)
		}
		return t.record(ctx, ws, tandem.EntityFeedback, id, tandem.ActionDelete, clipSummary(cur.Text), cur, nil)
	})
}

// ---- Ideas ----

const ideaCols = `id, workspace_id, version, created_at, updated_at, product_id, title, description, status, submitter_name, submitter_email,
	votes, merged_into_id, item_id, public`

func scanIdea(r interface{ Scan(...any) error }, x *tandem.Idea) error {
	return r.Scan(&x.ID, &x.WorkspaceID, &x.Version, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, ns{&x.ProductID}, &x.Title, &x.Description, &x.Status,
		&x.SubmitterName, &x.SubmitterEmail, &x.Votes, ns{&x.MergedIntoID}, ns{&x.ItemID}, &x.Public)
}

func (t *tx) findIdea(ctx context.Context, ws, id string) (*tandem.Idea, error) {
	return findByID(ctx, t, "idea", "ideas", ideaCols, scanIdea, ws, id)
}

// FindIdeaByID returns one idea.
func (s *Store) FindIdeaByID(ctx context.Context, ws, id string) (*tandem.Idea, error) {
	return s.reader(ctx).findIdea(ctx, ws, id)
}

// FindIdeas lists ideas, newest first.
func (s *Store) FindIdeas(ctx context.Context, ws string, f tandem.IdeaFilter) ([]*tandem.Idea, string, error) {
	t := s.reader(ctx)
	var w filter
	w.add("workspace_id = %s", ws)
	if f.ProductID != "" {
		w.add("product_id = %s", f.ProductID)
	}
	if f.Status != "" {
		w.add("status = %s", f.Status)
	}
	if f.Public != nil {
		w.add("public = %s", *f.Public)
	}
	if f.Q != "" {
		w.add(`(LOWER(title) LIKE %s ESCAPE '\' OR LOWER(description) LIKE %s ESCAPE '\')`, likeQ(f.Q), likeQ(f.Q))
	}
	tail, err := w.page(f.Page, "id", true)
	if err != nil {
		return nil, "", err
	}
	return findPage(ctx, t, "ideas", `SELECT `+ideaCols+` FROM ideas`+w.where()+tail, w.args, f.Page, scanIdea,
		func(x *tandem.Idea) string { return x.ID })
}

func (t *tx) checkIdeaRefs(ctx context.Context, ws string, x *tandem.Idea) error {
	return t.checkRefs(ctx, ws, "idea",
		[3]string{"product_id", "products", x.ProductID},
		[3]string{"item_id", "items", x.ItemID})
}

// CreateIdea stores an idea; it starts without votes and unmerged.
func (s *Store) CreateIdea(ctx context.Context, ws string, x *tandem.Idea) error {
	x.Defaults()
	x.Votes, x.MergedIntoID = 0, ""
	if x.Status == tandem.IdeaMerged {
		return tandem.Errorf(tandem.EInvalid, "Merge an idea through MergeIdea, not by its status.")
	}
	if err := x.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		if err := t.checkIdeaRefs(ctx, ws, x); err != nil {
			return err
		}
		x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		_, err := t.exec(ctx, `INSERT INTO ideas (`+ideaCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			x.ID, ws, x.Version, tsv(t.now), tsv(t.now), nullStr(x.ProductID), x.Title, x.Description, x.Status, x.SubmitterName, x.SubmitterEmail,
			0, nil, nullStr(x.ItemID), x.Public)
		if err != nil {
			return t.dbErr(err, "idea")
		}
		return t.record(ctx, ws, tandem.EntityIdea, x.ID, tandem.ActionCreate, x.Title, nil, x)
	})
}

func (t *tx) writeIdea(ctx context.Context, x *tandem.Idea) error {
	_, err := t.exec(ctx, `UPDATE ideas SET version = $1, updated_at = $2, product_id = $3, title = $4, description = $5, status = $6,
		votes = $7, merged_into_id = $8, item_id = $9, public = $10 WHERE id = $11 AND workspace_id = $12`,
		x.Version, tsv(x.UpdatedAt), nullStr(x.ProductID), x.Title, x.Description, x.Status, x.Votes, nullStr(x.MergedIntoID), nullStr(x.ItemID), x.Public,
		x.ID, x.WorkspaceID)
	return t.dbErr(err, "idea")
}

// UpdateIdea changes an idea. Its status cannot become or stop being
// "merged" here: MergeIdea does that.
func (s *Store) UpdateIdea(ctx context.Context, ws, id string, upd tandem.IdeaUpdate, version int64) (*tandem.Idea, error) {
	var out *tandem.Idea
	err := s.inTx(ctx, func(t *tx) error {
		cur, err := t.findIdea(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("idea", id, version, cur.Version); err != nil {
			return err
		}
		x := *cur
		upd.Apply(&x)
		x.Defaults()
		if (x.Status == tandem.IdeaMerged) != (cur.Status == tandem.IdeaMerged) {
			var p tandem.Problems
			p.Add("status", "merge an idea with the merge action; a merged idea stays merged")
			return p.Err("idea")
		}
		if err := x.Validate(); err != nil {
			return err
		}
		if err := t.checkIdeaRefs(ctx, ws, &x); err != nil {
			return err
		}
		x.Version, x.UpdatedAt = cur.Version+1, t.now
		if err := t.writeIdea(ctx, &x); err != nil {
			return err
		}
		out = &x
		return t.record(ctx, ws, tandem.EntityIdea, id, tandem.ActionUpdate, x.Title, cur, &x)
	})
	return out, err
}

// DeleteIdea deletes an idea with its votes and evidence; ideas merged
// into it become unmerged duplicates with status new.
func (s *Store) DeleteIdea(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		cur, err := t.findIdea(ctx, ws, id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE ideas SET merged_into_id = NULL, status = $1, version = version + 1, updated_at = $2
			WHERE merged_into_id = $3 AND workspace_id = $4`, tandem.IdeaNew, tsv(t.now), id, ws); err != nil {
			return fmt.Errorf("delete idea: %w", err)
		}
		if err := t.deleteEvidenceWhere(ctx, ws, "idea_id", id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM idea_votes WHERE idea_id = $1`, id); err != nil {
			return fmt.Errorf("delete idea: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM ideas WHERE id = $1 AND workspace_id = $2`, id, ws); err != nil {
			return fmt.Errorf("delete idea: %w", err)
		}
		return t.record(ctx, ws, tandem.EntityIdea, id, tandem.ActionDelete, cur.Title, cur, nil)
	})
}

// countVotes stores and returns the number of votes of idea id.
func (t *tx) countVotes(ctx context.Context, id string) (int, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM idea_votes WHERE idea_id = $1`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("count votes: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE ideas SET votes = $1 WHERE id = $2`, n, id); err != nil {
		return 0, fmt.Errorf("count votes: %w", err)
	}
	return n, nil
}

// VoteIdea records one vote per voter (an email or a user ID, compared
// case-insensitively); voting twice is not an error. A vote for a merged
// idea counts for the idea it was merged into, which is returned. Votes
// are kept in idea_votes with their time; they change no version and write
// no activity, since customers on the public portal cast them.
func (s *Store) VoteIdea(ctx context.Context, ws, id, voter string) (*tandem.Idea, error) {
	voter = tandem.NormalizeEmail(voter)
	if voter == "" || len(voter) > 254 {
		var p tandem.Problems
		p.Add("voter", "is required (an email or a user ID) and must be at most 254 characters")
		return nil, p.Err("vote")
	}
	var out *tandem.Idea
	err := s.inTx(ctx, func(t *tx) error {
		x, err := t.findIdea(ctx, ws, id)
		if err != nil {
			return err
		}
		for hops := 0; x.MergedIntoID != "" && hops < 10; hops++ {
			if x, err = t.findIdea(ctx, ws, x.MergedIntoID); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `INSERT INTO idea_votes (idea_id, voter, created_at) VALUES ($1, $2, $3) ON CONFLICT (idea_id, voter) DO NOTHING`,
			x.ID, voter, tsv(t.now)); err != nil {
			return fmt.Errorf("vote: %w", err)
		}
		if x.Votes, err = t.countVotes(ctx, x.ID); err != nil {
			return err
		}
		out = x
		return nil
	})
	return out, err
}

// MergeIdea marks dup as merged into target and moves its votes (without
// double counting); dup's submitter counts as a voter for target, and
// ideas merged into dup follow it into target.
func (s *Store) MergeIdea(ctx context.Context, ws, dupID, targetID string) (*tandem.Idea, error) {
	if dupID == targetID {
		var p tandem.Problems
		p.Add("target_id", "an idea cannot be merged into itself")
		return nil, p.Err("merge")
	}
	var out *tandem.Idea
	err := s.inTx(ctx, func(t *tx) error {
		dup, err := t.findIdea(ctx, ws, dupID)
		if err != nil {
			return err
		}
		target, err := t.findIdea(ctx, ws, targetID)
		if tandem.ErrorCode(err) == tandem.ENotFound {
			var p tandem.Problems
			p.Add("target_id", "does not exist in this workspace")
			return p.Err("merge")
		} else if err != nil {
			return err
		}
		if target.MergedIntoID != "" {
			var p tandem.Problems
			p.Add("target_id", "is itself merged into another idea; merge into that one")
			return p.Err("merge")
		}
		if dup.MergedIntoID != "" {
			return tandem.Errorf(tandem.EConflict, "This idea is already merged into another.")
		}
		if _, err := t.exec(ctx, `INSERT INTO idea_votes (idea_id, voter, created_at) SELECT $1, voter, created_at FROM idea_votes WHERE idea_id = $2
			ON CONFLICT (idea_id, voter) DO NOTHING`, target.ID, dup.ID); err != nil {
			return fmt.Errorf("merge votes: %w", err)
		}
		if dup.SubmitterEmail != "" {
			if _, err := t.exec(ctx, `INSERT INTO idea_votes (idea_id, voter, created_at) VALUES ($1, $2, $3) ON CONFLICT (idea_id, voter) DO NOTHING`,
				target.ID, dup.SubmitterEmail, tsv(t.now)); err != nil {
				return fmt.Errorf("merge votes: %w", err)
			}
		}
		if _, err := t.exec(ctx, `DELETE FROM idea_votes WHERE idea_id = $1`, dup.ID); err != nil {
			return fmt.Errorf("merge votes: %w", err)
		}
		if _, err := t.exec(ctx, `UPDATE ideas SET merged_into_id = $1, version = version + 1, updated_at = $2 WHERE merged_into_id = $3 AND workspace_id = $4`,
			target.ID, tsv(t.now), dup.ID, ws); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		d := *dup
		d.Status, d.MergedIntoID, d.Votes, d.Version, d.UpdatedAt = tandem.IdeaMerged, target.ID, 0, dup.Version+1, t.now
		if err := t.writeIdea(ctx, &d); err != nil {
			return err
		}
		if err := t.record(ctx, ws, tandem.EntityIdea, d.ID, tandem.ActionUpdate, d.Title+" (merged into "+target.Title+")", dup, &d); err != nil {
			return err
		}
		tg := *target
		if tg.Votes, err = t.countVotes(ctx, tg.ID); err != nil {
			return err
		}
		tg.Version, tg.UpdatedAt = target.Version+1, t.now
		if err := t.writeIdea(ctx, &tg); err != nil {
			return err
		}
		out = &tg
		return t.record(ctx, ws, tandem.EntityIdea, tg.ID, tandem.ActionUpdate, tg.Title, target, &tg)
	})
	return out, err
}

// ---- Interviews and highlights ----

const interviewCols = `id, workspace_id, version, created_at, updated_at, title, participant, account, held_on, format, transcript`

func scanInterview(r interface{ Scan(...any) error }, x *tandem.Interview) error {
	return r.Scan(&x.ID, &x.WorkspaceID, &x.Version, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, &x.Title, &x.Participant, &x.Account,
		date{&x.HeldOn}, &x.Format, &x.Transcript)
}

func (t *tx) findInterview(ctx context.Context, ws, id string) (*tandem.Interview, error) {
	return findByID(ctx, t, "interview", "interviews", interviewCols, scanInterview, ws, id)
}

// FindInterviewByID returns one interview with its transcript.
func (s *Store) FindInterviewByID(ctx context.Context, ws, id string) (*tandem.Interview, error) {
	return s.reader(ctx).findInterview(ctx, ws, id)
}

// FindInterviews lists interviews, newest first.
func (s *Store) FindInterviews(ctx context.Context, ws string, f tandem.InterviewFilter) ([]*tandem.Interview, string, error) {
	t := s.reader(ctx)
	var w filter
	w.add("workspace_id = %s", ws)
	if f.Q != "" {
		q := likeQ(f.Q)
		w.add(`(LOWER(title) LIKE %s ESCAPE '\' OR LOWER(participant) LIKE %s ESCAPE '\' OR LOWER(account) LIKE %s ESCAPE '\')`, q, q, q)
	}
	tail, err := w.page(f.Page, "id", true)
	if err != nil {
		return nil, "", err
	}
	return findPage(ctx, t, "interviews", `SELECT `+interviewCols+` FROM interviews`+w.where()+tail, w.args, f.Page, scanInterview,
		func(x *tandem.Interview) string { return x.ID })
}

// interviewActivity is what activity keeps of an interview: not its transcript.
func interviewActivity(x *tandem.Interview) any {
	c := *x
	if len(c.Transcript) > 200 {
		c.Transcript = strings.ToValidUTF8(c.Transcript[:200], "") + "…"
	}
	return &c
}

// CreateInterview stores an interview.
func (s *Store) CreateInterview(ctx context.Context, ws string, x *tandem.Interview) error {
	x.Defaults()
	if err := x.Validate(); err != nil {
		return err
	}
	if !utf8.ValidString(x.Transcript) {
		var p tandem.Problems
		p.Add("transcript", "must be UTF-8 text")
		return p.Err("interview")
	}
	return s.inTx(ctx, func(t *tx) error {
		x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		_, err := t.exec(ctx, `INSERT INTO interviews (`+interviewCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			x.ID, ws, x.Version, tsv(t.now), tsv(t.now), x.Title, x.Participant, x.Account, datev(x.HeldOn), x.Format, x.Transcript)
		if err != nil {
			return t.dbErr(err, "interview")
		}
		return t.record(ctx, ws, tandem.EntityInterview, x.ID, tandem.ActionCreate, x.Title, nil, interviewActivity(x))
	})
}

// UpdateInterview changes an interview's details; its transcript is fixed,
// since highlights point into it.
func (s *Store) UpdateInterview(ctx context.Context, ws, id string, upd tandem.InterviewUpdate, version int64) (*tandem.Interview, error) {
	var out *tandem.Interview
	err := s.inTx(ctx, func(t *tx) error {
		cur, err := t.findInterview(ctx, ws, id)
		if err != nil {
			return err
		}
		if err := checkVersion("interview", id, version, cur.Version); err != nil {
			return err
		}
		x := *cur
		upd.Apply(&x)
		x.Defaults()
		if err := x.Validate(); err != nil {
			return err
		}
		x.Version, x.UpdatedAt = cur.Version+1, t.now
		if _, err := t.exec(ctx, `UPDATE interviews SET version = $1, updated_at = $2, title = $3, participant = $4, account = $5, held_on = $6
			WHERE id = $7 AND workspace_id = $8`, x.Version, tsv(t.now), x.Title, x.Participant, x.Account, datev(x.HeldOn), id, ws); err != nil {
			return t.dbErr(err, "interview")
		}
		out = &x
		return t.record(ctx, ws, tandem.EntityInterview, id, tandem.ActionUpdate, x.Title, interviewActivity(cur), interviewActivity(&x))
	})
	return out, err
}

// DeleteInterview deletes an interview with its highlights and their evidence.
func (s *Store) DeleteInterview(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		cur, err := t.findInterview(ctx, ws, id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM evidence WHERE workspace_id = $1 AND highlight_id IN (SELECT id FROM highlights WHERE interview_id = $2)`, ws, id); err != nil {
			return fmt.Errorf("delete interview: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM highlights WHERE interview_id = $1 AND workspace_id = $2`, id, ws); err != nil {
			return fmt.Errorf("delete interview: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM interviews WHERE id = $1 AND workspace_id = $2`, id, ws); err != nil {
			return fmt.Errorf("delete interview: %w", err)
		}
		return t.record(ctx, ws, tandem.EntityInterview, id, tandem.ActionDelete, cur.Title, interviewActivity(cur), nil)
	})
}

const highlightCols = `id, workspace_id, version, created_at, updated_at, interview_id, start_offset, end_offset, quote, tags, note`

func scanHighlight(r scanner) (*tandem.Highlight, error) {
	x := &tandem.Highlight{}
	err := r.Scan(&x.ID, &x.WorkspaceID, &x.Version, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, &x.InterviewID, &x.Start, &x.End, &x.Quote, listCol{&x.Tags}, &x.Note)
	return x, err
}

// FindHighlights lists an interview's highlights in transcript order.
func (s *Store) FindHighlights(ctx context.Context, ws, interviewID string) ([]*tandem.Highlight, error) {
	t := s.reader(ctx)
	if ok, err := t.inTable(ctx, "interviews", ws, interviewID); err != nil {
		return nil, err
	} else if !ok {
		return nil, notFound("interview", interviewID)
	}
	rows, err := t.query(ctx, `SELECT `+highlightCols+` FROM highlights WHERE interview_id = $1 AND workspace_id = $2 ORDER BY start_offset, id`, interviewID, ws)
	if err != nil {
		return nil, fmt.Errorf("find highlights: %w", err)
	}
	defer rows.Close()
	list := []*tandem.Highlight{}
	for rows.Next() {
		x, err := scanHighlight(rows)
		if err != nil {
			return nil, fmt.Errorf("find highlights: %w", err)
		}
		list = append(list, x)
	}
	return list, rows.Err()
}

// CreateHighlight stores a quoted span of an interview; Quote is taken
// from the transcript.
func (s *Store) CreateHighlight(ctx context.Context, ws string, x *tandem.Highlight) error {
	x.Defaults()
	if err := x.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		iv, err := t.findInterview(ctx, ws, x.InterviewID)
		if tandem.ErrorCode(err) == tandem.ENotFound {
			var p tandem.Problems
			p.Add("interview_id", "does not exist in this workspace")
			return p.Err("highlight")
		} else if err != nil {
			return err
		}
		if x.End > len(iv.Transcript) {
			var p tandem.Problems
			p.Add("end", "is past the end of the transcript (%d bytes)", len(iv.Transcript))
			return p.Err("highlight")
		}
		quote := iv.Transcript[x.Start:x.End]
		if !utf8.ValidString(quote) || strings.TrimSpace(quote) == "" {
			var p tandem.Problems
			p.Add("start", "the span must hold text and start and end on character boundaries")
			return p.Err("highlight")
		}
		x.Quote = quote
		x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		_, err = t.exec(ctx, `INSERT INTO highlights (`+highlightCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			x.ID, ws, x.Version, tsv(t.now), tsv(t.now), x.InterviewID, x.Start, x.End, x.Quote, jsonList(x.Tags), x.Note)
		if err != nil {
			return t.dbErr(err, "highlight")
		}
		return t.record(ctx, ws, tandem.EntityHighlight, x.ID, tandem.ActionCreate, clipSummary(x.Quote), nil, x)
	})
}

// DeleteHighlight deletes a highlight and the evidence that quotes it.
func (s *Store) DeleteHighlight(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		cur, err := scanHighlight(t.queryRow(ctx, `SELECT `+highlightCols+` FROM highlights WHERE id = $1 AND workspace_id = $2`+t.lock(), id, ws))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("highlight", id)
		} else if err != nil {
			return fmt.Errorf("find highlight: %w", err)
		}
		if err := t.deleteEvidenceWhere(ctx, ws, "highlight_id", id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM highlights WHERE id = $1 AND workspace_id = $2`, id, ws); err != nil {
			return fmt.Errorf("delete highlight: %w", err)
		}
		return t.record(ctx, ws, tandem.EntityHighlight, id, tandem.ActionDelete, clipSummary(cur.Quote), cur, nil)
	})
}

// ---- Themes ----

const themeCols = `id, workspace_id, version, created_at, updated_at, label, summary, keyphrases, size, negative, neutral, positive,
	emerging, quote_ids, trend, trend_start`

func scanTheme(r scanner) (*tandem.Theme, error) {
	x := &tandem.Theme{}
	err := r.Scan(&x.ID, &x.WorkspaceID, &x.Version, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, &x.Label, &x.Summary, listCol{&x.Keyphrases},
		&x.Size, &x.Negative, &x.Neutral, &x.Positive, &x.Emerging, listCol{&x.QuoteIDs}, intsCol{&x.Trend}, date{&x.TrendStart})
	return x, err
}

func (t *tx) findThemes(ctx context.Context, ws string) ([]*tandem.Theme, error) {
	rows, err := t.query(ctx, `SELECT `+themeCols+` FROM themes WHERE workspace_id = $1 ORDER BY size DESC, id`, ws)
	if err != nil {
		return nil, fmt.Errorf("find themes: %w", err)
	}
	defer rows.Close()
	list := []*tandem.Theme{}
	for rows.Next() {
		x, err := scanTheme(rows)
		if err != nil {
			return nil, fmt.Errorf("find themes: %w", err)
		}
		list = append(list, x)
	}
	return list, rows.Err()
}

// FindThemes lists the latest stored themes, largest first.
func (s *Store) FindThemes(ctx context.Context, ws string) ([]*tandem.Theme, error) {
	return s.reader(ctx).findThemes(ctx, ws)
}

// FindThemeByID returns one theme.
func (s *Store) FindThemeByID(ctx context.Context, ws, id string) (*tandem.Theme, error) {
	t := s.reader(ctx)
	x, err := scanTheme(t.queryRow(ctx, `SELECT `+themeCols+` FROM themes WHERE id = $1 AND workspace_id = $2`, id, ws))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("theme", id)
	} else if err != nil {
		return nil, fmt.Errorf("find theme: %w", err)
	}
	return x, nil
}

// matchThemes pairs new themes with old ones, so that a recomputed theme
// keeps its ID (and the evidence that points at it): first by equal
// labels, then by the most shared keyphrases (at least two).
func matchThemes(old, new []*tandem.Theme) map[int]*tandem.Theme {
	out := map[int]*tandem.Theme{}
	used := map[string]bool{}
	for i, n := range new {
		for _, o := range old {
			if !used[o.ID] && strings.EqualFold(o.Label, n.Label) {
				out[i], used[o.ID] = o, true
				break
			}
		}
	}
	type pair struct{ i, j, shared int }
	var pairs []pair
	for i, n := range new {
		if out[i] != nil {
			continue
		}
		for j, o := range old {
			if used[o.ID] {
				continue
			}
			shared := 0
			for _, k := range n.Keyphrases {
				if slices.Contains(o.Keyphrases, k) {
					shared++
				}
			}
			if shared >= 2 {
				pairs = append(pairs, pair{i, j, shared})
			}
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].shared > pairs[b].shared })
	for _, p := range pairs {
		if out[p.i] == nil && !used[old[p.j].ID] {
			out[p.i], used[old[p.j].ID] = old[p.j], true
		}
	}
	return out
}

// ReplaceThemes stores a new theme extraction in one transaction: the
// themes, and each feedback's theme and sentiment. A new theme that
// matches an old one (same label, or at least two shared keyphrases) takes
// over its ID, so evidence that pointed at the old theme stays; evidence
// of old themes without a successor is deleted.
func (s *Store) ReplaceThemes(ctx context.Context, ws string, themes []*tandem.Theme, assign map[string]tandem.FeedbackInsight) error {
	var p tandem.Problems
	ids := map[string]bool{}
	for i, th := range themes {
		if strings.TrimSpace(th.Label) == "" || len(th.Label) > 300 {
			p.Add(fmt.Sprintf("themes[%d].label", i), "is required and must be at most 300 characters")
		}
		if th.ID == "" {
			th.ID = tandem.NewID()
		} else if !tandem.IsID(th.ID) {
			p.Add(fmt.Sprintf("themes[%d].id", i), "is not a valid id")
		}
		if ids[th.ID] {
			p.Add(fmt.Sprintf("themes[%d].id", i), "is given twice")
		}
		ids[th.ID] = true
	}
	for id, fi := range assign {
		if fi.ThemeID != "" && !ids[fi.ThemeID] {
			p.Add("assign", "feedback %s names theme %s, which is not among the themes", id, fi.ThemeID)
			break
		}
		if fi.SentimentLabel != "" && fi.SentimentLabel != tandem.SentimentNegative && fi.SentimentLabel != tandem.SentimentNeutral && fi.SentimentLabel != tandem.SentimentPositive {
			p.Add("assign", "sentiment label %q is not negative, neutral or positive", fi.SentimentLabel)
			break
		}
	}
	if err := p.Err("theme extraction"); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *tx) error {
		old, err := t.findThemes(ctx, ws)
		if err != nil {
			return err
		}
		// Take over matching old themes' IDs.
		rename := map[string]string{}
		matched := matchThemes(old, themes)
		keep := map[string]*tandem.Theme{}
		for i, th := range themes {
			if o := matched[i]; o != nil {
				rename[th.ID] = o.ID
				th.ID, th.Version, th.CreatedAt = o.ID, o.Version+1, o.CreatedAt
				keep[o.ID] = o
			} else {
				th.Version, th.CreatedAt = 1, t.now
			}
			th.WorkspaceID, th.UpdatedAt = ws, t.now
		}
		// Detach feedback first: old themes are about to go.
		if _, err := t.exec(ctx, `UPDATE feedback SET theme_id = NULL WHERE workspace_id = $1 AND theme_id IS NOT NULL`, ws); err != nil {
			return fmt.Errorf("replace themes: %w", err)
		}
		for _, o := range old {
			if keep[o.ID] != nil {
				continue
			}
			if err := t.deleteEvidenceWhere(ctx, ws, "theme_id", o.ID); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `DELETE FROM themes WHERE id = $1 AND workspace_id = $2`, o.ID, ws); err != nil {
				return fmt.Errorf("replace themes: %w", err)
			}
		}
		for _, th := range themes {
			args := []any{th.Label, th.Summary, jsonList(th.Keyphrases), th.Size, th.Negative, th.Neutral, th.Positive, th.Emerging,
				jsonList(th.QuoteIDs), jsonInts(th.Trend), datev(th.TrendStart), th.Version, tsv(th.UpdatedAt), th.ID, ws}
			if keep[th.ID] != nil {
				_, err = t.exec(ctx, `UPDATE themes SET label = $1, summary = $2, keyphrases = $3, size = $4, negative = $5, neutral = $6, positive = $7,
					emerging = $8, quote_ids = $9, trend = $10, trend_start = $11, version = $12, updated_at = $13 WHERE id = $14 AND workspace_id = $15`, args...)
			} else {
				_, err = t.exec(ctx, `INSERT INTO themes (label, summary, keyphrases, size, negative, neutral, positive, emerging, quote_ids, trend, trend_start,
					version, updated_at, id, workspace_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
					append(args, tsv(th.CreatedAt))...)
			}
			if err != nil {
				return t.dbErr(err, "theme")
			}
		}
		// Feedback: only rows whose theme or sentiment changed are written.
		type cur struct {
			score float64
			label string
		}
		current := map[string]cur{}
		rows, err := t.query(ctx, `SELECT id, sentiment_score, sentiment_label FROM feedback WHERE workspace_id = $1`, ws)
		if err != nil {
			return fmt.Errorf("replace themes: %w", err)
		}
		for rows.Next() {
			var id string
			var c cur
			if err := rows.Scan(&id, &c.score, &c.label); err != nil {
				rows.Close()
				return fmt.Errorf("replace themes: %w", err)
			}
			current[id] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("replace themes: %w", err)
		}
		keys := make([]string, 0, len(assign))
		for id := range assign {
			keys = append(keys, id)
		}
		sort.Strings(keys)
		var batch []any
		for _, id := range keys {
			c, ok := current[id]
			if !ok {
				continue // deleted since the extraction read it
			}
			fi := assign[id]
			theme := fi.ThemeID
			if r, ok := rename[theme]; ok {
				theme = r
			}
			if theme == "" && c.score == fi.SentimentScore && c.label == fi.SentimentLabel {
				continue
			}
			batch = append(batch, id, nullStr(theme), fi.SentimentScore, fi.SentimentLabel)
			if len(batch) == 4*updateBatch {
				if err := t.updateFeedbackInsights(ctx, ws, batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
		if err := t.updateFeedbackInsights(ctx, ws, batch); err != nil {
			return err
		}
		summary := fmt.Sprintf("Themes recomputed: %d themes from %d feedback", len(themes), len(assign))
		return t.record(ctx, ws, tandem.EntityTheme, ws, tandem.ActionUpdate, summary, map[string]int{"themes": len(old)}, map[string]int{"themes": len(themes)})
	})
}

// updateBatch is how many feedback rows one UPDATE of an extraction sets.
const updateBatch = 200

// updateFeedbackInsights sets the theme and sentiment of feedback from
// rows of (id, theme ID or nil, score, label), with one UPDATE ... FROM
// (VALUES ...): SQLite and PostgreSQL both name VALUES' columns column1...
func (t *tx) updateFeedbackInsights(ctx context.Context, ws string, rows []any) error {
	if len(rows) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`UPDATE feedback SET theme_id = v.column2, sentiment_score = v.column3, sentiment_label = v.column4 FROM (VALUES `)
	for i := 0; i < len(rows); i += 4 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(CAST($%d AS TEXT), CAST($%d AS TEXT), CAST($%d AS DOUBLE PRECISION), CAST($%d AS TEXT))", i+1, i+2, i+3, i+4)
	}
	fmt.Fprintf(&b, `) AS v WHERE feedback.id = v.column1 AND feedback.workspace_id = $%d`, len(rows)+1)
	if _, err := t.exec(ctx, b.String(), append(rows, ws)...); err != nil {
		return fmt.Errorf("replace themes: set feedback themes: %w", err)
	}
	return nil
}

// ---- Evidence ----

const evidenceCols = `e.id, e.workspace_id, e.version, e.created_at, e.updated_at, e.item_id, e.feedback_id, e.theme_id, e.idea_id, e.highlight_id, e.note,
	i.title, COALESCE(f.body, t.label, d.title, h.quote, '')`

const evidenceFrom = ` FROM evidence e JOIN items i ON i.id = e.item_id
	LEFT JOIN feedback f ON f.id = e.feedback_id LEFT JOIN themes t ON t.id = e.theme_id
	LEFT JOIN ideas d ON d.id = e.idea_id LEFT JOIN highlights h ON h.id = e.highlight_id`

func scanEvidence(r scanner) (*tandem.Evidence, error) {
	x := &tandem.Evidence{}
	err := r.Scan(&x.ID, &x.WorkspaceID, &x.Version, ts{&x.CreatedAt}, ts{&x.UpdatedAt}, &x.ItemID, ns{&x.FeedbackID}, ns{&x.ThemeID},
		ns{&x.IdeaID}, ns{&x.HighlightID}, &x.Note, &x.ItemTitle, &x.Summary)
	return x, err
}

func (t *tx) findEvidenceLinks(ctx context.Context, ws string, f tandem.EvidenceFilter) ([]*tandem.Evidence, error) {
	var w filter
	w.add("e.workspace_id = %s", ws)
	for _, c := range []struct{ col, v string }{{"e.item_id", f.ItemID}, {"e.feedback_id", f.FeedbackID}, {"e.theme_id", f.ThemeID},
		{"e.idea_id", f.IdeaID}, {"e.highlight_id", f.HighlightID}} {
		if c.v != "" {
			w.add(c.col+" = %s", c.v)
		}
	}
	rows, err := t.query(ctx, `SELECT `+evidenceCols+evidenceFrom+w.where()+` ORDER BY e.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("find evidence: %w", err)
	}
	defer rows.Close()
	list := []*tandem.Evidence{}
	for rows.Next() {
		x, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("find evidence: %w", err)
		}
		list = append(list, x)
	}
	return list, rows.Err()
}

// FindEvidenceLinks lists evidence links, oldest first.
func (s *Store) FindEvidenceLinks(ctx context.Context, ws string, f tandem.EvidenceFilter) ([]*tandem.Evidence, error) {
	return s.reader(ctx).findEvidenceLinks(ctx, ws, f)
}

// deleteEvidenceWhere deletes the evidence whose col is id, recording each.
func (t *tx) deleteEvidenceWhere(ctx context.Context, ws, col, id string) error {
	links, err := t.findEvidenceLinks(ctx, ws, evidenceFilterOf(col, id))
	if err != nil {
		return err
	}
	for _, e := range links {
		if _, err := t.exec(ctx, `DELETE FROM evidence WHERE id = $1 AND workspace_id = $2`, e.ID, ws); err != nil {
			return fmt.Errorf("delete evidence: %w", err)
		}
		if err := t.record(ctx, ws, tandem.EntityEvidence, e.ID, tandem.ActionDelete, clipSummary(e.ItemTitle+": "+e.Summary), e, nil); err != nil {
			return err
		}
	}
	return nil
}

func evidenceFilterOf(col, id string) tandem.EvidenceFilter {
	switch col {
	case "feedback_id":
		return tandem.EvidenceFilter{FeedbackID: id}
	case "theme_id":
		return tandem.EvidenceFilter{ThemeID: id}
	case "idea_id":
		return tandem.EvidenceFilter{IdeaID: id}
	case "highlight_id":
		return tandem.EvidenceFilter{HighlightID: id}
	}
	return tandem.EvidenceFilter{ItemID: id}
}

// CreateEvidence links an item to one piece of evidence. EInvalid when
// either is not in the workspace, EConflict when the link exists.
func (s *Store) CreateEvidence(ctx context.Context, ws string, x *tandem.Evidence) error {
	if err := x.Validate(); err != nil {
		return err
	}
	if len(x.Note) > 5_000 {
		var p tandem.Problems
		p.Add("note", "must be at most 5,000 characters")
		return p.Err("evidence")
	}
	return s.inTx(ctx, func(t *tx) error {
		if err := t.checkRefs(ctx, ws, "evidence",
			[3]string{"item_id", "items", x.ItemID},
			[3]string{"feedback_id", "feedback", x.FeedbackID},
			[3]string{"theme_id", "themes", x.ThemeID},
			[3]string{"idea_id", "ideas", x.IdeaID},
			[3]string{"highlight_id", "highlights", x.HighlightID}); err != nil {
			return err
		}
		dup, err := t.exists(ctx, `SELECT 1 FROM evidence WHERE workspace_id = $1 AND item_id = $2 AND COALESCE(feedback_id, '') = $3
			AND COALESCE(theme_id, '') = $4 AND COALESCE(idea_id, '') = $5 AND COALESCE(highlight_id, '') = $6`,
			ws, x.ItemID, x.FeedbackID, x.ThemeID, x.IdeaID, x.HighlightID)
		if err != nil {
			return fmt.Errorf("create evidence: %w", err)
		}
		if dup {
			return tandem.Errorf(tandem.EConflict, "This is already evidence for the item.")
		}
		x.ID, x.WorkspaceID, x.Version, x.CreatedAt, x.UpdatedAt = tandem.NewID(), ws, 1, t.now, t.now
		_, err = t.exec(ctx, `INSERT INTO evidence (id, workspace_id, version, created_at, updated_at, item_id, feedback_id, theme_id, idea_id, highlight_id, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			x.ID, ws, x.Version, tsv(t.now), tsv(t.now), x.ItemID, nullStr(x.FeedbackID), nullStr(x.ThemeID), nullStr(x.IdeaID), nullStr(x.HighlightID), x.Note)
		if err != nil {
			return t.dbErr(err, "evidence")
		}
		full, err := scanEvidence(t.queryRow(ctx, `SELECT `+evidenceCols+evidenceFrom+` WHERE e.id = $1`, x.ID))
		if err != nil {
			return fmt.Errorf("create evidence: %w", err)
		}
		x.Summary, x.ItemTitle = full.Summary, full.ItemTitle
		return t.record(ctx, ws, tandem.EntityEvidence, x.ID, tandem.ActionCreate, clipSummary(x.ItemTitle+": "+x.Summary), nil, x)
	})
}

// DeleteEvidence removes one evidence link.
func (s *Store) DeleteEvidence(ctx context.Context, ws, id string) error {
	return s.inTx(ctx, func(t *tx) error {
		cur, err := scanEvidence(t.queryRow(ctx, `SELECT `+evidenceCols+evidenceFrom+` WHERE e.id = $1 AND e.workspace_id = $2`, id, ws))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("evidence", id)
		} else if err != nil {
			return fmt.Errorf("find evidence: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM evidence WHERE id = $1 AND workspace_id = $2`, id, ws); err != nil {
			return fmt.Errorf("delete evidence: %w", err)
		}
		return t.record(ctx, ws, tandem.EntityEvidence, id, tandem.ActionDelete, clipSummary(cur.ItemTitle+": "+cur.Summary), cur, nil)
	})
}

// FindEvidence summarises what supports an item: its links, and the
// distinct feedback (direct, and through linked themes), accounts and
// their revenue. Revenue is summed per account once, in the currency most
// accounts use; accounts in other currencies are counted but not summed.
func (s *Store) FindEvidence(ctx context.Context, ws, itemID string) (*tandem.EvidenceSummary, error) {
	sum := &tandem.EvidenceSummary{ItemID: itemID, Customers: []string{}}
	err := s.inReadTx(ctx, func(t *tx) error {
		if ok, err := t.inTable(ctx, "items", ws, itemID); err != nil {
			return err
		} else if !ok {
			return notFound("item", itemID)
		}
		var err error
		if sum.Evidence, err = t.findEvidenceLinks(ctx, ws, tandem.EvidenceFilter{ItemID: itemID}); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT f.id, f.account, f.customer_name, f.revenue_amount, f.revenue_currency FROM feedback f
			WHERE f.workspace_id = $1 AND (
				f.id IN (SELECT feedback_id FROM evidence WHERE workspace_id = $1 AND item_id = $2 AND feedback_id IS NOT NULL)
				OR f.theme_id IN (SELECT theme_id FROM evidence WHERE workspace_id = $1 AND item_id = $2 AND theme_id IS NOT NULL))`, ws, itemID)
		if err != nil {
			return fmt.Errorf("find evidence: %w", err)
		}
		defer rows.Close()
		type acct struct {
			name     string
			revenue  int64
			currency string
		}
		accounts := map[string]*acct{}
		for rows.Next() {
			var id, account, customer, currency string
			var amount int64
			if err := rows.Scan(&id, &account, &customer, &amount, &currency); err != nil {
				return fmt.Errorf("find evidence: %w", err)
			}
			sum.Feedback++
			key := strings.ToLower(strings.TrimSpace(account))
			if key == "" {
				key = strings.ToLower(strings.TrimSpace(customer))
				account = customer
			}
			if key == "" {
				continue
			}
			a := accounts[key]
			if a == nil {
				a = &acct{name: account}
				accounts[key] = a
			}
			if amount > a.revenue {
				a.revenue, a.currency = amount, currency
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find evidence: %w", err)
		}
		sum.Accounts = len(accounts)
		byCurrency := map[string]int{}
		for _, a := range accounts {
			if a.revenue > 0 {
				byCurrency[a.currency]++
			}
		}
		main := ""
		for c, n := range byCurrency {
			if n > byCurrency[main] || n == byCurrency[main] && c < main {
				main = c
			}
		}
		list := make([]*acct, 0, len(accounts))
		for _, a := range accounts {
			if a.revenue > 0 && a.currency == main {
				sum.Revenue.Amount += a.revenue
			}
			list = append(list, a)
		}
		sum.Revenue.Currency = main
		sort.Slice(list, func(i, j int) bool {
			if list[i].revenue != list[j].revenue {
				return list[i].revenue > list[j].revenue
			}
			return list[i].name < list[j].name
		})
		for i, a := range list {
			if i == 10 {
				break
			}
			sum.Customers = append(sum.Customers, a.name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}
