package insight

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

func gloveCos(t *testing.T, wv *wordVectors, a, b string) float64 {
	t.Helper()
	ia, ok := wv.lookup(a)
	if !ok {
		t.Fatalf("%q not in the table", a)
	}
	ib, ok := wv.lookup(b)
	if !ok {
		t.Fatalf("%q not in the table", b)
	}
	x, y := wv.vec[int(ia)*wv.d:int(ia+1)*wv.d], wv.vec[int(ib)*wv.d:int(ib+1)*wv.d]
	return float64(dot32(x, y)) / math.Sqrt(float64(dot32(x, x))*float64(dot32(y, y)))
}

// The embedded table parses, has the documented size, and its vectors carry
// meaning after the int8 quantisation: words of one sense are nearer each
// other than to an unrelated word.
func TestGloveTable(t *testing.T) {
	wv, err := glove()
	if err != nil {
		t.Fatal(err)
	}
	if len(wv.id) != 40000 || wv.d != 100 {
		t.Fatalf("table has %d words of %d dims, want 40000 of 100", len(wv.id), wv.d)
	}
	for _, c := range []struct{ word, near, far string }{
		{"refund", "reimbursement", "weather"},
		{"delivered", "shipped", "guitar"},
		{"cancelled", "postponed", "banana"},
		{"account", "deposit", "giraffe"},
	} {
		near, far := gloveCos(t, wv, c.word, c.near), gloveCos(t, wv, c.word, c.far)
		if near <= far+0.2 {
			t.Errorf("cos(%s, %s) = %.2f, cos(%s, %s) = %.2f: want the first clearly larger", c.word, c.near, near, c.word, c.far, far)
		}
	}
	// A contracted negation is read as "not"; another contraction by its first part.
	if id, ok := wv.lookup("didn't"); !ok || id != wv.id["not"] {
		t.Errorf(`lookup("didn't") = %d, %v; want the row of "not"`, id, ok)
	}
	if _, ok := wv.lookup("qwxzv"); ok {
		t.Error("an unknown word was found")
	}
}

// A damaged table is refused with an error, never a panic.
func TestParseWordVectorsMalformed(t *testing.T) {
	table := func(words []string, d int, extra int) []byte {
		list := []byte{}
		for i, w := range words {
			if i > 0 {
				list = append(list, '\n')
			}
			list = append(list, w...)
		}
		b := []byte("GLV1")
		b = binary.LittleEndian.AppendUint32(b, uint32(len(words)))
		b = binary.LittleEndian.AppendUint32(b, uint32(d))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(list)))
		b = append(b, list...)
		for range words {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(0.01))
		}
		return append(b, make([]byte, len(words)*d+extra)...)
	}
	good := table([]string{"card", "bank"}, 3, 0)
	wv, err := parseWordVectors(good)
	if err != nil || len(wv.id) != 2 || wv.d != 3 {
		t.Fatalf("a well-formed table: %v", err)
	}
	for name, b := range map[string][]byte{
		"empty":         nil,
		"bad magic":     append([]byte("XXXX"), good[4:]...),
		"truncated":     good[:len(good)-1],
		"trailing byte": table([]string{"card", "bank"}, 3, 1),
		"word count":    append(append([]byte{}, good[:4]...), append(binary.LittleEndian.AppendUint32(nil, 3), good[8:]...)...),
		"huge counts":   append([]byte("GLV1"), 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0),
	} {
		if _, err := parseWordVectors(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// SIF vectors are unit length, zero for a text without a known content
// word, and the same for any number of workers.
func TestSIFVectors(t *testing.T) {
	wv, err := glove()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"my card has not arrived yet",
		"when will my card be delivered",
		"the the of and",
		"qwxzv blorptang",
		"I was charged twice for one coffee",
	}
	for i := range 300 { // enough rows for the principal directions
		texts = append(texts, texts[i%5]+" "+[]string{"please", "today", "again", "now", "thanks"}[i/5%5])
	}
	tk := tokenizeAll(texts, DefaultMaxTextRunes, 1)
	one := sifVectors(wv, tk.toks, sifOptions{dims: sifDims}, 1)
	four := sifVectors(wv, tk.toks, sifOptions{dims: sifDims}, 4)
	if !slices.Equal(one, four) {
		t.Fatal("SIF vectors differ between 1 and 4 workers")
	}
	d := len(one) / len(texts)
	if d != sifDims {
		t.Fatalf("width %d, want %d", d, sifDims)
	}
	for i := range texts {
		row := one[i*d : (i+1)*d]
		n := math.Sqrt(float64(dot32(row, row)))
		switch {
		case i == 2 || i == 3: // stop words only; unknown words only
			if n != 0 {
				t.Errorf("text %d %q: norm %.3f, want a zero row", i, texts[i], n)
			}
		case i < 5 || n != 0:
			if math.Abs(n-1) > 1e-4 {
				t.Errorf("text %d %q: norm %.4f, want 1", i, texts[i], n)
			}
		}
	}
	// Two texts that share only "card" but say one thing are nearer each
	// other than either is to a complaint about a charge.
	same := dot32(one[0:d], one[d:2*d])
	other := dot32(one[0:d], one[4*d:5*d])
	if same <= other {
		t.Errorf("cos(arrived, delivered) = %.2f <= cos(arrived, charged) = %.2f", same, other)
	}
}

func TestAppendView(t *testing.T) {
	x := []float32{0.6, 0.8, 0, 0} // two rows of 2; the second is zero
	y := []float32{1, 0, 0, 1}
	out := appendView(x, 2, y, 2, 0.5)
	if !slices.Equal(out[4:], []float32{0, 0, 0, 0}) {
		t.Errorf("a zero row became %v: texts without a known word must stay out of the themes", out[4:])
	}
	row := out[:4]
	if n := dot32(row, row); math.Abs(float64(n)-1) > 1e-6 {
		t.Errorf("norm² %v, want 1", n)
	}
	if r := row[0] / row[1]; math.Abs(float64(r)-0.75) > 1e-6 {
		t.Errorf("the first part's direction changed: %v", row)
	}
	if r := row[2] / row[0]; math.Abs(float64(r)-0.5/0.6) > 1e-6 {
		t.Errorf("the view's weight relative to the first part: %v, want %v", r, 0.5/0.6)
	}
}
