package search

import "strings"

// StemGerman is the stem of a folded German word by the Snowball German
// stemmer (Martin Porter's published algorithm), written here from its
// description and run the same way by the theme's stem-de.js. Folding
// has already taken the umlauts' dots off (ä is a), which is what the
// algorithm's last step does anyway; ß is read as ss.
//
// The word's regions: R1 starts after the first non-vowel that follows a
// vowel, and at the fourth letter at the earliest; R2 is the same after
// R1's start. A u or y between two vowels counts as a consonant. Then, each step
// taking the longest matching ending and deleting it only when it lies in
// the region named (and not trying a shorter one when it does not):
//
//  1. em, ern, er; e, en, es (then niss loses an s); s after one of
//     b d f g h k l m n r t; in R1.
//  2. en, er, est; st after one of b d f g h k l m n t that has at least
//     three letters before it; in R1.
//  3. end, ung (then ig, not after e, in R2); ig, ik, isch not after e;
//     lich, heit (then er or en in R1); keit (then lich or ig in R2); in R2.
func StemGerman(w string) string {
	if !strings.ContainsRune(w, 'ß') && jsLen(w) < 3 {
		return w
	}
	r := []rune(strings.ReplaceAll(w, "ß", "ss"))
	// A u or y between vowels is a consonant: marked in upper case.
	for j := 0; j+2 < len(r); {
		if deVowel(r[j]) && (r[j+1] == 'u' || r[j+1] == 'y') && deVowel(r[j+2]) {
			r[j+1] -= 'a' - 'A'
			j += 3
			continue
		}
		j++
	}
	// R2 is found from where R1 starts before it is moved to the fourth
	// letter, as the algorithm does.
	raw := deRegion(r, 0)
	p1, p2 := max(raw, 3), deRegion(r, raw)
	ends := func(s string) bool { return strings.HasSuffix(string(r), s) }
	cut := func(n int) { r = r[:len(r)-n] }
	at := func(s string) int { return len(r) - len([]rune(s)) } // where ending s starts

	// Step 1.
	if e := deLongest(r, "em", "ern", "er", "e", "en", "es", "s"); e != "" && at(e) >= p1 {
		switch e {
		case "em", "ern", "er":
			cut(len(e))
		case "e", "en", "es":
			cut(len(e))
			if ends("niss") {
				cut(1)
			}
		case "s":
			if i := at(e) - 1; i >= 0 && strings.ContainsRune("bdfghklmnrt", r[i]) {
				cut(1)
			}
		}
	}
	// Step 2.
	if e := deLongest(r, "en", "er", "est", "st"); e != "" && at(e) >= p1 {
		if e != "st" {
			cut(len(e))
		} else if i := at(e) - 1; i >= 3 && strings.ContainsRune("bdfghklmnt", r[i]) {
			cut(2)
		}
	}
	// Step 3.
	if e := deLongest(r, "end", "ung", "ig", "ik", "isch", "lich", "heit", "keit"); e != "" && at(e) >= p2 {
		before := func(s string) bool { return strings.HasSuffix(string(r[:at(e)]), s) }
		switch e {
		case "end", "ung":
			cut(len(e))
			if ends("ig") && at("ig") >= p2 && !strings.HasSuffix(string(r[:at("ig")]), "e") {
				cut(2)
			}
		case "ig", "ik", "isch":
			if !before("e") {
				cut(len(e))
			}
		case "lich", "heit":
			cut(len(e))
			if (ends("er") || ends("en")) && at("er") >= p1 {
				cut(2)
			}
		case "keit":
			cut(len(e))
			if ends("lich") && at("lich") >= p2 {
				cut(4)
			} else if ends("ig") && at("ig") >= p2 {
				cut(2)
			}
		}
	}
	out := string(r)
	if strings.ContainsAny(out, "UYäöü") {
		out = strings.NewReplacer("U", "u", "Y", "y", "ä", "a", "ö", "o", "ü", "u").Replace(out)
	}
	return out
}

// deVowel tells the vowels of German.
func deVowel(c rune) bool { return strings.ContainsRune("aeiouyäöü", c) }

// deRegion is where the region after from starts: after the first
// non-vowel that follows a vowel, or the word's end.
func deRegion(r []rune, from int) int {
	for i := from + 1; i < len(r); i++ {
		if !deVowel(r[i]) && deVowel(r[i-1]) {
			return i + 1
		}
	}
	return len(r)
}

// deLongest is the longest of the endings that r has, or "".
func deLongest(r []rune, endings ...string) string {
	s, best := string(r), ""
	for _, e := range endings {
		if len(e) > len(best) && strings.HasSuffix(s, e) {
			best = e
		}
	}
	return best
}

// StemFor returns the stemmer of a language: German's for "de" (and
// de-AT, de-CH...), Porter's English one for every other.
func StemFor(lang string) func(string) string {
	if lang == "de" || strings.HasPrefix(lang, "de-") {
		return StemGerman
	}
	return Stem
}
