package diag

import (
	"strconv"
	"strings"
)

// KeyLines maps each key of a TOML document to the line it is set on, so
// that a value which parses but means nothing (an unknown cadence, a rep id
// that is not in the team) can be reported at its line. The TOML decoder
// does not expose positions, so this reads the text itself, understanding
// just enough TOML for that: [table] and [[array]] headers, dotted and
// quoted keys. Keys are joined with "."; the elements of an array of tables
// are numbered from 0, so the second [[agenda]]'s minutes is
// "agenda.1.minutes". A header's own line is recorded under its key.
func KeyLines(text string) map[string]int {
	lines := map[string]int{}
	counts := map[string]int{} // array-of-tables path -> elements seen
	var prefix string
	inMulti := "" // the closing quote of a multi-line string we are inside
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(raw)
		if inMulti != "" {
			if strings.Contains(line, inMulti) {
				inMulti = ""
			}
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		if strings.HasPrefix(line, "[[") {
			end := strings.Index(line, "]]")
			if end < 0 {
				continue
			}
			path := joinKey(splitKey(line[2:end]))
			prefix = path + "." + strconv.Itoa(counts[path])
			counts[path]++
			lines[prefix] = n
			if _, ok := lines[path]; !ok {
				lines[path] = n
			}
			continue
		}
		if line[0] == '[' {
			end := strings.LastIndex(line, "]")
			if end < 0 {
				continue
			}
			prefix = resolve(joinKey(splitKey(line[1:end])), counts)
			lines[prefix] = n
			continue
		}
		eq := keyEnd(line)
		if eq < 0 {
			continue
		}
		key := joinKey(splitKey(line[:eq]))
		if prefix != "" {
			key = prefix + "." + key
		}
		if _, dup := lines[key]; !dup {
			lines[key] = n
		}
		rest := strings.TrimSpace(line[eq+1:])
		for _, q := range []string{`"""`, `'''`} {
			if strings.HasPrefix(rest, q) && !strings.Contains(rest[3:], q) {
				inMulti = q
			}
		}
	}
	return lines
}

// resolve turns a [a.b] header inside the latest [[a]] element into a.N.b.
func resolve(path string, counts map[string]int) string {
	parts := strings.Split(path, ".")
	for i := len(parts) - 1; i > 0; i-- {
		head := strings.Join(parts[:i], ".")
		if c, ok := counts[head]; ok && c > 0 {
			return head + "." + strconv.Itoa(c-1) + "." + strings.Join(parts[i:], ".")
		}
	}
	return path
}

// keyEnd returns the index of the "=" that ends the key of a key/value line,
// skipping quoted key parts, or -1.
func keyEnd(line string) int {
	quote := byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			return i
		}
	}
	return -1
}

// splitKey splits a dotted key, honouring quotes.
func splitKey(s string) []string {
	var parts []string
	var cur strings.Builder
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '.':
			parts = append(parts, strings.TrimSpace(cur.String()))
			cur.Reset()
		case c == ' ' || c == '\t':
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, strings.TrimSpace(cur.String()))
}

func joinKey(parts []string) string { return strings.Join(parts, ".") }
