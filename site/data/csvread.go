package data

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// recordReader reads CSV records (RFC 4180) line by physical line, so that
// every line of the file can be accounted for: "\r", "\n" and "\r\n" all
// end a line (old Mac and some Excel exports end lines with "\r" alone),
// and a quoted value may span lines. A quote that is never closed, or a
// value spanning lines that makes a row with the wrong number of fields, is
// reported at the line where the quote opened, and reading resumes at the
// line after it, so one stray quote costs one row, not the rest of the file.
type recordReader struct {
	br      *bufio.Reader
	lines   int        // physical lines read from br
	queue   []physLine // lines read; those from head on are not parsed yet (or given back to re-parse)
	head    int
	eof     bool
	width   int // the header's number of fields, once known (0: any)
	fields  []string
	pos     []int      // column (1-based, in bytes) where each field starts
	line    int        // first physical line of the last record
	span    int        // physical lines of the last record
	taken   []physLine // the lines of the record being read
	scratch strings.Builder
}

type physLine struct {
	text string
	n    int
}

// maxRecordLines bounds how many lines one quoted value may span before its
// quote is taken as a mistake.
const maxRecordLines = 1000

// csvError is a row that cannot be read as CSV, at its line and column.
type csvError struct {
	line, col int
	msg       string
}

func (e *csvError) Error() string { return fmt.Sprintf("line %d, column %d: %s", e.line, e.col, e.msg) }

const quoteHint = "a value with quotes must be wrapped in quotes with each inner quote doubled (\"\")"

func newRecordReader(r io.Reader) *recordReader {
	return &recordReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// physical returns the next physical line, or false at the end of the file.
func (r *recordReader) physical() (physLine, bool) {
	for r.head == len(r.queue) {
		if r.eof {
			return physLine{}, false
		}
		r.queue, r.head = r.queue[:0], 0
		r.fill()
	}
	l := r.queue[r.head]
	r.head++
	return l, true
}

// fill reads the next chunk up to "\n" and splits it at every line end.
func (r *recordReader) fill() {
	part, err := r.br.ReadSlice('\n')
	var chunk string
	if errors.Is(err, bufio.ErrBufferFull) {
		long := append([]byte(nil), part...)
		for errors.Is(err, bufio.ErrBufferFull) {
			part, err = r.br.ReadSlice('\n')
			long = append(long, part...)
		}
		chunk = string(long)
	} else {
		chunk = string(part)
	}
	if err != nil {
		r.eof = true
	}
	ended := strings.HasSuffix(chunk, "\n")
	chunk = strings.TrimSuffix(chunk, "\n")
	if ended && strings.HasSuffix(chunk, "\r") {
		chunk = strings.TrimSuffix(chunk, "\r")
	}
	for {
		i := strings.IndexByte(chunk, '\r')
		if i < 0 {
			break
		}
		r.push(chunk[:i])
		chunk = chunk[i+1:]
	}
	// What follows the last "\r" is a line when a "\n" ended it, or when
	// the file ends with text and no line end.
	if ended || chunk != "" {
		r.push(chunk)
	}
}

func (r *recordReader) push(text string) {
	r.lines++
	r.queue = append(r.queue, physLine{text: text, n: r.lines})
}

// unread gives lines back to be parsed again, in order.
func (r *recordReader) unread(ls []physLine) {
	if len(ls) <= r.head {
		r.head -= len(ls)
		copy(r.queue[r.head:], ls)
		return
	}
	r.queue = append(append([]physLine(nil), ls...), r.queue[r.head:]...)
	r.head = 0
}

// Read returns the next record, io.EOF at the end, or a *csvError for a
// line that is not CSV (the line is consumed and reading can go on). The
// record is valid until the next call.
func (r *recordReader) Read() ([]string, error) {
	first, ok := r.physical()
	if !ok {
		return nil, io.EOF
	}
	r.fields, r.pos = r.fields[:0], r.pos[:0]
	r.line, r.span = first.n, 1
	taken := append(r.taken[:0], first)
	defer func() { r.taken = taken[:0] }()
	// text is the physical line being read: a quoted value that goes on
	// at the next line continues there (never glued to what came before,
	// which would copy a long line once per line it spans).
	text := first.text
	i := 0
	for {
		// At the start of a field.
		r.pos = append(r.pos, i+1)
		if i < len(text) && text[i] == '"' {
			openLine, openCol := r.line+r.span-1, i+1
			r.scratch.Reset()
			i++
			for {
				j := strings.IndexByte(text[i:], '"')
				if j < 0 {
					// The value goes on at the next line.
					r.scratch.WriteString(text[i:])
					next, ok := r.physical()
					if !ok || r.span >= maxRecordLines {
						if ok {
							r.unread([]physLine{next})
						}
						return nil, r.unclosed(taken, openLine, openCol)
					}
					taken = append(taken, next)
					r.span++
					r.scratch.WriteByte('\n')
					text, i = next.text, 0
					continue
				}
				r.scratch.WriteString(text[i : i+j])
				i += j + 1
				if i < len(text) && text[i] == '"' {
					r.scratch.WriteByte('"')
					i++
					continue
				}
				break
			}
			r.fields = append(r.fields, r.scratch.String())
			if i < len(text) && text[i] != ',' {
				if r.span > 1 {
					return nil, r.unclosed(taken, openLine, openCol)
				}
				return nil, &csvError{r.line, i + 1, "text after the closing quote of a value; " + quoteHint}
			}
		} else {
			j := strings.IndexByte(text[i:], ',')
			end := len(text)
			if j >= 0 {
				end = i + j
			}
			v := text[i:end]
			if q := strings.IndexByte(v, '"'); q >= 0 {
				if r.span > 1 {
					return nil, r.unclosed(taken, taken[0].n, 0)
				}
				return nil, &csvError{r.line, i + q + 1, "a quote inside a value that does not start with one; " + quoteHint}
			}
			r.fields = append(r.fields, v)
			i = end
		}
		if i >= len(text) {
			break
		}
		i++ // the comma
	}
	if r.span > 1 && r.width > 0 && len(r.fields) != r.width {
		return nil, r.unclosed(taken, taken[0].n, 0)
	}
	return r.fields, nil
}

// unclosed reports a quoted value that spans lines by mistake: the row is
// its first line alone, and the lines after it are read again.
func (r *recordReader) unclosed(taken []physLine, line, col int) error {
	r.unread(taken[1:])
	r.line, r.span = taken[0].n, 1
	msg := "a quote opens a value here that is not closed on this line"
	if line != taken[0].n || col == 0 {
		msg = "a quoted value in this row runs onto the next lines and does not make a row that fits the header"
		line, col = taken[0].n, 0
	}
	return &csvError{line, col, msg + "; " + quoteHint}
}

// FieldPos returns the line and column where field i of the last record
// starts.
func (r *recordReader) FieldPos(i int) (line, col int) {
	if i >= len(r.pos) {
		return r.line, 0
	}
	return r.line, r.pos[i]
}
