// Package insight is Tandem's text-analysis engine for customer feedback:
// text preparation, TF-IDF and LSA vectors, themes (clusters with labels,
// keyphrases, representative quotes, sentiment mix and volume over time),
// near-duplicate detection, lexicon-based sentiment and similarity search.
//
// It takes plain inputs ([]Doc) and returns plain results; it has no database
// and no network access of its own. A model server can be plugged in through
// the Embedder and Namer interfaces (see package insight/modelserver); when it
// fails, Analyze falls back to the local engine and says so in Result.Notices.
//
// Every computation is deterministic for a given Options.Seed: work is split
// into fixed chunks across goroutines and partial results are combined in a
// fixed order.
package insight
