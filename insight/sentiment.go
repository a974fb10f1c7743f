package insight

import (
	"math"
	"sort"
	"strings"
)

// Sentiment labels.
const (
	Negative = "negative"
	Neutral  = "neutral"
	Positive = "positive"
)

// SentimentScore is the polarity of one text: Score in [-1, 1] and its label.
type SentimentScore struct {
	Score float64 `json:"score"`
	Label string  `json:"label"`
}

// sentimentNeutralBand: scores within ±band are neutral.
const sentimentNeutralBand = 0.1

// Sentiment scores a text with the embedded English lexicon: word weights,
// negation ("not good"), intensifiers ("very slow"), diminishers, contrast
// ("but" weighs the clause after it more), exclamation marks and emoticons.
func Sentiment(text string) SentimentScore {
	t, _ := Normalize(text, DefaultMaxTextRunes)
	return sentimentOf(t)
}

func sentimentOf(t string) SentimentScore { return sentimentTokens(t, Tokenize(t)) }

// sentimentTokens scores normalised text t whose tokens are toks.
func sentimentTokens(t string, toks []string) SentimentScore {
	var sum float64
	hits := 0
	scale := 1.0 // weight of the current clause
	skip := 0    // tokens already counted as part of a phrase
	for i, w := range toks {
		if w == "but" || w == "however" || w == "although" || w == "though" {
			sum *= 0.5
			scale = 1.5
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if strings.HasSuffix(w, "n't") || w == "cannot" {
			// In feedback a bare "can't" or "didn't" mostly reports a failure.
			sum -= 0.4 * scale
		}
		v, ok := 0.0, false
		// phrases of three and two words first ("thanks for nothing")
		for span := 3; span >= 2 && !ok && phraseStart[w]; span-- {
			if i+span <= len(toks) {
				if v, ok = lexicon[strings.Join(toks[i:i+span], " ")]; ok {
					skip = span - 1
				}
			}
		}
		if !ok {
			if v, ok = lexicon[w]; !ok {
				continue
			}
		}
		mult := 1.0
		for j := i - 1; j >= 0 && j >= i-3; j-- {
			p := toks[j]
			if isNegation(p) {
				mult *= -0.75
				break
			}
			if b, ok := boosters[p]; ok && j == i-1 {
				mult *= 1 + b
			}
		}
		sum += v * mult * scale
		hits++
	}
	if hits > 0 || sum != 0 {
		ex := strings.Count(t, "!")
		if ex > 3 {
			ex = 3
		}
		sum += math.Copysign(0.3*float64(ex), sum)
	}
	for _, f := range strings.Fields(t) {
		if strings.Contains(f, "://") || strings.HasPrefix(f, "www.") {
			continue // ":/" inside a URL is no emoticon
		}
		for _, emo := range emoticonKeys {
			if strings.Contains(f, emo) {
				sum += emoticons[emo]
			}
		}
	}
	score := sum / math.Sqrt(sum*sum+15)
	score = math.Round(score*1000) / 1000
	label := Neutral
	switch {
	case score >= sentimentNeutralBand:
		label = Positive
	case score <= -sentimentNeutralBand:
		label = Negative
	}
	return SentimentScore{Score: score, Label: label}
}

func isNegation(w string) bool {
	switch w {
	case "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "cant", "dont", "didnt", "doesnt", "isnt", "wasnt", "wont", "hardly":
		return true
	}
	return strings.HasSuffix(w, "n't")
}

func sentiments(tk *tokenized, workers int) []SentimentScore {
	out := make([]SentimentScore, len(tk.norm))
	forChunks(len(tk.norm), workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = sentimentTokens(tk.norm[i], tk.toks[i])
		}
	})
	return out
}

var boosters = map[string]float64{
	"very": 0.3, "really": 0.3, "so": 0.3, "extremely": 0.5, "incredibly": 0.5, "super": 0.3, "totally": 0.3,
	"absolutely": 0.4, "completely": 0.3, "too": 0.2, "most": 0.3, "truly": 0.3, "utterly": 0.5, "highly": 0.3,
	"quite": 0.1, "pretty": 0.1, "slightly": -0.4, "somewhat": -0.3, "bit": -0.3, "little": -0.3, "barely": -0.5,
	"kinda": -0.3, "fairly": -0.2,
}

var emoticons = map[string]float64{
	":)": 1.5, ":-)": 1.5, ":d": 2, "<3": 2, ";)": 1, "❤": 2, "😊": 2, "😀": 2, "👍": 1.5, "🙏": 1, "😍": 2.5,
	":(": -1.5, ":-(": -1.5, ":/": -1, "😡": -2.5, "😠": -2, "😤": -1.5, "😢": -1.5, "😞": -1.5, "👎": -1.5, "🙄": -1,
}

// phraseStart holds the first words of the lexicon's phrases.
var phraseStart = func() map[string]bool {
	m := map[string]bool{}
	for k := range lexicon {
		if w, _, ok := strings.Cut(k, " "); ok {
			m[w] = true
		}
	}
	return m
}()

// emoticonKeys fixes the order of summation, so scores are reproducible.
var emoticonKeys = func() []string {
	keys := make([]string, 0, len(emoticons))
	for k := range emoticons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}()

// lexicon holds English words (and a few two-word phrases) with polarity
// weights from -2.8 to 3.2, written for customer feedback: besides general
// sentiment words it counts service failures ("delayed", "cancelled",
// "refund") as negative, since customers name them when they complain.
var lexicon = func() map[string]float64 {
	m := map[string]float64{}
	add := func(w float64, words string) {
		for _, s := range strings.Split(words, ",") {
			if s = strings.TrimSpace(s); s != "" {
				m[s] = w
			}
		}
	}
	add(3.2, "love,loved,loving,amazing,awesome,excellent,fantastic,wonderful,outstanding,superb,brilliant,perfect,best,incredible,phenomenal,exceptional,thank you,thanks so,impressive,adore,obsessed,cutest,classy")
	add(2.5, "great,happy,glad,delighted,pleased,impressed,enjoy,enjoyed,beautiful,lovely,favorite,favourite,grateful,thankful,appreciate,appreciated,kudos,recommend,recommended,smooth,seamless,thrilled,excited,exciting,yay,woohoo,wow,cool,fabulous,terrific,impress,impressed,luv,fav,finally,stellar,heroes,hero,rock,rocks")
	add(1.8, "good,nice,helpful,friendly,easy,fast,quick,quickly,comfortable,pleasant,fun,useful,intuitive,reliable,clean,polite,courteous,professional,kind,sweet,safe,welcome,win,winning,fine,solid,glad,better,improved,improvement,resolved,fixed,works,worked,working,efficient,convenient,handy,like,liked,likes,worth,well,cheers,congrats,congratulations,proud,upgrade,upgraded,free,ontime")
	add(1.0, "thanks,thank,thx,ok,okay,decent,fair,correct,clear,simple,ready,accurate,secure,affordable,cheap,promptly,prompt,support,hope,hopefully,interesting,luck,lucky,save,saved,benefit,success,successful,sure,yes")
	add(-1.0, "wait,waiting,waited,hold,confusing,confused,slow,slowly,long,longer,issue,issues,problem,problems,bug,bugs,error,errors,fee,fees,charged,charge,expensive,missing,missed,miss,lost,unable,difficult,hard,late,later,why,again,seriously,stuck,sitting,sat,declined,denied,rejected,blocked,locked,frozen,refund,complaint,complain,complaining,unclear,lack,lacking,limited,outdated,crash,crashes,crashed,freeze,freezes,glitch,fail,fails,delay,delays,overbooked,diverted,strand,stranded,cancel,hours,hrs,nobody,unanswered,ugh,smh,meh,sigh,wtf,omg")
	add(-1.8, "bad,poor,poorly,annoying,annoyed,annoys,frustrating,frustrated,frustration,broken,broke,useless,unhelpful,rude,unprofessional,disappointed,disappointing,disappointment,upset,angry,mad,sad,unhappy,sucks,suck,sucked,delayed,cancelled,canceled,cancellation,cancellations,failed,failure,wrong,worse,mess,messed,ridiculous,lousy,pathetic,incompetent,ignored,ignoring,ignore,waste,wasted,nightmare,unreliable,unusable,impossible,dirty,uncomfortable,cramped,overpriced,scam,stole,stolen,fraud,fraudulent,hate,hated,hates,dislike,sorry,apologize,apology,joke,shame,shameful,unfortunately,fault,problematic,stressful,stress,painful,pain,hassle,inconvenience,inconvenienced,damaged,damage,misplaced,forgot,forgotten,neglected,lie,lied,lies,liar,excuse,excuses,bs,crap,garbage,trash")
	add(-2.8, "thanks for nothing,thank you for nothing,hung up,no response,no answer,terrible,horrible,awful,worst,disgusting,disgraceful,disgrace,appalling,atrocious,abysmal,unacceptable,outrageous,furious,livid,hell,dreadful,hideous,pathetic,insulting,nightmare,never again,sad face,fuck,fucking,shit,shitty,screwed,worthless")
	return m
}()
