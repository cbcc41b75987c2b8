package search

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// accents maps the lower-case Latin letters with diacritics (U+00C0 to
// U+024F) to their base letter, as words.js folds them with NFD: a pair of
// runes per entry, the letter and its fold.
const accents = "àaáaâaãaäaåaçcèeéeêeëeìiíiîiïiñnòoóoôoõoöoùuúuûuüuýyÿyāaăaąaćcĉcċcčcďdēeĕeėeęeěeĝgğgġgģgĥhĩiīiĭiįiĵjķkĺlļlľlńnņnňnōoŏoőoŕrŗrřrśsŝsşsšsţtťtũuūuŭuůuűuųuŵwŷyźzżzžzơoưuǎaǐiǒoǔuǖuǘuǚuǜuǟaǡaǣæǧgǩkǫoǭoǯʒǰjǵgǹnǻaǽæǿøȁaȃaȅeȇeȉiȋiȍoȏoȑrȓrȕuȗușsțtȟhȧaȩeȫoȭoȯoȱoȳy"

var foldRune = func() map[rune]rune {
	m := map[rune]rune{}
	rs := []rune(accents)
	for i := 0; i+1 < len(rs); i += 2 {
		m[rs[i]] = rs[i+1]
	}
	return m
}()

// Fold is a word as the index keeps it: lower case, Latin letters without
// their accents, a final "'s" dropped and other apostrophes removed. It
// must agree with fold in the theme's words.js.
func Fold(w string) string {
	plain, lower := true, true
	for i := 0; i < len(w) && plain; i++ {
		c := w[i]
		plain = c < utf8.RuneSelf && c != '\''
		lower = lower && (c < 'A' || c > 'Z')
	}
	if plain { // ASCII without apostrophes: the common case
		if lower {
			return w
		}
		return strings.ToLower(w)
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range strings.ToLower(w) {
		if r >= 0x300 && r <= 0x36f {
			continue // a combining mark
		}
		if f, ok := foldRune[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	s := b.String()
	for _, ap := range []string{"'s", "’s"} {
		s = strings.TrimSuffix(s, ap)
	}
	if strings.ContainsAny(s, "'’") {
		s = strings.NewReplacer("'", "", "’", "").Replace(s)
	}
	return s
}

// Words lists the words of text, folded, as words.js reads them.
func Words(text string) []string {
	var out []string
	eachWord(text, func(w string) { out = append(out, w) })
	return out
}

// eachWord calls f with every word of text, folded: a run of letters and
// digits, with apostrophes inside it followed by letters ("rep's",
// "don't"), as wordRE in words.js.
func eachWord(text string, f func(string)) {
	isWord := func(r rune) bool {
		if r < utf8.RuneSelf {
			return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		}
		return unicode.IsLetter(r) || unicode.IsNumber(r)
	}
	i := 0
	for i < len(text) {
		r, n := decode(text[i:])
		if !isWord(r) {
			i += n
			continue
		}
		start := i
		i += n
		for i < len(text) {
			r, n = decode(text[i:])
			if isWord(r) {
				i += n
				continue
			}
			if r == '\'' || r == '’' {
				// An apostrophe belongs to the word when letters follow it.
				j := i + n
				k := j
				for k < len(text) {
					r2, n2 := decode(text[k:])
					if !unicode.IsLetter(r2) {
						break
					}
					k += n2
				}
				if k > j {
					i = k
					continue
				}
			}
			break
		}
		f(Fold(text[start:i]))
	}
}

func decode(s string) (rune, int) {
	if s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}

// jsLen is a string's length in JavaScript: UTF-16 code units.
func jsLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Porter's stemmer (1980) as stem-en.js runs it, rule by rule, with the same
// regular expressions, so the index and the browser agree on every stem.
var (
	cons   = "[^aeiou][^aeiouy]*"
	vow    = "[aeiouy][aeiou]*"
	mGt0   = regexp.MustCompile("^(" + cons + ")?" + vow + cons)
	mEq1   = regexp.MustCompile("^(" + cons + ")?" + vow + cons + "(" + vow + ")?$")
	mGt1   = regexp.MustCompile("^(" + cons + ")?" + vow + cons + vow + cons)
	hasV   = regexp.MustCompile("^(" + cons + ")?" + vow)
	cvc    = regexp.MustCompile("^" + cons + "[aeiouy][^aeiouwxy]$")
	eedRE  = regexp.MustCompile(`^(.+?)eed$`)
	edRE   = regexp.MustCompile(`^(.+?)(ed|ing)$`)
	yRE    = regexp.MustCompile(`^(.+?)y$`)
	step2R = regexp.MustCompile(`(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$`)
	step3R = regexp.MustCompile(`(icate|ative|alize|iciti|ical|ful|ness)$`)
	step4R = regexp.MustCompile(`(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$`)
	ionRE  = regexp.MustCompile(`^(.+?)(s|t)(ion)$`)
	eRE    = regexp.MustCompile(`^(.+?)e$`)
	step2  = map[string]string{"ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous",
		"ization": "ize", "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble", "logi": "log"}
	step3 = map[string]string{"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}
)

// Stem is the Porter stem of a folded word.
func Stem(w string) string {
	if jsLen(w) < 3 {
		return w
	}
	yFirst := w[0] == 'y'
	if yFirst {
		w = "Y" + w[1:]
	}
	// 1a: plurals.
	switch {
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "ies"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		w = w[:len(w)-1]
	}
	// 1b: -eed, -ed, -ing.
	if m := eedRE.FindStringSubmatch(w); m != nil {
		if mGt0.MatchString(m[1]) {
			w = w[:len(w)-1]
		}
	} else if m := edRE.FindStringSubmatch(w); m != nil && hasV.MatchString(m[1]) {
		w = m[1]
		if strings.HasSuffix(w, "at") || strings.HasSuffix(w, "bl") || strings.HasSuffix(w, "iz") {
			w += "e"
		} else if doubleCons(w) {
			_, n := lastRune(w)
			w = w[:len(w)-n]
		} else if cvc.MatchString(w) && mEq1.MatchString(w) {
			w += "e"
		}
	}
	// 1c: a final y after a vowel-bearing stem becomes i.
	if m := yRE.FindStringSubmatch(w); m != nil && hasV.MatchString(m[1]) {
		w = m[1] + "i"
	}
	// 2, 3: double suffixes to single ones.
	if m := step2R.FindStringSubmatch(w); m != nil {
		if base := w[:len(w)-len(m[1])]; mGt0.MatchString(base) {
			w = base + step2[m[1]]
		}
	}
	if m := step3R.FindStringSubmatch(w); m != nil {
		if base := w[:len(w)-len(m[1])]; mGt0.MatchString(base) {
			w = base + step3[m[1]]
		}
	}
	// 4: drop a suffix from a long enough stem.
	if m := step4R.FindStringSubmatch(w); m != nil {
		if base := w[:len(w)-len(m[1])]; mGt1.MatchString(base) {
			w = base
		}
	} else if m := ionRE.FindStringSubmatch(w); m != nil && mGt1.MatchString(m[1]+m[2]) {
		w = m[1] + m[2]
	}
	// 5: a final e, and a final ll.
	if m := eRE.FindStringSubmatch(w); m != nil {
		base := m[1]
		if mGt1.MatchString(base) || (mEq1.MatchString(base) && !cvc.MatchString(base)) {
			w = base
		}
	}
	if strings.HasSuffix(w, "ll") && mGt1.MatchString(w) {
		w = w[:len(w)-1]
	}
	if yFirst {
		w = "y" + w[1:]
	}
	return w
}

// doubleCons tells whether w ends in the same consonant twice, other than
// l, s or z (/([^aeiouylsz])\1$/).
func doubleCons(w string) bool {
	a, n := lastRune(w)
	if n == 0 || strings.ContainsRune("aeiouylsz", a) {
		return false
	}
	b, m := lastRune(w[:len(w)-n])
	return m > 0 && a == b
}

func lastRune(s string) (rune, int) {
	if s == "" {
		return 0, 0
	}
	return utf8.DecodeLastRuneInString(s)
}
