package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/tandem-pm/tandem"
	"github.com/tandem-pm/tandem/internal/jobs"
	"github.com/tandem-pm/tandem/transcript"
)

// The demo's voice of the customer: a few hundred pieces of feedback about
// the Mobile Banking App, composed from hand-written fragments with a fixed
// seed (the same demo every time), plus ideas with votes and one interview.

// feedbackSeed fixes the generator so that every demo is the same.
const feedbackSeed = 20251

// topic is one thing customers talk about: fragments a text is composed
// from, who tends to raise it and how its volume moves over the weeks.
type topic struct {
	key  string
	item string   // the backlog item it is evidence for, "" = none
	tags []string // tags a support agent would add
	openers,
	cores,
	details,
	closers []string
	weight   int     // relative volume
	trend    float64 // volume change over the 14 weeks: 0 steady, 2 triples toward today
	business bool    // raised mostly by business accounts
	positive bool    // mostly praise
}

// Substitutions inside fragments.
var fill = map[string][]string{
	"{merchant}": {"the supermarket", "a petrol station", "Amazon", "my gym", "a café in Lisbon", "the train ticket machine", "an online shop", "my phone provider"},
	"{amount}":   {"€12.40", "€35", "€89.99", "€150", "€420", "€1,200", "€7.50", "€60"},
	"{device}":   {"Pixel 8", "iPhone 13", "iPhone 15 Pro", "Galaxy S23", "Galaxy A54", "OnePlus 11", "iPhone SE", "Xiaomi Redmi Note 12"},
	"{os}":       {"Android 14", "iOS 17.4", "iOS 18", "Android 13", "Android 15"},
	"{version}":  {"5.2.0", "5.2.1", "5.2.1", "5.2.2"},
	"{days}":     {"two days", "three days", "a week", "ten days", "over a week"},
	"{wait}":     {"40 minutes", "an hour", "25 minutes", "over an hour", "50 minutes"},
	"{friend}":   {"my flatmate", "my sister", "a colleague", "my son", "friends after dinner", "my landlord"},
	"{rival}":    {"Revolut", "N26", "Monzo", "my partner's bank", "Wise"},
}

var topics = []topic{
	{
		key: "payments", item: "Instant payments to contacts", tags: []string{"payments", "transfers"}, weight: 14, trend: 0.3,
		openers: []string{"", "Honestly, ", "Every month the same thing: ", "Quick one: ", "Please fix this: "},
		cores: []string{
			"sending money to {friend} still takes a full day to arrive",
			"I want to pay {friend} back instantly with just their phone number",
			"transfers to other banks sit as 'pending' for hours",
			"splitting a bill with {friend} means copying an IBAN by hand",
			"instant payments only work on weekdays, which is absurd in 2025",
			"the transfer screen asks for the IBAN every single time, there is no list of contacts",
			"a payment of {amount} to {friend} disappeared for two days before it arrived",
			"I can't schedule a recurring transfer for the rent",
			"paying someone in the app takes eight taps and two confirmation codes",
		},
		details: []string{
			"", "", " With {rival} it is instant.", " I ended up sending cash.", " It is embarrassing when the money does not show up.",
			" My landlord charged a late fee because of it.", " The confirmation SMS also arrives late.",
		},
		closers: []string{"", "", " Please add instant payments to contacts.", " This is the one thing that would keep me here.", " Fix this and I will move my salary account."},
	},
	{
		key: "card", item: "Card freeze and replace", tags: []string{"cards", "security"}, weight: 12, trend: 0,
		openers: []string{"", "Lost my wallet yesterday and ", "Urgent: ", "Frankly, ", "Just so you know, "},
		cores: []string{
			"I could not find a way to freeze my card in the app",
			"freezing my card meant calling the hotline and waiting {wait}",
			"I had to visit a branch to block a stolen card",
			"there should be a simple toggle to freeze and unfreeze the card",
			"ordering a replacement card is not possible in the app",
			"my card was used at {merchant} after I reported it lost",
			"I want to temporarily block online payments on my card",
			"the card controls are hidden three menus deep under settings",
		},
		details: []string{
			"", "", " Someone spent {amount} before it was blocked.", " The replacement took {days} to arrive.",
			" The hotline kept me on hold while my card was still active.", " I found the card in my coat an hour later and wanted to unfreeze it.",
		},
		closers: []string{"", "", " Every other bank app has this.", " Please add a freeze button on the home screen.", " This should be basic security."},
	},
	{
		key: "login", item: "Biometric sign-in", tags: []string{"login", "security"}, weight: 12, trend: 0.2,
		openers: []string{"", "Since the last update, ", "On my {device}, ", "Again: ", "Seriously, "},
		cores: []string{
			"Face ID stopped working and I have to type my PIN every time",
			"the fingerprint login fails and falls back to the password",
			"I get logged out every few minutes and have to sign in again",
			"the one-time code by SMS arrives after it has already expired",
			"logging in takes longer than the payment itself",
			"biometric sign-in is not offered at all on {os}",
			"the app forgot my device and asked me to re-register with a letter by post",
			"I was locked out after three attempts and had to call support",
		},
		details: []string{
			"", "", " I am on {os}.", " It worked fine before version {version}.", " Reinstalling did not help.",
			" My partner has the same problem.", " The session timeout is far too short.",
		},
		closers: []string{"", "", " Please bring back fingerprint login.", " Very frustrating.", " This makes the app almost unusable on the go."},
	},
	{
		key: "crash", item: "", tags: []string{"bug", "stability"}, weight: 9, trend: 4,
		openers: []string{"", "After updating to {version}, ", "On my {device}, ", "Bug report: ", "Since yesterday "},
		cores: []string{
			"the app crashes as soon as I open my statements",
			"the app freezes on the splash screen and then closes",
			"it crashes every time I try to add a new payee",
			"the app closes when I switch to the savings tab",
			"I get a blank white screen after login",
			"the app crashes when I tap on a transaction to see details",
			"it crashes in the middle of a transfer and I do not know if the money left",
			"the app crashes when I scan a QR code to pay",
		},
		details: []string{
			"", "", " I am on {os}.", " Version {version}.", " Clearing the cache does nothing.",
			" It happened five times today.", " I had to use the website instead.",
		},
		closers: []string{"", "", " Please release a fix soon.", " One star until this is fixed.", " Did anyone test this release?"},
	},
	{
		key: "fees", item: "", tags: []string{"fees", "pricing"}, weight: 9, trend: 0.6,
		openers: []string{"", "I just noticed that ", "Disappointed: ", "Can someone explain why ", "Compared to {rival}, "},
		cores: []string{
			"I was charged {amount} for a card payment abroad",
			"the monthly account fee went up again without a clear notice",
			"withdrawing cash at another bank's ATM costs a fee now",
			"there is a fee for paper statements I never asked for",
			"the currency conversion rate is far worse than the market rate",
			"I pay a fee for an instant transfer that other banks do for free",
			"the overdraft fee of {amount} was charged for being one day late",
			"the fee schedule in the app is impossible to find",
		},
		details: []string{
			"", "", " Nobody told me about this.", " The app should show the fee before I confirm.",
			" That is the third fee this month.", " I have been a customer for fifteen years.",
		},
		closers: []string{"", "", " I am considering switching banks.", " Please be transparent about fees.", " Refund it please."},
	},
	{
		key: "dark", item: "Dark mode", tags: []string{"ui", "accessibility"}, weight: 6, trend: 0,
		openers: []string{"", "Small request: ", "Love the app, but ", "Please, ", "At night "},
		cores: []string{
			"the app needs a dark mode",
			"the white screen is blinding when I check my balance in bed",
			"the app ignores the phone's dark theme setting",
			"a dark theme would make the app easier on the eyes",
			"the bright white background hurts my eyes with my migraines",
			"every other app I use follows the system dark mode except this one",
		},
		details: []string{"", "", " It also drains the battery on OLED screens.", " Even the website has a dark theme now.", " My eyes are sensitive to light."},
		closers: []string{"", "", " Thanks!", " Would be a quick win.", " Otherwise a great app."},
	},
	{
		key: "savings", item: "Savings goals", tags: []string{"savings"}, weight: 7, trend: 0.5, positive: true,
		openers: []string{"", "Idea: ", "Would love this: ", "Suggestion: ", "As a parent: "},
		cores: []string{
			"I would like to set savings goals, like a holiday or a new car, and see my progress",
			"round up every card payment and put the change into savings",
			"let me create separate pots for different savings goals",
			"it would be great to save a fixed amount automatically every payday",
			"a joint savings goal with my partner would help us plan",
			"show how long it will take to reach my savings target",
			"I want a savings space for my kids with a goal they can see",
		},
		details: []string{"", "", " {rival} has this and it works really well.", " It would help me stop overspending.", " I would move my savings here if you had it."},
		closers: []string{"", "", " Thanks for listening!", " That would make the app perfect.", " Keep up the good work."},
	},
	{
		key: "service", item: "", tags: []string{"support"}, weight: 8, trend: -0.3,
		openers: []string{"", "Terrible experience: ", "I want to complain: ", "For the third time, ", "Not happy: "},
		cores: []string{
			"I waited {wait} on the phone to speak to someone",
			"the chat in the app only gives canned answers and never a human",
			"my complaint was closed without anyone calling me back",
			"the branch told me to use the app and the app told me to visit the branch",
			"nobody could tell me why my account was blocked",
			"support asked me to send my ID by email, which is not secure",
			"I got three different answers from three different agents",
		},
		details: []string{"", "", " The issue is still not solved after {days}.", " The agent was polite but could not help.", " I had to take time off work."},
		closers: []string{"", "", " Please train your staff.", " A callback option would help.", " Very poor service."},
	},
	{
		key: "insights", item: "Spending insights", tags: []string{"insights", "budgeting"}, weight: 6, trend: 0.4, positive: true,
		openers: []string{"It would be nice if ", "I would love it if ", "It would really help if ", "Feature request: it would be great if ", "I like the new design, and it would be even better if "},
		cores: []string{
			"the app showed how much I spend on groceries each month",
			"transactions were grouped into categories automatically",
			"I could set a monthly budget and get a warning before I go over",
			"I could see all my subscriptions in one place and cancel the ones I forgot",
			"there was a chart of income versus spending per month",
			"merchant names were readable instead of codes like SQ *CFE 0423",
		},
		details: []string{"", "", " I currently export everything to a spreadsheet.", " {rival} does this nicely.", " It would help me save."},
		closers: []string{"", "", " Thanks.", " Keep improving!", " Would use it every week."},
	},
	{
		key: "dispute", item: "Dispute a transaction", tags: []string{"disputes", "cards"}, weight: 5, trend: 0.2, business: true,
		openers: []string{"", "Problem: ", "Help: ", "Once again ", "Our accountant noticed that "},
		cores: []string{
			"{merchant} charged me twice for {amount} and there is no way to dispute it in the app",
			"disputing a card payment means printing and posting a form",
			"a subscription kept charging after I cancelled and I could not flag it",
			"I cannot see the status of the dispute I opened {days} ago",
			"a refund from {merchant} never arrived and I do not know whom to ask",
		},
		details: []string{"", "", " The hotline said it takes up to 45 days.", " I have the receipt right here.", " This should be two taps."},
		closers: []string{"", "", " Please add disputes to the app.", " Really frustrating.", " Please sort this out."},
	},
	{
		key: "business", item: "", tags: []string{"business"}, weight: 5, trend: 0, business: true,
		openers: []string{"", "As a small business owner, ", "For our company account, ", "Our finance team says ", "Running a shop, "},
		cores: []string{
			"we need several users with different permissions on the business account",
			"exporting transactions for our accounting software is only possible as PDF",
			"approving supplier payments from the app would save us hours",
			"batch payments for payroll are missing in the app",
			"the daily transfer limit is too low for paying suppliers",
		},
		details: []string{"", "", " We use Xero and need CSV or an API.", " We are thinking about moving to a business-only bank.", " Our volume is growing fast."},
		closers: []string{"", "", " Happy to talk to your product team.", " Please prioritise business features.", " Thanks."},
	},
	{
		key: "praise", item: "", tags: []string{"praise"}, weight: 8, trend: 0, positive: true,
		openers: []string{"", "Just wanted to say ", "Five stars: ", "Genuinely impressed, ", "Big improvement: "},
		cores: []string{
			"the new app design is clean and much faster than before",
			"checking my balance is quick and easy",
			"I love the instant notifications for every card payment",
			"paying with my phone at {merchant} worked perfectly",
			"setting up a standing order was simple and clear",
			"the app is reliable and I use it every day",
			"the agent in the chat solved my problem in five minutes",
		},
		details: []string{"", "", " Well done to the team.", " Much better than the old version.", " My parents can use it too."},
		closers: []string{"", "", " Thank you!", " Keep it up.", " Best banking app I have used."},
	},
}

var (
	firstNames = []string{"Ana", "Ben", "Chloé", "Daniel", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kasia", "Luca", "Maria", "Nils",
		"Olga", "Pedro", "Quentin", "Rosa", "Samir", "Tara", "Uwe", "Vera", "Wim", "Yara", "Zoe", "Aidan", "Bea", "Carlos", "Dara", "Emil"}
	lastNames = []string{"Lopez", "Schmidt", "Dubois", "Rossi", "Novak", "Kowalski", "Jansen", "Silva", "Murphy", "Yilmaz", "Berg", "Costa",
		"Fischer", "Moreau", "Nowak", "O'Brien", "Petrov", "Ricci", "Santos", "Weber"}
	businesses = []string{"Harbour Bakery Ltd", "Nordlicht Design GmbH", "Costa & Filhos Lda", "Greenleaf Florists", "Vela Logistics BV",
		"Atelier Moreau SARL", "Brightside Dental", "Kowalski Builders", "Pine Street Café", "Murphy Electrical", "Sunrise Yoga Studio", "Berg Consulting AB"}
)

// account is one demo customer household or business.
type account struct {
	name, tier, person, email string
	revenue                   int64 // euro cents a year
	business                  bool
}

func makeAccounts(r *rand.Rand) []account {
	var out []account
	used := map[string]bool{}
	for len(out) < 150 {
		first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		person := first + " " + last
		if used[person] {
			continue
		}
		used[person] = true
		a := account{person: person, name: last + " household",
			email: strings.ToLower(strings.NewReplacer("é", "e", "'", "").Replace(first+"."+last)) + "@example.com"}
		switch n := r.IntN(100); {
		case n < 62:
			a.tier, a.revenue = "retail", int64(8_000+r.IntN(70_000))
		case n < 90:
			a.tier, a.revenue = "premium", int64(150_000+r.IntN(450_000))
		default:
			a.tier, a.revenue = "private", int64(1_500_000+r.IntN(6_000_000))
		}
		out = append(out, a)
	}
	for _, b := range businesses {
		last := lastNames[r.IntN(len(lastNames))]
		out = append(out, account{name: b, tier: "business", person: firstNames[r.IntN(len(firstNames))] + " " + last,
			email:   "finance@" + strings.ToLower(strings.NewReplacer(" ", "", "&", "", ".", "").Replace(b)) + ".example",
			revenue: int64(800_000 + r.IntN(14_000_000)), business: true})
	}
	return out
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func expand(r *rand.Rand, s string) string {
	for strings.Contains(s, "{") {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		key := s[i : i+j+1]
		vals, ok := fill[key]
		if !ok {
			break
		}
		s = s[:i] + pick(r, vals) + s[i+j+1:]
	}
	return s
}

// composeText writes one feedback text for t.
func composeText(r *rand.Rand, t *topic, source string) string {
	opener, core := pick(r, t.openers), pick(r, t.cores)
	if opener == "" || strings.HasSuffix(opener, ": ") {
		core = upperFirst(core)
	}
	text := strings.TrimSpace(opener + core)
	if strings.HasPrefix(opener, "Can someone explain why") {
		text += "?"
	} else {
		text += "."
	}
	text += pick(r, t.details) + pick(r, t.closers)
	switch source {
	case tandem.SourceReview:
		if !t.positive && r.IntN(3) == 0 {
			text = pick(r, []string{"One star. ", "Two stars. ", "Was five stars, now two. "}) + text
		}
	case tandem.SourceEmail:
		text = pick(r, []string{"Hello,\n\n", "Dear Northbank team,\n\n", "Hi,\n\n"}) + text + pick(r, []string{"\n\nRegards", "\n\nKind regards", "\n\nThanks"})
	case tandem.SourceSupport:
		if !strings.HasSuffix(opener, ": ") {
			text = pick(r, []string{"Customer reports: ", "Phone call: ", "Chat summary: ", ""}) + text
		}
	case tandem.SourceSales:
		text = "Account review notes: " + text
	}
	return expand(r, text)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// generateFeedback composes the demo's feedback, received over the 14 weeks
// up to today.
func generateFeedback(seed uint64, today tandem.Date) []*tandem.Feedback {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	accounts := makeAccounts(r)
	const weeks = 14
	var out []*tandem.Feedback
	seen := map[string]bool{}
	for w := range weeks {
		progress := float64(w) / float64(weeks-1) // 0 oldest week, 1 this week
		for ti := range topics {
			t := &topics[ti]
			expected := float64(t.weight) * 0.24 * (1 + t.trend*progress)
			if t.key == "crash" && w < weeks-4 {
				expected *= 0.35 // crashes surge after the 5.2 release, four weeks ago
			}
			n := int(expected)
			if r.Float64() < expected-float64(n) {
				n++
			}
			for range n {
				src := pickSource(r, t)
				a := pickAccount(r, accounts, t)
				text := composeText(r, t, src)
				if seen[text] {
					continue // keep the demo free of verbatim repeats
				}
				seen[text] = true
				tags := slices.Clone(t.tags[:1+r.IntN(len(t.tags))])
				if src == tandem.SourceReview {
					tags = append(tags, pick(r, []string{"app-store", "google-play"}))
				}
				day := today.AddDays(-7*(weeks-1-w) - r.IntN(7))
				out = append(out, &tandem.Feedback{
					Text: text, Source: src, CustomerName: a.person, CustomerEmail: a.email, Account: a.name,
					AccountTier: a.tier, AccountRevenue: tandem.Money{Amount: a.revenue, Currency: "EUR"},
					ReceivedOn: day, Tags: tags,
				})
			}
		}
	}
	// Oldest first, as a help desk export would list them.
	slices.SortStableFunc(out, func(a, b *tandem.Feedback) int { return a.ReceivedOn.Time().Compare(b.ReceivedOn.Time()) })
	return out
}

func pickSource(r *rand.Rand, t *topic) string {
	if t.business {
		return pick(r, []string{tandem.SourceSales, tandem.SourceSales, tandem.SourceEmail, tandem.SourceSupport, tandem.SourcePortal})
	}
	return pick(r, []string{tandem.SourceReview, tandem.SourceReview, tandem.SourceReview, tandem.SourceSupport, tandem.SourceSupport,
		tandem.SourceEmail, tandem.SourcePortal, tandem.SourceCSV})
}

func pickAccount(r *rand.Rand, accounts []account, t *topic) account {
	for {
		a := accounts[r.IntN(len(accounts))]
		if a.business == (t.business && r.IntN(5) > 0) {
			return a
		}
	}
}

// ideaSpec is a demo idea; votes come from that many distinct customers.
type ideaSpec struct {
	title, desc, status, item string
	votes                     int
	mergeInto                 string
}

var demoIdeas = []ideaSpec{
	{"Pay contacts instantly by phone number", "Send money to anyone in my contacts in seconds, without typing an IBAN.", tandem.IdeaPlanned, "Instant payments to contacts", 64, ""},
	{"Dark mode", "Follow the phone's dark theme; easier on the eyes at night and on OLED batteries.", tandem.IdeaUnderReview, "Dark mode", 41, ""},
	{"Night theme for the app", "A black background option for using the app in bed.", tandem.IdeaNew, "", 9, "Dark mode"},
	{"Freeze my card from the home screen", "One toggle to freeze and unfreeze the card when I misplace it.", tandem.IdeaInProgress, "Card freeze and replace", 37, ""},
	{"Savings pots with goals", "Separate pots for holidays, a car or a rainy day, with a target and progress.", tandem.IdeaUnderReview, "Savings goals", 28, ""},
	{"Round up card payments into savings", "Round every card payment up to the next euro and move the change to savings.", tandem.IdeaNew, "", 19, ""},
	{"Export transactions as CSV", "For my spreadsheet and my accountant; PDF statements are not enough.", tandem.IdeaNew, "", 12, ""},
	{"Apple Watch app", "Check my balance and last payments on my watch.", tandem.IdeaDeclined, "", 6, ""},
}

// demoInterview is a customer interview as a recorder would export it.
const demoInterview = `WEBVTT - Customer interview, premium segment

1
00:00:03.000 --> 00:00:09.500
<v Interviewer>Thanks for making time. Could you walk me through the last time you used the app?</v>

2
00:00:10.000 --> 00:00:24.000
<v Customer>Sure. Yesterday evening I paid my sister back for concert tickets. I had to find her IBAN in an old email, type it in, and then it still took until this morning to arrive.</v>

3
00:00:24.500 --> 00:00:29.000
<v Interviewer>How did that feel?</v>

4
00:00:29.500 --> 00:00:45.000
<v Customer>A bit embarrassing, honestly. She uses another bank where money arrives instantly, so she thought I had forgotten. I wish I could just pick her from my contacts.</v>

5
00:00:46.000 --> 00:00:52.000
<v Interviewer>You mentioned security in the survey. What did you mean?</v>

6
00:00:52.500 --> 00:01:14.000
<v Customer>Last month I left my card in a taxi. I opened the app to freeze it and could not find the option anywhere. I called the hotline and waited forty minutes while the card was still active. By then someone had tried to use it twice.</v>

7
00:01:15.000 --> 00:01:20.000
<v Interviewer>What would have helped in that moment?</v>

8
00:01:20.500 --> 00:01:33.000
<v Customer>A big freeze button right on the home screen. And then unfreeze it when the taxi company calls you back, which they did.</v>

9
00:01:34.000 --> 00:01:40.000
<v Interviewer>How about signing in? Anything there?</v>

10
00:01:40.500 --> 00:01:58.000
<v Customer>Face ID has been flaky since the last update. Maybe one time in three it falls back to the PIN, and I am usually standing at a till when that happens.</v>

11
00:01:59.000 --> 00:02:04.000
<v Interviewer>Is there anything you like about the app?</v>

12
00:02:04.500 --> 00:02:20.000
<v Customer>The payment notifications are great. I see every card payment immediately, which is how I noticed the taxi thing. And the new design is much cleaner.</v>

13
00:02:21.000 --> 00:02:27.000
<v Interviewer>If you could add one thing, what would it be?</v>

14
00:02:27.500 --> 00:02:45.000
<v Customer>Savings goals. We are saving for a house, and right now I keep a spreadsheet. I would love to see how far we are and have money moved automatically on payday.</v>
`

// demoHighlights are quotes of demoInterview, each a substring of the
// flattened transcript, with tags and the item they support.
var demoHighlights = []struct{ quote, tags, item string }{
	{"I had to find her IBAN in an old email, type it in, and then it still took until this morning to arrive.", "payments,friction", "Instant payments to contacts"},
	{"I wish I could just pick her from my contacts.", "payments,idea", "Instant payments to contacts"},
	{"I opened the app to freeze it and could not find the option anywhere.", "cards,security", "Card freeze and replace"},
	{"A big freeze button right on the home screen.", "cards,idea", "Card freeze and replace"},
	{"Face ID has been flaky since the last update.", "login,bug", "Biometric sign-in"},
	{"I would love to see how far we are and have money moved automatically on payday.", "savings,idea", "Savings goals"},
}

// feedback seeds the voice of the customer: feedback, ideas with votes, an
// interview with highlights, and evidence on the product's features.
func (s *seeder) feedback(ctx context.Context, st tandem.InsightService, product string) error {
	today := s.base.AddDays(42)
	fbs := generateFeedback(feedbackSeed, today)
	if err := st.ImportFeedback(ctx, s.ws, fbs); err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	// A few feedback items are linked to features by hand, as a product
	// manager triaging the queue would.
	linked := map[string]int{}
	for _, f := range fbs {
		for ti := range topics {
			t := &topics[ti]
			// A feedback's first tag is its topic's first tag.
			if t.item == "" || linked[t.item] >= 3 || len(f.Tags) == 0 || f.Tags[0] != t.tags[0] || f.AccountTier == "retail" {
				continue
			}
			ev := &tandem.Evidence{ItemID: s.items[t.item], FeedbackID: f.ID, Note: "Triaged from the " + f.Source + " queue."}
			if err := st.CreateEvidence(ctx, s.ws, ev); err != nil {
				return fmt.Errorf("evidence: %w", err)
			}
			linked[t.item]++
		}
	}

	r := rand.New(rand.NewPCG(feedbackSeed, 7))
	accounts := makeAccounts(r)
	ideas := map[string]*tandem.Idea{}
	for _, spec := range demoIdeas {
		a := accounts[r.IntN(len(accounts))]
		idea := &tandem.Idea{ProductID: product, Title: spec.title, Description: spec.desc, Status: spec.status,
			SubmitterName: a.person, SubmitterEmail: a.email, ItemID: s.items[spec.item], Public: true}
		if spec.status == tandem.IdeaDeclined {
			idea.Description += "\n\nDeclined for now: the watch app would need a separate security review."
		}
		if err := st.CreateIdea(ctx, s.ws, idea); err != nil {
			return fmt.Errorf("idea %q: %w", spec.title, err)
		}
		for _, v := range r.Perm(len(accounts))[:spec.votes] {
			if _, err := st.VoteIdea(ctx, s.ws, idea.ID, accounts[v].email); err != nil {
				return fmt.Errorf("vote: %w", err)
			}
		}
		ideas[spec.title] = idea
		if spec.item != "" && spec.mergeInto == "" {
			if err := st.CreateEvidence(ctx, s.ws, &tandem.Evidence{ItemID: s.items[spec.item], IdeaID: idea.ID}); err != nil {
				return fmt.Errorf("evidence: %w", err)
			}
		}
	}
	for _, spec := range demoIdeas {
		if spec.mergeInto != "" {
			if _, err := st.MergeIdea(ctx, s.ws, ideas[spec.title].ID, ideas[spec.mergeInto].ID); err != nil {
				return fmt.Errorf("merge idea: %w", err)
			}
		}
	}

	if err := s.themes(ctx, st, today); err != nil {
		return err
	}

	cues, err := transcript.ParseVTT(demoInterview)
	if err != nil {
		return fmt.Errorf("demo interview: %w", err)
	}
	iv := &tandem.Interview{Title: "Premium customer: paying friends, lost card, saving for a house", Participant: "Premium customer (anonymised)",
		Account: "Premium segment", HeldOn: s.day(30), Format: tandem.TranscriptVTT, Transcript: transcript.Flatten(cues)}
	if err := st.CreateInterview(ctx, s.ws, iv); err != nil {
		return fmt.Errorf("interview: %w", err)
	}
	for _, h := range demoHighlights {
		start := strings.Index(iv.Transcript, h.quote)
		if start < 0 {
			return fmt.Errorf("demo highlight %q is not in the transcript", h.quote)
		}
		hl := &tandem.Highlight{InterviewID: iv.ID, Start: start, End: start + len(h.quote), Quote: h.quote, Tags: strings.Split(h.tags, ",")}
		if err := st.CreateHighlight(ctx, s.ws, hl); err != nil {
			return fmt.Errorf("highlight: %w", err)
		}
		if err := st.CreateEvidence(ctx, s.ws, &tandem.Evidence{ItemID: s.items[h.item], HighlightID: hl.ID}); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
	}
	return nil
}

// themeEvidence links the themes the engine finds to the features they
// support, by words in their labels and keyphrases.
var themeEvidence = []struct{ item, words string }{
	{"Instant payments to contacts", "payment transfer pay instant iban"},
	{"Card freeze and replace", "card freeze block lost"},
	{"Biometric sign-in", "login face fingerprint biometric sign password"},
	{"Savings goals", "saving savings goal pots round"},
	{"Dark mode", "dark theme screen"},
	{"Spending insights", "spend budget categories subscriptions"},
	{"Dispute a transaction", "dispute refund charged"},
}

// themes runs the insight engine on the demo's feedback now, so that the
// explorer is full on first sign-in, and links themes to features.
func (s *seeder) themes(ctx context.Context, st tandem.InsightService, today tandem.Date) error {
	// The trend ends with the last full week before the demo's "today".
	job := &jobs.Themes{Store: st, Seed: 1, Now: func() time.Time { return today.AddDays(-1).Time() }}
	if err := job.Recompute(ctx, s.ws); err != nil {
		return fmt.Errorf("demo themes: %w", err)
	}
	themes, err := st.FindThemes(ctx, s.ws)
	if err != nil {
		return err
	}
	linked := map[string]bool{}
	for _, th := range themes {
		text := strings.ToLower(th.Label + " " + strings.Join(th.Keyphrases, " "))
		for _, te := range themeEvidence {
			if linked[te.item] {
				continue
			}
			hit := false
			for _, w := range strings.Fields(te.words) {
				if strings.Contains(text, w) {
					hit = true
					break
				}
			}
			if !hit {
				continue
			}
			ev := &tandem.Evidence{ItemID: s.items[te.item], ThemeID: th.ID, Note: "Theme found by the insight engine."}
			if err := st.CreateEvidence(ctx, s.ws, ev); err != nil {
				return fmt.Errorf("theme evidence: %w", err)
			}
			linked[te.item] = true
			break
		}
	}
	return nil
}
