package tandem

import (
	"context"
	"strings"
)

// Entity types of the voice of the customer, as used in activity and the API's paths.
const (
	EntityFeedback  = "feedback"
	EntityIdea      = "idea"
	EntityInterview = "interview"
	EntityHighlight = "highlight"
	EntityTheme     = "theme"
	EntityEvidence  = "evidence"
)

// Feedback sources.
const (
	SourcePortal    = "portal"
	SourceCSV       = "csv"
	SourceEmail     = "email"
	SourceInterview = "interview"
	SourceSupport   = "support"
	SourceReview    = "review"
	SourceSales     = "sales"
)

// FeedbackSources lists every source.
var FeedbackSources = []string{SourcePortal, SourceCSV, SourceEmail, SourceInterview, SourceSupport, SourceReview, SourceSales}

// Sentiment labels.
const (
	SentimentNegative = "negative"
	SentimentNeutral  = "neutral"
	SentimentPositive = "positive"
)

// Feedback is one piece of customer evidence: a ticket, a review, a note
// from a sales call.
type Feedback struct {
	Meta
	Text           string   `json:"text"`
	Source         string   `json:"source"`
	CustomerName   string   `json:"customer_name"`
	CustomerEmail  string   `json:"customer_email"`
	Account        string   `json:"account"`         // the customer's company or household
	AccountTier    string   `json:"account_tier"`    // e.g. enterprise, premium, retail
	AccountRevenue Money    `json:"account_revenue"` // yearly revenue of the account
	ReceivedOn     Date     `json:"received_on"`
	Tags           []string `json:"tags"`
	SentimentScore float64  `json:"sentiment_score"` // in [-1, 1], set by the insight engine
	SentimentLabel string   `json:"sentiment_label"` // negative, neutral, positive
	ThemeID        string   `json:"theme_id"`        // set by theme extraction; "" = none
}

// Validate checks the feedback's fields.
func (f *Feedback) Validate() error {
	var p Problems
	validateTitle(&p, "text", f.Text, 50_000)
	oneOf(&p, "source", f.Source, FeedbackSources...)
	if len(f.CustomerName) > 200 || len(f.Account) > 200 || len(f.AccountTier) > 60 {
		p.Add("customer_name", "customer, account and tier must be short (200, 200 and 60 characters)")
	}
	validateMoney(&p, "account_revenue", f.AccountRevenue)
	validateTags(&p, f.Tags)
	if f.SentimentLabel != "" {
		oneOf(&p, "sentiment_label", f.SentimentLabel, SentimentNegative, SentimentNeutral, SentimentPositive)
	}
	if f.SentimentScore < -1 || f.SentimentScore > 1 {
		p.Add("sentiment_score", "must be between -1 and 1")
	}
	return p.Err("feedback")
}

// Defaults fills fields a caller may leave out.
func (f *Feedback) Defaults() {
	if f.Source == "" {
		f.Source = SourcePortal
	}
	if f.Tags == nil {
		f.Tags = []string{}
	}
	f.Text = strings.TrimSpace(f.Text)
}

func validateTags(p *Problems, tags []string) {
	if len(tags) > 50 {
		p.Add("tags", "at most 50 tags")
	}
	for _, t := range tags {
		if strings.TrimSpace(t) == "" || len(t) > 60 {
			p.Add("tags", "each tag must be 1-60 characters")
			return
		}
	}
}

// FeedbackUpdate holds the fields to change; nil means unchanged.
type FeedbackUpdate struct {
	Text           *string   `json:"text"`
	Source         *string   `json:"source"`
	CustomerName   *string   `json:"customer_name"`
	CustomerEmail  *string   `json:"customer_email"`
	Account        *string   `json:"account"`
	AccountTier    *string   `json:"account_tier"`
	AccountRevenue *Money    `json:"account_revenue"`
	ReceivedOn     *Date     `json:"received_on"`
	Tags           *[]string `json:"tags"`
}

// Apply copies the set fields onto f.
func (u *FeedbackUpdate) Apply(f *Feedback) {
	set(&f.Text, u.Text)
	set(&f.Source, u.Source)
	set(&f.CustomerName, u.CustomerName)
	set(&f.CustomerEmail, u.CustomerEmail)
	set(&f.Account, u.Account)
	set(&f.AccountTier, u.AccountTier)
	set(&f.AccountRevenue, u.AccountRevenue)
	set(&f.ReceivedOn, u.ReceivedOn)
	set(&f.Tags, u.Tags)
	f.Defaults()
}

// FeedbackFilter selects feedback.
type FeedbackFilter struct {
	Source    string
	ThemeID   string
	Sentiment string
	Account   string
	Tag       string
	Q         string
	Page
}

// Idea statuses, visible to the customers who voted.
const (
	IdeaNew         = "new"
	IdeaUnderReview = "under_review"
	IdeaPlanned     = "planned"
	IdeaInProgress  = "in_progress"
	IdeaShipped     = "shipped"
	IdeaDeclined    = "declined"
	IdeaMerged      = "merged"
)

// IdeaStatuses lists every idea status.
var IdeaStatuses = []string{IdeaNew, IdeaUnderReview, IdeaPlanned, IdeaInProgress, IdeaShipped, IdeaDeclined, IdeaMerged}

// Idea is a suggestion, often from the public portal, that customers vote on.
type Idea struct {
	Meta
	ProductID      string `json:"product_id"`
	Title          string `json:"title"`
	Description    string `json:"description"`
	Status         string `json:"status"`
	SubmitterName  string `json:"submitter_name"`
	SubmitterEmail string `json:"submitter_email"`
	Votes          int    `json:"votes"`          // derived from IdeaVote rows
	MergedIntoID   string `json:"merged_into_id"` // set when merged as a duplicate
	ItemID         string `json:"item_id"`        // the feature that delivers it
	Public         bool   `json:"public"`         // shown on the portal
}

// Validate checks the idea's fields.
func (x *Idea) Validate() error {
	var p Problems
	validateTitle(&p, "title", x.Title, 300)
	if len(x.Description) > 20_000 {
		p.Add("description", "must be at most 20,000 characters")
	}
	oneOf(&p, "status", x.Status, IdeaStatuses...)
	validateRef(&p, "product_id", x.ProductID)
	validateRef(&p, "item_id", x.ItemID)
	validateRef(&p, "merged_into_id", x.MergedIntoID)
	if x.MergedIntoID != "" && x.MergedIntoID == x.ID {
		p.Add("merged_into_id", "an idea cannot be merged into itself")
	}
	if len(x.SubmitterName) > 200 || len(x.SubmitterEmail) > 254 {
		p.Add("submitter_name", "submitter name and email must be at most 200 and 254 characters")
	}
	return p.Err("idea")
}

// Defaults fills fields a caller may leave out.
func (x *Idea) Defaults() {
	if x.Status == "" {
		x.Status = IdeaNew
	}
	x.Title = strings.TrimSpace(x.Title)
	x.SubmitterEmail = NormalizeEmail(x.SubmitterEmail)
}

// IdeaUpdate holds the fields to change; nil means unchanged. Merging goes through MergeIdea.
type IdeaUpdate struct {
	ProductID   *string `json:"product_id"`
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Status      *string `json:"status"`
	ItemID      *string `json:"item_id"`
	Public      *bool   `json:"public"`
}

// Apply copies the set fields onto x.
func (u *IdeaUpdate) Apply(x *Idea) {
	set(&x.ProductID, u.ProductID)
	set(&x.Title, u.Title)
	set(&x.Description, u.Description)
	set(&x.Status, u.Status)
	set(&x.ItemID, u.ItemID)
	set(&x.Public, u.Public)
}

// IdeaFilter selects ideas.
type IdeaFilter struct {
	ProductID string
	Status    string
	Public    *bool
	Q         string
	Page
}

// Interview transcript formats.
const (
	TranscriptText = "text"
	TranscriptVTT  = "vtt"
	TranscriptSRT  = "srt"
)

// Interview is a customer conversation with its transcript.
type Interview struct {
	Meta
	Title       string `json:"title"`
	Participant string `json:"participant"`
	Account     string `json:"account"`
	HeldOn      Date   `json:"held_on"`
	Format      string `json:"format"`     // the transcript's original format
	Transcript  string `json:"transcript"` // plain text, cues flattened to "[mm:ss] Speaker: text" lines
}

// Validate checks the interview's fields.
func (x *Interview) Validate() error {
	var p Problems
	validateTitle(&p, "title", x.Title, 300)
	oneOf(&p, "format", x.Format, TranscriptText, TranscriptVTT, TranscriptSRT)
	if len(x.Transcript) > 2_000_000 {
		p.Add("transcript", "must be at most 2 MB")
	}
	return p.Err("interview")
}

// Defaults fills fields a caller may leave out.
func (x *Interview) Defaults() {
	if x.Format == "" {
		x.Format = TranscriptText
	}
	x.Title = strings.TrimSpace(x.Title)
}

// InterviewFilter selects interviews, newest first.
type InterviewFilter struct {
	Q string // words in the title, participant or account
	Page
}

// InterviewUpdate holds the fields to change; nil means unchanged.
type InterviewUpdate struct {
	Title       *string `json:"title"`
	Participant *string `json:"participant"`
	Account     *string `json:"account"`
	HeldOn      *Date   `json:"held_on"`
}

// Apply copies the set fields onto x.
func (u *InterviewUpdate) Apply(x *Interview) {
	set(&x.Title, u.Title)
	set(&x.Participant, u.Participant)
	set(&x.Account, u.Account)
	set(&x.HeldOn, u.HeldOn)
}

// Highlight is a quoted span of an interview transcript, tagged.
type Highlight struct {
	Meta
	InterviewID string   `json:"interview_id"`
	Start       int      `json:"start"` // byte offsets into the transcript
	End         int      `json:"end"`
	Quote       string   `json:"quote"` // the transcript's text between Start and End
	Tags        []string `json:"tags"`
	Note        string   `json:"note"`
}

// Validate checks the highlight's fields. The store checks that the span
// lies inside the interview's transcript and sets Quote from it.
func (x *Highlight) Validate() error {
	var p Problems
	validateRef(&p, "interview_id", x.InterviewID)
	if x.InterviewID == "" {
		p.Add("interview_id", "is required")
	}
	if x.Start < 0 || x.End <= x.Start {
		p.Add("end", "must be after start, and start must not be negative")
	}
	validateTags(&p, x.Tags)
	if len(x.Note) > 5_000 {
		p.Add("note", "must be at most 5,000 characters")
	}
	return p.Err("highlight")
}

// Defaults fills fields a caller may leave out.
func (x *Highlight) Defaults() {
	if x.Tags == nil {
		x.Tags = []string{}
	}
}

// Theme is a stored result of the insight engine: a group of feedback.
type Theme struct {
	Meta
	Label      string   `json:"label"`
	Summary    string   `json:"summary"`
	Keyphrases []string `json:"keyphrases"`
	Size       int      `json:"size"`
	Negative   int      `json:"negative"` // sentiment mix: counts of feedback
	Neutral    int      `json:"neutral"`
	Positive   int      `json:"positive"`
	Emerging   bool     `json:"emerging"`
	QuoteIDs   []string `json:"quote_ids"`   // representative feedback, nearest the centre first
	Trend      []int    `json:"trend"`       // feedback per week, oldest first
	TrendStart Date     `json:"trend_start"` // the Monday of Trend's first week
}

// Evidence links a feature (an item) to what supports it.
type Evidence struct {
	Meta
	ItemID      string `json:"item_id"`
	FeedbackID  string `json:"feedback_id"`
	ThemeID     string `json:"theme_id"`
	IdeaID      string `json:"idea_id"`
	HighlightID string `json:"highlight_id"`
	Note        string `json:"note"`
	// Read-only, filled by reads: what the evidence quotes (the feedback's
	// text, the theme's label, the idea's title or the highlight's quote)
	// and the item's title.
	Summary   string `json:"summary"`
	ItemTitle string `json:"item_title"`
}

// EvidenceFilter selects evidence links; empty fields do not filter.
type EvidenceFilter struct {
	ItemID      string
	FeedbackID  string
	ThemeID     string
	IdeaID      string
	HighlightID string
}

// Validate checks that the evidence names an item and exactly one source.
func (x *Evidence) Validate() error {
	var p Problems
	validateRef(&p, "item_id", x.ItemID)
	if x.ItemID == "" {
		p.Add("item_id", "is required")
	}
	n := 0
	for f, id := range map[string]string{"feedback_id": x.FeedbackID, "theme_id": x.ThemeID, "idea_id": x.IdeaID, "highlight_id": x.HighlightID} {
		validateRef(&p, f, id)
		if id != "" {
			n++
		}
	}
	if n != 1 {
		p.Add("feedback_id", "give exactly one of feedback_id, theme_id, idea_id, highlight_id")
	}
	return p.Err("evidence")
}

// EvidenceSummary is what supports one feature.
type EvidenceSummary struct {
	ItemID    string      `json:"item_id"`
	Evidence  []*Evidence `json:"evidence"`
	Feedback  int         `json:"feedback"` // distinct feedback behind it, through themes too
	Accounts  int         `json:"accounts"`
	Revenue   Money       `json:"revenue"` // sum of the distinct accounts' revenue
	Customers []string    `json:"customers"`
}

// InsightService manages the voice of the customer. See GoalService for the conventions.
type InsightService interface {
	FindFeedbackByID(ctx context.Context, ws, id string) (*Feedback, error)
	FindFeedback(ctx context.Context, ws string, f FeedbackFilter) ([]*Feedback, string, error)
	CreateFeedback(ctx context.Context, ws string, x *Feedback) error
	// ImportFeedback stores all of xs in one transaction, or none.
	ImportFeedback(ctx context.Context, ws string, xs []*Feedback) error
	UpdateFeedback(ctx context.Context, ws, id string, upd FeedbackUpdate, version int64) (*Feedback, error)
	DeleteFeedback(ctx context.Context, ws, id string) error

	FindIdeaByID(ctx context.Context, ws, id string) (*Idea, error)
	FindIdeas(ctx context.Context, ws string, f IdeaFilter) ([]*Idea, string, error)
	CreateIdea(ctx context.Context, ws string, x *Idea) error
	UpdateIdea(ctx context.Context, ws, id string, upd IdeaUpdate, version int64) (*Idea, error)
	DeleteIdea(ctx context.Context, ws, id string) error
	// VoteIdea records one vote per voter (an email or a user ID); voting twice is not an error.
	VoteIdea(ctx context.Context, ws, id, voter string) (*Idea, error)
	// MergeIdea marks dup as merged into target and moves its votes (without double counting).
	MergeIdea(ctx context.Context, ws, dupID, targetID string) (*Idea, error)

	FindInterviewByID(ctx context.Context, ws, id string) (*Interview, error)
	FindInterviews(ctx context.Context, ws string, f InterviewFilter) ([]*Interview, string, error)
	CreateInterview(ctx context.Context, ws string, x *Interview) error
	UpdateInterview(ctx context.Context, ws, id string, upd InterviewUpdate, version int64) (*Interview, error)
	DeleteInterview(ctx context.Context, ws, id string) error
	FindHighlights(ctx context.Context, ws, interviewID string) ([]*Highlight, error)
	// CreateHighlight sets x.Quote from the interview's transcript; EInvalid
	// when the span is outside it.
	CreateHighlight(ctx context.Context, ws string, x *Highlight) error
	DeleteHighlight(ctx context.Context, ws, id string) error

	// FindThemes lists the latest stored themes, largest first.
	FindThemes(ctx context.Context, ws string) ([]*Theme, error)
	FindThemeByID(ctx context.Context, ws, id string) (*Theme, error)
	// ReplaceThemes stores a new theme extraction in one transaction:
	// themes, and each feedback's theme and sentiment (by feedback ID).
	// Evidence that pointed at an old theme is kept by matching labels where possible.
	ReplaceThemes(ctx context.Context, ws string, themes []*Theme, assign map[string]FeedbackInsight) error

	CreateEvidence(ctx context.Context, ws string, x *Evidence) error
	DeleteEvidence(ctx context.Context, ws, id string) error
	// FindEvidence summarises what supports an item: its links, and the
	// distinct feedback, accounts and revenue behind them (through themes,
	// ideas' voters are not counted: they have no account).
	FindEvidence(ctx context.Context, ws, itemID string) (*EvidenceSummary, error)
	// FindEvidenceLinks lists evidence links, e.g. the items a theme supports.
	FindEvidenceLinks(ctx context.Context, ws string, f EvidenceFilter) ([]*Evidence, error)
}

// FeedbackInsight is what the insight engine concluded about one feedback.
type FeedbackInsight struct {
	ThemeID        string // "" = no theme
	SentimentScore float64
	SentimentLabel string
}
